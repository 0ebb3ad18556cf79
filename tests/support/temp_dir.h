#pragma once

#include <filesystem>

namespace lontar::testing {

// A fresh folder under the system temp dir, removed with its contents at scope end.
class TempDir final {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace lontar::testing
