// Consents, coordination grounds and break-the-glass over the real server: mutual TLS, a real
// SQLCipher store, the real audit log and the example policy. What is recorded through the API
// changes the very next decision, and every request leaves one audit entry without text.

#include <gtest/gtest.h>

#include <string>

#include "gateway/audit/search.hpp"
#include "gateway/case/content_codec.hpp"
#include "gateway/store/connection.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;

constexpr const char* justification =
    "Melding van acuut gevaar voor de dochter; moeder is niet bereikbaar.";

class LegalRoutes : public gateway_fixture {
 protected:
  // One request on a fresh connection, with X-Sluis-User when `user` is not empty.
  http_response as(const test_client_certificate* cert, const std::string& user, bhttp::verb method,
                   const std::string& target, const std::string& body = {}) {
    tls_client c = client_for(cert);
    EXPECT_FALSE(c.connect());
    http_request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!user.empty()) req.set("X-Sluis-User", user);
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    auto res = c.request(req);
    EXPECT_TRUE(res.has_value()) << target;
    return res ? *res : http_response{};
  }

  std::vector<audit::audit_entry> entries(const std::string& action) {
    audit::search_filter filter;
    filter.action = action;
    filter.limit = 1000;
    auto found =
        audit_->reads().with([&](store::connection& db) { return audit::search(db, filter); });
    EXPECT_TRUE(found) << found.error().what();
    return found ? *found : std::vector<audit::audit_entry>{};
  }

  // The member ids of the fixture's family: mother and daughter (15, gezag: mother).
  void read_members(const std::string& family) {
    auto res = as(&pki_.client, "gm-1", bhttp::verb::get, "/v1/families/" + family);
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    const auto body = json(res);
    for (const auto& m : body.at("members").as_array()) {
      const auto label = m.at("label").as_string();
      (label == "moeder" ? mother_ : daughter_) = std::string(m.at("member_id").as_string());
    }
  }

  // A day from today, within the example policy's maximum consent validity (365 days).
  static std::string in_days(int n) {
    return cases::format_date(
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
        std::chrono::days(n));
  }

  // The daughter and her mother share the daughter's GGZ data with the wijkteam, for the plan.
  std::string consent_body() const {
    return R"({"subject_member_id": ")" + daughter_ + R"(", "granted_by": [")" + daughter_ +
           R"(", ")" + mother_ + R"("],
      "recipient_organisations": ["wijkteam"], "purposes": ["plan"], "categories": ["special"],
      "domains": ["psychische-gezondheid"], "valid_until": ")" +
           in_days(200) + R"(",
      "evidence": {"form_reference": "TOESTEMMING-0042", "signed_on": "2026-01-05"},
      "note": "Besproken tijdens huisbezoek"})";
  }

  bool wijkteam_sees_ggz(const std::string& family) {
    auto res = as(&pki_.client, "prof-1", bhttp::verb::get,
                  "/v1/families/" + family + "/involvement?purpose=plan");
    EXPECT_EQ(res.result_int(), 200u) << res.body();
    const auto body = json(res);
    for (const auto& org : body.at("organisations").as_array())
      if (org.at("organisation").as_string() == "ggz") return true;
    return false;
  }

  std::string mother_, daughter_;
};

