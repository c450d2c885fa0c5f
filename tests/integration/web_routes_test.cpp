// The web UI's static files through the real server over real TLS, fetched the way a browser does:
// no client certificate. Every answer carries the UI's security headers; assets revalidate by ETag;
// nothing outside the embedded table can be reached, however the path is spelt.

#include <gtest/gtest.h>

#include <string>

#include "gateway/web/assets.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;

class web_routes_test : public gateway_fixture {
 protected:
  void SetUp() override {
    gateway_fixture::SetUp();
    start();
  }

  http_response get(const std::string& target, const std::string& if_none_match = {}) {
    tls_client c = client_for(nullptr);
    EXPECT_FALSE(c.connect());
    http_request req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!if_none_match.empty()) req.set(bhttp::field::if_none_match, if_none_match);
    auto res = c.request(req);
    EXPECT_TRUE(res.has_value()) << target;
    return res.value_or(http_response{});
  }

  static void expect_security_headers(const http_response& res) {
    EXPECT_EQ(res["Content-Security-Policy"], web::content_security_policy);
    EXPECT_EQ(res["X-Frame-Options"], "DENY");
    EXPECT_EQ(res["Referrer-Policy"], "no-referrer");
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(res[boost::beast::http::field::strict_transport_security], "max-age=31536000");
  }
};

TEST_F(web_routes_test, TheRootServesThePageShellWithTheSecurityHeaders) {
  const auto res = get("/");
  ASSERT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(res.body(), web::find_asset("index.html")->body);
  EXPECT_EQ(res[bhttp::field::etag], web::find_asset("index.html")->etag);
  EXPECT_EQ(res[bhttp::field::cache_control], "no-cache");
  expect_security_headers(res);
}

TEST_F(web_routes_test, EveryAssetIsServedWithItsTypeAndEtag) {
  for (const web::asset& a : web::all_assets()) {
    const auto res = get("/assets/" + std::string(a.name));
    ASSERT_EQ(res.result(), bhttp::status::ok) << a.name;
    EXPECT_EQ(res[bhttp::field::content_type], a.content_type) << a.name;
    EXPECT_EQ(res[bhttp::field::etag], a.etag) << a.name;
    EXPECT_EQ(res.body(), a.body) << a.name;
    expect_security_headers(res);
  }
}

TEST_F(web_routes_test, AMatchingEtagAnswers304WithoutABody) {
  const web::asset* app = web::find_asset("app.js");
  for (const std::string& header : {std::string(app->etag), "W/" + std::string(app->etag),
                                    "\"other\", " + std::string(app->etag), std::string("*")}) {
    const auto res = get("/assets/app.js", header);
    EXPECT_EQ(res.result(), bhttp::status::not_modified) << header;
    EXPECT_TRUE(res.body().empty());
    EXPECT_EQ(res[bhttp::field::etag], app->etag);
  }
  EXPECT_EQ(get("/assets/app.js", "\"stale\"").result(), bhttp::status::ok);
}

TEST_F(web_routes_test, UnknownAndTraversalPathsAre404) {
  for (const char* target :
       {"/assets/nope.js", "/assets/", "/assets", "/assets/../config.toml", "/assets/..%2fapp.js",
        "/assets/%2e%2e%2fconfig.toml", "/assets/%2e%2e", "/assets//app.js", "/assets/app.js/",
        "/assets/..%5capp.js", "/assets/app.js%00", "/index.html", "/assets/pages/../app.js",
        "/config.toml", "/keyring.toml"}) {
    const auto res = get(target);
    EXPECT_EQ(res.result(), bhttp::status::not_found) << target;
    EXPECT_EQ(res.body().find("import "), std::string::npos) << target;
  }
}

TEST_F(web_routes_test, OnlyGetIsAllowed) {
  const auto res = call(nullptr, bhttp::verb::post, "/assets/app.js", "x");
  EXPECT_EQ(res.result(), bhttp::status::method_not_allowed);
}

}  // namespace
}  // namespace sluis::testing
