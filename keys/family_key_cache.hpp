#pragma once
// The unwrapped family keys of a running gateway, in guarded memory that is allocated once.
//
// A family key is unwrapped (one AEAD open under a KEK) the first time a request needs it, straight
// into a slot of one sodium_malloc arena (guard pages around it, locked against swapping); later
// requests for the same wrapped key find it there. So the steady-state request path makes no
// sodium_malloc/sodium_free (each costs an mprotect/munmap, with TLB shoot-downs on every core) and
// usually no unwrap at all.
//
// The cache is bounded: when every slot is taken, the least recently used slot that nobody is
// using is wiped and reused. A slot in use is pinned by a `pin` and is never wiped or reused under
// it. forget() and clear() take keys out at once and wipe each slot as soon as its last pin ends
// (crypto-shredding of a family, retiring a KEK version). A hit requires the same key id, KEK
// version and wrapped bytes as the unwrap that filled the slot, so a changed or re-wrapped key in
// the store is never answered from the cache. Thread-safe: one mutex, held for map and list work
// and for the 32-byte decryption of a miss, never for the payload crypto that uses a pinned key.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sluis::keys {

struct family_key_cache_stats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t evictions = 0;
  std::size_t size = 0;  // keys held now
  std::size_t capacity = 0;
};

class family_key_cache {
 public:
  static constexpr std::size_t key_size = 32;

  // One arena for `capacity` keys (at least 1). Throws std::bad_alloc when libsodium cannot
  // allocate it.
  explicit family_key_cache(std::size_t capacity);
  family_key_cache(const family_key_cache&) = delete;
  family_key_cache& operator=(const family_key_cache&) = delete;
  // Every pin must have ended. Wipes and frees the arena.
  ~family_key_cache();

  // Keeps one slot's bytes valid and unchanged while it lives. Move-only.
  class pin {
   public:
    pin() noexcept = default;
    pin(pin&& other) noexcept;
    pin& operator=(pin&& other) noexcept;
    pin(const pin&) = delete;
    pin& operator=(const pin&) = delete;
    ~pin();

    explicit operator bool() const noexcept { return cache_ != nullptr; }
    std::span<const unsigned char> bytes() const noexcept;

   private:
    friend class family_key_cache;
    pin(family_key_cache* cache, std::uint32_t slot) noexcept : cache_(cache), slot_(slot) {}
    void release() noexcept;
    family_key_cache* cache_ = nullptr;
    std::uint32_t slot_ = 0;
  };

  // What identifies one unwrap: the key id, the KEK version and the wrapped bytes.
  struct origin {
    std::string_view key_id;
    std::uint32_t kek_version = 0;
    std::span<const unsigned char> wrapped;
  };

  // The key unwrapped from exactly `o`: from the cache, or by `fill`, which must write the 32 key
  // bytes into the slot it is given and return false (the slot is wiped) when it cannot. Returns
  // an empty pin when `fill` fails, or when every slot is pinned (the caller then unwraps into
  // memory of its own).
  pin get(const origin& o, const std::function<bool(std::span<unsigned char>)>& fill);

  // Takes `key_id` out; its slot is wiped now, or when its last pin ends.
  void forget(std::string_view key_id);
  // Takes every key out, as forget() does.
  void clear();

  family_key_cache_stats stats() const;

 private:
  struct slot {
    std::string key_id;
    std::uint32_t kek_version = 0;
    std::vector<unsigned char> wrapped;
    std::uint32_t pins = 0;
    bool listed = false;  // in index_ (and recent_); false for free slots and forgotten ones
    std::list<std::uint32_t>::iterator recent;
  };

  unsigned char* bytes_of(std::uint32_t s) const noexcept { return arena_ + s * key_size; }
  std::optional<std::uint32_t> take_free_slot();  // mutex held
  void unlist(std::uint32_t s);                   // mutex held
  void wipe_and_free(std::uint32_t s);            // mutex held; slot unpinned and unlisted
  void unpin(std::uint32_t s) noexcept;

  unsigned char* arena_ = nullptr;
  std::vector<slot> slots_;
  std::vector<std::uint32_t> free_;
  std::list<std::uint32_t> recent_;  // listed slots, most recently used first
  std::unordered_map<std::string, std::uint32_t> index_;
  mutable std::mutex mutex_;
  family_key_cache_stats stats_;
};

}  // namespace sluis::keys
