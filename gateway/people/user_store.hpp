#pragma once
// The accounts of the people who use the web UI, in the encrypted store (table `users`).
//
// A user's id is their login and also the professional id partner systems send for them
// (X-Sluis-User), so (organisation, id) names the same person on both paths. Passwords are kept as
// Argon2id strings (crypto_pwhash_str, salt and limits included). The TOTP secret is sealed with a
// data key of its own, wrapped under the keyring's KEK like a family key: a copy of the decrypted
// database alone does not yield it, and a reset crypto-shreds the old one.
//
// Write functions run inside a store writer work item (the caller's transaction) and either do
// everything or return an error. Read functions take any connection. A user_store holds only a
// reference to the keyring and immutable options: share it across threads.
//
// Login, for the HTTP layer (POST /v1/session):
//   1. check_login() on a reader connection, on any thread: the Argon2id work (tens of
//      milliseconds and 64 MiB) stays off the single writer thread. It writes nothing.
//   2. finish_login() in a writer work item, with the audit entry: records the failure (and the
//      lock-out), or claims the TOTP step for a success. Claiming is atomic, so two requests
//      racing with the same code cannot both log in.
// verify_login() does both on one connection inside a write transaction (command line, tests).

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "gateway/people/totp.hpp"
#include "keys/kek.hpp"
#include "keys/key_ring.hpp"

namespace sluis::store {
class connection;
}

namespace sluis::people {

// The standard roles of policy/vocabulary.hpp, in its order.
enum class role { gezinsmanager, procesmanager, professional, privacy_officer, admin };

// "gezinsmanager", "procesmanager", "professional", "privacy-officer", "admin": the role ids of
// the policy and of the API's `role` fields.
std::string_view to_string(role r) noexcept;
// errc::invalid_argument (field "role") for anything else, listing the known roles.
result<role> parse_role(std::string_view text);

// An account as anyone may see it: no password hash, no TOTP secret, no throttling state.
struct user {
  std::string id;
  std::string organisation;
  people::role role = role::professional;
  std::string display_name;  // personal data: show it to its owner, never log or audit it
  bool disabled = false;
  unix_seconds created_at = 0;
  // Goes up by one whenever the password, the TOTP secret or the disabled flag changes: a session
  // made under an older generation is no longer valid (see still_valid).
  std::int64_t generation = 1;
  std::optional<unix_seconds> last_login_at;

  friend bool operator==(const user&, const user&) = default;
};

struct new_user {
  std::string id;
  std::string organisation;  // must be in the configuration (and so in the organisations table)
  people::role role = role::professional;
  std::string display_name;
};

// The second factor as the person enrols it in an authenticator app. Shown once (by `sluis user
// add|reset`) and never again: the store cannot give it back in this form.
struct enrolment {
  std::string secret_base32;  // 32 characters: the 20-byte secret, RFC 4648 without padding
  std::string otpauth_uri;    // otpauth://totp/Sluis:<id>?secret=...&issuer=Sluis&...
};

struct user_store_options {
  // Argon2id cost for new password hashes. Existing hashes carry their own limits, so changing
  // this never locks anyone out. Tests may use keys::argon2_limits::minimum().
  keys::argon2_limits password_limits = keys::argon2_limits::interactive();
  // Account lock-out: `max_failures` failed logins within `failure_window` lock the account for
  // `lock_duration`. The window opens at the first failure after the previous window ended, so
  // failures straddling two windows can reach 2 * max_failures - 2 before the lock; with a TOTP
  // code behind the password that changes nothing that matters. A success resets the count.
  int max_failures = 5;
  std::chrono::seconds failure_window{15 * 60};
  std::chrono::seconds lock_duration{15 * 60};
};

// The outcome of check_login(), to be handed to finish_login(). Opaque: only the user_store can
// make one, so a caller cannot forge a success.
class login_check {
 public:
  login_check(login_check&&) noexcept = default;
  login_check& operator=(login_check&&) noexcept = default;

 private:
  friend class user_store;
  enum class verdict { unknown_user, locked, refused, accepted };
  login_check() = default;

