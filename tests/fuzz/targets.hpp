#pragma once
// The fuzz targets' entry points, one per input surface. Each takes arbitrary bytes, must never
// crash, hang or trip a sanitizer, and returns 0 (libFuzzer's convention). The libFuzzer
// executables (built with SLUIS_FUZZ=ON and clang) and fuzz_replay_test (the normal build, which
// replays tests/fuzz/corpus/<target>/) call the same functions.
//
// Not thread-safe: each target keeps process-wide state built on first use (a keyring, a gateway).

#include <cstddef>
#include <cstdint>

namespace sluis::fuzz {

// policy::engine::compile on the input as a policy text; a compiled policy also decides a record.
int policy_parser(const std::uint8_t* data, std::size_t size);

// The partner API bodies: the first byte picks registration, member or contribution; the rest is
// the JSON body handed to adapters/json.
int json_bodies(const std::uint8_t* data, std::size_t size);

// keys::bsn::parse, checked against an independent elfproef.
int bsn(const std::uint8_t* data, std::size_t size);

// api::gateway_handler over a real store in a temp dir: the first byte picks the peer (none, a
// configured organisation, a certificate of no organisation); the rest is a raw HTTP/1.1 request,
// parsed with Beast under the server's limits and handed to the handler.
int http_handler(const std::uint8_t* data, std::size_t size);

}  // namespace sluis::fuzz
