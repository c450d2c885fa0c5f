// The combined plan and the views on it, over real TLS with real sessions: what the family's
// gezinsmanager, another gezinsmanager, a procesmanager and a partner professional each see.

#include <gtest/gtest.h>

#include "gateway/case/content_codec.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;

constexpr const char* wijkteam_title = "Schulden in beeld met de budgetcoach";

class plan_routes_test : public gateway_fixture {
 protected:
  void SetUp() override {
    gateway_fixture::SetUp();
    start();
    family_ = register_family();
    const auto members = json(call(&pki_.client, bhttp::verb::get, "/v1/families/" + family_));
    for (const auto& m : members.at("members").as_array()) {
      const std::string label(m.at("label").as_string());
      (label == "moeder" ? mother_ : daughter_) = m.at("member_id").as_string().c_str();
    }
    // GGZ (professional secrecy) about the daughter; the wijkteam about the mother.
    EXPECT_EQ(call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                   contribution_body("ggz/1", daughter_bsn))
                  .result_int(),
              201u);
    const std::string goal = std::string(R"({"source_ref": "wt/1", "bsn": ")") + mother_bsn +
                             R"(", "domain": "financien", "kind": "goal", "category": "regular",
        "status": "active", "title": ")" +
                             wijkteam_title + R"(", "due_date": "2020-01-01"})";
    EXPECT_EQ(call(&pki_.client, bhttp::verb::post, "/v1/contributions", goal).result_int(), 201u);
    gm_ = login("gm-1", add_person("gm-1", "wijkteam", "gezinsmanager"));
    ASSERT_EQ(gm_.response.result(), bhttp::status::ok) << gm_.response.body();
    // The municipality's coordination decision: without it (or consent) the example policy
    // shows the gezinsmanager nothing at all, not even the wijkteam's own goal.
    const auto ground = person_call(gm_, bhttp::verb::post, "/v1/families/" + family_ + "/grounds",
                                    coordination_ground);
    ASSERT_EQ(ground.result(), bhttp::status::created) << ground.body();
  }

  boost::json::value plan_of(const signed_in& who) {
    const auto res = person_call(who, bhttp::verb::get, "/v1/plans/" + family_);
    EXPECT_EQ(res.result(), bhttp::status::ok) << res.body();
    return json(res);
  }

  static const boost::json::object& domain(const boost::json::value& plan, std::string_view id) {
    for (const auto& d : plan.at("domains").as_array())
      if (d.at("id").as_string() == id) return d.as_object();
    throw std::runtime_error("no domain " + std::string(id));
  }

  std::string consent_body() const {
    const auto until =
        cases::format_date(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                           std::chrono::days(100));
    return R"({"subject_member_id": ")" + daughter_ + R"(", "granted_by": [")" + daughter_ +
           R"(", ")" + mother_ + R"("], "recipient_organisations": ["wijkteam"],
      "recipient_roles": ["gezinsmanager"], "purposes": ["plan"], "categories": ["special"],
      "domains": ["psychische-gezondheid"], "valid_until": ")" +
           until + R"(", "evidence": {"form_reference": "TF-7", "signed_on": "2026-01-05"}})";
  }

  // (action, legal basis, policy version, detail) of the newest entry with `action`.
  std::tuple<std::string, std::string, std::string, std::string> last_entry(
      const std::string& action) {
    std::tuple<std::string, std::string, std::string, std::string> out;
    auto ok = audit_->reads().with([&](store::connection& db) -> result<void> {
      auto q = db.prepare(
          "SELECT action, legal_basis, policy_version, detail FROM audit_log WHERE action = ? "
          "ORDER BY seq DESC LIMIT 1");
      if (!q) return q.error();
      q->bind(1, std::string_view(action));
      auto row = q->step();
      if (!row) return row.error();
      if (*row)
        out = std::make_tuple(std::string(q->column_text(0)), std::string(q->column_text(1)),
                              std::string(q->column_text(2)), std::string(q->column_text(3)));
      return {};
    });
    EXPECT_TRUE(ok) << ok.error().what();
    return out;
  }

  std::string family_, mother_, daughter_;
  signed_in gm_;
};

