#include "storage/postgres_tools.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include <soci/soci.h>

#include "core/error.h"

extern char** environ;

namespace lontar::storage {

namespace {
// The caller's environment without any PG* variable, then the URL's settings under
// the variables libpq reads (each option names its own).
std::vector<std::string> child_environment(const DatabaseUrl& url) {
  std::vector<std::string> out;
  for (char** variable = environ; *variable; ++variable)
    if (std::string_view(*variable).substr(0, 2) != "PG") out.emplace_back(*variable);
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(url.url.c_str(), &error),
                                                                       &PQconninfoFree);
  if (!options) {
    PQfreemem(error);
    throw Error(ErrorKind::invalid_input, "bad_db_url", "The PostgreSQL URL is not valid.");
  }
  for (auto* option = options.get(); option->keyword; ++option)
    if (option->val && option->envvar) out.push_back(std::string(option->envvar) + "=" + option->val);
  return out;
}

std::string last_lines(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line, out;
  while (std::getline(in, line))
    if (!line.empty()) out = line;  // the last word is the one that explains
  return out.empty() ? "no message" : out;
}

struct TemporaryFile {
  std::filesystem::path path;
  TemporaryFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "lontar-pgtool-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw Error(ErrorKind::unavailable, "pg_tool_scratch", "Cannot create a temporary file.");
    ::close(fd);
    path = pattern;
  }
  ~TemporaryFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};
}  // namespace

void run_postgres_tool(const std::string& program, const DatabaseUrl& url, const std::vector<std::string>& arguments) {
  const auto environment = child_environment(url);
  std::vector<char*> envp;
  for (const auto& variable : environment) envp.push_back(const_cast<char*>(variable.c_str()));
  envp.push_back(nullptr);
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);

  TemporaryFile errors;
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors.path.c_str(), O_WRONLY | O_TRUNC, 0);
  pid_t child = 0;
  const int spawned = ::posix_spawnp(&child, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0)
    throw Error(ErrorKind::unavailable, "pg_tool_missing",
                "Could not run " + program + ": install PostgreSQL's client tools (postgresql-client).");
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(ErrorKind::unavailable, "pg_tool_failed", program + " failed: " + last_lines(errors.path));
}

bool postgres_database_is_empty(const DatabaseUrl& url) {
  soci::session sql("postgresql", url.connect);
  soci::indicator missing = soci::i_ok;
  std::string found;
  sql << "SELECT to_regclass('schema_migrations')::text", soci::into(found, missing);
  return missing == soci::i_null;
}

}  // namespace lontar::storage
