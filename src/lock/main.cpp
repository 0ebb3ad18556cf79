// lontar-lock: the applicant's LOCK application. See lock_tool.h.
#include <CLI/CLI.hpp>
#include <iostream>

#include "core/error.h"
#include "lock/lock_tool.h"
#include "lock/terminal.h"

namespace {
int refuse_token_in_argv(const std::string& lang) {
  std::cerr << (lang == "en" ? "lontar-lock: --token is not accepted: other users of this computer could read it in the "
                               "process list. Use --token-file FILE (or - for standard input), or type it when asked.\n"
                             : "lontar-lock: --token tidak diterima: pengguna lain komputer ini dapat membacanya di "
                               "daftar proses. Gunakan --token-file BERKAS (atau - untuk masukan standar), atau ketik "
                               "saat diminta.\n");
  return 2;
}

CLI::App* add_sign_command(CLI::App& app, lontar::lock::Options& options) {
  auto* sign = app.add_subcommand("sign", "Sign a PDF with your key (PAdES with a QR stamp) and register it for verification");
  sign->add_option("--in", options.in, "The PDF to sign")->required();
  sign->add_option("--out", options.out, "Where to write the signed PDF")->required();
  sign->add_option("--page", options.page, "Page for the stamp (1-based; default: the last page)");
  sign->add_option("--reason", options.reason, "Reason written into the signature");
  sign->add_flag("--no-stamp", options.no_stamp, "An invisible signature (no box on the page)");
  sign->add_option("--position", options.position, "Corner for the stamp: bottom-left (default), bottom-right, top-left, top-right")
      ->check(CLI::IsMember({"bottom-left", "bottom-right", "top-left", "top-right"}));
  sign->add_option("--title", options.title, "Title shown on the verification page (default: the PDF's own title)");
  sign->add_option("--visibility", options.visibility,
                   "What holders of the QR code see: full (every page and the file) or summary (the first page)")
      ->check(CLI::IsMember({"full", "summary"}));
  sign->add_option("--passphrase-file", options.passphrase_file, "Read the passphrase from this file");
  return sign;
}
}  // namespace

int main(int argc, char** argv) {
  using namespace lontar::lock;
  Options options;
  CLI::App app{"lontar-lock — make your signing key on this computer and request its certificate (LOCK method)"};
  app.fallthrough();  // global options may also follow the command
  app.add_option("--lang", options.lang, "Language of the messages: id (default) or en");
  app.add_option("--keystore", options.keystore, "Keystore folder (default: ~/.local/share/lontar-lock)");
  app.add_option("--ca-file", options.ca_file, "Trust this CA certificate (PEM) for the server instead of the system store");
  app.add_flag("--insecure-http", options.insecure_http, "Allow a plain http:// server (local tests only)");

  auto* enroll = app.add_subcommand("enroll", "Redeem a CSR token, make the key, submit the CSR with the letter");
  enroll->add_option("--server", options.server, "The portal, e.g. https://ams.university.ac.id")->required();
  enroll->add_option("--token-file", options.token_file,
                     "A file holding the CSR token ('-': standard input); without it, it is asked for");
  // Kept only to say why it is gone: on the command line the token shows in the process
  // list to every user of the computer.
  std::string token_in_argv;
  enroll->add_option("--token", token_in_argv)->group("");
  enroll->add_option("--letter", options.letter, "The recommendation letter (PDF)")->required();
  enroll->add_option("--passphrase-file", options.passphrase_file,
                     "Read the passphrase from this file (for scripts; never give it on the command line)");
  enroll->add_flag("--yes", options.yes, "Do not ask for confirmation");

  auto* status = app.add_subcommand("status", "Show the request's state");
  auto* wait = app.add_subcommand("wait", "Wait for the verifier's decision");
  wait->add_option("--timeout", options.timeout_seconds, "Give up after this many seconds (default 3600)");
  wait->add_option("--interval", options.interval_seconds, "First polling interval in seconds (default 2)");
  auto* fetch = app.add_subcommand("fetch", "Download the issued certificate and check it against the local key");
  auto* exporter = app.add_subcommand("export", "Write a PKCS#12 file with the key, certificate and chain");
  exporter->add_option("--p12", options.p12, "The file to write")->required();
  exporter->add_option("--passphrase-file", options.passphrase_file, "Read the passphrase from this file");
  auto* list = app.add_subcommand("list", "List the keys and certificates in the keystore");
  auto* sign = add_sign_command(app, options);
  auto* renew = app.add_subcommand(
      "renew", "Renew your certificate over CMP: a new key made here, the request signed with the current key");
  renew->add_option("--passphrase-file", options.passphrase_file, "Read the passphrase from this file");
  renew->add_option("--timeout", options.timeout_seconds, "Give up waiting after this many seconds (default 3600)");
  for (auto* command : {status, wait, fetch, exporter, sign, renew})
    command->add_option("--request", options.request_id, "The request number (when there are several)");
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (!token_in_argv.empty()) return refuse_token_in_argv(options.lang);
  try {
    LockTool tool(options);
    if (enroll->parsed()) return tool.enroll();
    if (status->parsed()) return tool.status();
    if (wait->parsed()) return tool.wait();
    if (fetch->parsed()) return tool.fetch();
    if (exporter->parsed()) return tool.export_p12();
    if (list->parsed()) return tool.list();
    if (sign->parsed()) return tool.sign();
    if (renew->parsed()) return tool.renew();
    if (stdin_is_terminal()) return tool.interactive();
    std::cerr << app.help() << std::endl;
    return 2;
  } catch (const Failure& f) {
    std::cerr << f.what() << std::endl;
    return f.code;
  } catch (const lontar::Error& e) {
    std::cerr << e.what() << std::endl;
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "lontar-lock: " << e.what() << std::endl;
    return 1;
  }
}
