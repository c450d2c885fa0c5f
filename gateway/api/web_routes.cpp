// The web UI's static files: GET / is the page shell, GET /assets/{name} one embedded asset
// (gateway/web/assets.hpp). Open to anyone (auth::none) and unaudited: they hold no case data;
// everything the pages show comes from the audited JSON API. Like every answer of the handler they
// carry the security headers (strict CSP, no framing; call.cpp), and assets revalidate by their
// strong ETag so that a new build is never served from a stale cache.

#include <boost/beast/http/field.hpp>
#include <string>
#include <string_view>

#include "gateway/api/routes.hpp"
#include "gateway/web/assets.hpp"

namespace sluis::api {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::verb;

// True when If-None-Match names `etag` (or is "*"). Weak comparison, as RFC 9110 13.1.2 asks for
// If-None-Match: a "W/" prefix is ignored.
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view candidate = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!candidate.empty() && (candidate.front() == ' ' || candidate.front() == '\t')) {
      candidate.remove_prefix(1);
    }
    while (!candidate.empty() && (candidate.back() == ' ' || candidate.back() == '\t')) {
      candidate.remove_suffix(1);
    }
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == "*" || candidate == etag) return true;
  }
  return false;
}

void send_asset(const call_ptr& c, const web::asset* asset) {
  if (asset == nullptr) {
    send(c, problem_response(*c, error::not_found("no such file")));
    return;
  }
  const bool unchanged = etag_matches(c->req[bhttp::field::if_none_match], asset->etag);
  http::response res =
      unchanged
          ? make_response(*c, bhttp::status::not_modified, {}, asset->content_type)
          : make_response(*c, bhttp::status::ok, std::string(asset->body), asset->content_type);
  if (unchanged) res.erase(bhttp::field::content_type);
  res.set(bhttp::field::etag, asset->etag);
  // Cache, but ask every time: names carry no version, the ETag does.
  res.set(bhttp::field::cache_control, "no-cache");
  send(c, std::move(res));
}

void page_shell(const call_ptr& c) { send_asset(c, web::find_asset("index.html")); }

void asset(const call_ptr& c) { send_asset(c, web::find_asset(c->params.at(0))); }

}  // namespace

void add_web_routes(route_table& r) {
  r.add(verb::get, "/", {page_shell, auth::none});
  r.add(verb::get, "/assets/{name}", {asset, auth::none});
}

}  // namespace sluis::api
