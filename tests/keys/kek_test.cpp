#include "keys/kek.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "keys/key_ring.hpp"
#include "tests/keys/test_keys.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::keys {
namespace {

namespace fs = std::filesystem;
using sluis::testing::read_file;
using sluis::testing::temp_dir;
using sluis::testing::write_file;

unsigned mode_of(const fs::path& file) {
  struct stat info {};
  EXPECT_EQ(::stat(file.c_str(), &info), 0);
  return info.st_mode & 07777;
}

TEST(KeyFile, IsCreatedOwnerOnlyWithSixtyFourHexCharacters) {
  temp_dir dir;
  const fs::path file = dir / "root.key";
  ASSERT_TRUE(create_key_file(file).has_value());
  EXPECT_EQ(mode_of(file), 0600u);
  const std::string content = read_file(file);
  ASSERT_EQ(content.size(), 65u);
  EXPECT_EQ(content.back(), '\n');
  EXPECT_EQ(content.find_first_not_of("0123456789abcdef"), 64u);
  auto source = kek_source::from_key_file(file);
  ASSERT_TRUE(source.has_value()) << source.error().what();
  EXPECT_EQ(source->kind(), kek_kind::key_file);
}

TEST(KeyFile, TwoKeyFilesDiffer) {
  temp_dir dir;
  ASSERT_TRUE(create_key_file(dir / "a.key").has_value());
  ASSERT_TRUE(create_key_file(dir / "b.key").has_value());
  EXPECT_NE(read_file(dir / "a.key"), read_file(dir / "b.key"));
}

TEST(KeyFile, IsNeverOverwritten) {
  temp_dir dir;
  const fs::path file = dir / "root.key";
  ASSERT_TRUE(create_key_file(file).has_value());
  const std::string before = read_file(file);
  auto again = create_key_file(file);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), errc::conflict);
  EXPECT_EQ(read_file(file), before);
}

TEST(KeyFile, ReadableByGroupOrOthersIsRefusedWithTheFix) {
  temp_dir dir;
  const fs::path file = dir / "root.key";
  ASSERT_TRUE(create_key_file(file).has_value());
  for (fs::perms mode : {fs::perms(0640), fs::perms(0604), fs::perms(0660), fs::perms(0644)}) {
    fs::permissions(file, mode);
    auto source = kek_source::from_key_file(file);
    ASSERT_FALSE(source.has_value());
    EXPECT_EQ(source.error().code(), errc::forbidden);
    EXPECT_NE(source.error().message().find("readable by group or others"), std::string::npos);
    EXPECT_NE(source.error().message().find("run: chmod 600 " + file.string()), std::string::npos)
        << source.error().message();
  }
  fs::permissions(file, fs::perms(0600));
  EXPECT_TRUE(kek_source::from_key_file(file).has_value());
  fs::permissions(file, fs::perms(0400));
  EXPECT_TRUE(kek_source::from_key_file(file).has_value());
}

TEST(KeyFile, MalformedContentIsRefused) {
  temp_dir dir;
  const std::string good(64, 'a');
  for (const std::string& bad : {std::string(), good.substr(1), good + "a", good + "\n\n",
                                 std::string(63, 'a') + "g", good + "aa\n", good + " "}) {
    const fs::path file = dir / "bad.key";
    fs::remove(file);
    write_file(file, bad);
    fs::permissions(file, fs::perms(0600));
    auto source = kek_source::from_key_file(file);
    ASSERT_FALSE(source.has_value()) << "length " << bad.size();
    EXPECT_EQ(source.error().code(), errc::invalid_argument);
  }
  write_file(dir / "ok.key", good);
  fs::permissions(dir / "ok.key", fs::perms(0600));
  EXPECT_TRUE(kek_source::from_key_file(dir / "ok.key").has_value()) << "the newline is optional";
}

