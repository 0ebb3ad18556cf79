#pragma once

#include <soci/soci.h>

#include "storage/engine.h"

namespace lontar::storage {

// Applies every migration newer than the database's version, each in its own
// transaction, holding a lock so concurrent servers do not race.
void migrate(soci::session& sql, Engine engine);
int schema_version(soci::session& sql);

}  // namespace lontar::storage
