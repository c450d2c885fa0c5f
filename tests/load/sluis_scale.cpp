// sluis_scale: fills an initialised data directory (`sluis init`) with N fictional families of four
// members and M contributions each, through cases::case_store in the store's writer (the same
// sealing, keys and SQL as the partner API, without HTTP and without audit entries), for the scale
// figures of BENCHMARKS.md. Prints the build rate as it goes; with --max-seconds it stops early so
// that a build that would take too long can be measured and extrapolated honestly.
//
//   sluis_scale --data DIR --key-file DIR/kek.key --families N [--contributions 50]
//               [--ids-out FILE] [--sample 2000] [--max-seconds S] [--batch-families 100]
//   sluis_scale --data DIR --key-file DIR/kek.key --sample-only --ids-out FILE [--sample 2000]
//
// --sample-only adds nothing: it counts the families and contributions of a store made by another
// tool (`sluis demo generate`) and writes a uniform sample of its family ids for the read mix.
//
// Everything is fictional: BSNs are generated numbers that pass the elfproef.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "gateway/case/case_store.hpp"
#include "gateway/store/store.hpp"
#include "keys/bsn.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"

namespace {

using namespace sluis;
using clock_type = std::chrono::steady_clock;
using std::chrono::sys_days;
using std::chrono::year;

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "sluis_scale: " << why
            << "\nusage: sluis_scale --data DIR --key-file FILE --families N [--contributions M]\n"
               "         [--ids-out FILE] [--sample K] [--max-seconds S] [--batch-families B]\n";
  std::exit(2);
}

bool elfproef(unsigned v) {
  const std::string s = std::to_string(v);
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (9 - i) * (s[static_cast<std::size_t>(i)] - '0');
  sum -= s[8] - '0';
  return sum % 11 == 0;
}

constexpr const char* organisations[] = {
    "wijkteam-noord",         "ggz-noord",    "jeugdhulp-noord", "schuldhulp-noord",
    "woningcorporatie-noord", "werk-inkomen", "veilig-thuis",    "politie-noord"};
constexpr const char* domains[] = {"financien", "wonen",      "werk-inkomen",
                                   "opvoeding", "onderwijs",  "gezondheid",
                                   "netwerk",   "veiligheid", "psychische-gezondheid"};

