#include "gateway/backup/manifest.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <fstream>
#include <set>

#include "common/durable_file.hpp"
#include "gateway/backup/hex.hpp"

namespace sluis::backup {
namespace json = boost::json;

result<file_entry> describe_file(const std::filesystem::path& dir, const std::string& name) {
  std::ifstream in(dir / name, std::ios::binary);
  if (!in) return error::corrupt(name + " is missing from the backup");
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::array<char, 1 << 16> buffer;
  file_entry entry{name, 0, {}};
  while (in) {
    in.read(buffer.data(), buffer.size());
    const auto n = static_cast<std::size_t>(in.gcount());
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()), n);
    entry.bytes += n;
  }
  if (in.bad()) return error::io("cannot read " + (dir / name).string());
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256_final(&state, digest.data());
  entry.sha256 = to_hex(digest);
  return entry;
}

namespace {

std::string to_json_text(const manifest& m) {
  json::array files;
  for (const auto& f : m.files)
    files.push_back({{"name", f.name}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  return json::serialize(json::object{
             {"format", manifest::format},
             {"taken_at", m.taken_at},
             {"audit", {{"last_seq", m.audit_last_seq}, {"head_hash", m.audit_head_hash}}},
             {"families", m.families},
             {"contributions", m.contributions},
             {"files", std::move(files)}}) +
         "\n";
}

result<manifest> parse(std::string_view text) {
  const auto bad = [] { return error::corrupt("manifest.json is not a Sluis backup manifest"); };
  boost::system::error_code ec;
  const auto doc = json::parse(text, ec);
  if (ec || !doc.is_object()) return bad();
  const auto& o = doc.as_object();
  try {
    if (o.at("format").as_string() != manifest::format) return bad();
    manifest m;
    m.taken_at = o.at("taken_at").as_int64();
    m.audit_last_seq = o.at("audit").at("last_seq").as_int64();
    m.audit_head_hash = std::string(o.at("audit").at("head_hash").as_string());
    m.families = o.at("families").as_int64();
    m.contributions = o.at("contributions").as_int64();
    for (const auto& f : o.at("files").as_array())
      m.files.push_back({std::string(f.at("name").as_string()),
                         json::value_to<std::uintmax_t>(f.at("bytes")),
                         std::string(f.at("sha256").as_string())});
    return m;
  } catch (const std::exception&) {
    return bad();
  }
}

}  // namespace

result<void> write_manifest(const std::filesystem::path& dir, const manifest& m,
                            const keys::audit_signer& signer) {
  const std::string text = to_json_text(m);
  const auto signature =
      signer.sign({reinterpret_cast<const unsigned char*>(text.data()), text.size()});
  if (auto ok = write_file_durably(dir / manifest::file_name, text, 0600); !ok) return ok;
  return write_file_durably(dir / manifest::signature_file_name, to_hex(signature) + "\n", 0600);
}

result<manifest> read_and_check(const std::filesystem::path& dir,
                                const keys::ed25519_public_key& key) {
  auto text = read_whole_file(dir / manifest::file_name);
  if (!text) return error::corrupt("no manifest.json in " + dir.string() + ": not a Sluis backup");
  auto signature_text = read_whole_file(dir / manifest::signature_file_name);
  if (!signature_text) return error::corrupt("no manifest.sig in " + dir.string());
  keys::ed25519_signature signature{};
  if (!from_hex(trimmed(*signature_text), signature) ||
      !keys::verify(key, {reinterpret_cast<const unsigned char*>(text->data()), text->size()},
                    signature))
    return error::crypto(
        "manifest.json is not signed by this keyring: the backup was changed, or "
        "belongs to another data directory");
  auto m = parse(*text);
  if (!m) return m.error();
  std::set<std::string> listed{manifest::file_name, manifest::signature_file_name};
  for (const auto& expected : m->files) {
    // Only the files a backup is made of, each once: no name may lead out of the directory.
    if (std::find(manifest::contents.begin(), manifest::contents.end(), expected.name) ==
            manifest::contents.end() ||
        !listed.insert(expected.name).second)
      return error::corrupt("manifest.json lists a file name it may not");
    auto found = describe_file(dir, expected.name);
    if (!found) return found.error();
    if (found->bytes != expected.bytes || found->sha256 != expected.sha256)
      return error::corrupt(expected.name + " differs from what the manifest lists: the backup " +
                            "was changed or damaged after it was taken");
  }
  if (listed.size() != manifest::contents.size() + 2)
    return error::corrupt("manifest.json does not list every file of a backup");
  for (const auto& present : std::filesystem::directory_iterator(dir))
    if (!listed.contains(present.path().filename().string()))
      return error::corrupt(present.path().filename().string() +
                            " is in the backup directory but not in its manifest");
  return m;
}

}  // namespace sluis::backup
