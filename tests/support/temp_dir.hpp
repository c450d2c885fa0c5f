#pragma once
// A fresh directory under the system temp dir, removed with everything in it on destruction.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sluis::testing {

class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, std::string_view contents);

// True when `needle` occurs in any regular file under `dir` (recursively): for "the BSN is nowhere
// on disk" checks. `hits` (if given) receives the paths of the files that contain it.
bool any_file_contains(const std::filesystem::path& dir, std::string_view needle,
                       std::vector<std::filesystem::path>* hits = nullptr);

}  // namespace sluis::testing
