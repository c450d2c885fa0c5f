// Sessions: tokens, idle and absolute expiry at explicit times, logout, ending all of a user's
// sessions, the per-user limit, and the CSRF comparison.

#include "gateway/people/session_store.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sluis::people {
namespace {

constexpr unix_seconds t0 = 1'800'000'000;

user person(std::string id) {
  user u;
  u.id = std::move(id);
  u.organisation = "wijkteam";
  u.role = role::gezinsmanager;
  u.display_name = "Mevrouw Jansen";
  return u;
}

bool is_hex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(SessionStore, CreateGivesTwoDistinctRandomHexTokens) {
  session_store sessions;
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const auto s = sessions.create(person("gm"), t0);
    EXPECT_TRUE(is_hex64(s.token));
    EXPECT_TRUE(is_hex64(s.csrf_token));
    EXPECT_NE(s.token, s.csrf_token);
    EXPECT_TRUE(seen.insert(s.token).second);
    EXPECT_TRUE(seen.insert(s.csrf_token).second);
  }
}

TEST(SessionStore, FindReturnsTheUserAndCsrfToken) {
  session_store sessions;
  const auto fresh = sessions.create(person("gm"), t0);
  const auto s = sessions.find(fresh.token, t0 + 1);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user.id, "gm");
  EXPECT_EQ(s->user.role, role::gezinsmanager);
  EXPECT_EQ(s->csrf_token, fresh.csrf_token);
  EXPECT_EQ(s->created_at, t0);
  EXPECT_EQ(s->last_used_at, t0 + 1);
  EXPECT_EQ(s->expires_at, t0 + 1 + 15 * 60);
}

TEST(SessionStore, UnknownAndMalformedTokensFindNothing) {
  session_store sessions;
  const auto fresh = sessions.create(person("gm"), t0);
  EXPECT_FALSE(sessions.find("", t0));
  EXPECT_FALSE(sessions.find(fresh.csrf_token, t0));  // the CSRF token is not a session token
  std::string upper = fresh.token;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != fresh.token) {
    EXPECT_FALSE(sessions.find(upper, t0));
  }
  EXPECT_FALSE(sessions.find(fresh.token.substr(1), t0));
  EXPECT_FALSE(sessions.find(fresh.token + "0", t0));
  EXPECT_TRUE(sessions.find(fresh.token, t0));
}

TEST(SessionStore, IdleTimeoutEndsASessionAndUseRestartsIt) {
  session_store sessions;  // 15 minutes idle
  const auto a = sessions.create(person("gm"), t0);
  const auto b = sessions.create(person("pm"), t0);
  // `a` is used every 14 minutes for an hour and stays alive.
  for (unix_seconds t = t0 + 14 * 60; t <= t0 + 60 * 60; t += 14 * 60) {
    ASSERT_TRUE(sessions.find(a.token, t)) << t - t0;
  }
  // `b` was last used at t0: gone at t0 + 15 minutes, and removed.
  EXPECT_FALSE(sessions.find(b.token, t0 + 15 * 60));
  EXPECT_EQ(sessions.size(), 1u);
}

TEST(SessionStore, OneSecondBeforeIdleExpiryItStillWorks) {
  session_store sessions;
  const auto a = sessions.create(person("gm"), t0);
  EXPECT_TRUE(sessions.find(a.token, t0 + 15 * 60 - 1));
  EXPECT_FALSE(sessions.find(a.token, t0 + 30 * 60 - 1));
}

TEST(SessionStore, AbsoluteLifetimeEndsEvenAnActiveSession) {
  session_store sessions;  // 8 hours
  const auto a = sessions.create(person("gm"), t0);
  unix_seconds t = t0;
  for (; t < t0 + 8 * 60 * 60; t += 10 * 60) ASSERT_TRUE(sessions.find(a.token, t)) << t - t0;
  EXPECT_FALSE(sessions.find(a.token, t0 + 8 * 60 * 60));
  // Near the end, the reported expiry is the absolute one.
  const auto b = sessions.create(person("gm"), t0);
  for (t = t0; t < t0 + 8 * 60 * 60 - 60; t += 10 * 60) sessions.find(b.token, t);
  const auto late = sessions.find(b.token, t0 + 8 * 60 * 60 - 60);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->expires_at, t0 + 8 * 60 * 60);
}

