#include "policy/diff.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "policy/detail/request_walk.hpp"

namespace sluis::policy {
namespace {

// What a decision says besides its level: the basis it rests on and why it is not more.
std::vector<std::string> explanation(const decision& d) {
  std::vector<std::string> out;
  if (d.level > level::none) {
    out.push_back("basis " + std::string(to_string(d.basis)) + (d.flagged ? " (flagged)" : ""));
  }
  for (const auto& r : d.reasons) {
    auto text = r.code + (r.rule_id.empty() ? std::string() : " (rule " + r.rule_id + ")");
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(std::move(text));
  }
  return out;
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += separator;
    out += p;
  }
  return out;
}

std::string key_of(const cube& c, bool with_reasons) {
  std::string key = std::string(to_string(c.old_level)) + ">" + std::string(to_string(c.new_level));
  if (with_reasons) key += "|" + joined(c.old_reasons, ",") + ">" + joined(c.new_reasons, ",");
  return key;
}

// The consent values that the cube's subjects can have: an axis spanning all of them is whole.
value_set applicable_consents(const request_space& space, const cube& c) {
  value_set out(space[axis_id::consent].values.size());
  const auto& subjects = c.where[static_cast<std::size_t>(axis_id::subject)];
  for (auto v = subjects.find_first(); v != value_set::npos; v = subjects.find_next(v)) {
    for (const auto value : detail::consent_values_for(space, v)) out.set(value);
  }
  return out;
}

// Whether the cube holds every value of axis `a` that its shapes can have: then the axis does not
// matter to it, and neither the text nor the JSON names it.
bool spans_whole(const request_space& space, const cube& c, std::size_t a) {
  const auto& set = c.where[a];
  if (set.all()) return true;
  const bool consents =
      a == static_cast<std::size_t>(axis_id::consent) ||
      (a == static_cast<std::size_t>(axis_id::older_consent) && space.axes[a].values.size() > 1);
  return consents && applicable_consents(space, c).is_subset_of(set);
}

std::string axis_text(const request_space& space, const cube& c, std::size_t a) {
  if (spans_whole(space, c, a)) return {};
  const auto& set = c.where[a];
  const auto& values = space.axes[a].values;
  const auto count = set.count();
  std::vector<std::string> names;
  if (values.size() > 3 && count > values.size() / 2) {
    // Most of the axis: name what is left out.
    for (std::size_t v = 0; v < values.size(); ++v) {
      if (!set.test(v)) names.push_back(values[v].id);
    }
    std::string name = space.axes[a].name;
    std::replace(name.begin(), name.end(), '_', ' ');
    return "any " + name + " but " + joined(names, ", ");
  }
  for (auto v = set.find_first(); v != value_set::npos; v = set.find_next(v)) {
    names.push_back(values[v].label);
  }
  return joined(names, " or ");
}

boost::json::array cubes_json(const policy_diff& d, const std::vector<cube>& cubes) {
  boost::json::array out;
  for (const auto& c : cubes) {
    boost::json::object where;
    for (std::size_t a = 0; a < axis_count; ++a) {
      if (spans_whole(d.space, c, a)) continue;
      boost::json::array ids;
      const auto& set = c.where[a];
      for (auto v = set.find_first(); v != value_set::npos; v = set.find_next(v)) {
        ids.push_back(boost::json::string(d.space.axes[a].values[v].id));
      }
      where[d.space.axes[a].name] = std::move(ids);
    }
    out.push_back(
        {{"old_level", to_string(c.old_level)},
         {"new_level", to_string(c.new_level)},
         {"text", describe(d.space, c)},
         {"where", std::move(where)},
         {"old_reasons", boost::json::array(c.old_reasons.begin(), c.old_reasons.end())},
         {"new_reasons", boost::json::array(c.new_reasons.begin(), c.new_reasons.end())}});
  }
  return out;
}

std::vector<setting_change> settings_of(const engine& a, const engine& b) {
  std::vector<setting_change> out;
  const auto compare = [&](std::string setting, auto get) {
    const auto x = get(a), y = get(b);
    if (x != y) out.push_back({std::move(setting), x, y});
  };
  const auto number = [](auto f) { return [f](const engine& e) { return std::to_string(f(e)); }; };
  const auto flag = [](auto f) {
    return [f](const engine& e) { return std::string(f(e) ? "true" : "false"); };
  };
  compare("[consent] max_validity_days",
          number([](const engine& e) { return e.consent_max_validity().count(); }));
  compare("[consent] child_with_gezag_from_age",
          number([](const engine& e) { return e.child_with_gezag_from_age(); }));
  compare("[consent] child_alone_from_age",
          number([](const engine& e) { return e.child_alone_from_age(); }));
  compare("[break_glass] max_duration_minutes",
          number([](const engine& e) { return e.break_glass_max_duration().count(); }));
  compare("[break_glass] min_justification_length",
          number([](const engine& e) { return e.break_glass_min_justification(); }));
  compare("[break_glass] reviewer_role",
          [](const engine& e) { return e.break_glass_reviewer_role(); });
  compare("[oversight] label", flag([](const engine& e) { return e.oversight_shows_label(); }));
  compare("[oversight] gezinsmanager",
          flag([](const engine& e) { return e.oversight_shows_gezinsmanager(); }));
  return out;
}

}  // namespace