TEST_F(plan_routes_test, the_gezinsmanager_sees_the_plan_with_ggz_hidden_until_consent_is_given) {
  const auto plan = plan_of(gm_);
  EXPECT_TRUE(plan.at("own_gezinsmanager").as_bool());
  const auto& money = domain(plan, "financien");
  ASSERT_EQ(money.at("goals").as_array().size(), 1u) << money;
  EXPECT_EQ(money.at("goals").as_array()[0].at("title"), wijkteam_title);
  EXPECT_EQ(money.at("goals").as_array()[0].at("due"), "overdue");
  EXPECT_EQ(plan.at("totals").at("overdue"), 1);
  const auto& ggz = domain(plan, "psychische-gezondheid");
  EXPECT_TRUE(ggz.at("goals").as_array().empty());
  ASSERT_EQ(ggz.at("hidden").at("count"), 1) << ggz;
  bool asks_for_consent = false;
  for (const auto& reason : ggz.at("hidden").at("reasons").as_array()) {
    if (reason.at("code") != "no_consent") continue;
    asks_for_consent = true;
    EXPECT_NE(std::string(reason.at("message").as_string()).find("vraag dochter"),
              std::string::npos)
        << reason;
  }
  EXPECT_TRUE(asks_for_consent) << ggz;
  EXPECT_EQ(plan_of(gm_).as_object().at("totals"), plan.at("totals"));  // deterministic
  EXPECT_EQ(boost::json::serialize(plan).find(secret_title), std::string::npos);

  // The gezinsmanager records the missing consent in the UI's API; the item appears at once.
  const auto recorded =
      person_call(gm_, bhttp::verb::post, "/v1/families/" + family_ + "/consents", consent_body());
  ASSERT_EQ(recorded.result(), bhttp::status::created) << recorded.body();
  const std::string consent_id(json(recorded).at("consent_id").as_string());
  const auto with_consent = plan_of(gm_);
  const auto& opened = domain(with_consent, "psychische-gezondheid");
  ASSERT_EQ(opened.at("goals").as_array().size(), 1u) << opened;
  EXPECT_EQ(opened.at("goals").as_array()[0].at("title"), secret_title);
  EXPECT_EQ(opened.at("goals").as_array()[0].at("basis"), "consent");
  const auto [action, basis, version, detail] = last_entry("plan.view");
  EXPECT_NE(basis.find("consent"), std::string::npos);
  EXPECT_EQ(version, std::string(with_consent.at("policy_version").as_string()));
  EXPECT_EQ(detail.find(secret_title), std::string::npos);

  // Withdrawn: hidden again on the very next request.
  const auto withdrawn =
      person_call(gm_, bhttp::verb::post,
                  "/v1/families/" + family_ + "/consents/" + consent_id + "/withdraw", "{}");
  ASSERT_EQ(withdrawn.result(), bhttp::status::ok) << withdrawn.body();
  const auto after = plan_of(gm_);
  EXPECT_TRUE(domain(after, "psychische-gezondheid").at("goals").as_array().empty());
  EXPECT_EQ(boost::json::serialize(after).find(secret_title), std::string::npos);
}

TEST_F(plan_routes_test, my_families_lists_the_gezinsmanagers_own_families_only) {
  const auto mine = person_call(gm_, bhttp::verb::get, "/v1/me/families");
  ASSERT_EQ(mine.result(), bhttp::status::ok) << mine.body();
  const auto listed = json(mine);
  const auto& families = listed.at("families").as_array();
  ASSERT_EQ(families.size(), 1u);
  EXPECT_EQ(std::string(families[0].at("family_id").as_string()), family_);
  EXPECT_EQ(families[0].at("overdue"), 1);

  const auto other = login("gm-2", add_person("gm-2", "wijkteam", "gezinsmanager"));
  const auto theirs = person_call(other, bhttp::verb::get, "/v1/me/families");
  ASSERT_EQ(theirs.result(), bhttp::status::ok);
  EXPECT_TRUE(json(theirs).at("families").as_array().empty());
}

TEST_F(plan_routes_test, the_gezinsmanager_of_another_family_sees_nothing) {
  const auto other = login("gm-2", add_person("gm-2", "wijkteam", "gezinsmanager"));
  const auto res = person_call(other, bhttp::verb::get, "/v1/plans/" + family_);
  EXPECT_EQ(res.result(), bhttp::status::not_found) << res.body();
  EXPECT_EQ(res.body().find(wijkteam_title), std::string::npos);
}

