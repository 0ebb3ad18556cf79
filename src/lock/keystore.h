#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace lontar::lock {

// What the tool remembers about one enrolment (request.json beside the key).
struct Enrolment {
  std::int64_t request_id = 0;
  std::string server;       // origin, e.g. https://ams.example.ac.id:443
  std::string token;        // the CSR token: after submission it only reads status
  std::string product;
  std::string product_name;
  std::string applicant;
  std::string state;        // last state seen
  std::string key_algorithm;
  // How the server was trusted at enrolment, reused by the later commands.
  std::string ca_file;
  bool insecure_http = false;
};

// The applicant's keystore: one folder per request under the user's data directory,
// every file mode 0600 and the folder 0700. A new enrolment is written into a hidden
// staging folder and renamed into place only when it is complete, so an interrupted
// or refused enrolment leaves nothing behind.
class Keystore final {
 public:
  explicit Keystore(std::filesystem::path root);
  // $LONTAR_LOCK_HOME, else $XDG_DATA_HOME/lontar-lock, else ~/.local/share/lontar-lock.
  static std::filesystem::path default_root();

  struct Staging {
    std::filesystem::path dir;
    ~Staging();  // removes the folder unless committed
    bool committed = false;
  };
  std::unique_ptr<Staging> stage() const;
  // Moves the staging folder to its final name (the request id) and records it.
  std::filesystem::path commit(Staging& staging, const Enrolment& enrolment) const;

  std::vector<Enrolment> list() const;
  Enrolment load(std::int64_t request_id) const;
  std::filesystem::path folder(std::int64_t request_id) const;
  void save(const Enrolment& enrolment) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// Writes `content` to `file` atomically (temporary file, fsync, rename), mode 0600.
void write_private_file(const std::filesystem::path& file, const std::string& content);
std::string read_text_file(const std::filesystem::path& file);

}  // namespace lontar::lock
