// The partner API against the real server over real mutual TLS, with a real SQLCipher store, the
// real audit log and the example policy.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "gateway/audit/search.hpp"
#include "gateway/audit/verify.hpp"
#include "gateway/store/connection.hpp"
#include "gateway/store/statement.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;
using ::testing::HasSubstr;
using ::testing::Not;

class PartnerApi : public gateway_fixture {
 protected:
  // Holds the audit log's writer, submits a contribution, and says whether it was answered while
  // the writer was held; then checks that the log has the answered write's entry.
  void answered_while_the_log_is_held(bool expect_early);
  // The wijkteam's own involvement with the family ("wt-1").
  http_response submit_own_involvement(const std::string& family) {
    return call(&pki_.client, bhttp::verb::post, "/v1/contributions",
                R"({"source_ref": "wt-1", "family_id": ")" + family +
                    R"(", "domain": "wonen", "kind": "involvement",
                    "category": "regular", "status": "active", "title": "Regie"})");
  }
};

// The family a contribution landed in, read from the store (the submitter may not be told).
std::string stored_family_of(store::store& st, const std::string& contribution_id) {
  auto found = st.reads().with([&](store::connection& db) -> result<std::string> {
    auto q = db.cached("SELECT coalesce(family_id, '') FROM contributions WHERE id = ?");
    if (!q) return q.error();
    (*q)->bind(1, contribution_id);
    auto row = (*q)->step();
    if (!row) return row.error();
    if (!*row) return std::string("(no such contribution)");
    return std::string((*q)->column_text(0));
  });
  return found ? *found : found.error().message();
}

audit::verify_report verify_log(audit::journal& st, const keys::keyring& kr) {
  const audit::public_key key = kr.audit_signer().public_key();
  auto report = st.reads().with([&](store::connection& db) { return audit::verify(db, key); });
  EXPECT_TRUE(report) << report.error().what();
  return report ? *report : audit::verify_report{};
}

std::vector<audit::audit_entry> audit_entries(audit::journal& st, std::string action = {}) {
  audit::search_filter filter;
  if (!action.empty()) filter.action = std::move(action);
  filter.limit = 1000;
  auto found = st.reads().with([&](store::connection& db) { return audit::search(db, filter); });
  EXPECT_TRUE(found) << found.error().what();
  return found ? *found : std::vector<audit::audit_entry>{};
}

TEST_F(PartnerApi, RegisteredFamilyIsReadBackByItsGezinsmanagerOrganisationOnly) {
  start();
  const std::string family = register_family();
  auto own = call(&pki_.client, bhttp::verb::get, "/v1/families/" + family);
  ASSERT_EQ(own.result_int(), 200u) << own.body();
  const auto body = json(own);
  EXPECT_EQ(body.at("members").as_array().size(), 2u);
  EXPECT_EQ(body.at("members").at(1).at("gezag_holders").at(0).as_string(), "moeder");
  EXPECT_THAT(own.body(), Not(HasSubstr(daughter_bsn)));
  auto other = call(&pki_.second_client, bhttp::verb::get, "/v1/families/" + family);
  EXPECT_EQ(other.result_int(), 404u);
}

TEST_F(PartnerApi, EveryRefusedClientIsRefused) {
  start();
  // No certificate: the handshake succeeds (the web UI shares the port), the partner API says 401.
  auto anonymous = call(nullptr, bhttp::verb::get, "/v1/contributions");
  EXPECT_EQ(anonymous.result_int(), 401u);
  EXPECT_EQ(anonymous[bhttp::field::content_type], "application/problem+json");
  // Another CA, an expired certificate: no HTTP exchange at all.
  for (const auto* cert : {&pki_.foreign_client, &pki_.expired_client}) {
    tls_client c = client_for(cert);
    const auto ec = c.connect();
    if (!ec) {
      EXPECT_FALSE(c.get("/v1/contributions").has_value());
    }
  }
  const auto refusals = audit_entries(*audit_, "api.access");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].outcome.code, "unauthenticated");
}