std::uintmax_t store_bytes(const std::filesystem::path& dir) {
  std::uintmax_t total = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    const auto n =
        std::filesystem::file_size(dir / (std::string(store::store::file_name) + suffix), ec);
    if (!ec) total += n;
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path data, key_file, ids_out;
  std::size_t families = 0, per_family = 50, sample = 2000, batch = 100;
  double max_seconds = 0;
  bool sample_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--data")
      data = value();
    else if (a == "--key-file")
      key_file = value();
    else if (a == "--families")
      families = std::stoul(value());
    else if (a == "--contributions")
      per_family = std::stoul(value());
    else if (a == "--ids-out")
      ids_out = value();
    else if (a == "--sample")
      sample = std::stoul(value());
    else if (a == "--max-seconds")
      max_seconds = std::stod(value());
    else if (a == "--batch-families")
      batch = std::stoul(value());
    else if (a == "--sample-only")
      sample_only = true;
    else
      usage("unknown option " + a);
  }
  if (data.empty() || key_file.empty() || (families == 0 && !sample_only) || batch == 0)
    usage("--data, --key-file and --families are required");

  auto source = keys::kek_source::from_key_file(key_file);
  if (!source) usage("key file: " + std::string(source.error().what()));
  auto kr = keys::keyring::open(data / keys::keyring::default_file_name, *source);
  if (!kr) usage("keyring: " + std::string(kr.error().what()));
  auto db = store::store::open(data, kr->reveal_database_key_for_sqlcipher());
  if (!db) usage("store: " + std::string(db.error().what()));
  const cases::case_store cases(*kr);

  if (sample_only) {
    auto counted = (*db)->reads().with([&](store::connection& c) -> result<void> {
      std::int64_t counts[2] = {0, 0};
      const char* queries[] = {"SELECT count(*) FROM families",
                               "SELECT count(*) FROM contributions"};
      for (int q = 0; q < 2; ++q) {
        auto st = c.prepare(queries[q]);
        if (!st) return st.error();
        auto row = st->step();
        if (!row) return row.error();
        counts[q] = st->column_int64(0);
      }
      auto st = c.prepare("SELECT id FROM families ORDER BY random() LIMIT ?");
      if (!st) return st.error();
      st->bind(1, static_cast<std::int64_t>(sample));
      std::ofstream out(ids_out);
      for (;;) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        out << st->column_text(0) << "\n";
      }
      std::printf("STORE families=%lld contributions=%lld store_bytes=%ju\n",
                  static_cast<long long>(counts[0]), static_cast<long long>(counts[1]),
                  store_bytes(data));
      return {};
    });
    if (!counted) usage("sampling: " + std::string(counted.error().what()));
    return 0;
  }

  auto synced = (*db)->writes().run([&](store::connection& c) -> result<void> {
    for (const char* org : organisations) {
      auto r = cases.sync_organisation(c, org, org, "wijkteam", false);
      if (!r) return r;
    }
    return {};
  });
  if (!synced) usage("organisations: " + std::string(synced.error().what()));

  std::mt19937_64 rng(std::random_device{}());
  unsigned next_bsn = 100000000u + static_cast<unsigned>(rng() % 700000000u);
  auto new_bsn = [&] {
    while (!elfproef(next_bsn)) ++next_bsn;
    return keys::bsn::parse(std::to_string(next_bsn++)).value();
  };
  std::vector<std::string> ids;
  const auto t0 = clock_type::now();
  auto last_report = t0;
  std::size_t done = 0, contributions = 0, seen = 0;
  bool stopped_early = false;
  const auto now = static_cast<cases::unix_seconds>(1'780'000'000);
  while (done < families) {
    const std::size_t n = std::min(batch, families - done);
    std::vector<std::string> made;
    auto written = (*db)->writes().run([&](store::connection& c) -> result<void> {
      for (std::size_t f = 0; f < n; ++f) {
        cases::family_registration reg;
        reg.gezinsmanager = {"gm-" + std::to_string((done + f) % 500), "Gezinsmanager Schaal"};
        const char* labels[] = {"moeder", "vader", "dochter", "zoon"};
        for (int m = 0; m < 4; ++m) {
          cases::new_member nm;
          nm.pseudonym = kr->pseudonymiser().pseudonymise(new_bsn());
          nm.role = m < 2 ? policy::member_role::parent : policy::member_role::child;
          nm.label = labels[m];
          nm.date_of_birth = sys_days{year{m < 2 ? 1984 : 2012} / 5 / 17};
          if (m >= 2) nm.gezag_holder_labels = {"moeder", "vader"};
          reg.members.push_back(std::move(nm));
        }
        auto family = cases.register_family(c, "wijkteam-noord", reg, now);
        if (!family) return family.error();
        for (std::size_t k = 0; k < per_family; ++k) {
          cases::contribution_submission s;
          s.source_ref = family->family_id + "-" + std::to_string(k);
          s.subject = reg.members[k % 4].pseudonym;
          s.family_id = family->family_id;
          s.domain = domains[k % std::size(domains)];
          s.kind = static_cast<policy::record_kind>(1 + k % 5);
          s.category = k % 7 == 3 ? policy::category::special : policy::category::regular;
          s.status = "active";
          s.content.title = "Afspraak " + std::to_string(k) + " over de aanpak van het gezin";
          s.content.body =
              "Besproken met het gezin: de volgende stappen en wie ze zet. Evaluatie over zes "
              "weken, samen met de gezinsmanager en de betrokken organisaties.";
          s.content.owner_name = "Medewerker Schaal";
          s.content.due_date = sys_days{year{2027} / 1 / 15};
          auto r = cases.submit(c, organisations[(k + f) % std::size(organisations)], s,
                                now + static_cast<cases::unix_seconds>(k),
                                cases::case_store::family_named_by::operator_loading_demo);
          if (!r) return r.error();
        }
        made.push_back(family->family_id);
      }
      return {};
    });
    if (!written) usage("writing: " + std::string(written.error().what()));
    for (auto& id : made) {  // reservoir sampling: a uniform sample of every family made
      ++seen;
      if (ids.size() < sample) {
        ids.push_back(std::move(id));
      } else if (const auto j = rng() % seen; j < sample) {
        ids[j] = std::move(id);
      }
    }
    done += n;
    contributions += n * per_family;
    const auto t = clock_type::now();
    const double secs = std::chrono::duration<double>(t - t0).count();
    if (t - last_report > std::chrono::seconds(10) || done == families) {
      last_report = t;
      std::fprintf(stderr,
                   "progress families=%zu contributions=%zu seconds=%.0f families_per_s=%.1f "
                   "contributions_per_s=%.0f store_mib=%.1f\n",
                   done, contributions, secs, static_cast<double>(done) / secs,
                   static_cast<double>(contributions) / secs,
                   static_cast<double>(store_bytes(data)) / (1024.0 * 1024.0));
    }
    if (max_seconds > 0 && secs > max_seconds && done < families) {
      stopped_early = true;
      break;
    }
  }
  db->reset();  // drains the writer: everything is committed
  const double secs = std::chrono::duration<double>(clock_type::now() - t0).count();
  if (!ids_out.empty()) {
    std::shuffle(ids.begin(), ids.end(), rng);
    std::ofstream out(ids_out);
    for (const auto& id : ids) out << id << "\n";
  }
  std::printf(
      "SCALE families=%zu contributions=%zu seconds=%.1f families_per_s=%.1f "
      "contributions_per_s=%.0f store_bytes=%ju stopped_early=%s\n",
      done, contributions, secs, static_cast<double>(done) / secs,
      static_cast<double>(contributions) / secs, store_bytes(data), stopped_early ? "yes" : "no");
  return 0;
}
