#include "gateway/demo/generator.hpp"

#include <algorithm>
#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "gateway/application/intake.hpp"
#include "gateway/application/legal_grounds.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/case/model.hpp"
#include "gateway/demo/demo_data.hpp"
#include "keys/bsn.hpp"
#include "policy/calendar.hpp"

namespace sluis::demo {
namespace {

constexpr std::size_t min_organisations = 3;
constexpr std::size_t max_organisations = 15;
constexpr int max_contributions_per_organisation = 40;
// Writer work items queued at once: one being committed while the next is prepared.
constexpr std::size_t max_in_flight = 2;

using rng = std::mt19937_64;

int uniform(rng& r, int low, int high) { return std::uniform_int_distribution<int>(low, high)(r); }
bool chance(rng& r, double p) { return std::uniform_real_distribution<double>(0, 1)(r) < p; }
template <class T>
const T& pick(rng& r, const std::vector<T>& from) {
  return from[static_cast<std::size_t>(uniform(r, 0, static_cast<int>(from.size()) - 1))];
}

// A synthetic BSN: eight random digits and the check digit the elfproef asks for.
std::string synthetic_bsn(rng& r) {
  for (;;) {
    std::string digits(9, '0');
    int sum = 0;
    digits[0] = static_cast<char>('1' + uniform(r, 0, 8));
    for (std::size_t i = 1; i < 8; ++i) digits[i] = static_cast<char>('0' + uniform(r, 0, 9));
    for (std::size_t i = 0; i < 8; ++i) sum += static_cast<int>(9 - i) * (digits[i] - '0');
    const int check = sum % 11;
    if (check == 10) continue;  // no digit satisfies the elfproef: draw again
    digits[8] = static_cast<char>('0' + check);
    return digits;
  }
}

// What a sector writes about, and how sensitive it is.
struct sector_profile {
  std::vector<std::string> domains;
  double criminal_share = 0;
};

sector_profile profile_of(std::string_view sector) {
  if (sector == "wijkteam")
    return {{"opvoeding", "onderwijs", "netwerk", "financien", "wonen", "werk-inkomen"}};
  if (sector == "ggz") return {{"psychische-gezondheid", "verslaving"}};
  if (sector == "jeugdhulp") return {{"opvoeding", "onderwijs", "psychische-gezondheid"}};
  if (sector == "schuldhulp") return {{"financien"}};
  if (sector == "woningcorporatie") return {{"wonen"}};
  if (sector == "werk-inkomen") return {{"werk-inkomen", "financien"}};
  if (sector == "veilig-thuis") return {{"huiselijk-geweld", "veiligheid"}};
  if (sector == "politie") return {{"veiligheid", "huiselijk-geweld"}, 0.5};
  sector_profile every;
  for (const auto& d : policy::standard_domains()) every.domains.emplace_back(d.id);
  return every;
}

bool is_health_domain(std::string_view domain) {
  return domain == "psychische-gezondheid" || domain == "verslaving" || domain == "gezondheid";
}

const std::vector<std::string> owners = {"A. de Boer", "M. Visser", "S. Mulder",   "K. Bos",
                                         "R. Vos",     "L. Peters", "J. Hendriks", "E. Dekker"};

policy::record_kind pick_kind(rng& r) {
  const int roll = uniform(r, 1, 100);
  if (roll <= 25) return policy::record_kind::goal;
  if (roll <= 65) return policy::record_kind::action;
  if (roll <= 75) return policy::record_kind::evaluation;
  if (roll <= 85) return policy::record_kind::deadline;
  return policy::record_kind::note;
}

std::string pick_status(rng& r, policy::record_kind kind) {
  using k = policy::record_kind;
  static const std::vector<std::string> involvement = {"active", "active", "active", "ended"};
  static const std::vector<std::string> goal = {"planned", "active", "active", "achieved",
                                                "not-achieved"};
  static const std::vector<std::string> action = {"planned", "in-progress", "in-progress",
                                                  "done",    "cancelled",   "declined"};
  static const std::vector<std::string> deadline = {"active", "active", "ended"};
  switch (kind) {
    case k::involvement:
      return pick(r, involvement);
    case k::goal:
      return pick(r, goal);
    case k::action:
      return pick(r, action);
    case k::deadline:
      return pick(r, deadline);
    case k::evaluation:
      return "done";
    case k::note:
      return "active";
  }
  return "active";
}

struct planned_item {
  std::string org;
  cases::contribution_submission submission;  // family_id is filled in after registration
};

struct planned_consent {
  std::size_t subject = 0;  // member index (a parent, who signs for themselves)
  std::vector<std::string> domains;
  int valid_from_days = 0;
  int valid_until_days = 0;
  std::optional<int> withdrawn_days;
};

struct planned_family {
  std::string gezinsmanager_org;
  cases::family_registration registration;
  std::vector<std::string> subjects;  // pseudonyms as hex, for the audit entry
  std::vector<planned_item> items;
  std::vector<planned_consent> consents;
  bool ground = false;
};

// The shape of synthetic families, drawn from one seeded generator.
class family_planner {
 public:
  family_planner(const config::gateway_config& config, std::uint64_t seed,
                 const keys::pseudonymiser& pseudonymiser, unix_seconds now)
      : rng_(seed), pseudonymiser_(pseudonymiser) {
    today_ = policy::dutch_date(std::chrono::sys_seconds{std::chrono::seconds{now}});
    for (const auto& org : config.organisations) {
      if (org.sector == "wijkteam" && wijkteam_.empty()) {
        wijkteam_ = org.id;
      } else {
        others_.push_back({org.id, profile_of(org.sector)});
      }
    }
    if (!wijkteam_.empty()) wijkteam_profile_ = profile_of("wijkteam");
  }

