#pragma once
// Structured logs: one JSON object per line (time, level, event, then the caller's fields).
//
// Callers pass only non-personal fields: ids, counts, reasons, never a BSN, a name or a payload.
// All functions are safe to call from any thread; a line is written whole or not at all.

#include <boost/json/object.hpp>
#include <filesystem>
#include <initializer_list>
#include <string_view>
#include <utility>

namespace sluis::log {

enum class level { debug, info, warn, error };

// Key/value pairs for the common case of string fields; values are JSON-escaped.
using fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Writes {"time":"2026-11-23T09:30:36.123Z","level":"info","event":...,<fields>}. Fields named
// time, level or event are ignored so that a caller cannot forge them.
void write(level lvl, std::string_view event, const boost::json::object& extra);
void write(level lvl, std::string_view event, fields extra = {});

inline void debug(std::string_view event, fields extra = {}) { write(level::debug, event, extra); }
inline void info(std::string_view event, fields extra = {}) { write(level::info, event, extra); }
inline void warn(std::string_view event, fields extra = {}) { write(level::warn, event, extra); }
inline void error(std::string_view event, fields extra = {}) { write(level::error, event, extra); }

// Lines below this level are dropped (default: info).
void set_level(level lvl);

// Sends all following lines to `file` (appending), e.g. so a test can byte-scan its logs.
// Returns false, and keeps the current sink, when the file cannot be opened.
bool set_file_sink(const std::filesystem::path& file);

// Sends all following lines to stderr again (the default).
void set_stderr_sink();

}  // namespace sluis::log
