#include <iostream>

#include "instance/instance.h"
#include "cli/commands.h"
#include "core/error.h"

namespace lontar::cli {

void add_audit_commands(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Inspect the audit trail");
  audit->require_subcommand(1);
  auto data = std::make_shared<std::filesystem::path>();
  auto* verify = audit->add_subcommand("verify", "Check the hash chain of the audit trail");
  verify->add_option("--data", *data, "Data folder")->required();
  verify->callback([data] {
    auto instance = Instance::open(*data, {});
    AuditChainVerifier verifier;
    AuditVerdict verdict;
    instance->store().read([&](StoreTransaction& tx) {
      tx.audit().for_each([&](const AuditEvent& event) { verifier.feed(event); });
      const auto [seq, hash] = tx.audit().head();
      verdict = verifier.finish(seq, hash);
    });
    if (!verdict.ok)
      throw Error(ErrorKind::policy, "audit_broken",
                  "audit trail broken at event " + std::to_string(verdict.first_bad_seq.value_or(0)) + ": " +
                      verdict.problem);
    std::cout << "audit trail intact: " << verdict.events << " events\n";
  });
}

}  // namespace lontar::cli
