#include <string_view>

#include "policy/engine.hpp"
#include "tests/fuzz/targets.hpp"

namespace sluis::fuzz {
namespace {

using namespace std::chrono_literals;

// A family with a parent, a child under gezag, a consent, a coordination ground and a
// break-the-glass grant, so that a policy that compiles exercises every legal basis.
policy::family sample_family() {
  const policy::time_point now{std::chrono::sys_days{std::chrono::year{2026} / 6 / 1}};
  policy::family f;
  f.id = "f1";
  f.members = {
      {"m1",
       "moeder",
       policy::member_role::parent,
       std::chrono::sys_days{std::chrono::year{1985} / 3 / 1},
       {}},
      {"m2",
       "dochter",
       policy::member_role::child,
       std::chrono::sys_days{std::chrono::year{2013} / 6 / 15},
       {"m1"}},
  };
  policy::consent c;
  c.id = "c1";
  c.subject_member_id = "m2";
  c.granted_by = {"m1", "m2"};
  c.recipient_organisations = {"wijkteam"};
  c.recipient_roles = {"professional", "gezinsmanager"};
  c.purposes = {"plan", "signalling"};
  c.categories = {policy::category::regular, policy::category::special};
  c.domains = {"psychische-gezondheid", "wonen"};
  c.valid_from = now - 24h * 30;
  c.valid_until = now + 24h * 30;
  f.consents.push_back(c);
  policy::coordination_ground g;
  g.id = "g1";
  g.decided_by = "pm";
  g.necessity = g.proportionality = g.subsidiarity = "reasons";
  g.family_informed_on = std::chrono::sys_days{std::chrono::year{2026} / 5 / 1};
  g.valid_from = now - 24h;
  g.valid_until = now + 24h;
  f.grounds.push_back(g);
  f.break_glass.push_back({"b1", "u1", "justification", now - 1h, now + 1h, ""});
  return f;
}

}  // namespace

int policy_parser(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto compiled = policy::engine::compile(text, "fuzz.toml");
  if (!compiled) {
    for (const auto& d : compiled.error().items) (void)d.to_string();
    return 0;
  }
  static const policy::family family = sample_family();
  const policy::time_point now{std::chrono::sys_days{std::chrono::year{2026} / 6 / 1}};
  const char* roles[] = {"professional", "gezinsmanager", "procesmanager"};
  for (const char* role : roles) {
    const policy::requester who{"u1", role, "wijkteam", "wijkteam", "plan", true};
    const auto prepared = compiled->prepare(who, family, now);
    for (const auto cat :
         {policy::category::regular, policy::category::special, policy::category::criminal}) {
      const policy::record rec{"r1",
                               "ggz",
                               "ggz",
                               cat == policy::category::special,
                               "m2",
                               "psychische-gezondheid",
                               policy::record_kind::goal,
                               cat};
      (void)prepared.decide(rec);
      (void)prepared.decide(rec, policy::level::involvement);
    }
  }
  return 0;
}

}  // namespace sluis::fuzz
