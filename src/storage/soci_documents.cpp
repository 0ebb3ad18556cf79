#include "storage/soci_repositories.h"

namespace lontar::storage {

namespace {
constexpr const char* kColumns =
    "id, sha256, signer_serial, signer_name, signer_unit, signed_at, signature_count, title, pages, visibility, "
    "previews, withdrawn_at, withdrawn_reason, withdrawn_by";

// Where a statement reads one document row: its visibility parsed after each fetch.
struct DocumentRow {
  SignedDocument document;
  std::string visibility;

  void bind_columns(soci::details::prepare_temp_type& statement) {
    auto& d = document;
    statement, soci::into(d.id), soci::into(d.sha256), soci::into(d.signer_serial), soci::into(d.signer_name),
        soci::into(d.signer_unit), soci::into(d.signed_at), soci::into(d.signature_count), soci::into(d.title),
        soci::into(d.pages), soci::into(visibility), soci::into(d.previews), soci::into(d.withdrawn_at),
        soci::into(d.withdrawn_reason), soci::into(d.withdrawn_by);
  }
  SignedDocument completed() const {
    auto d = document;
    // An unknown word shows less, never more.
    d.visibility = parse_document_visibility(visibility).value_or(DocumentVisibility::summary);
    return d;
  }
};
}  // namespace

// Each form of WHERE is prepared once per connection: every visit to a document's public
// page (a QR code scanned) reads its row.
std::vector<SignedDocument> SociDocumentRepository::select(const std::string& tail, const std::string& key_text,
                                                           int key_number) {
  return select_by_keys<DocumentRow>(prepared_, std::string("SELECT ") + kColumns + " FROM documents " + tail,
                                     key_text, key_number);
}

void SociDocumentRepository::insert(const SignedDocument& d) {
  const std::string visibility = to_string(d.visibility);
  sql_ << "INSERT INTO documents (id, sha256, signer_serial, signer_name, signer_unit, signed_at, signature_count, "
          "title, pages, visibility, previews) "
          "VALUES (:id, :sha, :serial, :name, :unit, :at, :count, :title, :pages, :visibility, :previews)",
      soci::use(d.id), soci::use(d.sha256), soci::use(d.signer_serial), soci::use(d.signer_name),
      soci::use(d.signer_unit), soci::use(d.signed_at), soci::use(d.signature_count), soci::use(d.title),
      soci::use(d.pages), soci::use(visibility), soci::use(d.previews);
}

std::optional<SignedDocument> SociDocumentRepository::find_where(const std::string& column, std::string_view value) {
  auto rows = select("WHERE " + column + " = :text ORDER BY signed_at DESC LIMIT 1", std::string(value), 0);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::optional<SignedDocument> SociDocumentRepository::find(std::string_view id) { return find_where("id", id); }

std::optional<SignedDocument> SociDocumentRepository::find_by_sha256(std::string_view sha256) {
  return find_where("sha256", sha256);
}

std::vector<SignedDocument> SociDocumentRepository::awaiting_previews(int limit) {
  return select("WHERE previews = 0 AND withdrawn_at = 0 ORDER BY signed_at LIMIT :number", "", limit);
}

void SociDocumentRepository::set_previews(std::string_view id, int rendered) {
  const std::string key(id);
  sql_ << "UPDATE documents SET previews = :rendered WHERE id = :id", soci::use(rendered), soci::use(key);
}

bool SociDocumentRepository::withdraw(std::string_view id, std::int64_t at, const std::string& reason,
                                      const std::string& by) {
  const std::string key(id);
  soci::statement update = (sql_.prepare << "UPDATE documents SET withdrawn_at = :at, withdrawn_reason = :reason, "
                                            "withdrawn_by = :by WHERE id = :id AND withdrawn_at = 0",
                            soci::use(at), soci::use(reason), soci::use(by), soci::use(key));
  update.execute(true);
  return update.get_affected_rows() > 0;
}

}  // namespace lontar::storage
