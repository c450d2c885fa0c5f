#include "gateway/audit/verify.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "gateway/audit/canonical.hpp"
#include "gateway/audit/detail/entry_columns.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::audit {
namespace {

template <std::size_t N>
std::optional<std::array<unsigned char, N>> fixed(std::span<const unsigned char> bytes) {
  if (bytes.size() != N) return std::nullopt;
  std::array<unsigned char, N> out;
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

// The encoding the stored columns give, or nullopt when a column no longer parses.
std::optional<std::vector<unsigned char>> encode_columns(const store::statement& row,
                                                         std::vector<std::string> subjects) {
  auto e = detail::entry_from_row(row);
  if (!e) return std::nullopt;
  e->subjects = std::move(subjects);
  return canonical_encoding(*e);
}

class walker {
 public:
  walker(store::connection& db, std::span<const public_key> trusted) : db_(db), trusted_(trusted) {}

  result<verify_report> run();

 private:
  struct stored_checkpoint {
    std::int64_t seq;
    std::optional<checkpoint> parsed;  // nullopt when a blob has the wrong size
  };

  result<bool> check_entry(const store::statement& row);
  result<std::vector<std::string>> subjects_up_to(std::int64_t seq);
  result<bool> check_checkpoints_up_to(std::int64_t seq);
  bool check_checkpoint(const stored_checkpoint& cp);
  result<std::optional<stored_checkpoint>> next_checkpoint();
  void fail(problem kind, std::int64_t seq, std::string reason);

  store::connection& db_;
  std::span<const public_key> trusted_;
  std::optional<store::statement> subjects_;
  std::optional<store::statement> checkpoints_;
  std::optional<std::int64_t> pending_subject_seq_;
  std::optional<stored_checkpoint> pending_checkpoint_;
  std::int64_t expected_seq_ = 1;
  chain_hash previous_ = genesis_hash();
  verify_report report_;
};

void walker::fail(problem kind, std::int64_t seq, std::string reason) {
  report_.kind = kind;
  report_.first_bad_seq = seq;
  report_.reason = std::move(reason);
}

result<verify_report> walker::run() {
  auto entries = db_.prepare("SELECT " + std::string(detail::entry_columns) +
                             ", canonical, prev_hash, hash FROM audit_log ORDER BY seq");
  if (!entries) return entries.error();
  auto subjects = db_.prepare("SELECT seq, pseudonym FROM audit_subjects ORDER BY seq, pseudonym");
  if (!subjects) return subjects.error();
  auto checkpoints = db_.prepare(
      "SELECT seq, hash, previous_seq, key_id, public_key, signature FROM audit_checkpoints "
      "ORDER BY seq");
  if (!checkpoints) return checkpoints.error();
  subjects_.emplace(std::move(*subjects));
  checkpoints_.emplace(std::move(*checkpoints));

  auto first_subject = subjects_->step();
  if (!first_subject) return first_subject.error();
  if (*first_subject) pending_subject_seq_ = subjects_->column_int64(0);
  auto first_checkpoint = next_checkpoint();
  if (!first_checkpoint) return first_checkpoint.error();
  pending_checkpoint_ = std::move(*first_checkpoint);

  while (true) {
    auto row = entries->step();
    if (!row) return row.error();
    if (!*row) break;
    auto good = check_entry(*entries);
    if (!good) return good.error();
    if (!*good) return std::move(report_);
    ++report_.entries_checked;
    auto signed_ok = check_checkpoints_up_to(expected_seq_ - 1);
    if (!signed_ok) return signed_ok.error();
    if (!*signed_ok) return std::move(report_);
  }

  // Whatever still refers to sequence numbers past the end shows that the tail was removed.
  const std::int64_t end = expected_seq_;
  if (pending_checkpoint_) {
    fail(problem::entry_missing, end,
         "entry " + std::to_string(end) + " missing: checkpoint " +
             std::to_string(pending_checkpoint_->seq) + " covers it");
  } else if (pending_subject_seq_) {
    fail(problem::entry_missing, end,
         "entry " + std::to_string(end) + " missing: subjects of entry " +
             std::to_string(*pending_subject_seq_) + " remain");
  }
  report_.unsigned_entries =
      (end - 1) - (report_.last_checkpoint ? report_.last_checkpoint->seq : 0);
  return std::move(report_);
}

result<bool> walker::check_entry(const store::statement& row) {
  const std::int64_t seq = row.column_int64(0);
  const std::string at = std::to_string(seq);
  if (seq != expected_seq_) {
    // Rows come in ascending order from expected_seq_ - 1, so a different number is a gap.
    fail(problem::entry_missing, expected_seq_,
         "entry " + std::to_string(expected_seq_) + " missing");
    return false;
  }
  auto subjects = subjects_up_to(seq);
  if (!subjects) return subjects.error();

  const auto canonical = row.column_blob(16);
  const auto holds = encoded_seq(canonical);
  if (holds && *holds != seq) {
    fail(problem::entry_out_of_order, seq,
         "entry " + at + " out of order: it holds entry " + std::to_string(*holds));
    return false;
  }
  const auto from_columns = encode_columns(row, std::move(*subjects));
  if (!from_columns ||
      !std::equal(from_columns->begin(), from_columns->end(), canonical.begin(), canonical.end())) {
    fail(problem::entry_changed, seq,
         "hash mismatch at " + at + ": its fields differ from what was hashed");
    return false;
  }
  const auto stored_previous = fixed<32>(row.column_blob(17));
  if (!stored_previous || *stored_previous != previous_) {
    fail(problem::link_broken, seq,
         "entry " + at + " does not link to entry " + std::to_string(seq - 1));
    return false;
  }
  const auto computed = chain_next(previous_, canonical);
  const auto stored = fixed<32>(row.column_blob(18));
  if (!stored || *stored != computed) {
    fail(problem::hash_mismatch, seq, "hash mismatch at " + at);
    return false;
  }
  previous_ = computed;
  ++expected_seq_;
  return true;
}

// The subjects of entry `seq`, in stored order (seq, pseudonym). A subject row of no entry (a
// sequence number below `seq` that has no entry of its own) is counted against this entry, which
// then no longer encodes as it was hashed.
result<std::vector<std::string>> walker::subjects_up_to(std::int64_t seq) {
  std::vector<std::string> out;
  while (pending_subject_seq_ && *pending_subject_seq_ <= seq) {
    out.emplace_back(subjects_->column_text(1));
    auto more = subjects_->step();
    if (!more) return more.error();
    pending_subject_seq_.reset();
    if (*more) pending_subject_seq_ = subjects_->column_int64(0);
  }
  return out;
}

result<std::optional<walker::stored_checkpoint>> walker::next_checkpoint() {
  auto row = checkpoints_->step();
  if (!row) return row.error();
  if (!*row) return std::optional<stored_checkpoint>();
  const auto& s = *checkpoints_;
  stored_checkpoint out{s.column_int64(0), std::nullopt};
  const auto hash = fixed<32>(s.column_blob(1));
  const auto key = fixed<32>(s.column_blob(4));
  const auto sig = fixed<64>(s.column_blob(5));
  if (hash && key && sig) {
    out.parsed =
        checkpoint{out.seq, *hash, s.column_int64(2), std::string(s.column_text(3)), *key, *sig};
  }
  return std::optional<stored_checkpoint>(std::move(out));
}

// Checks every checkpoint at or below `seq`, the entry just verified.
result<bool> walker::check_checkpoints_up_to(std::int64_t seq) {
  while (pending_checkpoint_ && pending_checkpoint_->seq <= seq) {
    if (!check_checkpoint(*pending_checkpoint_)) return false;
    auto next = next_checkpoint();
    if (!next) return next.error();
    pending_checkpoint_ = std::move(*next);
  }
  return true;
}

bool walker::check_checkpoint(const stored_checkpoint& stored) {
  const std::string at = std::to_string(stored.seq);
  if (!stored.parsed || !signature_valid(*stored.parsed)) {
    fail(problem::checkpoint_signature_invalid, stored.seq,
         "checkpoint " + at + " signature invalid");
    return false;
  }
  const checkpoint& cp = *stored.parsed;
  if (std::find(trusted_.begin(), trusted_.end(), cp.key) == trusted_.end()) {
    fail(problem::checkpoint_untrusted_key, stored.seq,
         "checkpoint " + at + " is signed by an untrusted key (key id " + cp.key_id + ")");
    return false;
  }
  const std::int64_t previous_cp = report_.last_checkpoint ? report_.last_checkpoint->seq : 0;
  // Only the entry just verified can match: a checkpoint below it would have been checked earlier.
  if (cp.seq != expected_seq_ - 1 || cp.hash != previous_) {
    fail(problem::checkpoint_mismatch, stored.seq,
         "checkpoint " + at + " does not match the chain: entries " +
             std::to_string(previous_cp + 1) + " to " + at + " were rewritten");
    return false;
  }
  if (cp.previous_seq > previous_cp) {
    fail(problem::checkpoint_missing, cp.previous_seq,
         "checkpoint " + std::to_string(cp.previous_seq) + " missing: checkpoint " + at +
             " follows it");
    return false;
  }
  if (cp.previous_seq < previous_cp) {
    fail(problem::checkpoint_mismatch, stored.seq,
         "checkpoint " + at + " does not follow checkpoint " + std::to_string(previous_cp));
    return false;
  }
  report_.last_checkpoint = cp;
  ++report_.checkpoints_checked;
  return true;
}

}  // namespace

std::string_view to_string(problem p) noexcept {
  switch (p) {
    case problem::none:
      return "none";
    case problem::entry_missing:
      return "entry_missing";
    case problem::entry_out_of_order:
      return "entry_out_of_order";
    case problem::entry_changed:
      return "entry_changed";
    case problem::link_broken:
      return "link_broken";
    case problem::hash_mismatch:
      return "hash_mismatch";
    case problem::checkpoint_mismatch:
      return "checkpoint_mismatch";
    case problem::checkpoint_signature_invalid:
      return "checkpoint_signature_invalid";
    case problem::checkpoint_untrusted_key:
      return "checkpoint_untrusted_key";
    case problem::checkpoint_missing:
      return "checkpoint_missing";
  }
  return "none";
}

result<verify_report> verify(store::connection& db, std::span<const public_key> trusted_keys) {
  return walker(db, trusted_keys).run();
}

result<verify_report> verify(store::connection& db, const public_key& trusted_key) {
  return verify(db, std::span<const public_key>(&trusted_key, 1));
}

}  // namespace sluis::audit