TEST(SessionStore, TimeoutsAreConfigurable) {
  session_store sessions(
      {.idle_timeout = std::chrono::seconds(60), .absolute_lifetime = std::chrono::seconds(100)});
  const auto a = sessions.create(person("gm"), t0);
  EXPECT_TRUE(sessions.find(a.token, t0 + 59));
  EXPECT_TRUE(sessions.find(a.token, t0 + 99));
  EXPECT_FALSE(sessions.find(a.token, t0 + 100));
}

TEST(SessionStore, DestroyIsLogout) {
  session_store sessions;
  const auto a = sessions.create(person("gm"), t0);
  const auto b = sessions.create(person("gm"), t0);
  EXPECT_TRUE(sessions.destroy(a.token));
  EXPECT_FALSE(sessions.destroy(a.token));
  EXPECT_FALSE(sessions.destroy("not a token"));
  EXPECT_FALSE(sessions.find(a.token, t0 + 1));
  EXPECT_TRUE(sessions.find(b.token, t0 + 1));
}

TEST(SessionStore, DestroyAllForEndsOnlyThatUsersSessions) {
  session_store sessions;
  const auto a = sessions.create(person("gm"), t0);
  const auto b = sessions.create(person("gm"), t0);
  const auto c = sessions.create(person("pm"), t0);
  EXPECT_EQ(sessions.destroy_all_for("gm"), 2u);
  EXPECT_FALSE(sessions.find(a.token, t0 + 1));
  EXPECT_FALSE(sessions.find(b.token, t0 + 1));
  EXPECT_TRUE(sessions.find(c.token, t0 + 1));
  EXPECT_EQ(sessions.destroy_all_for("gm"), 0u);
}

TEST(SessionStore, ANewLoginBeyondTheLimitEndsTheLeastRecentlyUsed) {
  session_store sessions({.max_sessions_per_user = 3});
  const auto a = sessions.create(person("gm"), t0);
  const auto b = sessions.create(person("gm"), t0 + 1);
  const auto c = sessions.create(person("gm"), t0 + 2);
  ASSERT_TRUE(sessions.find(a.token, t0 + 3));  // a is now more recent than b
  const auto d = sessions.create(person("gm"), t0 + 4);
  EXPECT_FALSE(sessions.find(b.token, t0 + 5));
  EXPECT_TRUE(sessions.find(a.token, t0 + 5));
  EXPECT_TRUE(sessions.find(c.token, t0 + 5));
  EXPECT_TRUE(sessions.find(d.token, t0 + 5));
}

TEST(SessionStore, CreatingDropsExpiredSessionsOfEveryone) {
  session_store sessions;
  sessions.create(person("a"), t0);
  sessions.create(person("b"), t0);
  EXPECT_EQ(sessions.size(), 2u);
  sessions.create(person("c"), t0 + 15 * 60);
  EXPECT_EQ(sessions.size(), 1u);
}

TEST(SessionStore, CsrfTokenMustMatchExactly) {
  session_store sessions;
  const auto fresh = sessions.create(person("gm"), t0);
  const auto s = sessions.find(fresh.token, t0);
  ASSERT_TRUE(s);
  EXPECT_TRUE(csrf_matches(*s, fresh.csrf_token));
  EXPECT_FALSE(csrf_matches(*s, ""));
  EXPECT_FALSE(csrf_matches(*s, fresh.token));
  EXPECT_FALSE(csrf_matches(*s, fresh.csrf_token.substr(0, 63)));
  EXPECT_FALSE(csrf_matches(*s, fresh.csrf_token + "0"));
  std::string flipped = fresh.csrf_token;
  flipped[63] = flipped[63] == '0' ? '1' : '0';
  EXPECT_FALSE(csrf_matches(*s, flipped));
}

}  // namespace
}  // namespace sluis::people
