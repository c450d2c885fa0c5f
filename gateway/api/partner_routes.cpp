// Partner API v1 for partner systems: families, members, contributions and involvement.
//
// An organisation reads back only its own contributions; what it may learn beyond them (which
// other organisations are involved with a family) is decided by the policy engine.

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "adapters/json/partner_api.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/application/intake.hpp"
#include "gateway/application/views.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/case/legal_store.hpp"
#include "gateway/case/policy_facts.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

constexpr std::size_t max_list = 500;

boost::json::value optional_date(const std::optional<cases::date>& d) {
  return d ? boost::json::value(cases::format_date(*d)) : boost::json::value(nullptr);
}

boost::json::object family_json(const cases::stored_family& f, std::int64_t now) {
  boost::json::array members;
  for (const auto& m : f.members) {
    boost::json::array holders;
    for (const auto& id : m.content.gezag_holder_ids) {
      const auto* h = f.member(id);
      holders.emplace_back(h != nullptr ? h->content.label : std::string("(geen lid meer)"));
    }
    members.push_back({{"member_id", m.id},
                       {"label", m.content.label},
                       {"role", cases::to_string(m.role)},
                       {"date_of_birth", cases::format_date(m.content.date_of_birth)},
                       {"age", policy::age_at(m.content.date_of_birth,
                                              policy::time_point{std::chrono::seconds(now)})},
                       {"gezag_holders", std::move(holders)}});
  }
  return {{"family_id", f.id},
          {"gezinsmanager",
           {{"organisation", f.gezinsmanager_org},
            {"user_id", f.gezinsmanager.user_id},
            {"name", f.gezinsmanager.display_name}}},
          {"label", f.label},
          {"members", std::move(members)},
          {"created_at", rfc3339(f.created_at)},
          {"updated_at", rfc3339(f.updated_at)}};
}

// The subject is named by the family's member label, never by a BSN. `family` is the family the
// contribution landed in when the caller may know it (cases::may_know_family), else null: then the
// answer is the same as for a contribution that matched no family.
boost::json::object contribution_json(const cases::stored_contribution& c,
                                      const cases::stored_family* family) {
  boost::json::value subject = nullptr;
  if (c.subject) {
    const auto* m = family != nullptr ? family->member_by_pseudonym(*c.subject) : nullptr;
    subject = m != nullptr ? boost::json::value{{"member_id", m->id}, {"label", m->content.label}}
                           : boost::json::value{{"member_id", nullptr}, {"label", nullptr}};
  }
  return {{"contribution_id", c.id},
          {"source_ref", c.source_ref},
          {"family_id",
           family == nullptr ? boost::json::value(nullptr) : boost::json::value(family->id)},
          {"subject", std::move(subject)},
          {"domain", c.domain},
          {"kind", policy::to_string(c.kind)},
          {"category", policy::to_string(c.category)},
          {"status", c.status},
          {"title", c.content.title},
          {"body", c.content.body},
          {"owner", c.content.owner_name},
          {"start_date", optional_date(c.content.start_date)},
          {"due_date", optional_date(c.content.due_date)},
          {"end_date", optional_date(c.content.end_date)},
          {"created_at", rfc3339(c.created_at)},
          {"updated_at", rfc3339(c.updated_at)},
          {"withdrawn_at", c.withdrawn_at ? boost::json::value(rfc3339(*c.withdrawn_at))
                                          : boost::json::value(nullptr)}};
}

std::vector<std::string> subject_hexes(const std::vector<cases::new_member>& members) {
  std::vector<std::string> out;
  out.reserve(members.size());
  for (const auto& m : members) out.push_back(m.pseudonym.to_hex());
  return out;
}

application::intake_context intake_of(const call& c) {
  return {c.cases, c.s.policy.current(), c.now()};
}

// Purposes are ids declared in the policy ("signalling", "plan"); the policy decides what an
// undeclared one may see (nothing).
bool valid_purpose(std::string_view purpose) {
  return !purpose.empty() && purpose.size() <= 32 &&
         std::all_of(purpose.begin(), purpose.end(),
                     [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '-'; });
}

void register_family(const call_ptr& c) {
  auto entry = entry_for(*c, "family.register", "family", "");
  auto family =
      adapters::json::parse_family_registration(c->req.body(), c->s.keyring.pseudonymiser());
  if (!family) return refuse(c, std::move(entry), family.error());
  entry.subjects = subject_hexes(family->members);
  write_then_send(c, std::move(entry),
                  [c, family = std::move(*family)](
                      store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto done = application::register_family(intake_of(*c), db, c->who, family, e);
                    if (!done) return done.error();
                    boost::json::array members;
                    for (const auto& [id, label] : done->members)
                      members.push_back({{"member_id", id}, {"label", label}});
                    auto res = json_response(
                        *c, bhttp::status::created,
                        {{"family_id", done->family_id}, {"members", std::move(members)}});
                    res.set(bhttp::field::location, "/v1/families/" + done->family_id);
                    return res;
                  });
}

