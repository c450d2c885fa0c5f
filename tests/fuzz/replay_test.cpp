// Replays every file of tests/fuzz/corpus/<target>/ through the fuzz target's entry point, so the
// inputs the fuzzers found (crashes that were fixed, and coverage worth keeping) stay regression
// tests in the normal ASan/UBSan build. A target that misbehaves aborts this test.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "tests/fuzz/targets.hpp"

namespace sluis::fuzz {
namespace {

using entry_point = int (*)(const std::uint8_t*, std::size_t);

std::vector<std::filesystem::path> corpus_files(const std::string& target) {
  const std::filesystem::path dir = std::filesystem::path(SLUIS_FUZZ_CORPUS) / target;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(dir)) {
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void replay(const std::string& target, entry_point fn) {
  const auto files = corpus_files(target);
  ASSERT_FALSE(files.empty()) << "no corpus for " << target;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const auto bytes = read_bytes(file);
    EXPECT_EQ(fn(bytes.data(), bytes.size()), 0);
  }
}

TEST(FuzzReplay, PolicyParser) { replay("policy_parser", policy_parser); }
TEST(FuzzReplay, JsonBodies) { replay("json_bodies", json_bodies); }
TEST(FuzzReplay, Bsn) { replay("bsn", bsn); }
TEST(FuzzReplay, HttpHandler) { replay("http_handler", http_handler); }

}  // namespace
}  // namespace sluis::fuzz
