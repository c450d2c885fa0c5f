// Store benchmarks (issue 6) on a real SQLCipher file in a temp dir (WAL, synchronous=FULL, as in
// production): contribution submissions through the single group-commit writer with 1, 16 and 64
// concurrent submitters (one fsync per batch, so more submitters mean larger batches), and reading
// a family's contributions back (load the family, read its rows, unwrap its key, open every sealed
// payload) for families of 10, 50 and 200 contributions. Not a test: see BENCHMARKS.md.
//
// The baseline for the same insert work on plain SQLite is sqlite_baseline_bench.cpp.

#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/case/case_store.hpp"
#include "gateway/store/store.hpp"
#include "keys/bsn.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace sluis;
using std::chrono::sys_days;
using std::chrono::year;

constexpr std::size_t family_count = 256;
constexpr std::size_t reserved = 16;  // families for the read benchmarks

std::vector<std::string> sample_bsns(std::size_t n) {
  std::vector<std::string> out;
  for (unsigned v = 100000000; out.size() < n; ++v) {
    const std::string s = std::to_string(v);
    int sum = 0;
    for (int i = 0; i < 8; ++i) sum += (9 - i) * (s[static_cast<std::size_t>(i)] - '0');
    sum -= s[8] - '0';
    if (sum % 11 == 0) out.push_back(s);
  }
  return out;
}

// A contribution as a partner system sends it: about one member, with a title, a body of a few
// sentences, an owner and a deadline (about 400 bytes of sealed content).
cases::contribution_submission submission_for(const keys::pseudonym& subject, std::string ref) {
  cases::contribution_submission s;
  s.source_ref = std::move(ref);
  s.subject = subject;
  s.domain = "financien";
  s.kind = policy::record_kind::goal;
  s.category = policy::category::regular;
  s.status = "active";
  s.content.title = "Schulden stabiliseren en budgetbeheer aanvragen";
  s.content.body = std::string(
      "Afspraak gemaakt met de schuldhulpverlening. Er is een overzicht van de schuldeisers "
      "opgesteld en een aanvraag voor budgetbeheer ingediend. Vaste lasten worden voortaan "
      "automatisch betaald; de volgende evaluatie is over zes weken met het hele gezin samen, "
      "waarbij ook de voortgang op werk en inkomen wordt besproken.");
  s.content.owner_name = "J. de Vries";
  s.content.start_date = sys_days{year{2026} / 3 / 1};
  s.content.due_date = sys_days{year{2026} / 9 / 1};
  return s;
}

// One store with the example organisations and `family_count` families of four members, shared by
// every benchmark in the process (made once, on first use).
struct environment {
  testing::temp_dir dir;
  std::optional<keys::keyring> keyring;
  std::unique_ptr<store::store> db;
  std::unique_ptr<audit::keyring_signer> signer;
  std::unique_ptr<audit::journal> audit;  // the audit log (audit.db)
  std::unique_ptr<cases::case_store> cases;
  std::vector<std::string> families;
  std::vector<keys::pseudonym> subjects;  // 4 per family, in family order
  std::atomic<std::uint64_t> next_ref{0};

