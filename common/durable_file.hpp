#pragma once
// Files that survive a crash whole: written to FILE.tmp, flushed, renamed over FILE, and the
// directory flushed too, so a crash leaves either the old FILE or the new one, never a mix.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace sluis {

// Writes `text` to `file` durably with `mode` (0600 unless told). errc::io names the file.
result<void> write_file_durably(const std::filesystem::path& file, std::string_view text,
                                mode_t mode = 0600);

// Flushes `file` (a regular file or a directory) to disk.
result<void> sync_to_disk(const std::filesystem::path& file);

// The whole of `file`. errc::not_found when it does not exist, errc::io when it cannot be read.
result<std::string> read_whole_file(const std::filesystem::path& file);

}  // namespace sluis
