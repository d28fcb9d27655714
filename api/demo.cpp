#include "demo.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>


namespace kansli::api {
namespace {

std::string randomPassword() {
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  unsigned char raw[16];
  RAND_bytes(raw, sizeof raw);
  std::string out;
  for (unsigned char c : raw) out += alphabet[c % (sizeof alphabet - 1)];
  return out;
}

struct DemoUser {
  const char* username;
  const char* name;
  Role role;
  const char* unit;
  const char* committee;
};

// One user per role. The officer and the unit head carry the names of the
// reference memo's signatories (demo data).
constexpr DemoUser kDemoUsers[] = {
    {"registrator", "Rebecka Registrator", Role::kRegistrator, nullptr, "SOCN"},
    {"handlaggare", "Nina Vallin Nielsen", Role::kHandlaggare, "bfe", nullptr},
    {"enhetschef", "Caroline Andreasson", Role::kEnhetschef, "bfe", nullptr},
    {"namndsekreterare", "Sara Sekreterare", Role::kNamndsekreterare, nullptr, "SOCN"},
    {"ledamot", "Lars Ledamot", Role::kLedamot, nullptr, "SOCN"},
    {"admin", "Ada Administratör", Role::kAdmin, nullptr, nullptr},
};

std::string loginsPath(const std::string& data_dir) { return data_dir + "/demo-logins.txt"; }

Result<std::vector<DemoLogin>> readLogins(const std::string& data_dir) {
  std::ifstream in(loginsPath(data_dir));
  std::vector<DemoLogin> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    DemoLogin l;
    if (ls >> l.username >> l.role >> l.password) out.push_back(l);
  }
  return out;
}

}  // namespace

Result<std::vector<DemoLogin>> seedDemo(Service& service, const std::string& data_dir) {
  auto users = service.accounts().userCount();
  if (!users) return std::unexpected(users.error());
  if (*users > 0) return readLogins(data_dir);

  std::vector<DemoLogin> logins;
  audit::Actor system{"system", "admin"};
  for (const auto& d : kDemoUsers) {
    NewUser nu{d.username, d.name, d.role, std::nullopt, std::nullopt};
    if (d.unit) nu.unit = d.unit;
    if (d.committee) nu.committee = d.committee;
    std::string password = randomPassword();
    auto u = service.accounts().addUser(nu, password, system);
    if (!u) return std::unexpected(u.error());
    logins.push_back({d.username, std::string(roleName(d.role)), password});
  }
  {
    std::ofstream out(loginsPath(data_dir));
    for (const auto& l : logins) out << l.username << " " << l.role << " " << l.password << "\n";
  }
  ::chmod(loginsPath(data_dir).c_str(), 0600);
  return logins;
}

}  // namespace kansli::api
