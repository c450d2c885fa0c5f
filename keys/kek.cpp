#include "keys/kek.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "keys/detail/fd_guard.hpp"
#include "keys/detail/hex.hpp"
#include "keys/terminal_prompt.hpp"

namespace sluis::keys {

namespace {

constexpr unsigned long long max_opslimit = 32;
constexpr std::size_t max_memlimit = std::size_t{4} << 30;
constexpr std::size_t max_passphrase_size = 1024;
constexpr std::size_t key_file_hex_size = kek_source::key_file_key_size * 2;

std::string describe_errno(std::string_view what, const std::filesystem::path& file) {
  return std::string(what) + " " + file.string() + ": " + std::strerror(errno);
}

using detail::fd_guard;

std::string mode_string(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

result<void> check_owner_only(int fd, const std::filesystem::path& file) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return error::io(describe_errno("cannot inspect key file", file));
  if (!S_ISREG(info.st_mode))
    return error::invalid("key_file", "key file " + file.string() + " is not a regular file");
  if ((info.st_mode & 077) != 0)
    return error::forbidden("key file " + file.string() + " is readable by group or others (mode " +
                            mode_string(info.st_mode) + "); run: chmod 600 " + file.string());
  return {};
}

// Reads up to `out.size()` bytes; returns how many were read, or -1 on an error.
ssize_t read_all(int fd, std::span<unsigned char> out) {
  std::size_t total = 0;
  while (total < out.size()) {
    const ssize_t n = ::read(fd, out.data() + total, out.size() - total);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
  }
  return static_cast<ssize_t>(total);
}

result<secret_bytes> read_key_file(int fd, const std::filesystem::path& file) {
  // One byte more than the longest valid content, to notice a file that is too long.
  secret_bytes content(key_file_hex_size + 2);
  const ssize_t size = read_all(fd, content.span());
  if (size < 0) return error::io(describe_errno("cannot read key file", file));
  std::size_t hex_size = static_cast<std::size_t>(size);
  if (hex_size == key_file_hex_size + 1 && content.data()[key_file_hex_size] == '\n') --hex_size;
  secret_bytes key(kek_source::key_file_key_size);
  const std::string_view hex(reinterpret_cast<const char*>(content.data()), hex_size);
  if (!detail::from_hex(hex, key.span()))
    return error::invalid("key_file", "key file " + file.string() +
                                          " must hold 64 hexadecimal characters (32 bytes)");
  return key;
}

void check_limits(const argon2_limits& limits) {
  if (!limits.within_bounds()) throw std::invalid_argument("Argon2id limits out of bounds");
}

}  // namespace

std::string_view to_string(kek_kind kind) noexcept {
  switch (kind) {
    case kek_kind::passphrase:
      return "passphrase";
    case kek_kind::key_file:
      return "key-file";
  }
  return "unknown";
}

argon2_limits argon2_limits::moderate() noexcept {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
argon2_limits argon2_limits::interactive() noexcept {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
argon2_limits argon2_limits::minimum() noexcept {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}
bool argon2_limits::within_bounds() const noexcept {
  return opslimit >= crypto_pwhash_OPSLIMIT_MIN && opslimit <= max_opslimit &&
         memlimit >= crypto_pwhash_MEMLIMIT_MIN && memlimit <= max_memlimit;
}

kek_source kek_source::from_passphrase(secret_bytes&& passphrase, argon2_limits limits) {
  if (passphrase.empty()) throw std::invalid_argument("the passphrase is empty");
  check_limits(limits);
  return kek_source(kek_kind::passphrase, std::move(passphrase), limits);
}

result<kek_source> kek_source::passphrase_from_environment(argon2_limits limits) {
  const std::string variable(passphrase_environment_variable);
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0')
    return error::invalid(variable, "the environment variable is not set or empty");
  const std::size_t size = std::strlen(value);
  if (size > max_passphrase_size) return error::invalid(variable, "the passphrase is too long");
  check_limits(limits);
  return from_passphrase(
      secret_bytes::copy_of({reinterpret_cast<const unsigned char*>(value), size}), limits);
}

result<kek_source> kek_source::passphrase_from_terminal(std::string_view prompt,
                                                        argon2_limits limits) {
  check_limits(limits);
  auto passphrase = read_secret_from_terminal(prompt, "passphrase", max_passphrase_size);
  if (!passphrase) return passphrase.error();
  return from_passphrase(std::move(*passphrase), limits);
}

result<kek_source> kek_source::from_key_file(const std::filesystem::path& file) {
  const fd_guard fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) return error::io(describe_errno("cannot open key file", file));
  if (auto ok = check_owner_only(fd.get(), file); !ok) return ok.error();
  auto key = read_key_file(fd.get(), file);
  if (!key) return key.error();
  return kek_source(kek_kind::key_file, std::move(*key), argon2_limits{});
}

secret_bytes kek_source::root_key(std::span<const unsigned char> salt,
                                  const argon2_limits& limits) const {
  if (kind_ == kek_kind::key_file) return secret_.clone();
  if (salt.size() != crypto_pwhash_SALTBYTES) throw std::invalid_argument("wrong salt size");
  secret_bytes key(32);
  if (crypto_pwhash(key.data(), key.size(), reinterpret_cast<const char*>(secret_.data()),
                    secret_.size(), salt.data(), limits.opslimit, limits.memlimit,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::bad_alloc();  // crypto_pwhash fails only when it cannot allocate memlimit bytes.
  return key;
}

result<void> create_key_file(const std::filesystem::path& file) {
  const fd_guard fd(
      ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (fd.get() < 0 && errno == EEXIST)
    return error::conflict("key file " + file.string() + " already exists; not overwriting it");
  if (fd.get() < 0) return error::io(describe_errno("cannot create key file", file));
  const secret_bytes key = secret_bytes::random(kek_source::key_file_key_size);
  secret_bytes line(key_file_hex_size + 1);  // hex, then the NUL that sodium_bin2hex writes
  sodium_bin2hex(reinterpret_cast<char*>(line.data()), line.size(), key.data(), key.size());
  line.data()[key_file_hex_size] = '\n';
  if (::fchmod(fd.get(), 0600) != 0 ||
      ::write(fd.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()) ||
      ::fsync(fd.get()) != 0) {
    auto failure = error::io(describe_errno("cannot write key file", file));
    ::unlink(file.c_str());  // A partial key file would only confuse the next attempt.
    return failure;
  }
  return {};
}

}  // namespace sluis::keys
