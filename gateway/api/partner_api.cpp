#include "gateway/api/partner_api.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "adapters/json/partner_api.hpp"
#include "common/log.hpp"
#include "gateway/api/openapi_document.hpp"
#include "gateway/api/router.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/case/policy_facts.hpp"
#include "gateway/http/problem.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

constexpr std::size_t max_list = 500;

// One request in flight. Shared by the steps that answer it, which may run on the writer thread.
struct call {
  call(services& svc, const cases::case_store& store, http::request&& request, std::string id,
       std::function<void(http::response&&)> answer)
      : s(svc),
        cases(store),
        req(std::move(request)),
        request_id(std::move(id)),
        done(std::move(answer)) {}

  services& s;
  const cases::case_store& cases;
  http::request req;
  std::string request_id;
  std::function<void(http::response&&)> done;
  std::string route;
  std::vector<std::string> params;
  std::map<std::string, std::string, std::less<>> query;
  const config::organisation* org = nullptr;
  std::string user;  // X-Sluis-User: the professional the organisation's system acts for

  std::int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(s.clock().time_since_epoch()).count();
  }
};
using call_ptr = std::shared_ptr<call>;

// ---- responses ----

http::response make_response(const call& c, bhttp::status status, std::string body,
                             std::string_view content_type) {
  http::response res{status, c.req.version()};
  res.set(bhttp::field::content_type, content_type);
  res.set(bhttp::field::cache_control, "no-store");
  res.keep_alive(c.req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http::response json_response(const call& c, bhttp::status status, const boost::json::value& v) {
  return make_response(c, status, boost::json::serialize(v), "application/json");
}

http::response problem_response(const call& c, const error& e) {
  return http::make_problem_response(http::problem_from_error(e), c.request_id, c.req.version(),
                                     c.req.keep_alive());
}

void send(const call_ptr& c, http::response&& res) {
  res.set(http::route_header, c->route.empty() ? "unmatched" : c->route);
  c->done(std::move(res));
}

// ---- audit ----

audit::audit_entry entry_for(const call& c, std::string action, std::string resource_type,
                             std::string resource_id) {
  audit::audit_entry e;
  // Before the certificate maps to an organisation, the actor is recorded as "unauthenticated".
  e.actor_org = c.org != nullptr ? c.org->id : std::string("unauthenticated");
  e.actor_user = c.user;
  e.action = std::move(action);
  e.resource = {std::move(resource_type), std::move(resource_id)};
  e.request_id = c.request_id;
  return e;
}

std::string outcome_code(const error& e) { return std::string(to_string(e.code())); }

// Appends `entry` through the writer, then sends `res`; without a durable trace the response is
// a 503, because no access may go unrecorded.
void record_then_send(const call_ptr& c, audit::audit_entry entry, http::response&& res) {
  auto pending = std::make_shared<http::response>(std::move(res));
  c->s.store.writes().submit(
      [c, entry = std::move(entry)](store::connection& db) -> result<void> {
        auto seq = c->s.audit.append(db, entry);
        if (!seq) return seq.error();
        return {};
      },
      [c, pending](result<void> outcome) {
        if (!outcome) {
          log::error("audit.append_failed",
                     {{"request_id", c->request_id}, {"error", to_string(outcome.error().code())}});
          send(c, problem_response(*c, error::unavailable("the audit log is not available")));
          return;
        }
        send(c, std::move(*pending));
      });
}

// Every refusal is audited: the entry carries the error's code, never its message.
void refuse(const call_ptr& c, audit::audit_entry entry, const error& e) {
  const bool ours = e.code() == errc::io || e.code() == errc::internal ||
                    e.code() == errc::corrupt || e.code() == errc::crypto ||
                    e.code() == errc::unavailable;
  entry.outcome = {ours ? audit::outcome_kind::error : audit::outcome_kind::refused,
                   outcome_code(e)};
  if (ours)
    log::error("request.failed", {{"request_id", c->request_id}, {"error", outcome_code(e)}});
  if (!e.field().empty()) entry.detail["field"] = e.field();
  record_then_send(c, std::move(entry), problem_response(*c, e));
}

// A write: `op` changes the store and completes the audit entry; both commit together.
using write_op = std::function<result<http::response>(store::connection&, audit::audit_entry&)>;

void write_then_send(const call_ptr& c, audit::audit_entry entry, write_op op) {
  auto answer = std::make_shared<std::optional<http::response>>();
  auto written = std::make_shared<audit::audit_entry>(entry);
  c->s.store.writes().submit(
      [c, op = std::move(op), answer, written](store::connection& db) -> result<void> {
        audit::audit_entry e = *written;
        auto res = op(db, e);
        if (!res) return res.error();
        auto seq = c->s.audit.append(db, e);
        if (!seq) return seq.error();
        *answer = std::move(*res);
        *written = std::move(e);
        return {};
      },
      [c, answer, written](result<void> outcome) {
        if (outcome) return send(c, std::move(**answer));
        refuse(c, *written, outcome.error());
      });
}

// A read: `op` runs on a reader connection; its audit entry is durable before the answer leaves.
void read_then_send(const call_ptr& c, audit::audit_entry entry, const write_op& op) {
  auto res = c->s.store.reads().with(
      [&](store::connection& db) -> result<http::response> { return op(db, entry); });
  if (!res) return refuse(c, std::move(entry), res.error());
  record_then_send(c, std::move(entry), std::move(*res));
}

// ---- JSON views ----

std::string rfc3339(std::int64_t unix_seconds) {
  const std::chrono::sys_seconds t{std::chrono::seconds(unix_seconds)};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::hh_mm_ss hms(t - day);
  return cases::format_date(day) + "T" + (hms.hours().count() < 10 ? "0" : "") +
         std::to_string(hms.hours().count()) + ":" + (hms.minutes().count() < 10 ? "0" : "") +
         std::to_string(hms.minutes().count()) + ":" + (hms.seconds().count() < 10 ? "0" : "") +
         std::to_string(hms.seconds().count()) + "Z";
}

int age_on(cases::date birth, std::int64_t now) {
  const std::chrono::year_month_day b(birth);
  const std::chrono::year_month_day n(
      std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds{std::chrono::seconds(now)}));
  int age = static_cast<int>(n.year()) - static_cast<int>(b.year());
  if (n.month() < b.month() || (n.month() == b.month() && n.day() < b.day())) --age;
  return age;
}

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
                       {"age", age_on(m.content.date_of_birth, now)},
                       {"gezag_holders", std::move(holders)}});
  }
  return {{"family_id", f.id},
          {"gezinsmanager",
           {{"organisation", f.gezinsmanager_org},
            {"user_id", f.gezinsmanager.user_id},
            {"name", f.gezinsmanager.display_name}}},
          {"members", std::move(members)},
          {"created_at", rfc3339(f.created_at)},
          {"updated_at", rfc3339(f.updated_at)}};
}

