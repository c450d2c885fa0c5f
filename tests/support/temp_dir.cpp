#include "tests/support/temp_dir.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace sluis::testing {

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sluis-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& file, std::string_view contents) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(contents.data(), static_cast<std::streamsize>(contents.size()));
}

bool any_file_contains(const std::filesystem::path& dir, std::string_view needle,
                       std::vector<std::filesystem::path>* hits) {
  bool found = false;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string bytes = read_file(entry.path());
    if (std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end()) != bytes.end()) {
      found = true;
      if (hits != nullptr) hits->push_back(entry.path());
    }
  }
  return found;
}

}  // namespace sluis::testing
