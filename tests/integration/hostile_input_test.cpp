// Hostile and malformed input against the real server over real TLS: garbage instead of TLS,
// truncated handshakes, garbage HTTP, huge headers, hostile JSON (invalid UTF-8, deep nesting,
// numbers out of range, wrong types, SQL-looking strings) and path traversal. The server must
// answer each with a 4xx or close the connection, never a 5xx; it must still serve a normal
// request afterwards; and nothing stored may change: the families, members and contributions read
// the same, and the audit log only grew with refusals.

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <random>

#include "gateway/store/connection.hpp"
#include "tests/integration/gateway_fixture.hpp"

namespace sluis::testing {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using bhttp::verb;

// Markers of files that must never be served: the keyring, the policy's neighbours, /etc/passwd.
bool leaks_a_file(std::string_view body) {
  return body.find("kek_source") != std::string_view::npos ||
         body.find("wrapped") != std::string_view::npos ||
         body.find("root:x:0:0") != std::string_view::npos ||
         body.find("BEGIN PRIVATE KEY") != std::string_view::npos ||
         body.find("SQLite format") != std::string_view::npos;
}

class HostileInput : public gateway_fixture {
 protected:
  // Every row of the tables a request could change, as one string: equal before and after.
  std::string stored_data() {
    auto dump = store_->reads().with([](store::connection& db) -> result<std::string> {
      std::string out;
      for (const char* sql :
           {"SELECT * FROM families ORDER BY id", "SELECT * FROM members ORDER BY id",
            "SELECT * FROM contributions ORDER BY id", "SELECT * FROM family_keys ORDER BY 1",
            "SELECT * FROM subject_keys ORDER BY 1", "SELECT * FROM organisations ORDER BY id"}) {
        auto st = db.prepare(sql);
        if (!st) return st.error();
        for (;;) {
          auto row = st->step();
          if (!row) return row.error();
          if (!*row) break;
          for (int i = 0; i < st->column_count(); ++i) {
            const auto blob = st->column_blob(i);
            out.append(reinterpret_cast<const char*>(blob.data()), blob.size());
            out += '\x1f';
          }
          out += '\n';
        }
      }
      return out;
    });
    EXPECT_TRUE(dump) << dump.error().what();
    return dump ? *dump : std::string();
  }

  std::int64_t audit_head() {
    auto seq = audit_->reads().with([](store::connection& db) -> result<std::int64_t> {
      auto st = db.prepare("SELECT COALESCE(MAX(seq), 0) FROM audit_log");
      if (!st) return st.error();
      auto row = st->step();
      if (!row) return row.error();
      return st->column_int64(0);
    });
    EXPECT_TRUE(seq);
    return seq ? *seq : 0;
  }

  // Outcomes of the audit entries after `seq`, e.g. {"refused"}.
  std::set<std::string> outcomes_after(std::int64_t seq) {
    auto kinds =
        audit_->reads().with([seq](store::connection& db) -> result<std::set<std::string>> {
          auto st = db.prepare("SELECT DISTINCT outcome FROM audit_log WHERE seq > ?");
          if (!st) return st.error();
          st->bind(1, seq);
          std::set<std::string> out;
          for (;;) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            out.emplace(st->column_text(0));
          }
          return out;
        });
    EXPECT_TRUE(kinds);
    return kinds ? *kinds : std::set<std::string>{};
  }

  // Bytes on a plain TCP connection where the server expects a TLS ClientHello. Waits (briefly)
  // for the server to close when `wait_for_close`; a truncated handshake is just abandoned.
  void raw_tcp(std::string_view bytes, bool wait_for_close) {
    ++sent_;
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    boost::system::error_code ec;
    socket.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    ASSERT_FALSE(ec) << ec.message();
    timeval tv{5, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    asio::write(socket, asio::buffer(bytes.data(), bytes.size()), ec);
    if (!wait_for_close) return;
    // Whatever comes back (a TLS alert at most) is not an HTTP response, and the server closes.
    std::array<char, 4096> buf;
    std::string got;
    for (;;) {
      const std::size_t n = socket.read_some(asio::buffer(buf), ec);
      got.append(buf.data(), n);
      if (ec) break;
    }
    EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset)
        << "server did not close after " << bytes.size() << " bytes of garbage: " << ec.message();
    EXPECT_EQ(got.find("HTTP/"), std::string::npos);
  }