  std::size_t organisations_available() const {
    return others_.size() + (wijkteam_.empty() ? 0 : 1);
  }

  planned_family next(std::size_t number) {
    planned_family f;
    add_members(f);
    const auto orgs = pick_organisations();
    f.gezinsmanager_org = orgs.front().first;
    // A caseload of about ten families per gezinsmanager.
    f.registration.gezinsmanager = {"gm-gen-" + std::to_string(number / 10 + 1),
                                    "Gezinsmanager " + std::to_string(number / 10 + 1)};
    f.registration.label = "Synthetisch gezin " + std::to_string(number + 1);
    for (const auto& [org, profile] : orgs) add_items(f, org, *profile, number);
    add_legal(f);
    return f;
  }

 private:
  void add_members(planned_family& f) {
    const int parents = uniform(rng_, 1, 2);
    const int children = uniform(rng_, 0, 5);
    std::vector<std::string> parent_labels;
    for (int i = 0; i < parents + children; ++i) {
      const bool is_parent = i < parents;
      const std::string label =
          is_parent ? (i == 0 ? "ouder 1" : "ouder 2") : "kind " + std::to_string(i - parents + 1);
      const int age = is_parent ? uniform(rng_, 22, 60) : uniform(rng_, 0, 19);
      auto bsn = keys::bsn::parse(synthetic_bsn(rng_));
      cases::new_member m{pseudonymiser_.pseudonymise(*bsn),
                          is_parent ? policy::member_role::parent : policy::member_role::child,
                          label,
                          today_ - std::chrono::days{age * 365 + uniform(rng_, 0, 364)},
                          {}};
      // Usually every parent has gezag; sometimes only the first (a father without gezag).
      if (!is_parent)
        m.gezag_holder_labels = chance(rng_, 0.8) ? parent_labels : std::vector{parent_labels[0]};
      if (is_parent) parent_labels.push_back(label);
      f.subjects.push_back(m.pseudonym.to_hex());
      f.registration.members.push_back(std::move(m));
    }
  }

