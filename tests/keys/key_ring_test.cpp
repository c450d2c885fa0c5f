#include "keys/key_ring.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "keys/detail/hex.hpp"
#include "tests/keys/test_keys.hpp"
#include "tests/support/temp_dir.hpp"

namespace sluis::keys {
namespace {

namespace fs = std::filesystem;
using sluis::testing::bytes_of;
using sluis::testing::passphrase;
using sluis::testing::read_file;
using sluis::testing::temp_dir;
using sluis::testing::write_file;

const std::string secret_words = "correct horse battery staple";

struct keyring_test : ::testing::Test {
  temp_dir dir;
  fs::path file = dir / "keyring.toml";

  keyring create() {
    auto ring = keyring::create(file, passphrase(secret_words));
    EXPECT_TRUE(ring.has_value()) << (ring ? "" : ring.error().what());
    return std::move(ring).value();
  }
  result<keyring> reopen(std::string_view words = secret_words) {
    return keyring::open(file, passphrase(words));
  }
  // Replaces the value of the first line "name = ..." in the keyring file.
  void set_value(const std::string& name, const std::string& value) {
    std::string content = read_file(file);
    const auto start = content.find("\n" + name + " = ");
    ASSERT_NE(start, std::string::npos) << name;
    const auto value_at = start + name.size() + 4;
    content.replace(value_at, content.find('\n', value_at) - value_at, value);
    write_file(file, content);
  }
  void replace_all(const std::string& from, const std::string& to) {
    std::string content = read_file(file);
    for (auto at = content.find(from); at != std::string::npos;
         at = content.find(from, at + to.size()))
      content.replace(at, from.size(), to);
    write_file(file, content);
  }
};

std::string hex_of(const secret_bytes& key) { return detail::to_hex(key.span()); }

// "2026-11-23T09:30:00Z"
bool is_rfc3339_utc(const std::string& text) {
  const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    const bool ok = shape[i] == 'd' ? std::isdigit(static_cast<unsigned char>(text[i])) != 0
                                    : text[i] == shape[i];
    if (!ok) return false;
  }
  return true;
}

std::size_t longest_hex_run(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = std::isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

bsn citizen() { return bsn::parse("111222333").value(); }

TEST_F(keyring_test, CreateThenOpenGivesTheSameKeys) {
  keyring created = create();
  const pseudonym p = created.pseudonymiser().pseudonymise(citizen());
  const auto public_key = created.audit_signer().public_key();
  const std::string db_key = hex_of(created.reveal_database_key_for_sqlcipher());

  auto opened = reopen();
  ASSERT_TRUE(opened.has_value()) << opened.error().what();
  EXPECT_EQ(opened->pseudonymiser().pseudonymise(citizen()), p);
  EXPECT_EQ(opened->audit_signer().public_key(), public_key);
  EXPECT_EQ(hex_of(opened->reveal_database_key_for_sqlcipher()), db_key);
  EXPECT_EQ(opened->reveal_database_key_for_sqlcipher().size(), 32u);
}

TEST_F(keyring_test, TwoKeyringsHaveIndependentKeys) {
  keyring a = create();
  auto b = keyring::create(dir / "other.toml", passphrase(secret_words));
  ASSERT_TRUE(b.has_value());
  EXPECT_NE(a.pseudonymiser().pseudonymise(citizen()), b->pseudonymiser().pseudonymise(citizen()));
  EXPECT_FALSE(a.reveal_database_key_for_sqlcipher() == b->reveal_database_key_for_sqlcipher());
}

TEST_F(keyring_test, FileIsOwnerOnlyAndNeverOverwritten) {
  create();
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const std::string before = read_file(file);
  auto again = keyring::create(file, passphrase(secret_words));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), errc::conflict);
  EXPECT_EQ(read_file(file), before);
  EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
}

TEST_F(keyring_test, CreateLeavesAnotherProcesssTempFileAlone) {
  write_file(file.string() + ".tmp", "being written by someone else");
  auto ring = keyring::create(file, passphrase(secret_words));
  ASSERT_FALSE(ring.has_value());
  EXPECT_EQ(ring.error().code(), errc::conflict);
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(read_file(file.string() + ".tmp"), "being written by someone else");
}

