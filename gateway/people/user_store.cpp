#include "gateway/people/user_store.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <new>

#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "keys/secret_bytes.hpp"
#include "policy/vocabulary.hpp"

namespace sluis::people {
namespace {

using bytes = std::vector<unsigned char>;
using byte_view = std::span<const unsigned char>;

// The associated-data "family id" under which a user's TOTP secret is sealed (the record id is the
// user id): a sealed secret copied to another account, or into a family, does not open.
constexpr std::string_view totp_context = "user-totp";

constexpr std::string_view generic_failure = "unknown user, wrong password or wrong code";
constexpr std::string_view locked_message =
    "too many failed logins for this account; try again later";

// Accounts have the standard roles of the vocabulary, in its order (people::role follows it).
constexpr std::size_t role_count = static_cast<std::size_t>(role::admin) + 1;

using store::bound;
using store::exec;

bool valid_id(std::string_view id) {
  return !id.empty() && id.size() <= user_store::max_id_size &&
         std::all_of(id.begin(), id.end(), [](char ch) {
           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' ||
                  ch == '.' || ch == '@';
         });
}

bool valid_display_name(std::string_view name) {
  return !name.empty() && name.size() <= user_store::max_display_name_size &&
         std::none_of(name.begin(), name.end(), [](char ch) {
           const auto c = static_cast<unsigned char>(ch);
           return c < 0x20 || c == 0x7f;
         });
}

result<void> check_password(std::string_view password) {
  if (password.size() < user_store::min_password_size ||
      password.size() > user_store::max_password_size) {
    return error::invalid("password", "must be 12 to 1024 bytes long");
  }
  return {};
}

std::string hash_password(std::string_view password, const keys::argon2_limits& limits) {
  keys::ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), limits.opslimit,
                        limits.memlimit) != 0) {
    throw std::bad_alloc();  // Argon2id could not get its memory
  }
  return out.data();
}

bool password_matches(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// Wipes a plaintext secret that a library handed back in ordinary memory.
struct wipe_on_exit {
  bytes& b;
  ~wipe_on_exit() {
    if (!b.empty()) sodium_memzero(b.data(), b.size());
  }
};

user user_of(const store::statement& st) {
  user u;
  u.id = st.column_text(0);
  u.organisation = st.column_text(1);
  // The CHECK constraint on the column admits known roles only.
  const auto r = parse_role(st.column_text(2));
  u.role = r ? *r : role::professional;
  u.display_name = st.column_text(3);
  u.disabled = st.column_int64(4) != 0;
  u.created_at = st.column_int64(5);
  u.generation = st.column_int64(6);
  u.last_login_at = st.column_optional_int64(7);
  return u;
}

constexpr std::string_view user_columns =
    "id, organisation_id, role, display_name, disabled, created_at, generation, last_login_at";

char hex_digit(unsigned v) { return "0123456789ABCDEF"[v & 0xf]; }

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex_digit(c >> 4));
      out.push_back(hex_digit(c));
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(role r) noexcept {
  const auto roles = policy::standard_roles();
  const auto i = static_cast<std::size_t>(r);
  return i < roles.size() ? roles[i].id : "unknown";
}

result<role> parse_role(std::string_view text) {
  const auto roles = policy::standard_roles();
  for (std::size_t i = 0; i < roles.size() && i < role_count; ++i) {
    if (roles[i].id == text) return static_cast<role>(i);
  }
  return error::invalid("role", "must be one of " + policy::ids_of(roles));
}

std::string otpauth_uri(std::string_view id, std::string_view secret_base32) {
  return "otpauth://totp/Sluis:" + percent_encode(id) + "?secret=" + std::string(secret_base32) +
         "&issuer=Sluis&algorithm=SHA1&digits=6&period=30";
}

struct user_store::sealed_secret {
  keys::wrapped_family_key key;
  bytes sealed;
};

user_store::user_store(const keys::keyring& keyring, user_store_options options)
    : keyring_(keyring), options_(options) {
  if (!options_.password_limits.within_bounds()) {
    throw std::invalid_argument("Argon2id limits for passwords out of bounds");
  }
}

user_store::sealed_secret user_store::seal_new_secret(const std::string& id,
                                                      enrolment& shown) const {
  const auto secret = keys::secret_bytes::random(totp_secret_size);
  auto fresh = keyring_.new_family_key();
  shown.secret_base32 = base32_encode(secret.span());
  shown.otpauth_uri = otpauth_uri(id, shown.secret_base32);
  return {std::move(fresh.wrapped), fresh.key.seal(id, totp_context, secret.span())};
}

const std::string& user_store::dummy_hash() const {
  std::call_once(dummy_once_, [this] {
    const auto random = keys::secret_bytes::random(32);
    dummy_hash_ = hash_password(base32_encode(random.span()), options_.password_limits);
  });
  return dummy_hash_;
}

