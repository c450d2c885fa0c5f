// The privacy officer's API over real TLS with real sessions: audit search, inzage by BSN, and the
// policy (read, check, simulate, activate), and that no one else may use them.

#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <thread>

#include "gateway/audit/search.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/store/connection.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;

// A policy with two errors at known places: an unknown key (1:1) and a level on a deny (5:9).
constexpr const char* broken_policy =
    "rolse = [\"x\"]\n[[rule]]\nid = \"r\"\neffect = \"deny\"\nlevel = \"full\"\n";

class privacy_routes_test : public gateway_fixture {
 protected:
  void SetUp() override {
    gateway_fixture::SetUp();
    start();
    family_ = register_family();
    EXPECT_EQ(call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                   contribution_body("ggz/1", daughter_bsn))
                  .result_int(),
              201u);
    gm_ = login("gm-1", add_person("gm-1", "wijkteam", "gezinsmanager"));
    ASSERT_EQ(gm_.response.result(), bhttp::status::ok) << gm_.response.body();
    officer_ = login("po-1", add_person("po-1", "wijkteam", "privacy-officer"));
    ASSERT_EQ(officer_.response.result(), bhttp::status::ok) << officer_.response.body();
    // A coordination decision, so that the gezinsmanager's plan view shows (and audits) the family.
    const auto ground = person_call(gm_, bhttp::verb::post, "/v1/families/" + family_ + "/grounds",
                                    coordination_ground);
    ASSERT_EQ(ground.result(), bhttp::status::created) << ground.body();
    policy_text_ = read_file(data_ / "policy.toml");
  }

  void view_plan() {
    const auto plan = person_call(gm_, bhttp::verb::get, "/v1/plans/" + family_);
    ASSERT_EQ(plan.result(), bhttp::status::ok) << plan.body();
  }

  // A request with a text body of `content_type`, as the policy page sends a policy.
  http_response text_call(const signed_in& who, bhttp::verb method, std::string target,
                          std::string body, std::string_view content_type = "text/plain") {
    auto client = client_for(nullptr);
    EXPECT_FALSE(client.connect());
    http_request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.set(bhttp::field::cookie, who.cookie);
    req.set("X-CSRF-Token", who.csrf_token);
    req.set(bhttp::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    auto res = client.request(req);
    EXPECT_TRUE(res.has_value());
    return res ? std::move(*res) : http_response{};
  }

  // The newest audit entry with `action`.
  audit::audit_entry newest(const std::string& action) {
    audit::search_filter f;
    f.action = action;
    f.limit = 1;
    auto found = audit_->reads().with([&](store::connection& db) { return audit::search(db, f); });
    EXPECT_TRUE(found) << found.error().what();
    if (!found || found->empty()) {
      ADD_FAILURE() << "no audit entry " << action;
      return {};
    }
    return found->front();
  }

  std::string active_version() {
    const auto res = person_call(officer_, bhttp::verb::get, "/v1/policy");
    EXPECT_EQ(res.result(), bhttp::status::ok) << res.body();
    return std::string(json(res).at("version").as_string());
  }

  std::string family_;
  signed_in gm_, officer_;
  std::string policy_text_;
};