  // Raw bytes over TLS where the server expects HTTP. Returns the status, or 0 when the server
  // closed the connection without answering.
  unsigned raw_http(std::string_view bytes, const test_client_certificate* cert = nullptr) {
    ++sent_;
    tls_client c = client_for(cert != nullptr ? cert : &pki_.client);
    EXPECT_FALSE(c.connect());
    c.send_raw(bytes);
    boost::system::error_code ec;
    const auto res = c.receive(ec);
    if (!res) return 0;
    EXPECT_LT(res->result_int(), 500u) << printable(bytes) << "\n" << res->body();
    EXPECT_FALSE(leaks_a_file(res->body())) << printable(bytes);
    return res->result_int();
  }

  // A well-formed HTTP request with hostile content; returns the status.
  unsigned hostile(verb method, const std::string& target, const std::string& body = {},
                   const test_client_certificate* cert = nullptr,
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    ++sent_;
    tls_client c = client_for(cert != nullptr ? cert : &pki_.client);
    EXPECT_FALSE(c.connect());
    http_request req{method, target, 11};
    req.set(bhttp::field::host, "localhost");
    if (!body.empty()) req.set(bhttp::field::content_type, "application/json");
    for (auto& [name, value] : headers) req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    const auto res = c.request(req);
    if (!res) return 0;
    EXPECT_LT(res->result_int(), 500u) << target << " " << printable(body) << "\n" << res->body();
    EXPECT_GE(res->result_int(), 400u) << target << " " << printable(body) << "\n" << res->body();
    EXPECT_FALSE(leaks_a_file(res->body())) << target;
    return res->result_int();
  }

  static std::string printable(std::string_view bytes) {
    std::string out;
    for (const char ch : bytes.substr(0, 200)) {
      const auto u = static_cast<unsigned char>(ch);
      out += (u >= 0x20 && u < 0x7f) ? ch : '?';
    }
    return out;
  }

  int sent_ = 0;
};

// A TLS 1.2 ClientHello record header and the start of its body: valid as far as it goes.
const std::string client_hello_start =
    std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + std::string(32, '\x42');

// A member JSON object with the given BSN text (already JSON-encoded, quotes included).
std::string member_with_bsn(const std::string& bsn_json) {
  return R"({"bsn": )" + bsn_json +
         R"(, "role": "child", "label": "zoon", "date_of_birth": "2015-01-01"})";
}

std::string registration_with(const std::string& member) {
  return R"({"gezinsmanager": {"user_id": "gm-1", "name": "X"}, "members": [)" + member + "]}";
}

std::string nested(char open, char close, int depth) {
  return std::string(static_cast<std::size_t>(depth), open) +
         std::string(static_cast<std::size_t>(depth), close);
}

