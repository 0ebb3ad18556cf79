#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "operations/sealed_stream.h"

namespace lontar::operations {

// The entries of a backup inside its sealed stream: each a kind (private, meaning mode
// 0600, and packed or not), a relative name, its size and its bytes; an end marker
// closes the list. A packed entry's bytes are one zstd frame in blocks, each its length
// (4 bytes) and its bytes, closed by a zero length; its size is the unpacked size.
struct ArchiveEntry {
  std::string name;
  bool private_file = false;
  bool packed = false;
  std::uint64_t size = 0;
};

enum class Packing { stored, zstd };

class ArchiveWriter final {
 public:
  explicit ArchiveWriter(SealedWriter& sealed) : sealed_(sealed) {}
  void add(const std::string& name, std::string_view content, bool private_file);
  // Streams the file (a database snapshot may be gigabytes).
  void add_file(const std::string& name, const std::filesystem::path& file, bool private_file,
                Packing packing = Packing::stored);
  void finish();

 private:
  void header(const std::string& name, std::uint64_t size, bool private_file, Packing packing);
  SealedWriter& sealed_;
};

class ArchiveReader final {
 public:
  explicit ArchiveReader(SealedReader& sealed) : sealed_(sealed) {}
  // The next entry's header, or nullopt at the end marker. Names are checked: relative,
  // no "..", only letters, digits and ._-/ (a backup cannot write outside its folder).
  std::optional<ArchiveEntry> next();
  std::string read_content(const ArchiveEntry& entry);  // small entries only (the manifest)
  void extract(const ArchiveEntry& entry, const std::filesystem::path& file);

 private:
  // Hands the entry's bytes, unpacked, to `sink` in pieces.
  void read_body(const ArchiveEntry& entry, const std::function<void(std::string_view)>& sink);

  SealedReader& sealed_;
};

// Throws Error(invalid_input, "backup_damaged") unless the name is safe to create
// under a folder.
void require_safe_entry_name(std::string_view name);

}  // namespace lontar::operations