TEST_F(privacy_routes_test, the_officer_searches_the_log_and_finds_the_plan_view) {
  view_plan();
  const auto res = person_call(officer_, bhttp::verb::get,
                               "/v1/audit?action=plan.view&family_id=" + family_ + "&limit=10");
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  const auto body = json(res);
  const auto& entries = body.at("entries").as_array();
  ASSERT_EQ(entries.size(), 1u) << body;
  const auto& e = entries[0];
  EXPECT_EQ(e.at("action"), "plan.view");
  EXPECT_EQ(e.at("family_id"), boost::json::value(family_));
  EXPECT_EQ(e.at("actor").at("organisation"), "wijkteam");
  EXPECT_EQ(e.at("actor").at("user"), "gm-1");
  EXPECT_EQ(e.at("purpose"), "plan");
  EXPECT_EQ(e.at("outcome").at("kind"), "ok");
  EXPECT_EQ(e.at("policy_version"), boost::json::value(active_version()));
  EXPECT_FALSE(e.at("break_glass").as_bool());
  EXPECT_TRUE(e.at("detail").is_object());
  EXPECT_GT(e.at("seq").as_int64(), 0);
  EXPECT_TRUE(body.at("next_before").is_null());
  EXPECT_EQ(boost::json::serialize(body).find(secret_title), std::string::npos);

  // The search is audited with the names of its filters, not their values.
  const auto search = newest("audit.search");
  EXPECT_EQ(search.actor_user, "po-1");
  EXPECT_EQ(search.purpose, "audit");
  EXPECT_EQ(search.family_id, family_);
  EXPECT_EQ(search.detail.at("filters"), boost::json::parse(R"(["family_id","action"])"));
  EXPECT_EQ(search.detail.at("count"), 1);

  // A time range: today holds the view, tomorrow does not; paging by offset.
  const auto today =
      cases::format_date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
  const auto tomorrow =
      cases::format_date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                         std::chrono::days(1));
  auto in_range = json(person_call(officer_, bhttp::verb::get,
                                   "/v1/audit?action=plan.view&from=" + today + "&to=" + today));
  EXPECT_EQ(in_range.at("entries").as_array().size(), 1u) << in_range;
  auto later = json(person_call(officer_, bhttp::verb::get,
                                "/v1/audit?action=plan.view&from=" + tomorrow + "T00:00:00Z"));
  EXPECT_TRUE(later.at("entries").as_array().empty()) << later;
  auto first_page = json(person_call(officer_, bhttp::verb::get, "/v1/audit?limit=2"));
  EXPECT_EQ(first_page.at("entries").as_array().size(), 2u);
  const auto cursor = first_page.at("next_before").as_int64();
  EXPECT_EQ(cursor, first_page.at("entries").as_array()[1].at("seq").as_int64());
  // The cursor stays put although the first search appended an entry of its own.
  auto second_page = json(person_call(officer_, bhttp::verb::get,
                                      "/v1/audit?limit=2&before=" + std::to_string(cursor)));
  ASSERT_EQ(second_page.at("entries").as_array().size(), 2u);
  EXPECT_EQ(second_page.at("entries").as_array()[0].at("seq").as_int64(), cursor - 1);

  // Filters are checked: a pseudonym is 64 hex digits, unknown parameters are refused.
  EXPECT_EQ(person_call(officer_, bhttp::verb::get, "/v1/audit?subject=abc").result_int(), 422u);
  EXPECT_EQ(person_call(officer_, bhttp::verb::get, "/v1/audit?bsn=x").result_int(), 422u);
  EXPECT_EQ(person_call(officer_, bhttp::verb::get, "/v1/audit?Zwanenburg=1").result_int(), 422u);
  EXPECT_EQ(newest("audit.search").detail.at("field"), "query");
  EXPECT_EQ(person_call(officer_, bhttp::verb::get, "/v1/audit?limit=501").result_int(), 422u);
  EXPECT_EQ(person_call(officer_, bhttp::verb::get, "/v1/audit?from=gisteren").result_int(), 422u);
}

TEST_F(privacy_routes_test, others_may_not_use_the_privacy_officers_routes) {
  EXPECT_EQ(person_call(gm_, bhttp::verb::get, "/v1/audit").result_int(), 403u);
  EXPECT_EQ(person_call(gm_, bhttp::verb::post, "/v1/audit/inzage",
                        std::string(R"({"bsn": ")") + mother_bsn + "\"}")
                .result_int(),
            403u);
  EXPECT_EQ(person_call(gm_, bhttp::verb::get, "/v1/policy").result_int(), 403u);
  EXPECT_EQ(text_call(gm_, bhttp::verb::post, "/v1/policy/check", policy_text_).result_int(), 403u);
  EXPECT_EQ(text_call(gm_, bhttp::verb::put, "/v1/policy", policy_text_).result_int(), 403u);
  EXPECT_EQ(person_call(gm_, bhttp::verb::post, "/v1/policy/simulate", R"({"scenario": "x"})")
                .result_int(),
            403u);
  // A partner system has no session at all.
  EXPECT_EQ(call(&pki_.client, bhttp::verb::get, "/v1/audit").result_int(), 401u);
  const auto refused = newest("audit.search");
  EXPECT_EQ(refused.actor_user, "gm-1");
  EXPECT_EQ(refused.outcome.kind, audit::outcome_kind::refused);
  EXPECT_EQ(refused.outcome.code, "forbidden");

  // The admin may read the policy in force, and nothing else here.
  const auto admin = login("adm-1", add_person("adm-1", "wijkteam", "admin"));
  const auto policy = person_call(admin, bhttp::verb::get, "/v1/policy");
  ASSERT_EQ(policy.result(), bhttp::status::ok) << policy.body();
  EXPECT_EQ(json(policy).at("text"), boost::json::value(policy_text_));
  EXPECT_EQ(person_call(admin, bhttp::verb::get, "/v1/audit").result_int(), 403u);
  EXPECT_EQ(text_call(admin, bhttp::verb::put, "/v1/policy", policy_text_).result_int(), 403u);
}