TEST_F(keyring_test, FileHoldsNoRawKeyBytes) {
  keyring ring = create();
  const secret_bytes db_key = ring.reveal_database_key_for_sqlcipher();
  const std::string content = read_file(file);
  EXPECT_EQ(content.find(hex_of(db_key)), std::string::npos);
  const std::string raw(db_key.data(), db_key.data() + db_key.size());
  EXPECT_EQ(content.find(raw), std::string::npos);
  EXPECT_EQ(content.find(secret_words), std::string::npos);
  // The file says what it is: every key is wrapped, with version and status.
  EXPECT_NE(content.find("kind = 'passphrase'"), std::string::npos);
  EXPECT_NE(content.find("id = 'database'"), std::string::npos);
  EXPECT_NE(content.find("id = 'pseudonym'"), std::string::npos);
  EXPECT_NE(content.find("id = 'audit-signing'"), std::string::npos);
  EXPECT_NE(content.find("status = 'primary'"), std::string::npos);
}

TEST_F(keyring_test, StatusViewShowsMetadataButNoSecret) {
  keyring ring = create();
  const keyring_status view = ring.status();
  EXPECT_EQ(view.source, kek_kind::passphrase);
  ASSERT_TRUE(view.limits.has_value());
  EXPECT_EQ(*view.limits, argon2_limits::minimum());
  ASSERT_EQ(view.kek_versions.size(), 1u);
  EXPECT_EQ(view.kek_versions[0].version, 1u);
  EXPECT_EQ(view.kek_versions[0].status, key_status::primary);
  EXPECT_TRUE(is_rfc3339_utc(view.kek_versions[0].created)) << view.kek_versions[0].created;
  ASSERT_EQ(view.system_keys.size(), 3u);

  const std::string text = view.to_text();
  EXPECT_NE(text.find("kek version 1: primary"), std::string::npos) << text;
  EXPECT_NE(text.find("system key database version 1: primary"), std::string::npos) << text;
  EXPECT_NE(text.find("system key pseudonym"), std::string::npos);
  EXPECT_NE(text.find("system key audit-signing"), std::string::npos);
  EXPECT_EQ(text.find(hex_of(ring.reveal_database_key_for_sqlcipher())), std::string::npos);
  EXPECT_EQ(text.find(secret_words), std::string::npos);
  // No wrapped key either: nothing in the view is a long run of hex.
  EXPECT_LT(longest_hex_run(text), 32u) << text;
}

TEST_F(keyring_test, WrongPassphraseIsRejectedCleanly) {
  create();
  const std::string before = read_file(file);
  auto opened = reopen("correct horse battery stable");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::crypto);
  EXPECT_EQ(opened.error().message(), "wrong passphrase or key file");
  EXPECT_EQ(read_file(file), before) << "a failed open changes nothing";
}

TEST_F(keyring_test, WrongKeyFileIsRejectedCleanly) {
  ASSERT_TRUE(create_key_file(dir / "right.key").has_value());
  ASSERT_TRUE(create_key_file(dir / "wrong.key").has_value());
  const auto right = kek_source::from_key_file(dir / "right.key").value();
  ASSERT_TRUE(keyring::create(file, right).has_value());
  EXPECT_TRUE(keyring::open(file, right).has_value());
  EXPECT_EQ(read_file(file).find("salt"), std::string::npos) << "a key file needs no salt";

  auto opened = keyring::open(file, kek_source::from_key_file(dir / "wrong.key").value());
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::crypto);
  EXPECT_EQ(opened.error().message(), "wrong passphrase or key file");
}

TEST_F(keyring_test, SourceOfTheOtherKindIsRefused) {
  create();
  ASSERT_TRUE(create_key_file(dir / "root.key").has_value());
  auto opened = keyring::open(file, kek_source::from_key_file(dir / "root.key").value());
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::invalid_argument);
  EXPECT_NE(opened.error().message().find("passphrase"), std::string::npos);
}

TEST_F(keyring_test, StoredArgon2ParametersAreUsedToOpen) {
  const argon2_limits custom{2, argon2_limits::minimum().memlimit * 2};
  ASSERT_TRUE(keyring::create(file, passphrase(secret_words, custom)).has_value());
  const std::string content = read_file(file);
  EXPECT_NE(content.find("opslimit = 2\n"), std::string::npos) << content;
  EXPECT_NE(content.find("memlimit = " + std::to_string(custom.memlimit) + "\n"),
            std::string::npos);
  // The caller's limits only matter for new keyrings: opening uses the stored ones.
  auto opened = keyring::open(file, passphrase(secret_words, argon2_limits::minimum()));
  ASSERT_TRUE(opened.has_value()) << opened.error().what();
  EXPECT_EQ(opened->status().limits, custom);
}

TEST_F(keyring_test, TamperedArgon2ParametersFail) {
  create();
  set_value("opslimit", "2");
  auto opened = reopen();
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::crypto);
}