// The subject is named by the family's member label, never by a BSN.
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
           c.family_id.empty() ? boost::json::value(nullptr) : boost::json::value(c.family_id)},
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
  for (const auto& m : members) out.push_back(m.pseudonym.to_hex());
  return out;
}

// Loads the family and checks that the caller's organisation is its gezinsmanager's. Others get
// not_found, which does not confirm that the family exists.
result<cases::stored_family> own_family(const call& c, store::connection& db,
                                        const std::string& family_id) {
  auto family = c.cases.load_family(db, family_id);
  if (!family) return family.error();
  if (family->gezinsmanager_org != c.org->id) return error::not_found("no such family");
  return family;
}

// Purposes are ids declared in the policy ("signalling", "plan"); the policy decides what an
// undeclared one may see (nothing).
bool valid_purpose(std::string_view purpose) {
  return !purpose.empty() && purpose.size() <= 32 &&
         std::all_of(purpose.begin(), purpose.end(),
                     [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '-'; });
}

bool valid_user(std::string_view user) {
  return !user.empty() && user.size() <= 64 && std::all_of(user.begin(), user.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' ||
           ch == '@';
  });
}

// ---- routes ----

void healthz(const call_ptr& c) {
  send(c, json_response(*c, bhttp::status::ok, {{"status", "ok"}}));
}