TEST_F(privacy_routes_test, inzage_by_bsn_finds_who_saw_the_person_and_the_bsn_goes_nowhere) {
  view_plan();
  const auto res = person_call(officer_, bhttp::verb::post, "/v1/audit/inzage",
                               std::string(R"({"bsn": ")") + daughter_bsn + "\"}");
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(res.body().find(daughter_bsn), std::string::npos);
  const auto body = json(res);
  const std::string subject(body.at("subject").as_string());
  EXPECT_EQ(subject.size(), 64u);
  bool plan_view = false;
  for (const auto& e : body.at("entries").as_array()) {
    if (e.at("action") != "plan.view") continue;
    plan_view = true;
    EXPECT_EQ(e.at("actor").at("user"), "gm-1");
    EXPECT_EQ(e.at("family_id"), boost::json::value(family_));
    EXPECT_EQ(e.at("purpose"), "plan");
  }
  EXPECT_TRUE(plan_view) << body;

  // The same entries by pseudonym, through the search; the inzage is audited with it as subject.
  const auto by_pseudonym = json(
      person_call(officer_, bhttp::verb::get, "/v1/audit?action=plan.view&subject=" + subject));
  EXPECT_EQ(by_pseudonym.at("entries").as_array().size(), 1u) << by_pseudonym;
  const auto inzage = newest("audit.inzage");
  EXPECT_EQ(inzage.subjects, std::vector<std::string>{subject});
  EXPECT_EQ(inzage.purpose, "inzage");
  EXPECT_EQ(inzage.actor_user, "po-1");

  // Someone never seen: no entries. A wrong BSN: 422 that does not repeat it.
  const auto unseen = person_call(officer_, bhttp::verb::post, "/v1/audit/inzage",
                                  std::string(R"({"bsn": ")") + father_bsn + "\"}");
  ASSERT_EQ(unseen.result(), bhttp::status::ok) << unseen.body();
  EXPECT_TRUE(json(unseen).at("entries").as_array().empty());
  const auto wrong =
      person_call(officer_, bhttp::verb::post, "/v1/audit/inzage", R"({"bsn": "123456789"})");
  EXPECT_EQ(wrong.result_int(), 422u);
  EXPECT_EQ(wrong.body().find("123456789"), std::string::npos);
  EXPECT_EQ(
      person_call(officer_, bhttp::verb::post, "/v1/audit/inzage", R"({"bsn": 5})").result_int(),
      422u);

  stop_server();
  audit_.reset();  // checkpoint and close both files: everything that will ever be on disk
  store_.reset();  // is there
  for (const char* needle : {mother_bsn, daughter_bsn, father_bsn, "123456789"}) {
    std::vector<std::filesystem::path> hits;
    EXPECT_FALSE(any_file_contains(data_, needle, &hits)) << needle << " in " << hits[0];
    EXPECT_FALSE(any_file_contains(log_file_.parent_path(), needle, &hits))
        << needle << " in " << (hits.empty() ? "" : hits[0].string());
  }
}

