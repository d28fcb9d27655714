#include "kansli/role.h"

#include <array>

namespace kansli {
namespace {
constexpr std::array<std::string_view, 6> kNames = {"registrator", "handlaggare", "enhetschef",
                                                    "namndsekreterare", "ledamot", "admin"};
constexpr std::array<std::string_view, 6> kLabels = {
    "Registrator", "Handläggare", "Enhetschef", "Nämndsekreterare", "Ledamot", "Administratör"};
}  // namespace

std::string_view roleName(Role r) { return kNames.at(static_cast<std::size_t>(r)); }
std::string_view roleLabel(Role r) { return kLabels.at(static_cast<std::size_t>(r)); }

std::optional<Role> parseRole(std::string_view s) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == s) return static_cast<Role>(i);
  }
  return std::nullopt;
}

const std::vector<Role>& allRoles() {
  static const std::vector<Role> roles = {Role::kRegistrator, Role::kHandlaggare,
                                          Role::kEnhetschef,  Role::kNamndsekreterare,
                                          Role::kLedamot,     Role::kAdmin};
  return roles;
}

}  // namespace kansli
