// Keeps gateway/api/openapi.yaml true: every documented operation reaches a route of the running
// server, and every (route, status) the server answers during a broad run is documented.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "gateway/api/openapi_document.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace bhttp = boost::beast::http;

// path template -> method -> documented statuses, read with the document's fixed layout:
// paths at 2 spaces, methods at 4, `responses:` at 6, quoted statuses at 8.
using operations = std::map<std::string, std::map<std::string, std::set<std::string>>>;

operations documented_operations(std::string_view yaml) {
  operations ops;
  std::istringstream in{std::string(yaml)};
  std::string line, path, method;
  bool in_paths = false, in_responses = false;
  const std::regex path_re(R"(^  (/\S*):\s*$)"),
      method_re(R"(^    (get|post|put|delete|patch):\s*$)"), status_re(R"(^        '(\d{3})':)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ') in_paths = line.rfind("paths:", 0) == 0;
    if (!in_paths) continue;
    if (std::regex_match(line, m, path_re)) {
      path = m[1];
      method.clear();
    } else if (std::regex_match(line, m, method_re)) {
      method = m[1];
      in_responses = false;
      ops[path][method];
    } else if (line.rfind("      responses:", 0) == 0) {
      in_responses = true;
    } else if (line.size() > 6 && line.rfind("      ", 0) == 0 && line[6] != ' ') {
      in_responses = false;
    } else if (in_responses && !method.empty() && std::regex_search(line, m, status_re)) {
      ops[path][method].insert(m[1]);
    }
  }
  return ops;
}

// (route, status) pairs with a non-zero count in the metrics text.
std::set<std::pair<std::string, std::string>> observed(const std::string& metrics) {
  std::set<std::pair<std::string, std::string>> seen;
  const std::regex re(R"re(sluis_http_requests_total\{route="([^"]*)",status="(\d+)"\} (\d+))re");
  for (auto it = std::sregex_iterator(metrics.begin(), metrics.end(), re);
       it != std::sregex_iterator(); ++it) {
    if ((*it)[3] != "0") seen.emplace((*it)[1], (*it)[2]);
  }
  return seen;
}

class OpenApi : public gateway_fixture {};

TEST_F(OpenApi, DocumentsExactlyTheRoutesServed) {
  start();
  const auto ops = documented_operations(api::openapi_yaml());
  std::set<std::pair<std::string, std::string>> documented, served;
  for (const auto& [path, methods] : ops)
    for (const auto& [method, statuses] : methods) documented.emplace(method, path);
  for (const auto& [verb, path] : api::gateway_handler(*services_).routes()) {
    // The web UI's page and files are not part of the API.
    if (path == "/" || path.starts_with("/assets/")) continue;
    std::string method(bhttp::to_string(verb));
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    served.emplace(method, path);
  }
  EXPECT_EQ(documented, served);
  EXPECT_TRUE(ops.at("/v1/contributions").at("post").contains("201"));
  EXPECT_TRUE(ops.at("/v1/contributions").at("post").contains("422"));
}

TEST_F(OpenApi, EveryOperationIsServedAndEveryAnswerIsDocumented) {
  start();
  const auto ops = documented_operations(api::openapi_yaml());
  // Every documented operation, with placeholder ids, as the organisation and without a
  // certificate.
  for (const auto& [path, methods] : ops) {
    const std::string target = std::regex_replace(path, std::regex(R"(\{[^}]*\})"), "x");
    for (const auto& [method, statuses] : methods) {
      std::string upper = method;
      std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
      const auto verb = bhttp::string_to_verb(upper);
      call(&pki_.client, verb, target, method == "post" || method == "put" ? "{}" : "");
      call(nullptr, verb, target);
    }
  }
  // A broad run of real work: successes and refusals.
  const std::string family = register_family();
  auto c = call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
                contribution_body("ggz/1", daughter_bsn));
  call(&pki_.second_client, bhttp::verb::post, "/v1/contributions",
       contribution_body("ggz/1", daughter_bsn));
  call(&pki_.second_client, bhttp::verb::post, "/v1/contributions", "{bad");
  call_oversized(&pki_.second_client, "/v1/contributions");
  const auto id = std::string(json(c).at("contribution_id").as_string());
  call(&pki_.second_client, bhttp::verb::get, "/v1/contributions/" + id);
  call(&pki_.second_client, bhttp::verb::get, "/v1/contributions?family_id=" + family);
  call(&pki_.client, bhttp::verb::get,
       "/v1/families/" + family + "/involvement?purpose=signalling");
  call(&pki_.client, bhttp::verb::post, "/v1/families/" + family + "/members",
       std::string(R"({"bsn": ")") + father_bsn +
           R"(", "role": "parent", "label": "vader", "date_of_birth": "1980-01-01"})");
  call(&pki_.client, bhttp::verb::post, "/v1/families/" + family + "/members",
       std::string(R"({"bsn": ")") + father_bsn +
           R"(", "role": "parent", "label": "vader", "date_of_birth": "1980-01-01"})");
  call(&pki_.second_client, bhttp::verb::delete_, "/v1/contributions/" + id);
  call(&pki_.client, bhttp::verb::put, "/v1/families");

  const auto seen = observed(call(nullptr, bhttp::verb::get, "/metrics").body());
  std::set<std::string> routes_seen;
  for (const auto& [route, status] : seen) {
    routes_seen.insert(route);
    if (route == "unmatched") continue;  // unknown paths: 404 by the router, documented generally
    ASSERT_TRUE(ops.contains(route)) << route << " is served but not documented";
    bool documented = false;
    for (const auto& [method, statuses] : ops.at(route)) documented |= statuses.contains(status);
    EXPECT_TRUE(documented) << route << " answered " << status
                            << " but the document does not say so";
  }
  for (const auto& [path, methods] : ops) {
    EXPECT_TRUE(routes_seen.contains(path)) << path << " is documented but no route served it";
  }
}

}  // namespace
}  // namespace sluis::testing
