#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lontar {

// Where registered documents are kept, whole, by their SHA-256: the verification page
// can then show the paper's reader the document itself, not only its hash.
class DocumentFiles {
 public:
  virtual ~DocumentFiles() = default;
  // Keeps `pdf` under `sha256` (its own hash); storing the same content twice is one
  // file. Throws Error(unavailable) when it cannot be kept: nothing is registered then.
  virtual void put(std::string_view sha256, std::string_view pdf) = 0;
  virtual std::optional<std::string> get(std::string_view sha256) const = 0;
};

}  // namespace lontar
