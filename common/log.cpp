#include "common/log.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <ctime>
#include <memory>
#include <mutex>

namespace sluis::log {
namespace {

// spdlog only carries the finished line ("%v"): we build the JSON ourselves so that escaping and
// field order do not depend on spdlog's pattern language.
std::shared_ptr<spdlog::logger> make_logger(spdlog::sink_ptr sink) {
  auto logger = std::make_shared<spdlog::logger>("sluis", std::move(sink));
  logger->set_pattern("%v");
  logger->set_level(spdlog::level::trace);
  logger->flush_on(spdlog::level::trace);
  return logger;
}

struct state {
  std::mutex mutex;
  std::shared_ptr<spdlog::logger> logger =
      make_logger(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  level threshold = level::info;
};

state& global() {
  static state s;
  return s;
}

std::string_view level_name(level lvl) {
  switch (lvl) {
    case level::debug:
      return "debug";
    case level::info:
      return "info";
    case level::warn:
      return "warn";
    case level::error:
      return "error";
  }
  return "error";
}

std::string rfc3339_utc_now() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::floor<std::chrono::seconds>(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now - seconds).count();
  const std::time_t t = std::chrono::system_clock::to_time_t(seconds);
  std::tm utc{};
  ::gmtime_r(&t, &utc);
  char buffer[32];
  const auto n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char out[40];
  std::snprintf(out, sizeof out, "%.*s.%03dZ", static_cast<int>(n), buffer,
                static_cast<int>(millis));
  return out;
}

bool reserved(std::string_view key) { return key == "time" || key == "level" || key == "event"; }

void emit(level lvl, const boost::json::object& line) {
  auto& s = global();
  std::shared_ptr<spdlog::logger> logger;
  {
    std::lock_guard lock(s.mutex);
    if (lvl < s.threshold) return;
    logger = s.logger;
  }
  logger->info(boost::json::serialize(line));
}

boost::json::object header(level lvl, std::string_view event) {
  boost::json::object line;
  line["time"] = rfc3339_utc_now();
  line["level"] = level_name(lvl);
  line["event"] = event;
  return line;
}

}  // namespace

void write(level lvl, std::string_view event, const boost::json::object& extra) {
  auto line = header(lvl, event);
  for (const auto& [key, value] : extra) {
    if (!reserved(key)) line[key] = value;
  }
  emit(lvl, line);
}

void write(level lvl, std::string_view event, fields extra) {
  auto line = header(lvl, event);
  for (const auto& [key, value] : extra) {
    if (!reserved(key)) line[key] = value;
  }
  emit(lvl, line);
}

void set_level(level lvl) {
  auto& s = global();
  std::lock_guard lock(s.mutex);
  s.threshold = lvl;
}

bool set_file_sink(const std::filesystem::path& file) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    logger = make_logger(std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string()));
  } catch (const spdlog::spdlog_ex&) {
    return false;
  }
  auto& s = global();
  std::lock_guard lock(s.mutex);
  s.logger = std::move(logger);
  return true;
}

void set_stderr_sink() {
  auto logger = make_logger(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto& s = global();
  std::lock_guard lock(s.mutex);
  s.logger = std::move(logger);
}

}  // namespace sluis::log
