#pragma once
// Matches a method and a path against route templates such as "/v1/families/{id}/members".
//
// A template segment in braces matches one non-empty path segment of at most max_param_size
// printable bytes and is handed to the route as a parameter, in order. (Ids are never longer, and a
// parameter is recorded in the audit log, which refuses control characters and long fields: a
// hostile id must be a 404, not a failed audit entry and a 503.) A path that matches a template
// under another method gives method_not_allowed with the methods that would match (for the Allow
// header). Immutable after set-up: match() is safe from many threads.

#include <algorithm>
#include <boost/beast/http/verb.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace sluis::api {

inline constexpr std::size_t max_param_size = 128;

template <class Route>
class router {
 public:
  struct match_result {
    enum class kind { found, not_found, method_not_allowed } outcome = kind::not_found;
    const Route* route = nullptr;
    std::string_view route_template;
    std::vector<std::string> params;
    std::string allow;  // "GET, POST" for method_not_allowed
  };

  void add(boost::beast::http::verb method, std::string_view path_template, Route route) {
    std::vector<std::string> segments;
    for (auto segment : split(path_template)) segments.emplace_back(segment);
    entries_.push_back({method, std::string(path_template), std::move(segments), std::move(route)});
  }

  // Every (method, template) added, in order: for tests that hold the routes against the OpenAPI
  // document.
  std::vector<std::pair<boost::beast::http::verb, std::string>> routes() const {
    std::vector<std::pair<boost::beast::http::verb, std::string>> out;
    for (const auto& e : entries_) out.emplace_back(e.method, e.path_template);
    return out;
  }

  match_result match(boost::beast::http::verb method, std::string_view path) const {
    match_result result;
    const std::vector<std::string_view> segments = split(path);
    for (const auto& e : entries_) {
      std::vector<std::string> params;
      if (!matches(e.segments, segments, params)) continue;
      if (e.method == method) {
        result.outcome = match_result::kind::found;
        result.route = &e.route;
        result.route_template = e.path_template;
        result.params = std::move(params);
        return result;
      }
      result.outcome = match_result::kind::method_not_allowed;
      result.route_template = e.path_template;
      if (!result.allow.empty()) result.allow += ", ";
      result.allow += std::string(boost::beast::http::to_string(e.method));
    }
    return result;
  }

 private:
  struct entry {
    boost::beast::http::verb method;
    std::string path_template;
    std::vector<std::string> segments;
    Route route;
  };

  static std::vector<std::string_view> split(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= path.size()) {
      const std::size_t slash = path.find('/', start);
      const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
      out.push_back(path.substr(start, end - start));
      if (slash == std::string_view::npos) break;
      start = slash + 1;
    }
    return out;
  }

  static bool plausible_param(std::string_view segment) {
    return !segment.empty() && segment.size() <= max_param_size &&
           std::none_of(segment.begin(), segment.end(), [](char ch) {
             return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
           });
  }

  static bool matches(const std::vector<std::string>& pattern,
                      const std::vector<std::string_view>& segments,
                      std::vector<std::string>& params) {
    if (pattern.size() != segments.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const std::string_view p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (!plausible_param(segments[i])) return false;
        params.emplace_back(segments[i]);
      } else if (p != segments[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<entry> entries_;
};

}  // namespace sluis::api
