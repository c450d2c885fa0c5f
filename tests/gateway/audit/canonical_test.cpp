#include "gateway/audit/canonical.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json/parse.hpp>
#include <string>
#include <string_view>

#include "gateway/audit/audit_entry.hpp"
#include "gateway/audit/checkpoint.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::audit {
namespace {

const std::string subject_a(64, 'a');
const std::string subject_b(64, 'b');

audit_entry fixed_entry() {
  audit_entry e;
  e.seq = 7;
  e.time = timestamp(std::chrono::milliseconds(1'700'000'000'123));
  e.actor_org = "wijkteam-noord";
  e.actor_user = "u-42";
  e.action = "plan.view";
  e.resource = {"plan", "fam-1"};
  e.family_id = "fam-1";
  e.subjects = {subject_a, subject_b};
  e.purpose = "coordination";
  e.legal_basis = "consent";
  e.outcome = {outcome_kind::ok, ""};
  e.policy_version = "p-3f2a";
  e.request_id = "req-1";
  e.break_glass = false;
  e.detail = boost::json::parse(R"({"shown":4,"hidden":{"no_consent":2}})").as_object();
  return e;
}

std::vector<unsigned char> expected_bytes_by_hand() {
  std::vector<unsigned char> out;
  auto u32 = [&](std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<unsigned char>(v >> s));
  };
  auto u64 = [&](std::uint64_t v) {
    for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<unsigned char>(v >> s));
  };
  auto str = [&](std::string_view t) {
    u32(static_cast<std::uint32_t>(t.size()));
    out.insert(out.end(), t.begin(), t.end());
  };
  u64(7);
  u64(1'700'000'000'123);
  for (auto t : {"wijkteam-noord", "u-42", "plan.view", "plan", "fam-1", "fam-1"}) str(t);
  u32(2);
  str(subject_a);
  str(subject_b);
  for (auto t : {"coordination", "consent", "ok", "", "p-3f2a", "req-1"}) str(t);
  out.push_back(0);
  str(R"({"hidden":{"no_consent":2},"shown":4})");
  return out;
}

TEST(AuditCanonical, EncodingFollowsTheDocumentedLayout) {
  EXPECT_EQ(canonical_encoding(fixed_entry()), expected_bytes_by_hand());
}

TEST(AuditCanonical, KnownAnswerHash) {
  const auto hash = chain_next(genesis_hash(), canonical_encoding(fixed_entry()));
  // Pinned: if this changes, every stored chain stops verifying. Recompute only together with a
  // new domain string and a migration of the encoding.
  EXPECT_EQ(to_hex(hash), "1a8e7ce926601ec79c9aa1312c4fd03f2dcc1b21a3c313eecd0935f2d8ca7c4e");

  // The same hash by hand: BLAKE2b-256("sluis/audit/v1" || 32 zero bytes || encoding).
  std::vector<unsigned char> input = {'s', 'l', 'u', 'i', 's', '/', 'a',
                                      'u', 'd', 'i', 't', '/', 'v', '1'};
  input.resize(input.size() + 32, 0);
  const auto bytes = expected_bytes_by_hand();
  input.insert(input.end(), bytes.begin(), bytes.end());
  chain_hash by_hand;
  crypto_generichash(by_hand.data(), by_hand.size(), input.data(), input.size(), nullptr, 0);
  EXPECT_EQ(hash, by_hand);
}

