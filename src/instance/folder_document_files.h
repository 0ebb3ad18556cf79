#pragma once

#include <filesystem>

#include "core/document_files.h"

namespace lontar {

// Documents as files under the data folder: documents/AB/ABCD….pdf by SHA-256 (and
// ABCD….p1.png… for its page previews), written
// atomically (temporary file, fsync, rename) and readable by the service user only.
class FolderDocumentFiles final : public DocumentFiles {
 public:
  explicit FolderDocumentFiles(std::filesystem::path root) : root_(std::move(root)) {}
  void put(std::string_view sha256, std::string_view pdf) override;
  std::optional<std::string> get(std::string_view sha256) const override;
  void put_preview(std::string_view sha256, int page, std::string_view png) override;
  std::optional<std::string> get_preview(std::string_view sha256, int page) const override;

 private:
  std::filesystem::path path_of(std::string_view sha256, std::string_view suffix) const;
  void keep(const std::filesystem::path& file, std::string_view bytes);
  static std::optional<std::string> read(const std::filesystem::path& file);
  std::filesystem::path root_;
};

}  // namespace lontar