TEST(KeyFile, MissingFileOrDirectoryIsAClearError) {
  temp_dir dir;
  auto missing = kek_source::from_key_file(dir / "absent.key");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), errc::io);
  fs::create_directory(dir / "d");
  fs::permissions(dir / "d", fs::perms(0700));
  EXPECT_FALSE(kek_source::from_key_file(dir / "d").has_value());
}

TEST(Passphrase, ComesFromTheEnvironment) {
  ::setenv("SLUIS_PASSPHRASE", "correct horse battery staple", 1);
  auto source = kek_source::passphrase_from_environment(argon2_limits::minimum());
  ::unsetenv("SLUIS_PASSPHRASE");
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(source->kind(), kek_kind::passphrase);
  EXPECT_EQ(source->limits(), argon2_limits::minimum());

  auto unset = kek_source::passphrase_from_environment();
  ASSERT_FALSE(unset.has_value());
  EXPECT_EQ(unset.error().field(), "SLUIS_PASSPHRASE");
  ::setenv("SLUIS_PASSPHRASE", "", 1);
  EXPECT_FALSE(kek_source::passphrase_from_environment().has_value());
  ::unsetenv("SLUIS_PASSPHRASE");
}

// Reads what the terminal shows until `done` says enough, the other side closes, or (as a guard
// against hanging the suite, not a timing assertion) nothing arrives for 20 seconds.
template <class Done>
std::string read_terminal(int master, Done done) {
  std::string shown;
  char buffer[256];
  while (!done(shown)) {
    pollfd wait_for{master, POLLIN, 0};
    if (::poll(&wait_for, 1, 20'000) <= 0) break;
    const ssize_t n = ::read(master, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO once the child has closed the terminal
    shown.append(buffer, static_cast<std::size_t>(n));
  }
  return shown;
}

TEST(Passphrase, ComesFromTheTerminalWithoutEcho) {
  temp_dir dir;
  const fs::path file = dir / "keyring.toml";
  const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(::grantpt(master), 0);
  ASSERT_EQ(::unlockpt(master), 0);
  const std::string terminal = ::ptsname(master);

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A new session has no controlling terminal; opening the pty makes it this child's /dev/tty.
    ::setsid();
    const int slave = ::open(terminal.c_str(), O_RDWR);
    auto source = kek_source::passphrase_from_terminal("Passphrase: ", argon2_limits::minimum());
    const bool created = source && keyring::create(file, *source).has_value();
    ::close(slave);
    ::_exit(created ? 0 : 1);
  }
  const std::string prompt = read_terminal(
      master, [](const std::string& s) { return s.find("Passphrase: ") != std::string::npos; });
  ASSERT_NE(prompt.find("Passphrase: "), std::string::npos);
  const std::string typed = "correct horse battery staple\n";
  ASSERT_EQ(::write(master, typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  const std::string after = read_terminal(master, [](const std::string&) { return false; });
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ::close(master);

  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(after.find("horse"), std::string::npos) << "the passphrase was echoed";
  EXPECT_TRUE(keyring::open(file, testing::passphrase("correct horse battery staple")).has_value());
}

TEST(Passphrase, LimitsAreCheckedAndDefaultToModerate) {
  const auto defaulted = kek_source::from_passphrase(secret_bytes::copy_of(testing::bytes_of("x")));
  EXPECT_EQ(defaulted.limits(), argon2_limits::moderate());
  EXPECT_TRUE(argon2_limits::interactive().within_bounds());
  EXPECT_TRUE(argon2_limits::minimum().within_bounds());
  EXPECT_FALSE((argon2_limits{0, argon2_limits::minimum().memlimit}).within_bounds());
  EXPECT_FALSE((argon2_limits{1, std::size_t{8} << 30}).within_bounds());
  EXPECT_THROW(testing::passphrase("x", argon2_limits{}), std::invalid_argument);
  EXPECT_THROW(testing::passphrase(""), std::invalid_argument);
}

}  // namespace
}  // namespace sluis::keys
