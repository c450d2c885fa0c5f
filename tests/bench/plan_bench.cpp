// Plan assembly benchmarks (issue 6: "assembling a plan for families with 10, 50 and 200
// contributions"): policy decision and redaction of every contribution, then the JSON the route
// sends. The store read and opening of sealed payloads are measured by store_bench. The family is
// the plan suites' (tests/gateway/plan/plan_fixture.hpp) under the example policy as shipped, seen
// by its own gezinsmanager with a coordination ground and two consents, so every visibility level
// occurs. Not a test: run from a Release build, see BENCHMARKS.md.

#include <benchmark/benchmark.h>

#include <array>
#include <boost/json/serialize.hpp>

#include "gateway/plan/plan.hpp"
#include "gateway/plan/plan_json.hpp"
#include "tests/gateway/plan/plan_fixture.hpp"

namespace {

using namespace sluis::plan;
using namespace sluis::plan::testing;
using sluis::policy::category;
using sluis::policy::record_kind;

struct source {
  const char* org;
  const char* domain;
  category data;
};

// Seven organisations over six domains; GGZ and jeugdhulp have professional secrecy, police data
// is criminal, so the decisions range over none, summary and full.
constexpr std::array<source, 7> sources = {{
    {"wijkteam-noord", "opvoeding", category::regular},
    {"schuldhulp-noord", "financien", category::regular},
    {"woningcorporatie-noord", "wonen", category::regular},
    {"ggz-noord", "psychische-gezondheid", category::special},
    {"jeugdhulp-noord", "opvoeding", category::regular},
    {"politie-noord", "veiligheid", category::criminal},
    {"wijkteam-noord", "netwerk", category::regular},
}};
constexpr std::array<record_kind, 5> kinds = {record_kind::goal, record_kind::action,
                                              record_kind::deadline, record_kind::evaluation,
                                              record_kind::note};
constexpr std::array<const char*, 3> subjects = {"mem-moeder", "mem-dochter", "mem-zoon"};
constexpr std::array<const char*, 4> statuses = {"active", "planned", "in-progress", "done"};

std::vector<sluis::cases::stored_contribution> contributions(std::size_t n) {
  std::vector<sluis::cases::stored_contribution> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& s = sources[i % sources.size()];
    auto c = contribution("con-" + std::to_string(100000 + i), s.org, subjects[i % subjects.size()],
                          s.domain, kinds[i % kinds.size()], s.data, statuses[i % statuses.size()],
                          today + std::chrono::days{static_cast<int>(i % 40) - 10});
    // A realistic body: a few sentences.
    c.content.body.append(400, 'x');
    out.push_back(std::move(c));
  }
  return out;
}

struct setup {
  sluis::policy::engine engine = example_engine();
  sluis::cases::stored_family fam = family();
  sluis::config::gateway_config config = gateway_config();
  sluis::policy::family facts_ =
      facts(fam,
            {consent("cns-ggz", "mem-dochter", {"mem-dochter", "mem-moeder"},
                     "psychische-gezondheid", category::special),
             consent("cns-fin", "mem-moeder", {"mem-moeder"}, "financien", category::regular)},
            {ground()});
};

void BM_plan_assemble(benchmark::State& state) {
  const setup s;
  const auto list = contributions(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto p = assemble(s.engine, own_gezinsmanager(), s.fam, list, s.facts_, s.config, now);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_plan_assemble)->Arg(10)->Arg(50)->Arg(200);

void BM_plan_assemble_and_json(benchmark::State& state) {
  const setup s;
  const auto list = contributions(static_cast<std::size_t>(state.range(0)));
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto p = assemble(s.engine, own_gezinsmanager(), s.fam, list, s.facts_, s.config, now);
    auto text = to_json_text(p);
    auto audit = audit_detail(p);
    bytes = text.size();
    benchmark::DoNotOptimize(text);
    benchmark::DoNotOptimize(audit);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["json_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_plan_assemble_and_json)->Arg(10)->Arg(50)->Arg(200);

// The JSON alone (to_json + serialize) of an assembled plan.
void BM_plan_json(benchmark::State& state) {
  const setup s;
  const auto list = contributions(static_cast<std::size_t>(state.range(0)));
  const auto p = assemble(s.engine, own_gezinsmanager(), s.fam, list, s.facts_, s.config, now);
  for (auto _ : state) {
    auto text = to_json_text(p);
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_plan_json)->Arg(10)->Arg(200);

// The procesmanager's oversight of 50 families of 50 contributions each (status only).
void BM_oversight_50_families(benchmark::State& state) {
  const setup s;
  const auto list = contributions(50);
  std::vector<sluis::cases::stored_family> families(50, s.fam);
  std::vector<family_input> input;
  for (auto& f : families) input.push_back({&f, &list, &s.facts_});
  for (auto _ : state) {
    const auto view = oversee(s.engine, procesmanager(), input, s.config, now);
    auto text = boost::json::serialize(to_json(view));
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(BM_oversight_50_families);

}  // namespace

BENCHMARK_MAIN();
