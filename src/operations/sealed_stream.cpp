#include "operations/sealed_stream.h"

#include <array>
#include <cstring>

#include "core/error.h"

namespace lontar::operations {

namespace {
constexpr std::string_view kMagic = "LONTARBK";
constexpr unsigned char kVersion = 1;
constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kSaltBytes = crypto_pwhash_SALTBYTES;
constexpr std::size_t kCheckBytes = 32;
constexpr std::size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kFixedHeaderBytes = kMagic.size() + 1 + 8 + 8 + kSaltBytes + kCheckBytes + kStreamHeaderBytes;
// What a reader accepts from a header it has not authenticated yet: a file may not
// make restore spend more than this.
constexpr std::uint64_t kMaxOpsLimit = 16;
constexpr std::uint64_t kMaxMemLimit = 1024ULL * 1024 * 1024;

using Key = std::array<unsigned char, crypto_secretstream_xchacha20poly1305_KEYBYTES>;

[[noreturn]] void damaged(const std::string& why) {
  throw Error(ErrorKind::invalid_input, "backup_damaged", "The backup is damaged or was changed: " + why + ".");
}

void put_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}
std::uint64_t get_u64(const unsigned char* p) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | p[i];
  return value;
}
void put_u32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Zeroed when it goes out of scope.
struct DerivedKey {
  Key key{};
  ~DerivedKey() { sodium_memzero(key.data(), key.size()); }
};

void derive(DerivedKey& out, std::string_view passphrase, const unsigned char* salt, std::uint64_t ops,
            std::uint64_t mem) {
  if (crypto_pwhash(out.key.data(), out.key.size(), passphrase.data(), passphrase.size(), salt, ops,
                    static_cast<std::size_t>(mem), crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error(ErrorKind::unavailable, "out_of_memory", "Not enough memory to derive the backup key (Argon2id).");
}

std::array<unsigned char, kCheckBytes> key_check(const Key& key) {
  static constexpr std::string_view kLabel = "lontar backup key check v1";
  std::array<unsigned char, kCheckBytes> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(kLabel.data()), kLabel.size(),
                     key.data(), key.size());
  return out;
}
}  // namespace

SealedWriter::SealedWriter(std::ostream& out, std::string_view passphrase, KeyCost cost) : out_(out) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "sodium", "libsodium could not start.");
  std::array<unsigned char, kSaltBytes> salt{};
  randombytes_buf(salt.data(), salt.size());
  const std::uint64_t ops = cost.ops;
  const std::uint64_t mem = cost.mem;
  DerivedKey derived;
  derive(derived, passphrase, salt.data(), ops, mem);
  std::array<unsigned char, kStreamHeaderBytes> stream_header{};
  crypto_secretstream_xchacha20poly1305_init_push(&state_, stream_header.data(), derived.key.data());
  header_.append(kMagic);
  header_.push_back(static_cast<char>(kVersion));
  put_u64(header_, ops);
  put_u64(header_, mem);
  header_.append(reinterpret_cast<const char*>(salt.data()), salt.size());
  const auto check = key_check(derived.key);
  header_.append(reinterpret_cast<const char*>(check.data()), check.size());
  header_.append(reinterpret_cast<const char*>(stream_header.data()), stream_header.size());
  out_.write(header_.data(), static_cast<std::streamsize>(header_.size()));
}

SealedWriter::~SealedWriter() { sodium_memzero(&state_, sizeof state_); }

void SealedWriter::write(std::string_view data) {
  if (finished_) throw Error(ErrorKind::internal, "sealed_finished", "Write after the backup was sealed.");
  while (!data.empty()) {
    const auto take = std::min(data.size(), kChunk - buffer_.size());
    buffer_.append(data.substr(0, take));
    data.remove_prefix(take);
    if (buffer_.size() == kChunk) seal(0);
  }
}

