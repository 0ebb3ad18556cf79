#pragma once

#include <soci/soci.h>

#include <limits>

#include "storage/engine.h"

namespace lontar::storage {

// Applies every migration newer than the database's version (up to `up_to`: tests
// build an older schema), each in its own transaction, holding a lock so concurrent
// servers do not race.
void migrate(soci::session& sql, Engine engine, int up_to = std::numeric_limits<int>::max());
int schema_version(soci::session& sql);

}  // namespace lontar::storage
