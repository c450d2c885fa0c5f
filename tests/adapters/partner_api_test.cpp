#include "adapters/json/partner_api.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keys/secret_bytes.hpp"

namespace sluis::adapters::json {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class PartnerApiBodies : public ::testing::Test {
 protected:
  keys::keyed_blake2b_pseudonymiser pseudonymiser_{keys::secret_bytes::random(32)};
};

constexpr const char* valid_family = R"({
  "gezinsmanager": {"user_id": "gm-17", "name": "Anna de Vries"},
  "members": [
    {"bsn": "111222333", "role": "parent", "label": "moeder", "date_of_birth": "1985-03-01"},
    {"bsn": "123456782", "role": "child", "label": "dochter", "date_of_birth": "2011-06-15",
     "gezag_holders": ["moeder"]}
  ]
})";

std::string contribution(const std::string& overrides) {
  return R"({"source_ref": "ggz/2026/0017", "bsn": "111222333", "domain": "psychische-gezondheid",
             "kind": "goal", "category": "special", "status": "active",
             "title": "Behandeling depressie", "body": "Wekelijks gesprek")" +
         overrides + "}";
}

TEST_F(PartnerApiBodies, FamilyRegistrationPseudonymisesEveryMember) {
  auto family = parse_family_registration(valid_family, pseudonymiser_);
  ASSERT_TRUE(family) << family.error().what();
  ASSERT_EQ(family->members.size(), 2u);
  EXPECT_EQ(family->gezinsmanager.user_id, "gm-17");
  EXPECT_EQ(family->members[1].role, policy::member_role::child);
  EXPECT_EQ(family->members[1].gezag_holder_labels, std::vector<std::string>{"moeder"});
  EXPECT_EQ(family->members[0].pseudonym,
            pseudonymiser_.pseudonymise(keys::bsn::parse("111222333").value()));
  EXPECT_NE(family->members[0].pseudonym, family->members[1].pseudonym);
}

TEST_F(PartnerApiBodies, InvalidBsnNamesTheFieldAndNeverEchoesTheValue) {
  std::string body = valid_family;
  body.replace(body.find("123456782"), 9, "123456789");
  auto family = parse_family_registration(body, pseudonymiser_);
  ASSERT_FALSE(family);
  EXPECT_EQ(family.error().code(), errc::invalid_argument);
  EXPECT_EQ(family.error().field(), "members/1/bsn");
  EXPECT_THAT(family.error().what(), Not(HasSubstr("123456789")));
}

TEST_F(PartnerApiBodies, MalformedJsonIsMalformedNotInvalid) {
  for (const char* body : {"{", "[]", "\"x\"", "{\"a\":\xff}", ""}) {
    auto family = parse_family_registration(body, pseudonymiser_);
    ASSERT_FALSE(family) << body;
    EXPECT_EQ(family.error().code(), errc::malformed) << body;
  }
}

TEST_F(PartnerApiBodies, DeeplyNestedJsonIsRejected) {
  const std::string body = std::string(10000, '[') + std::string(10000, ']');
  auto family = parse_family_registration("{\"x\":" + body + "}", pseudonymiser_);
  ASSERT_FALSE(family);
  EXPECT_EQ(family.error().code(), errc::malformed);
}

TEST_F(PartnerApiBodies, WrongTypesAndMissingFieldsNameTheField) {
  struct row {
    std::string body;
    std::string field;
  };
  const std::vector<row> rows = {
      {R"({"members": []})", "gezinsmanager"},
      {R"({"gezinsmanager": {"user_id": "x", "name": "y"}})", "members"},
      {R"({"gezinsmanager": {"user_id": 5, "name": "y"}, "members": [{}]})",
       "gezinsmanager/user_id"},
      {R"({"gezinsmanager": {"user_id": "x", "name": "y"}, "members": [{"bsn": "111222333",
          "role": "uncle", "label": "oom", "date_of_birth": "1980-01-01"}]})",
       "members/0/role"},
      {R"({"gezinsmanager": {"user_id": "x", "name": "y"}, "members": [{"bsn": "111222333",
          "role": "other", "label": "oom", "date_of_birth": "1980-02-30"}]})",
       "members/0/date_of_birth"},
      {R"({"gezinsmanager": {"user_id": "x", "name": "y"}, "members": [{"bsn": "111222333",
          "role": "other", "label": "oom", "date_of_birth": "1980-02-03", "nmae": "z"}]})",
       "members/0/nmae"},
      {R"({"gezinsmanager": {"user_id": "x", "name": "y"}, "members": [{"bsn": "111222333",
          "role": "child", "label": "zoon", "date_of_birth": "2015-02-03",
          "gezag_holders": ["vader"]}]})",
       "members/0/gezag_holders"},
  };
  for (const auto& r : rows) {
    auto family = parse_family_registration(r.body, pseudonymiser_);
    ASSERT_FALSE(family) << r.body;
    EXPECT_EQ(family.error().code(), errc::invalid_argument) << r.body;
    EXPECT_EQ(family.error().field(), r.field) << family.error().what();
  }
}

