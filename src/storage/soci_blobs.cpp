#include <chrono>

#include "core/encoding.h"
#include "storage/soci_repositories.h"

namespace lontar::storage {

// Content is stored as base64 text: one portable column type for SQLite and
// PostgreSQL, at a third more space, for uploads that are at most a few MiB.
std::string SociBlobRepository::put(std::string_view content_type, std::string_view data) {
  auto id = sha256_hex(data);
  put_as(id, content_type, data);
  return id;
}

void SociBlobRepository::put_as(std::string_view name, std::string_view content_type, std::string_view data) {
  const std::string id(name);
  int exists = 0;
  sql_ << "SELECT COUNT(*) FROM blobs WHERE id = :id", soci::use(id), soci::into(exists);
  if (exists > 0) return;
  const std::string type(content_type);
  const std::string encoded = to_base64(as_bytes(data));
  const std::int64_t size = static_cast<std::int64_t>(data.size());
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  // Another server may keep the same derived blob at the same moment: the first wins.
  sql_ << "INSERT INTO blobs (id, content_type, size, data, created_at) VALUES (:id, :type, :size, :data, :at) "
          "ON CONFLICT (id) DO NOTHING",
      soci::use(id), soci::use(type), soci::use(size), soci::use(encoded), soci::use(now);
}

std::optional<Blob> SociBlobRepository::get(std::string_view id) {
  Blob blob;
  std::string encoded;
  const std::string key(id);
  soci::indicator found = soci::i_null;
  sql_ << "SELECT id, content_type, data FROM blobs WHERE id = :id", soci::use(key), soci::into(blob.id),
      soci::into(blob.content_type), soci::into(encoded, found);
  if (!sql_.got_data()) return std::nullopt;
  const auto bytes = from_base64(encoded);
  if (!bytes) return std::nullopt;
  blob.data.assign(bytes->begin(), bytes->end());
  return blob;
}

}  // namespace lontar::storage
