#pragma once

#include <filesystem>
#include <string>

namespace lontar::storage {

enum class Engine { sqlite, postgresql };

struct DatabaseUrl {
  Engine engine = Engine::sqlite;
  std::string connect;  // SOCI connection string
  std::string display;  // safe to print: no password
  std::filesystem::path file;  // SQLite: the database file
  std::string url;             // as configured (PostgreSQL: for pg_dump; may hold a password)

  // "sqlite:PATH" (relative to base_dir) or "postgresql://…"; throws Error(invalid_input).
  static DatabaseUrl parse(const std::string& url, const std::filesystem::path& base_dir);
};

}  // namespace lontar::storage
