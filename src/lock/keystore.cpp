#include "lock/keystore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include <sodium.h>

namespace lontar::lock {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
void write_all(int fd, const std::string& content, const fs::path& file) {
  std::size_t done = 0;
  while (done < content.size()) {
    const auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) throw std::runtime_error("cannot write " + file.string());
    done += static_cast<std::size_t>(n);
  }
}

json to_json(const Enrolment& e) {
  return {{"request_id", e.request_id}, {"server", e.server},   {"token", e.token},
          {"product", e.product},       {"product_name", e.product_name}, {"applicant", e.applicant},
          {"state", e.state},           {"key_algorithm", e.key_algorithm},
          {"ca_file", e.ca_file},       {"insecure_http", e.insecure_http}};
}

Enrolment from_json(const json& j) {
  Enrolment e;
  e.request_id = j.value("request_id", std::int64_t{0});
  e.server = j.value("server", "");
  e.token = j.value("token", "");
  e.product = j.value("product", "");
  e.product_name = j.value("product_name", "");
  e.applicant = j.value("applicant", "");
  e.state = j.value("state", "");
  e.key_algorithm = j.value("key_algorithm", "");
  e.ca_file = j.value("ca_file", "");
  e.insecure_http = j.value("insecure_http", false);
  return e;
}
}  // namespace

void write_private_file(const fs::path& file, const std::string& content) {
  std::error_code ignored;
  const auto existing = fs::status(file, ignored);
  if (fs::exists(existing) && !fs::is_regular_file(existing)) {
    // A device or pipe (/dev/stdout): written in place, never replaced by a rename.
    const int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot write " + file.string());
    try {
      write_all(fd, content, file);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    return;
  }
  const auto temporary = file.parent_path() / ("." + file.filename().string() + ".tmp");
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + temporary.string());
  try {
    write_all(fd, content, temporary);
    if (::fsync(fd) != 0) throw std::runtime_error("cannot write " + temporary.string());
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), file.c_str()) != 0) {
    ::unlink(temporary.c_str());
    throw std::runtime_error("cannot write " + file.string());
  }
}

std::string read_text_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

Keystore::Keystore(fs::path root) : root_(std::move(root)) {
  fs::create_directories(root_);
  fs::permissions(root_, fs::perms::owner_all, fs::perm_options::replace);
}

fs::path Keystore::default_root() {
  if (const char* home = std::getenv("LONTAR_LOCK_HOME"); home && *home) return home;
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "lontar-lock";
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : ".") / ".local" / "share" / "lontar-lock";
}

Keystore::Staging::~Staging() {
  if (!committed) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
}

std::unique_ptr<Keystore::Staging> Keystore::stage() const {
  auto staging = std::make_unique<Staging>();
  char suffix[17];
  for (auto& c : suffix) c = "0123456789abcdef"[randombytes_uniform(16)];
  suffix[16] = '\0';
  staging->dir = root_ / (std::string(".staging-") + suffix);
  fs::create_directory(staging->dir);
  fs::permissions(staging->dir, fs::perms::owner_all, fs::perm_options::replace);
  return staging;
}

fs::path Keystore::folder(std::int64_t request_id) const { return root_ / ("request-" + std::to_string(request_id)); }

fs::path Keystore::commit(Staging& staging, const Enrolment& enrolment) const {
  write_private_file(staging.dir / "request.json", to_json(enrolment).dump(2) + "\n");
  const auto target = folder(enrolment.request_id);
  if (fs::exists(target)) throw std::runtime_error("the keystore already holds request " + std::to_string(enrolment.request_id));
  fs::rename(staging.dir, target);
  staging.committed = true;
  return target;
}

void Keystore::save(const Enrolment& enrolment) const {
  write_private_file(folder(enrolment.request_id) / "request.json", to_json(enrolment).dump(2) + "\n");
}

std::vector<Enrolment> Keystore::list() const {
  std::vector<Enrolment> out;
  for (const auto& entry : fs::directory_iterator(root_)) {
    const auto name = entry.path().filename().string();
    if (!entry.is_directory() || name.rfind("request-", 0) != 0) continue;
    try {
      out.push_back(from_json(json::parse(read_text_file(entry.path() / "request.json"))));
    } catch (const std::exception&) {
      // A damaged entry is skipped, not fatal for listing the others.
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.request_id < b.request_id; });
  return out;
}

Enrolment Keystore::load(std::int64_t request_id) const {
  const auto file = folder(request_id) / "request.json";
  if (!fs::exists(file)) throw std::runtime_error("no request " + std::to_string(request_id) + " in the keystore");
  return from_json(json::parse(read_text_file(file)));
}

}  // namespace lontar::lock