result<enrolment> user_store::add(store::connection& db, const new_user& u,
                                  std::string_view password, unix_seconds now) const {
  if (!valid_id(u.id)) {
    return error::invalid("id", "must be 1 to 64 letters, digits and - _ . @");
  }
  if (!valid_display_name(u.display_name)) {
    return error::invalid("display_name", "must be 1 to 200 characters, no control characters");
  }
  if (auto ok = check_password(password); !ok) return ok.error();
  auto org = bound(db, "SELECT 1 FROM organisations WHERE id = ?", u.organisation);
  if (!org) return org.error();
  auto org_row = (*org)->step();
  if (!org_row) return org_row.error();
  if (!*org_row) return error::invalid("organisation", "is not a configured organisation");
  (*org)->reset();
  if (auto existing = find(db, u.id); existing) {
    return error::conflict("a user with this id already exists");
  } else if (existing.error().code() != errc::not_found) {
    return existing.error();
  }

  enrolment shown;
  const auto secret = seal_new_secret(u.id, shown);
  auto inserted = exec(
      db,
      "INSERT INTO users (id, organisation_id, role, display_name, password_hash, "
      "totp_key_id, totp_kek_version, totp_wrapped_key, totp_sealed, disabled, created_at, "
      "updated_at, failed_logins) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0)",
      u.id, u.organisation, to_string(u.role), u.display_name,
      hash_password(password, options_.password_limits), secret.key.key_id, secret.key.kek_version,
      byte_view(secret.key.wrapped), byte_view(secret.sealed), now, now);
  if (!inserted) return inserted.error();
  return shown;
}

result<std::vector<user>> user_store::list(store::connection& db) const {
  auto st = db.cached("SELECT " + std::string(user_columns) + " FROM users ORDER BY id");
  if (!st) return st.error();
  std::vector<user> users;
  for (;;) {
    auto row = (*st)->step();
    if (!row) return row.error();
    if (!*row) break;
    users.push_back(user_of(**st));
  }
  (*st)->reset();
  return users;
}

result<user> user_store::find(store::connection& db, std::string_view id) const {
  auto st = bound(db, "SELECT " + std::string(user_columns) + " FROM users WHERE id = ?", id);
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row) return error::not_found("no such user");
  user u = user_of(**st);
  (*st)->reset();
  return u;
}

result<void> user_store::disable(store::connection& db, std::string_view id,
                                 unix_seconds now) const {
  auto existing = find(db, id);
  if (!existing) return existing.error();
  if (existing->disabled) return {};
  return exec(
      db, "UPDATE users SET disabled = 1, generation = generation + 1, updated_at = ? WHERE id = ?",
      now, id);
}

result<bool> user_store::still_valid(store::connection& db, const user& at_login) const {
  auto current = find(db, at_login.id);
  if (!current) {
    if (current.error().code() == errc::not_found) return false;
    return current.error();
  }
  return !current->disabled && current->generation == at_login.generation;
}

result<enrolment> user_store::reset(store::connection& db, std::string_view id,
                                    std::string_view password, unix_seconds now) const {
  if (auto ok = check_password(password); !ok) return ok.error();
  if (auto existing = find(db, id); !existing) return existing.error();
  enrolment shown;
  const auto secret = seal_new_secret(std::string(id), shown);
  // The old wrapped key is overwritten (secure_delete is on): the old secret is gone for good.
  auto updated = exec(
      db,
      "UPDATE users SET password_hash = ?, totp_key_id = ?, totp_kek_version = ?, "
      "totp_wrapped_key = ?, totp_sealed = ?, totp_last_step = NULL, failed_logins = 0, "
      "failures_since = NULL, locked_until = NULL, generation = generation + 1, updated_at = ? "
      "WHERE id = ?",
      hash_password(password, options_.password_limits), secret.key.key_id, secret.key.kek_version,
      byte_view(secret.key.wrapped), byte_view(secret.sealed), now, id);
  if (!updated) return updated.error();
  return shown;
}

result<login_check> user_store::check_login(store::connection& db, std::string_view id,
                                            std::string_view password, std::string_view code,
                                            unix_seconds now) const {
  login_check check;
  check.user_id_ = std::string(id);
  if (!valid_id(id) || password.size() > max_password_size) {
    password_matches(dummy_hash(), "");  // same cost as a real check
    return check;
  }
  auto st = bound(db,
                  "SELECT password_hash, disabled, locked_until, totp_key_id, totp_kek_version, "
                  "totp_wrapped_key, totp_sealed, totp_last_step FROM users WHERE id = ?",
                  id);
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row) {
    password_matches(dummy_hash(), password);
    return check;
  }
  const auto locked_until = (*st)->column_optional_int64(2);
  if (locked_until && *locked_until > now) {
    (*st)->reset();
    check.verdict_ = login_check::verdict::locked;
    return check;
  }
  check.password_hash_ = std::string((*st)->column_text(0));
  const bool disabled = (*st)->column_int64(1) != 0;
  const auto wrapped_blob = (*st)->column_blob(5);
  const keys::wrapped_family_key wrapped{std::string((*st)->column_text(3)),
                                         static_cast<std::uint32_t>((*st)->column_int64(4)),
                                         bytes(wrapped_blob.begin(), wrapped_blob.end())};
  const auto sealed_blob = (*st)->column_blob(6);
  const bytes sealed(sealed_blob.begin(), sealed_blob.end());
  const auto last_step = (*st)->column_optional_int64(7);
  (*st)->reset();

  const bool password_ok = password_matches(check.password_hash_, password);
  auto key = keyring_.unwrap(wrapped);
  if (!key) return key.error();
  auto secret = key->open(check.user_id_, totp_context, sealed);
  if (!secret) return secret.error();
  wipe_on_exit wipe{*secret};
  const auto step =
      match_totp(*secret, code, now,
                 last_step ? std::optional<std::uint64_t>(static_cast<std::uint64_t>(*last_step))
                           : std::nullopt);
  if (password_ok && step && !disabled) {
    check.verdict_ = login_check::verdict::accepted;
    check.totp_step_ = *step;
  } else {
    check.verdict_ = login_check::verdict::refused;
  }
  return check;
}