  environment() {
    const std::string pass = "bench passphrase";
    auto source = keys::kek_source::from_passphrase(
        keys::secret_bytes::copy_of(
            {reinterpret_cast<const unsigned char*>(pass.data()), pass.size()}),
        keys::argon2_limits::minimum());
    keyring.emplace(keys::keyring::create(dir / "keyring.toml", source).value());
    db = store::store::open(dir.path(), keyring->reveal_database_key_for_sqlcipher()).value();
    signer = std::make_unique<audit::keyring_signer>(keyring->audit_signer());
    audit =
        audit::journal::open(dir.path(), keyring->reveal_database_key_for_sqlcipher(), *db, *signer)
            .value();
    cases = std::make_unique<cases::case_store>(*keyring);
    const auto bsns = sample_bsns(family_count * 4);
    db->writes()
        .run([&](store::connection& c) -> result<void> {
          for (const char* org : {"wijkteam", "schuldhulp", "ggz"}) {
            auto r = cases->sync_organisation(c, org, org, org, false);
            if (!r) return r;
          }
          for (std::size_t f = 0; f < family_count; ++f) {
            cases::family_registration reg;
            reg.gezinsmanager = {"gm-" + std::to_string(f % 40), "Gezinsmanager"};
            const char* labels[] = {"moeder", "vader", "zoon", "dochter"};
            for (std::size_t m = 0; m < 4; ++m) {
              cases::new_member nm;
              nm.pseudonym =
                  keyring->pseudonymiser().pseudonymise(keys::bsn::parse(bsns[f * 4 + m]).value());
              nm.role = m < 2 ? policy::member_role::parent : policy::member_role::child;
              nm.label = labels[m];
              nm.date_of_birth = sys_days{year{m < 2 ? 1984 : 2012} / 5 / 17};
              if (m >= 2) nm.gezag_holder_labels = {"moeder", "vader"};
              subjects.push_back(nm.pseudonym);
              reg.members.push_back(std::move(nm));
            }
            auto done = cases->register_family(c, "wijkteam", reg, 1'780'000'000);
            if (!done) return done.error();
            families.push_back(done->family_id);
          }
          return {};
        })
        .value();
  }

  std::string next_source_ref() { return "bench-" + std::to_string(next_ref++); }
};

environment& env() {
  static environment e;
  return e;
}

// One submission through store.writes().submit(), waiting for its durable outcome as an API
// request does (the HTTP handler answers from `done`). With Threads(N), N submitters run at once
// and the writer commits whatever is queued as one batch; `batch` is the mean batch size seen.
void submit_loop(benchmark::State& state, bool with_audit) {
  auto& e = env();
  const auto before = e.db->writes().stats();
  std::size_t i = static_cast<std::size_t>(state.thread_index()) * 7919;
  benchmark::IterationCount done_here = 0;
  for (auto _ : state) {
    // Families 0-15 are kept for the read benchmarks, whose counts must stay exact.
    const auto& subject = e.subjects[reserved * 4 + i++ % (e.subjects.size() - reserved * 4)];
    auto sub = submission_for(subject, e.next_source_ref());
    std::promise<result<void>> outcome;
    auto staged = std::make_shared<audit::staged_entry>();
    e.db->writes().submit(
        [&e, sub = std::move(sub), with_audit, staged](store::connection& c) -> result<void> {
          auto done = e.cases->submit(c, "schuldhulp", sub, 1'780'000'000);
          if (!done) return done.error();
          if (!with_audit) return {};
          audit::audit_entry entry;
          entry.actor_org = "schuldhulp";
          entry.action = "contribution.submit";
          entry.resource = {"contribution", done->contribution_id};
          entry.family_id = done->family_id;
          entry.subjects = {sub.subject->to_hex()};
          entry.request_id = "bench";
          auto id = e.audit->stage(c, entry);
          if (!id) return id.error();
          *staged = {*id, std::move(entry)};
          return {};
        },
        [&e, &outcome, staged, with_audit](result<void> r) {
          // As the API does (api::write_then_send): the entry is handed to the audit writer and
          // the answer leaves once the case commit, which holds the staged entry, is durable.
          if (r && with_audit)
            e.audit->append_staged(staged->outbox_id, std::move(staged->entry),
                                   [](result<std::int64_t>) {});
          outcome.set_value(std::move(r));
        },
        store::writer::rerun::allowed);  // as api::write_then_send's writes
    if (!outcome.get_future().get()) state.SkipWithError("submit failed");
    // The last submission of each thread also waits until the log has every entry: the audit
    // writer must keep up inside the measured time, not after it.
    if (with_audit && ++done_here == state.max_iterations) e.audit->settle_now();
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    const auto after = e.db->writes().stats();
    const auto batches = after.batches - before.batches;
    if (batches > 0)
      state.counters["batch"] =
          static_cast<double>(after.items - before.items) / static_cast<double>(batches);
  }
}

void BM_store_submit(benchmark::State& state) { submit_loop(state, false); }
BENCHMARK(BM_store_submit)->Threads(1)->Threads(16)->Threads(64)->UseRealTime();

// The same with the audit entry as the API makes it durable: staged in the case transaction, then
// appended to audit.db by its own writer (hash chain, subjects, a signed checkpoint every 100
// entries) while the next submissions run: the whole store-side cost of POST /v1/contributions.
void BM_store_submit_with_audit(benchmark::State& state) { submit_loop(state, true); }
BENCHMARK(BM_store_submit_with_audit)->Threads(1)->Threads(16)->Threads(64)->UseRealTime();

// A family with exactly n contributions, spread over its members and four organisations.
const std::string& family_with(std::size_t n) {
  static std::map<std::size_t, std::string> made;
  static std::mutex mutex;
  const std::lock_guard lock(mutex);
  auto it = made.find(n);
  if (it != made.end()) return it->second;
  auto& e = env();
  const std::size_t f = made.size();
  e.db->writes()
      .run([&](store::connection& c) -> result<void> {
        for (std::size_t k = 0; k < n; ++k) {
          auto sub = submission_for(e.subjects[f * 4 + k % 4],
                                    "read-" + std::to_string(f) + "-" + std::to_string(k));
          const char* orgs[] = {"wijkteam", "schuldhulp", "ggz"};
          auto done = e.cases->submit(c, orgs[k % 3], sub,
                                      1'780'000'000 + static_cast<cases::unix_seconds>(k));
          if (!done) return done.error();
        }
        return {};
      })
      .value();
  return made.emplace(n, e.families[f]).first->second;
}

// Everything a view of one family reads from the store: the family (members, sealed labels), all
// its contributions, each payload opened. Policy and JSON come on top (see plan_bench).
void BM_family_read(benchmark::State& state) {
  auto& e = env();
  const std::string id = family_with(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto got = e.db->reads().with([&](store::connection& c) -> result<std::size_t> {
      auto family = e.cases->load_family(c, id);
      if (!family) return family.error();
      auto contributions = e.cases->family_contributions(c, id);
      if (!contributions) return contributions.error();
      return contributions->size();
    });
    if (!got || *got != static_cast<std::size_t>(state.range(0)))
      state.SkipWithError("family read failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_family_read)->Arg(10)->Arg(50)->Arg(200);

// The same read from 4 threads at once (the reader pool has 4 connections, as in production).
BENCHMARK(BM_family_read)->Arg(50)->Threads(4)->UseRealTime();

// A read after a write to the case database: SQLite drops a WAL reader's whole page cache when its
// file changed, so the read fetches every page again from the OS and SQLCipher decrypts and
// authenticates each one. Before the audit log had a file of its own, every view was followed by
// such a write (its audit entry); now only case writes cause it. The write is not timed.
void BM_family_read_after_write(benchmark::State& state) {
  auto& e = env();
  const std::string id = family_with(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    auto wrote = e.db->writes().run([](store::connection& c) -> result<void> {
      return c.execute("UPDATE organisations SET name = name WHERE id = 'ggz'");
    });
    state.ResumeTiming();
    auto got = e.db->reads().with([&](store::connection& c) -> result<std::size_t> {
      auto family = e.cases->load_family(c, id);
      if (!family) return family.error();
      auto contributions = e.cases->family_contributions(c, id);
      if (!contributions) return contributions.error();
      return contributions->size();
    });
    if (!wrote || !got || *got != static_cast<std::size_t>(state.range(0)))
      state.SkipWithError("family read failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_family_read_after_write)->Arg(10)->Arg(50)->Arg(200);

}  // namespace

BENCHMARK_MAIN();
