#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace lontar {

// The data folder's layout. Everything Lontar keeps on disk lives under it.
class DataDir final {
 public:
  explicit DataDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path config() const { return root_ / "lontar.toml"; }
  std::filesystem::path ca_dir() const { return root_ / "ca"; }
  std::filesystem::path certificate(const std::string& name) const { return ca_dir() / (name + ".crt"); }
  std::filesystem::path key(const std::string& name) const { return ca_dir() / (name + ".key"); }
  std::filesystem::path chain() const { return ca_dir() / "chain.pem"; }
  std::filesystem::path root_crl() const { return ca_dir() / "root.crl"; }
  std::filesystem::path demo_passphrase() const { return root_ / "secrets" / "ca-passphrase"; }
  std::filesystem::path documents() const { return root_ / "documents"; }
  bool initialised() const { return std::filesystem::exists(config()); }

 private:
  std::filesystem::path root_;
};

std::string read_file(const std::filesystem::path& file);
std::string read_secret_file(const std::filesystem::path& file);  // drops one trailing newline
// Writes atomically (temporary file, fsync, rename); `private_file` means mode 0600.
void write_file(const std::filesystem::path& file, const std::string& content, bool private_file);

// The CA passphrase: --ca-passphrase-file, else $LONTAR_CA_PASSPHRASE_FILE, else the
// demo passphrase file that `lontar init` generated. Never from the command line.
std::string resolve_ca_passphrase(const DataDir& dir, const std::optional<std::filesystem::path>& flag);

}  // namespace lontar
