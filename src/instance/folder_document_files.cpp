#include "instance/folder_document_files.h"

#include <algorithm>
#include <cctype>

#include "core/encoding.h"
#include "core/error.h"
#include "instance/data_dir.h"

namespace lontar {

std::filesystem::path FolderDocumentFiles::path_of(std::string_view sha256) const {
  // The name comes from our own hash, but is checked as if it did not: 64 hex digits.
  if (sha256.size() != 64 ||
      !std::all_of(sha256.begin(), sha256.end(), [](unsigned char c) { return std::isxdigit(c) != 0; }))
    throw Error(ErrorKind::internal, "bad_document_hash", "A document is named by its SHA-256 in hex.");
  const std::string name(sha256);
  return root_ / name.substr(0, 2) / (name + ".pdf");
}

void FolderDocumentFiles::put(std::string_view sha256, std::string_view pdf) {
  if (sha256_hex(pdf) != sha256)
    throw Error(ErrorKind::internal, "document_hash_mismatch", "The document does not have the hash it is kept under.");
  const auto file = path_of(sha256);
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) return;  // the same bytes, kept before
  try {
    std::filesystem::create_directories(file.parent_path());
    std::filesystem::permissions(root_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
    write_file(file, std::string(pdf), true);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::unavailable, "document_store_unavailable",
                std::string("The signed document could not be kept, so it was not registered: ") + e.what());
  }
}

std::optional<std::string> FolderDocumentFiles::get(std::string_view sha256) const {
  const auto file = path_of(sha256);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  return read_file(file);
}

}  // namespace lontar
