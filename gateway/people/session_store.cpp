#include "gateway/people/session_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <vector>

#include "keys/secret_bytes.hpp"

namespace sluis::people {
namespace {

constexpr std::size_t hex_size = session_store::token_size * 2;

std::string random_hex() {
  keys::ensure_sodium();
  std::array<unsigned char, session_store::token_size> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::string hex(hex_size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  sodium_memzero(raw.data(), raw.size());
  hex.resize(hex_size);
  return hex;
}

bool well_formed(std::string_view token) {
  return token.size() == hex_size && std::all_of(token.begin(), token.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
         });
}

// The map key of a token: its BLAKE2b-256 hash, as raw bytes.
std::string token_hash(std::string_view token) {
  keys::ensure_sodium();
  std::string hash(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(hash.data()), hash.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  return hash;
}

}  // namespace

session_store::session_store(session_options options) : options_(options) {}

bool session_store::expired(const session& s, unix_seconds now) const noexcept {
  return now - s.last_used_at >= options_.idle_timeout.count() ||
         now - s.created_at >= options_.absolute_lifetime.count();
}

new_session session_store::create(const people::user& u, unix_seconds now) {
  new_session fresh{random_hex(), random_hex()};
  session s;
  s.user = u;
  s.csrf_token = fresh.csrf_token;
  s.created_at = now;
  s.last_used_at = now;
  s.expires_at =
      std::min(now + options_.idle_timeout.count(), now + options_.absolute_lifetime.count());
  std::lock_guard lock(mutex_);
  drop_expired(now);
  const std::string key = token_hash(fresh.token);
  by_token_hash_.emplace(key, std::move(s));
  limit_sessions_of(u.id, key);
  return fresh;
}

std::optional<session> session_store::find(std::string_view token, unix_seconds now) {
  if (!well_formed(token)) return std::nullopt;
  const std::string key = token_hash(token);
  std::lock_guard lock(mutex_);
  const auto it = by_token_hash_.find(key);
  if (it == by_token_hash_.end()) return std::nullopt;
  session& s = it->second;
  if (expired(s, now)) {
    by_token_hash_.erase(it);
    return std::nullopt;
  }
  s.last_used_at = std::max(s.last_used_at, now);
  s.expires_at = std::min(s.last_used_at + options_.idle_timeout.count(),
                          s.created_at + options_.absolute_lifetime.count());
  return s;
}

bool session_store::destroy(std::string_view token) {
  if (!well_formed(token)) return false;
  const std::string key = token_hash(token);
  std::lock_guard lock(mutex_);
  return by_token_hash_.erase(key) == 1;
}

std::size_t session_store::destroy_all_for(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  return std::erase_if(by_token_hash_,
                       [&](const auto& kv) { return kv.second.user.id == user_id; });
}

std::size_t session_store::size() const {
  std::lock_guard lock(mutex_);
  return by_token_hash_.size();
}

void session_store::drop_expired(unix_seconds now) {
  std::erase_if(by_token_hash_, [&](const auto& kv) { return expired(kv.second, now); });
}

void session_store::limit_sessions_of(const std::string& user_id, const std::string& newest_key) {
  // The new session is always kept; the others compete by last use.
  std::vector<decltype(by_token_hash_)::iterator> mine;
  for (auto it = by_token_hash_.begin(); it != by_token_hash_.end(); ++it) {
    if (it->second.user.id == user_id && it->first != newest_key) mine.push_back(it);
  }
  const std::size_t keep =
      options_.max_sessions_per_user == 0 ? 0 : options_.max_sessions_per_user - 1;
  if (mine.size() <= keep) return;
  std::sort(mine.begin(), mine.end(), [](const auto& a, const auto& b) {
    return a->second.last_used_at < b->second.last_used_at;
  });
  const std::size_t excess = mine.size() - keep;
  for (std::size_t i = 0; i < excess; ++i) by_token_hash_.erase(mine[i]);
}

bool csrf_matches(const session& s, std::string_view presented) {
  if (presented.size() != s.csrf_token.size() || presented.empty()) return false;
  return sodium_memcmp(presented.data(), s.csrf_token.data(), presented.size()) == 0;
}

}  // namespace sluis::people
