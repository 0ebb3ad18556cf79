#include "instance/folder_document_files.h"

#include "core/encoding.h"
#include "core/error.h"
#include "instance/data_dir.h"

namespace lontar {

std::filesystem::path FolderDocumentFiles::path_of(std::string_view sha256, std::string_view suffix) const {
  // The name comes from our own hash, but is checked as if it did not: 64 hex digits.
  require_sha256_hex(sha256);
  const std::string name(sha256);
  return root_ / name.substr(0, 2) / (name + std::string(suffix));
}

void FolderDocumentFiles::keep(const std::filesystem::path& file, std::string_view bytes) {
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) return;  // the same bytes, kept before
  try {
    std::filesystem::create_directories(file.parent_path());
    std::filesystem::permissions(root_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    write_file(file, std::string(bytes), true);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::unavailable, "document_store_unavailable",
                std::string("The signed document could not be kept, so it was not registered: ") + e.what());
  }
}

std::optional<std::string> FolderDocumentFiles::read(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  return read_file(file);
}

void FolderDocumentFiles::put(std::string_view sha256, std::string_view pdf) {
  if (sha256_hex(pdf) != sha256)
    throw Error(ErrorKind::internal, "document_hash_mismatch", "The document does not have the hash it is kept under.");
  keep(path_of(sha256, ".pdf"), pdf);
}

std::optional<std::string> FolderDocumentFiles::get(std::string_view sha256) const { return read(path_of(sha256, ".pdf")); }

void FolderDocumentFiles::put_preview(std::string_view sha256, int page, std::string_view png) {
  keep(path_of(sha256, ".p" + std::to_string(page) + ".png"), png);
}

std::optional<std::string> FolderDocumentFiles::get_preview(std::string_view sha256, int page) const {
  return read(path_of(sha256, ".p" + std::to_string(page) + ".png"));
}

}  // namespace lontar
