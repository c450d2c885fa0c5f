#include "gateway/api/active_policy.hpp"

#include <fstream>
#include <sstream>

namespace sluis::api {
namespace {

result<std::string> read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return error::io("cannot read the policy file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

result<policy::engine> compile_policy(std::string_view text, const std::string& file_name) {
  auto compiled = policy::engine::compile(text, file_name);
  if (compiled) return std::move(*compiled);
  std::string message;
  for (const auto& d : compiled.error().items) {
    if (!message.empty()) message += "\n";
    message += d.to_string();
  }
  return error::invalid("policy", message);
}

result<std::unique_ptr<active_policy>> active_policy::load(const std::filesystem::path& file) {
  auto text = read_text(file);
  if (!text) return text.error();
  auto engine = compile_policy(*text, file.string());
  if (!engine) return engine.error();
  return std::unique_ptr<active_policy>(
      new active_policy(file, std::make_shared<const policy::engine>(std::move(*engine))));
}

result<std::string> active_policy::reload() {
  std::lock_guard lock(change_);
  auto text = read_text(file_);
  if (!text) return text.error();
  auto engine = compile_policy(*text, file_.string());
  if (!engine) return engine.error();
  auto fresh = std::make_shared<const policy::engine>(std::move(*engine));
  engine_.store(fresh);
  return fresh->version();
}

result<std::string> active_policy::activate(std::string_view text) {
  std::lock_guard lock(change_);
  auto engine = compile_policy(text, file_.string());
  if (!engine) return engine.error();
  auto fresh = std::make_shared<const policy::engine>(std::move(*engine));
  const auto old = engine_.load();
  std::error_code ec;
  std::filesystem::copy_file(file_, file_.string() + "." + old->version(),
                             std::filesystem::copy_options::skip_existing, ec);
  if (ec) return error::io("cannot keep the previous policy version: " + ec.message());
  const auto temp = file_.string() + ".new";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) return error::io("cannot write the policy file");
  }
  std::filesystem::rename(temp, file_, ec);
  if (ec) return error::io("cannot replace the policy file: " + ec.message());
  engine_.store(fresh);
  return fresh->version();
}

}  // namespace sluis::api