void readyz(const call_ptr& c) {
  auto store_ok = c->s.store.reads().with([](store::connection& db) -> result<void> {
    auto st = db.cached("SELECT 1");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    return {};
  });
  const auto engine = c->s.policy.current();
  const bool ready = store_ok && engine != nullptr;
  boost::json::object body{{"status", ready ? "ready" : "not ready"},
                           {"store", store_ok ? "open" : "unavailable"},
                           {"keys", "loaded"},
                           {"policy", engine ? engine->version() : std::string("none")}};
  send(c, json_response(*c, ready ? bhttp::status::ok : bhttp::status::service_unavailable, body));
}

void metrics(const call_ptr& c) {
  send(c, make_response(*c, bhttp::status::ok, c->s.metrics.render(), http::metrics_content_type));
}

void openapi(const call_ptr& c) {
  send(c, make_response(*c, bhttp::status::ok, std::string(openapi_yaml()), "application/yaml"));
}

void register_family(const call_ptr& c) {
  auto entry = entry_for(*c, "family.register", "family", "");
  auto family =
      adapters::json::parse_family_registration(c->req.body(), c->s.keyring.pseudonymiser());
  if (!family) return refuse(c, std::move(entry), family.error());
  entry.subjects = subject_hexes(family->members);
  write_then_send(
      c, std::move(entry),
      [c, family = std::move(*family)](store::connection& db,
                                       audit::audit_entry& e) -> result<http::response> {
        auto done = c->cases.register_family(db, c->org->id, family, c->now());
        if (!done) return done.error();
        e.resource.id = e.family_id = done->family_id;
        e.detail = {{"members", done->members.size()}, {"matched_signals", done->matched_signals}};
        boost::json::array members;
        for (const auto& [id, label] : done->members)
          members.push_back({{"member_id", id}, {"label", label}});
        auto res = json_response(*c, bhttp::status::created,
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
        auto family = own_family(*c, db, family_id);
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
        auto family = own_family(*c, db, family_id);
        if (!family) return family.error();
        auto added = c->cases.add_member(db, family_id, member, c->now());
        if (!added) return added.error();
        e.detail = {{"member_id", added->member_id}, {"matched_signals", added->matched_signals}};
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
                    auto family = own_family(*c, db, family_id);
                    if (!family) return family.error();
                    if (const auto* m = family->member(member_id))
                      e.subjects = {m->pseudonym.to_hex()};
                    auto removed = c->cases.remove_member(db, family_id, member_id, c->now());
                    if (!removed) return removed.error();
                    e.detail = {{"member_id", member_id}};
                    return make_response(*c, bhttp::status::no_content, "", "application/json");
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
        auto done = c->cases.submit(db, c->org->id, submission, c->now());
        if (!done) return done.error();
        e.resource.id = done->contribution_id;
        e.family_id = done->family_id;
        e.detail = {{"created", done->created}, {"matched", !done->family_id.empty()}};
        auto res = json_response(
            *c, done->created ? bhttp::status::created : bhttp::status::ok,
            {{"contribution_id", done->contribution_id},
             {"result", done->created ? "created" : "updated"},
             {"family_id", done->family_id.empty() ? boost::json::value(nullptr)
                                                   : boost::json::value(done->family_id)}});
        res.set(bhttp::field::location, "/v1/contributions/" + done->contribution_id);
        return res;
      });
}

void withdraw_contribution(const call_ptr& c) {
  const std::string id = c->params.at(0);
  auto entry = entry_for(*c, "contribution.withdraw", "contribution", id);
  write_then_send(c, std::move(entry),
                  [c, id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
                    auto own = c->cases.own_contribution(db, c->org->id, id);
                    if (!own) return own.error();
                    e.family_id = own->family_id;
                    if (own->subject) e.subjects = {own->subject->to_hex()};
                    auto done = c->cases.withdraw(db, c->org->id, id, c->now());
                    if (!done) return done.error();
                    return make_response(*c, bhttp::status::no_content, "", "application/json");
                  });
}

void get_contribution(const call_ptr& c) {
  const std::string id = c->params.at(0);
  auto entry = entry_for(*c, "contribution.read", "contribution", id);
  read_then_send(c, std::move(entry),
                 [c, id](store::connection& db, audit::audit_entry& e) -> result<http::response> {
                   auto own = c->cases.own_contribution(db, c->org->id, id);
                   if (!own) return own.error();
                   e.family_id = own->family_id;
                   if (own->subject) e.subjects = {own->subject->to_hex()};
                   std::optional<cases::stored_family> family;
                   if (!own->family_id.empty()) {
                     auto loaded = c->cases.load_family(db, own->family_id);
                     if (!loaded) return loaded.error();
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
        auto own = c->cases.own_contributions(db, c->org->id, family_id, limit);
        if (!own) return own.error();
        std::map<std::string, cases::stored_family> families;
        boost::json::array items;
        std::set<std::string> subjects;
        for (const auto& contribution : *own) {
          const cases::stored_family* family = nullptr;
          if (!contribution.family_id.empty()) {
            auto it = families.find(contribution.family_id);
            if (it == families.end()) {
              auto loaded = c->cases.load_family(db, contribution.family_id);
              if (!loaded) return loaded.error();
              it = families.emplace(contribution.family_id, std::move(*loaded)).first;
            }
            family = &it->second;
          }
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
  read_then_send(
      c, std::move(entry),
      [c, family_id, engine, purpose = purpose->second](
          store::connection& db, audit::audit_entry& e) -> result<http::response> {
        auto family = c->cases.load_family(db, family_id);
        if (!family) return family.error();
        auto contributions = c->cases.family_contributions(db, family_id);
        if (!contributions) return contributions.error();
        const policy::family facts = cases::family_facts(*family);
        const policy::requester who{
            c->user,
            "professional",
            c->org->id,
            c->org->sector,
            purpose,
            c->org->id == family->gezinsmanager_org && c->user == family->gezinsmanager.user_id};
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(c->s.clock());
        const auto prepared = engine->prepare(who, facts, now);
        std::set<std::string> involved;
        std::map<std::string, std::int64_t> bases;
        for (const auto& contribution : *contributions) {
          if (contribution.withdrawn_at) continue;
          const auto d = prepared.decide(cases::record_facts(contribution, *family, c->s.config),
                                         policy::level::involvement);
          if (d.level < policy::level::involvement) continue;
          involved.insert(contribution.org_id);
          ++bases[std::string(policy::to_string(d.basis))];
        }
        // Nothing visible to anyone but the family's own gezinsmanager organisation: answer as for
        // an unknown family, so the caller does not even learn that the family exists.
        if (involved.empty() && c->org->id != family->gezinsmanager_org)
          return error::not_found("no such family");
        boost::json::array orgs;
        for (const auto& id : involved) {
          const auto* org = c->s.config.find(id);
          orgs.push_back({{"organisation", id},
                          {"name", org != nullptr ? org->name : id},
                          {"sector", org != nullptr ? org->sector : ""},
                          {"contact", org != nullptr ? org->contact : ""}});
        }
        e.policy_version = engine->version();
        boost::json::object basis_counts;
        for (const auto& [basis, n] : bases) basis_counts[basis] = n;
        e.detail = {{"organisations", orgs.size()}, {"bases", std::move(basis_counts)}};
        return json_response(*c, bhttp::status::ok,
                             {{"family_id", family_id},
                              {"purpose", purpose},
                              {"policy_version", engine->version()},
                              {"organisations", std::move(orgs)}});
      });
}

struct route {
  void (*fn)(const call_ptr&);
  bool partner = true;  // needs an organisation's client certificate
};

router<route> make_router() {
  router<route> r;
  r.add(verb::get, "/healthz", {healthz, false});
  r.add(verb::get, "/readyz", {readyz, false});
  r.add(verb::get, "/metrics", {metrics, false});
  r.add(verb::get, "/v1/openapi.yaml", {openapi, false});
  r.add(verb::post, "/v1/families", {register_family});
  r.add(verb::get, "/v1/families/{family_id}", {get_family});
  r.add(verb::post, "/v1/families/{family_id}/members", {add_member});
  r.add(verb::delete_, "/v1/families/{family_id}/members/{member_id}", {remove_member});
  r.add(verb::get, "/v1/families/{family_id}/involvement", {involvement});
  r.add(verb::post, "/v1/contributions", {submit_contribution});
  r.add(verb::get, "/v1/contributions", {list_contributions});
  r.add(verb::get, "/v1/contributions/{contribution_id}", {get_contribution});
  r.add(verb::delete_, "/v1/contributions/{contribution_id}", {withdraw_contribution});
  return r;
}

}  // namespace

struct partner_api::impl {
  explicit impl(services& s) : services_(s), cases(s.keyring), routes(make_router()) {}
  services& services_;
  cases::case_store cases;
  router<route> routes;
};

partner_api::partner_api(services& s) : impl_(std::make_unique<impl>(s)) {}
partner_api::~partner_api() = default;

void partner_api::handle(http::request&& req, const http::request_context& ctx,
                         std::function<void(http::response&&)> done) {
  auto c = std::make_shared<call>(impl_->services_, impl_->cases, std::move(req), ctx.request_id,
                                  std::move(done));
  auto url = boost::urls::parse_origin_form(c->req.target());
  if (!url) {
    return send(c, problem_response(*c, error::malformed("the request target is not a valid URL")));
  }
  for (const auto& p : url->params()) c->query.emplace(p.key, p.value);

  const auto m = impl_->routes.match(c->req.method(), url->path());
  using kind = router<route>::match_result::kind;
  if (m.outcome == kind::not_found) {
    return send(c,
                http::make_problem_response(http::make_problem(http::problem_type::not_found),
                                            c->request_id, c->req.version(), c->req.keep_alive()));
  }
  c->route = std::string(m.route_template);
  if (m.outcome == kind::method_not_allowed) {
    auto res =
        http::make_problem_response(http::make_problem(http::problem_type::method_not_allowed),
                                    c->request_id, c->req.version(), c->req.keep_alive());
    res.set(bhttp::field::allow, m.allow);
    return send(c, std::move(res));
  }
  c->params = m.params;
  if (!m.route->partner) return m.route->fn(c);

  // Partner routes: the organisation is who its verified client certificate says it is.
  auto entry = entry_for(*c, "api.access", "route", c->route);
  if (!ctx.peer) {
    return refuse(c, std::move(entry),
                  error::unauthenticated("the partner API needs a client certificate"));
  }
  c->org = c->s.config.find_by_certificate(ctx.peer->subject_serial_number,
                                           ctx.peer->sha256_fingerprint);
  if (c->org == nullptr) {
    entry.resource = {"certificate", ctx.peer->sha256_fingerprint};
    log::warn("api.unknown_organisation",
              {{"request_id", c->request_id}, {"fingerprint", ctx.peer->sha256_fingerprint}});
    return refuse(c, std::move(entry),
                  error::forbidden("the client certificate belongs to no configured organisation"));
  }
  entry.actor_org = c->org->id;
  if (const auto user = c->req[std::string_view("X-Sluis-User")]; !user.empty()) {
    if (!valid_user(user)) {
      return refuse(c, std::move(entry),
                    error::invalid("X-Sluis-User",
                                   "must be 1 to 64 characters of letters, digits and - _ . @"));
    }
    c->user = std::string(user);
  }
  m.route->fn(c);
}

}  // namespace sluis::api
