#include <iostream>
#include <set>
#include <vector>

#include "instance/data_dir.h"
#include "documents/signing.h"
#include "instance/instance.h"
#include "documents/offline_verification.h"
#include "core/encoding.h"
#include "cli/commands.h"
#include "core/error.h"

namespace lontar::cli {

namespace {
struct DocumentOptions {
  std::filesystem::path data;
  CaKeyOption ca;
  std::vector<std::filesystem::path> in;
  std::filesystem::path out, out_dir;
  int page = 0;
  std::string reason;
  bool no_stamp = false;
  std::string position;
  std::string title;
  std::string visibility;
};

// What every signing command shares: the data folder, the files, the stamp.
void add_document_options(CLI::App& command, DocumentOptions& o) {
  command.add_option("--data", o.data, "Data folder")->required();
  command.add_option("--in", o.in, "The PDF to sign; several for a batch (with --out-dir)")->required();
  auto* out = command.add_option("--out", o.out, "Where to write the signed PDF");
  command.add_option("--out-dir", o.out_dir, "Folder for the signed PDFs of a batch (same file names)")->excludes(out);
  command.add_option("--page", o.page, "Page for the stamp (1-based; default: the last page)");
  command.add_option("--reason", o.reason, "Reason written into the signature");
  command.add_flag("--no-stamp", o.no_stamp, "An invisible signature (no box on the page)");
  command.add_option("--title", o.title, "Title on the verification page (default: the PDF's /Title, else the file name)");
  command.add_option("--visibility", o.visibility, "What holders of the code see: full or summary (default: configuration)")
      ->check(CLI::IsMember({"full", "summary"}));
  command.add_option("--position", o.position, "Corner for the stamp: bottom-left (default), bottom-right, top-left, top-right")
      ->check(CLI::IsMember({"bottom-left", "bottom-right", "top-left", "top-right"}));
  o.ca.add_to(command);
}

std::unique_ptr<Instance> open_for_signing(const DocumentOptions& o) {
  OpenOptions open;
  open.load_ca_key = true;  // the timestamp authority and the OCSP responder sign for the document
  open.ca_passphrase_file = o.ca.passphrase_file;
  return Instance::open(o.data, open);
}

// Where each input goes: --out for one document, --out-dir (same file names) for many.
std::vector<std::filesystem::path> outputs_for(const DocumentOptions& o) {
  if (o.in.size() == 1 && !o.out.empty()) return {o.out};
  if (o.out_dir.empty())
    throw Error(ErrorKind::invalid_input, "out_required", "Give --out for one document or --out-dir for several.");
  std::vector<std::filesystem::path> out;
  std::set<std::filesystem::path> names;
  for (const auto& in : o.in) {
    if (!names.insert(in.filename()).second)
      throw Error(ErrorKind::invalid_input, "duplicate_name",
                  "Two inputs are named " + in.filename().string() + "; --out-dir would write one over the other.");
    out.push_back(o.out_dir / in.filename());
  }
  if (std::filesystem::exists(o.out_dir) && !std::filesystem::is_directory(o.out_dir))
    throw Error(ErrorKind::invalid_input, "not_a_folder", o.out_dir.string() + " is not a folder.");
  std::filesystem::create_directories(o.out_dir);
  return out;
}

// Signs every input with the same key, opened once: each document is signed,
// stamped, timestamped and registered on its own, and written as it is done.
void sign_all(Instance& instance, const DocumentOptions& o, const crypto::PrivateKey& key,
              const std::string& certificate_pem) {
  const auto outputs = outputs_for(o);
  for (std::size_t i = 0; i < o.in.size(); ++i) {
    SignDocumentCommand command;
    command.pdf = read_file(o.in[i]);
    command.certificate_pem = certificate_pem;
    command.page = o.page;
    command.reason = o.reason;
    command.visible_stamp = !o.no_stamp;
    command.position = parse_stamp_position(o.position).value_or(StampPosition::bottom_left);
    command.title = o.title;
    command.file_name = o.in[i].filename().string();
    command.visibility = parse_document_visibility(o.visibility);
    command.actor = cli_actor();
    const auto result = sign_document(instance, key, command);
    write_file(outputs[i], result.pdf, false);
    std::cout << outputs[i].string() << ": signed by " << result.record.signer_name << "; verify at "
              << result.verification_url << std::endl;
  }
}
}  // namespace

void add_doc_commands(CLI::App& app) {
  auto* docs = app.add_subcommand("doc", "Sign documents and verify them");
  docs->require_subcommand(1);

  struct VerifyOptions {
    std::filesystem::path in, trust;
  };
  auto v = std::make_shared<VerifyOptions>();
  auto* verify = docs->add_subcommand(
      "verify", "Verify a signed PDF offline: only the root CA certificate and what the document carries (no server, "
                "no database)");
  verify->add_option("--in", v->in, "The signed PDF")->required();
  verify->add_option("--trust", v->trust, "The root CA certificate to trust (PEM)")->required();
  verify->callback([v] {
    const auto report = verify_offline(read_file(v->in), read_file(v->trust));
    int number = 0;
    for (const auto& s : report.signatures) {
      const auto name = subject_attribute(s.signer_subject, "CN");
      std::cout << "signature " << ++number << ": " << (name.empty() ? "?" : name) << "\n"
                << "  timestamp: " << (s.timestamp ? format_utc(to_unix(*s.timestamp), "%Y-%m-%d %H:%M:%S UTC") : "none")
                << "\n  intact: " << (s.intact ? "yes" : "NO") << "\n  chain to the root at that time: "
                << (s.chain_valid ? "yes" : "NO") << "\n  signer (embedded OCSP): " << s.signer_status
                << "\n  timestamp authority (embedded OCSP): " << s.timestamp_authority_status
                << "\n  issuing CA (embedded CRL): " << s.issuer_status << "\n  => "
                << (s.valid() ? "valid" : "NOT VALID") << "\n";
    }
    if (report.refused)
      std::cout << "refused: " << report.problem << "\n";
    else if (!report.signatures.empty() && !report.covers_file)
      std::cout << "changed: " << report.problem << "\n";
    if (!report.valid())
      throw Error(ErrorKind::invalid_input, "not_valid_offline",
                  report.signatures.empty() ? "The document carries no signature."
                                            : "The document does not verify offline (see above).");
    std::cout << "all " << report.signatures.size() << " signature(s) valid offline" << std::endl;
  });

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
    sign_all(*instance, *s, key, read_file(s->certificate));
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
    const auto seal = open_esign_key(*instance, *holder, read_secret_file(o->passphrase_file), CertificateType::seal);
    sign_all(*instance, *o, seal.key, seal.certificate_pem);
  });
}

}  // namespace lontar::cli
