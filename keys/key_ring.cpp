#include "keys/key_ring.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "keys/detail/aead.hpp"
#include "keys/detail/hex.hpp"
#include "keys/detail/key_ring_file.hpp"

namespace sluis::keys {

namespace {

constexpr std::size_t kek_size = 32;
constexpr std::size_t system_key_size = 32;
constexpr std::string_view database_key_id = "database";
constexpr std::string_view pseudonym_key_id = "pseudonym";
constexpr std::string_view audit_signing_key_id = "audit-signing";
constexpr std::array system_key_ids{database_key_id, pseudonym_key_id, audit_signing_key_id};

using kek_map = std::map<std::uint32_t, secret_bytes>;

// A KEK version is bound to the source parameters, so changing the kind, salt or Argon2id limits
// in the file is detected even for a key-file source, whose root key does not depend on them.
detail::associated_data kek_binding(const detail::keyring_document& doc, std::uint32_t version) {
  detail::associated_data ad("sluis/kek/v1");
  ad.add(to_string(doc.kind))
      .add(doc.salt)
      .add(std::uint64_t{doc.limits.opslimit})
      .add(std::uint64_t{doc.limits.memlimit})
      .add(std::uint64_t{version});
  return ad;
}

detail::associated_data system_key_binding(std::string_view id, std::uint32_t version,
                                           std::uint32_t kek_version) {
  detail::associated_data ad("sluis/system-key/v1");
  ad.add(id).add(std::uint64_t{version}).add(std::uint64_t{kek_version});
  return ad;
}

detail::associated_data family_key_binding(std::string_view key_id, std::uint32_t kek_version) {
  detail::associated_data ad("sluis/family-key/v1");
  ad.add(key_id).add(std::uint64_t{kek_version});
  return ad;
}

std::uint32_t primary_version(const detail::keyring_document& doc) {
  const auto it = std::find_if(doc.keks.begin(), doc.keks.end(),
                               [](const auto& kek) { return kek.status == key_status::primary; });
  return it->version;  // read_keyring_file and every change keep exactly one primary
}

result<kek_map> unwrap_keks(const detail::keyring_document& doc, const secret_bytes& root_key) {
  kek_map keks;
  for (const auto& kek : doc.keks) {
    if (kek.status == key_status::retired) continue;
    auto key = detail::aead_open_secret(root_key.span(), kek.wrapped,
                                        kek_binding(doc, kek.version).bytes());
    if (!key || key->size() != kek_size) return error::crypto("wrong passphrase or key file");
    keks.emplace(kek.version, std::move(*key));
  }
  return keks;
}

result<secret_bytes> unwrap_system_key(const detail::system_key_entry& entry, const kek_map& keks,
                                       const std::filesystem::path& file) {
  auto key = detail::aead_open_secret(
      keks.at(entry.kek_version).span(), entry.wrapped,
      system_key_binding(entry.id, entry.version, entry.kek_version).bytes());
  if (!key || key->size() != system_key_size)
    return error::corrupt("keyring " + file.string() + ": system key " + entry.id +
                          " failed authentication");
  return std::move(*key);
}

result<secret_bytes> unwrap_primary_system_key(const detail::keyring_document& doc,
                                               std::string_view id, const kek_map& keks,
                                               const std::filesystem::path& file) {
  const auto it = std::find_if(doc.system_keys.begin(), doc.system_keys.end(), [&](const auto& k) {
    return k.id == id && k.status == key_status::primary;
  });
  if (it == doc.system_keys.end())
    return error::corrupt("keyring " + file.string() + ": no primary system key " +
                          std::string(id));
  return unwrap_system_key(*it, keks, file);
}

detail::system_key_entry new_system_key(std::string_view id, std::uint32_t kek_version,
                                        const secret_bytes& kek, const std::string& created) {
  const secret_bytes key = secret_bytes::random(system_key_size);
  return {
      std::string(id),
      1,
      key_status::primary,
      kek_version,
      created,
      detail::aead_seal(kek.span(), key.span(), system_key_binding(id, 1, kek_version).bytes())};
}

}  // namespace

struct keyring::state {
  std::filesystem::path file;
  detail::keyring_document doc;
  secret_bytes root_key;
  kek_map keks;  // every KEK version that is not retired, unwrapped
  secret_bytes database_key;
  std::unique_ptr<keyed_blake2b_pseudonymiser> pseudonymiser;
  std::optional<keys::audit_signer> signer;
  // rotate() and retire() change doc and keks while a running gateway unwraps family keys on other
  // threads; everything that reads them holds this shared.
  mutable std::shared_mutex mutex;
  // Family keys unwrapped so far (thread-safe on its own).
  mutable family_key_cache family_keys{family_key_cache_capacity};

  const secret_bytes& primary_kek() const { return keks.at(primary_version(doc)); }