TEST_F(keyring_test, TamperedSaltFails) {
  create();
  set_value("salt", "'" + std::string(32, 'x') + "'");
  EXPECT_EQ(reopen().error().code(), errc::corrupt) << "not hex";
}

TEST_F(keyring_test, TamperedSaltValueFails) {
  create();
  const std::string content = read_file(file);
  ASSERT_NE(content.find("salt = '"), std::string::npos);
  const auto at = content.find("salt = '") + 8;
  std::string tampered = content;
  tampered[at] = tampered[at] == '0' ? '1' : '0';
  write_file(file, tampered);
  EXPECT_EQ(reopen().error().code(), errc::crypto);
}

TEST_F(keyring_test, ExtremeArgon2ParametersInTheFileAreRefusedBeforeHashing) {
  create();
  set_value("memlimit", "1099511627776");
  EXPECT_EQ(reopen().error().code(), errc::corrupt);
}

TEST_F(keyring_test, TamperedSystemKeyIsDetected) {
  create();
  // The last wrapped entry in the file is a system key; flip a hex digit in its ciphertext.
  const std::string content = read_file(file);
  ASSERT_NE(content.rfind("wrapped = '"), std::string::npos);
  const auto at = content.rfind("wrapped = '") + 11 + 60;
  std::string tampered = content;
  tampered[at] = tampered[at] == 'a' ? 'b' : 'a';
  write_file(file, tampered);
  auto opened = reopen();
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::corrupt);
}

TEST_F(keyring_test, SwappedSystemKeysAreDetected) {
  create();
  // Relabel the database key as another id: the binding of id into the wrapping catches it.
  replace_all("id = 'database'", "id = 'tmp'");
  replace_all("id = 'pseudonym'", "id = 'database'");
  replace_all("id = 'tmp'", "id = 'pseudonym'");
  EXPECT_EQ(reopen().error().code(), errc::corrupt);
}

TEST_F(keyring_test, DamagedOrMissingFileIsAClearError) {
  EXPECT_EQ(reopen().error().code(), errc::not_found);
  write_file(file, "this is [not toml");
  auto opened = reopen();
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code(), errc::corrupt);
  EXPECT_NE(opened.error().message().find("line 1"), std::string::npos) << opened.error().what();
  write_file(file, "format = 1\n");
  EXPECT_EQ(reopen().error().code(), errc::corrupt);
}

TEST_F(keyring_test, FamilyKeyRoundTripThroughItsWrappedForm) {
  keyring ring = create();
  auto [wrapped, key] = ring.new_family_key();
  EXPECT_EQ(wrapped.key_id, key.key_id());
  EXPECT_EQ(wrapped.key_id.rfind("fk-", 0), 0u);
  EXPECT_EQ(wrapped.key_id.size(), 35u);
  EXPECT_EQ(wrapped.kek_version, 1u);
  const auto sealed = key.seal("record-1", "family-1", bytes_of("plan"));

  auto reopened = reopen();
  ASSERT_TRUE(reopened.has_value());
  auto unwrapped = reopened->unwrap(wrapped);
  ASSERT_TRUE(unwrapped.has_value()) << unwrapped.error().what();
  auto opened = unwrapped->open("record-1", "family-1", sealed);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(std::string(opened->begin(), opened->end()), "plan");
  EXPECT_NE(ring.new_family_key().wrapped.key_id, wrapped.key_id);
}

TEST_F(keyring_test, AFamilyKeyIsUnwrappedOnceAndThenServedFromTheCache) {
  keyring ring = create();
  const auto made = ring.new_family_key();
  const auto sealed = made.key.seal("record-1", "family-1", bytes_of("plan"));
  const auto before = ring.family_key_cache_stats();
  for (int i = 0; i < 3; ++i) {
    auto key = ring.unwrap(made.wrapped);
    ASSERT_TRUE(key.has_value());
    ASSERT_TRUE(key->open("record-1", "family-1", sealed).has_value());
  }
  const auto after = ring.family_key_cache_stats();
  EXPECT_EQ(after.misses - before.misses, 1u);
  EXPECT_EQ(after.hits - before.hits, 2u);
  EXPECT_EQ(after.capacity, keyring::family_key_cache_capacity);

  // Forgetting it (crypto-shredding) means the next use unwraps from the stored form again.
  ring.forget_family_key(made.wrapped.key_id);
  EXPECT_EQ(ring.family_key_cache_stats().size, after.size - 1);
  ASSERT_TRUE(ring.unwrap(made.wrapped).has_value());
  EXPECT_EQ(ring.family_key_cache_stats().misses - after.misses, 1u);
}