TEST_F(PartnerApi, CertificateOfNoConfiguredOrganisationIsForbidden) {
  start({.configure_second_client = false});
  auto res = call(&pki_.second_client, bhttp::verb::get, "/v1/contributions");
  EXPECT_EQ(res.result_int(), 403u) << res.body();
  const auto refusals = audit_entries(*audit_, "api.access");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].resource.id, pki_.second_client.sha256_fingerprint);
}

TEST_F(PartnerApi, BadRequestsGetProblemsNamingTheField) {
  start();
  auto malformed = call(&pki_.client, bhttp::verb::post, "/v1/families", "{not json");
  EXPECT_EQ(malformed.result_int(), 400u);
  auto wrong_type = call(&pki_.client, bhttp::verb::post, "/v1/contributions",
                         contribution_body("r1", daughter_bsn, R"(, "title": 5)"));
  EXPECT_EQ(wrong_type.result_int(), 422u);
  EXPECT_EQ(json(wrong_type).at("errors").at(0).at("field").as_string(), "title");
  auto bad_bsn = call(&pki_.client, bhttp::verb::post, "/v1/contributions",
                      contribution_body("r1", "123456789"));
  EXPECT_EQ(bad_bsn.result_int(), 422u);
  EXPECT_EQ(json(bad_bsn).at("errors").at(0).at("field").as_string(), "bsn");
  EXPECT_THAT(bad_bsn.body(), Not(HasSubstr("123456789")));
  auto too_large =
      call(&pki_.client, bhttp::verb::post, "/v1/contributions", std::string(2 * 1024 * 1024, 'x'));
  EXPECT_EQ(too_large.result_int(), 413u);
  auto unknown = call(&pki_.client, bhttp::verb::get, "/v1/nothing-here");
  EXPECT_EQ(unknown.result_int(), 404u);
  auto wrong_method = call(&pki_.client, bhttp::verb::put, "/v1/contributions");
  EXPECT_EQ(wrong_method.result_int(), 405u);
  EXPECT_THAT(std::string(wrong_method[bhttp::field::allow]), HasSubstr("POST"));
  // Nothing was stored by any of them.
  auto list = call(&pki_.client, bhttp::verb::get, "/v1/contributions");
  EXPECT_EQ(json(list).at("contributions").as_array().size(), 0u);
}

TEST_F(PartnerApi, RateLimitAnswers429WithRetryAfter) {
  start({.rate_limit_per_second = 0.01, .rate_limit_burst = 3});
  std::vector<unsigned> statuses;
  tls_client c = wijkteam();
  ASSERT_FALSE(c.connect());
  for (int i = 0; i < 5; ++i) {
    auto res = c.get("/v1/contributions");
    ASSERT_TRUE(res);
    statuses.push_back(res->result_int());
    if (res->result_int() == 429) {
      EXPECT_FALSE((*res)[bhttp::field::retry_after].empty());
    }
  }
  EXPECT_EQ(statuses.front(), 200u);
  EXPECT_EQ(statuses.back(), 429u);
}

void PartnerApi::answered_while_the_log_is_held(bool expect_early) {
  std::promise<void> release;
  auto held = release.get_future().share();
  audit_->writer().submit(
      [held](store::connection&) -> result<void> {
        held.wait();
        return {};
      },
      [](result<void>) {});
  auto answer = std::async(std::launch::async, [this] {
    return call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                contribution_body("ggz/1", daughter_bsn));
  });
  const auto early = answer.wait_for(std::chrono::seconds(expect_early ? 20 : 1));
  EXPECT_EQ(early == std::future_status::ready, expect_early);
  release.set_value();
  const auto res = answer.get();
  ASSERT_EQ(res.result_int(), 201u) << res.body();
  const std::string id(json(res).at("contribution_id").as_string());
  bool found = false;
  for (const auto& e : audit_entries(*audit_, "contribution.submit")) found |= e.resource.id == id;
  EXPECT_TRUE(found) << "the answered write's entry is not in the log";
}

// A write is answered once its case commit, which holds its staged audit entry, is durable: not
// after a second commit in audit.db. A search of the log made after the answer still finds the
// entry: every reader of the log waits for the appends handed over before it. When more appends
// wait than the journal's max_lag allows, the answer waits for its entry after all.
TEST_F(PartnerApi, AWriteIsAnsweredWithoutWaitingForTheAuditFileAndTheLogStillHasIt) {
  start();
  register_family();
  answered_while_the_log_is_held(true);
}

