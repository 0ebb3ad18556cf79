#include <iostream>

#include "app/data_dir.h"
#include "app/document_signing.h"
#include "app/instance.h"
#include "cli/commands.h"
#include "core/error.h"

namespace lontar::cli {

void add_doc_commands(CLI::App& app) {
  auto* docs = app.add_subcommand("doc", "Sign documents");
  docs->require_subcommand(1);
  struct Options {
    std::filesystem::path data;
    CaKeyOption ca;
    std::filesystem::path in, out, key, certificate, key_passphrase_file;
    int page = 0;
    std::string reason;
  };
  auto o = std::make_shared<Options>();
  auto* command = docs->add_subcommand(
      "sign", "Sign a PDF (PAdES B-T with a visible QR stamp) with a key and its certificate from this CA, e.g. the "
              "organisation's seal");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--in", o->in, "The PDF to sign")->required();
  command->add_option("--out", o->out, "Where to write the signed PDF")->required();
  command->add_option("--key", o->key, "The signer's private key (encrypted PKCS#8 PEM)")->required();
  command->add_option("--cert", o->certificate, "The signer's certificate (PEM)")->required();
  command->add_option("--key-passphrase-file", o->key_passphrase_file, "File holding the key's passphrase")->required();
  command->add_option("--page", o->page, "Page for the stamp (1-based; default: the last page)");
  command->add_option("--reason", o->reason, "Reason written into the signature");
  o->ca.add_to(*command);
  command->callback([o] {
    OpenOptions open;
    open.load_ca_key = true;  // the timestamp authority signs the signature's timestamp
    open.ca_passphrase_file = o->ca.passphrase_file;
    auto instance = Instance::open(o->data, open);
    auto passphrase = read_file(o->key_passphrase_file);
    while (!passphrase.empty() && (passphrase.back() == '\n' || passphrase.back() == '\r')) passphrase.pop_back();
    const auto key = crypto::PrivateKey::from_encrypted_pem(read_file(o->key), passphrase);
    SignDocumentCommand command;
    command.pdf = read_file(o->in);
    command.certificate_pem = read_file(o->certificate);
    command.page = o->page;
    command.reason = o->reason;
    command.actor = cli_actor();
    const auto result = sign_document(*instance, key, command);
    write_file(o->out, result.pdf, false);
    std::cout << "signed by " << result.record.signer_name << "; verify at " << result.verification_url << std::endl;
  });
}

}  // namespace lontar::cli
