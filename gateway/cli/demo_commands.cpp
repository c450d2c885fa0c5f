// sluis demo load|generate: demo data and synthetic families for development and scale tests.

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>

#include "gateway/api/active_policy.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/data_dir.hpp"
#include "gateway/cli/data_dir_lock.hpp"
#include "gateway/cli/must.hpp"
#include "gateway/config/config.hpp"
#include "gateway/demo/demo_data.hpp"
#include "gateway/demo/generator.hpp"
#include "gateway/demo/loader.hpp"

namespace sluis::cli {
namespace {

demo::unix_seconds now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct load_options {
  unlock_options unlock;
  bool json = false;
};

void print_table(const demo::load_summary& s) {
  std::cout << "demo loaded: " << s.families << " families (" << s.members << " members), "
            << s.organisations << " organisations with " << s.contributions << " contributions, "
            << s.consents << " consents, " << s.grounds << " coordination ground, " << s.break_glass
            << " active break-the-glass, " << s.logins.size() << " users\n\n";
  std::cout << "Families (fictional):\n";
  for (const auto& f : s.loaded) {
    std::cout << "  " << std::left << std::setw(16) << f.label << std::setw(12) << f.gezinsmanager
              << f.family_id << "\n";
  }
  std::cout << "\nDemo logins. Password for every one: " << demo::demo_password
            << "\nThe TOTP secrets are shown now and never again: add them to an authenticator "
               "app (or compute codes from them).\n\n";
  std::cout << "  " << std::left << std::setw(13) << "login" << std::setw(17) << "role"
            << std::setw(17) << "organisation" << std::setw(34) << "TOTP secret"
            << "what to try\n";
  for (const auto& l : s.logins) {
    std::cout << "  " << std::left << std::setw(13) << l.id << std::setw(17) << l.role
              << std::setw(17) << l.organisation << std::setw(34) << l.totp_secret_base32 << l.shows
              << "\n";
  }
  std::cout << "\notpauth URIs (paste into an authenticator app, or make a QR code of them):\n";
  for (const auto& l : s.logins) std::cout << "  " << l.otpauth_uri << "\n";
}

// For scripts such as the browser test: the same facts as one JSON object.
void print_json(const demo::load_summary& s) {
  boost::json::array families;
  for (const auto& f : s.loaded) {
    families.push_back(
        {{"family_id", f.family_id}, {"label", f.label}, {"gezinsmanager", f.gezinsmanager}});
  }
  boost::json::array users;
  for (const auto& l : s.logins) {
    users.push_back({{"id", l.id},
                     {"organisation", l.organisation},
                     {"role", l.role},
                     {"display_name", l.display_name},
                     {"password", l.password},
                     {"totp_secret", l.totp_secret_base32},
                     {"otpauth_uri", l.otpauth_uri}});
  }
  std::cout << boost::json::serialize(boost::json::object{{"families", std::move(families)},
                                                          {"users", std::move(users)}})
            << "\n";
}

void run_load(const load_options& o) {
  const auto lock = must(data_dir_lock::acquire(o.unlock.data_dir, "sluis demo load"));
  const auto cfg = must(config::load(o.unlock.data_dir));
  const auto policy = must(api::active_policy::load(cfg.policy_file));
  auto opened = must(open_data_dir(o.unlock, audit_access::write,
                                   static_cast<std::int64_t>(cfg.audit_checkpoint_interval)));
  const auto summary = must(demo::load(*opened.store, opened.keyring, cfg, policy->current(),
                                       *opened.audit, now_seconds()));
  if (o.json) {
    print_json(summary);
  } else {
    print_table(summary);
  }
}

struct generate_options {
  unlock_options unlock;
  std::size_t families = 0;
  std::uint64_t seed = 1;
  std::size_t batch = 500;
};

void run_generate(const generate_options& o) {
  const auto lock = must(data_dir_lock::acquire(o.unlock.data_dir, "sluis demo generate"));
  const auto cfg = must(config::load(o.unlock.data_dir));
  auto opened = must(open_data_dir(o.unlock, audit_access::write,
                                   static_cast<std::int64_t>(cfg.audit_checkpoint_interval)));
  const auto policy = must(api::active_policy::load(cfg.policy_file));
  demo::generate_options options;
  options.families = o.families;
  options.seed = o.seed;
  options.contributions_per_batch = o.batch;
  auto last_print = std::chrono::steady_clock::now();
  options.on_progress = [&](const demo::generate_progress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_print < std::chrono::seconds{2} && p.families < p.families_total) return;
    last_print = now;
    std::cout << "  " << p.families << "/" << p.families_total << " families, " << p.contributions
              << " contributions, " << static_cast<long long>(p.contributions_per_second())
              << " contributions/s\n"
              << std::flush;
  };
  const auto s = must(demo::generate(*opened.store, opened.keyring, cfg, policy->current(),
                                     *opened.audit, now_seconds(), options));
  const double seconds = s.progress.elapsed.count();
  std::cout << "generated " << s.progress.families << " families (" << s.members << " members, "
            << s.progress.contributions << " contributions, " << s.consents << " consents, "
            << s.grounds << " coordination grounds) in " << std::fixed << std::setprecision(1)
            << seconds << " s, " << s.batches
            << " transactions: " << static_cast<long long>(s.progress.contributions_per_second())
            << " contributions/s, "
            << static_cast<long long>(
                   seconds > 0 ? static_cast<double>(s.progress.families) / seconds : 0)
            << " families/s\n";
}

}  // namespace

void add_demo_commands(CLI::App& app) {
  auto* demo_cmd = app.add_subcommand("demo", "Demo data and synthetic families (development)");
  demo_cmd->require_subcommand(1);

  auto lo = std::make_shared<load_options>();
  auto* load = demo_cmd->add_subcommand(
      "load",
      "Load the demo families (modelled on DOMAIN.md's stories), consents, a coordination "
      "ground, a break-the-glass and demo users for every role; prints the logins once. "
      "Refuses to load twice");
  add_unlock_options(*load, lo->unlock);
  load->add_flag("--json", lo->json, "Print the families and logins as one JSON object");
  load->callback([lo] { run_load(*lo); });

  auto go = std::make_shared<generate_options>();
  auto* generate = demo_cmd->add_subcommand(
      "generate",
      "Add N synthetic families (3-15 organisations, 1-40 contributions each) for load and "
      "scale tests");
  add_unlock_options(*generate, go->unlock);
  generate->add_option("--families", go->families, "How many families")
      ->required()
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  generate->add_option("--seed", go->seed, "Seed of the shapes and texts")->capture_default_str();
  generate->add_option("--batch", go->batch, "Contributions per write transaction")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  generate->callback([go] { run_generate(*go); });
}

}  // namespace sluis::cli
