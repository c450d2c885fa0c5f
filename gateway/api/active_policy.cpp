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

bool write_text(const std::filesystem::path& file, std::string_view text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out.flush());
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
      new active_policy(file, std::make_shared<const policy_snapshot>(
                                  policy_snapshot{std::move(*engine), std::move(*text)})));
}

result<std::shared_ptr<const policy_snapshot>> active_policy::read_file() const {
  auto text = read_text(file_);
  if (!text) return text.error();
  auto engine = compile_policy(*text, file_.string());
  if (!engine) return engine.error();
  return std::make_shared<const policy_snapshot>(
      policy_snapshot{std::move(*engine), std::move(*text)});
}

void active_policy::adopt(std::shared_ptr<const policy_snapshot> fresh) {
  std::lock_guard lock(change_);
  state_.store(std::move(fresh));
}

result<std::string> active_policy::activate(std::string_view text) {
  auto engine = compile_policy(text, file_.string());
  if (!engine) return engine.error();
  return install(std::string(text), std::move(*engine));
}

result<std::string> active_policy::install(std::string text, policy::engine compiled) {
  std::lock_guard lock(change_);
  auto fresh = std::make_shared<const policy_snapshot>(
      policy_snapshot{std::move(compiled), std::move(text)});
  const auto old = state_.load();
  // The text in force, not the file: the file may have been edited since it was loaded.
  const auto kept = file_.string() + "." + old->engine.version();
  if (!std::filesystem::exists(kept)) {
    if (auto written = write_text(kept, old->text); !written) {
      return error::io("cannot keep the previous policy version");
    }
  }
  const auto temp = file_.string() + ".new";
  if (auto written = write_text(temp, fresh->text); !written) {
    return error::io("cannot write the policy file");
  }
  std::error_code ec;
  std::filesystem::rename(temp, file_, ec);
  if (ec) return error::io("cannot replace the policy file: " + ec.message());
  state_.store(fresh);
  return fresh->engine.version();
}

}  // namespace sluis::api
