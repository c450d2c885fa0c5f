#include "gateway/audit/audit_log.hpp"

#include <stdexcept>

#include "gateway/store/connection.hpp"
#include "gateway/store/transaction.hpp"

namespace sluis::audit {
namespace {

struct head {
  std::int64_t seq = 0;
  chain_hash hash = genesis_hash();
};

result<chain_hash> to_hash(std::span<const unsigned char> stored, std::int64_t seq) {
  chain_hash out;
  if (stored.size() != out.size()) {
    return error::corrupt("audit entry " + std::to_string(seq) + " has a malformed hash");
  }
  std::copy(stored.begin(), stored.end(), out.begin());
  return out;
}

// The last entry, read inside the caller's transaction: with one writer nothing can append between
// this read and our insert, and a rolled-back savepoint is already undone here.
result<head> read_head(store::connection& db) {
  auto s = db.cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!s) return s.error();
  auto row = (*s)->step();
  if (!row) return row.error();
  if (!*row) return head{};
  const std::int64_t seq = (*s)->column_int64(0);
  auto hash = to_hash((*s)->column_blob(1), seq);
  (*s)->reset();  // end the read before anything writes or rolls back
  if (!hash) return hash.error();
  return head{seq, *hash};
}

result<std::int64_t> last_checkpoint_seq(store::connection& db) {
  auto s = db.cached("SELECT coalesce(max(seq), 0) FROM audit_checkpoints");
  if (!s) return s.error();
  auto row = (*s)->step();
  if (!row) return row.error();
  const std::int64_t seq = *row ? (*s)->column_int64(0) : 0;
  (*s)->reset();
  return seq;
}

result<void> insert_entry(store::connection& db, const audit_entry& e,
                          std::span<const unsigned char> canonical, const chain_hash& previous,
                          const chain_hash& hash, std::int64_t outbox_id) {
  auto s = db.cached(
      "INSERT INTO audit_log (seq, at, actor_org, actor_user, action, resource_type, resource_id, "
      "family_id, purpose, legal_basis, outcome, outcome_code, policy_version, request_id, "
      "break_glass, detail, canonical, prev_hash, hash, outbox_id) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
      "?19, ?20)");
  if (!s) return s.error();
  (*s)->bind(1, e.seq)
      .bind(2, static_cast<std::int64_t>(e.time.time_since_epoch().count()))
      .bind(3, std::string_view(e.actor_org))
      .bind(4, std::string_view(e.actor_user))
      .bind(5, std::string_view(e.action))
      .bind(6, std::string_view(e.resource.type))
      .bind(7, std::string_view(e.resource.id))
      .bind(8, std::string_view(e.family_id))
      .bind(9, std::string_view(e.purpose))
      .bind(10, std::string_view(e.legal_basis))
      .bind(11, to_string(e.outcome.kind))
      .bind(12, std::string_view(e.outcome.code))
      .bind(13, std::string_view(e.policy_version))
      .bind(14, std::string_view(e.request_id))
      .bind(15, e.break_glass)
      .bind(16, std::string_view(canonical_detail(e.detail)))
      .bind(17, canonical)
      .bind(18, std::span<const unsigned char>(previous))
      .bind(19, std::span<const unsigned char>(hash));
  if (outbox_id > 0)
    (*s)->bind(20, outbox_id);
  else
    (*s)->bind(20, std::nullopt);
  if (auto r = (*s)->run(); !r) return r.error();

  auto subject = db.cached("INSERT INTO audit_subjects (seq, pseudonym) VALUES (?1, ?2)");
  if (!subject) return subject.error();
  for (const auto& pseudonym : e.subjects) {
    (*subject)->reset();
    (*subject)->bind(1, e.seq).bind(2, std::string_view(pseudonym));
    if (auto r = (*subject)->run(); !r) return r.error();
  }
  return {};
}

}  // namespace

audit_log::audit_log(const checkpoint_signer& signer, log_options options)
    : signer_(signer), options_(std::move(options)) {
  if (options_.checkpoint_interval < 1) {
    throw std::invalid_argument("audit checkpoint interval must be at least 1");
  }
}

result<std::int64_t> audit_log::append(store::connection& db, audit_entry entry,
                                       std::int64_t outbox_id) const {
  if (auto valid = validate(entry); !valid) return valid.error();
  normalise(entry);

  // Our own savepoint: a failure half-way (say, after the row but before its subjects) leaves
  // nothing of this entry behind, whatever the caller does with its transaction.
  auto sp = store::savepoint::begin(db);
  if (!sp) return sp.error();
  auto previous = read_head(db);
  if (!previous) return previous.error();

  entry.seq = previous->seq + 1;
  entry.time = options_.clock();
  const auto canonical = canonical_encoding(entry);
  const auto hash = chain_next(previous->hash, canonical);
  if (auto r = insert_entry(db, entry, canonical, previous->hash, hash, outbox_id); !r)
    return r.error();
  if (entry.seq % options_.checkpoint_interval == 0) {
    if (auto r = sign_head(db, entry.seq, hash); !r) return r.error();
  }
  if (auto r = sp->release(); !r) return r.error();
  return entry.seq;
}

result<std::int64_t> audit_log::checkpoint_now(store::connection& db) const {
  auto current = read_head(db);
  if (!current) return current.error();
  auto signed_up_to = last_checkpoint_seq(db);
  if (!signed_up_to) return signed_up_to.error();
  if (current->seq == 0 || *signed_up_to == current->seq) return *signed_up_to;
  if (auto r = sign_head(db, current->seq, current->hash); !r) return r.error();
  return current->seq;
}

result<void> audit_log::sign_head(store::connection& db, std::int64_t seq,
                                  const chain_hash& hash) const {
  auto previous_seq = last_checkpoint_seq(db);
  if (!previous_seq) return previous_seq.error();
  auto sig = signer_.sign(checkpoint_message(seq, hash, *previous_seq));
  if (!sig) return sig.error();
  const audit::public_key key = signer_.public_key();

  auto s = db.cached(
      "INSERT INTO audit_checkpoints (seq, hash, previous_seq, key_id, public_key, signature, "
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!s) return s.error();
  (*s)->bind(1, seq)
      .bind(2, std::span<const unsigned char>(hash))
      .bind(3, *previous_seq)
      .bind(4, std::string_view(signer_.key_id()))
      .bind(5, std::span<const unsigned char>(key))
      .bind(6, std::span<const unsigned char>(*sig))
      .bind(7, static_cast<std::int64_t>(options_.clock().time_since_epoch().count()));
  return (*s)->run();
}

}  // namespace sluis::audit