TEST_F(HostileInput, NothingBreaksNothingChangesAndOnlyRefusalsAreAudited) {
  start();
  const std::string family_id = register_family();
  ASSERT_EQ(call(&pki_.client, verb::post, "/v1/contributions",
                 contribution_body("c-1", daughter_bsn, R"(, "family_id": ")" + family_id + "\""))
                .result_int(),
            201u);
  const std::string before = stored_data();
  const std::int64_t audit_before = audit_head();
  ASSERT_FALSE(before.empty());

  // --- Garbage instead of TLS, and truncated TLS handshakes. ---
  std::mt19937 random(20261126);
  for (int i = 0; i < 12; ++i) {
    std::string garbage(static_cast<std::size_t>(1 + random() % 3000), '\0');
    for (auto& ch : garbage) ch = static_cast<char>(random());
    garbage[0] = 'Z';  // a TLS record type or an SSLv2 length would make the server wait for more
    raw_tcp(garbage, true);
  }
  raw_tcp("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", true);
  raw_tcp("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", true);
  raw_tcp(std::string("\x15\x03\x03\x00\x02\x02\x28", 7), true);  // a bare alert record
  raw_tcp(std::string("\x16\x03\x01\x00\x00", 5), true);          // empty handshake record
  raw_tcp(std::string("\x16\x03\x01\xff\xff", 5) + "x", false);   // a 64 KiB record, cut
  raw_tcp(std::string("\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00", 10), true);  // tiny hello
  for (std::size_t cut : {1, 3, 5, 9, 20, 43}) raw_tcp(client_hello_start.substr(0, cut), false);
  raw_tcp(client_hello_start + std::string(600, '\xff'), true);  // a hello full of nonsense

  // A real TLS handshake with garbage records after it.
  for (int i = 0; i < 4; ++i) {
    std::string noise(static_cast<std::size_t>(100 + random() % 5000), '\0');
    for (auto& ch : noise) ch = static_cast<char>(random());
    raw_http(noise);
  }

  // --- Garbage HTTP over TLS. ---
  const std::vector<std::string> bad_http = {
      "\r\n\r\n",
      "GET\r\n\r\n",
      "GET /healthz\r\n\r\n",
      "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost x\r\n\r\n",
      "GET /healthz HTTP/1.1\r\n: empty-name\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHo st: x\r\n\r\n",
      "G\x00T /healthz HTTP/1.1\r\n\r\n",
      "GET /hea\x00lthz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: \x01\x02\x03\r\n\r\n",
      "GET /healthz HTTP/1.1\nHost: x\n\n",
      "GET  /healthz  HTTP/1.1\r\n\r\n",
      "GET http://evil.example/v1/families HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
      "CONNECT evil.example:443 HTTP/1.1\r\nHost: x\r\n\r\n",
      "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
      "TRACE /v1/families HTTP/1.1\r\nHost: x\r\n\r\n",
      "BREW /coffee HTTP/1.1\r\nHost: x\r\n\r\n",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"
      "hello!",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0"
      "\r\n\r\n",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "fffffffffffffffffff\r\n",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
      "POST /v1/families HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: "
      "3\r\n\r\n0\r\n\r\n",
      "POST /v1/contributions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\n{}\r\n0\r\nX-Evil: trailer\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\n folded: continuation\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: \xff\xfe\xfd\r\n\r\n",
      "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/families/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/contributions?limit=%00 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/contributions?%%%%=%%% HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/contributions?limit=%27&limit=2&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /v1/families/x#fragment HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET //v1//families// HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET \\v1\\families HTTP/1.1\r\nHost: x\r\n\r\n",
      "DELETE /v1/contributions/ HTTP/1.1\r\nHost: x\r\n\r\n",
      "DELETE /v1/families/x/members/ HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (const auto& bytes : bad_http) raw_http(bytes);
  for (const auto& bytes : bad_http) raw_http(bytes, &pki_.second_client);

  // Huge headers: one huge value, thousands of small ones, a huge request line, a huge name.
  EXPECT_EQ(raw_http("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') +
                     "\r\n\r\n"),
            431u);
  {
    std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 3000; ++i) many += "X-" + std::to_string(i) + ": y\r\n";
    EXPECT_EQ(raw_http(many + "\r\n"), 431u);
  }
  EXPECT_EQ(raw_http("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 431u);
  EXPECT_EQ(raw_http("GET /healthz HTTP/1.1\r\n" + std::string(20000, 'X') + ": y\r\n\r\n"), 431u);
  EXPECT_EQ(raw_http("GET /healthz HTTP/1.1\r\nCookie: " + std::string(17000, ';') + "\r\n\r\n"),
            431u);

  // --- Hostile JSON bodies, each refused with a 4xx. ---
  std::vector<std::string> bodies = {
      "",
      " ",
      "null",
      "true",
      "0",
      "-0",
      "1e999",
      "\"string\"",
      "[]",
      "{}",
      "{",
      "}",
      "{\"members\": ",
      "{\"gezinsmanager\": 1, \"members\": 2}",
      "{\"gezinsmanager\": {}, \"members\": []}",
      "{\"gezinsmanager\": null, \"members\": null}",
      "{\"gezinsmanager\": [], \"members\": {}}",
      "\xef\xbb\xbf{}",
      "{\"a\":1}garbage",
      "{\"a\":1}{\"a\":2}",
      "{'single': 'quotes'}",
      "{\"a\": NaN}",
      "{\"a\": Infinity}",
      "{\"a\": 0x10}",
      "{\"a\": 01}",
      "{\"a\": .5}",
      "{\"a\": \"\\ud800\"}",
      "{\"a\": \"\\u0000\"}",
      "{\"a\": \"\xc3\x28\"}",
      "{\"a\": \"\xff\xfe\xfd\"}",
      "{\"\xed\xa0\x80\": 1}",
      "{\"a\": \"\xf4\x90\x80\x80\"}",
      "{\"a\": \"\xc0\xaf\"}",
      "{/* comment */}",
      "{\"a\": 1,}",
      nested('[', ']', 100000),
      nested('{', '}', 1) + std::string(50000, '['),
      "{\"a\":" + nested('[', ']', 5000) + "}",
      [] {
        std::string s;
        for (int i = 0; i < 20000; ++i) s += "{\"a\":";
        return s + "1" + std::string(20000, '}');
      }(),
      registration_with(member_with_bsn("\"\xc3\x28\xc3\x28\xc3\x28\"")),
      registration_with(member_with_bsn("123456782")),
      registration_with(member_with_bsn("1.23456782e8")),
      registration_with(member_with_bsn("1e999")),
      registration_with(member_with_bsn("-123456782")),
      registration_with(member_with_bsn("18446744073709551616")),
      registration_with(member_with_bsn("[\"123456782\"]")),
      registration_with(member_with_bsn("{\"bsn\": \"123456782\"}")),
      registration_with(member_with_bsn("null")),
      registration_with(member_with_bsn("true")),
      registration_with(member_with_bsn("\"123456789\"")),  // fails the elfproef
      registration_with(member_with_bsn("\"000000000\"")),
      registration_with(member_with_bsn("\"12345678\"")),
      registration_with(member_with_bsn("\"1234567820\"")),
      registration_with(member_with_bsn("\" 123456782\"")),
      registration_with(member_with_bsn("\"12345678２\"")),
      registration_with(member_with_bsn("\"' OR '1'='1\"")),
      registration_with(member_with_bsn("\"1; DROP TABLE families; --\"")),
      registration_with(member_with_bsn("\"123456782\\u0000\"")),
      registration_with(R"({"bsn": "123456782", "role": "child' OR 1=1 --", "label": "zoon",
          "date_of_birth": "2015-01-01"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": "2015-02-30"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": "99999-01-01"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": "-2015-01-01"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": 20150101})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": "2015-01-01'); DROP TABLE members; --"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": ")" +
                        std::string(5000, 'x') + R"(", "date_of_birth": "2015-01-01"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "\u0000",
          "date_of_birth": "2015-01-01"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": "2015-01-01", "gezag_holders": ["nobody"]})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": "2015-01-01", "gezag_holders": "moeder"})"),
      registration_with(R"({"bsn": "123456782", "role": "child", "label": "zoon",
          "date_of_birth": "2015-01-01", "unknown_field": 1})"),
      [] {
        std::string members;
        for (int i = 0; i < 40; ++i) members += (i ? "," : "") + member_with_bsn("\"123456782\"");
        return registration_with(members);
      }(),
      registration_with(member_with_bsn("\"123456782\"") + "," + member_with_bsn("\"123456782\"")),
  };
  for (const auto& body : bodies) {
    hostile(verb::post, "/v1/families", body);
    hostile(verb::post, "/v1/families/" + family_id + "/members", body);
    hostile(verb::post, "/v1/contributions", body);
  }
  // Contributions with one bad field each.
  const std::string family_field = R"(, "family_id": ")" + family_id + "\"";
  const std::vector<std::string> contribution_extras = {
      R"(, "family_id": 12)",
      R"(, "family_id": "x' OR '1'='1")",
      R"(, "family_id": "../../keyring.toml")",
      family_field + R"(, "unknown": "'; DELETE FROM contributions; --")",
      family_field + R"(, "start_date": "2026-13-45")",
      family_field + R"(, "due_date": 1e308)",
      family_field + R"(, "end_date": -9223372036854775809)",
      family_field + R"(, "body": ")" + std::string(30000, 'b') + "\"",
      family_field + R"(, "body": ["array"])",
      family_field + R"(, "body": {"nested": {"deeper": [1, 2, 3]}})",
      family_field + R"(, "owner": 18446744073709551616)",
      family_field + R"(, "owner": "\u0007bell")",
  };
  for (const auto& extra : contribution_extras)
    hostile(verb::post, "/v1/contributions", contribution_body("c-hostile", daughter_bsn, extra));
  hostile(verb::post, "/v1/contributions",
          contribution_body("c-1", "123456789", family_field));  // elfproef fails
  hostile(verb::post, "/v1/contributions",
          contribution_body(std::string(300, 's'), daughter_bsn, family_field));
  hostile(verb::post, "/v1/contributions",
          contribution_body("'; DROP TABLE contributions; --", "1 OR 1=1", family_field));

  // --- Path traversal and hostile targets. ---
  const std::vector<std::string> targets = {
      "/../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/%2e%2e/",
      "/..%2f..%2fetc%2fpasswd",
      "/assets/../../keyring.toml",
      "/assets/..%2f..%2fkeyring.toml",
      "/assets/%2e%2e/%2e%2e/keyring.toml",
      "/assets/%252e%252e/keyring.toml",
      "/assets/..%5c..%5ckeyring.toml",
      "/assets/....//....//keyring.toml",
      "/assets/%c0%ae%c0%ae/keyring.toml",
      "/assets/%00/../keyring.toml",
      "/assets/keyring.toml%00.js",
      "/assets//etc/passwd",
      "/assets/%2fetc%2fpasswd",
      "/assets/../data/sluis.db",
      "/keyring.toml",
      "/policy.toml",
      "/sluis.db",
      "/config.toml",
      "/.git/config",
      "/v1/families/..%2f..%2fkeyring.toml",
      "/v1/families/../../keyring.toml",
      "/v1/families/%2e%2e",
      "/v1/families/'%20OR%20'1'='1",
      "/v1/families/1;DROP%20TABLE%20families",
      "/v1/families/" + std::string(5000, 'f'),
      "/v1/families/" + std::string(129, 'f'),
      "/v1/families/%01",
      "/v1/families/%0d%0aX-Injected:%20yes",
      "/v1/contributions/%7f",
      "/v1/contributions?family_id=" + std::string(300, 'x'),
      "/v1/contributions?family_id=%01%02",
      "/v1/contributions?family_id=%0d%0a",
      "/v1/contributions/'%20UNION%20SELECT%20*%20FROM%20audit_log--",
      "/v1/contributions?limit=-1",
      "/v1/contributions?limit=0",
      "/v1/contributions?limit=501",
      "/v1/contributions?limit=99999999999999999999999",
      "/v1/contributions?limit=1e3",
      "/v1/contributions?limit=1;DROP%20TABLE%20contributions",
      "/v1/contributions?family_id=x'%20OR%20'1'='1&limit=0",
      "/v1/families/" + family_id + "/involvement",
      "/v1/families/" + family_id + "/involvement?purpose=",
      "/v1/families/" + family_id + "/involvement?purpose=signalling'%20OR%201=1--",
      "/v1/families/" + family_id + "/involvement?purpose=" + std::string(100, 'a'),
      "/v1/families/" + family_id + "/involvement?purpose=%ff%fe",
  };
  for (const auto& target : targets) hostile(verb::get, target);
  for (const auto& target : targets) hostile(verb::delete_, target);
  hostile(verb::delete_, "/v1/families/" + family_id + "/members/'%20OR%201=1--");
  hostile(verb::delete_, "/v1/contributions/..%2f..%2fkeyring.toml");

  // --- Hostile headers on otherwise normal requests. ---
  for (const std::string& user : std::vector<std::string>{
           "gm-1' OR '1'='1", "gm 1", "\xc3\x28", std::string(65, 'u'), "<script>", "gm-1\x01"}) {
    hostile(verb::get, "/v1/families/" + family_id, {}, nullptr, {{"X-Sluis-User", user}});
  }
  hostile(verb::post, "/v1/families", "{}", nullptr, {{"Content-Type", "text/html"}});
  hostile(verb::post, "/v1/families", "<xml/>", nullptr, {{"Content-Type", "application/xml"}});

  // --- Without a client certificate, and with one of no configured organisation. ---
  for (const auto& target :
       {std::string("/v1/families/") + family_id, std::string("/v1/contributions"),
        "/v1/families/" + family_id + "/involvement?purpose=plan"}) {
    tls_client anonymous(port_, tls_client_options{pki_.ca_certificate, nullptr, false, {}});
    ASSERT_FALSE(anonymous.connect());
    ++sent_;
    const auto res = anonymous.get(target);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result_int(), 401u);
  }
  stop_server();
  start({.configure_second_client = false});
  for (const auto& body : {bodies[13], bodies[40]}) {
    EXPECT_EQ(hostile(verb::post, "/v1/families", body, &pki_.second_client), 403u);
  }

  EXPECT_GE(sent_, 200);

  // Still serving, and nothing changed.
  const auto res = call(&pki_.client, verb::get, "/v1/families/" + family_id);
  EXPECT_EQ(res.result_int(), 200u) << res.body();
  const auto after_read = audit_head();
  EXPECT_EQ(stored_data(), before);
  EXPECT_GT(after_read, audit_before);
  // Everything the hostile requests left in the audit log is a refusal; the one read afterwards is
  // the only success.
  auto successes = audit_->reads().with([&](store::connection& db) -> result<std::string> {
    auto q = db.prepare(
        "SELECT action, outcome, outcome_code, resource_id FROM audit_log WHERE seq > ? AND "
        "outcome != 'refused' ORDER BY seq");
    if (!q) return q.error();
    q->bind(1, audit_before);
    std::string out;
    for (;;) {
      auto row = q->step();
      if (!row) return row.error();
      if (!*row) break;
      for (int i = 0; i < 4; ++i) out += std::string(q->column_text(i)) + " ";
      out += "\n";
    }
    return out;
  });
  ASSERT_TRUE(successes);
  EXPECT_EQ(*successes, "family.read ok  " + family_id + " \n");
  EXPECT_EQ(outcomes_after(after_read - 1), (std::set<std::string>{"ok"}));
}

}  // namespace
}  // namespace sluis::testing
