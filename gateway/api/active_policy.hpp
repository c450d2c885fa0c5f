#pragma once
// The policy in force: a compiled engine that can be swapped while requests are being decided.
//
// Requests take a snapshot (current()) and decide everything with it, so one response never mixes
// two policies, and a reload never waits for requests. reload() and activate() validate first:
// a policy with errors never replaces a good one. Thread-safe.

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "common/error.hpp"
#include "policy/engine.hpp"

namespace sluis::api {

// A policy in force together with the text it was compiled from.
struct policy_snapshot {
  policy::engine engine;
  std::string text;
};

class active_policy {
 public:
  // Compiles the policy file; errors carry every diagnostic as "FILE:LINE:COL: ..." lines.
  static result<std::unique_ptr<active_policy>> load(const std::filesystem::path& file);

  std::shared_ptr<const policy::engine> current() const {
    auto s = snapshot();
    return {s, &s->engine};
  }
  // The engine in force and its text, read together (GET /v1/policy shows the text).
  std::shared_ptr<const policy_snapshot> snapshot() const { return state_.load(); }
  const std::filesystem::path& file() const noexcept { return file_; }

  // Reads and compiles the file without putting it in force: the caller records the change in the
  // audit log first, then adopt()s it.
  result<std::shared_ptr<const policy_snapshot>> read_file() const;
  // Puts a snapshot from read_file() in force.
  void adopt(std::shared_ptr<const policy_snapshot> fresh);
  // Validates `text`, keeps the current file as FILE.<old version>, writes `text` to FILE and
  // puts it in force; returns the new version. Nothing changes when `text` has errors.
  result<std::string> activate(std::string_view text);
  // As activate(), for a text already compiled (outside any transaction) into `compiled`: the
  // privacy officer's PUT /v1/policy calls it once the audit entry of the change is durable.
  result<std::string> install(std::string text, policy::engine compiled);

 private:
  active_policy(std::filesystem::path file, std::shared_ptr<const policy_snapshot> state)
      : file_(std::move(file)), state_(std::move(state)) {}

  std::filesystem::path file_;
  std::mutex change_;  // one reload or activation at a time
  std::atomic<std::shared_ptr<const policy_snapshot>> state_;
};

// Compiles a policy text, or an errc::invalid_argument error listing every diagnostic.
result<policy::engine> compile_policy(std::string_view text, const std::string& file_name);

}  // namespace sluis::api
