#include "cli/cli.h"

#include <pwd.h>
#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "core/error.h"

namespace lontar::cli {

std::string cli_actor() {
  const passwd* user = ::getpwuid(::geteuid());
  return std::string("cli:") + (user ? user->pw_name : std::to_string(::geteuid()));
}

void CaKeyOption::add_to(CLI::App& command) {
  command.add_option("--ca-passphrase-file", passphrase_file,
                     "File holding the CA key passphrase (default: $LONTAR_CA_PASSPHRASE_FILE, then the demo file)");
}

int run(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("lontar"));
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=warn silences the access log
  CLI::App app{"Lontar: electronic certificates for an institution, from request to revocation."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("lontar ") + LONTAR_VERSION);
  add_init_command(app);
  add_serve_command(app);
  add_user_commands(app);
  add_cert_commands(app);
  add_audit_commands(app);
  add_doc_commands(app);
  add_preview_command(app);
  add_ra_commands(app);
  add_backup_commands(app);
  try {
    app.parse(argc, argv);
    return 0;
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << " (see --help)\n";
    return 1;
  } catch (const Error& e) {
    if (e.is_user_error()) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
    std::cerr << "internal error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace lontar::cli