TEST_F(PartnerApi, AWriteWaitsForItsEntryWhenTheLogLagsTooFar) {
  start({.audit_max_lag = 0});
  register_family();
  answered_while_the_log_is_held(false);
}

// A write is answered once it and its staged entry are durable in sluis.db; its append to audit.db
// follows (gateway/audit/journal.hpp). Should that append fail, the entry stays staged for the next
// start, and every later write is refused with 503 and changes nothing.
TEST_F(PartnerApi, AfterAFailedAppendTheEntryStaysStagedAndWritesAreRefused) {
  start();
  register_family();
  // The log breaks: the table of its entries' subjects is gone, so the next append fails.
  ASSERT_TRUE(audit_->writer().run([](store::connection& db) {
    return db.execute("ALTER TABLE audit_subjects RENAME TO audit_subjects_broken");
  }));
  auto answered = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                       contribution_body("ggz/1", daughter_bsn));
  ASSERT_EQ(answered.result_int(), 201u) << answered.body();
  const std::string id(json(answered).at("contribution_id").as_string());
  for (int i = 0; i < 500 && !audit_->failing(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(audit_->failing());
  auto refused = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                      contribution_body("ggz/2", daughter_bsn));
  EXPECT_EQ(refused.result_int(), 503u) << refused.body();
  auto stored = store_->reads().with([&](store::connection& db) -> result<std::string> {
    std::string out;
    for (const char* sql : {"SELECT count(*) FROM contributions WHERE source_ref = 'ggz/2'",
                            "SELECT count(*) FROM audit_outbox WHERE entry LIKE '%contribution."
                            "submit%' AND entry LIKE '%' || (SELECT id FROM contributions WHERE "
                            "source_ref = 'ggz/1') || '%'"}) {
      auto q = db.prepare(sql);
      if (!q) return q.error();
      auto row = q->step();
      if (!row) return row.error();
      out += std::to_string(q->column_int64(0));
    }
    return out;
  });
  ASSERT_TRUE(stored) << stored.error().what();
  EXPECT_EQ(*stored, "01") << "the refused write is not stored; the answered one is staged";
  EXPECT_FALSE(id.empty());
}

TEST_F(PartnerApi, ResubmissionUpdatesTheSameContribution) {
  start();
  const std::string family = register_family();
  auto first = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                    contribution_body("ggz/1", daughter_bsn));
  ASSERT_EQ(first.result_int(), 201u) << first.body();
  EXPECT_EQ(json(first).at("result").as_string(), "created");
  // GGZ is not the family's organisation: matching happened, but it is not told (issue 10).
  EXPECT_TRUE(json(first).at("family_id").is_null());
  EXPECT_EQ(stored_family_of(*store_, std::string(json(first).at("contribution_id").as_string())),
            family);
  auto again = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                    contribution_body("ggz/1", daughter_bsn, R"(, "status": "done")"));
  ASSERT_EQ(again.result_int(), 200u) << again.body();
  EXPECT_EQ(json(again).at("result").as_string(), "updated");
  const auto id = std::string(json(first).at("contribution_id").as_string());
  EXPECT_EQ(json(again).at("contribution_id").as_string(), id);
  auto read = call(&pki_.second_client, bhttp::verb::get, "/v1/contributions/" + id);
  ASSERT_EQ(read.result_int(), 200u);
  EXPECT_EQ(json(read).at("status").as_string(), "done");
  EXPECT_TRUE(json(read).at("subject").at("label").is_null());
  // Another organisation cannot read it.
  EXPECT_EQ(call(&pki_.client, bhttp::verb::get, "/v1/contributions/" + id).result_int(), 404u);
}