  verdict verdict_ = verdict::unknown_user;
  std::string user_id_;
  std::string password_hash_;  // the hash that was checked, so a reset in between is noticed
  std::uint64_t totp_step_ = 0;
};

class user_store {
 public:
  static constexpr std::size_t min_password_size = 12;
  static constexpr std::size_t max_password_size = 1024;
  static constexpr std::size_t max_id_size = 64;
  static constexpr std::size_t max_display_name_size = 200;
  static constexpr std::size_t totp_secret_size = 20;

  // `keyring` must outlive the user_store.
  explicit user_store(const keys::keyring& keyring, user_store_options options = {});
  user_store(const user_store&) = delete;
  user_store& operator=(const user_store&) = delete;

  // Creates the account with a fresh TOTP secret and returns its enrolment. The id is 1 to 64
  // letters, digits and - _ . @ (the rule for X-Sluis-User); the password 12 to 1024 bytes; the
  // display name 1 to 200 characters without control characters. errc::invalid_argument (naming
  // the field, never echoing the value) for those, or for an organisation not in the store;
  // errc::conflict when the id exists.
  result<enrolment> add(store::connection& db, const new_user& u, std::string_view password,
                        unix_seconds now) const;

  // Every account, ordered by id.
  result<std::vector<user>> list(store::connection& db) const;
  // errc::not_found for an unknown id.
  result<user> find(store::connection& db, std::string_view id) const;

  // Refuses every later login. Sessions are in memory, so the caller must also end them
  // (session_store::destroy_all_for) or, from another process, rely on still_valid(). Disabling
  // a disabled account succeeds and changes nothing. errc::not_found for an unknown id.
  result<void> disable(store::connection& db, std::string_view id, unix_seconds now) const;

  // Sets a new password and a new TOTP secret (the old secret's key is overwritten), and clears
  // the lock-out. A disabled account stays disabled. The caller must end the user's sessions (as
  // for disable). Errors as add() for the password, errc::not_found for an unknown id.
  result<enrolment> reset(store::connection& db, std::string_view id, std::string_view password,
                          unix_seconds now) const;

  // Step 1 of a login; see the file comment. Only store errors are returned as errors; bad
  // credentials are a verdict inside the result. An unknown id, a disabled account, a wrong
  // password and a wrong or reused code all take one Argon2id verification, so timing does not
  // tell them apart. A locked account is not checked at all.
  result<login_check> check_login(store::connection& db, std::string_view id,
                                  std::string_view password, std::string_view code,
                                  unix_seconds now) const;

  // Step 2, inside a write transaction. Returns the user on success. Otherwise, with the same
  // message for every cause ("unknown user, wrong password or wrong code"):
  //   errc::unauthenticated: any bad credential (unknown id, disabled, wrong password, wrong or
  //                          already used code); a failure of an existing account is counted;
  //   errc::rate_limited:    the account is locked (now or by this failure); try again later.
  // Note that rate_limited tells a caller that the id exists; the HTTP layer should throttle per
  // submitted id as well (login_throttle), so unknown ids are throttled alike.
  result<user> finish_login(store::connection& db, const login_check& check,
                            unix_seconds now) const;

  // Whether a session that was made for `at_login` may still be used: the account exists, is not
  // disabled, and its password and secret are unchanged since (same generation). For every request
  // of a person: `sluis user disable|reset` runs as another process and cannot end the server's
  // in-memory sessions itself. One indexed read.
  result<bool> still_valid(store::connection& db, const user& at_login) const;

  // check_login() and finish_login() on one connection, inside a write transaction.
  result<user> verify_login(store::connection& db, std::string_view id, std::string_view password,
                            std::string_view code, unix_seconds now) const;

  // Re-wraps every TOTP key under the keyring's primary KEK version; returns how many. Must run
  // after keyring::rotate() and before retiring an older version (as cases::case_store::
  // rewrap_keys does for family keys), or the secrets wrapped under it are lost.
  result<std::size_t> rewrap_keys(store::connection& db) const;

 private:
  struct sealed_secret;
  sealed_secret seal_new_secret(const std::string& id, enrolment& shown) const;
  const std::string& dummy_hash() const;

  const keys::keyring& keyring_;
  const user_store_options options_;
  // A hash of a random password, verified against when the id is unknown, so that an unknown id
  // takes as long as a known one. Made on first use.
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_hash_;
};

// The otpauth:// URI for `secret_base32` of account `id` (percent-encoded).
std::string otpauth_uri(std::string_view id, std::string_view secret_base32);

}  // namespace sluis::people
