#include "operations/data_check.h"

#include <sodium.h>

#include <algorithm>
#include <functional>

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/error.h"
#include "instance/instance.h"

namespace lontar::operations {

namespace {
constexpr std::string_view kIssuedPrefix = "certificate:";

CheckFinding check_database(Instance& instance) {
  const auto verdict = instance.store().integrity_check();
  return {"database", verdict == "ok", verdict == "ok" ? "integrity ok" : verdict};
}

// One pass over the audit trail: its chain, the certificates it says were issued (as
// hashes of their serials, 8 bytes each, so ten million fit in 80 MB), and the highest
// CRL number it records.
struct AuditFacts {
  AuditVerdict verdict;
  std::vector<std::uint64_t> issued;
  std::int64_t highest_crl_number = 0;
};

std::uint64_t serial_key(std::string_view serial) { return std::hash<std::string_view>{}(serial); }

AuditFacts read_audit(Instance& instance) {
  AuditFacts facts;
  AuditChainVerifier verifier;
  instance.store().read([&](StoreTransaction& tx) {
    tx.audit().for_each([&](const AuditEvent& event) {
      verifier.feed(event);
      if (event.action == "certificate.issued" && event.object.starts_with(kIssuedPrefix))
        facts.issued.push_back(serial_key(std::string_view(event.object).substr(kIssuedPrefix.size())));
      if (event.action == "backup.restored") {
        const auto details = nlohmann::json::parse(event.details, nullptr, false);
        if (details.is_object() && details.contains("crl_number") && details["crl_number"].is_number_integer())
          facts.highest_crl_number = std::max(facts.highest_crl_number, details["crl_number"].get<std::int64_t>());
      }
    });
    const auto [seq, hash] = tx.audit().head();
    facts.verdict = verifier.finish(seq, hash);
  });
  std::sort(facts.issued.begin(), facts.issued.end());
  return facts;
}

CheckFinding check_audit(const AuditFacts& facts) {
  const auto& v = facts.verdict;
  if (v.ok) return {"audit trail", true, "intact, " + std::to_string(v.events) + " events"};
  return {"audit trail", false,
          "broken at event " + std::to_string(v.first_bad_seq.value_or(0)) + ": " + v.problem};
}

CheckFinding check_certificates(Instance& instance, const AuditFacts& facts) {
  std::int64_t rows = 0, unaudited = 0;
  std::string first;
  instance.store().read([&](StoreTransaction& tx) {
    tx.inventory().for_each_certificate_serial([&](const std::string& serial) {
      ++rows;
      if (std::binary_search(facts.issued.begin(), facts.issued.end(), serial_key(serial))) return;
      if (++unaudited == 1) first = serial;
    });
  });
  if (unaudited == 0) return {"certificates", true, std::to_string(rows) + " rows, each with its issuing event"};
  return {"certificates", false,
          std::to_string(unaudited) + " of " + std::to_string(rows) + " rows have no issuing event (first: " + first +
              ")"};
}

CheckFinding check_keys(Instance& instance, const std::optional<std::filesystem::path>& passphrase_file) {
  try {
    auto passphrase = resolve_ca_passphrase(instance.dir(), passphrase_file);
    const auto names = instance.open_every_key(passphrase);
    sodium_memzero(passphrase.data(), passphrase.size());
    std::string list;
    for (const auto& name : names) list += (list.empty() ? "" : ", ") + name;
    return {"keys", !names.empty(), names.empty() ? "no key found" : "open: " + list};
  } catch (const std::exception& e) {
    return {"keys", false, e.what()};
  }
}

CheckFinding check_crl_number(Instance& instance, const AuditFacts& facts) {
  Inventory inventory;
  instance.store().read([&](StoreTransaction& tx) { inventory = tx.inventory().count(); });
  const bool ok = inventory.crl_number >= facts.highest_crl_number && inventory.crl_number >= 0;
  return {"CRL number", ok,
          "counter at " + std::to_string(inventory.crl_number) +
              (facts.highest_crl_number ? ", at least the restore's " + std::to_string(facts.highest_crl_number) : "") +
              (ok ? "" : ": it went back")};
}

CheckFinding check_documents(Instance& instance) {
  std::vector<std::string> hashes;
  instance.store().read([&](StoreTransaction& tx) {
    tx.inventory().for_each_document_sha256([&](const std::string& sha) { hashes.push_back(sha); });
  });
  std::int64_t missing = 0, changed = 0;
  std::string first;
  for (const auto& sha : hashes) {
    const auto pdf = instance.document_files().get(sha);
    const bool absent = !pdf;
    const bool altered = pdf && sha256_hex(*pdf) != sha;
    missing += absent;
    changed += altered;
    if ((absent || altered) && first.empty()) first = sha;
  }
  if (missing + changed == 0) return {"documents", true, std::to_string(hashes.size()) + " kept, each with its hash"};
  return {"documents", false,
          std::to_string(missing) + " missing, " + std::to_string(changed) + " changed (first: " + first + ")"};
}
}  // namespace

std::vector<CheckFinding> check_data_folder(const std::filesystem::path& data,
                                            const std::optional<std::filesystem::path>& passphrase_file) {
  auto instance = Instance::open(data, {});
  std::vector<CheckFinding> findings;
  findings.push_back(check_database(*instance));
  const auto facts = read_audit(*instance);
  findings.push_back(check_audit(facts));
  findings.push_back(check_certificates(*instance, facts));
  findings.push_back(check_keys(*instance, passphrase_file));
  findings.push_back(check_crl_number(*instance, facts));
  findings.push_back(check_documents(*instance));
  return findings;
}

}  // namespace lontar::operations
