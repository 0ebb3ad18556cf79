// Fills an initialised data folder, through the storage layer's repositories, with a
// country's worth of holders: N certificates (two per person: last year's, expired,
// and this year's), R of this year's revoked, D registered documents, W requests
// waiting for a verifier, and the audit events the real paths write for them
// (certificate.issued, certificate.revoked, document.registered), hash-chained.
// It writes sample serials, NIKs and name parts to --samples for the benchmark's
// requests. Usage: scale_fill --data DIR --certificates N [--revoked R] [--documents D]
//                  [--waiting W] [--samples DIR] [--batch B]
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/document.h"
#include "instance/instance.h"

namespace {

using lontar::StoreTransaction;
using Clock = std::chrono::steady_clock;

struct Plan {
  std::filesystem::path data;
  std::filesystem::path samples;
  std::int64_t certificates = 10000;
  std::int64_t revoked = 1000;
  std::int64_t documents = 1000;
  std::int64_t waiting = 100;
  std::int64_t batch = 5000;  // people per transaction
};

// Deterministic, so two fills of one size hold the same people.
class Generator {
 public:
  explicit Generator(std::uint64_t seed) : engine_(seed) {}

  std::string hex(std::size_t bytes, bool positive_serial = false) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (std::size_t i = 0; i < bytes; ++i) {
      auto byte = static_cast<unsigned>(engine_() & 0xFF);
      if (i == 0 && positive_serial) byte = 0x10 + byte % 0x70;  // 20 bytes, positive, no leading zero
      out += kDigits[byte >> 4];
      out += kDigits[byte & 0xF];
    }
    return out;
  }

  // Balinese and Indonesian names: a birth-order prefix and two made-up words.
  std::string name() {
    static const std::array<const char*, 12> prefixes = {"I Made", "Ni Luh",  "I Gede", "Ni Komang", "I Wayan", "Ni Kadek",
                                                         "Putu",   "Nyoman", "Ketut",  "I Nengah",  "Ni Made", "Dewa Ayu"};
    return std::string(prefixes[engine_() % prefixes.size()]) + " " + word() + " " + word();
  }

  std::uint64_t next() { return engine_(); }

 private:
  std::string word() {
    static const std::array<const char*, 32> syllables = {"ba", "bu", "da", "di", "ga", "ju", "ka", "ke", "la", "lu", "ma",
                                                          "mi", "na", "ni", "nya", "pa", "pu", "ra", "ri", "sa", "se",
                                                          "su", "ta", "ti", "tu", "wa", "wi", "ya", "yu", "ar", "an",
                                                          "ing"};
    std::string w;
    const auto length = 2 + engine_() % 3;
    for (std::uint64_t i = 0; i < length; ++i) w += syllables[engine_() % syllables.size()];
    w[0] = static_cast<char>(w[0] - 'a' + 'A');
    return w;
  }
  std::mt19937_64 engine_;
};

struct Samples {
  std::ofstream serials, revoked, niks, names, documents;
  explicit Samples(const std::filesystem::path& dir)
      : serials(dir / "serials.txt"), revoked(dir / "revoked.txt"), niks(dir / "niks.txt"), names(dir / "names.txt"),
        documents(dir / "documents.txt") {}
};

class Filler {
 public:
  Filler(const Plan& plan, lontar::Instance& instance, std::string pem)
      : plan_(plan), instance_(instance), pem_(std::move(pem)), samples_(plan.samples) {}

  void run() {
    const std::int64_t people = plan_.certificates / 2;
    const auto start = Clock::now();
    for (std::int64_t first = 0; first < people; first += plan_.batch) {
      const auto last = std::min(people, first + plan_.batch);
      instance_.store().write([&](StoreTransaction& tx) {
        for (auto person = first; person < last; ++person) add_person(tx, person, people);
      });
      report(last * 2, "certificates", start);
    }
    std::cerr << "\n";
  }

 private:
  void add_person(StoreTransaction& tx, std::int64_t person, std::int64_t people) {
    lontar::Account account;
    char nik[24];
    std::snprintf(nik, sizeof nik, "52%014lld", static_cast<long long>(person));
    account.nik = nik;
    account.name = generator_.name();
    account.email = "p" + std::to_string(person) + "@bench.example";
    account.organisation = "Universitas Pendidikan Ganesha";
    account.unit = "Unit " + std::to_string(person % 400);
    account.role = lontar::Role::applicant;
    account.created_at = kYearAgo;
    account.id = tx.accounts().insert(account);

    lontar::CertificateRequest request;
    request.account_id = account.id;
    request.product_id = "individual-1y";
    request.method = person % 2 ? lontar::Method::esign : lontar::Method::lock;
    request.kind = lontar::RequestKind::renewal;
    request.state = lontar::RequestState::issued;
    request.created_at = request.updated_at = request.submitted_at = kNow - 86400;
    request.id = tx.requests().insert(request);

    // Every `stride`-th person's current certificate is revoked, and so on.
    const bool revoked = stride(plan_.revoked, people, person);
    add_certificate(tx, account, request.id, kYearAgo - 86400, false);  // expired yesterday
    const auto current = add_certificate(tx, account, request.id, kNow - 86400, revoked);
    if (stride(plan_.documents, people, person)) add_documents(tx, account, current, plan_.documents / people + 1);
    if (stride(plan_.waiting, people, person)) add_waiting_request(tx, account.id);
    if (person % std::max<std::int64_t>(1, people / 2000) == 0) {
      samples_.niks << account.nik << '\n';
      samples_.names << account.name.substr(account.name.rfind(' ') + 1) << '\n';
      (revoked ? samples_.revoked : samples_.serials) << current << '\n';
    }
  }