TEST_F(LegalRoutes, ConsentShowsGgzInvolvementAndWithdrawalHidesItOnTheNextRequest) {
  start();
  const std::string family = register_family();
  read_members(family);
  ASSERT_EQ(call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                 contribution_body("ggz/1", daughter_bsn))
                .result_int(),
            201u);
  EXPECT_FALSE(wijkteam_sees_ggz(family));

  auto recorded = as(&pki_.client, "gm-1", bhttp::verb::post,
                     "/v1/families/" + family + "/consents", consent_body());
  ASSERT_EQ(recorded.result_int(), 201u) << recorded.body();
  const auto consent = json(recorded);
  const std::string id(consent.at("consent_id").as_string());
  EXPECT_EQ(consent.at("state").as_string(), "valid");
  EXPECT_EQ(consent.at("subject").at("label").as_string(), "dochter");
  EXPECT_TRUE(wijkteam_sees_ggz(family));

  // The consent was for the wijkteam: GGZ's own view is unchanged, and the consent does not make
  // the family visible to an organisation it does not name.
  auto listed = as(&pki_.client, "gm-1", bhttp::verb::get, "/v1/families/" + family + "/consents");
  ASSERT_EQ(listed.result_int(), 200u);
  ASSERT_EQ(json(listed).at("consents").as_array().size(), 1u);

  auto withdrawn = as(&pki_.client, "gm-1", bhttp::verb::post,
                      "/v1/families/" + family + "/consents/" + id + "/withdraw");
  ASSERT_EQ(withdrawn.result_int(), 200u) << withdrawn.body();
  EXPECT_EQ(json(withdrawn).at("state").as_string(), "withdrawn");
  EXPECT_FALSE(wijkteam_sees_ggz(family));
  EXPECT_EQ(as(&pki_.client, "gm-1", bhttp::verb::post,
               "/v1/families/" + family + "/consents/" + id + "/withdraw")
                .result_int(),
            409u);

  // One audit entry each, with the legal basis and the subject, and never the consent's text.
  const auto record_entries = entries("consent.record");
  ASSERT_EQ(record_entries.size(), 1u);
  EXPECT_EQ(record_entries.front().legal_basis, "consent");
  EXPECT_EQ(record_entries.front().resource.id, id);
  EXPECT_EQ(record_entries.front().actor_user, "gm-1");
  EXPECT_EQ(record_entries.front().subjects.size(), 1u);
  ASSERT_EQ(entries("consent.withdraw").size(), 2u);  // the withdrawal and the refused second one
  EXPECT_EQ(entries("consent.list").size(), 1u);
  EXPECT_FALSE(any_file_contains(data_, "TOESTEMMING-0042"));
  EXPECT_FALSE(any_file_contains(data_, "huisbezoek"));
}

TEST_F(LegalRoutes, OnlyTheGezinsmanagerOrganisationManagesConsentsAndANamedUserRecords) {
  start();
  const std::string family = register_family();
  read_members(family);
  // GGZ is not the gezinsmanager's organisation: the family does not exist for it.
  EXPECT_EQ(
      as(&pki_.second_client, "ggz-1", bhttp::verb::get, "/v1/families/" + family + "/consents")
          .result_int(),
      404u);
  EXPECT_EQ(as(&pki_.second_client, "ggz-1", bhttp::verb::post,
               "/v1/families/" + family + "/consents", consent_body())
                .result_int(),
            404u);
  // A partner system must name who records.
  auto unnamed = as(&pki_.client, "", bhttp::verb::post, "/v1/families/" + family + "/consents",
                    consent_body());
  ASSERT_EQ(unnamed.result_int(), 422u);
  EXPECT_NE(unnamed.body().find("X-Sluis-User"), std::string::npos);
  // A signer from outside the family is refused, naming the field and not the value.
  std::string stranger = consent_body();
  stranger.replace(stranger.find(mother_), mother_.size(), "mem-stranger");
  auto refused =
      as(&pki_.client, "gm-1", bhttp::verb::post, "/v1/families/" + family + "/consents", stranger);
  ASSERT_EQ(refused.result_int(), 422u);
  EXPECT_NE(refused.body().find("granted_by"), std::string::npos);
  EXPECT_EQ(refused.body().find("mem-stranger"), std::string::npos);
  auto listed = as(&pki_.client, "gm-1", bhttp::verb::get, "/v1/families/" + family + "/consents");
  EXPECT_TRUE(json(listed).at("consents").as_array().empty());
}

TEST_F(LegalRoutes, GroundIsRecordedListedAndEnded) {
  start();
  const std::string family = register_family();
  const std::string body = coordination_ground;
  auto short_motivation =
      as(&pki_.client, "gm-1", bhttp::verb::post, "/v1/families/" + family + "/grounds",
         R"({"decided_by": "teamleider", "necessity": "nodig",
      "proportionality": "Alleen koppen van reguliere gegevens.",
      "subsidiarity": "Toestemming is gevraagd en niet verkregen.",
      "family_informed_on": "2026-01-05", "valid_until": "2099-01-01"})");
  ASSERT_EQ(short_motivation.result_int(), 422u);
  EXPECT_NE(short_motivation.body().find("necessity"), std::string::npos);

  auto recorded =
      as(&pki_.client, "gm-1", bhttp::verb::post, "/v1/families/" + family + "/grounds", body);
  ASSERT_EQ(recorded.result_int(), 201u) << recorded.body();
  const std::string id(json(recorded).at("ground_id").as_string());
  auto listed = as(&pki_.client, "gm-1", bhttp::verb::get, "/v1/families/" + family + "/grounds");
  ASSERT_EQ(listed.result_int(), 200u);
  ASSERT_EQ(json(listed).at("grounds").as_array().size(), 1u);
  EXPECT_EQ(json(listed).at("grounds").as_array()[0].at("state").as_string(), "valid");
  auto ended = as(&pki_.client, "gm-1", bhttp::verb::post,
                  "/v1/families/" + family + "/grounds/" + id + "/end");
  ASSERT_EQ(ended.result_int(), 200u) << ended.body();
  EXPECT_EQ(json(ended).at("state").as_string(), "ended");

  const auto audited = entries("ground.record");
  ASSERT_EQ(audited.size(), 2u);  // the refusal and the recording
  for (const auto& e : audited) EXPECT_EQ(e.legal_basis, "coordination");
  EXPECT_FALSE(any_file_contains(data_, "onderlinge afstemming"));
}