bool cube::covers(const std::array<std::size_t, axis_count>& shape) const {
  for (std::size_t a = 0; a < axis_count; ++a) {
    if (!where[a].test(shape[a])) return false;
  }
  return true;
}

namespace detail {

// Joins along the axes in `order`, again and again, until no two cubes differ in one axis only.
std::vector<cube> merged_along(std::vector<cube> cubes,
                               const std::array<std::size_t, axis_count>& order) {
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto a : order) {
      std::unordered_map<std::string, std::size_t> index;
      std::vector<cube> merged;
      std::string key, bits;
      for (auto& c : cubes) {
        key.clear();
        for (std::size_t b = 0; b < axis_count; ++b) {
          if (b == a) continue;
          boost::to_string(c.where[b], bits);
          key += bits;
          key += '|';
        }
        const auto [it, fresh] = index.emplace(key, merged.size());
        if (fresh) {
          merged.push_back(std::move(c));
        } else {
          merged[it->second].where[a] |= c.where[a];
          changed = true;
        }
      }
      cubes = std::move(merged);
    }
  }
  return cubes;
}

void merge(std::vector<cube>& cubes) {
  // Which cubes come out depends on the order of the axes: the requester's first, or the legal
  // facts first. Both are exact; the fewer lines are the easier read.
  std::array<std::size_t, axis_count> forward{}, backward{};
  for (std::size_t a = 0; a < axis_count; ++a) {
    forward[a] = a;
    backward[a] = axis_count - 1 - a;
  }
  auto one = merged_along(cubes, forward);
  auto other = merged_along(std::move(cubes), backward);
  cubes = other.size() < one.size() ? std::move(other) : std::move(one);
}

}  // namespace detail

policy_diff diff(const engine& before, const engine& after) {
  policy_diff out;
  out.old_version = before.version();
  out.new_version = after.version();
  out.settings = settings_of(before, after);
  out.space = detail::space_of(before, after);
  // Differences grouped by what they say: level changes by their two levels alone, reason
  // changes also by both explanations.
  std::map<std::string, std::vector<cube>> groups;
  out.decided = detail::walk(before, after, out.space, [&](const detail::shape_class& p) {
    auto old_reasons = explanation(p.before);
    auto new_reasons = explanation(p.after);
    const bool level_changed = p.before.level != p.after.level;
    if (!level_changed && old_reasons == new_reasons) return;
    cube c;
    for (std::size_t a = 0; a < axis_count; ++a) c.where[a] = *p.where[a];
    c.old_level = p.before.level;
    c.new_level = p.after.level;
    c.old_reasons = std::move(old_reasons);
    c.new_reasons = std::move(new_reasons);
    c.example = p.example;
    groups[key_of(c, !level_changed)].push_back(std::move(c));
  });
  for (auto& [key, cubes] : groups) {
    detail::merge(cubes);
    for (auto& c : cubes) {
      auto& to = c.new_level > c.old_level   ? out.added
                 : c.new_level < c.old_level ? out.removed
                                             : out.reasons_changed;
      to.push_back(std::move(c));
    }
  }
  return out;
}

