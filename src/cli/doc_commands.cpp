#include <iostream>

#include "app/data_dir.h"
#include "app/document_signing.h"
#include "app/instance.h"
#include "cli/commands.h"
#include "core/error.h"

namespace lontar::cli {

namespace {
struct DocumentOptions {
  std::filesystem::path data;
  CaKeyOption ca;
  std::filesystem::path in, out;
  int page = 0;
  std::string reason;
  bool no_stamp = false;
};

// What every signing command shares: the data folder, the files, the stamp.
void add_document_options(CLI::App& command, DocumentOptions& o) {
  command.add_option("--data", o.data, "Data folder")->required();
  command.add_option("--in", o.in, "The PDF to sign")->required();
  command.add_option("--out", o.out, "Where to write the signed PDF")->required();
  command.add_option("--page", o.page, "Page for the stamp (1-based; default: the last page)");
  command.add_option("--reason", o.reason, "Reason written into the signature");
  command.add_flag("--no-stamp", o.no_stamp, "An invisible signature (no box on the page)");
  o.ca.add_to(command);
}

std::unique_ptr<Instance> open_for_signing(const DocumentOptions& o) {
  OpenOptions open;
  open.load_ca_key = true;  // the timestamp authority and the OCSP responder sign for the document
  open.ca_passphrase_file = o.ca.passphrase_file;
  return Instance::open(o.data, open);
}

SignDocumentCommand command_from(const DocumentOptions& o) {
  SignDocumentCommand command;
  command.pdf = read_file(o.in);
  command.page = o.page;
  command.reason = o.reason;
  command.visible_stamp = !o.no_stamp;
  command.actor = cli_actor();
  return command;
}

void report(const DocumentOptions& o, const SignedDocumentResult& result) {
  write_file(o.out, result.pdf, false);
  std::cout << "signed by " << result.record.signer_name << "; verify at " << result.verification_url << std::endl;
}
}  // namespace

void add_doc_commands(CLI::App& app) {
  auto* docs = app.add_subcommand("doc", "Sign documents");
  docs->require_subcommand(1);

  struct SignOptions : DocumentOptions {
    std::filesystem::path key, certificate, key_passphrase_file;
  };
  auto s = std::make_shared<SignOptions>();
  auto* sign = docs->add_subcommand(
      "sign", "Sign a PDF (PAdES B-LT with a visible QR stamp) with a key file and its certificate from this CA");
  add_document_options(*sign, *s);
  sign->add_option("--key", s->key, "The signer's private key (encrypted PKCS#8 PEM)")->required();
  sign->add_option("--cert", s->certificate, "The signer's certificate (PEM)")->required();
  sign->add_option("--key-passphrase-file", s->key_passphrase_file, "File holding the key's passphrase")->required();
  sign->callback([s] {
    auto instance = open_for_signing(*s);
    const auto key = crypto::PrivateKey::from_encrypted_pem(read_file(s->key), read_secret_file(s->key_passphrase_file));
    auto command = command_from(*s);
    command.certificate_pem = read_file(s->certificate);
    report(*s, sign_document(*instance, key, command));
  });

  struct SealOptions : DocumentOptions {
    std::string nik;
    std::filesystem::path passphrase_file;
  };
  auto o = std::make_shared<SealOptions>();
  auto* seal = docs->add_subcommand(
      "seal", "Seal a PDF with the organisation unit's eSign seal (issued after two verifiers approved it), opened "
              "with its holder's passphrase");
  add_document_options(*seal, *o);
  seal->add_option("--nik", o->nik, "NIK of the seal's holder (the person the unit authorised)")->required();
  seal->add_option("--passphrase-file", o->passphrase_file, "File holding the seal's eSign passphrase")->required();
  seal->callback([o] {
    auto instance = open_for_signing(*o);
    std::optional<Account> holder;
    instance->store().read([&](StoreTransaction& tx) { holder = tx.accounts().find_by_nik(o->nik); });
    if (!holder) throw Error(ErrorKind::not_found, "unknown_account", "No account has NIK " + o->nik + ".");
    report(*o, sign_with_esign(*instance, *holder, read_secret_file(o->passphrase_file), command_from(*o),
                               CertificateType::seal));
  });
}

}  // namespace lontar::cli
