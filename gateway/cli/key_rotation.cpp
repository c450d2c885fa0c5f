#include "gateway/cli/key_rotation.hpp"

#include "gateway/case/case_store.hpp"
#include "gateway/cli/operator_entry.hpp"
#include "gateway/people/user_store.hpp"

namespace sluis::cli {

result<rotation_report> rotate_keys(keys::keyring& keyring, audit::journal& journal,
                                    bool retire_old) {
  rotation_report report;
  auto done = journal.write_now(
      [&](store::connection& db, audit::audit_entry& e) -> result<void> {
        report.from_version = keyring.primary_kek_version();
        if (auto rotated = keyring.rotate(); !rotated) return rotated;
        report.to_version = keyring.primary_kek_version();
        auto count = cases::case_store(keyring).rewrap_keys(db);
        if (!count) return count.error();
        // TOTP secrets are sealed under keys of their own, wrapped under the KEK like family keys.
        auto totp = people::user_store(keyring).rewrap_keys(db);
        if (!totp) return totp.error();
        report.rewrapped = *count + *totp;
        e.detail = {{"from_version", report.from_version},
                    {"to_version", report.to_version},
                    {"rewrapped_data_keys", report.rewrapped},
                    {"retire_old", retire_old}};
        return {};
      },
      operator_entry("keys.rotate", "key", "kek"));
  if (!done) return done.error();
  if (!retire_old) return report;
  // Every key is now wrapped under the primary, and every new one will be: nothing is wrapped
  // under the older versions any more.
  for (const auto& kek : keyring.status().kek_versions) {
    if (kek.status != keys::key_status::active) continue;
    auto retired =
        keyring.retire(kek.version, keys::retire_confirmation::nothing_is_wrapped_under_it);
    if (!retired) return retired.error();
    report.retired.push_back(kek.version);
  }
  return report;
}

std::string to_text(const rotation_report& report, const keys::keyring& keyring) {
  std::string out = "new primary KEK version " + std::to_string(report.to_version) +
                    "; re-wrapped " + std::to_string(report.rewrapped) +
                    " data keys without re-encrypting records\n";
  for (const auto version : report.retired)
    out += "retired KEK version " + std::to_string(version) + "\n";
  return out + keyring.status().to_text();
}

}  // namespace sluis::cli