std::string describe_where(const request_space& space, const cube& c) {
  std::vector<std::string> parts;
  for (std::size_t a = 0; a < axis_count; ++a) {
    auto text = axis_text(space, c, a);
    if (!text.empty()) parts.push_back(std::move(text));
  }
  return parts.empty() ? std::string("every request") : joined(parts, " · ");
}

std::string describe(const request_space& space, const cube& c) {
  std::string out = describe_where(space, c) + ": ";
  if (c.old_level != c.new_level) {
    return out + std::string(to_string(c.old_level)) + " → " + std::string(to_string(c.new_level));
  }
  return out + std::string(to_string(c.old_level)) + ", " + joined(c.old_reasons, "; ") + " → " +
         joined(c.new_reasons, "; ");
}

std::string diff_text(const policy_diff& d) {
  std::string out = "Policy diff " + d.old_version + " → " + d.new_version + "\n";
  out += "Compared over " + std::to_string(static_cast<std::uint64_t>(d.space.size())) +
         " request shapes; " + std::to_string(d.decided) +
         " representatives decided by both policies.\n";
  if (d.equal()) {
    return out +
           "\nThe policies are equal: every request gets the same level, basis and reasons.\n";
  }
  if (!d.settings.empty()) {
    out += "\nSettings changed (" + std::to_string(d.settings.size()) + "):\n";
    for (const auto& s : d.settings) {
      out += "  " + s.setting + ": " + s.old_value + " → " + s.new_value + "\n";
    }
  }
  const auto section = [&](const char* title, const char* mark, const std::vector<cube>& cubes) {
    out += "\n" + std::string(title) + " (" + std::to_string(cubes.size()) + ")";
    out += cubes.empty() ? ": none\n" : ":\n";
    for (const auto& c : cubes) out += "  " + std::string(mark) + " " + describe(d.space, c) + "\n";
  };
  section("Grants added: the new policy shows more", "+", d.added);
  section("Grants removed: the new policy shows less", "-", d.removed);
  section("Reasons changed: same level, another basis or explanation", "~", d.reasons_changed);
  return out;
}

boost::json::object diff_digest(const policy_diff& d) {
  return {{"added", d.added.size()},
          {"removed", d.removed.size()},
          {"reasons_changed", d.reasons_changed.size()}};
}

boost::json::object diff_json(const policy_diff& d) {
  boost::json::array settings;
  for (const auto& s : d.settings) {
    settings.push_back({{"setting", s.setting}, {"old", s.old_value}, {"new", s.new_value}});
  }
  boost::json::object axes;
  for (const auto& a : d.space.axes) {
    boost::json::array ids;
    for (const auto& v : a.values) ids.push_back(boost::json::string(v.id));
    axes[a.name] = std::move(ids);
  }
  return {{"equal", d.equal()},
          {"old_version", d.old_version},
          {"new_version", d.new_version},
          {"settings", settings},
          {"axes", std::move(axes)},
          {"space_size", d.space.size()},
          {"decided", d.decided},
          {"counts", diff_digest(d)},
          {"added", cubes_json(d, d.added)},
          {"removed", cubes_json(d, d.removed)},
          {"reasons_changed", cubes_json(d, d.reasons_changed)}};
}

}  // namespace sluis::policy
