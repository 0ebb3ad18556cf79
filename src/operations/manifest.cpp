#include "operations/manifest.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace lontar::operations {

namespace {
nlohmann::json inventory_json(const Inventory& i) {
  return {{"accounts", i.accounts},         {"requests", i.requests},
          {"certificates", i.certificates}, {"revoked_certificates", i.revoked_certificates},
          {"documents", i.documents},       {"audit_events", i.audit_events},
          {"crl_number", i.crl_number}};
}

Inventory inventory_from(const nlohmann::json& j) {
  Inventory i;
  i.accounts = j.at("accounts").get<std::int64_t>();
  i.requests = j.at("requests").get<std::int64_t>();
  i.certificates = j.at("certificates").get<std::int64_t>();
  i.revoked_certificates = j.at("revoked_certificates").get<std::int64_t>();
  i.documents = j.at("documents").get<std::int64_t>();
  i.audit_events = j.at("audit_events").get<std::int64_t>();
  i.crl_number = j.at("crl_number").get<std::int64_t>();
  return i;
}
}  // namespace

std::string Manifest::to_json() const {
  nlohmann::json j = {{"format", format},
                      {"lontar_version", lontar_version},
                      {"created_at", created_at},
                      {"source", source},
                      {"database", database},
                      {"database_file", database_file},
                      {"database_moved", database_moved},
                      {"secrets_included", secrets_included},
                      {"inventory", inventory_json(inventory)},
                      {"audit_head", {{"seq", audit_head_seq}, {"hash", audit_head_hash}}},
                      {"files", files}};
  return j.dump(2) + "\n";
}

Manifest Manifest::from_json(const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    Manifest m;
    m.format = j.at("format").get<int>();
    if (m.format < 1 || m.format > kManifestFormat)
      throw Error(ErrorKind::invalid_input, "backup_version",
                  "This backup's manifest has format " + std::to_string(m.format) + "; this Lontar reads formats 1 to " +
                      std::to_string(kManifestFormat) + ": restore it with the Lontar version that took it or a newer one.");
    m.lontar_version = j.at("lontar_version").get<std::string>();
    m.created_at = j.at("created_at").get<std::int64_t>();
    m.source = j.at("source").get<std::string>();
    m.database = j.at("database").get<std::string>();
    m.database_file = j.at("database_file").get<std::string>();
    m.database_moved = j.at("database_moved").get<bool>();
    m.secrets_included = j.at("secrets_included").get<bool>();
    m.inventory = inventory_from(j.at("inventory"));
    m.audit_head_seq = j.at("audit_head").at("seq").get<std::int64_t>();
    m.audit_head_hash = j.at("audit_head").at("hash").get<std::string>();
    m.files = j.at("files").get<std::vector<std::string>>();
    return m;
  } catch (const nlohmann::json::exception&) {
    throw Error(ErrorKind::invalid_input, "backup_damaged", "The backup's manifest is not readable.");
  }
}

void take_inventory(Store& store, Manifest& manifest) {
  store.read([&](StoreTransaction& tx) {
    manifest.inventory = tx.inventory().count();
    const auto [seq, hash] = tx.audit().head();
    manifest.audit_head_seq = seq;
    manifest.audit_head_hash = hash;
  });
}

}  // namespace lontar::operations
