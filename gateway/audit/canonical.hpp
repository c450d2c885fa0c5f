#pragma once
// The canonical encoding of an audit entry and the hash chain over it.
//
// Canonical encoding, version 1 (deterministic; changing it breaks every stored chain, so a new
// encoding needs a new domain string). Fields in this fixed order, integers big-endian:
//   seq            u64 (two's complement of the int64)
//   time           u64 (milliseconds since 1970-01-01 UTC, two's complement)
//   actor_org, actor_user, action, resource.type, resource.id, family_id     each as str
//   subjects       u32 count, then each pseudonym as str (sorted, deduplicated)
//   purpose, legal_basis, to_string(outcome.kind), outcome.code,
//   policy_version, request_id                                                each as str
//   break_glass    u8 (0 or 1)
//   detail         str holding canonical_detail(detail)
// where str = u32 byte length followed by the bytes. Length prefixes make the encoding
// unambiguous: no choice of field values can make two different entries encode alike.
//
// The chain: hash_n = BLAKE2b-256("sluis/audit/v1" || hash_{n-1} || canonical(entry_n)), with
// hash_0 = genesis_hash(), 32 zero bytes. All functions are pure and thread-safe.

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gateway/audit/audit_entry.hpp"

namespace sluis::audit {

using chain_hash = std::array<unsigned char, 32>;

// JSON text with the members of every object sorted by key (bytewise) and no whitespace. The
// same object always gives the same text, whatever order its members were inserted in.
std::string canonical_detail(const boost::json::object& detail);

std::vector<unsigned char> canonical_encoding(const audit_entry& entry);

// The sequence number at the head of a canonical encoding, or nullopt if it is too short.
std::optional<std::int64_t> encoded_seq(std::span<const unsigned char> canonical);

chain_hash genesis_hash() noexcept;

// BLAKE2b-256 over the domain string, the previous hash and the canonical encoding.
chain_hash chain_next(const chain_hash& previous, std::span<const unsigned char> canonical);

std::string to_hex(std::span<const unsigned char> bytes);

}  // namespace sluis::audit
