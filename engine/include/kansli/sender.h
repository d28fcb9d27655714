// Who sent an initiative: an elected member with a party, or a resident or
// organisation. One type for the diarium (what is registered) and rendering
// (how it is written: "Andreas Falk och Maria Åberg (S)").
#pragma once

#include <optional>
#include <string>

namespace kansli {

struct Sender {
  std::string name;                         // "Andreas Falk"
  std::optional<std::string> party;         // "S"; absent (or empty) for non-members
  std::optional<std::string> organisation;  // "Föreningen Grannar"
};

}  // namespace kansli