// Who is involved is decided on the records' facts alone: the view opens no payload, so it shows
// the same answer when a payload could not even be opened, while the plan view, which shows
// content, refuses to answer from a damaged record.
TEST_F(PartnerApi, WhoIsInvolvedIsDecidedWithoutOpeningAnyPayload) {
  start();
  const std::string family = register_family();
  const auto own = submit_own_involvement(family);
  ASSERT_EQ(own.result_int(), 201u) << own.body();
  const std::string target = "/v1/families/" + family + "/involvement?purpose=signalling";
  const auto before = call(&pki_.client, bhttp::verb::get, target);
  ASSERT_EQ(before.result_int(), 200u) << before.body();
  ASSERT_TRUE(store_->writes().run([](store::connection& db) {
    return db.execute("UPDATE contributions SET sealed = zeroblob(64)");
  }));
  const auto after = call(&pki_.client, bhttp::verb::get, target);
  ASSERT_EQ(after.result_int(), 200u) << after.body();
  EXPECT_EQ(json(after).at("organisations"), json(before).at("organisations"));
  EXPECT_EQ(call(&pki_.client, bhttp::verb::get, "/v1/plans/" + family).result_int(), 500u)
      << "the plan view opens the payloads it shows";
}

TEST_F(PartnerApi, PolicyDecidesWhoElseIsInvolvedAndWithdrawalHides) {
  start();
  const std::string family = register_family();
  const auto wijkteam_goal = submit_own_involvement(family);
  ASSERT_EQ(wijkteam_goal.result_int(), 201u) << wijkteam_goal.body();
  auto ggz = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                  contribution_body("ggz/1", daughter_bsn));
  ASSERT_EQ(ggz.result_int(), 201u);
  const std::string target = "/v1/families/" + family + "/involvement?purpose=signalling";

  // Without consent or a coordination ground the example policy shows each organisation only
  // itself: GGZ's involvement (professional secrecy, special data) does not leak to the wijkteam.
  auto seen_by_wijkteam = call(&pki_.client, bhttp::verb::get, target);
  ASSERT_EQ(seen_by_wijkteam.result_int(), 200u) << seen_by_wijkteam.body();
  const auto seen = json(seen_by_wijkteam);
  const auto& orgs = seen.at("organisations").as_array();
  ASSERT_EQ(orgs.size(), 1u);
  EXPECT_EQ(orgs[0].at("organisation").as_string(), "wijkteam");
  EXPECT_EQ(json(seen_by_wijkteam).at("policy_version").as_string(), policy_->current()->version());

  // GGZ sees itself until it withdraws; then, with nothing visible, the family is not found.
  ASSERT_EQ(call(&pki_.second_client, bhttp::verb::get, target).result_int(), 200u);
  const auto id = std::string(json(ggz).at("contribution_id").as_string());
  EXPECT_EQ(call(&pki_.second_client, bhttp::verb::delete_, "/v1/contributions/" + id).result_int(),
            204u);
  EXPECT_EQ(call(&pki_.second_client, bhttp::verb::get, target).result_int(), 404u);
  EXPECT_EQ(
      call(&pki_.client, bhttp::verb::get, "/v1/families/" + family + "/involvement").result_int(),
      422u);

  const auto entries = audit_entries(*audit_, "family.involvement");
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.back().policy_version, policy_->current()->version());
}

TEST_F(PartnerApi, UnmatchedSignalIsMatchedWhenThePersonJoinsAFamily) {
  start();
  const std::string family = register_family();
  auto signal = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                     contribution_body("ggz/father", father_bsn));
  ASSERT_EQ(signal.result_int(), 201u) << signal.body();
  EXPECT_TRUE(json(signal).at("family_id").is_null());
  const auto id = std::string(json(signal).at("contribution_id").as_string());

  auto added = call(&pki_.client, bhttp::verb::post, "/v1/families/" + family + "/members",
                    std::string(R"({"bsn": ")") + father_bsn +
                        R"(", "role": "parent", "label": "vader", "date_of_birth": "1980-01-01"})");
  ASSERT_EQ(added.result_int(), 201u) << added.body();
  auto read = call(&pki_.second_client, bhttp::verb::get, "/v1/contributions/" + id);
  ASSERT_EQ(read.result_int(), 200u) << read.body();
  EXPECT_EQ(stored_family_of(*store_, id), family);  // matched on the server, not told to GGZ
  EXPECT_TRUE(json(read).at("family_id").is_null());
  EXPECT_EQ(json(read).at("title").as_string(), secret_title);  // re-sealed, still readable

  const auto member = std::string(json(added).at("member_id").as_string());
  EXPECT_EQ(
      call(&pki_.client, bhttp::verb::delete_, "/v1/families/" + family + "/members/" + member)
          .result_int(),
      204u);
  auto after = json(call(&pki_.client, bhttp::verb::get, "/v1/families/" + family));
  EXPECT_EQ(after.at("members").as_array().size(), 2u);
}