  std::vector<std::pair<std::string, const sector_profile*>> pick_organisations() {
    const std::size_t available = organisations_available();
    const std::size_t count = static_cast<std::size_t>(
        uniform(rng_, static_cast<int>(std::min(min_organisations, available)),
                static_cast<int>(std::min(max_organisations, available))));
    std::vector<std::pair<std::string, const sector_profile*>> chosen;
    if (!wijkteam_.empty()) chosen.emplace_back(wijkteam_, &wijkteam_profile_);
    std::vector<std::size_t> order(others_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    for (std::size_t i = 0; chosen.size() < count; ++i)
      chosen.emplace_back(others_[order[i]].first, &others_[order[i]].second);
    return chosen;
  }

  // 1 to 40, most organisations with few contributions and some with many.
  int contribution_count() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return 1 + static_cast<int>(u * u * max_contributions_per_organisation * 0.999);
  }

  void add_items(planned_family& f, const std::string& org, const sector_profile& profile,
                 std::size_t number) {
    const int count = contribution_count();
    for (int i = 0; i < count; ++i) {
      planned_item item;
      item.org = org;
      auto& s = item.submission;
      s.source_ref = run_ + "-" + std::to_string(number) + "-" + std::to_string(f.items.size());
      s.kind = i == 0 ? policy::record_kind::involvement : pick_kind(rng_);
      s.domain = pick(rng_, profile.domains);
      s.category = is_health_domain(s.domain)             ? policy::category::special
                   : chance(rng_, profile.criminal_share) ? policy::category::criminal
                                                          : policy::category::regular;
      s.status = pick_status(rng_, s.kind);
      if (chance(rng_, 0.6)) {
        const auto& member = pick(rng_, f.registration.members);
        s.subject = member.pseudonym;
      }
      const int start = -uniform(rng_, 0, 700);
      s.content.title =
          std::string(policy::name_of(policy::record_kinds(), policy::to_string(s.kind))) + ": " +
          std::string(policy::name_of(policy::standard_domains(), s.domain)) + " " +
          std::to_string(i + 1);
      s.content.body = "Synthetische bijdrage voor belastingtests.";
      s.content.owner_name = pick(rng_, owners);
      s.content.start_date = today_ + std::chrono::days{start};
      if (s.kind != policy::record_kind::note && s.kind != policy::record_kind::involvement) {
        // Mostly ahead, some just behind: overdue deadlines exist, as in real plans.
        s.content.due_date = today_ + std::chrono::days{uniform(rng_, -60, 240)};
      }
      if (s.status == "done" || s.status == "achieved" || s.status == "ended")
        s.content.end_date = today_ - std::chrono::days{uniform(rng_, 0, -start)};
      f.items.push_back(std::move(item));
    }
  }

  void add_legal(planned_family& f) {
    if (chance(rng_, 0.5)) {
      for (std::size_t i = 0; i < f.registration.members.size(); ++i) {
        if (f.registration.members[i].role != policy::member_role::parent) continue;
        planned_consent c;
        c.subject = i;
        c.domains = {"financien", "wonen", "werk-inkomen", "opvoeding"};
        c.valid_from_days = -uniform(rng_, 0, 300);
        c.valid_until_days = c.valid_from_days + 365;
        if (chance(rng_, 0.1)) c.valid_until_days = -uniform(rng_, 1, 30);  // expired
        if (c.valid_until_days <= c.valid_from_days) c.valid_from_days = c.valid_until_days - 365;
        if (chance(rng_, 0.1)) c.withdrawn_days = uniform(rng_, c.valid_from_days, 0);
        f.consents.push_back(std::move(c));
      }
    }
    f.ground = chance(rng_, 1.0 / 6);
  }

  rng rng_;
  const keys::pseudonymiser& pseudonymiser_;
  cases::date today_;
  // Source references must be unique per organisation across runs, or a second run would update
  // the first run's contributions instead of adding its own.
  std::string run_ = "gen-" + cases::new_id("").substr(0, 8);
  std::string wijkteam_;
  sector_profile wijkteam_profile_;
  std::vector<std::pair<std::string, sector_profile>> others_;
};

struct batch_counts {
  std::size_t families = 0, members = 0, contributions = 0, consents = 0, grounds = 0;
};

// What writing a family needs, shared by every batch.
struct writing {
  const keys::keyring& keyring;
  const config::gateway_config& config;
  const cases::case_store& cases;
  std::shared_ptr<const policy::engine> policy;
  audit::journal& journal;