TEST_F(privacy_routes_test, checking_a_broken_policy_gives_positions_and_changes_nothing) {
  const std::string before = active_version();
  const auto res = text_call(officer_, bhttp::verb::post, "/v1/policy/check", broken_policy);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  const auto body = json(res);
  EXPECT_FALSE(body.at("ok").as_bool());
  const auto& found = body.at("diagnostics").as_array();
  ASSERT_EQ(found.size(), 2u) << body;
  EXPECT_EQ(found[0].at("line"), 1);
  EXPECT_EQ(found[0].at("column"), 1);
  EXPECT_EQ(found[0].at("message"), "unknown key 'rolse'");
  EXPECT_EQ(found[0].at("hint"), "did you mean 'roles'?");
  EXPECT_EQ(found[1].at("line"), 5);
  EXPECT_EQ(found[1].at("column"), 9);
  EXPECT_EQ(active_version(), before);
  EXPECT_EQ(read_file(data_ / "policy.toml"), policy_text_);
  const auto checked = newest("policy.check");
  EXPECT_EQ(checked.detail.at("ok"), false);
  EXPECT_EQ(checked.detail.at("diagnostics"), 2);

  // The policy in force checks ok; one naming an organisation this gateway lacks does not.
  const auto good = json(text_call(officer_, bhttp::verb::post, "/v1/policy/check", policy_text_,
                                   "application/toml; charset=utf-8"));
  EXPECT_TRUE(good.at("ok").as_bool()) << good;
  EXPECT_EQ(good.at("version"), boost::json::value(before));
  const auto unknown = json(text_call(officer_, bhttp::verb::post, "/v1/policy/check",
                                      "organisations = [\"wijkteam\",\n  \"ggz-nord\"]\n"));
  ASSERT_FALSE(unknown.at("ok").as_bool()) << unknown;
  EXPECT_EQ(unknown.at("diagnostics").as_array()[0].at("line"), 2);
  EXPECT_EQ(unknown.at("diagnostics").as_array()[0].at("column"), 3);
  // A policy is text: JSON is refused, and so is nothing at all.
  EXPECT_EQ(
      text_call(officer_, bhttp::verb::post, "/v1/policy/check", policy_text_, "application/json")
          .result_int(),
      400u);
  EXPECT_EQ(text_call(officer_, bhttp::verb::post, "/v1/policy/check", "\n").result_int(), 422u);
}

TEST_F(privacy_routes_test, activating_a_policy_changes_the_version_seen_and_audited) {
  const std::string old_version = active_version();
  const std::string next = policy_text_ + "\n# versie voor 2027\n";
  const auto res = text_call(officer_, bhttp::verb::put, "/v1/policy", next);
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  const std::string new_version(json(res).at("version").as_string());
  EXPECT_NE(new_version, old_version);
  EXPECT_EQ(json(res).at("previous_version"), boost::json::value(old_version));

  const auto shown = json(person_call(officer_, bhttp::verb::get, "/v1/policy"));
  EXPECT_EQ(shown.at("version"), boost::json::value(new_version));
  EXPECT_EQ(shown.at("text"), boost::json::value(next));
  EXPECT_EQ(read_file(data_ / "policy.toml"), next);
  EXPECT_EQ(read_file(data_ / ("policy.toml." + old_version)), policy_text_);

  const auto activated = newest("policy.activate");
  EXPECT_EQ(activated.policy_version, new_version);
  EXPECT_EQ(activated.detail.at("old_version"), boost::json::value(old_version));
  EXPECT_EQ(activated.detail.at("new_version"), boost::json::value(new_version));
  EXPECT_EQ(activated.outcome.kind, audit::outcome_kind::ok);
  // A comment changes the version, not a single decision: the entry's diff digest says so.
  const boost::json::value nothing_changed = {{"added", 0}, {"removed", 0}, {"reasons_changed", 0}};
  EXPECT_EQ(activated.detail.at("diff"), nothing_changed);
  EXPECT_EQ(json(res).at("diff"), nothing_changed);

  view_plan();
  EXPECT_EQ(newest("plan.view").policy_version, new_version);
}