// Issue 10: the answer to a submission is no membership oracle. An organisation that is not the
// family's own learns nothing from POST /v1/contributions (or from reading its own contributions
// back) about whether, where or in how many families a person is: every case answers alike, in
// status, body and header names. The family's own organisation may learn the family id.
struct answer_shape {
  unsigned status;
  std::set<std::string> header_names;
  std::string body_without_ids;
};

answer_shape shape_of(const http_response& r) {
  answer_shape out{r.result_int(), {}, {}};
  for (const auto& field : r) out.header_names.insert(std::string(field.name_string()));
  auto body = boost::json::parse(r.body());
  if (body.is_object()) {
    for (const char* varying : {"contribution_id", "instance", "request_id", "trace_id"})
      body.as_object().erase(varying);
  }
  out.body_without_ids = boost::json::serialize(body);
  return out;
}

void expect_same(const answer_shape& a, const answer_shape& b, const std::string& what) {
  EXPECT_EQ(a.status, b.status) << what;
  EXPECT_EQ(a.header_names, b.header_names) << what;
  EXPECT_EQ(a.body_without_ids, b.body_without_ids) << what;
}

TEST_F(PartnerApi, SubmissionIsNoMembershipOracle) {
  start();
  const std::string family = register_family();  // mother + daughter, the wijkteam's
  // The daughter is also in a second family (e.g. a foster family), so she is in two.
  auto second =
      call(&pki_.client, bhttp::verb::post, "/v1/families",
           std::string(R"({"gezinsmanager": {"user_id": "gm-2", "name": "X"}, "members": [
                       {"bsn": ")") +
               daughter_bsn +
               R"(", "role": "child", "label": "pleegdochter", "date_of_birth": "2011-06-15"}]})");
  ASSERT_EQ(second.result_int(), 201u) << second.body();
  const std::string unknown_family = "fam-000000000000000000000000";
  auto ggz = [&](const std::string& ref, const std::string& subject) {
    return call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                R"({"source_ref": ")" + ref + R"(", )" + subject +
                    R"(, "domain": "psychische-gezondheid", "kind": "goal", "category": "special",
                       "status": "active", "title": "t"})");
  };
  const auto bsn = [](const char* b) { return std::string(R"("bsn": ")") + b + "\""; };

  // A member of one family, a person nobody registered, a member of two families: alike.
  const auto in_one = ggz("o-1", bsn(mother_bsn));
  const auto in_none = ggz("o-2", bsn(father_bsn));
  const auto in_two = ggz("o-3", bsn(daughter_bsn));
  ASSERT_EQ(in_one.result_int(), 201u) << in_one.body();
  EXPECT_TRUE(json(in_one).at("family_id").is_null());
  expect_same(shape_of(in_one), shape_of(in_none), "member of one family vs of none");
  expect_same(shape_of(in_one), shape_of(in_two), "member of one family vs of two");

  // Naming a family: a member, a non-member, a family that does not exist, no BSN at all.
  const auto fam = [](const std::string& id) { return R"("family_id": ")" + id + "\""; };
  const auto member = ggz("o-4", bsn(mother_bsn) + ", " + fam(family));
  const auto non_member = ggz("o-5", bsn(father_bsn) + ", " + fam(family));
  const auto no_family = ggz("o-6", bsn(mother_bsn) + ", " + fam(unknown_family));
  const auto bare = ggz("o-7", fam(family));
  const auto bare_unknown = ggz("o-8", fam(unknown_family));
  EXPECT_EQ(member.result_int(), 422u) << member.body();
  expect_same(shape_of(member), shape_of(non_member), "member vs non-member of a named family");
  expect_same(shape_of(member), shape_of(no_family), "existing vs unknown named family");
  expect_same(shape_of(bare), shape_of(bare_unknown), "existing vs unknown bare family_id");

  // Reading its own contributions back tells GGZ no more than the answers did.
  for (const auto* r : {&in_one, &in_none, &in_two}) {
    const auto id = std::string(json(*r).at("contribution_id").as_string());
    const auto read = json(call(&pki_.second_client, bhttp::verb::get, "/v1/contributions/" + id));
    EXPECT_TRUE(read.at("family_id").is_null()) << id;
    EXPECT_TRUE(read.at("subject").at("member_id").is_null()) << id;
    EXPECT_TRUE(read.at("subject").at("label").is_null()) << id;
  }
  const auto listed = [&](const std::string& id) {
    return json(call(&pki_.second_client, bhttp::verb::get, "/v1/contributions?family_id=" + id))
        .at("contributions")
        .as_array()
        .size();
  };
  EXPECT_EQ(listed(family), 0u);  // though GGZ has a contribution there
  EXPECT_EQ(listed(unknown_family), 0u);

  // The server matched all the same: the mother's item is in the family, the ambiguous one waits.
  EXPECT_EQ(stored_family_of(*store_, std::string(json(in_one).at("contribution_id").as_string())),
            family);
  EXPECT_EQ(stored_family_of(*store_, std::string(json(in_two).at("contribution_id").as_string())),
            "");

  // What the family's own organisation may learn: the family id, and the member in read-backs.
  auto own = call(&pki_.client, bhttp::verb::post, "/v1/contributions",
                  R"({"source_ref": "wt-o", "bsn": ")" + std::string(mother_bsn) +
                      R"(", "domain": "wonen", "kind": "goal", "category": "regular",
                         "status": "active", "title": "t"})");
  ASSERT_EQ(own.result_int(), 201u) << own.body();
  EXPECT_EQ(json(own).at("family_id").as_string(), family);
  const auto own_id = std::string(json(own).at("contribution_id").as_string());
  const auto own_read = json(call(&pki_.client, bhttp::verb::get, "/v1/contributions/" + own_id));
  EXPECT_EQ(own_read.at("family_id").as_string(), family);
  EXPECT_EQ(own_read.at("subject").at("label").as_string(), "moeder");
}