TEST(AuditCanonical, EveryFieldChangesTheEncoding) {
  const auto base = canonical_encoding(fixed_entry());
  const std::vector<void (*)(audit_entry&)> edits = {
      [](audit_entry& e) { e.seq = 8; },
      [](audit_entry& e) { e.time += std::chrono::milliseconds(1); },
      [](audit_entry& e) { e.actor_org = "ggz"; },
      [](audit_entry& e) { e.actor_user = ""; },
      [](audit_entry& e) { e.action = "plan.export"; },
      [](audit_entry& e) { e.resource.type = "family"; },
      [](audit_entry& e) { e.resource.id = "fam-2"; },
      [](audit_entry& e) { e.family_id = "fam-2"; },
      [](audit_entry& e) { e.subjects.pop_back(); },
      [](audit_entry& e) { e.purpose = "inzage"; },
      [](audit_entry& e) { e.legal_basis = "coordination"; },
      [](audit_entry& e) { e.outcome.kind = outcome_kind::refused; },
      [](audit_entry& e) { e.outcome.code = "x"; },
      [](audit_entry& e) { e.policy_version = "p-0000"; },
      [](audit_entry& e) { e.request_id = "req-2"; },
      [](audit_entry& e) { e.break_glass = true; },
      [](audit_entry& e) { e.detail["shown"] = 5; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    audit_entry e = fixed_entry();
    edits[i](e);
    EXPECT_NE(canonical_encoding(e), base) << "edit " << i;
  }
}

TEST(AuditCanonical, LengthPrefixesKeepAdjacentFieldsApart) {
  audit_entry a = fixed_entry();
  audit_entry b = fixed_entry();
  a.actor_org = "ab";
  a.actor_user = "c";
  b.actor_org = "a";
  b.actor_user = "bc";
  EXPECT_NE(canonical_encoding(a), canonical_encoding(b));
}

TEST(AuditCanonical, DetailIsIndependentOfInsertionOrder) {
  const auto a = boost::json::parse(R"({"b":{"y":1,"x":[{"q":1,"p":2}]},"a":true})").as_object();
  const auto b = boost::json::parse(R"({"a":true,"b":{"x":[{"p":2,"q":1}],"y":1}})").as_object();
  EXPECT_EQ(canonical_detail(a), canonical_detail(b));
  EXPECT_EQ(canonical_detail(a), R"({"a":true,"b":{"x":[{"p":2,"q":1}],"y":1}})");
}

TEST(AuditCanonical, EncodedSeqReadsTheHead) {
  EXPECT_EQ(encoded_seq(canonical_encoding(fixed_entry())), 7);
  EXPECT_EQ(encoded_seq(std::vector<unsigned char>(7, 0)), std::nullopt);
}

TEST(AuditEntry, ValidEntryPasses) { EXPECT_TRUE(validate(fixed_entry())); }

TEST(AuditEntry, ValidationNamesTheFieldWithoutEchoingIt) {
  struct row {
    void (*edit)(audit_entry&);
    std::string field;
  };
  const row rows[] = {
      {[](audit_entry& e) { e.action = "view"; }, "action"},
      {[](audit_entry& e) { e.action = "Plan.View"; }, "action"},
      {[](audit_entry& e) { e.action = "plan..view"; }, "action"},
      {[](audit_entry& e) { e.actor_org = ""; }, "actor_org"},
      {[](audit_entry& e) { e.subjects.push_back("123456782"); }, "subjects/2"},
      {[](audit_entry& e) { e.subjects[0] = std::string(64, 'A'); }, "subjects/0"},
      {[](audit_entry& e) {
         e.outcome = {outcome_kind::refused, ""};
       },
       "outcome/code"},
      {[](audit_entry& e) { e.purpose = "line\nbreak"; }, "purpose"},
      {[](audit_entry& e) { e.detail["ratio"] = 0.5; }, "detail"},
      {[](audit_entry& e) { e.detail["big"] = std::string(5000, 'x'); }, "detail"},
  };
  for (const auto& r : rows) {
    audit_entry e = fixed_entry();
    r.edit(e);
    const auto checked = validate(e);
    ASSERT_FALSE(checked) << r.field;
    EXPECT_EQ(checked.error().field(), r.field);
    EXPECT_EQ(checked.error().message().find("123456782"), std::string::npos);
  }
}

TEST(AuditEntry, NormaliseSortsAndDeduplicatesSubjects) {
  audit_entry e = fixed_entry();
  e.subjects = {subject_b, subject_a, subject_b};
  normalise(e);
  EXPECT_EQ(e.subjects, (std::vector<std::string>{subject_a, subject_b}));
}

TEST(AuditEntry, OutcomeKindRoundTrips) {
  for (auto kind : {outcome_kind::ok, outcome_kind::refused, outcome_kind::error}) {
    EXPECT_EQ(parse_outcome_kind(to_string(kind)).value(), kind);
  }
  EXPECT_FALSE(parse_outcome_kind("maybe"));
}

TEST(AuditCheckpoint, SignatureCoversSeqHashAndPreviousCheckpoint) {
  keys::ensure_sodium();
  public_key pk;
  std::array<unsigned char, crypto_sign_SECRETKEYBYTES> sk;
  crypto_sign_keypair(pk.data(), sk.data());

  checkpoint cp;
  cp.seq = 100;
  cp.hash = chain_next(genesis_hash(), canonical_encoding(fixed_entry()));
  cp.previous_seq = 0;
  cp.key = pk;
  const auto message = checkpoint_message(cp.seq, cp.hash, cp.previous_seq);
  crypto_sign_detached(cp.sig.data(), nullptr, message.data(), message.size(), sk.data());
  EXPECT_TRUE(signature_valid(cp));

  for (auto edit : std::initializer_list<void (*)(checkpoint&)>{
           [](checkpoint& c) { c.seq = 101; },
           [](checkpoint& c) { c.hash[0] ^= 1; },
           [](checkpoint& c) { c.previous_seq = 50; },
           [](checkpoint& c) { c.sig[10] ^= 1; },
           [](checkpoint& c) { c.key[0] ^= 1; },
       }) {
    checkpoint tampered = cp;
    edit(tampered);
    EXPECT_FALSE(signature_valid(tampered));
  }
}

}  // namespace
}  // namespace sluis::audit
