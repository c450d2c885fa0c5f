// sluis serve: the gateway in the foreground until SIGTERM or SIGINT; SIGHUP reloads the TLS
// certificates, the organisations of config.toml and the policy.

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "common/log.hpp"
#include "gateway/api/gateway_handler.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/audit/key_ring_signer.hpp"
#include "gateway/backup/backup.hpp"
#include "gateway/cli/commands.hpp"
#include "gateway/cli/control_socket.hpp"
#include "gateway/cli/data_dir.hpp"
#include "gateway/cli/data_dir_lock.hpp"
#include "gateway/cli/key_rotation.hpp"
#include "gateway/cli/must.hpp"
#include "gateway/cli/operator_entry.hpp"
#include "gateway/cli/organisations.hpp"
#include "gateway/cli/service_manager.hpp"
#include "gateway/http/server.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"

namespace sluis::cli {
namespace {

struct serve_options {
  unlock_options unlock;
  std::optional<std::uint16_t> port;
  std::optional<std::string> listen;
};

http::server_config server_config_from(const config::gateway_config& cfg) {
  const auto& s = cfg.server;
  http::server_config out;
  out.bind_address = s.listen;
  out.port = s.port;
  if (s.threads != 0) out.threads = s.threads;
  out.header_limit = s.header_limit_bytes;
  out.body_limit = s.body_limit_bytes;
  out.handshake_timeout = s.handshake_timeout;
  out.header_timeout = s.header_timeout;
  out.read_timeout = s.read_timeout;
  out.idle_timeout = s.idle_timeout;
  out.max_connections = s.max_connections;
  out.max_connections_per_address = s.max_connections_per_address;
  out.rate_limit_per_second = s.rate_limit_per_second;
  out.rate_limit_burst = s.rate_limit_burst;
  out.tls = {cfg.tls.certificate, cfg.tls.private_key, cfg.tls.client_ca};
  return out;
}

// Appends an entry that belongs to no request (refused handshakes, policy reloads) without
// waiting for it; a failure is logged.
void audit_async(audit::journal& journal, audit::audit_entry entry) {
  journal.append(std::move(entry), [](const result<std::int64_t>& r) {
    if (!r) log::error("audit.append_failed", {{"error", to_string(r.error().code())}});
  });
}

void register_store_metrics(http::metrics_registry& m, store::store& st, audit::journal& journal) {
  using kind = http::metrics_registry::kind;
  m.register_callback("sluis_store_write_queue_depth", "Case store writes waiting for the writer",
                      kind::gauge,
                      [&st] { return static_cast<double>(st.writes().stats().queued); });
  m.register_callback("sluis_audit_write_queue_depth", "Audit entries waiting to be written",
                      kind::gauge,
                      [&journal] { return static_cast<double>(journal.waiting_appends()); });
  m.register_callback(
      "sluis_audit_append_failures_total",
      "Audit log writes (one or more entries each) that failed: views were answered 503, a "
      "write's entry stays staged until a restart, and writes are refused until then",
      kind::counter,
      [&journal] { return static_cast<double>(journal.writer_stats().failed_items); });
  m.register_callback("sluis_store_write_batches_total", "Committed write batches", kind::counter,
                      [&st] { return static_cast<double>(st.writes().stats().batches); });
  m.register_callback("sluis_store_write_items_total", "Committed write items", kind::counter,
                      [&st] { return static_cast<double>(st.writes().stats().items); });
  m.register_callback("sluis_store_write_batch_size_last", "Items in the last committed batch",
                      kind::gauge,
                      [&st] { return static_cast<double>(st.writes().stats().last_batch); });
  m.register_callback("sluis_store_write_batch_size_max", "Items in the largest committed batch",
                      kind::gauge,
                      [&st] { return static_cast<double>(st.writes().stats().max_batch); });
  m.register_callback("sluis_audit_write_batches_total", "Committed audit log batches",
                      kind::counter,
                      [&journal] { return static_cast<double>(journal.writer_stats().batches); });
  m.register_callback("sluis_audit_sequence", "Sequence number of the newest audit entry",
                      kind::gauge, [&journal] {
                        return journal.reads().with([](store::connection& db) {
                          auto q = db.cached("SELECT coalesce(max(seq), 0) FROM audit_log");
                          if (!q || !(*q)->step()) return -1.0;
                          return static_cast<double>((*q)->column_int64(0));
                        });
                      });
}

// Readiness and room, for alerts (deploy/prometheus/sluis-alerts.yml).
void register_gateway_metrics(http::metrics_registry& m, api::services& services,
                              const std::filesystem::path& data_dir) {
  using kind = http::metrics_registry::kind;
  m.register_callback("sluis_ready", "1 when GET /readyz answers 200, else 0", kind::gauge,
                      [&services] { return api::check_readiness(services).ready() ? 1.0 : 0.0; });
  m.register_callback(
      "sluis_http_max_connections", "The connection cap ([server] max_connections)", kind::gauge,
      [&services] {
        return static_cast<double>(services.config.current()->server.max_connections);
      });
  const auto space = [data_dir](bool available) {
    return [data_dir, available] {
      std::error_code ec;
      const auto s = std::filesystem::space(data_dir, ec);
      if (ec) return -1.0;
      return static_cast<double>(available ? s.available : s.capacity);
    };
  };
  m.register_callback("sluis_data_dir_available_bytes",
                      "Bytes free for the gateway on the data directory's file system", kind::gauge,
                      space(true));
  m.register_callback("sluis_data_dir_capacity_bytes",
                      "Size of the data directory's file system in bytes", kind::gauge,
                      space(false));
  m.register_callback(
      "sluis_backup_last_success_timestamp_seconds",
      "Unix time of the last successful `sluis backup` of this data directory (0: none yet)",
      kind::gauge, [data_dir] { return static_cast<double>(backup::last_backup_time(data_dir)); });
}

// SIGHUP, for config.toml: its [[organisation]] entries (ids, names, sectors, certificate pins)
// are put in force; everything else in it keeps its start-up value until a restart. The store's
// organisations table and the audit entry are written first, so that a new organisation's first
// request finds its row; then requests that start use the new list. A file with errors changes
// nothing.
void reload_organisations(api::active_config& in_force, const std::filesystem::path& data_dir,
                          const cases::case_store& cases, audit::journal& journal) {
  auto e = operator_entry("config.reload", "config", config::config_file_name);
  auto fresh = config::load(data_dir);
  if (!fresh) {
    e.outcome = {audit::outcome_kind::refused, "config_invalid"};
    log::error("config.reload_failed",
               {{"error", fresh.error().message()}, {"field", fresh.error().field()}});
    audit_async(journal, std::move(e));
    return;
  }
  auto next = in_force.with_organisations_of(*fresh);
  e.detail = {{"organisations", next->organisations.size()}};
  auto written =
      journal.write_now([&](store::connection& db,
                            audit::audit_entry&) { return sync_organisations(db, cases, *next); },
                        e);
  if (!written) {
    log::error("config.reload_failed", {{"error", written.error().message()}});
    return;
  }
  in_force.adopt(std::move(next));
  log::info("config.reloaded",
            {{"organisations", std::to_string(fresh->organisations.size())},
             {"note", "only [[organisation]] entries take effect without a restart"}});
}

// "backup taken LAST_SEQ FAMILIES CONTRIBUTIONS" from `sluis backup` beside the gateway: its
// audit entry goes through the gateway's own journal.
result<std::string> record_backup(audit::journal& journal, const std::string& request) {
  std::istringstream words(request.substr(std::string_view("backup taken ").size()));
  std::int64_t last_seq = -1, families = -1, contributions = -1;
  words >> last_seq >> families >> contributions;
  if (!words || last_seq < 0 || families < 0 || contributions < 0 || !(words >> std::ws).eof())
    return error::invalid("request", "expected: backup taken LAST_SEQ FAMILIES CONTRIBUTIONS");
  auto seq = journal.append_now(backup_taken_entry(last_seq, families, contributions));
  if (!seq) return seq.error();
  return "recorded as audit entry " + std::to_string(*seq) + "\n";
}

void run_serve(const serve_options& o) {
  // Held until the process ends: no other command changes the directory while it serves.
  const auto lock = must(data_dir_lock::acquire(o.unlock.data_dir, "a second sluis serve"));
  auto cfg = must(config::load(o.unlock.data_dir));
  // Opening the audit log first appends whatever a crash left staged (audit/journal.hpp).
  auto opened = must(open_data_dir(o.unlock, audit_access::write,
                                   static_cast<std::int64_t>(cfg.audit_checkpoint_interval)));
  if (const auto& started = opened.audit->started(); started.recovered + started.moved > 0)
    log::info("audit.recovered", {{"staged_entries_appended", std::to_string(started.recovered)},
                                  {"entries_moved_to_audit_file", std::to_string(started.moved)}});
  if (o.port) cfg.server.port = *o.port;
  if (o.listen) cfg.server.listen = *o.listen;
  auto policy = must(api::active_policy::load(cfg.policy_file));
  auto& st = *opened.store;
  auto& journal = *opened.audit;
  if (const auto format = st.format(); format != store::current_format)
    log::warn("store.legacy_format",
              {{"file", st.file().filename().string()},
               {"sqlcipher_compatibility", std::to_string(format.compatibility)},
               {"page_size", std::to_string(format.page_size)},
               {"fix", "stop the gateway and run sluis store upgrade"}});
  const cases::case_store cases(opened.keyring);
  must(st.writes().run([&](store::connection& db) { return sync_organisations(db, cases, cfg); }));

  auto metrics = std::make_shared<http::metrics_registry>();
  register_store_metrics(*metrics, st, journal);
  api::active_config in_force(cfg);
  api::services services{in_force, opened.keyring, st, journal, *policy, *metrics};
  register_gateway_metrics(*metrics, services, o.unlock.data_dir);
  auto handler = std::make_shared<api::gateway_handler>(services);

  auto server_cfg = server_config_from(cfg);
  server_cfg.on_handshake_refused = [&journal](const http::handshake_refusal& refusal) {
    audit::audit_entry e;
    e.actor_org = "unauthenticated";
    e.action = "tls.refused";
    e.resource = {"connection", ""};
    e.outcome = {audit::outcome_kind::refused, "handshake_failed"};
    e.detail = {{"reason", refusal.reason}};
    audit_async(journal, std::move(e));
  };
  auto server = must(http::server::start(server_cfg, handler, metrics));

  // SIGHUP: reload the TLS files (for new connections; open ones keep theirs), the organisations
  // of config.toml and the policy from its file. Files with errors leave what was loaded before in
  // force.
  boost::asio::io_context signals_ioc;
  service_manager manager(signals_ioc,
                          [&services] { return api::check_readiness(services).ready(); });
  boost::asio::signal_set hangup(signals_ioc, SIGHUP);
  std::function<void(boost::system::error_code, int)> on_hangup = [&](boost::system::error_code ec,
                                                                      int) {
    if (ec) return;
    manager.reloading();
    if (auto reloaded = server->reload_tls(); reloaded) {
      log::info("tls.reloaded", {});
    } else {
      log::error("tls.reload_failed",
                 {{"error", reloaded.error().message()}, {"field", reloaded.error().field()}});
    }
    reload_organisations(in_force, o.unlock.data_dir, cases, journal);
    auto e = operator_entry("policy.reload", "policy", policy->file().filename().string());
    // Compiled here, put in force only once its audit entry is durable.
    auto fresh = policy->read_file();
    if (fresh) {
      e.policy_version = (*fresh)->engine.version();
      if (auto logged = journal.append_now(e); logged) {
        policy->adopt(*fresh);
        log::info("policy.reloaded", {{"version", e.policy_version}});
      } else {
        log::error("audit.append_failed", {{"error", to_string(logged.error().code())}});
      }
    } else {
      e.outcome = {audit::outcome_kind::refused, "policy_invalid"};
      log::error("policy.reload_failed", {{"error", fresh.error().message()}});
      audit_async(journal, std::move(e));
    }
    manager.reloaded();
    hangup.async_wait(on_hangup);
  };
  hangup.async_wait(on_hangup);
  // The control socket: `sluis keys rotate` beside the running gateway asks it to rotate here.
  const auto control = must(control_socket::listen(
      signals_ioc, o.unlock.data_dir, [&](const std::string& request) -> result<std::string> {
        if (request.starts_with("backup taken ")) return record_backup(journal, request);
        const bool retire = request == "keys rotate --retire-old";
        if (request != "keys rotate" && !retire)
          return error::invalid("request",
                                "unknown request; the gateway knows: keys rotate, backup taken");
        auto report = rotate_keys(opened.keyring, journal, retire);
        if (!report) return report.error();
        log::info("keys.rotated", {{"kek_version", std::to_string(report->to_version)}});
        return to_text(*report, opened.keyring);
      }));
  std::thread signals_thread([&] { signals_ioc.run(); });

  const auto endpoint = server->local_endpoint();
  std::cout << "Sluis is listening on https://"
            << (cfg.server.listen == "127.0.0.1" ? "localhost" : cfg.server.listen) << ":"
            << endpoint.port() << "/ (policy " << policy->current()->version()
            << "; stop with Ctrl-C)" << std::endl;
  log::info("server.started", {{"port", std::to_string(endpoint.port())},
                               {"policy_version", policy->current()->version()}});
  if (!manager.announce_ready()) log::warn("server.not_ready", {});

  server->run_until_signal(cfg.server.shutdown_deadline);
  signals_ioc.stop();
  signals_thread.join();
  manager.stopping();
  log::info("server.stopped");
  // The store's destructor drains the writer: every acknowledged write is committed.
}

}  // namespace

void add_serve_command(CLI::App& app) {
  auto o = std::make_shared<serve_options>();
  auto* cmd = app.add_subcommand("serve", "Run the gateway until SIGTERM or SIGINT");
  add_unlock_options(*cmd, o->unlock);
  cmd->add_option("--port", o->port,
                  "Port to listen on (0: any free port); overrides the "
                  "configuration");
  cmd->add_option("--listen", o->listen, "Address to listen on; overrides the configuration");
  cmd->callback([o] { run_serve(*o); });
}

}  // namespace sluis::cli
