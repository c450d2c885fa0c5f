#pragma once
// The web UI's static files (gateway/web/assets/), compiled into the binary at build time so that
// the gateway serves its own UI with nothing to install beside it and nothing fetched from
// elsewhere: the UI works offline and the Content-Security-Policy can allow 'self' only.
//
// The table is immutable static data: every function here is safe from any thread.

#include <cstdint>
#include <span>
#include <string_view>

namespace sluis::web {

// One embedded file. All views point into static storage and live as long as the program.
struct asset {
  std::string_view name;          // file name inside assets/, e.g. "app.js"
  std::string_view content_type;  // with charset for text, e.g. "text/javascript; charset=utf-8"
  std::string_view etag;          // strong validator, quoted: "\"<first 32 hex of SHA-256>\""
  std::string_view body;          // the file's bytes
};

// The asset called `name` (a bare file name as it follows "/assets/" in a URL, or "index.html"),
// or nullptr. Names are matched exactly and only flat names exist: anything with a slash,
// backslash, percent sign, "..", a leading dot, a control character or more than 64 characters is
// never found, so a URL can never reach a file outside the embedded table.
const asset* find_asset(std::string_view name) noexcept;

// Every embedded asset, in name order (for tests and for listing).
std::span<const asset> all_assets() noexcept;

// The response headers every page of the UI carries. The CSP allows scripts, styles, images and
// fetches from the gateway itself only and forbids inline code and framing.
inline constexpr std::string_view content_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

}  // namespace sluis::web
