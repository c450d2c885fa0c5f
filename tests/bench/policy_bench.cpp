// Policy engine benchmarks (issue 4: "deciding one record costs about a microsecond"), on the
// example policy exactly as shipped in deploy/policy.example.toml and a realistic family: five
// members (one child of 15 and one of 9, gezag split over a parent outside the household), four
// consents, one coordination ground. Not a test: run from a Release build, see BENCHMARKS.md.

#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "policy/engine.hpp"

namespace {

using namespace std::chrono_literals;
using sluis::policy::category;
using sluis::policy::engine;
using sluis::policy::family;
using sluis::policy::level;
using sluis::policy::record;
using sluis::policy::record_kind;
using sluis::policy::requester;
using sluis::policy::time_point;
using std::chrono::sys_days;
using std::chrono::year;

engine load_example_policy() {
  std::ifstream in(SLUIS_EXAMPLE_POLICY, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " SLUIS_EXAMPLE_POLICY);
  std::ostringstream text;
  text << in.rdbuf();
  return engine::compile(text.str(), "policy.example.toml").value();
}

const time_point now = sys_days{year{2026} / 6 / 15} + 12h;

time_point day(int y, unsigned m, unsigned d) {
  return time_point{sys_days{year{y} / std::chrono::month{m} / std::chrono::day{d}}};
}

requester own_gezinsmanager() {
  return {"u-gm-1", "gezinsmanager", "org-wijkteam", "wijkteam", "plan", true};
}

family example_family() {
  family fam;
  fam.id = "gezin-1";
  fam.members = {
      {"m-moeder", "moeder", sluis::policy::member_role::parent, year{1983} / 9 / 12, {}},
      {"m-stiefvader", "stiefvader", sluis::policy::member_role::parent, year{1980} / 3 / 1, {}},
      {"m-dochter",
       "dochter",
       sluis::policy::member_role::child,
       year{2011} / 1 / 10,
       {"m-moeder", "p-vader-elders"}},
      {"m-zoon",
       "zoon",
       sluis::policy::member_role::child,
       year{2017} / 4 / 22,
       {"m-moeder", "p-vader-elders"}},
      {"m-oma", "oma", sluis::policy::member_role::other, year{1955} / 7 / 30, {}},
  };
  const auto consent = [](std::string id, std::string subject, std::vector<std::string> signers,
                          std::vector<category> categories, std::vector<std::string> domains) {
    sluis::policy::consent c;
    c.id = std::move(id);
    c.subject_member_id = std::move(subject);
    c.granted_by = std::move(signers);
    c.recipient_roles = {"gezinsmanager"};
    c.purposes = {"plan"};
    c.categories = std::move(categories);
    c.domains = std::move(domains);
    c.valid_from = day(2026, 5, 1);
    c.valid_until = day(2027, 5, 1);
    c.evidence = {"JGT-2026-0412", year{2026} / 4 / 30};
    c.recorded_by = "u-gm-1";
    return c;
  };
  fam.consents = {
      consent("c-dochter-ggz", "m-dochter", {"m-dochter", "m-moeder"},
              {category::special, category::regular}, {"psychische-gezondheid", "onderwijs"}),
      consent("c-zoon", "m-zoon", {"m-moeder"}, {category::regular, category::special},
              {"opvoeding", "onderwijs", "gezondheid"}),
      consent("c-moeder", "m-moeder", {"m-moeder"}, {category::regular},
              {"financien", "wonen", "werk-inkomen"}),
      consent("c-stiefvader", "m-stiefvader", {"m-stiefvader"}, {category::special},
              {"verslaving"}),
  };
  fam.grounds = {{"g-1", "teamleider JGT", "zonder afstemming dreigt uithuisplaatsing",
                  "alleen hoofdlijnen van gewone gegevens",
                  "afzonderlijke trajecten hebben niets opgeleverd", year{2026} / 5 / 2, "",
                  day(2026, 5, 2), day(2026, 11, 2), std::nullopt}};
  return fam;
}

// The daughter's GGZ treatment goal, from an organisation with professional secrecy: shown in full
// on the consent of the daughter (15) and her mother.
record consented_ggz_record() {
  return {"r-ggz",           "org-ggz",        "ggz", true, "m-dochter", "psychische-gezondheid",
          record_kind::goal, category::special};
}

// The grandmother's health record: no consent covers it, so under the family's coordination ground
// only its existence is known and its content is hidden with reasons (the slow path: every failed
// permit explains itself).
record unconsented_record() {
  return {"r-huisarts",      "org-huisarts",   "ggz", true, "m-oma", "gezondheid",
          record_kind::note, category::special};
}

// A family file of `count` records cycling through sources, subjects, domains, kinds and
// categories, so the whole mix of granted, summarised, denied and hidden records is decided.
std::vector<record> family_file(std::size_t count) {
  struct source {
    const char* organisation;
    const char* sector;
    bool secrecy;
  };
  constexpr std::array<source, 6> sources{{{"org-wijkteam", "wijkteam", false},
                                           {"org-ggz", "ggz", true},
                                           {"org-schuldhulp", "schuldhulp", false},
                                           {"org-jeugdhulp", "jeugdhulp", true},
                                           {"org-school", "onderwijs", false},
                                           {"org-politie", "politie", false}}};
  constexpr std::array<const char*, 6> subjects{"m-moeder", "m-stiefvader", "m-dochter",
                                                "m-zoon",   "m-oma",        ""};
  constexpr std::array<const char*, 11> domains{
      "financien",  "wonen",      "werk-inkomen",          "opvoeding",
      "onderwijs",  "gezondheid", "psychische-gezondheid", "verslaving",
      "veiligheid", "netwerk",    "huiselijk-geweld"};
  std::vector<record> records;
  records.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const auto& src = sources[i % sources.size()];
    const char* domain = domains[i % domains.size()];
    const std::string_view d = domain;
    const category cat =
        d == "gezondheid" || d == "psychische-gezondheid" || d == "verslaving"
            ? category::special
            : (src.sector == std::string_view("politie") ? category::criminal : category::regular);
    records.push_back({"r-" + std::to_string(i), src.organisation, src.sector, src.secrecy,
                       subjects[i % subjects.size()], domain, static_cast<record_kind>(i % 6),
                       cat});
  }
  return records;
}

void decide_one(benchmark::State& state, const record& rec, level expected) {
  const auto policy = load_example_policy();
  const auto fam = example_family();
  const auto request = policy.prepare(own_gezinsmanager(), fam, now);
  if (request.decide(rec).level != expected) {
    state.SkipWithError("the benchmark family no longer decides as expected");
    return;
  }
  for (auto _ : state) {
    auto d = request.decide(rec);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_decide_record_granted(benchmark::State& state) {
  decide_one(state, consented_ggz_record(), level::full);
}
BENCHMARK(BM_decide_record_granted);

void BM_decide_record_hidden_with_reasons(benchmark::State& state) {
  decide_one(state, unconsented_record(), level::involvement);
}
BENCHMARK(BM_decide_record_hidden_with_reasons);

void BM_prepare_request(benchmark::State& state) {
  const auto policy = load_example_policy();
  const auto fam = example_family();
  const auto who = own_gezinsmanager();
  for (auto _ : state) {
    auto request = policy.prepare(who, fam, now);
    benchmark::DoNotOptimize(request);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_prepare_request);

// One whole request: prepare once, then decide every record of a family file of 200 records.
// items_per_second counts records.
void BM_decide_family_200_records(benchmark::State& state) {
  const auto policy = load_example_policy();
  const auto fam = example_family();
  const auto who = own_gezinsmanager();
  const auto records = family_file(200);
  // The outcome mix, so the figure can be read: how many records end at each level.
  std::array<int, 5> per_level{};
  const auto once = policy.prepare(who, fam, now);
  for (const auto& rec : records) ++per_level[static_cast<std::size_t>(once.decide(rec).level)];
  for (auto _ : state) {
    const auto request = policy.prepare(who, fam, now);
    for (const auto& rec : records) {
      auto d = request.decide(rec);
      benchmark::DoNotOptimize(d);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(records.size()));
  state.counters["full"] = per_level[static_cast<std::size_t>(level::full)];
  state.counters["summary"] = per_level[static_cast<std::size_t>(level::summary)];
  state.counters["none"] = per_level[static_cast<std::size_t>(level::none)];
}
BENCHMARK(BM_decide_family_200_records);

}  // namespace

BENCHMARK_MAIN();
