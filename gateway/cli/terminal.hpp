#pragma once
// What the commands print on a terminal while they copy files.

#include <cstdint>
#include <cstdio>
#include <string>

namespace sluis::cli {

// "12.3 MiB".
inline std::string mib(std::uintmax_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

}  // namespace sluis::cli
