#include "operations/backup_archive.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <optional>

#include "core/error.h"
#include "operations/entry_compression.h"

namespace lontar::operations {

namespace {
constexpr std::size_t kMaxName = 1024;
constexpr std::size_t kMaxInMemory = 16 * 1024 * 1024;
constexpr std::size_t kPiece = 1024 * 1024;
constexpr char kPrivateKind = 2;
constexpr char kPublicKind = 1;
constexpr char kPackedFlag = 0x10;

// Lengths and sizes are little-endian: 8 bytes in an entry's header, 4 before a packed block.
template <typename Unsigned>
std::string encode_le(Unsigned value) {
  std::string out;
  for (std::size_t i = 0; i < sizeof(Unsigned); ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  return out;
}
template <typename Unsigned>
Unsigned decode_le(const std::string& b) {
  Unsigned value = 0;
  for (std::size_t i = sizeof(Unsigned); i-- > 0;)
    value = static_cast<Unsigned>((value << 8) | static_cast<unsigned char>(b[i]));
  return value;
}

[[noreturn]] void damaged(const std::string& why) {
  throw Error(ErrorKind::invalid_input, "backup_damaged", "The backup is damaged: " + why + ".");
}

struct OpenFile {
  int fd;
  ~OpenFile() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

void require_safe_entry_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName || name.front() == '/' || name.back() == '/')
    damaged("an entry has an unusable name");
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-' && c != '/')
      damaged("an entry's name has a character a file name may not have");
  std::size_t start = 0;
  while (start <= name.size()) {
    const auto end = std::min(name.find('/', start), name.size());
    const auto part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") damaged("an entry's name leaves its folder");
    start = end + 1;
  }
}

void ArchiveWriter::header(const std::string& name, std::uint64_t size, bool private_file, Packing packing) {
  require_safe_entry_name(name);
  std::string h;
  h.push_back(static_cast<char>((private_file ? kPrivateKind : kPublicKind) | (packing == Packing::zstd ? kPackedFlag : 0)));
  h += encode_le<std::uint64_t>(name.size());
  h += name;
  h += encode_le<std::uint64_t>(size);
  sealed_.write(h);
}

void ArchiveWriter::add(const std::string& name, std::string_view content, bool private_file) {
  header(name, content.size(), private_file, Packing::stored);
  sealed_.write(content);
}

void ArchiveWriter::add_file(const std::string& name, const std::filesystem::path& file, bool private_file,
                             Packing packing) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::unavailable, "backup_read", "Cannot read " + file.string() + " for the backup.");
  const auto size = std::filesystem::file_size(file);
  header(name, size, private_file, packing);
  std::optional<Compressor> compressor;
  if (packing == Packing::zstd)
    compressor.emplace([this](std::string_view block) {
      sealed_.write(encode_le<std::uint32_t>(static_cast<std::uint32_t>(block.size())));
      sealed_.write(block);
    });
  std::string piece(kPiece, '\0');
  std::uint64_t left = size;
  while (left > 0) {
    const auto take = static_cast<std::streamsize>(std::min<std::uint64_t>(left, kPiece));
    in.read(piece.data(), take);
    if (in.gcount() != take) throw Error(ErrorKind::unavailable, "backup_read", file.string() + " changed while it was read.");
    const std::string_view bytes(piece.data(), static_cast<std::size_t>(take));
    if (compressor)
      compressor->write(bytes);
    else
      sealed_.write(bytes);
    left -= static_cast<std::uint64_t>(take);
  }
  if (compressor) {
    compressor->finish();
    sealed_.write(encode_le<std::uint32_t>(0));
  }
}

void ArchiveWriter::finish() {
  sealed_.write(std::string(1, '\0'));
  sealed_.finish();
}

std::optional<ArchiveEntry> ArchiveReader::next() {
  const auto kind = sealed_.read(1);
  if (kind[0] == 0) {
    if (!sealed_.at_end()) damaged("something follows its end");
    return std::nullopt;
  }
  const char base = static_cast<char>(kind[0] & ~kPackedFlag);
  if (base != kPublicKind && base != kPrivateKind) damaged("an entry has an unknown kind");
  ArchiveEntry entry;
  entry.private_file = base == kPrivateKind;
  entry.packed = (kind[0] & kPackedFlag) != 0;
  const auto name_size = decode_le<std::uint64_t>(sealed_.read(8));
  if (name_size == 0 || name_size > kMaxName) damaged("an entry's name is too long");
  entry.name = sealed_.read(static_cast<std::size_t>(name_size));
  require_safe_entry_name(entry.name);
  entry.size = decode_le<std::uint64_t>(sealed_.read(8));
  return entry;
}

void ArchiveReader::read_body(const ArchiveEntry& entry, const std::function<void(std::string_view)>& sink) {
  if (!entry.packed) {
    for (std::uint64_t left = entry.size; left > 0;) {
      const auto piece = sealed_.read(static_cast<std::size_t>(std::min<std::uint64_t>(left, kPiece)));
      sink(piece);
      left -= piece.size();
    }
    return;
  }
  Decompressor decompressor(entry.size, sink);
  for (;;) {
    const auto length = decode_le<std::uint32_t>(sealed_.read(4));
    if (length == 0) break;
    if (length > kMaxPackedBlock) damaged(entry.name + " has a compressed block larger than any writer makes");
    decompressor.feed(sealed_.read(length));
  }
  decompressor.finish();
}

std::string ArchiveReader::read_content(const ArchiveEntry& entry) {
  if (entry.size > kMaxInMemory) damaged(entry.name + " is too large");
  std::string content;
  read_body(entry, [&](std::string_view piece) { content += piece; });
  return content;
}

void ArchiveReader::extract(const ArchiveEntry& entry, const std::filesystem::path& file) {
  std::filesystem::create_directories(file.parent_path());
  const OpenFile out{::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, entry.private_file ? 0600 : 0644)};
  const int fd = out.fd;
  if (fd < 0) damaged(entry.name + " appears twice or cannot be created");
  const auto cannot_write = [&] {
    return Error(ErrorKind::unavailable, "restore_write", "Cannot write " + file.string() + ".");
  };
  // A full disk stops the restore at once, not after unpacking the rest for nothing.
  read_body(entry, [&](std::string_view piece) {
    for (std::size_t done = 0; done < piece.size();) {
      const auto n = ::write(fd, piece.data() + done, piece.size() - done);
      if (n <= 0) throw cannot_write();
      done += static_cast<std::size_t>(n);
    }
  });
  if (::fsync(fd) != 0) throw cannot_write();
}

}  // namespace lontar::operations