// Issue 10: durable first. While the transaction that holds the activation's audit entry has not
// committed, the old policy stays in force; it changes only after the commit. The audit log's
// writer is held inside the batch, after the activation's own item, by a work item that waits on a
// latch.
TEST_F(privacy_routes_test, a_policy_is_put_in_force_only_after_its_audit_entry_commits) {
  const std::string old_version = active_version();
  std::promise<void> release_first, release_second;
  auto first = release_first.get_future().share();
  auto second = release_second.get_future().share();
  std::promise<void> second_started;
  // Holds the writer, so that the activation and the second latch are queued behind it and are
  // taken together in the next batch.
  audit_->writer().submit(
      [first](store::connection&) -> result<void> {
        first.wait();
        return {};
      },
      [](result<void>) {});
  std::optional<http_response> answer;
  std::thread officer([&] {
    answer = text_call(officer_, bhttp::verb::put, "/v1/policy", policy_text_ + "\n# later\n");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the PUT is parsed and queued
  audit_->writer().submit(
      [second, &second_started](store::connection&) -> result<void> {
        second_started.set_value();
        second.wait();
        return {};
      },
      [](result<void>) {});
  release_first.set_value();
  second_started.get_future().wait();  // the activation's item ran; its batch is still open
  EXPECT_EQ(policy_->current()->version(), old_version);
  release_second.set_value();
  officer.join();
  ASSERT_TRUE(answer);
  ASSERT_EQ(answer->result(), bhttp::status::ok) << answer->body();
  EXPECT_NE(policy_->current()->version(), old_version);
  EXPECT_EQ(newest("policy.activate").policy_version, policy_->current()->version());
}

TEST_F(privacy_routes_test, reloading_takes_the_file_as_edited_and_keeps_the_old_on_errors) {
  const std::string old_version = active_version();
  { std::ofstream(data_ / "policy.toml") << policy_text_ << "\n# aangepast op de server\n"; }
  const auto res = person_call(officer_, bhttp::verb::post, "/v1/policy/reload", "{}");
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  const std::string new_version(json(res).at("version").as_string());
  EXPECT_NE(new_version, old_version);
  EXPECT_EQ(active_version(), new_version);
  EXPECT_EQ(newest("policy.reload").policy_version, new_version);

  { std::ofstream(data_ / "policy.toml") << broken_policy; }
  const auto refused = person_call(officer_, bhttp::verb::post, "/v1/policy/reload", "{}");
  EXPECT_EQ(refused.result_int(), 422u) << refused.body();
  EXPECT_EQ(active_version(), new_version);
  EXPECT_EQ(newest("policy.reload").outcome.kind, audit::outcome_kind::refused);
  // Not for a gezinsmanager.
  EXPECT_EQ(person_call(gm_, bhttp::verb::post, "/v1/policy/reload", "{}").result_int(), 403u);
}

TEST_F(privacy_routes_test, activating_a_broken_policy_changes_nothing) {
  const std::string before = active_version();
  const auto res = text_call(officer_, bhttp::verb::put, "/v1/policy", broken_policy);
  ASSERT_EQ(res.result_int(), 422u) << res.body();
  const auto body = json(res);
  ASSERT_EQ(body.at("diagnostics").as_array().size(), 2u) << body;
  EXPECT_EQ(body.at("diagnostics").as_array()[1].at("line"), 5);
  EXPECT_EQ(active_version(), before);
  EXPECT_EQ(read_file(data_ / "policy.toml"), policy_text_);
  const auto refused = newest("policy.activate");
  EXPECT_EQ(refused.outcome.kind, audit::outcome_kind::refused);
  EXPECT_EQ(refused.detail.at("old_version"), boost::json::value(before));
  view_plan();
  EXPECT_EQ(newest("plan.view").policy_version, before);
}

TEST_F(privacy_routes_test, simulation_shows_what_a_person_would_see_under_a_policy) {
  const auto scenario = read_file(std::filesystem::path(SLUIS_EXAMPLE_POLICY).parent_path() /
                                  "scenario.example.toml");
  const auto res = person_call(officer_, bhttp::verb::post, "/v1/policy/simulate",
                               boost::json::serialize(boost::json::object{{"scenario", scenario}}));
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  const auto body = json(res);
  EXPECT_EQ(body.at("policy_version"), boost::json::value(active_version()));
  EXPECT_TRUE(body.at("active_policy").as_bool());
  EXPECT_EQ(body.at("who").at("role"), "gezinsmanager");
  const auto& records = body.at("records").as_array();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].at("record"), "ggz-behandeldoel");
  EXPECT_EQ(records[0].at("level"), "full");
  EXPECT_EQ(records[0].at("basis"), "consent");
  EXPECT_EQ(newest("policy.simulate").detail.at("records"), 4);

  // Another policy text: here one that shows nothing at all.
  const auto nothing = json(person_call(officer_, bhttp::verb::post, "/v1/policy/simulate",
                                        boost::json::serialize(boost::json::object{
                                            {"policy", "# niets\n"}, {"scenario", scenario}})));
  EXPECT_FALSE(nothing.at("active_policy").as_bool());
  EXPECT_NE(nothing.at("policy_version"), body.at("policy_version"));
  for (const auto& r : nothing.at("records").as_array()) EXPECT_EQ(r.at("level"), "none");

  // Errors in either text, with positions and which text they are in.
  const auto broken = person_call(
      officer_, bhttp::verb::post, "/v1/policy/simulate",
      boost::json::serialize(boost::json::object{
          {"policy", broken_policy}, {"scenario", "now = 2026-06-15T12:00:00Z\nwho = 1\n"}}));
  ASSERT_EQ(broken.result_int(), 422u) << broken.body();
  const auto broken_body = json(broken);
  const auto& found = broken_body.at("diagnostics").as_array();
  ASSERT_GE(found.size(), 3u) << broken.body();
  EXPECT_EQ(found[0].at("source"), "policy");
  EXPECT_EQ(found[0].at("line"), 1);
  bool scenario_at_line_2 = false;
  for (const auto& d : found) {
    scenario_at_line_2 |= d.at("source") == "scenario" && d.at("line") == 2 && d.at("column") == 1;
  }
  EXPECT_TRUE(scenario_at_line_2) << broken.body();
  EXPECT_EQ(person_call(officer_, bhttp::verb::post, "/v1/policy/simulate", R"({"policy": "x"})")
                .result_int(),
            422u);
}

