#include "instance/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/error.h"

namespace lontar {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) throw Error(ErrorKind::invalid_input, "unreadable_file", "Cannot read " + file.string() + ".");
  const auto size = in.tellg();
  std::string out;
  if (size > 0) {
    out.resize(static_cast<std::size_t>(size));
    in.seekg(0);
    in.read(out.data(), size);
    out.resize(static_cast<std::size_t>(in.gcount()));
  } else {
    // Not a regular file (a pipe or /dev/stdin): read to the end.
    in.clear();
    in.seekg(0);
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return out;
}

std::string read_secret_file(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (text.ends_with("\r\n")) text.resize(text.size() - 2);
  else if (text.ends_with('\n')) text.pop_back();
  if (text.empty()) throw Error(ErrorKind::invalid_input, "empty_secret", file.string() + " is empty.");
  return text;
}

namespace {
// /dev/null, /dev/stdout, a pipe: written in place. Renaming a temporary file over them
// would replace a device with a regular file.
void write_special(const std::filesystem::path& file, const std::string& content) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    throw Error(ErrorKind::invalid_input, "unwritable_file", "Cannot write " + file.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < content.size()) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (written != content.size())
    throw Error(ErrorKind::internal, "write_failed", "Writing " + file.string() + " failed.");
}
}  // namespace

void write_file(const std::filesystem::path& file, const std::string& content, bool private_file) {
  std::error_code ignored;
  const auto existing = std::filesystem::status(file, ignored);
  if (std::filesystem::exists(existing) && !std::filesystem::is_regular_file(existing))
    return write_special(file, content);
  if (!file.parent_path().empty()) std::filesystem::create_directories(file.parent_path());
  const auto temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, private_file ? 0600 : 0644);
  if (fd < 0)
    throw Error(ErrorKind::invalid_input, "unwritable_file",
                "Cannot write " + file.string() + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < content.size()) {
    const auto n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      throw Error(ErrorKind::internal, "write_failed", "Writing " + file.string() + " failed.");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, private_file ? 0600 : 0644) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0)
    throw Error(ErrorKind::internal, "write_failed", "Writing " + file.string() + " failed.");
  std::filesystem::rename(temporary, file);
}

std::string resolve_ca_passphrase(const DataDir& dir, const std::optional<std::filesystem::path>& flag) {
  if (flag) return read_secret_file(*flag);
  if (const char* env = std::getenv("LONTAR_CA_PASSPHRASE_FILE"); env && *env) return read_secret_file(env);
  if (std::filesystem::exists(dir.demo_passphrase())) return read_secret_file(dir.demo_passphrase());
  throw Error(ErrorKind::invalid_input, "no_ca_passphrase",
              "The CA key is encrypted: give --ca-passphrase-file FILE or set LONTAR_CA_PASSPHRASE_FILE.");
}

}  // namespace lontar
