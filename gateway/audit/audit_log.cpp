#include "gateway/audit/audit_log.hpp"

#include <stdexcept>

#include "gateway/store/connection.hpp"

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

// One entry as it goes into the table: its fields, canonical encoding and chain hashes.
struct prepared_row {
  const audit_entry* entry;
  std::int64_t outbox_id;
  std::string detail;
  std::vector<unsigned char> canonical;
  chain_hash previous;
  chain_hash hash;
};

constexpr int entry_columns = 20;
// Rows per INSERT: SQLite allows 999 parameters a statement.
constexpr std::size_t entries_per_insert = 32;
constexpr std::size_t subjects_per_insert = 256;

// "INSERT INTO <table> (<columns>) VALUES (?, ...), (?, ...)" for `rows` rows of `columns`.
std::string multi_row_insert(std::string_view head, int columns, std::size_t rows) {
  std::string row = "(";
  for (int c = 0; c < columns; ++c) row += c == 0 ? "?" : ", ?";
  row += ")";
  std::string sql(head);
  for (std::size_t r = 0; r < rows; ++r) sql += (r == 0 ? " VALUES " : ", ") + row;
  return sql;
}

// Many rows per statement: SQLite journals every page a statement changes (and SQLCipher encrypts
// each journaled page), so one statement for a group costs what one row did.
result<void> insert_rows(store::connection& db, std::span<const prepared_row> rows) {
  for (std::size_t first = 0; first < rows.size(); first += entries_per_insert) {
    const auto chunk = rows.subspan(first, std::min(entries_per_insert, rows.size() - first));
    auto s = db.cached(multi_row_insert(
        "INSERT INTO audit_log (seq, at, actor_org, actor_user, action, resource_type, "
        "resource_id, family_id, purpose, legal_basis, outcome, outcome_code, policy_version, "
        "request_id, break_glass, detail, canonical, prev_hash, hash, outbox_id)",
        entry_columns, chunk.size()));
    if (!s) return s.error();
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      const prepared_row& r = chunk[k];
      const audit_entry& e = *r.entry;
      const int n = static_cast<int>(k) * entry_columns;  // parameters n+1 .. n+20
      (*s)->bind(n + 1, e.seq)
          .bind(n + 2, static_cast<std::int64_t>(e.time.time_since_epoch().count()))
          .bind(n + 3, std::string_view(e.actor_org))
          .bind(n + 4, std::string_view(e.actor_user))
          .bind(n + 5, std::string_view(e.action))
          .bind(n + 6, std::string_view(e.resource.type))
          .bind(n + 7, std::string_view(e.resource.id))
          .bind(n + 8, std::string_view(e.family_id))
          .bind(n + 9, std::string_view(e.purpose))
          .bind(n + 10, std::string_view(e.legal_basis))
          .bind(n + 11, to_string(e.outcome.kind))
          .bind(n + 12, std::string_view(e.outcome.code))
          .bind(n + 13, std::string_view(e.policy_version))
          .bind(n + 14, std::string_view(e.request_id))
          .bind(n + 15, e.break_glass)
          .bind(n + 16, std::string_view(r.detail))
          .bind(n + 17, std::span<const unsigned char>(r.canonical))
          .bind(n + 18, std::span<const unsigned char>(r.previous))
          .bind(n + 19, std::span<const unsigned char>(r.hash));
      if (r.outbox_id > 0)
        (*s)->bind(n + 20, r.outbox_id);
      else
        (*s)->bind(n + 20, std::nullopt);
    }
    if (auto r = (*s)->run(); !r) return r.error();
  }
  std::vector<std::pair<std::int64_t, const std::string*>> subjects;
  for (const auto& r : rows)
    for (const auto& pseudonym : r.entry->subjects) subjects.emplace_back(r.entry->seq, &pseudonym);
  for (std::size_t first = 0; first < subjects.size(); first += subjects_per_insert) {
    const std::size_t count = std::min(subjects_per_insert, subjects.size() - first);
    auto s = db.cached(multi_row_insert("INSERT INTO audit_subjects (seq, pseudonym)", 2, count));
    if (!s) return s.error();
    for (std::size_t k = 0; k < count; ++k) {
      const int n = static_cast<int>(2 * k);
      (*s)->bind(n + 1, subjects[first + k].first)
          .bind(n + 2, std::string_view(*subjects[first + k].second));
    }
    if (auto r = (*s)->run(); !r) return r.error();
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
  std::vector<pending_entry> one;
  one.push_back({std::move(entry), outbox_id});
  auto seqs = append_all(db, one);
  if (!seqs) return seqs.error();
  return seqs->front();
}

result<std::vector<std::int64_t>> audit_log::append_all(store::connection& db,
                                                        std::span<pending_entry> entries) const {
  for (auto& p : entries) {
    if (auto valid = validate(p.entry); !valid) return valid.error();
    normalise(p.entry);
  }
  auto head = read_head(db);
  if (!head) return head.error();
  std::vector<prepared_row> rows;
  rows.reserve(entries.size());
  std::vector<std::int64_t> seqs;
  seqs.reserve(entries.size());
  chain_hash previous = head->hash;
  std::int64_t seq = head->seq;
  for (auto& p : entries) {
    p.entry.seq = ++seq;
    p.entry.time = options_.clock();
    auto canonical = canonical_encoding(p.entry);
    const auto hash = chain_next(previous, canonical);
    rows.push_back({&p.entry, p.outbox_id, canonical_detail(p.entry.detail), std::move(canonical),
                    previous, hash});
    previous = hash;
    seqs.push_back(seq);
  }
  if (auto r = insert_rows(db, rows); !r) return r.error();
  for (const auto& r : rows) {
    if (r.entry->seq % options_.checkpoint_interval != 0) continue;
    if (auto signed_head = sign_head(db, r.entry->seq, r.hash); !signed_head)
      return signed_head.error();
  }
  return seqs;
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
