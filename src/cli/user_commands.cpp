#include <iomanip>
#include <functional>
#include <iostream>

#include <nlohmann/json.hpp>

#include "instance/instance.h"
#include "cli/commands.h"
#include "core/encoding.h"
#include "core/error.h"
#include "core/password.h"

namespace lontar::cli {

namespace {
Role require_role(const std::string& text) {
  const auto role = parse_role(text);
  if (!role)
    throw Error(ErrorKind::invalid_input, "bad_role",
                "Unknown role '" + text + "'; use applicant, verifier, helpdesk, admin or auditor.");
  return *role;
}

void add_user_add(CLI::App& users) {
  struct Options {
    std::filesystem::path data;
    Account account;
    std::string role = "applicant";
    std::optional<std::filesystem::path> password_file;
    bool no_forced_change = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = users.add_subcommand("add", "Create an account");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--nik", o->account.nik, "16-digit NIK")->required();
  command->add_option("--name", o->account.name, "Full name as it appears in certificates")->required();
  command->add_option("--email", o->account.email, "E-mail address")->required();
  command->add_option("--role", o->role, "applicant, verifier, helpdesk, admin or auditor")->capture_default_str();
  command->add_option("--organisation", o->account.organisation, "Organisation (O)");
  command->add_option("--unit", o->account.unit, "Unit (OU)");
  command->add_option("--staff-number", o->account.staff_number, "Staff number (NIP)");
  command->add_option("--password-file", o->password_file, "File holding the initial password (default: generate)");
  command->add_flag("--no-forced-change", o->no_forced_change,
                    "Do not make the user change the password at first login (demo and test accounts)");
  command->callback([o] {
    auto& a = o->account;
    a.role = require_role(o->role);
    std::string password;
    bool generated = false;
    if (o->password_file) {
      password = read_secret_file(*o->password_file);
      if (auto problem = check_password_strength(password); !problem.empty())
        throw Error(ErrorKind::invalid_input, "weak_password", problem);
    } else {
      SystemRandom random;
      password = random_hex(random, 8);
      generated = true;
    }
    a.password_hash = hash_password(password);
    a.must_change_password = !o->no_forced_change;
    auto instance = Instance::open(o->data, {});
    instance->accounts().create(Actor::operator_named(cli_actor()), a);
    std::cout << "Created account " << a.nik << " (" << a.name << ", " << o->role << ")\n";
    if (generated)
      std::cout << "Temporary password: " << password
                << "\nGive it to the user in person; they must change it when they first log in.\n";
  });
}

void add_user_list(CLI::App& users) {
  struct Options {
    std::filesystem::path data;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  auto* command = users.add_subcommand("list", "List accounts");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_flag("--json", o->json, "Print JSON");
  command->callback([o] {
    auto instance = Instance::open(o->data, {});
    const auto accounts = instance->accounts().list(Actor::operator_named(cli_actor()));
    if (o->json) {
      auto out = nlohmann::json::array();
      for (const auto& a : accounts)
        out.push_back({{"nik", a.nik}, {"name", a.name}, {"email", a.email}, {"role", to_string(a.role)},
                       {"locked", a.locked}});
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << std::left << std::setw(18) << "NIK" << std::setw(11) << "ROLE" << std::setw(8) << "LOCKED"
              << "NAME\n";
    for (const auto& a : accounts)
      std::cout << std::setw(18) << a.nik << std::setw(11) << to_string(a.role) << std::setw(8)
                << (a.locked ? "yes" : "no") << a.name << "\n";
  });
}

// One account named by --nik, changed through AccountAdministration as the operator.
struct AccountChange {
  std::filesystem::path data;
  std::string nik;
  std::string role;
};

void add_account_change(CLI::App& users, const std::string& name, const std::string& description, bool takes_role,
                        std::function<std::string(const AccountAdministration&, const Actor&, const AccountChange&)>
                            change) {
  auto o = std::make_shared<AccountChange>();
  auto* command = users.add_subcommand(name, description);
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--nik", o->nik, "The account's NIK")->required();
  if (takes_role) command->add_option("--role", o->role, "applicant, verifier, helpdesk, admin or auditor")->required();
  command->callback([o, change] {
    auto instance = Instance::open(o->data, {});
    std::cout << change(instance->accounts(), Actor::operator_named(cli_actor()), *o) << "\n";
  });
}

void add_esign_release(CLI::App& users) {
  auto o = std::make_shared<AccountChange>();
  auto* command = users.add_subcommand("release-esign-key", "Release eSign keys locked after wrong passphrases");
  command->add_option("--data", o->data, "Data folder")->required();
  command->add_option("--nik", o->nik, "The holder's NIK")->required();
  command->callback([o] {
    auto instance = Instance::open(o->data, {});
    const auto released = instance->esign_keys().release(Actor::operator_named(cli_actor()), o->nik);
    std::cout << (released ? "Released " + std::to_string(released) + " eSign key(s) of " + o->nik
                           : "No eSign key of " + o->nik + " was locked")
              << "\n";
  });
}

void add_user_changes(CLI::App& users) {
  add_account_change(users, "set-role", "Change an account's role", true,
                     [](const AccountAdministration& accounts, const Actor& actor, const AccountChange& o) {
                       accounts.set_role(actor, o.nik, require_role(o.role));
                       return "Role of " + o.nik + " is now " + o.role;
                     });
  add_account_change(users, "unlock", "Unlock an account locked after failed logins", false,
                     [](const AccountAdministration& accounts, const Actor& actor, const AccountChange& o) {
                       accounts.unlock(actor, o.nik);
                       return "Unlocked " + o.nik;
                     });
  add_esign_release(users);
  add_account_change(users, "reset-password", "Give an account a temporary password (changed at the next login)",
                     false, [](const AccountAdministration& accounts, const Actor& actor, const AccountChange& o) {
                       const auto reset = accounts.reset_password(actor, o.nik);
                       return "Temporary password for " + o.nik + ": " + reset.temporary_password +
                              "\nGive it to the user in person; they must change it when they next log in.";
                     });
}
}  // namespace

void add_user_commands(CLI::App& app) {
  auto* users = app.add_subcommand("user", "Manage accounts");
  users->require_subcommand(1);
  add_user_add(*users);
  add_user_list(*users);
  add_user_changes(*users);
}

}  // namespace lontar::cli