  // The operator, acting for a configured organisation (the planner picks configured ones only).
  application::actor operator_for(const std::string& org, const std::string& user) const {
    return application::actor::operator_for(config.find(org), user);
  }
};

// Through the use cases partner systems call (application/intake, application/legal_grounds),
// validated the same way; their entries are summed up in one demo.generate entry per family.
result<void> write_family(store::connection& db, const writing& w, planned_family& f,
                          unix_seconds now, batch_counts& counts,
                          std::vector<audit::staged_entry>& staged) {
  const application::intake_context intake{w.cases, w.policy, now};
  const auto gm = w.operator_for(f.gezinsmanager_org, f.registration.gezinsmanager.user_id);
  audit::audit_entry step;
  auto registered = application::register_family(intake, db, gm, f.registration, step);
  if (!registered) return registered.error();
  const std::string& family_id = registered->family_id;
  for (auto& item : f.items) {
    item.submission.family_id = family_id;
    auto submitted = application::submit(
        intake, db, w.operator_for(item.org, item.submission.content.owner_name), item.submission,
        step);
    if (!submitted) return submitted.error();
  }
  const auto legal_at = [&](unix_seconds t) {
    return application::legal_context{w.keyring, *w.policy, t};
  };
  for (const auto& c : f.consents) {
    const std::string& member_id = registered->members[c.subject].first;
    cases::new_consent consent;
    consent.subject_member_id = member_id;
    consent.granted_by = {member_id};
    consent.recipient_roles = {"gezinsmanager"};
    consent.purposes = {"plan"};
    consent.categories = {policy::category::regular};
    consent.domains = c.domains;
    consent.valid_from = days_after(now, c.valid_from_days);
    consent.valid_until = days_after(now, c.valid_until_days);
    consent.evidence_form_reference = "GEN-" + std::to_string(counts.consents + 1);
    consent.evidence_signed_on =
        policy::dutch_date(std::chrono::sys_seconds{std::chrono::seconds{consent.valid_from}});
    auto stored =
        application::record_consent(legal_at(consent.valid_from), db, gm, family_id, consent, step);
    if (!stored) return stored.error();
    if (c.withdrawn_days) {
      auto withdrawn =
          application::withdraw_consent(legal_at(days_after(now, *c.withdrawn_days)), db, gm,
                                        family_id, stored->item.consent.id, step);
      if (!withdrawn) return withdrawn.error();
    }
    ++counts.consents;
  }
  if (f.ground) {
    const cases::new_ground ground{
        "teamleider wijkteam",
        "Meerdere organisaties betrokken zonder afstemming (synthetisch).",
        "Alleen kopjes van gewone gegevens voor de gezinsmanager (synthetisch).",
        "Toestemming is niet voor alle gezinsleden te krijgen (synthetisch).",
        policy::dutch_date(std::chrono::sys_seconds{std::chrono::seconds{now}}),
        "",
        days_after(now, -30),
        days_after(now, 150)};
    auto stored = application::record_ground(legal_at(now), db, gm, family_id, ground, step);
    if (!stored) return stored.error();
    ++counts.grounds;
  }
  audit::audit_entry entry;
  entry.actor_org = "local-operator";
  entry.actor_user = "operator";
  entry.action = "demo.generate";
  entry.resource = {"family", family_id};
  entry.family_id = family_id;
  entry.subjects = f.subjects;
  entry.detail = {{"members", f.registration.members.size()},
                  {"contributions", f.items.size()},
                  {"consents", f.consents.size()},
                  {"ground", f.ground}};
  auto id = w.journal.stage(db, entry);
  if (!id) return id.error();
  staged.push_back({*id, std::move(entry)});
  ++counts.families;
  counts.members += f.registration.members.size();
  counts.contributions += f.items.size();
  return {};
}

// Work items in flight and what they committed, shared with the writer thread's done callbacks.
struct pipeline {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t in_flight = 0;
  std::size_t batches = 0;
  batch_counts committed;
  std::optional<error> failure;
};

}  // namespace

result<generate_summary> generate(store::store& store, const keys::keyring& keyring,
                                  const config::gateway_config& config,
                                  std::shared_ptr<const policy::engine> policy,
                                  audit::journal& journal, unix_seconds now,
                                  const generate_options& options) {
  if (options.families == 0) return error::invalid("families", "must be at least 1");
  family_planner planner(config, options.seed, keyring.pseudonymiser(), now);
  if (planner.organisations_available() < min_organisations) {
    return error::invalid("config", "synthetic families need at least 3 configured organisations");
  }
  const cases::case_store cases(keyring);
  const writing w{keyring, config, cases, std::move(policy), journal};
  // Contributions point at the organisations table: make it match the configuration first.
  auto synced = store.writes().run([&](store::connection& db) -> result<void> {
    for (const auto& org : config.organisations) {
      auto r = cases.sync_organisation(db, org.id, org.name, org.sector, org.professional_secrecy);
      if (!r) return r;
    }
    return {};
  });
  if (!synced) return synced.error();
  const auto started = std::chrono::steady_clock::now();
  auto shared = std::make_shared<pipeline>();

  auto progress = [&] {
    generate_progress p;
    p.families = shared->committed.families;
    p.families_total = options.families;
    p.contributions = shared->committed.contributions;
    p.elapsed = std::chrono::steady_clock::now() - started;
    return p;
  };
  // Called with the mutex held: a snapshot to report outside it, when a batch committed since.
  std::size_t reported_batches = 0;
  auto snapshot = [&]() -> std::optional<generate_progress> {
    if (shared->batches == reported_batches || !options.on_progress) return std::nullopt;
    reported_batches = shared->batches;
    return progress();
  };

  std::size_t next = 0;
  while (next < options.families) {
    auto batch = std::make_shared<std::vector<planned_family>>();
    std::size_t contributions = 0;
    while (next < options.families && contributions < options.contributions_per_batch) {
      batch->push_back(planner.next(next++));
      contributions += batch->back().items.size();
    }
    std::optional<generate_progress> committed;
    bool failed = false;
    {
      std::unique_lock lock(shared->mutex);
      shared->changed.wait(lock, [&] { return shared->in_flight < max_in_flight; });
      committed = snapshot();
      failed = shared->failure.has_value();
      if (!failed) ++shared->in_flight;
    }
    if (committed) options.on_progress(*committed);
    if (failed) break;
    auto counts = std::make_shared<batch_counts>();
    auto staged = std::make_shared<std::vector<audit::staged_entry>>();
    // Each batch's families are counted once their audit entries are in the log too.
    auto finish = [shared, counts](const result<void>& outcome) {
      std::lock_guard lock(shared->mutex);
      --shared->in_flight;
      if (outcome) {
        ++shared->batches;
        auto& c = shared->committed;
        c.families += counts->families;
        c.members += counts->members;
        c.contributions += counts->contributions;
        c.consents += counts->consents;
        c.grounds += counts->grounds;
      } else if (!shared->failure) {
        shared->failure = outcome.error();
      }
      shared->changed.notify_all();
    };
    store.writes().submit(
        [&w, batch, counts, staged, now](store::connection& db) -> result<void> {
          *counts = {};
          staged->clear();
          for (auto& family : *batch) {
            auto written = write_family(db, w, family, now, *counts, *staged);
            if (!written) return written;
          }
          return {};
        },
        [&journal, staged, finish](const result<void>& outcome) {
          if (!outcome) return finish(outcome);
          journal.append_staged(std::move(*staged), finish);
        });
  }
  std::unique_lock lock(shared->mutex);
  shared->changed.wait(lock, [&] { return shared->in_flight == 0; });
  if (auto last = snapshot()) options.on_progress(*last);
  if (shared->failure) return *shared->failure;
  generate_summary summary;
  summary.progress = progress();
  summary.members = shared->committed.members;
  summary.consents = shared->committed.consents;
  summary.grounds = shared->committed.grounds;
  summary.batches = shared->batches;
  return summary;
}

}  // namespace sluis::demo
