#include "gateway/demo/loader.hpp"

#include <chrono>
#include <map>
#include <set>

#include "gateway/application/intake.hpp"
#include "gateway/application/legal_grounds.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/demo/demo_data.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "keys/bsn.hpp"
#include "policy/calendar.hpp"

namespace sluis::demo {
namespace {

struct context {
  store::connection& db;
  const keys::keyring& keyring;
  const config::gateway_config& config;
  const cases::case_store& cases;
  const std::shared_ptr<const policy::engine>& policy;
  audit::journal& journal;
  std::vector<audit::staged_entry>& staged;  // appended to the log after the commit
  unix_seconds now;
  cases::date today;
};

// The operator, acting for a demo organisation (check_organisations made sure it is configured).
application::actor operator_for(const context& c, std::string_view org, std::string_view user) {
  return application::actor::operator_for(c.config.find(org), std::string(user));
}

application::intake_context intake(const context& c) { return {c.cases, c.policy, c.now}; }
application::legal_context legal_at(const context& c, unix_seconds t) {
  return {c.keyring, *c.policy, t};
}

result<void> stage(const context& c, audit::audit_entry entry) {
  auto id = c.journal.stage(c.db, entry);
  if (!id) return id.error();
  c.staged.push_back({*id, std::move(entry)});
  return {};
}

unix_seconds at(const context& c, day_offset days) { return days_after(c.now, days); }
cases::date on(const context& c, day_offset days) { return c.today + std::chrono::days{days}; }
std::optional<cases::date> on(const context& c, std::optional<day_offset> days) {
  if (!days) return std::nullopt;
  return on(c, *days);
}

// Born some months before the birthday that made them `age`, so the age holds for months.
cases::date born(const context& c, int age) {
  return c.today - std::chrono::days{age * 36525 / 100 + 100};
}

audit::audit_entry demo_entry(std::string resource_type, std::string resource_id) {
  audit::audit_entry e;
  e.actor_org = "local-operator";  // as for sluis init: someone with the keys, on the machine
  e.actor_user = "operator";
  e.action = "demo.load";
  e.resource = {std::move(resource_type), std::move(resource_id)};
  return e;
}

result<keys::pseudonym> pseudonym_of(const context& c, std::string_view bsn_digits) {
  auto bsn = keys::bsn::parse(bsn_digits);
  if (!bsn) return bsn.error();
  return c.keyring.pseudonymiser().pseudonymise(*bsn);
}

std::vector<std::string> strings(const std::vector<std::string_view>& views) {
  return {views.begin(), views.end()};
}

// The ids of the members named by label; every label is one of the family's.
std::vector<std::string> ids_of(const std::map<std::string, std::string, std::less<>>& by_label,
                                const std::vector<std::string_view>& labels) {
  std::vector<std::string> ids;
  ids.reserve(labels.size());
  for (auto label : labels) ids.push_back(by_label.find(label)->second);
  return ids;
}

struct family_counts {
  std::size_t contributions = 0, consents = 0, grounds = 0, break_glass = 0;
};

result<void> load_legal(const context& c, const family_spec& spec, const std::string& family_id,
                        const std::map<std::string, std::string, std::less<>>& member_ids,
                        family_counts& counts) {
  const auto gm = operator_for(c, organisation_of(spec.gezinsmanager), spec.gezinsmanager);
  audit::audit_entry step;  // each use case's own entry; the family's demo.load entry sums them up
  for (const auto& cs : spec.consents) {
    cases::new_consent consent;
    if (!cs.subject.empty()) consent.subject_member_id = member_ids.find(cs.subject)->second;
    consent.granted_by = ids_of(member_ids, cs.granted_by);
    consent.recipient_roles = strings(cs.recipient_roles);
    consent.recipient_organisations = strings(cs.recipient_organisations);
    consent.purposes = {"plan"};
    consent.categories = cs.categories;
    consent.domains = strings(cs.domains);
    consent.valid_from = at(c, cs.valid_from);
    consent.valid_until = at(c, cs.valid_until);
    consent.evidence_form_reference = std::string(cs.form_reference);
    consent.evidence_signed_on = on(c, cs.valid_from);
    // Recorded on the day it was signed, as the gezinsmanager would have done.
    auto stored = application::record_consent(legal_at(c, at(c, cs.valid_from)), c.db, gm,
                                              family_id, consent, step);
    if (!stored) return stored.error();
    if (cs.withdrawn) {
      auto withdrawn = application::withdraw_consent(legal_at(c, at(c, *cs.withdrawn)), c.db, gm,
                                                     family_id, stored->item.consent.id, step);
      if (!withdrawn) return withdrawn.error();
    }
    ++counts.consents;
  }
  for (const auto& gs : spec.grounds) {
    cases::new_ground ground{std::string(gs.decided_by),
                             std::string(gs.necessity),
                             std::string(gs.proportionality),
                             std::string(gs.subsidiarity),
                             on(c, gs.family_informed),
                             std::string(gs.not_informed_reason),
                             at(c, gs.valid_from),
                             at(c, gs.valid_until)};
    auto stored = application::record_ground(legal_at(c, at(c, gs.valid_from)), c.db, gm, family_id,
                                             ground, step);
    if (!stored) return stored.error();
    ++counts.grounds;
  }
  for (const auto& bg : spec.break_glass) {
    auto granted = application::request_break_glass(
        legal_at(c, c.now - unix_seconds{bg.started_minutes_ago} * 60), c.db,
        operator_for(c, organisation_of(bg.user), bg.user), family_id,
        std::string(bg.justification), std::chrono::minutes{bg.minutes}, step);
    if (!granted) return granted.error();
    ++counts.break_glass;
  }
  return {};
}

result<loaded_family> load_family(const context& c, const family_spec& spec, std::size_t index,
                                  load_summary& summary) {
  const user_spec* gm = find_user(spec.gezinsmanager);
  if (gm == nullptr) return error::internal("a demo family names no demo gezinsmanager");
  const std::string gm_org(gm->organisation);

  cases::family_registration registration;
  registration.gezinsmanager = {std::string(gm->id), std::string(gm->display_name)};
  registration.label = std::string(spec.label);
  std::map<std::string, keys::pseudonym, std::less<>> pseudonyms;
  audit::audit_entry entry = demo_entry("family", "");
  for (const auto& m : spec.members) {
    auto p = pseudonym_of(c, m.bsn);
    if (!p) return p.error();
    pseudonyms.emplace(std::string(m.label), *p);
    entry.subjects.push_back(p->to_hex());
    registration.members.push_back(
        {*p, m.role, std::string(m.label), born(c, m.age), strings(m.gezag_holders)});
  }
  audit::audit_entry step;  // each use case's own entry; the family's demo.load entry sums them up
  auto registered = application::register_family(intake(c), c.db, operator_for(c, gm_org, gm->id),
                                                 registration, step);
  if (!registered) return registered.error();
  const std::string& family_id = registered->family_id;
  std::map<std::string, std::string, std::less<>> member_ids;
  for (const auto& [id, label] : registered->members) member_ids.emplace(label, id);

  family_counts counts;
  for (const auto& item : spec.items) {
    cases::contribution_submission s;
    // The organisation's own reference: an id, never a name (it is a look-up column).
    s.source_ref =
        "demo-f" + std::to_string(index + 1) + "-c" + std::to_string(counts.contributions + 1);
    if (!item.about.empty()) s.subject = pseudonyms.find(item.about)->second;
    s.family_id = family_id;
    s.domain = std::string(item.domain);
    s.kind = item.kind;
    s.category = item.category;
    s.status = std::string(item.status);
    s.content = {std::string(item.title), std::string(item.body), std::string(item.owner),
                 on(c, item.start),       on(c, item.due),        on(c, item.end)};
    auto submitted =
        application::submit(intake(c), c.db, operator_for(c, item.org, item.owner), s, step);
    if (!submitted) return submitted.error();
    ++counts.contributions;
  }
  if (auto legal = load_legal(c, spec, family_id, member_ids, counts); !legal) {
    return legal.error();
  }

  entry.resource.id = entry.family_id = family_id;
  entry.detail = {{"members", spec.members.size()},
                  {"contributions", counts.contributions},
                  {"consents", counts.consents},
                  {"grounds", counts.grounds},
                  {"break_glass", counts.break_glass}};
  if (auto staged = stage(c, std::move(entry)); !staged) return staged.error();

  summary.members += spec.members.size();
  summary.contributions += counts.contributions;
  summary.consents += counts.consents;
  summary.grounds += counts.grounds;
  summary.break_glass += counts.break_glass;
  return loaded_family{family_id, std::string(spec.label), std::string(spec.gezinsmanager)};
}

result<void> load_users(const context& c, const people::user_store& accounts,
                        load_summary& summary) {
  for (const auto& u : users()) {
    auto role = people::parse_role(u.role);
    if (!role) return role.error();
    const people::new_user account{std::string(u.id), std::string(u.organisation), *role,
                                   std::string(u.display_name)};
    auto enrolled = accounts.add(c.db, account, demo_password, c.now);
    if (!enrolled) return enrolled.error();
    auto entry = demo_entry("user", std::string(u.id));
    entry.detail = {{"role", u.role}, {"organisation", u.organisation}};
    if (auto staged = stage(c, std::move(entry)); !staged) return staged;
    summary.logins.push_back({std::string(u.id), std::string(u.organisation), std::string(u.role),
                              std::string(u.display_name), std::string(demo_password),
                              enrolled->secret_base32, enrolled->otpauth_uri,
                              std::string(u.shows)});
  }
  return {};
}

// Every organisation the demo refers to must be configured (contributions and users point at
// the organisations table, which mirrors the configuration).
result<std::size_t> check_organisations(const config::gateway_config& config) {
  std::set<std::string_view> needed, contributing;
  for (const auto& u : users()) needed.insert(u.organisation);
  for (const auto& f : families()) {
    for (const auto& i : f.items) contributing.insert(i.org);
  }
  needed.insert(contributing.begin(), contributing.end());
  for (auto id : needed) {
    if (config.find(id) == nullptr) {
      return error::invalid("config", "the demo needs organisation \"" + std::string(id) +
                                          "\" in config.toml (deploy/config.example.toml has "
                                          "every demo organisation)");
    }
  }
  return contributing.size();
}

}  // namespace

result<bool> demo_loaded(store::connection& audit_db) {
  auto st = audit_db.prepare("SELECT 1 FROM audit_log WHERE action = 'demo.load' LIMIT 1");
  if (!st) return st.error();
  return st->step();
}

result<load_summary> load(store::store& store, const keys::keyring& keyring,
                          const config::gateway_config& config,
                          std::shared_ptr<const policy::engine> policy, audit::journal& journal,
                          unix_seconds now, const load_options& options) {
  auto contributing = check_organisations(config);
  if (!contributing) return contributing.error();
  const cases::case_store cases(keyring);
  const people::user_store accounts(keyring, options.users);
  const auto today = policy::dutch_date(std::chrono::sys_seconds{std::chrono::seconds{now}});

  // The caller holds the data directory's lock, so no other load can pass this check meanwhile.
  auto loaded = journal.reads().with(demo_loaded);
  if (!loaded) return loaded.error();
  if (*loaded) {
    return error::conflict(
        "the demo data is already loaded in this data directory; nothing was changed (to "
        "start over, use a fresh data directory)");
  }
  load_summary summary;
  std::vector<audit::staged_entry> staged;
  auto written = store.writes().run([&](store::connection& db) -> result<void> {
    summary = {};
    staged.clear();
    for (const auto& org : config.organisations) {
      auto synced =
          cases.sync_organisation(db, org.id, org.name, org.sector, org.professional_secrecy);
      if (!synced) return synced;
    }
    const context c{db, keyring, config, cases, policy, journal, staged, now, today};
    for (std::size_t i = 0; i < families().size(); ++i) {
      auto family = load_family(c, families()[i], i, summary);
      if (!family) return family.error();
      summary.loaded.push_back(std::move(*family));
    }
    return load_users(c, accounts, summary);
  });
  if (!written) return written.error();
  if (auto logged = journal.append_staged_now(std::move(staged)); !logged) return logged.error();
  summary.organisations = *contributing;
  summary.families = summary.loaded.size();
  return summary;
}

}  // namespace sluis::demo
