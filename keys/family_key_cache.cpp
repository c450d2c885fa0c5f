#include "keys/family_key_cache.hpp"

#include <sodium.h>

#include <algorithm>
#include <new>

#include "keys/secret_bytes.hpp"

namespace sluis::keys {

family_key_cache::family_key_cache(std::size_t capacity) {
  ensure_sodium();
  capacity = std::max<std::size_t>(capacity, 1);
  arena_ = static_cast<unsigned char*>(sodium_malloc(capacity * key_size));
  if (arena_ == nullptr) throw std::bad_alloc();
  sodium_memzero(arena_, capacity * key_size);
  slots_.resize(capacity);
  free_.reserve(capacity);
  for (std::size_t s = capacity; s-- > 0;) free_.push_back(static_cast<std::uint32_t>(s));
  index_.reserve(capacity);
  stats_.capacity = capacity;
}

family_key_cache::~family_key_cache() {
  sodium_free(arena_);  // wipes the whole arena before it unmaps it
}

family_key_cache::pin::pin(pin&& other) noexcept : cache_(other.cache_), slot_(other.slot_) {
  other.cache_ = nullptr;
}

family_key_cache::pin& family_key_cache::pin::operator=(pin&& other) noexcept {
  if (this != &other) {
    release();
    cache_ = other.cache_;
    slot_ = other.slot_;
    other.cache_ = nullptr;
  }
  return *this;
}

family_key_cache::pin::~pin() { release(); }

void family_key_cache::pin::release() noexcept {
  if (cache_ != nullptr) cache_->unpin(slot_);
  cache_ = nullptr;
}

std::span<const unsigned char> family_key_cache::pin::bytes() const noexcept {
  return {cache_->bytes_of(slot_), key_size};
}

family_key_cache::pin family_key_cache::get(
    const origin& o, const std::function<bool(std::span<unsigned char>)>& fill) {
  const std::lock_guard lock(mutex_);
  if (const auto it = index_.find(std::string(o.key_id)); it != index_.end()) {
    slot& s = slots_[it->second];
    if (s.kek_version == o.kek_version &&
        std::equal(s.wrapped.begin(), s.wrapped.end(), o.wrapped.begin(), o.wrapped.end())) {
      ++stats_.hits;
      ++s.pins;
      recent_.splice(recent_.begin(), recent_, s.recent);
      return pin(this, it->second);
    }
    // The store holds another wrapping of this key id now (re-wrapped, or changed): unwrap anew.
    unlist(it->second);
  }
  ++stats_.misses;
  const auto free_slot = take_free_slot();
  if (!free_slot) return {};
  const std::uint32_t n = *free_slot;
  if (!fill({bytes_of(n), key_size})) {
    sodium_memzero(bytes_of(n), key_size);
    free_.push_back(n);
    return {};
  }
  slot& s = slots_[n];
  s.key_id.assign(o.key_id);
  s.kek_version = o.kek_version;
  s.wrapped.assign(o.wrapped.begin(), o.wrapped.end());
  s.pins = 1;
  s.listed = true;
  recent_.push_front(n);
  s.recent = recent_.begin();
  index_.emplace(s.key_id, n);
  stats_.size = index_.size();
  return pin(this, n);
}

std::optional<std::uint32_t> family_key_cache::take_free_slot() {
  if (free_.empty()) {
    // Evict the least recently used key nobody is using.
    for (auto it = recent_.rbegin(); it != recent_.rend(); ++it) {
      const std::uint32_t victim = *it;
      if (slots_[victim].pins != 0) continue;
      unlist(victim);
      ++stats_.evictions;
      break;
    }
    if (free_.empty()) return std::nullopt;
  }
  const std::uint32_t n = free_.back();
  free_.pop_back();
  return n;
}

void family_key_cache::unlist(std::uint32_t n) {
  slot& s = slots_[n];
  if (!s.listed) return;
  index_.erase(s.key_id);
  recent_.erase(s.recent);
  s.listed = false;
  stats_.size = index_.size();
  if (s.pins == 0) wipe_and_free(n);
}

void family_key_cache::wipe_and_free(std::uint32_t n) {
  sodium_memzero(bytes_of(n), key_size);
  slot& s = slots_[n];
  s.key_id.clear();
  s.wrapped.clear();
  s.kek_version = 0;
  free_.push_back(n);
}

void family_key_cache::unpin(std::uint32_t n) noexcept {
  const std::lock_guard lock(mutex_);
  slot& s = slots_[n];
  if (--s.pins == 0 && !s.listed) wipe_and_free(n);
}

void family_key_cache::forget(std::string_view key_id) {
  const std::lock_guard lock(mutex_);
  if (const auto it = index_.find(std::string(key_id)); it != index_.end()) unlist(it->second);
}

void family_key_cache::clear() {
  const std::lock_guard lock(mutex_);
  while (!recent_.empty()) unlist(recent_.front());
}

family_key_cache_stats family_key_cache::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace sluis::keys