  // Builds the unlocked state, or fails without leaving anything behind.
  static result<std::unique_ptr<state>> unlock(const std::filesystem::path& file,
                                               detail::keyring_document&& doc,
                                               secret_bytes&& root_key) {
    auto keks = unwrap_keks(doc, root_key);
    if (!keks) return keks.error();
    auto database = unwrap_primary_system_key(doc, database_key_id, *keks, file);
    if (!database) return database.error();
    auto pseudonym_key = unwrap_primary_system_key(doc, pseudonym_key_id, *keks, file);
    if (!pseudonym_key) return pseudonym_key.error();
    auto seed = unwrap_primary_system_key(doc, audit_signing_key_id, *keks, file);
    if (!seed) return seed.error();

    auto s = std::make_unique<state>();
    s->file = file;
    s->doc = std::move(doc);
    s->root_key = std::move(root_key);
    s->keks = std::move(*keks);
    s->database_key = std::move(*database);
    s->pseudonymiser = std::make_unique<keyed_blake2b_pseudonymiser>(std::move(*pseudonym_key));
    s->signer = keys::audit_signer::from_seed(*seed);
    return s;
  }
};

keyring::keyring(std::unique_ptr<state> s) noexcept : state_(std::move(s)) {}
keyring::keyring(keyring&&) noexcept = default;
keyring& keyring::operator=(keyring&&) noexcept = default;
keyring::~keyring() = default;

result<keyring> keyring::create(const std::filesystem::path& file, const kek_source& source) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec))
    return error::conflict("keyring " + file.string() + " already exists");
  detail::keyring_document doc;
  doc.kind = source.kind();
  if (doc.kind == kek_kind::passphrase) {
    doc.salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(doc.salt.data(), doc.salt.size());
    doc.limits = source.limits();
  }
  secret_bytes root_key = source.root_key(doc.salt, doc.limits);
  const secret_bytes kek = secret_bytes::random(kek_size);
  const std::string now = detail::now_rfc3339();
  doc.keks.push_back({1, key_status::primary, now,
                      detail::aead_seal(root_key.span(), kek.span(), kek_binding(doc, 1).bytes())});
  for (const auto id : system_key_ids) doc.system_keys.push_back(new_system_key(id, 1, kek, now));

  if (auto ok = detail::write_keyring_file(file, doc, detail::write_mode::create_new); !ok)
    return ok.error();
  auto s = state::unlock(file, std::move(doc), std::move(root_key));
  if (!s) return s.error();
  return keyring(std::move(*s));
}

result<keyring> keyring::open(const std::filesystem::path& file, const kek_source& source) {
  auto doc = detail::read_keyring_file(file);
  if (!doc) return doc.error();
  if (doc->kind != source.kind())
    return error::invalid("kek_source", "keyring " + file.string() + " is unlocked by a " +
                                            std::string(to_string(doc->kind)) + ", not a " +
                                            std::string(to_string(source.kind())));
  secret_bytes root_key = source.root_key(doc->salt, doc->limits);
  auto s = state::unlock(file, std::move(*doc), std::move(root_key));
  if (!s) return s.error();
  return keyring(std::move(*s));
}

keyring_status keyring::status() const {
  const std::shared_lock lock(state_->mutex);
  const auto& doc = state_->doc;
  keyring_status view;
  view.source = doc.kind;
  if (doc.kind == kek_kind::passphrase) view.limits = doc.limits;
  for (const auto& kek : doc.keks)
    view.kek_versions.push_back({kek.version, kek.status, kek.created});
  for (const auto& key : doc.system_keys)
    view.system_keys.push_back({key.id, key.version, key.status, key.kek_version, key.created});
  return view;
}

std::uint32_t keyring::primary_kek_version() const noexcept {
  const std::shared_lock lock(state_->mutex);
  return primary_version(state_->doc);
}

result<void> keyring::rotate() {
  const std::unique_lock lock(state_->mutex);
  detail::keyring_document doc = state_->doc;
  std::uint32_t newest = 0;
  for (auto& kek : doc.keks) {
    newest = std::max(newest, kek.version);
    if (kek.status == key_status::primary) kek.status = key_status::active;
  }
  const std::uint32_t version = newest + 1;
  secret_bytes kek = secret_bytes::random(kek_size);
  doc.keks.push_back(
      {version, key_status::primary, detail::now_rfc3339(),
       detail::aead_seal(state_->root_key.span(), kek.span(), kek_binding(doc, version).bytes())});
  for (auto& entry : doc.system_keys) {
    auto key = unwrap_system_key(entry, state_->keks, state_->file);
    if (!key) return key.error();
    entry.kek_version = version;
    entry.wrapped = detail::aead_seal(kek.span(), key->span(),
                                      system_key_binding(entry.id, entry.version, version).bytes());
  }
  if (auto ok = detail::write_keyring_file(state_->file, doc, detail::write_mode::replace); !ok)
    return ok.error();
  state_->doc = std::move(doc);
  state_->keks.emplace(version, std::move(kek));
  return {};
}