void SealedWriter::finish() {
  seal(crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  finished_ = true;
  out_.flush();
  if (!out_) throw Error(ErrorKind::unavailable, "backup_write", "The backup file could not be written.");
}

void SealedWriter::seal(unsigned char tag) {
  std::string sealed(buffer_.size() + crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
  unsigned long long length = 0;
  const auto* ad = first_ ? bytes(header_) : nullptr;
  crypto_secretstream_xchacha20poly1305_push(&state_, reinterpret_cast<unsigned char*>(sealed.data()), &length,
                                             bytes(buffer_), buffer_.size(), ad, first_ ? header_.size() : 0, tag);
  std::string frame;
  put_u32(frame, static_cast<std::uint32_t>(length));
  out_.write(frame.data(), 4);
  out_.write(sealed.data(), static_cast<std::streamsize>(length));
  if (!out_) throw Error(ErrorKind::unavailable, "backup_write", "The backup file could not be written.");
  sodium_memzero(buffer_.data(), buffer_.size());
  buffer_.clear();
  first_ = false;
}

SealedReader::SealedReader(std::istream& in, std::string_view passphrase) : in_(in) {
  if (sodium_init() < 0) throw Error(ErrorKind::internal, "sodium", "libsodium could not start.");
  header_.resize(kFixedHeaderBytes);
  in_.read(header_.data(), static_cast<std::streamsize>(header_.size()));
  if (static_cast<std::size_t>(in_.gcount()) != header_.size() || header_.compare(0, kMagic.size(), kMagic) != 0)
    throw Error(ErrorKind::invalid_input, "not_a_backup", "This file is not a Lontar backup.");
  const auto* p = bytes(header_) + kMagic.size();
  if (*p != kVersion)
    throw Error(ErrorKind::invalid_input, "backup_version",
                "This backup was written by a newer Lontar (format " + std::to_string(*p) + ").");
  const auto ops = get_u64(p + 1);
  const auto mem = get_u64(p + 9);
  const auto* salt = p + 17;
  const auto* check = salt + kSaltBytes;
  const auto* stream_header = check + kCheckBytes;
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > kMaxOpsLimit || mem < crypto_pwhash_MEMLIMIT_MIN || mem > kMaxMemLimit)
    damaged("its key derivation parameters are out of range");
  DerivedKey derived;
  derive(derived, passphrase, salt, ops, mem);
  const auto expected = key_check(derived.key);
  if (sodium_memcmp(expected.data(), check, kCheckBytes) != 0)
    throw Error(ErrorKind::invalid_input, "backup_wrong_passphrase",
                "The passphrase does not open this backup (or its header was changed).");
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state_, stream_header, derived.key.data()) != 0)
    damaged("its header is invalid");
}

SealedReader::~SealedReader() {
  sodium_memzero(&state_, sizeof state_);
  sodium_memzero(chunk_.data(), chunk_.size());
}

void SealedReader::open_next_chunk() {
  if (final_seen_) damaged("it ends with a final chunk, and more was asked of it");
  unsigned char frame[4];
  in_.read(reinterpret_cast<char*>(frame), 4);
  if (in_.gcount() != 4) damaged("it is truncated after chunk " + std::to_string(chunks_));
  const std::uint32_t length = frame[0] | (frame[1] << 8) | (frame[2] << 16) | (static_cast<std::uint32_t>(frame[3]) << 24);
  if (length < crypto_secretstream_xchacha20poly1305_ABYTES || length > kChunk + crypto_secretstream_xchacha20poly1305_ABYTES)
    damaged("chunk " + std::to_string(chunks_ + 1) + " has an impossible length");
  std::string sealed(length, '\0');
  in_.read(sealed.data(), length);
  if (static_cast<std::size_t>(in_.gcount()) != length) damaged("it is truncated in chunk " + std::to_string(chunks_ + 1));
  sodium_memzero(chunk_.data(), chunk_.size());
  chunk_.assign(length - crypto_secretstream_xchacha20poly1305_ABYTES, '\0');
  unsigned long long plain = 0;
  unsigned char tag = 0;
  const auto* ad = first_ ? bytes(header_) : nullptr;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_, reinterpret_cast<unsigned char*>(chunk_.data()), &plain,
                                                 &tag, bytes(sealed), sealed.size(), ad,
                                                 first_ ? header_.size() : 0) != 0)
    damaged("chunk " + std::to_string(chunks_ + 1) + " does not authenticate");
  first_ = false;
  ++chunks_;
  position_ = 0;
  if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) final_seen_ = true;
}

std::string SealedReader::read(std::size_t size) {
  std::string out;
  out.reserve(std::min<std::size_t>(size, kChunk));
  while (out.size() < size) {
    if (position_ == chunk_.size()) open_next_chunk();
    const auto take = std::min(size - out.size(), chunk_.size() - position_);
    out.append(chunk_, position_, take);
    position_ += take;
  }
  return out;
}

bool SealedReader::at_end() {
  if (position_ != chunk_.size() || !final_seen_) return false;
  return in_.peek() == std::char_traits<char>::eof();
}

}  // namespace lontar::operations
