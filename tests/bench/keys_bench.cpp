// Key benchmarks (issue 6): pseudonymising a BSN, and sealing and opening a payload with a family
// key, the two cryptographic steps on every write and every read of a contribution. Not a test:
// run from a Release build, see BENCHMARKS.md.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <string>
#include <vector>

#include "keys/bsn.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"
#include "keys/pseudonymiser.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using sluis::keys::bsn;
using sluis::keys::family_key;
using sluis::keys::keyring;
using sluis::keys::secret_bytes;

// Valid (elfproef) fictional BSNs, so the loop cycles over different inputs.
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

const keyring& bench_keyring() {
  static sluis::testing::temp_dir dir;
  static const keyring kr = [] {
    const std::string pass = "bench passphrase";
    auto source = sluis::keys::kek_source::from_passphrase(
        secret_bytes::copy_of({reinterpret_cast<const unsigned char*>(pass.data()), pass.size()}),
        sluis::keys::argon2_limits::minimum());
    return keyring::create(dir / "keyring.toml", source).value();
  }();
  return kr;
}

// The pseudonymiser alone (BLAKE2b-256, keyed), on an already validated BSN.
void BM_pseudonymise_bsn(benchmark::State& state) {
  const auto& p = bench_keyring().pseudonymiser();
  std::vector<bsn> citizens;
  for (const auto& s : sample_bsns(1024)) citizens.push_back(bsn::parse(s).value());
  std::size_t i = 0;
  for (auto _ : state) {
    auto pseudonym = p.pseudonymise(citizens[i++ % citizens.size()]);
    benchmark::DoNotOptimize(pseudonym);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_pseudonymise_bsn);

// What the JSON adapter does per BSN: validate (length, digits, elfproef) and pseudonymise.
void BM_parse_and_pseudonymise_bsn(benchmark::State& state) {
  const auto& p = bench_keyring().pseudonymiser();
  const auto texts = sample_bsns(1024);
  std::size_t i = 0;
  for (auto _ : state) {
    auto citizen = bsn::parse(texts[i++ % texts.size()]);
    auto pseudonym = p.pseudonymise(*citizen);
    benchmark::DoNotOptimize(pseudonym);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_parse_and_pseudonymise_bsn);

// Sealing a payload of state.range(0) bytes (XChaCha20-Poly1305 with a fresh random nonce). A
// contribution's sealed content (title, body, owner, dates) is typically 200–1000 bytes.
void BM_seal(benchmark::State& state) {
  const auto key = bench_keyring().new_family_key().key;
  const std::vector<unsigned char> plain(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) {
    auto sealed = key.seal("con-0123456789abcdef01234567", "fam-0123456789abcdef01234567", plain);
    benchmark::DoNotOptimize(sealed);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_seal)->Arg(64)->Arg(512)->Arg(4096);

// Opening (authenticating and decrypting) a sealed payload of state.range(0) plaintext bytes.
void BM_open(benchmark::State& state) {
  const auto key = bench_keyring().new_family_key().key;
  const std::vector<unsigned char> plain(static_cast<std::size_t>(state.range(0)), 'x');
  const auto sealed =
      key.seal("con-0123456789abcdef01234567", "fam-0123456789abcdef01234567", plain);
  for (auto _ : state) {
    auto opened = key.open("con-0123456789abcdef01234567", "fam-0123456789abcdef01234567", sealed);
    benchmark::DoNotOptimize(opened);
  }
  state.SetBytesProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_open)->Arg(64)->Arg(512)->Arg(4096);

// Unwrapping a family key from its stored form under the KEK: once per family read or write.
void BM_unwrap_family_key(benchmark::State& state) {
  const auto& kr = bench_keyring();
  const auto wrapped = kr.new_family_key().wrapped;
  for (auto _ : state) {
    auto key = kr.unwrap(wrapped);
    benchmark::DoNotOptimize(key);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_unwrap_family_key);

}  // namespace

BENCHMARK_MAIN();
