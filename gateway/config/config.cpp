#include "gateway/config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace sluis::config {
namespace {

// Collects "FILE:LINE:COLUMN: message" errors; the first one is returned.
class reader {
 public:
  reader(std::string file, std::filesystem::path data_dir)
      : file_(std::move(file)), data_dir_(std::move(data_dir)) {}

  void fail(const toml::node& at, const std::string& message) { fail(at.source(), message); }
  void fail(const toml::source_region& at, const std::string& message) {
    if (first_error_) return;
    std::ostringstream out;
    out << file_ << ":" << at.begin.line << ":" << at.begin.column << ": " << message;
    first_error_ = out.str();
  }
  void fail_file(const std::string& message) {
    if (!first_error_) first_error_ = file_ + ": " + message;
  }
  bool failed() const { return first_error_.has_value(); }
  const std::string& message() const { return *first_error_; }

  void allow_only(const toml::table& table, std::initializer_list<std::string_view> keys,
                  std::string_view where) {
    for (const auto& [key, node] : table) {
      if (std::find(keys.begin(), keys.end(), key.str()) == keys.end()) {
        std::string allowed;
        for (auto k : keys) allowed += (allowed.empty() ? "" : ", ") + std::string(k);
        fail(key.source(), "unknown key '" + std::string(key.str()) + "' in " + std::string(where) +
                               " (known keys: " + allowed + ")");
      }
    }
  }

  template <class T>
  void read(const toml::table& table, std::string_view key, T& out) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return;
    if constexpr (std::is_same_v<T, bool>) {
      if (auto v = node->value_exact<bool>()) return void(out = *v);
      fail(*node, std::string(key) + " must be true or false");
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (auto v = node->value_exact<std::string>()) return void(out = *v);
      fail(*node, std::string(key) + " must be a string");
    } else if constexpr (std::is_same_v<T, double>) {
      if (auto v = node->value<double>(); v && *v > 0) return void(out = *v);
      fail(*node, std::string(key) + " must be a positive number");
    } else if constexpr (std::is_same_v<T, std::chrono::seconds>) {
      if (auto v = node->value_exact<std::int64_t>(); v && *v > 0 && *v <= 86400)
        return void(out = std::chrono::seconds(*v));
      fail(*node, std::string(key) + " must be a whole number of seconds between 1 and 86400");
    } else {
      static_assert(std::is_integral_v<T>);
      auto v = node->value_exact<std::int64_t>();
      if (v && *v >= 0 && static_cast<std::uint64_t>(*v) <= std::numeric_limits<T>::max())
        return void(out = static_cast<T>(*v));
      fail(*node, std::string(key) + " must be a whole number between 0 and " +
                      std::to_string(std::numeric_limits<T>::max()));
    }
  }

  void read_path(const toml::table& table, std::string_view key, std::filesystem::path& out) {
    std::string value;
    read(table, key, value);
    if (!value.empty()) {
      std::filesystem::path p(value);
      out = p.is_absolute() ? p : data_dir_ / p;
    }
  }

  const toml::table* section(const toml::table& root, std::string_view name) {
    const toml::node* node = root.get(name);
    if (node == nullptr) return nullptr;
    if (const toml::table* t = node->as_table()) return t;
    fail(*node, "[" + std::string(name) + "] must be a table");
    return nullptr;
  }

 private:
  std::string file_;
  std::filesystem::path data_dir_;
  std::optional<std::string> first_error_;
};

