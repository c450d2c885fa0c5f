#include "gateway/store/store.hpp"

#include <system_error>
#include <utility>
#include <vector>

#include "gateway/store/migrations.hpp"

namespace sluis::store {

store::store(std::filesystem::path file, int version, connection_options reader_options,
             std::unique_ptr<writer> w, std::unique_ptr<reader_pool> r) noexcept
    : file_(std::move(file)),
      schema_version_(version),
      reader_options_(reader_options),
      readers_(std::move(r)),
      writer_(std::move(w)) {}

store::~store() = default;

result<std::unique_ptr<store>> store::open(const std::filesystem::path& data_dir,
                                           const keys::secret_bytes& key, store_options options) {
  std::error_code ec;
  if (!std::filesystem::is_directory(data_dir, ec)) {
    return error::io("the data directory " + data_dir.string() + " does not exist");
  }
  if (options.readers == 0) return error::invalid("readers", "the store needs at least one reader");
  const std::filesystem::path file = data_dir / options.file_name;

  const connection_options write_options{.read_only = false, .busy_timeout = options.busy_timeout};
  auto write_connection = connection::open(file, key, write_options);
  if (!write_connection) return write_connection.error();
  auto version = migrate(*write_connection, options.schema);
  if (!version) return version.error();
  const cipher_format format = write_connection->format();

  const connection_options reader_options{.read_only = true, .busy_timeout = options.busy_timeout};
  std::vector<connection> readers;
  for (std::size_t i = 0; i < options.readers; ++i) {
    auto reader = connection::open(file, key, reader_options);
    if (!reader) return reader.error();
    readers.push_back(std::move(*reader));
  }

  auto w = std::make_unique<writer>(
      std::move(*write_connection),
      writer_options{.max_batch = options.max_batch, .on_batch = std::move(options.on_batch)});
  auto r = std::make_unique<reader_pool>(std::move(readers));
  std::unique_ptr<store> opened(
      new store(file, *version, reader_options, std::move(w), std::move(r)));
  opened->format_ = format;
  return opened;
}

result<void> store::rekey(const keys::secret_bytes& new_key) {
  // Idle readers keep their old key; holding every lease keeps them idle until they are reopened.
  std::vector<reader_pool::lease> readers = readers_->borrow_all();
  auto rekeyed = writer_->run_exclusive([&new_key](connection& c) { return c.rekey(new_key); });
  if (!rekeyed) return rekeyed.error();
  for (reader_pool::lease& reader : readers) {
    auto fresh = connection::open(file_, new_key, reader_options_);
    if (!fresh) return fresh.error();
    *reader = std::move(*fresh);
  }
  return {};
}

}  // namespace sluis::store