TEST_F(LegalRoutes, ShortBreakGlassJustificationIsRefusedNamingTheField) {
  start();
  const std::string family = register_family();
  auto res =
      as(&pki_.client, "prof-1", bhttp::verb::post, "/v1/families/" + family + "/break-glass",
         R"({"justification": "spoed, kind in nood", "minutes": 60})");
  ASSERT_EQ(res.result_int(), 422u) << res.body();
  const auto problem = json(res);
  ASSERT_TRUE(problem.as_object().contains("errors"));
  EXPECT_EQ(problem.at("errors").as_array()[0].at("field").as_string(), "justification");
  EXPECT_EQ(res.body().find("kind in nood"), std::string::npos);
  // A partner system must name the user who breaks the glass.
  auto unnamed = as(&pki_.client, "", bhttp::verb::post, "/v1/families/" + family + "/break-glass",
                    std::string(R"({"justification": ")") + justification + "\"}");
  EXPECT_EQ(unnamed.result_int(), 422u);

  const auto refused = entries("break_glass.request");  // newest first
  ASSERT_EQ(refused.size(), 2u);
  EXPECT_EQ(refused.back().outcome.kind, audit::outcome_kind::refused);
  EXPECT_EQ(refused.back().detail.at("field").as_string(), "justification");
  EXPECT_TRUE(refused.back().break_glass);
}

TEST_F(LegalRoutes, ActiveBreakGlassOpensGgzInvolvementAndIsFlaggedInTheAudit) {
  start();
  const std::string family = register_family();
  ASSERT_EQ(call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                 contribution_body("ggz/1", daughter_bsn))
                .result_int(),
            201u);
  EXPECT_FALSE(wijkteam_sees_ggz(family));
  auto granted =
      as(&pki_.client, "prof-1", bhttp::verb::post, "/v1/families/" + family + "/break-glass",
         std::string(R"({"justification": ")") + justification + R"(", "minutes": 30})");
  ASSERT_EQ(granted.result_int(), 201u) << granted.body();
  EXPECT_TRUE(json(granted).at("active").as_bool());
  EXPECT_EQ(json(granted).at("review").at("state").as_string(), "pending");

  const auto requests = entries("break_glass.request");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests.front().break_glass);
  EXPECT_EQ(requests.front().legal_basis, "vital-interest");
  EXPECT_EQ(requests.front().detail.at("minutes").as_int64(), 30);

  // The grant is for prof-1 only, and the read that relies on it is flagged.
  EXPECT_TRUE(wijkteam_sees_ggz(family));
  auto involvement = entries("family.involvement");  // newest first
  ASSERT_EQ(involvement.size(), 2u);
  EXPECT_TRUE(involvement.front().break_glass);
  EXPECT_EQ(involvement.front().legal_basis, "vital-interest");
  EXPECT_FALSE(involvement.back().break_glass);
  auto colleague = as(&pki_.client, "prof-2", bhttp::verb::get,
                      "/v1/families/" + family + "/involvement?purpose=plan");
  ASSERT_EQ(colleague.result_int(), 200u);
  const auto seen_by_colleague = json(colleague);
  for (const auto& org : seen_by_colleague.at("organisations").as_array())
    EXPECT_NE(org.at("organisation").as_string(), "ggz");
  EXPECT_FALSE(any_file_contains(data_, "moeder is niet bereikbaar"));
}