  static bool stride(std::int64_t wanted, std::int64_t people, std::int64_t person) {
    if (wanted <= 0) return false;
    if (wanted >= people) return true;
    return person % (people / wanted) == 0 && person / (people / wanted) < wanted;
  }

  std::string add_certificate(StoreTransaction& tx, const lontar::Account& account, std::int64_t request_id,
                              std::int64_t issued_at, bool revoked) {
    lontar::CertificateRecord c;
    c.serial_hex = generator_.hex(20, true);
    c.account_id = account.id;
    c.request_id = request_id;
    c.product_id = "individual-1y";
    c.subject = "CN=" + account.name + ",serialNumber=" + account.nik + ",O=" + account.organisation + ",C=ID";
    c.key_description = "ECDSA P-256";
    c.key_sha256 = generator_.hex(32);
    c.not_before = issued_at;
    c.not_after = issued_at + 365 * 86400;
    c.issued_at = issued_at;
    c.pem = pem_;
    if (revoked) {
      c.status = lontar::CertificateStatus::revoked;
      c.revoked_at = kNow - 3600;
      c.revocation_reason = generator_.next() % 2 ? "keyCompromise" : "affiliationChanged";
    }
    tx.certificates().insert(c);
    const std::string object = "certificate:" + c.serial_hex;
    tx.audit().append({"nik:" + account.nik, "certificate.issued", object,
                       nlohmann::json{{"nik", account.nik}, {"product", c.product_id}, {"request", request_id},
                                      {"key", c.key_description}}
                           .dump()},
                      issued_at);
    if (revoked)
      tx.audit().append({"cli:operator", "certificate.revoked", object,
                         nlohmann::json{{"reason", c.revocation_reason}}.dump()},
                        c.revoked_at);
    return c.serial_hex;
  }

  void add_documents(StoreTransaction& tx, const lontar::Account& account, const std::string& serial, std::int64_t n) {
    for (std::int64_t i = 0; i < n && documents_ < plan_.documents; ++i, ++documents_) {
      lontar::SignedDocument d;
      d.id = lontar::new_document_code(instance_.random());
      d.sha256 = generator_.hex(32);
      d.signer_serial = serial;
      d.signer_name = account.name;
      d.signer_unit = account.unit;
      d.signed_at = kNow - 7200;
      d.title = "Surat Keterangan " + std::to_string(documents_);
      d.pages = 1;
      d.previews = 1;  // rendered: the preview job has nothing to do for made-up files
      tx.documents().insert(d);
      if (documents_ % std::max<std::int64_t>(1, plan_.documents / 2000) == 0) samples_.documents << d.id << '\n';
      tx.audit().append({"certificate:" + serial, "document.registered", "document:" + d.id,
                         nlohmann::json{{"sha256", d.sha256}}.dump()},
                        d.signed_at);
    }
  }

  void add_waiting_request(StoreTransaction& tx, std::int64_t account_id) {
    lontar::CertificateRequest r;
    r.account_id = account_id;
    r.product_id = "individual-1y";
    r.kind = lontar::RequestKind::renewal;
    r.state = lontar::RequestState::submitted;
    r.created_at = r.updated_at = r.submitted_at = kNow - static_cast<std::int64_t>(generator_.next() % 86400);
    tx.requests().insert(r);
  }

  static void report(std::int64_t done, const char* what, Clock::time_point start) {
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::cerr << "\r" << done << " " << what << " in " << static_cast<long>(seconds) << " s ("
              << static_cast<long>(done / std::max(seconds, 0.001)) << "/s)" << std::flush;
  }

  static inline const std::int64_t kNow =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  static inline const std::int64_t kYearAgo = kNow - 365 * 86400;

  const Plan& plan_;
  lontar::Instance& instance_;
  std::string pem_;
  Samples samples_;
  Generator generator_{20241204};
  std::int64_t documents_ = 0;
};

std::string first_certificate_pem(lontar::Instance& instance) {
  std::string pem;
  instance.store().read([&](StoreTransaction& tx) {
    const auto some = tx.certificates().list(1);
    if (!some.empty()) pem = some.front().pem;
  });
  return pem;
}

}  // namespace

int main(int argc, char** argv) {
  Plan plan;
  CLI::App app{"Fills a Lontar data folder with a country's worth of holders, for the scale benchmark"};
  app.add_option("--data", plan.data, "An initialised data folder holding one issued certificate")->required();
  app.add_option("--certificates", plan.certificates, "Certificates, two per person")->check(CLI::Range(2, 100000000));
  app.add_option("--revoked", plan.revoked, "Of which revoked (this year's)");
  app.add_option("--documents", plan.documents, "Registered documents");
  app.add_option("--waiting", plan.waiting, "Requests waiting for a verifier");
  app.add_option("--samples", plan.samples, "Folder for sample serials, NIKs and name parts")->required();
  app.add_option("--batch", plan.batch, "People per transaction")->check(CLI::Range(1, 1000000));
  CLI11_PARSE(app, argc, argv);
  try {
    std::filesystem::create_directories(plan.samples);
    auto instance = lontar::Instance::open(plan.data, lontar::OpenOptions{});
    const auto pem = first_certificate_pem(*instance);
    if (pem.empty()) throw std::runtime_error("issue one certificate first: its PEM stands in for every row's");
    const auto start = Clock::now();
    Filler(plan, *instance, pem).run();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("filled %lld certificates (%lld revoked), %lld documents, %lld waiting in %.1f s\n",
                static_cast<long long>(plan.certificates), static_cast<long long>(plan.revoked),
                static_cast<long long>(plan.documents), static_cast<long long>(plan.waiting), seconds);
  } catch (const std::exception& e) {
    std::cerr << "scale_fill: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
