#include "support/scratch_postgres.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "storage/engine.h"

namespace lontar::testing {

ScratchPostgres::ScratchPostgres() {
  const char* base = std::getenv("LONTAR_TEST_PG_URL");
  if (!base || !*base)
    throw std::runtime_error("LONTAR_TEST_PG_URL is not set: run the tests through scripts/test.sh");
  admin_url_ = base;
  static std::atomic<int> counter{0};
  std::random_device random;
  name_ = "lontar_t" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(random() % 100000);
  soci::session admin(soci::postgresql, storage::DatabaseUrl::parse(admin_url_, ".").connect);
  admin << "CREATE DATABASE " + name_;
  url_ = admin_url_.substr(0, admin_url_.rfind('/') + 1) + name_;
}

ScratchPostgres::~ScratchPostgres() {
  try {
    soci::session admin(soci::postgresql, storage::DatabaseUrl::parse(admin_url_, ".").connect);
    admin << "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
  } catch (...) {
  }
}

}  // namespace lontar::testing