TEST_F(LegalRoutes, ReviewQueueIsForThePrivacyOfficerOnly) {
  start();
  auto queue = as(&pki_.client, "prof-1", bhttp::verb::get, "/v1/break-glass?state=pending");
  EXPECT_EQ(queue.result_int(), 403u);
  auto review = as(&pki_.client, "prof-1", bhttp::verb::post, "/v1/break-glass/btg-x/review",
                   R"({"outcome": "justified", "note": "ok"})");
  EXPECT_EQ(review.result_int(), 403u);
  const auto refused = entries("break_glass.queue");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused.front().outcome.code, "forbidden");
}

TEST_F(LegalRoutes, FamilyLabelIsSealedAndReturnedOnRead) {
  start();
  auto registered =
      as(&pki_.client, "gm-1", bhttp::verb::post, "/v1/families",
         std::string(R"({"gezinsmanager": {"user_id": "gm-1", "name": "GM"},
      "label": "Gezin Zwanenburg", "members": [{"bsn": ")") +
             mother_bsn +
             R"(", "role": "parent", "label": "moeder", "date_of_birth": "1985-03-01"}]})");
  ASSERT_EQ(registered.result_int(), 201u) << registered.body();
  const std::string family(json(registered).at("family_id").as_string());
  auto read = as(&pki_.client, "gm-1", bhttp::verb::get, "/v1/families/" + family);
  ASSERT_EQ(read.result_int(), 200u);
  EXPECT_EQ(json(read).at("label").as_string(), "Gezin Zwanenburg");
  EXPECT_FALSE(any_file_contains(data_, "Zwanenburg"));
}

TEST_F(LegalRoutes, PrivacyOfficerReviewsEachGrantOnce) {
  start();
  const std::string family = register_family();
  auto granted =
      as(&pki_.client, "prof-1", bhttp::verb::post, "/v1/families/" + family + "/break-glass",
         std::string(R"({"justification": ")") + justification + "\"}");
  ASSERT_EQ(granted.result_int(), 201u) << granted.body();
  const std::string id(json(granted).at("grant_id").as_string());

  const auto officer = login("po-1", add_person("po-1", "wijkteam", "privacy-officer"));
  ASSERT_EQ(officer.response.result_int(), 200u) << officer.response.body();
  auto pending = person_call(officer, bhttp::verb::get, "/v1/break-glass?state=pending");
  ASSERT_EQ(pending.result_int(), 200u) << pending.body();
  const auto pending_body = json(pending);
  const auto& grants = pending_body.at("grants").as_array();
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].at("grant_id").as_string(), id);
  EXPECT_EQ(grants[0].at("justification").as_string(), justification);
  EXPECT_EQ(person_call(officer, bhttp::verb::get, "/v1/break-glass?state=other").result_int(),
            422u);

  auto reviewed = person_call(officer, bhttp::verb::post, "/v1/break-glass/" + id + "/review",
                              R"({"outcome": "unjustified", "note": "Geen acuut gevaar."})");
  ASSERT_EQ(reviewed.result_int(), 200u) << reviewed.body();
  EXPECT_EQ(json(reviewed).at("review").at("state").as_string(), "unjustified");
  EXPECT_EQ(person_call(officer, bhttp::verb::post, "/v1/break-glass/" + id + "/review",
                        R"({"outcome": "justified", "note": "Toch wel."})")
                .result_int(),
            409u);
  auto done = person_call(officer, bhttp::verb::get, "/v1/break-glass?state=reviewed");
  ASSERT_EQ(done.result_int(), 200u);
  EXPECT_EQ(json(done).at("grants").as_array().size(), 1u);
  EXPECT_TRUE(json(person_call(officer, bhttp::verb::get, "/v1/break-glass"))
                  .at("grants")
                  .as_array()
                  .empty());

  const auto reviews = entries("break_glass.review");  // newest first
  ASSERT_EQ(reviews.size(), 2u);
  EXPECT_EQ(reviews.back().actor_user, "po-1");
  EXPECT_EQ(reviews.back().family_id, family);
  EXPECT_EQ(reviews.back().detail.at("outcome").as_string(), "unjustified");
  EXPECT_EQ(reviews.front().outcome.code, "conflict");
  EXPECT_FALSE(any_file_contains(data_, "Geen acuut gevaar"));
}

}  // namespace
}  // namespace sluis::testing