void get_family(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "family.read", "family", family_id);
  read_then_send(
      c, std::move(entry),
      [c, family_id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto family = application::own_family(intake_of(*c), db, c->who, family_id);
        if (!family) return family.error();
        e.family_id = family_id;
        for (const auto& m : family->members) e.subjects.push_back(m.pseudonym.to_hex());
        return json_response(*c, bhttp::status::ok, family_json(*family, c->now()));
      });
}

void add_member(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "family.member_add", "family", family_id);
  entry.family_id = family_id;
  auto member = adapters::json::parse_member(c->req.body(), c->s.keyring.pseudonymiser());
  if (!member) return refuse(c, std::move(entry), member.error());
  entry.subjects = {member->pseudonym.to_hex()};
  write_then_send(
      c, std::move(entry),
      [c, family_id, member = std::move(*member)](store::connection& db,
                                                  audit::audit_entry& e) -> result<http::response> {
        auto added = application::add_member(intake_of(*c), db, c->who, family_id, member, e);
        if (!added) return added.error();
        auto res = json_response(*c, bhttp::status::created, {{"member_id", added->member_id}});
        res.set(bhttp::field::location, "/v1/families/" + family_id);
        return res;
      });
}

void remove_member(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  const std::string member_id = c->params.at(1);
  auto entry = entry_for(*c, "family.member_remove", "family", family_id);
  entry.family_id = family_id;
  write_then_send(c, std::move(entry),
                  [c, family_id, member_id](store::connection& db,
                                            audit::audit_entry& e) -> result<http::response> {
                    auto removed = application::remove_member(intake_of(*c), db, c->who, family_id,
                                                              member_id, e);
                    if (!removed) return removed.error();
                    return no_content(*c);
                  });
}

void submit_contribution(const call_ptr& c) {
  auto entry = entry_for(*c, "contribution.submit", "contribution", "");
  auto submission = adapters::json::parse_contribution(c->req.body(), c->s.keyring.pseudonymiser());
  if (!submission) return refuse(c, std::move(entry), submission.error());
  if (submission->subject) entry.subjects = {submission->subject->to_hex()};
  write_then_send(
      c, std::move(entry),
      [c, submission = std::move(*submission)](store::connection& db,
                                               audit::audit_entry& e) -> result<http::response> {
        auto done = application::submit(intake_of(*c), db, c->who, submission, e);
        if (!done) return done.error();
        // The same answer whether or not the person was matched, unless the caller is the
        // family's own organisation (the use case says which): no membership oracle.
        auto res = json_response(
            *c, done->created ? bhttp::status::created : bhttp::status::ok,
            {{"contribution_id", done->contribution_id},
             {"result", done->created ? "created" : "updated"},
             {"family_id", done->submitter_may_know_family ? boost::json::value(done->family_id)
                                                           : boost::json::value(nullptr)}});
        res.set(bhttp::field::location, "/v1/contributions/" + done->contribution_id);
        return res;
      });
}

void withdraw_contribution(const call_ptr& c) {
  const std::string id = c->params.at(0);
  auto entry = entry_for(*c, "contribution.withdraw", "contribution", id);
  write_then_send(c, std::move(entry),
                  [c, id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto done = application::withdraw(intake_of(*c), db, c->who, id, e);
                    if (!done) return done.error();
                    return no_content(*c);
                  });
}

void get_contribution(const call_ptr& c) {
  const std::string id = c->params.at(0);
  auto entry = entry_for(*c, "contribution.read", "contribution", id);
  read_then_send(c, std::move(entry),
                 [c, id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
                   auto own = c->cases.own_contribution(db, c->who.org->id, id);
                   if (!own) return own.error();
                   e.family_id = own->family_id;
                   if (own->subject) e.subjects = {own->subject->to_hex()};
                   std::optional<cases::stored_family> family;
                   if (!own->family_id.empty()) {
                     auto loaded = c->cases.load_family(db, own->family_id);
                     if (!loaded) return loaded.error();
                     if (cases::may_know_family(c->who.org->id, loaded->gezinsmanager_org))
                       family = std::move(*loaded);
                   }
                   return json_response(*c, bhttp::status::ok,
                                        contribution_json(*own, family ? &*family : nullptr));
                 });
}