result<user> user_store::finish_login(store::connection& db, const login_check& check,
                                      unix_seconds now) const {
  using verdict = login_check::verdict;
  if (check.verdict_ == verdict::unknown_user)
    return error::unauthenticated(std::string(generic_failure));
  if (check.verdict_ == verdict::locked)
    return error(errc::rate_limited, std::string(locked_message));
  if (check.verdict_ == verdict::accepted) {
    // Claims the step only if nothing changed since the check: the code is unused, the account
    // is still enabled, unlocked and has the password that was verified.
    auto claimed = exec(db,
                        "UPDATE users SET totp_last_step = ?, failed_logins = 0, "
                        "failures_since = NULL, locked_until = NULL, last_login_at = ? "
                        "WHERE id = ? AND disabled = 0 AND password_hash = ? AND "
                        "(totp_last_step IS NULL OR totp_last_step < ?) AND "
                        "(locked_until IS NULL OR locked_until <= ?)",
                        static_cast<std::int64_t>(check.totp_step_), now, check.user_id_,
                        check.password_hash_, static_cast<std::int64_t>(check.totp_step_), now);
    if (!claimed) return claimed.error();
    if (db.changes() == 1) return find(db, check.user_id_);
  }
  // A failure of an existing account: count it, and lock the account at the limit.
  auto st = bound(db, "SELECT failed_logins, failures_since, locked_until FROM users WHERE id = ?",
                  check.user_id_);
  if (!st) return st.error();
  auto row = (*st)->step();
  if (!row) return row.error();
  if (!*row) return error::unauthenticated(std::string(generic_failure));
  std::int64_t failures = (*st)->column_int64(0);
  std::optional<std::int64_t> since = (*st)->column_optional_int64(1);
  const auto locked_until = (*st)->column_optional_int64(2);
  (*st)->reset();
  if (locked_until && *locked_until > now) {
    return error(errc::rate_limited, std::string(locked_message));
  }
  if (!since || now - *since >= options_.failure_window.count()) {
    failures = 0;
    since = now;
  }
  ++failures;
  std::optional<std::int64_t> lock;
  if (failures >= options_.max_failures) {
    lock = now + options_.lock_duration.count();
    failures = 0;
    since.reset();
  }
  auto counted = exec(db,
                      "UPDATE users SET failed_logins = ?, failures_since = ?, locked_until = ? "
                      "WHERE id = ?",
                      failures, since, lock, check.user_id_);
  if (!counted) return counted.error();
  if (lock) return error(errc::rate_limited, std::string(locked_message));
  return error::unauthenticated(std::string(generic_failure));
}

result<user> user_store::verify_login(store::connection& db, std::string_view id,
                                      std::string_view password, std::string_view code,
                                      unix_seconds now) const {
  auto check = check_login(db, id, password, code, now);
  if (!check) return check.error();
  return finish_login(db, *check, now);
}

result<std::size_t> user_store::rewrap_keys(store::connection& db) const {
  std::vector<std::pair<std::string, keys::wrapped_family_key>> keys;
  {
    auto st = db.cached("SELECT id, totp_key_id, totp_kek_version, totp_wrapped_key FROM users");
    if (!st) return st.error();
    for (;;) {
      auto row = (*st)->step();
      if (!row) return row.error();
      if (!*row) break;
      const auto wrapped = (*st)->column_blob(3);
      keys.push_back(
          {std::string((*st)->column_text(0)),
           {std::string((*st)->column_text(1)), static_cast<std::uint32_t>((*st)->column_int64(2)),
            bytes(wrapped.begin(), wrapped.end())}});
    }
    (*st)->reset();
  }
  std::size_t count = 0;
  for (const auto& [id, key] : keys) {
    if (key.kek_version == keyring_.primary_kek_version()) continue;
    auto rewrapped = keyring_.rewrap(key);
    if (!rewrapped) return rewrapped.error();
    auto updated =
        exec(db, "UPDATE users SET totp_kek_version = ?, totp_wrapped_key = ? WHERE id = ?",
             rewrapped->kek_version, byte_view(rewrapped->wrapped), id);
    if (!updated) return updated.error();
    ++count;
  }
  return count;
}

}  // namespace sluis::people
