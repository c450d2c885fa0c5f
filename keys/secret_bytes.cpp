#include "keys/secret_bytes.hpp"

#include <sodium.h>

#include <mutex>
#include <new>
#include <stdexcept>
#include <utility>

namespace sluis::keys {

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  });
}

secret_bytes::secret_bytes(std::size_t size) : size_(size) {
  ensure_sodium();
  if (size == 0) return;
  data_ = static_cast<unsigned char*>(sodium_malloc(size));
  if (data_ == nullptr) throw std::bad_alloc();
  sodium_memzero(data_, size);
}

secret_bytes secret_bytes::copy_of(std::span<const unsigned char> bytes) {
  secret_bytes s(bytes.size());
  if (!bytes.empty()) std::copy(bytes.begin(), bytes.end(), s.data_);
  return s;
}

secret_bytes secret_bytes::random(std::size_t size) {
  secret_bytes s(size);
  if (size != 0) randombytes_buf(s.data_, size);
  return s;
}

secret_bytes::secret_bytes(secret_bytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

secret_bytes& secret_bytes::operator=(secret_bytes&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

secret_bytes::~secret_bytes() {
  if (data_ != nullptr) sodium_free(data_);  // sodium_free wipes before releasing.
}

secret_bytes secret_bytes::clone() const { return copy_of(span()); }

bool operator==(const secret_bytes& a, const secret_bytes& b) noexcept {
  if (a.size_ != b.size_) return false;
  if (a.size_ == 0) return true;
  return sodium_memcmp(a.data_, b.data_, a.size_) == 0;
}

}  // namespace sluis::keys