// Issue 12: before activating, the privacy officer sees what the new text grants that the policy
// in force does not; activating records the counts.
TEST_F(privacy_routes_test, a_diff_against_the_policy_in_force_shows_grants_added_and_removed) {
  std::string widened = policy_text_;
  const std::string from = "child_alone_from_age = 16";
  ASSERT_NE(widened.find(from), std::string::npos);
  widened.replace(widened.find(from), from.size(), "child_alone_from_age = 15");
  const auto body = [](const std::string& text) {
    return boost::json::serialize(boost::json::object{{"policy", text}});
  };
  const auto res = person_call(officer_, bhttp::verb::post, "/v1/policy/diff", body(widened));
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  const auto d = json(res);
  EXPECT_FALSE(d.at("equal").as_bool());
  EXPECT_TRUE(d.at("active_policy").as_bool());
  EXPECT_EQ(d.at("old_version"), boost::json::value(active_version()));
  const auto added = d.at("counts").at("added").to_number<int>();
  const auto removed = d.at("counts").at("removed").to_number<int>();
  EXPECT_GT(added, 0);
  EXPECT_GT(removed, 0);
  EXPECT_NE(d.at("added").as_array().at(0).at("text").as_string().find("→"), std::string::npos);
  const auto diffed = newest("policy.diff");
  EXPECT_EQ(diffed.detail.at("added"), added);
  EXPECT_EQ(diffed.detail.at("old_version"), boost::json::value(active_version()));

  // Against another text; the policy in force against itself is equal.
  const auto same =
      json(person_call(officer_, bhttp::verb::post, "/v1/policy/diff", body(policy_text_)));
  EXPECT_TRUE(same.at("equal").as_bool());
  const auto back = json(person_call(
      officer_, bhttp::verb::post, "/v1/policy/diff",
      boost::json::serialize(boost::json::object{{"policy", policy_text_}, {"against", widened}})));
  EXPECT_FALSE(back.at("active_policy").as_bool());
  EXPECT_EQ(back.at("counts").at("added").to_number<int>(), removed);

  // Broken texts are named; others may not ask.
  const auto broken =
      person_call(officer_, bhttp::verb::post, "/v1/policy/diff", body(broken_policy));
  ASSERT_EQ(broken.result_int(), 422u) << broken.body();
  EXPECT_EQ(json(broken).at("diagnostics").as_array().at(0).at("source"), "policy");
  EXPECT_EQ(person_call(gm_, bhttp::verb::post, "/v1/policy/diff", body(widened)).result_int(),
            403u);

  // Activating it records the same counts.
  const auto activated = text_call(officer_, bhttp::verb::put, "/v1/policy", widened);
  ASSERT_EQ(activated.result(), bhttp::status::ok) << activated.body();
  EXPECT_EQ(newest("policy.activate").detail.at("diff").at("added"), added);
  EXPECT_EQ(newest("policy.activate").detail.at("diff").at("removed"), removed);
}

}  // namespace
}  // namespace sluis::testing