void list_contributions(const call_ptr& c) {
  auto entry = entry_for(*c, "contribution.list", "contribution", "");
  const auto family_param = c->query.find("family_id");
  const std::string family_id = family_param != c->query.end() ? family_param->second : "";
  // The id goes into the audit entry, which refuses control characters and long fields: a hostile
  // one is a 400 here rather than a failed audit append (503).
  if (family_id.size() > max_param_size ||
      std::any_of(family_id.begin(), family_id.end(),
                  [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; }))
    return refuse(c, std::move(entry), error::invalid("family_id", "is not a family id"));
  std::size_t limit = 100;
  if (const auto it = c->query.find("limit"); it != c->query.end()) {
    const auto& v = it->second;
    std::size_t parsed = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), parsed);
    if (ec != std::errc() || end != v.data() + v.size() || parsed == 0 || parsed > max_list)
      return refuse(c, std::move(entry),
                    error::invalid("limit", "must be a whole number from 1 to 500"));
    limit = parsed;
  }
  entry.family_id = family_id;
  read_then_send(
      c, std::move(entry),
      [c, family_id, limit](store::connection& db,
                            audit::audit_entry& e) -> result<http::response> {
        auto own = c->cases.own_contributions(db, c->who.org->id, family_id, limit);
        if (!own) return own.error();
        std::map<std::string, std::optional<cases::stored_family>> families;
        boost::json::array items;
        std::set<std::string> subjects;
        for (const auto& contribution : *own) {
          const cases::stored_family* family = nullptr;
          if (!contribution.family_id.empty()) {
            auto it = families.find(contribution.family_id);
            if (it == families.end()) {
              auto loaded = c->cases.load_family(db, contribution.family_id);
              if (!loaded) return loaded.error();
              std::optional<cases::stored_family> known;
              if (cases::may_know_family(c->who.org->id, loaded->gezinsmanager_org))
                known = std::move(*loaded);
              it = families.emplace(contribution.family_id, std::move(known)).first;
            }
            if (it->second) family = &*it->second;
          }
          // Filtering by a family the caller may not know answers as for an unknown family.
          if (!family_id.empty() && family == nullptr) continue;
          if (contribution.subject) subjects.insert(contribution.subject->to_hex());
          items.push_back(contribution_json(contribution, family));
        }
        e.subjects.assign(subjects.begin(), subjects.end());
        e.detail = {{"count", items.size()}};
        return json_response(*c, bhttp::status::ok, {{"contributions", std::move(items)}});
      });
}

// Which organisations are involved with a family, as far as the policy lets this caller know.
void involvement(const call_ptr& c) {
  const std::string family_id = c->params.at(0);
  auto entry = entry_for(*c, "family.involvement", "family", family_id);
  entry.family_id = family_id;
  const auto purpose = c->query.find("purpose");
  if (purpose == c->query.end() || !valid_purpose(purpose->second))
    return refuse(c, std::move(entry),
                  error::invalid("purpose", "is required: a purpose id such as signalling"));
  entry.purpose = purpose->second;
  const auto engine = c->s.policy.current();
  read_then_send(c, std::move(entry),
                 [c, family_id, engine, purpose = purpose->second](
                     store::connection& db, audit::audit_entry& e) -> result<http::response> {
                   const application::view_context view{c->s.keyring, *c->config, c->cases, *engine,
                                                        c->now_point()};
                   auto involved =
                       application::involved_organisations(view, db, c->who, family_id, purpose, e);
                   if (!involved) return involved.error();
                   boost::json::array orgs;
                   for (const auto& id : *involved) {
                     const auto* org = c->config->find(id);
                     orgs.push_back({{"organisation", id},
                                     {"name", org != nullptr ? org->name : id},
                                     {"sector", org != nullptr ? org->sector : ""},
                                     {"contact", org != nullptr ? org->contact : ""}});
                   }
                   return json_response(*c, bhttp::status::ok,
                                        {{"family_id", family_id},
                                         {"purpose", purpose},
                                         {"policy_version", engine->version()},
                                         {"organisations", std::move(orgs)}});
                 });
}

}  // namespace

void add_partner_routes(route_table& r) {
  r.add(verb::post, "/v1/families", {register_family});
  r.add(verb::get, "/v1/families/{family_id}", {get_family});
  r.add(verb::post, "/v1/families/{family_id}/members", {add_member});
  r.add(verb::delete_, "/v1/families/{family_id}/members/{member_id}", {remove_member});
  r.add(verb::get, "/v1/families/{family_id}/involvement", {involvement});
  r.add(verb::post, "/v1/contributions", {submit_contribution});
  r.add(verb::get, "/v1/contributions", {list_contributions});
  r.add(verb::get, "/v1/contributions/{contribution_id}", {get_contribution});
  r.add(verb::delete_, "/v1/contributions/{contribution_id}", {withdraw_contribution});
}

}  // namespace sluis::api