TEST_F(PartnerApiBodies, DuplicateLabelsAreRejected) {
  std::string body = valid_family;
  body.replace(body.find("dochter"), 7, "moeder");
  auto family = parse_family_registration(body, pseudonymiser_);
  ASSERT_FALSE(family);
  EXPECT_EQ(family.error().field(), "members/1/label");
}

TEST_F(PartnerApiBodies, SamePersonTwiceIsRejected) {
  std::string body = valid_family;
  body.replace(body.find("123456782"), 9, "111222333");
  auto family = parse_family_registration(body, pseudonymiser_);
  ASSERT_FALSE(family);
  EXPECT_EQ(family.error().field(), "members/1/bsn");
  EXPECT_THAT(family.error().what(), Not(HasSubstr("111222333")));
}

TEST_F(PartnerApiBodies, ContributionRoundTrip) {
  auto c = parse_contribution(contribution(R"(, "due_date": "2027-03-31", "owner": "J. Bakker")"),
                              pseudonymiser_);
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->source_ref, "ggz/2026/0017");
  EXPECT_TRUE(c->subject.has_value());
  EXPECT_EQ(c->kind, policy::record_kind::goal);
  EXPECT_EQ(c->category, policy::category::special);
  EXPECT_EQ(c->content.owner_name, "J. Bakker");
  ASSERT_TRUE(c->content.due_date);
  EXPECT_EQ(std::chrono::year_month_day(*c->content.due_date), std::chrono::year(2027) / 3 / 31);
}

TEST_F(PartnerApiBodies, ContributionFieldErrors) {
  struct row {
    std::string overrides;
    std::string field;
  };
  const std::vector<row> rows = {
      {R"(, "domain": "")", "domain"},
      {R"(, "domain": ")" + std::string(33, 'x') + "\"", "domain"},
      {R"(, "kind": "wish")", "kind"},
      {R"(, "category": "secret")", "category"},
      {R"(, "status": "maybe")", "status"},
      {R"(, "title": "")", "title"},
      {R"(, "title": 17)", "title"},
      {R"(, "due_date": "31-03-2027")", "due_date"},
      {R"(, "source_ref": "a b")", "source_ref"},
      {R"(, "body": ")" + std::string(20001, 'x') + "\"", "body"},
      {R"(, "extra": true)", "extra"},
  };
  for (const auto& r : rows) {
    // Later keys replace earlier ones in Boost.JSON, so overrides win.
    auto c = parse_contribution(contribution(r.overrides), pseudonymiser_);
    ASSERT_FALSE(c) << r.overrides;
    EXPECT_EQ(c.error().field(), r.field) << c.error().what();
  }
}

TEST_F(PartnerApiBodies, ContributionNeedsASubjectOrAFamily) {
  auto c = parse_contribution(
      R"({"source_ref": "x", "domain": "wonen", "kind": "note", "category": "regular",
          "status": "active", "title": "t"})",
      pseudonymiser_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().field(), "bsn");
  auto by_family = parse_contribution(
      R"({"source_ref": "x", "family_id": "fam_1", "domain": "wonen", "kind": "note",
          "category": "regular", "status": "active", "title": "t"})",
      pseudonymiser_);
  ASSERT_TRUE(by_family) << by_family.error().what();
  EXPECT_FALSE(by_family->subject.has_value());
}

TEST_F(PartnerApiBodies, SqlLookingTextIsJustText) {
  auto c = parse_contribution(contribution(R"(, "title": "'); DROP TABLE families;--")"),
                              pseudonymiser_);
  ASSERT_TRUE(c) << c.error().what();
  EXPECT_EQ(c->content.title, "'); DROP TABLE families;--");
}

}  // namespace
}  // namespace sluis::adapters::json
