#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lontar {

// Where registered documents are kept, whole, by their SHA-256, with the previews of
// their pages: the verification page can then show the paper's reader the document
// itself, not only its hash.
class DocumentFiles {
 public:
  virtual ~DocumentFiles() = default;
  // Keeps `pdf` under `sha256` (its own hash); storing the same content twice is one
  // file. Throws Error(unavailable) when it cannot be kept: nothing is registered then.
  virtual void put(std::string_view sha256, std::string_view pdf) = 0;
  virtual std::optional<std::string> get(std::string_view sha256) const = 0;
  // A PNG of page `page` (from 1) of the document kept under `sha256`.
  virtual void put_preview(std::string_view sha256, int page, std::string_view png) = 0;
  virtual std::optional<std::string> get_preview(std::string_view sha256, int page) const = 0;
};

// Throws Error(internal) unless `sha256` is 64 hex digits: names built from it are
// then safe as file names and keys.
void require_sha256_hex(std::string_view sha256);

}  // namespace lontar