result<void> keyring::retire(std::uint32_t version, retire_confirmation) {
  const std::unique_lock lock(state_->mutex);
  detail::keyring_document doc = state_->doc;
  const auto it = std::find_if(doc.keks.begin(), doc.keks.end(),
                               [&](const auto& kek) { return kek.version == version; });
  if (it == doc.keks.end())
    return error::not_found("kek version " + std::to_string(version) + " does not exist");
  if (it->status == key_status::primary)
    return error::conflict("kek version " + std::to_string(version) +
                           " is the primary; rotate before retiring it");
  if (it->status == key_status::retired) return {};
  // rotate() re-wraps every system key under the new primary, so none can be under an older one.
  for (const auto& key : doc.system_keys)
    if (key.kek_version == version)
      return error::internal("system key " + key.id + " is still wrapped under kek version " +
                             std::to_string(version));
  it->status = key_status::retired;
  it->wrapped.clear();
  if (auto ok = detail::write_keyring_file(state_->file, doc, detail::write_mode::replace); !ok)
    return ok.error();
  state_->doc = std::move(doc);
  state_->keks.erase(version);  // secret_bytes wipes the KEK as it goes
  // A key unwrapped under the retired version must not outlive it in the cache: from now on it
  // opens only when the store holds it re-wrapped under a KEK that is still in force.
  state_->family_keys.clear();
  return {};
}

const keys::pseudonymiser& keyring::pseudonymiser() const noexcept {
  return *state_->pseudonymiser;
}

const keys::audit_signer& keyring::audit_signer() const noexcept { return *state_->signer; }

secret_bytes keyring::reveal_database_key_for_sqlcipher() const {
  return state_->database_key.clone();
}

new_family_key_result keyring::new_family_key() const {
  std::array<unsigned char, 16> random_id;
  randombytes_buf(random_id.data(), random_id.size());
  family_key key = family_key::generate("fk-" + detail::to_hex(random_id));
  const std::shared_lock lock(state_->mutex);
  const std::uint32_t version = primary_version(state_->doc);
  wrapped_family_key wrapped{key.key_id(), version,
                             detail::aead_seal(state_->primary_kek().span(), key.bytes(),
                                               family_key_binding(key.key_id(), version).bytes())};
  return {std::move(wrapped), std::move(key)};
}

result<family_key> keyring::unwrap(const wrapped_family_key& wrapped) const {
  const std::shared_lock lock(state_->mutex);
  return unwrap_locked(wrapped);
}

result<family_key> keyring::unwrap_locked(const wrapped_family_key& wrapped) const {
  const auto kek = state_->keks.find(wrapped.kek_version);
  if (kek == state_->keks.end())
    return error::not_found("family key is wrapped under kek version " +
                            std::to_string(wrapped.kek_version) + ", which is retired or unknown");
  if (wrapped.key_id.empty() || wrapped.key_id.size() > family_key::max_key_id_size)
    return error::invalid("key_id", "must have 1 to 64 characters");
  const auto binding = family_key_binding(wrapped.key_id, wrapped.kek_version);
  auto cached = state_->family_keys.get(
      {wrapped.key_id, wrapped.kek_version, wrapped.wrapped}, [&](std::span<unsigned char> slot) {
        return detail::aead_open_into(kek->second.span(), wrapped.wrapped, binding.bytes(), slot);
      });
  if (cached) return family_key(wrapped.key_id, std::move(cached));
  // Not in the cache: it failed to open, or every slot is in use (then it gets memory of its own).
  auto key = detail::aead_open_secret(kek->second.span(), wrapped.wrapped, binding.bytes());
  if (!key || key->size() != family_key::key_size)
    return error::crypto("family key failed authentication");
  return family_key(wrapped.key_id, std::move(*key));
}

void keyring::forget_family_key(std::string_view key_id) const {
  state_->family_keys.forget(key_id);
}

family_key_cache_stats keyring::family_key_cache_stats() const {
  return state_->family_keys.stats();
}

result<wrapped_family_key> keyring::rewrap(const wrapped_family_key& wrapped) const {
  const std::shared_lock lock(state_->mutex);
  auto key = unwrap_locked(wrapped);
  if (!key) return key.error();
  const std::uint32_t version = primary_version(state_->doc);
  return wrapped_family_key{wrapped.key_id, version,
                            detail::aead_seal(state_->primary_kek().span(), key->bytes(),
                                              family_key_binding(wrapped.key_id, version).bytes())};
}

}  // namespace sluis::keys