bool is_lower_hex(std::string_view s, std::size_t length) {
  return s.size() == length && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

void read_organisation(reader& r, const toml::table& t, gateway_config& config) {
  r.allow_only(t, {"id", "name", "sector", "professional_secrecy", "contact", "certificate"},
               "[[organisation]]");
  organisation org;
  r.read(t, "id", org.id);
  r.read(t, "name", org.name);
  r.read(t, "sector", org.sector);
  r.read(t, "professional_secrecy", org.professional_secrecy);
  r.read(t, "contact", org.contact);
  if (org.id.empty() || org.name.empty() || org.sector.empty()) {
    r.fail(t, "an organisation needs id, name and sector");
    return;
  }
  const bool id_ok = std::all_of(org.id.begin(), org.id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!id_ok) r.fail(t, "organisation id '" + org.id + "' may hold only a-z, 0-9 and '-'");
  if (config.find(org.id) != nullptr) r.fail(t, "organisation id '" + org.id + "' is used twice");

  if (const toml::node* cert = t.get("certificate"); cert != nullptr && cert->is_table()) {
    const toml::table& c = *cert->as_table();
    r.allow_only(c, {"oin", "sha256"}, "certificate");
    std::string oin, sha;
    r.read(c, "oin", oin);
    r.read(c, "sha256", sha);
    if (!oin.empty()) org.certificate_oin = oin;
    if (!sha.empty()) {
      std::erase(sha, ':');
      std::transform(sha.begin(), sha.end(), sha.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      if (!is_lower_hex(sha, 64)) r.fail(*cert, "certificate.sha256 must be 64 hex digits");
      org.certificate_sha256 = sha;
    }
  }
  if (!org.certificate_oin && !org.certificate_sha256) {
    r.fail(t, "organisation '" + org.id +
                  "' needs certificate.oin or certificate.sha256 to be recognised");
  }
  config.organisations.push_back(std::move(org));
}

}  // namespace

const organisation* gateway_config::find_by_certificate(std::string_view serial_number,
                                                        std::string_view sha256) const {
  if (!serial_number.empty()) {
    for (const auto& org : organisations)
      if (org.certificate_oin && *org.certificate_oin == serial_number) return &org;
  }
  if (!sha256.empty()) {
    for (const auto& org : organisations)
      if (org.certificate_sha256 && *org.certificate_sha256 == sha256) return &org;
  }
  return nullptr;
}

const organisation* gateway_config::find(std::string_view id) const {
  for (const auto& org : organisations)
    if (org.id == id) return &org;
  return nullptr;
}

result<gateway_config> parse(std::string_view text, const std::string& file_name,
                             const std::filesystem::path& data_dir) {
  toml::table root;
  try {
    root = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream out;
    out << file_name << ":" << e.source().begin.line << ":" << e.source().begin.column << ": "
        << e.description();
    return error::invalid("config", out.str());
  }

  reader r(file_name, data_dir);
  gateway_config config;
  r.allow_only(root, {"server", "tls", "web", "audit", "policy", "organisation"},
               "the configuration");
  if (const toml::table* s = r.section(root, "server")) {
    r.allow_only(*s,
                 {"listen", "port", "threads", "max_connections", "max_connections_per_address",
                  "header_limit_bytes", "body_limit_bytes", "handshake_timeout_seconds",
                  "header_timeout_seconds", "read_timeout_seconds", "idle_timeout_seconds",
                  "shutdown_deadline_seconds", "rate_limit_per_second", "rate_limit_burst"},
                 "[server]");
    auto& srv = config.server;
    r.read(*s, "listen", srv.listen);
    r.read(*s, "port", srv.port);
    r.read(*s, "threads", srv.threads);
    r.read(*s, "max_connections", srv.max_connections);
    r.read(*s, "max_connections_per_address", srv.max_connections_per_address);
    r.read(*s, "header_limit_bytes", srv.header_limit_bytes);
    r.read(*s, "body_limit_bytes", srv.body_limit_bytes);
    r.read(*s, "handshake_timeout_seconds", srv.handshake_timeout);
    r.read(*s, "header_timeout_seconds", srv.header_timeout);
    r.read(*s, "read_timeout_seconds", srv.read_timeout);
    r.read(*s, "idle_timeout_seconds", srv.idle_timeout);
    r.read(*s, "shutdown_deadline_seconds", srv.shutdown_deadline);
    r.read(*s, "rate_limit_per_second", srv.rate_limit_per_second);
    r.read(*s, "rate_limit_burst", srv.rate_limit_burst);
  }
  if (const toml::table* t = r.section(root, "tls")) {
    r.allow_only(*t, {"certificate", "private_key", "client_ca"}, "[tls]");
    r.read_path(*t, "certificate", config.tls.certificate);
    r.read_path(*t, "private_key", config.tls.private_key);
    r.read_path(*t, "client_ca", config.tls.client_ca);
  }
  if (config.tls.certificate.empty() || config.tls.private_key.empty() ||
      config.tls.client_ca.empty()) {
    r.fail_file("[tls] needs certificate, private_key and client_ca");
  }
  if (const toml::table* w = r.section(root, "web")) {
    r.allow_only(*w, {"session_idle_timeout_seconds", "session_lifetime_seconds"}, "[web]");
    r.read(*w, "session_idle_timeout_seconds", config.web.session_idle_timeout);
    r.read(*w, "session_lifetime_seconds", config.web.session_lifetime);
  }
  if (const toml::table* a = r.section(root, "audit")) {
    r.allow_only(*a, {"checkpoint_interval"}, "[audit]");
    r.read(*a, "checkpoint_interval", config.audit_checkpoint_interval);
  }
  if (const toml::table* p = r.section(root, "policy")) {
    r.allow_only(*p, {"file"}, "[policy]");
    r.read_path(*p, "file", config.policy_file);
  }
  if (const toml::node* orgs = root.get("organisation")) {
    if (const toml::array* list = orgs->as_array(); list != nullptr && list->is_array_of_tables()) {
      for (const auto& node : *list) read_organisation(r, *node.as_table(), config);
    } else {
      r.fail(*orgs, "organisations are written as [[organisation]] tables");
    }
  }
  if (r.failed()) return error::invalid("config", r.message());
  return config;
}

result<gateway_config> load(const std::filesystem::path& data_dir) {
  const auto file = data_dir / config_file_name;
  std::ifstream in(file);
  if (!in) return error::io("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string(), data_dir);
}

}  // namespace sluis::config
