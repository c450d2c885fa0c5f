#include "gateway/web/assets.hpp"

#include <algorithm>

namespace sluis::web {
namespace detail {
// Defined in the generated assets_table.cpp (see embed_assets.cmake), sorted by name.
extern const asset embedded_assets[];
extern const std::size_t embedded_asset_count;
}  // namespace detail

namespace {

// Refuses before looking up, so that the rule does not depend on which files happen to exist.
bool plausible_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  if (name.find("..") != std::string_view::npos) return false;
  return std::none_of(name.begin(), name.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u < 0x20 || u == 0x7f || ch == '/' || ch == '\\' || ch == '%';
  });
}

}  // namespace

std::span<const asset> all_assets() noexcept {
  return {detail::embedded_assets, detail::embedded_asset_count};
}

const asset* find_asset(std::string_view name) noexcept {
  if (!plausible_name(name)) return nullptr;
  const auto table = all_assets();
  const auto it = std::lower_bound(table.begin(), table.end(), name,
                                   [](const asset& a, std::string_view n) { return a.name < n; });
  if (it == table.end() || it->name != name) return nullptr;
  return &*it;
}

}  // namespace sluis::web
