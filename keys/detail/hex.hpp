#pragma once
// Hex encoding for key files, the keyring file and pseudonyms (lower case, no separators).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluis::keys::detail {

std::string to_hex(std::span<const unsigned char> bytes);

// Decodes exactly `size` bytes into `out`; false when `hex` has another length or a non-hex
// character. Works on caller-provided (possibly secret) memory so no temporary copy is left.
bool from_hex(std::string_view hex, std::span<unsigned char> out);

// Decodes any even-length hex string; nullopt on a malformed one.
std::optional<std::vector<unsigned char>> from_hex(std::string_view hex);

}  // namespace sluis::keys::detail