TEST_F(plan_routes_test, the_procesmanager_sees_status_and_never_text) {
  const auto pm = login("pm-1", add_person("pm-1", "wijkteam", "procesmanager"));
  const auto res = person_call(pm, bhttp::verb::get, "/v1/oversight");
  ASSERT_EQ(res.result(), bhttp::status::ok) << res.body();
  EXPECT_EQ(res.body().find(wijkteam_title), std::string::npos);
  EXPECT_EQ(res.body().find(secret_title), std::string::npos);
  EXPECT_EQ(res.body().find("moeder"), std::string::npos);
  const auto view = json(res);
  ASSERT_EQ(view.at("families").as_array().size(), 1u);
  EXPECT_EQ(view.at("families").as_array()[0].at("overdue"), 1);
  // The procesmanager's role does not open the gezinsmanager's views.
  EXPECT_EQ(person_call(pm, bhttp::verb::get, "/v1/me/families").result(),
            bhttp::status::forbidden);
  // Nor does a gezinsmanager get the oversight.
  EXPECT_EQ(person_call(gm_, bhttp::verb::get, "/v1/oversight").result(), bhttp::status::forbidden);
}

// The family's gezinsmanager is one person, named by organisation and user id: signed in with the
// role gezinsmanager, or through their organisation's own system (X-Sluis-User). Both callers get
// the same members, ages and consent status; a colleague's user id at that organisation does not.
TEST_F(plan_routes_test, the_family_gezinsmanager_is_one_person_signed_in_or_through_their_system) {
  // GET `target` as the wijkteam's system acting for `user`; the body of its 200.
  const auto as_system = [&](const std::string& user, const std::string& target) {
    http_request req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "localhost");
    req.set("X-Sluis-User", user);
    auto client = wijkteam();
    EXPECT_FALSE(client.connect());
    const auto res = client.request(req);
    if (!res) {
      ADD_FAILURE() << "no answer to " << target;
      return boost::json::value();
    }
    EXPECT_EQ(res->result(), bhttp::status::ok) << user << ": " << res->body();
    return json(*res);
  };
  const auto plan = "/v1/plans/" + family_;
  const auto person = plan_of(gm_);
  const auto system = as_system("gm-1", plan);
  EXPECT_TRUE(person.at("own_gezinsmanager").as_bool());
  EXPECT_TRUE(system.at("own_gezinsmanager").as_bool());
  ASSERT_EQ(person.at("members").as_array().size(), 2u) << person;
  // The members, their gezag and their consents are the gezinsmanager's either way. What consent
  // is missing follows what this viewer is not shown: a partner system acts as a professional of
  // its organisation (it sees the wijkteam's own goal), a signed-in person in their own role.
  const auto without_missing = [](boost::json::value members) {
    for (auto& m : members.as_array()) m.at("consent").as_object().erase("missing");
    return members;
  };
  EXPECT_EQ(without_missing(system.at("members")), without_missing(person.at("members")));
  EXPECT_TRUE(person.at("members").as_array()[0].as_object().contains("age"));

  const auto colleague = as_system("gm-2", plan);
  EXPECT_FALSE(colleague.at("own_gezinsmanager").as_bool());
  EXPECT_NE(colleague.at("members"), person.at("members"));

  // The involvement view (partner systems only) takes the same fact; the family's own system sees
  // the same organisations involved, for the gezinsmanager as for a colleague.
  const auto involvement = "/v1/families/" + family_ + "/involvement?purpose=plan";
  const auto involved = as_system("gm-1", involvement).at("organisations");
  EXPECT_FALSE(involved.as_array().empty());
  EXPECT_EQ(as_system("gm-2", involvement).at("organisations"), involved);
}

TEST_F(plan_routes_test, a_partner_professional_sees_their_own_contribution_in_full) {
  http_request req{bhttp::verb::get, "/v1/plans/" + family_, 11};
  req.set(bhttp::field::host, "localhost");
  req.set("X-Sluis-User", "ggz-prof");
  auto client = ggz();
  ASSERT_FALSE(client.connect());
  const auto res = client.request(req);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->result(), bhttp::status::ok) << res->body();
  const auto plan = json(*res);
  EXPECT_FALSE(plan.at("own_gezinsmanager").as_bool());
  const auto& ggz_domain = domain(plan, "psychische-gezondheid");
  ASSERT_EQ(ggz_domain.at("goals").as_array().size(), 1u);
  EXPECT_EQ(ggz_domain.at("goals").as_array()[0].at("title"), secret_title);
  // The wijkteam's goal is not GGZ's to read as text.
  EXPECT_EQ(res->body().find(wijkteam_title), std::string::npos);
}

}  // namespace
}  // namespace sluis::testing