TEST_F(keyring_test, TamperedWrappedFamilyKeyIsDetected) {
  keyring ring = create();
  const wrapped_family_key wrapped = ring.new_family_key().wrapped;
  for (std::size_t i = 0; i < wrapped.wrapped.size(); ++i) {
    wrapped_family_key tampered = wrapped;
    tampered.wrapped[i] ^= 0x01;
    auto unwrapped = ring.unwrap(tampered);
    ASSERT_FALSE(unwrapped.has_value()) << "byte " << i;
    EXPECT_EQ(unwrapped.error().code(), errc::crypto);
  }
  wrapped_family_key other_id = wrapped;
  other_id.key_id.back() ^= 0x01;
  EXPECT_EQ(ring.unwrap(other_id).error().code(), errc::crypto);
  wrapped_family_key truncated = wrapped;
  truncated.wrapped.resize(10);
  EXPECT_EQ(ring.unwrap(truncated).error().code(), errc::crypto);
  wrapped_family_key unknown_version = wrapped;
  unknown_version.kek_version = 7;
  EXPECT_EQ(ring.unwrap(unknown_version).error().code(), errc::not_found);
  wrapped_family_key no_id = wrapped;
  no_id.key_id.clear();
  EXPECT_EQ(ring.unwrap(no_id).error().code(), errc::invalid_argument);
}

TEST_F(keyring_test, AFamilyKeyFromAnotherKeyringDoesNotUnwrap) {
  keyring ring = create();
  auto other = keyring::create(dir / "other.toml", passphrase(secret_words));
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(ring.unwrap(other->new_family_key().wrapped).error().code(), errc::crypto);
}

