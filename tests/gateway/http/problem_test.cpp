// problem+json: the errc -> status table, the body's members, and no internals in 500s.
#include "gateway/http/problem.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace sluis::http {
namespace {

struct mapping {
  errc code;
  unsigned status;
  std::string_view type;
};

class problem_mapping_test : public ::testing::TestWithParam<mapping> {};

TEST_P(problem_mapping_test, ErrorCodeMapsToStatusAndType) {
  const auto& m = GetParam();
  const auto p = problem_from_error(sluis::error(m.code, "what went wrong"));
  EXPECT_EQ(p.status, m.status);
  EXPECT_EQ(p.type, m.type);
  EXPECT_FALSE(p.title.empty());
}

INSTANTIATE_TEST_SUITE_P(
    all_codes, problem_mapping_test,
    ::testing::Values(mapping{errc::malformed, 400, problem_type::malformed},
                      mapping{errc::invalid_argument, 422, problem_type::validation},
                      mapping{errc::not_found, 404, problem_type::not_found},
                      mapping{errc::conflict, 409, problem_type::conflict},
                      mapping{errc::unauthenticated, 401, problem_type::unauthenticated},
                      mapping{errc::forbidden, 403, problem_type::forbidden},
                      mapping{errc::too_large, 413, problem_type::payload_too_large},
                      mapping{errc::rate_limited, 429, problem_type::rate_limited},
                      mapping{errc::unavailable, 503, problem_type::unavailable},
                      mapping{errc::crypto, 500, problem_type::internal},
                      mapping{errc::corrupt, 500, problem_type::internal},
                      mapping{errc::io, 500, problem_type::internal},
                      mapping{errc::internal, 500, problem_type::internal}));

TEST(problem, ValidationErrorNamesTheFieldAtFault) {
  const auto p = problem_from_error(sluis::error::invalid("members/0/bsn", "fails the elfproef"));
  const auto body = to_json(p, "req-1");
  EXPECT_EQ(body.at("type").as_string(), problem_type::validation);
  EXPECT_EQ(body.at("status").as_int64(), 422);
  EXPECT_EQ(body.at("instance").as_string(), "req-1");
  const auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0].at("field").as_string(), "members/0/bsn");
  EXPECT_EQ(errors[0].at("detail").as_string(), "fails the elfproef");
}

TEST(problem, InternalErrorsHideTheirMessage) {
  const auto p = problem_from_error(sluis::error::io("disk /var/lib/sluis/db full"));
  const auto res = make_problem_response(p, "req-2", 11, true);
  EXPECT_EQ(res.body().find("disk"), std::string::npos);
  EXPECT_EQ(res.body().find("/var/lib"), std::string::npos);
  EXPECT_EQ(res.result_int(), 500);
}

TEST(problem, ResponseIsProblemJsonWithLength) {
  const auto res = make_problem_response(make_problem(problem_type::not_found, "no such family"),
                                         "req-3", 11, false);
  EXPECT_EQ(res[boost::beast::http::field::content_type], "application/problem+json");
  EXPECT_EQ(res[boost::beast::http::field::content_length], std::to_string(res.body().size()));
  EXPECT_FALSE(res.keep_alive());
  const auto body = boost::json::parse(res.body()).as_object();
  EXPECT_EQ(body.at("title").as_string(), "Not found");
  EXPECT_EQ(body.at("detail").as_string(), "no such family");
  EXPECT_FALSE(body.contains("errors"));
}

TEST(problem, UnknownTypeBecomesInternal) {
  const auto p = make_problem("https://example.com/not-ours");
  EXPECT_EQ(p.type, problem_type::internal);
  EXPECT_EQ(p.status, 500U);
}

}  // namespace
}  // namespace sluis::http
