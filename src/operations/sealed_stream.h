#pragma once

#include <sodium.h>

#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>

namespace lontar::operations {

// A file sealed under a passphrase: Argon2id stretches the passphrase into a key, and
// libsodium's secretstream (XChaCha20-Poly1305) seals the content in chunks, each
// authenticated and ordered, the last one marked final. A changed, reordered, dropped
// or appended byte, a truncated file or a wrong passphrase is refused, never read.
//
// Layout: "LONTARBK", version, Argon2id opslimit and memlimit, salt, a key check value
// (so a wrong passphrase is named as such), the secretstream header; then chunks, each
// its length (4 bytes) and its ciphertext. The fixed header is authenticated with the
// first chunk.
// Argon2id's cost for a new file; a reader takes it from the file (within bounds).
struct KeyCost {
  std::uint64_t ops = crypto_pwhash_OPSLIMIT_MODERATE;  // about a second and 256 MiB
  std::uint64_t mem = crypto_pwhash_MEMLIMIT_MODERATE;
};

class SealedWriter final {
 public:
  SealedWriter(std::ostream& out, std::string_view passphrase, KeyCost cost = {});
  ~SealedWriter();
  SealedWriter(const SealedWriter&) = delete;
  SealedWriter& operator=(const SealedWriter&) = delete;

  void write(std::string_view bytes);
  // Seals what is buffered as the final chunk; nothing may be written after.
  void finish();

 private:
  void seal(unsigned char tag);

  std::ostream& out_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::string header_;  // the fixed header, authenticated with the first chunk
  std::string buffer_;
  bool first_ = true;
  bool finished_ = false;
};

class SealedReader final {
 public:
  // Throws Error(invalid_input, "backup_wrong_passphrase") or ("backup_damaged").
  SealedReader(std::istream& in, std::string_view passphrase);
  ~SealedReader();
  SealedReader(const SealedReader&) = delete;
  SealedReader& operator=(const SealedReader&) = delete;

  // Exactly `size` bytes; throws Error(invalid_input, "backup_damaged") when the file
  // ends first or a chunk does not authenticate.
  std::string read(std::size_t size);
  // True after the final chunk was read and consumed and nothing follows it.
  bool at_end();

 private:
  void open_next_chunk();

  std::istream& in_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::string header_;
  std::string chunk_;
  std::size_t position_ = 0;
  bool first_ = true;
  bool final_seen_ = false;
  std::uint64_t chunks_ = 0;
};

}  // namespace lontar::operations
