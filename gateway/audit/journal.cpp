#include "gateway/audit/journal.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <future>
#include <string>
#include <vector>

#include "gateway/audit/schema.hpp"
#include "gateway/store/connection.hpp"

namespace sluis::audit {
namespace {

namespace json = boost::json;

// ---- the outbox row: an entry as JSON text (no seq, no time: the log assigns both) ----

std::string outbox_text(const audit_entry& e) {
  json::array subjects;
  for (const auto& s : e.subjects) subjects.emplace_back(s);
  return json::serialize(json::object{{"actor_org", e.actor_org},
                                      {"actor_user", e.actor_user},
                                      {"action", e.action},
                                      {"resource_type", e.resource.type},
                                      {"resource_id", e.resource.id},
                                      {"family_id", e.family_id},
                                      {"subjects", std::move(subjects)},
                                      {"purpose", e.purpose},
                                      {"legal_basis", e.legal_basis},
                                      {"outcome", to_string(e.outcome.kind)},
                                      {"outcome_code", e.outcome.code},
                                      {"policy_version", e.policy_version},
                                      {"request_id", e.request_id},
                                      {"break_glass", e.break_glass},
                                      {"detail", e.detail}});
}

result<audit_entry> entry_of_outbox(std::string_view text, std::int64_t id) {
  const auto bad = [&] {
    return error::corrupt("audit outbox row " + std::to_string(id) + " does not parse");
  };
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return bad();
  const auto& o = v.as_object();
  const auto str = [&](std::string_view key) -> std::string {
    const auto* f = o.if_contains(key);
    return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  audit_entry e;
  e.actor_org = str("actor_org");
  e.actor_user = str("actor_user");
  e.action = str("action");
  e.resource = {str("resource_type"), str("resource_id")};
  e.family_id = str("family_id");
  if (const auto* s = o.if_contains("subjects"); s != nullptr && s->is_array())
    for (const auto& p : s->as_array())
      if (p.is_string()) e.subjects.emplace_back(p.as_string());
  e.purpose = str("purpose");
  e.legal_basis = str("legal_basis");
  auto kind = parse_outcome_kind(str("outcome"));
  if (!kind) return bad();
  e.outcome = {*kind, str("outcome_code")};
  e.policy_version = str("policy_version");
  e.request_id = str("request_id");
  if (const auto* g = o.if_contains("break_glass"); g != nullptr && g->is_bool())
    e.break_glass = g->as_bool();
  if (const auto* d = o.if_contains("detail"); d != nullptr && d->is_object())
    e.detail = d->as_object();
  return e;
}

result<bool> has_table(store::connection& db, std::string_view name) {
  auto st = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  if (!st) return st.error();
  st->bind(1, name);
  auto row = st->step();
  if (!row) return row.error();
  return *row;
}

result<std::int64_t> count_of(store::connection& db, std::string_view sql) {
  auto st = db.prepare(sql);
  if (!st) return st.error();
  auto row = st->step();
  if (!row) return row.error();
  return *row ? st->column_int64(0) : 0;
}

// Copies every row of `select` (on `from`) into `insert` (on `to`), column for column; `kinds` has
// one letter per column: i(nteger), t(ext) or b(lob).
result<std::size_t> copy_rows(store::connection& from, std::string_view select,
                              store::connection& to, std::string_view insert,
                              std::string_view kinds) {
  auto src = from.prepare(select);
  if (!src) return src.error();
  auto dst = to.prepare(insert);
  if (!dst) return dst.error();
  std::size_t n = 0;
  for (;;) {
    auto row = src->step();
    if (!row) return row.error();
    if (!*row) break;
    dst->reset();
    for (int c = 0; c < static_cast<int>(kinds.size()); ++c) {
      if (kinds[c] == 'i')
        dst->bind(c + 1, src->column_int64(c));
      else if (kinds[c] == 't')
        dst->bind(c + 1, src->column_text(c));
      else
        dst->bind(c + 1, src->column_blob(c));
    }
    if (auto r = dst->run(); !r) return r.error();
    ++n;
  }
  return n;
}

template <class T>
result<T> wait(std::future<result<T>>& f) {
  return f.get();
}

}  // namespace

journal::journal(std::unique_ptr<store::store> audit_store, store::store& cases,
                 const checkpoint_signer& signer, journal_options options)
    : store_(std::move(audit_store)),
      cases_(cases),
      log_(signer, std::move(options.log)),
      max_lag_(options.max_lag) {}

journal::~journal() {
  // The case writer first: the done callbacks of its queued writes append here. Then our own
  // writer, while the append queue it drains (queue_, declared after store_) still exists.
  cases_.writes().stop();
  if (store_) store_->writes().stop();
}

result<std::unique_ptr<journal>> journal::open(const std::filesystem::path& data_dir,
                                               const keys::secret_bytes& key, store::store& cases,
                                               const checkpoint_signer& signer,
                                               journal_options options) {
  auto st = store::store::open(data_dir, key,
                               {.file_name = file_name,
                                .schema = schema(),
                                .readers = std::max<std::size_t>(options.readers, 1)});
  if (!st) return st.error();
  std::unique_ptr<journal> j(new journal(std::move(*st), cases, signer, std::move(options)));
  auto moved = j->move_old_entries();
  if (!moved) return moved.error();
  auto recovered = j->recover();
  if (!recovered) return recovered.error();
  j->started_ = {*recovered, *moved};
  return j;
}

result<std::size_t> journal::move_old_entries() {
  auto old = cases_.reads().with([](store::connection& db) { return has_table(db, "audit_log"); });
  if (!old) return old.error();
  if (!*old) return 0;
  std::size_t moved = 0;
  // One audit transaction: the copy is all there or not at all. Only into an empty log: after a
  // crash between the copy and the drop below, the copy is not made twice.
  auto copied = store_->writes().run([&](store::connection& audit_db) -> result<void> {
    auto present = count_of(audit_db, "SELECT count(*) FROM audit_log");
    if (!present) return present.error();
    if (*present != 0) return {};
    auto lease = cases_.reads().borrow();
    auto entries = copy_rows(
        *lease,
        "SELECT seq, at, actor_org, actor_user, action, resource_type, resource_id, family_id, "
        "purpose, legal_basis, outcome, outcome_code, policy_version, request_id, break_glass, "
        "detail, canonical, prev_hash, hash FROM audit_log ORDER BY seq",
        audit_db,
        "INSERT INTO audit_log (seq, at, actor_org, actor_user, action, resource_type, "
        "resource_id, family_id, purpose, legal_basis, outcome, outcome_code, policy_version, "
        "request_id, break_glass, detail, canonical, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        "iittttttttttttitbbb");
    if (!entries) return entries.error();
    moved = *entries;
    auto subjects = copy_rows(*lease, "SELECT seq, pseudonym FROM audit_subjects", audit_db,
                              "INSERT INTO audit_subjects (seq, pseudonym) VALUES (?1, ?2)", "it");
    if (!subjects) return subjects.error();
    auto checkpoints = copy_rows(
        *lease,
        "SELECT seq, hash, previous_seq, key_id, public_key, signature, created_at "
        "FROM audit_checkpoints ORDER BY seq",
        audit_db,
        "INSERT INTO audit_checkpoints (seq, hash, previous_seq, key_id, public_key, signature, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        "ibitbbi");
    if (!checkpoints) return checkpoints.error();
    return {};
  });
  if (!copied) return copied.error();
  // The copy is durable: the old tables can go (the triggers forbid deleting rows, not dropping).
  auto dropped = cases_.writes().run([](store::connection& db) -> result<void> {
    return db.execute(
        "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;"
        "DROP TRIGGER IF EXISTS audit_subjects_no_update;"
        "DROP TRIGGER IF EXISTS audit_subjects_no_delete;"
        "DROP TRIGGER IF EXISTS audit_checkpoints_no_update;"
        "DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;"
        "DROP TABLE audit_checkpoints; DROP TABLE audit_subjects; DROP TABLE audit_log;");
  });
  if (!dropped) return dropped.error();
  return moved;
}

result<std::size_t> journal::recover() {
  struct staged_row {
    std::int64_t id;
    std::string text;
  };
  auto rows = cases_.reads().with([](store::connection& db) -> result<std::vector<staged_row>> {
    auto st = db.prepare("SELECT id, entry FROM audit_outbox ORDER BY id");
    if (!st) return st.error();
    std::vector<staged_row> out;
    for (;;) {
      auto row = st->step();
      if (!row) return row.error();
      if (!*row) break;
      out.push_back({st->column_int64(0), std::string(st->column_text(1))});
    }
    return out;
  });
  if (!rows) return rows.error();
  if (rows->empty()) return 0;
  std::size_t recovered = 0;
  auto written = store_->writes().run([&](store::connection& db) -> result<void> {
    auto known = db.prepare("SELECT 1 FROM audit_log WHERE outbox_id = ?");
    if (!known) return known.error();
    std::vector<audit_log::pending_entry> missing;
    for (const auto& r : *rows) {
      known->reset();
      known->bind(1, r.id);
      auto there = known->step();
      if (!there) return there.error();
      if (*there) continue;
      auto entry = entry_of_outbox(r.text, r.id);
      if (!entry) return entry.error();
      entry->detail["recovered"] = true;
      missing.push_back({std::move(*entry), r.id});
    }
    auto seqs = log_.append_all(db, missing);
    if (!seqs) return seqs.error();
    recovered = seqs->size();
    return {};
  });
  if (!written) return written.error();
  const std::int64_t last = rows->back().id;
  auto cleared = cases_.writes().run([last](store::connection& db) -> result<void> {
    auto st = db.prepare("DELETE FROM audit_outbox WHERE id <= ?");
    if (!st) return st.error();
    st->bind(1, last);
    return st->run();
  });
  if (!cleared) return cleared.error();
  return recovered;
}

result<std::int64_t> journal::stage(store::connection& case_db, const audit_entry& entry) {
  if (auto valid = validate(entry); !valid) return valid.error();
  // Housekeeping first: rows whose entries are in the log go (in this write's transaction).
  if (!stuck_.load()) {
    if (const std::int64_t upto = settled_up_to_.load(); upto > 0) {
      auto del = case_db.cached("DELETE FROM audit_outbox WHERE id <= ?1");
      if (!del) return del.error();
      (*del)->bind(1, upto);
      if (auto r = (*del)->run(); !r) return r.error();
    }
  }
  auto ins = case_db.cached("INSERT INTO audit_outbox (entry) VALUES (?1)");
  if (!ins) return ins.error();
  const std::string text = outbox_text(entry);
  (*ins)->bind(1, std::string_view(text));
  if (auto r = (*ins)->run(); !r) return r.error();
  return case_db.last_insert_rowid();
}

void journal::settled(std::int64_t outbox_id, bool ok) {
  if (!ok) {
    stuck_ = true;
    return;
  }
  // Staged entries reach the audit writer in the case writer's commit order, so ids settle in
  // increasing order; max() guards the watermark all the same.
  std::int64_t seen = settled_up_to_.load();
  while (seen < outbox_id && !settled_up_to_.compare_exchange_weak(seen, outbox_id)) {
  }
}

void journal::append_staged(std::int64_t outbox_id, audit_entry entry, appended done) {
  enqueue({{std::move(entry), outbox_id}, std::move(done)});
}

std::size_t journal::waiting_appends() {
  std::size_t waiting = writer_stats().queued;
  const std::lock_guard lock(queue_mutex_);
  return waiting + queue_.size();
}

void journal::enqueue(queued q) {
  {
    const std::lock_guard lock(queue_mutex_);
    ++in_flight_;
    queue_.push_back(std::move(q));
    if (drain_submitted_) return;  // the item already queued will take this one too
    drain_submitted_ = true;
  }
  struct group {
    std::vector<queued> taken;
    std::vector<std::int64_t> seqs;
  };
  auto g = std::make_shared<group>();
  store_->writes().submit(
      [this, g](store::connection& db) -> result<void> {
        {
          const std::lock_guard lock(queue_mutex_);
          g->taken.swap(queue_);
          drain_submitted_ = false;
        }
        std::vector<audit_log::pending_entry> pending;
        pending.reserve(g->taken.size());
        for (auto& item : g->taken)
          if (!item.barrier) pending.push_back(std::move(item.pending));
        auto seqs = log_.append_all(db, pending);
        // Put the entries back for the done callbacks, each with its seq (a barrier gets 0).
        g->seqs.assign(g->taken.size(), 0);
        for (std::size_t i = 0, next = 0; i < g->taken.size(); ++i) {
          if (g->taken[i].barrier) continue;
          g->taken[i].pending = std::move(pending[next]);
          if (seqs) g->seqs[i] = (*seqs)[next];
          ++next;
        }
        if (!seqs) return seqs.error();
        return {};
      },
      [this, g](const result<void>& outcome) {
        if (!outcome && g->taken.empty()) {
          // The writer had stopped and never ran the item: fail what waits, rather than leave it.
          const std::lock_guard lock(queue_mutex_);
          g->taken.swap(queue_);
          drain_submitted_ = false;
        }
        for (std::size_t i = 0; i < g->taken.size(); ++i) {
          auto& item = g->taken[i];
          if (item.pending.outbox_id > 0) settled(item.pending.outbox_id, outcome.has_value());
          if (!outcome)
            item.done(outcome.error());
          else
            item.done(g->seqs[i]);
          --in_flight_;
        }
      });
}

void journal::settle_now() {
  if (in_flight_.load() == 0) return;
  // Behind every entry queued before this call...
  std::promise<void> queued_before;
  auto settled_queue = queued_before.get_future();
  enqueue({{}, [&queued_before](const result<std::int64_t>&) { queued_before.set_value(); }, true});
  settled_queue.wait();
  // ...and behind every group handed straight to the writer (append_staged of many) before it.
  (void)store_->writes().run([](store::connection&) -> result<void> { return {}; });
}

store::reader_pool& journal::reads() {
  settle_now();
  return store_->reads();
}

void journal::append_staged(std::vector<staged_entry> entries,
                            std::function<void(result<void>)> done) {
  auto shared = std::make_shared<std::vector<staged_entry>>(std::move(entries));
  ++in_flight_;
  store_->writes().submit(
      [this, shared](store::connection& db) -> result<void> {
        std::vector<audit_log::pending_entry> pending;
        pending.reserve(shared->size());
        for (const auto& s : *shared) pending.push_back({s.entry, s.outbox_id});
        auto seqs = log_.append_all(db, pending);
        if (!seqs) return seqs.error();
        return {};
      },
      [this, shared, done = std::move(done)](result<void> outcome) {
        for (const auto& s : *shared) settled(s.outbox_id, outcome.has_value());
        done(std::move(outcome));
        --in_flight_;
      });
}

void journal::append(audit_entry entry, appended done) {
  // Checked here, so that a bad entry fails alone instead of the group it would be drained with.
  if (auto valid = validate(entry); !valid) return done(valid.error());
  enqueue({{std::move(entry), 0}, std::move(done)});
}

result<std::int64_t> journal::append_now(audit_entry entry) {
  std::promise<result<std::int64_t>> p;
  auto f = p.get_future();
  append(std::move(entry), [&p](result<std::int64_t> r) { p.set_value(std::move(r)); });
  return wait(f);
}

result<std::int64_t> journal::write_now(change_fn change, audit_entry entry) {
  std::int64_t outbox_id = 0;
  auto written = cases_.writes().run([&](store::connection& db) -> result<void> {
    audit_entry e = entry;
    if (auto changed = change(db, e); !changed) return changed;
    auto id = stage(db, e);
    if (!id) return id.error();
    outbox_id = *id;
    entry = std::move(e);
    return {};
  });
  if (!written) return written.error();
  std::promise<result<std::int64_t>> p;
  auto f = p.get_future();
  append_staged(outbox_id, std::move(entry),
                [&p](result<std::int64_t> r) { p.set_value(std::move(r)); });
  return wait(f);
}

result<void> journal::append_staged_now(std::vector<staged_entry> entries) {
  std::promise<result<void>> p;
  auto f = p.get_future();
  append_staged(std::move(entries), [&p](result<void> r) { p.set_value(std::move(r)); });
  return wait(f);
}

}  // namespace sluis::audit
