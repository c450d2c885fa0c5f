#pragma once
// The login sessions of people using the web UI, in memory only.
//
// Why in memory: a session is a bearer secret with a lifetime of hours at most. Keeping sessions
// out of the store means no token (or hash of one) reaches disk or a backup, and a restart of the
// gateway simply logs everyone out, which people accept and which is the safer failure. One
// gateway process serves the web UI, so there is nothing to share between processes; the one
// consequence is that `sluis user disable|reset`, run as another process, cannot reach this map:
// the HTTP layer must re-check the account on each request (user_store::still_valid).
//
// A session is found by its token (256 random bits, 64 lowercase hex characters, sent in the
// `sluis_session` cookie). The map is keyed by the BLAKE2b hash of the token, never the token, so
// a memory dump does not yield live cookies, and looking one up does not compare tokens byte by
// byte. Each session also has a CSRF token (separate random bits) that state-changing requests
// must echo in `X-CSRF-Token`; it is not a credential by itself, so it is kept as it is and can be
// handed out again by GET /v1/session.
//
// Safe for concurrent use from any number of threads (one mutex; every operation is a map access).

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gateway/people/user_store.hpp"

namespace sluis::people {

struct session_options {
  // Ended when not used for this long ...
  std::chrono::seconds idle_timeout{15 * 60};
  // ... and in any case this long after login.
  std::chrono::seconds absolute_lifetime{8 * 60 * 60};
  // A new login beyond this many sessions of one user ends that user's least recently used one.
  std::size_t max_sessions_per_user = 10;
};

// What a request learns from its session cookie.
struct session {
  people::user user;       // the account as it was at login
  std::string csrf_token;  // 64 lowercase hex characters
  unix_seconds created_at = 0;
  unix_seconds last_used_at = 0;
  unix_seconds expires_at = 0;  // the earlier of idle and absolute expiry, as of last use
};

// Returned once by create(): the cookie value and the CSRF token for the login response.
struct new_session {
  std::string token;       // 64 lowercase hex characters: the `sluis_session` cookie value
  std::string csrf_token;  // 64 lowercase hex characters
};

class session_store {
 public:
  static constexpr std::size_t token_size = 32;  // bytes of randomness in each token

  explicit session_store(session_options options = {});
  session_store(const session_store&) = delete;
  session_store& operator=(const session_store&) = delete;

  const session_options& options() const noexcept { return options_; }

  // Starts a session for `u` (who has just passed user_store::finish_login). Also drops every
  // expired session of any user, so the map does not grow without bound.
  new_session create(const people::user& u, unix_seconds now);

  // The live session of `token`, touched (its idle timer restarts at `now`); nullopt when the
  // token is malformed, unknown, idle for idle_timeout or more, or older than absolute_lifetime.
  // An expired session is removed.
  std::optional<session> find(std::string_view token, unix_seconds now);

  // Ends the session of `token` (logout). False when there was none.
  bool destroy(std::string_view token);
  // Ends every session of the user (after disable or reset); returns how many.
  std::size_t destroy_all_for(std::string_view user_id);

  std::size_t size() const;

 private:
  void drop_expired(unix_seconds now);
  void limit_sessions_of(const std::string& user_id, const std::string& newest_key);
  bool expired(const session& s, unix_seconds now) const noexcept;

  const session_options options_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, session> by_token_hash_;
};

// Whether `presented` (the X-CSRF-Token header) equals the session's CSRF token, compared in
// constant time (sodium_memcmp). False for an empty or wrongly sized header.
bool csrf_matches(const session& s, std::string_view presented);

}  // namespace sluis::people
