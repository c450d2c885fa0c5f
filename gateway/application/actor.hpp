#pragma once
// Who asks: the identity the API established before a use case runs. A partner system acts with
// role "professional", optionally for a named professional (X-Sluis-User); a person acts with the
// role of their account.

#include <string>

#include "gateway/case/case_store.hpp"
#include "gateway/config/config.hpp"
#include "policy/facts.hpp"

namespace sluis::application {

struct actor {
  const config::organisation* org = nullptr;
  std::string user;  // the professional's id; may be empty for a partner system
  std::string role;  // a role id of the policy
  bool person = false;
  std::string display_name;  // persons only; shown to themselves, never audited
  // The operator on the machine loading the demo for `org` (sluis demo load, demo generate): it
  // registered the family itself moments before, so it may name that family in a contribution of
  // another organisation, which a partner system may not (case_store::submit). Never set by the
  // API.
  bool operator_loading = false;

  // The operator loading the demo for `org` (a configured organisation), naming `user` as the
  // professional who did it.
  static actor operator_for(const config::organisation* org, std::string user);

  // The policy's view of this actor asking about `family` for `purpose`.
  policy::requester requester(const cases::stored_family& family, std::string purpose) const;
  // This actor is the family's own gezinsmanager (its organisation and user id; any role: a
  // partner system acting for that professional counts too).
  bool is_gezinsmanager_of(const cases::stored_family& family) const;
  // This actor may act for the family as its gezinsmanager does (legal grounds, members): a
  // person only with the gezinsmanager role and as that gezinsmanager; a partner system as the
  // family's own organisation.
  bool manages(const cases::stored_family& family) const;
};

}  // namespace sluis::application
