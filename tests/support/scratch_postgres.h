#pragma once

#include <string>

namespace lontar::testing {

// A database of its own on the test cluster (LONTAR_TEST_PG_URL), created for one
// test and dropped after it, so PostgreSQL tests can run in parallel.
class ScratchPostgres final {
 public:
  ScratchPostgres();  // throws std::runtime_error when LONTAR_TEST_PG_URL is not set
  ~ScratchPostgres();
  ScratchPostgres(const ScratchPostgres&) = delete;
  ScratchPostgres& operator=(const ScratchPostgres&) = delete;
  const std::string& url() const { return url_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace lontar::testing
