#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "gateway/web/assets.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::web {
namespace {

namespace fs = std::filesystem;
const fs::path asset_dir = SLUIS_WEB_ASSET_DIR;

TEST(WebAssets, EveryFileInTheAssetFolderIsEmbeddedByteForByte) {
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(asset_dir)) {
    if (!e.is_regular_file() || e.path().filename().string().front() == '.') continue;
    ++files;
    const std::string name = e.path().filename().string();
    const asset* a = find_asset(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_EQ(a->name, name);
    EXPECT_EQ(a->body, testing::read_file(e.path())) << name;
  }
  EXPECT_EQ(all_assets().size(), files);
  EXPECT_GE(files, 3u);
}

TEST(WebAssets, ThePageShellScriptAndStyleExist) {
  for (const char* name : {"index.html", "app.js", "style.css"}) {
    EXPECT_NE(find_asset(name), nullptr) << name;
  }
}

TEST(WebAssets, ContentTypesFollowTheExtension) {
  for (const asset& a : all_assets()) {
    const std::string_view ext = a.name.substr(a.name.rfind('.') + 1);
    if (ext == "html") {
      EXPECT_EQ(a.content_type, "text/html; charset=utf-8") << a.name;
    } else if (ext == "js") {
      // Module scripts are refused by browsers unless served with a JavaScript MIME type.
      EXPECT_EQ(a.content_type, "text/javascript; charset=utf-8") << a.name;
    } else if (ext == "css") {
      EXPECT_EQ(a.content_type, "text/css; charset=utf-8") << a.name;
    } else if (ext == "svg") {
      EXPECT_EQ(a.content_type, "image/svg+xml") << a.name;
    } else {
      ADD_FAILURE() << "untested extension: " << a.name;
    }
  }
}

TEST(WebAssets, EtagsAreStrongQuotedAndDistinct) {
  std::set<std::string_view> seen;
  for (const asset& a : all_assets()) {
    ASSERT_EQ(a.etag.size(), 34u) << a.name;
    EXPECT_EQ(a.etag.front(), '"');
    EXPECT_EQ(a.etag.back(), '"');
    EXPECT_EQ(a.etag.substr(1, 32).find_first_not_of("0123456789abcdef"), std::string_view::npos);
    EXPECT_TRUE(seen.insert(a.etag).second) << "two assets share an ETag: " << a.name;
  }
}

TEST(WebAssets, TheTableIsSortedForBinarySearch) {
  const auto table = all_assets();
  for (std::size_t i = 1; i < table.size(); ++i) EXPECT_LT(table[i - 1].name, table[i].name);
}

TEST(WebAssets, UnknownAndTraversalNamesAreNotFound) {
  for (const char* name : {"",
                           "nope.js",
                           "INDEX.HTML",
                           "index.html ",
                           " index.html",
                           "index.htm",
                           "../index.html",
                           "..",
                           ".",
                           "./index.html",
                           "..%2findex.html",
                           "%2e%2e",
                           "%2e%2e/app.js",
                           "%2E%2E%2Fapp.js",
                           "assets/app.js",
                           "/app.js",
                           "app.js/",
                           "//app.js",
                           "..\\app.js",
                           "app.js\\",
                           "\\app.js",
                           "app.js%00",
                           ".gitignore",
                           ".hidden",
                           "app.js\n",
                           "app%2ejs",
                           "/etc/passwd",
                           "../../../../etc/passwd",
                           "....//app.js"}) {
    EXPECT_EQ(find_asset(name), nullptr) << '"' << name << '"';
  }
  EXPECT_EQ(find_asset(std::string_view("app.js\0", 7)), nullptr);
  EXPECT_EQ(find_asset(std::string(200, 'a')), nullptr);
}

TEST(WebAssets, TheContentSecurityPolicyForbidsInlineCodeAndFraming) {
  EXPECT_NE(content_security_policy.find("script-src 'self';"), std::string_view::npos);
  EXPECT_NE(content_security_policy.find("frame-ancestors 'none'"), std::string_view::npos);
  EXPECT_EQ(content_security_policy.find("unsafe"), std::string_view::npos);
}

// The CSP forbids inline script and style; an inline one would silently not run in the browser.
TEST(WebAssets, TheHtmlHasNoInlineScriptsStylesOrHandlers) {
  for (const asset& a : all_assets()) {
    if (!a.name.ends_with(".html")) continue;
    const std::string body(a.body);
    EXPECT_EQ(body.find("<style"), std::string::npos) << a.name;
    EXPECT_EQ(body.find(" style="), std::string::npos) << a.name;
    EXPECT_EQ(body.find(" onclick="), std::string::npos) << a.name;
    EXPECT_EQ(body.find(" onload="), std::string::npos) << a.name;
    EXPECT_EQ(body.find("http://"), std::string::npos) << a.name;
    EXPECT_EQ(body.find("https://"), std::string::npos) << a.name;
    std::size_t at = 0;
    while ((at = body.find("<script", at)) != std::string::npos) {
      const std::size_t end = body.find('>', at);
      EXPECT_NE(body.substr(at, end - at).find(" src="), std::string::npos)
          << "inline <script> in " << a.name;
      at = end;
    }
  }
}

// Offline: no asset may pull anything from another host.
// (An SVG's xmlns names a namespace, it loads nothing.)
TEST(WebAssets, NoAssetReferencesAnotherHost) {
  for (const asset& a : all_assets()) {
    std::string body(a.body);
    for (std::size_t at;
         (at = body.find("xmlns=\"http://www.w3.org/2000/svg\"")) != std::string::npos;) {
      body.erase(at, 34);
    }
    EXPECT_EQ(body.find("//fonts."), std::string::npos) << a.name;
    EXPECT_EQ(body.find("@import"), std::string::npos) << a.name;
    EXPECT_EQ(body.find("https://"), std::string::npos) << a.name;
    EXPECT_EQ(body.find("http://"), std::string::npos) << a.name;
  }
}

}  // namespace
}  // namespace sluis::web