TEST_F(PartnerApi, NoBsnOrNameReachesTheStoreFilesOrTheLogs) {
  start();
  const std::string family = register_family();
  ASSERT_EQ(call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                 contribution_body("ggz/1", daughter_bsn))
                .result_int(),
            201u);
  ASSERT_EQ(call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                 contribution_body("ggz/2", father_bsn))
                .result_int(),
            201u);
  call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
       contribution_body("ggz/3", "123456789"));  // refused, and audited
  stop_server();
  audit_.reset();  // checkpoint and close both files: everything that will ever be on disk
  store_.reset();  // is there
  for (const char* needle : {mother_bsn, daughter_bsn, father_bsn, gezinsmanager_name, secret_title,
                             "moeder", "dochter"}) {
    std::vector<std::filesystem::path> hits;
    EXPECT_FALSE(any_file_contains(data_, needle, &hits)) << needle << " in " << hits[0];
    EXPECT_FALSE(any_file_contains(log_file_.parent_path(), needle, &hits))
        << needle << " in " << (hits.empty() ? "" : hits[0].string());
  }
  (void)family;
}

TEST_F(PartnerApi, EveryRequestLeavesOneVerifiableAuditEntry) {
  start();
  const std::string family = register_family();
  call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
       contribution_body("ggz/1", daughter_bsn));
  call(&pki_.client, bhttp::verb::get, "/v1/families/" + family);
  call(nullptr, bhttp::verb::get, "/v1/contributions");
  for (int i = 0; i < 12; ++i) call(&pki_.client, bhttp::verb::get, "/v1/contributions");
  const auto entries = audit_entries(*audit_);
  EXPECT_EQ(entries.size(), 16u);
  const auto report = verify_log(*audit_, *keyring_);
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.entries_checked, 16);
  EXPECT_GE(report.checkpoints_checked, 1);
  // The register entry names both members by pseudonym, never by BSN.
  const auto registered = audit_entries(*audit_, "family.register");
  ASSERT_EQ(registered.size(), 1u);
  EXPECT_EQ(registered[0].subjects.size(), 2u);
  EXPECT_EQ(registered[0].family_id, family);
}

