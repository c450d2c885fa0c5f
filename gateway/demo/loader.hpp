#pragma once
// `sluis demo load`: writes the demo data set (demo_data.hpp) into a data directory's store, with
// the demo users, as the partner API and the web UI would have written it.
//
// Everything goes in through the use cases partner systems and the web UI call (application/intake,
// application/legal_grounds; user_store for the accounts), validated the same way and sealed with
// fresh family keys, by the operator acting for each demo organisation (actor::operator_loading).
// One audit entry (action `demo.load`) per family sums up what its use cases did, and one per
// user, all in ONE write transaction: the demo is loaded completely or not at all. Loading twice is
// refused (errc::conflict) rather than duplicating: the first load's audit entries mark the store.
// Safe to call from any thread except the store's writer thread.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "gateway/audit/journal.hpp"
#include "gateway/config/config.hpp"
#include "gateway/people/user_store.hpp"
#include "gateway/store/store.hpp"
#include "keys/key_ring.hpp"
#include "policy/engine.hpp"

namespace sluis::demo {

using unix_seconds = std::int64_t;

// A demo login, to print once. The TOTP secret is random per load and cannot be read back later.
struct demo_login {
  std::string id;
  std::string organisation;
  std::string role;
  std::string display_name;
  std::string password;
  std::string totp_secret_base32;
  std::string otpauth_uri;
  std::string shows;  // what to try with it
};

struct loaded_family {
  std::string family_id;
  std::string label;  // "Gezin V.": fictional, printed for the operator of a demo only
  std::string gezinsmanager;
};

struct load_summary {
  std::size_t organisations = 0;  // distinct organisations with contributions
  std::size_t families = 0;
  std::size_t members = 0;
  std::size_t contributions = 0;
  std::size_t consents = 0;
  std::size_t grounds = 0;
  std::size_t break_glass = 0;
  std::vector<loaded_family> loaded;
  std::vector<demo_login> logins;
};

struct load_options {
  // Argon2id cost of the demo passwords; tests lower it to keys::argon2_limits::minimum().
  people::user_store_options users = {};
};

// Loads the demo at time `now`. errc::conflict when the demo was loaded before;
// errc::invalid_argument (field "config") when the configuration lacks an organisation the demo
// needs (deploy/config.example.toml has them all). `policy` is the policy in force, as for a real
// request: its life domains, consent validity and break-the-glass rules apply. The caller must hold
// the data directory's lock. Returns once the audit entries are in the log.
result<load_summary> load(store::store& store, const keys::keyring& keyring,
                          const config::gateway_config& config,
                          std::shared_ptr<const policy::engine> policy, audit::journal& journal,
                          unix_seconds now, const load_options& options = {});

// Whether `sluis demo load` has run on this data directory: a connection to its audit log.
result<bool> demo_loaded(store::connection& audit_db);

}  // namespace sluis::demo
