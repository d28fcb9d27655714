// The roles of the whole system: one closed set, used by accounts (what a user
// is), the route table (who may call what) and workflows (who may take a
// transition). Names are what is stored and sent over the API.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace kansli {

enum class Role { kRegistrator, kHandlaggare, kEnhetschef, kNamndsekreterare, kLedamot, kAdmin };

std::string_view roleName(Role r);  // "registrator", "handlaggare", ...
std::optional<Role> parseRole(std::string_view s);
std::string_view roleLabel(Role r);  // Swedish: "Registrator", "Handläggare", ...
const std::vector<Role>& allRoles();

}  // namespace kansli