TEST_F(PartnerApi, GracefulShutdownLosesNoAcknowledgedWrite) {
  start();
  register_family();
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::vector<std::thread> writers;
  std::atomic<bool> go{true};
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; go && i < 200; ++i) {
        tls_client c = client_for(&pki_.second_client);
        if (c.connect()) return;
        http_request req{bhttp::verb::post, "/v1/contributions", 11};
        req.set(bhttp::field::host, "localhost");
        req.body() =
            contribution_body("ggz/" + std::to_string(t) + "/" + std::to_string(i), daughter_bsn);
        req.prepare_payload();
        auto res = c.request(req);
        if (!res) return;  // the server stopped
        if (res->result_int() == 201) {
          std::lock_guard lock(mutex);
          acknowledged.emplace_back(json(*res).at("contribution_id").as_string());
        }
      }
    });
  }
  while (true) {
    {
      std::lock_guard lock(mutex);
      if (acknowledged.size() >= 20) break;
    }
    std::this_thread::yield();
  }
  stop_server();
  go = false;
  for (auto& w : writers) w.join();
  reopen_store();
  const cases::case_store cases(*keyring_);
  for (const auto& id : acknowledged) {
    auto found = store_->reads().with(
        [&](store::connection& db) { return cases.own_contribution(db, "ggz", id); });
    EXPECT_TRUE(found) << id;
  }
  EXPECT_TRUE(verify_log(*audit_, *keyring_).ok());
}

TEST_F(PartnerApi, DestroyingTheFamilyKeyErasesTheFamilyForEveryone) {
  start();
  const std::string family = register_family();
  auto submitted = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                        contribution_body("ggz/1", daughter_bsn));
  ASSERT_EQ(submitted.result_int(), 201u);
  const auto id = std::string(json(submitted).at("contribution_id").as_string());
  const cases::case_store cases(*keyring_);
  ASSERT_TRUE(store_->writes().run(
      [&](store::connection& db) { return cases.destroy_family_key(db, family); }));
  EXPECT_EQ(call(&pki_.client, bhttp::verb::get, "/v1/families/" + family).result_int(), 404u);
  EXPECT_EQ(call(&pki_.second_client, bhttp::verb::get, "/v1/contributions/" + id).result_int(),
            404u);
  // The sealed rows are still in the file, but nothing can open them any more.
  auto sealed_rows = store_->reads().with([&](store::connection& db) -> result<std::int64_t> {
    auto st = db.prepare("SELECT count(*) FROM contributions WHERE family_id = ?");
    if (!st) return st.error();
    st->bind(1, std::string_view(family));
    auto row = st->step();
    if (!row) return row.error();
    return st->column_int64(0);
  });
  ASSERT_TRUE(sealed_rows);
  EXPECT_EQ(*sealed_rows, 1);
  EXPECT_FALSE(store_->reads().with(
      [&](store::connection& db) { return cases.family_contributions(db, family); }));
}

TEST_F(PartnerApi, OperationalEndpoints) {
  start();
  EXPECT_EQ(call(nullptr, bhttp::verb::get, "/healthz").result_int(), 200u);
  auto ready = call(nullptr, bhttp::verb::get, "/readyz");
  EXPECT_EQ(ready.result_int(), 200u);
  EXPECT_EQ(json(ready).at("policy").as_string(), policy_->current()->version());
  call(&pki_.client, bhttp::verb::get, "/v1/contributions");
  auto metrics = call(nullptr, bhttp::verb::get, "/metrics");
  EXPECT_THAT(metrics.body(), HasSubstr("route=\"/v1/contributions\""));
  EXPECT_THAT(metrics.body(), HasSubstr("sluis_http_open_connections"));
  auto openapi = call(nullptr, bhttp::verb::get, "/v1/openapi.yaml");
  EXPECT_EQ(openapi.result_int(), 200u);
  EXPECT_THAT(openapi.body(), HasSubstr("openapi: 3.1"));
}