TEST_F(keyring_test, RotationKeepsEveryFamilyKeyUnwrappableUntilRetired) {
  keyring ring = create();
  const pseudonym before = ring.pseudonymiser().pseudonymise(citizen());
  const std::string db_key = hex_of(ring.reveal_database_key_for_sqlcipher());
  std::vector<wrapped_family_key> stored;
  std::vector<std::vector<unsigned char>> sealed;
  for (int i = 0; i < 3; ++i) {
    auto [wrapped, key] = ring.new_family_key();
    sealed.push_back(key.seal("record-" + std::to_string(i), "family-" + std::to_string(i),
                              bytes_of("payload " + std::to_string(i))));
    stored.push_back(std::move(wrapped));
  }
  auto opens = [&](const keyring& r, const wrapped_family_key& w, int i) {
    auto key = r.unwrap(w);
    if (!key) return false;
    auto plain = key->open("record-" + std::to_string(i), "family-" + std::to_string(i), sealed[i]);
    return plain && std::string(plain->begin(), plain->end()) == "payload " + std::to_string(i);
  };

  ASSERT_TRUE(ring.rotate().has_value());
  EXPECT_EQ(ring.primary_kek_version(), 2u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(opens(ring, stored[i], i)) << "old version still active";
  EXPECT_EQ(ring.new_family_key().wrapped.kek_version, 2u);

  // System keys are re-wrapped, not replaced: the same pseudonyms and database key.
  EXPECT_EQ(ring.pseudonymiser().pseudonymise(citizen()), before);
  EXPECT_EQ(hex_of(ring.reveal_database_key_for_sqlcipher()), db_key);
  const keyring_status view = ring.status();
  ASSERT_EQ(view.kek_versions.size(), 2u);
  EXPECT_EQ(view.kek_versions[0].status, key_status::active);
  EXPECT_EQ(view.kek_versions[1].status, key_status::primary);
  for (const auto& key : view.system_keys) EXPECT_EQ(key.kek_version, 2u) << key.id;

  // The gateway re-wraps its stored family keys, then confirms and retires version 1.
  for (int i = 0; i < 3; ++i) {
    auto rewrapped = ring.rewrap(stored[i]);
    ASSERT_TRUE(rewrapped.has_value()) << rewrapped.error().what();
    EXPECT_EQ(rewrapped->kek_version, 2u);
    EXPECT_EQ(rewrapped->key_id, stored[i].key_id);
    EXPECT_NE(rewrapped->wrapped, stored[i].wrapped);
    stored[i] = std::move(*rewrapped);
    EXPECT_TRUE(opens(ring, stored[i], i));
  }
  ASSERT_TRUE(ring.retire(1, retire_confirmation::nothing_is_wrapped_under_it).has_value());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(opens(ring, stored[i], i)) << "re-wrapped under v2";

  // After a reopen from the file, everything still holds.
  auto reopened = reopen();
  ASSERT_TRUE(reopened.has_value()) << reopened.error().what();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(opens(*reopened, stored[i], i));
  EXPECT_EQ(reopened->pseudonymiser().pseudonymise(citizen()), before);
  EXPECT_EQ(hex_of(reopened->reveal_database_key_for_sqlcipher()), db_key);
  EXPECT_EQ(reopened->status().kek_versions[0].status, key_status::retired);
  EXPECT_EQ(reopened->primary_kek_version(), 2u);
}

TEST_F(keyring_test, RetiredVersionNoLongerUnwrapsAndLosesItsKeyMaterial) {
  keyring ring = create();
  const wrapped_family_key under_v1 = ring.new_family_key().wrapped;
  ASSERT_TRUE(ring.rotate().has_value());
  const auto wrapped_count = [&] {
    const std::string content = read_file(file);
    std::size_t n = 0;
    for (auto at = content.find("wrapped = "); at != std::string::npos;
         at = content.find("wrapped = ", at + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(wrapped_count(), 2u + 3u);
  ASSERT_TRUE(ring.retire(1, retire_confirmation::nothing_is_wrapped_under_it).has_value());
  EXPECT_EQ(wrapped_count(), 1u + 3u) << "the retired KEK is gone from the file";

  auto unwrapped = ring.unwrap(under_v1);
  ASSERT_FALSE(unwrapped.has_value());
  EXPECT_EQ(unwrapped.error().code(), errc::not_found);
  EXPECT_EQ(ring.rewrap(under_v1).error().code(), errc::not_found);
  auto reopened = reopen();
  ASSERT_TRUE(reopened.has_value());
  EXPECT_EQ(reopened->unwrap(under_v1).error().code(), errc::not_found);
  EXPECT_TRUE(ring.retire(1, retire_confirmation::nothing_is_wrapped_under_it).has_value())
      << "retiring twice is harmless";
}

TEST_F(keyring_test, RetireRefusesThePrimaryAndUnknownVersions) {
  keyring ring = create();
  auto primary = ring.retire(1, retire_confirmation::nothing_is_wrapped_under_it);
  ASSERT_FALSE(primary.has_value());
  EXPECT_EQ(primary.error().code(), errc::conflict);
  EXPECT_EQ(ring.retire(9, retire_confirmation::nothing_is_wrapped_under_it).error().code(),
            errc::not_found);
  EXPECT_EQ(ring.status().kek_versions[0].status, key_status::primary);
}

TEST_F(keyring_test, RepeatedRotationsKeepExactlyOnePrimary) {
  keyring ring = create();
  const wrapped_family_key first = ring.new_family_key().wrapped;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(ring.rotate().has_value());
  int primaries = 0;
  for (const auto& kek : ring.status().kek_versions) primaries += kek.status == key_status::primary;
  EXPECT_EQ(primaries, 1);
  EXPECT_EQ(ring.primary_kek_version(), 4u);
  EXPECT_TRUE(ring.unwrap(first).has_value());
  auto reopened = reopen();
  ASSERT_TRUE(reopened.has_value());
  EXPECT_EQ(reopened->rewrap(first).value().kek_version, 4u);
}

TEST_F(keyring_test, AFailedRotationChangesNothing) {
  keyring ring = create();
  const std::string before = read_file(file);
  // Make the atomic write fail: the temp file's name is taken by a directory.
  fs::create_directory(file.string() + ".tmp");
  auto rotated = ring.rotate();
  ASSERT_FALSE(rotated.has_value());
  EXPECT_EQ(rotated.error().code(), errc::io);
  EXPECT_EQ(ring.primary_kek_version(), 1u);
  EXPECT_EQ(ring.status().kek_versions.size(), 1u);
  EXPECT_EQ(read_file(file), before);
  fs::remove(file.string() + ".tmp");
  EXPECT_TRUE(ring.rotate().has_value());
  EXPECT_EQ(ring.primary_kek_version(), 2u);
}

TEST_F(keyring_test, SignsAuditEntriesWithTheStoredKey) {
  keyring ring = create();
  const auto signature = ring.audit_signer().sign(bytes_of("entry 1"));
  auto reopened = reopen();
  ASSERT_TRUE(reopened.has_value());
  EXPECT_TRUE(verify(reopened->audit_signer().public_key(), bytes_of("entry 1"), signature));
  EXPECT_FALSE(verify(reopened->audit_signer().public_key(), bytes_of("entry 2"), signature));
}

}  // namespace
}  // namespace sluis::keys
