#include "gateway/backup/key_register.hpp"

#include <boost/json.hpp>

#include "common/durable_file.hpp"
#include "gateway/backup/hex.hpp"

namespace sluis::backup {
namespace json = boost::json;
namespace {

constexpr std::string_view format = "sluis-key-register/1";
// The sealed keys are bound to these as associated data, as a family's payloads are to theirs.
constexpr std::string_view sealed_record = "key-register";
constexpr std::string_view sealed_family = "-";

json::array rows_to_json(const std::vector<key_row>& rows) {
  json::array out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back(json::array{json::string(r.owner), json::string(r.key_id), r.kek_version,
                              json::string(to_hex(r.wrapped)), r.created_at});
  return out;
}

result<std::vector<key_row>> rows_from_json(const json::value& v) {
  std::vector<key_row> rows;
  for (const auto& item : v.as_array()) {
    const auto& a = item.as_array();
    key_row r{std::string(a.at(0).as_string()),
              std::string(a.at(1).as_string()),
              a.at(2).as_int64(),
              {},
              a.at(4).as_int64()};
    bool ok = false;
    r.wrapped = bytes_from_hex(a.at(3).as_string(), ok);
    if (!ok) return error::corrupt("the key register holds a malformed key");
    rows.push_back(std::move(r));
  }
  return rows;
}

struct envelope {
  std::string signed_line;  // line 1, as signed
  json::object body;
  std::string signature_hex;
};

result<envelope> read_envelope(const std::filesystem::path& file) {
  auto text = read_whole_file(file);
  if (!text) return text.error();
  const auto bad = [&] { return error::corrupt(file.string() + " is not a Sluis key register"); };
  const auto newline = text->find('\n');
  if (newline == std::string::npos) return bad();
  envelope e{text->substr(0, newline), {}, std::string(trimmed(text->substr(newline + 1)))};
  boost::system::error_code ec;
  auto doc = json::parse(e.signed_line, ec);
  if (ec || !doc.is_object()) return bad();
  e.body = std::move(doc.as_object());
  const auto* f = e.body.if_contains("format");
  if (!f || !f->is_string() || f->as_string() != format) return bad();
  return e;
}

}  // namespace

result<void> write_key_register(const std::filesystem::path& file, const key_register& reg,
                                std::string_view keyring_toml, const keys::keyring& keyring) {
  const std::string keys_text =
      json::serialize(json::object{{"family_keys", rows_to_json(reg.family_keys)},
                                   {"subject_keys", rows_to_json(reg.subject_keys)}});
  auto sealing = keyring.new_family_key();
  const auto sealed = sealing.key.seal(
      sealed_record, sealed_family,
      {reinterpret_cast<const unsigned char*>(keys_text.data()), keys_text.size()});
  keyring.forget_family_key(sealing.wrapped.key_id);
  const std::string line =
      json::serialize(json::object{{"format", format},
                                   {"taken_at", reg.taken_at},
                                   {"keyring", keyring_toml},
                                   {"sealing_key",
                                    {{"key_id", sealing.wrapped.key_id},
                                     {"kek_version", sealing.wrapped.kek_version},
                                     {"wrapped", to_hex(sealing.wrapped.wrapped)}}},
                                   {"sealed", to_hex(sealed)}});
  const auto signature = keyring.audit_signer().sign(
      {reinterpret_cast<const unsigned char*>(line.data()), line.size()});
  return write_file_durably(file, line + "\n" + to_hex(signature) + "\n", 0600);
}

result<std::string> keyring_of_register(const std::filesystem::path& file) {
  auto e = read_envelope(file);
  if (!e) return e.error();
  const auto* keyring = e->body.if_contains("keyring");
  if (!keyring || !keyring->is_string())
    return error::corrupt(file.string() + " is not a Sluis key register");
  return std::string(keyring->as_string());
}

result<key_register> open_key_register(const std::filesystem::path& file,
                                       const keys::keyring& keyring) {
  auto e = read_envelope(file);
  if (!e) return e.error();
  keys::ed25519_signature signature{};
  if (!from_hex(e->signature_hex, signature) ||
      !keys::verify(
          keyring.audit_signer().public_key(),
          {reinterpret_cast<const unsigned char*>(e->signed_line.data()), e->signed_line.size()},
          signature))
    return error::crypto(file.string() +
                         " is not signed by its keyring: the key register was "
                         "changed or damaged");
  try {
    const auto& k = e->body.at("sealing_key").as_object();
    keys::wrapped_family_key wrapped{std::string(k.at("key_id").as_string()),
                                     static_cast<std::uint32_t>(k.at("kek_version").as_int64()),
                                     {}};
    bool wrapped_ok = false, sealed_ok = false;
    wrapped.wrapped = bytes_from_hex(k.at("wrapped").as_string(), wrapped_ok);
    const auto sealed = bytes_from_hex(e->body.at("sealed").as_string(), sealed_ok);
    if (!wrapped_ok || !sealed_ok)
      return error::corrupt(file.string() + " holds malformed sealed keys");
    auto key = keyring.unwrap(wrapped);
    if (!key) return key.error();
    auto opened = key->open(sealed_record, sealed_family, sealed);
    keyring.forget_family_key(wrapped.key_id);
    if (!opened) return opened.error();
    const auto doc = json::parse(
        std::string_view(reinterpret_cast<const char*>(opened->data()), opened->size()));
    key_register reg;
    reg.taken_at = e->body.at("taken_at").as_int64();
    auto families = rows_from_json(doc.at("family_keys"));
    if (!families) return families.error();
    auto subjects = rows_from_json(doc.at("subject_keys"));
    if (!subjects) return subjects.error();
    reg.family_keys = std::move(*families);
    reg.subject_keys = std::move(*subjects);
    return reg;
  } catch (const std::exception&) {
    return error::corrupt(file.string() + " is not a well-formed key register");
  }
}

}  // namespace sluis::backup