// Life domains are the policy's: a domain it does not declare is refused at intake without being
// repeated; once the policy declares it, it is accepted, listed in GET /v1/vocabulary and shown in
// the family plan under its id.
TEST_F(PartnerApi, ALifeDomainThePolicyDeclaresWorksEndToEnd) {
  start();
  const std::string family = register_family();
  const auto body = [&](const std::string& ref) {
    return R"({"source_ref": ")" + ref + R"(", "family_id": ")" + family +
           R"(", "domain": "wmo-toegang", "kind": "goal", "category": "regular",
               "status": "active", "title": "Maatwerkvoorziening aangevraagd"})";
  };
  auto refused = call(&pki_.client, bhttp::verb::post, "/v1/contributions", body("wmo-1"));
  ASSERT_EQ(refused.result_int(), 422u) << refused.body();
  EXPECT_EQ(json(refused).at("errors").at(0).at("field").as_string(), "domain");
  EXPECT_THAT(refused.body(), HasSubstr("financien"));
  EXPECT_THAT(refused.body(), Not(HasSubstr("wmo-toegang")));
  EXPECT_EQ(json(call(&pki_.client, bhttp::verb::get, "/v1/contributions"))
                .at("contributions")
                .as_array()
                .size(),
            0u);

  // The privacy officer adds the domain to the policy (as SIGHUP would put it in force).
  std::string text;
  {
    std::ifstream in(data_ / "policy.toml");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string last = "\"huiselijk-geweld\",\n]";
  ASSERT_NE(text.find(last), std::string::npos);
  text.replace(text.find(last), last.size(), "\"huiselijk-geweld\", \"wmo-toegang\",\n]");
  std::ofstream(data_ / "policy.toml") << text;
  auto fresh = policy_->read_file();
  ASSERT_TRUE(fresh) << fresh.error().what();
  policy_->adopt(*fresh);

  auto words = call(&pki_.client, bhttp::verb::get, "/v1/vocabulary");
  ASSERT_EQ(words.result_int(), 200u) << words.body();
  std::map<std::string, std::pair<std::string, bool>> domains;
  const auto vocabulary = json(words);
  for (const auto& d : vocabulary.at("domains").as_array()) {
    domains[std::string(d.at("id").as_string())] = {std::string(d.at("name").as_string()),
                                                    d.at("standard").as_bool()};
  }
  EXPECT_EQ(domains.size(), 12u);
  EXPECT_EQ(domains["financien"], std::make_pair(std::string("Financiën en schulden"), true));
  EXPECT_EQ(domains["wmo-toegang"], std::make_pair(std::string("wmo-toegang"), false));

  auto accepted = call(&pki_.client, bhttp::verb::post, "/v1/contributions", body("wmo-1"));
  ASSERT_EQ(accepted.result_int(), 201u) << accepted.body();

  // The gezinsmanager sees it in the plan, in a section of its own after the standard domains.
  auto gm = login("gm-1", add_person("gm-1", "wijkteam", "gezinsmanager"));
  ASSERT_EQ(gm.response.result_int(), 200u) << gm.response.body();
  const auto ground = person_call(gm, bhttp::verb::post, "/v1/families/" + family + "/grounds",
                                  coordination_ground);
  ASSERT_EQ(ground.result_int(), 201u) << ground.body();
  auto plan = person_call(gm, bhttp::verb::get, "/v1/plans/" + family);
  ASSERT_EQ(plan.result_int(), 200u) << plan.body();
  const auto shown = json(plan);
  const auto& sections = shown.at("domains").as_array();
  ASSERT_EQ(sections.size(), 12u);
  const auto& own = sections.back().as_object();
  EXPECT_EQ(own.at("id").as_string(), "wmo-toegang");
  EXPECT_EQ(own.at("name").as_string(), "wmo-toegang");
  EXPECT_EQ(own.at("goals").as_array().size(), 1u) << plan.body();
}

}  // namespace
}  // namespace sluis::testing
