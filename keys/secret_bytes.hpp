#pragma once
// Secret memory: key material lives here and nowhere else.
//
// secret_bytes owns a buffer from sodium_malloc (guard pages around it, locked against swapping)
// and wipes it on release (sodium_free). It is move-only: a copy must be asked for by name
// (clone()), so a key is never duplicated by accident. It has no operator<< and no conversion to
// string, so it cannot end up in a log line. Not thread-safe for concurrent mutation; concurrent
// reads of a const secret_bytes are safe.

#include <cstddef>
#include <span>

namespace sluis::keys {

class secret_bytes {
 public:
  secret_bytes() noexcept = default;
  // Allocates `size` zeroed bytes; throws std::bad_alloc when libsodium cannot allocate.
  explicit secret_bytes(std::size_t size);
  // Copies `bytes` into secret memory. The caller is responsible for wiping its own copy.
  static secret_bytes copy_of(std::span<const unsigned char> bytes);
  // `size` bytes from the operating system's CSPRNG (randombytes_buf).
  static secret_bytes random(std::size_t size);

  secret_bytes(secret_bytes&& other) noexcept;
  secret_bytes& operator=(secret_bytes&& other) noexcept;
  secret_bytes(const secret_bytes&) = delete;
  secret_bytes& operator=(const secret_bytes&) = delete;
  ~secret_bytes();

  secret_bytes clone() const;

  unsigned char* data() noexcept { return data_; }
  const unsigned char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::span<unsigned char> span() noexcept { return {data_, size_}; }
  std::span<const unsigned char> span() const noexcept { return {data_, size_}; }

  // Constant-time comparison (sodium_memcmp).
  friend bool operator==(const secret_bytes& a, const secret_bytes& b) noexcept;

 private:
  unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

// Calls sodium_init() once; every entry point that uses libsodium calls this first. Throws
// std::runtime_error if libsodium cannot initialise (no entropy source).
void ensure_sodium();

}  // namespace sluis::keys
