#pragma once
// The byte form of sealed content: compact JSON, sealed with the family key before it is stored.
// Decoding rejects anything that is not what encoding produced (errc::corrupt).

#include <span>
#include <vector>

#include "common/error.hpp"
#include "gateway/case/model.hpp"

namespace sluis::cases {

std::vector<unsigned char> encode(const member_content& content);
std::vector<unsigned char> encode(const contribution_content& content);
std::vector<unsigned char> encode(const gezinsmanager_ref& gezinsmanager);
std::vector<unsigned char> encode(const family_content& family);

result<member_content> decode_member(std::span<const unsigned char> bytes);
result<contribution_content> decode_contribution(std::span<const unsigned char> bytes);
result<gezinsmanager_ref> decode_gezinsmanager(std::span<const unsigned char> bytes);
// Also reads what encode(gezinsmanager_ref) wrote before families had labels (label empty).
result<family_content> decode_family(std::span<const unsigned char> bytes);

// "YYYY-MM-DD"
std::string format_date(date d);
result<date> parse_date(std::string_view text);

}  // namespace sluis::cases
