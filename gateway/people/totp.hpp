#pragma once
// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1) and the base32 text form
// (RFC 4648) in which authenticator apps take the shared secret.
//
// These are the parameters every authenticator app supports by default: HMAC-SHA1, 6 digits,
// 30-second steps counted from the Unix epoch. Stateless functions; safe from any thread.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluis::people {

using unix_seconds = std::int64_t;

inline constexpr unix_seconds totp_period = 30;
inline constexpr int totp_digits = 6;

// Base32 with the RFC 4648 alphabet (A-Z, 2-7), upper case and without '=' padding, as
// otpauth:// URIs carry it.
std::string base32_encode(std::span<const unsigned char> bytes);

// Decodes base32 in either case, with or without trailing '=' padding; nullopt for any other
// character or an impossible length. For tests and tools that compute codes from an enrolment.
std::optional<std::vector<unsigned char>> base32_decode(std::string_view text);

// RFC 4226: the HOTP value of `counter`, truncated to `digits` (6 to 8) decimal digits and
// left-padded with zeros.
std::string hotp(std::span<const unsigned char> key, std::uint64_t counter, int digits);

// The time step that contains `now` (floor(now / 30)); times before the epoch give step 0.
std::uint64_t totp_step(unix_seconds now) noexcept;

// The code an authenticator app shows at `now`.
std::string totp_code(std::span<const unsigned char> key, unix_seconds now,
                      int digits = totp_digits);

// The time step whose code equals `code`, searched in the step of `now` and one step either side
// (clock drift), and only among steps after `last_used_step`: a code is accepted once. Codes are
// compared in constant time. nullopt when nothing matches (including a code of the wrong length or
// with non-digits).
std::optional<std::uint64_t> match_totp(std::span<const unsigned char> key, std::string_view code,
                                        unix_seconds now,
                                        std::optional<std::uint64_t> last_used_step);

}  // namespace sluis::people
