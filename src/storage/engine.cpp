#include "storage/engine.h"

#include <libpq-fe.h>

#include <memory>

#include "core/error.h"

namespace lontar::storage {

namespace {
// SOCI's PostgreSQL back end takes a keyword=value string, not a URI: libpq parses
// the URI and the pieces are re-quoted (single quotes, backslash escapes).
std::string conninfo_from_uri(const std::string& uri) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(uri.c_str(), &error),
                                                                       &PQconninfoFree);
  if (!options) {
    std::string reason = error ? error : "unparsable";
    PQfreemem(error);
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    throw Error(ErrorKind::invalid_input, "bad_db_url", "The PostgreSQL URL is not valid: " + reason);
  }
  std::string out;
  for (auto* option = options.get(); option->keyword; ++option) {
    if (!option->val) continue;
    std::string value;
    for (const char* c = option->val; *c; ++c) {
      if (*c == '\'' || *c == '\\') value += '\\';
      value += *c;
    }
    if (!out.empty()) out += ' ';
    out.append(option->keyword).append("='").append(value).append("'");
  }
  return out;
}
}  // namespace

DatabaseUrl DatabaseUrl::parse(const std::string& url, const std::filesystem::path& base_dir) {
  DatabaseUrl out;
  if (url.starts_with("sqlite:")) {
    std::filesystem::path path = url.substr(7);
    if (path.empty()) throw Error(ErrorKind::invalid_input, "bad_db_url", "The database URL 'sqlite:' names no file.");
    if (path.is_relative()) path = base_dir / path;
    if (path.string().find_first_of(" \"'") != std::string::npos)
      throw Error(ErrorKind::invalid_input, "bad_db_url",
                  "The SQLite path must not contain spaces or quotes: " + path.string());
    out.engine = Engine::sqlite;
    out.connect = "db=" + path.string() + " timeout=30";
    out.display = "sqlite:" + path.string();
    out.file = path;
    return out;
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    out.engine = Engine::postgresql;
    out.connect = conninfo_from_uri(url);
    out.url = url;
    // Hide a password in user:password@host.
    const auto scheme_end = url.find("://") + 3;
    const auto at = url.find('@', scheme_end);
    const auto colon = url.find(':', scheme_end);
    out.display = (at != std::string::npos && colon != std::string::npos && colon < at)
                      ? url.substr(0, colon + 1) + "***" + url.substr(at)
                      : url;
    return out;
  }
  throw Error(ErrorKind::invalid_input, "bad_db_url",
              "The database URL must be 'sqlite:PATH' or 'postgresql://user@host:port/dbname' (got '" +
                  url.substr(0, 40) + "').");
}

}  // namespace lontar::storage
