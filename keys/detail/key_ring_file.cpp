#include "keys/detail/key_ring_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <optional>
#include <set>
#include <sstream>

#include "keys/detail/hex.hpp"

namespace sluis::keys::detail {

namespace {

constexpr std::int64_t format_version = 1;

std::optional<key_status> parse_status(std::string_view text) {
  for (auto s : {key_status::primary, key_status::active, key_status::retired})
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::optional<kek_kind> parse_kind(std::string_view text) {
  for (auto k : {kek_kind::passphrase, kek_kind::key_file})
    if (to_string(k) == text) return k;
  return std::nullopt;
}

error corrupt(const std::filesystem::path& file, std::string_view what) {
  return error::corrupt("keyring " + file.string() + ": " + std::string(what));
}

template <class T>
std::optional<T> get(const toml::table& table, std::string_view key) {
  return table[key].value<T>();
}

std::optional<std::uint32_t> get_version(const toml::table& table, std::string_view key) {
  const auto value = get<std::int64_t>(table, key);
  if (!value || *value < 1 || *value > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(*value);
}

std::optional<std::vector<unsigned char>> get_hex(const toml::table& table, std::string_view key) {
  const auto text = get<std::string>(table, key);
  if (!text) return std::nullopt;
  return from_hex(*text);
}

result<kek_entry> read_kek(const toml::table& t, const std::filesystem::path& file) {
  kek_entry entry;
  const auto version = get_version(t, "version");
  const auto status = parse_status(get<std::string>(t, "status").value_or(""));
  const auto created = get<std::string>(t, "created");
  if (!version || !status || !created) return corrupt(file, "a [[kek]] entry is incomplete");
  entry.version = *version;
  entry.status = *status;
  entry.created = *created;
  if (entry.status != key_status::retired) {
    auto wrapped = get_hex(t, "wrapped");
    if (!wrapped)
      return corrupt(file, "kek version " + std::to_string(entry.version) + " has no wrapped key");
    entry.wrapped = std::move(*wrapped);
  }
  return entry;
}

result<system_key_entry> read_system_key(const toml::table& t, const std::filesystem::path& file) {
  system_key_entry entry;
  const auto id = get<std::string>(t, "id");
  const auto version = get_version(t, "version");
  const auto status = parse_status(get<std::string>(t, "status").value_or(""));
  const auto kek_version = get_version(t, "kek_version");
  const auto created = get<std::string>(t, "created");
  auto wrapped = get_hex(t, "wrapped");
  if (!id || !version || !status || !kek_version || !created || !wrapped)
    return corrupt(file, "a [[system_key]] entry is incomplete");
  entry.id = *id;
  entry.version = *version;
  entry.status = *status;
  entry.kek_version = *kek_version;
  entry.created = *created;
  entry.wrapped = std::move(*wrapped);
  return entry;
}

result<void> read_source(const toml::table& root, keyring_document& doc,
                         const std::filesystem::path& file) {
  const toml::table* source = root["kek_source"].as_table();
  if (source == nullptr) return corrupt(file, "missing [kek_source]");
  const auto kind = parse_kind(get<std::string>(*source, "kind").value_or(""));
  if (!kind) return corrupt(file, "unknown kek_source kind");
  doc.kind = *kind;
  if (doc.kind == kek_kind::key_file) return {};
  auto salt = get_hex(*source, "salt");
  const auto ops = get<std::int64_t>(*source, "opslimit");
  const auto mem = get<std::int64_t>(*source, "memlimit");
  if (!salt || !ops || !mem || *ops < 0 || *mem < 0)
    return corrupt(file, "[kek_source] needs salt, opslimit and memlimit");
  if (salt->size() != crypto_pwhash_SALTBYTES) return corrupt(file, "the salt has the wrong size");
  doc.salt = std::move(*salt);
  doc.limits = {static_cast<unsigned long long>(*ops), static_cast<std::size_t>(*mem)};
  if (!doc.limits.within_bounds()) return corrupt(file, "Argon2id limits out of bounds");
  return {};
}

template <class Entry, class Reader>
result<std::vector<Entry>> read_array(const toml::table& root, std::string_view key,
                                      const std::filesystem::path& file, Reader reader) {
  std::vector<Entry> entries;
  const toml::array* array = root[key].as_array();
  if (array == nullptr) return corrupt(file, "missing [[" + std::string(key) + "]]");
  for (const toml::node& node : *array) {
    const toml::table* table = node.as_table();
    if (table == nullptr) return corrupt(file, "[[" + std::string(key) + "]] must hold tables");
    auto entry = reader(*table, file);
    if (!entry) return entry.error();
    entries.push_back(std::move(*entry));
  }
  return entries;
}

// The invariants the keyring relies on: unique versions, exactly one primary KEK, and every system
// key wrapped under a KEK version that still has its key material.
result<void> check_invariants(const keyring_document& doc, const std::filesystem::path& file) {
  std::set<std::uint32_t> versions;
  std::set<std::uint32_t> usable;
  int primaries = 0;
  for (const auto& kek : doc.keks) {
    if (!versions.insert(kek.version).second) return corrupt(file, "duplicate kek version");
    if (kek.status == key_status::primary) ++primaries;
    if (kek.status != key_status::retired) usable.insert(kek.version);
  }
  if (primaries != 1) return corrupt(file, "there must be exactly one primary kek version");
  for (const auto& key : doc.system_keys)
    if (!usable.contains(key.kek_version))
      return corrupt(file, "system key " + key.id + " is wrapped under an unusable kek version");
  return {};
}

toml::table to_toml(const keyring_document& doc) {
  toml::table source{{"kind", std::string(to_string(doc.kind))}};
  if (doc.kind == kek_kind::passphrase) {
    source.insert("salt", to_hex(doc.salt));
    source.insert("opslimit", static_cast<std::int64_t>(doc.limits.opslimit));
    source.insert("memlimit", static_cast<std::int64_t>(doc.limits.memlimit));
  }
  toml::array keks;
  for (const auto& kek : doc.keks) {
    toml::table t{{"version", static_cast<std::int64_t>(kek.version)},
                  {"status", std::string(to_string(kek.status))},
                  {"created", kek.created}};
    if (kek.status != key_status::retired) t.insert("wrapped", to_hex(kek.wrapped));
    keks.push_back(std::move(t));
  }
  toml::array system_keys;
  for (const auto& key : doc.system_keys) {
    system_keys.push_back(toml::table{{"id", key.id},
                                      {"version", static_cast<std::int64_t>(key.version)},
                                      {"status", std::string(to_string(key.status))},
                                      {"kek_version", static_cast<std::int64_t>(key.kek_version)},
                                      {"created", key.created},
                                      {"wrapped", to_hex(key.wrapped)}});
  }
  return toml::table{{"format", format_version},
                     {"kek_source", std::move(source)},
                     {"kek", std::move(keks)},
                     {"system_key", std::move(system_keys)}};
}

result<void> write_fully(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return error::io(std::string("cannot write keyring: ") + std::strerror(errno));
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

result<void> fsync_and_close(int fd) {
  const bool synced = ::fsync(fd) == 0;
  const bool closed = ::close(fd) == 0;
  if (!synced || !closed)
    return error::io(std::string("cannot flush keyring: ") + std::strerror(errno));
  return {};
}

}  // namespace

result<keyring_document> read_keyring_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    return error::not_found("keyring " + file.string() + " does not exist");
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << "not valid TOML at line " << e.source().begin.line << ", column "
          << e.source().begin.column;
    return corrupt(file, where.str());
  }
  if (get<std::int64_t>(root, "format") != format_version)
    return corrupt(file, "unknown format (expected format = 1)");
  keyring_document doc;
  if (auto ok = read_source(root, doc, file); !ok) return ok.error();
  auto keks = read_array<kek_entry>(root, "kek", file, read_kek);
  if (!keks) return keks.error();
  doc.keks = std::move(*keks);
  auto system_keys = read_array<system_key_entry>(root, "system_key", file, read_system_key);
  if (!system_keys) return system_keys.error();
  doc.system_keys = std::move(*system_keys);
  if (auto ok = check_invariants(doc, file); !ok) return ok.error();
  return doc;
}

namespace {

// For a new keyring the temp file is created exclusively too, so two processes creating the same
// keyring cannot write into each other's temp file.
result<void> write_temp_file(const std::filesystem::path& temp, std::string_view text,
                             write_mode mode) {
  const int exclusive = mode == write_mode::create_new ? O_EXCL : O_TRUNC;
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | exclusive, 0600);
  if (fd < 0 && errno == EEXIST)
    return error::conflict(temp.string() + " exists: another process is creating this keyring, " +
                           "or an earlier attempt crashed (then remove it)");
  if (fd < 0) return error::io("cannot create " + temp.string() + ": " + std::strerror(errno));
  if (auto ok = write_fully(fd, text); !ok) {
    ::close(fd);
    return ok.error();
  }
  return fsync_and_close(fd);
}

result<void> move_into_place(const std::filesystem::path& temp, const std::filesystem::path& file,
                             write_mode mode) {
  if (mode == write_mode::replace) {
    if (::rename(temp.c_str(), file.c_str()) != 0)
      return error::io("cannot replace " + file.string() + ": " + std::strerror(errno));
    return {};
  }
  // link(2) fails if FILE exists, so two concurrent creates cannot overwrite each other.
  if (::link(temp.c_str(), file.c_str()) != 0) {
    if (errno == EEXIST) return error::conflict("keyring " + file.string() + " already exists");
    return error::io("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  ::unlink(temp.c_str());
  return {};
}

result<void> fsync_directory_of(const std::filesystem::path& file) {
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return error::io("cannot open " + dir.string() + ": " + std::strerror(errno));
  return fsync_and_close(fd);
}

}  // namespace

result<void> write_keyring_file(const std::filesystem::path& file, const keyring_document& doc,
                                write_mode mode) {
  std::ostringstream text;
  text << "# Sluis keyring: wrapped keys only. Inspect with `sluis keys status`; never edit.\n"
       << to_toml(doc) << "\n";
  const std::filesystem::path temp = file.string() + ".tmp";
  auto written = write_temp_file(temp, text.str(), mode);
  if (!written && written.error().code() == errc::conflict) return written.error();  // not ours
  if (written) written = move_into_place(temp, file, mode);
  if (!written) {
    ::unlink(temp.c_str());  // A stale temp file would block the next create().
    return written.error();
  }
  // The new directory entry is durable only once the directory itself is on disk.
  return fsync_directory_of(file);
}

std::string now_rfc3339() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace sluis::keys::detail
