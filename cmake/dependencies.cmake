# All dependencies come from Debian bookworm packages (SQLCipher from bookworm-backports). When one is missing, say which package to
# install: `./deploy/dev.sh` installs all of them.

function(sluis_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR "Sluis needs ${what}: install the Debian package '${package}' "
                        "(or run ./deploy/dev.sh, which installs everything).")
  endif()
endfunction()

find_package(Threads REQUIRED)
find_package(PkgConfig QUIET)
sluis_require(PkgConfig_FOUND "pkg-config" "pkg-config")

# Boost 1.81 (Beast, Asio, JSON, URL), never the 1.74 default.
find_package(Boost 1.81.0 EXACT QUIET CONFIG COMPONENTS system json url)
sluis_require(Boost_FOUND "Boost 1.81 with Boost.JSON and Boost.URL"
              "libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev")

find_package(OpenSSL 3 QUIET)
sluis_require(OPENSSL_FOUND "OpenSSL 3" "libssl-dev")

pkg_check_modules(SODIUM QUIET IMPORTED_TARGET libsodium>=1.0.18)
sluis_require(SODIUM_FOUND "libsodium" "libsodium-dev")

# SQLCipher only: never libsqlite3 in the same binary. SQLCipher 4.6, from bookworm-backports
# (pkg-config gives the SQLite version inside: 3.46.1 is SQLCipher 4.6.1; bookworm's own 3.4.1
# says 3.15.2).
pkg_check_modules(SQLCIPHER QUIET IMPORTED_TARGET sqlcipher>=3.46)
sluis_require(SQLCIPHER_FOUND "SQLCipher 4.6"
              "libsqlcipher-dev from bookworm-backports, version 4.6.1-2~bpo12+1")

# sd_notify: readiness, reloading, stopping and the watchdog under systemd's Type=notify.
pkg_check_modules(SYSTEMD QUIET IMPORTED_TARGET libsystemd)
sluis_require(SYSTEMD_FOUND "libsystemd" "libsystemd-dev")

# Calendar days in Europe/Amsterdam (policy/calendar.hpp): Howard Hinnant's date library, the
# basis of C++20's <chrono> time zones, which g++ 12 does not have yet. Reads the system's tzdata.
find_package(date 3 QUIET CONFIG)
sluis_require(date_FOUND "the date library with time zones" "libhowardhinnant-date-dev")

find_package(tomlplusplus 3 QUIET CONFIG)
sluis_require(tomlplusplus_FOUND "toml++" "libtomlplusplus-dev")

find_package(CLI11 QUIET CONFIG)
sluis_require(CLI11_FOUND "CLI11" "libcli11-dev")

find_package(spdlog QUIET CONFIG)
sluis_require(spdlog_FOUND "spdlog" "libspdlog-dev")

if(SLUIS_BUILD_TESTS)
  find_package(GTest QUIET CONFIG)
  sluis_require(GTest_FOUND "GoogleTest and GoogleMock" "libgtest-dev libgmock-dev")
endif()
if(SLUIS_BUILD_BENCHMARKS)
  find_package(benchmark QUIET CONFIG)
  sluis_require(benchmark_FOUND "Google Benchmark" "libbenchmark-dev")
endif()
