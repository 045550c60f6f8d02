// A panel's command table: what its buttons do, by name, each with a typed argument. The
// panels' buttons call the same functions; the page's glue, the desktop self-test and the
// browser tests reach them by name ("network.train", "step.stage=3") through the shell's
// run_command, which parses the argument once, here, by its declared kind.
#pragma once

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace nnplay::ui {

enum class ArgKind { None, Int, Text };

struct CommandArg {
  long long number = 0;  // ArgKind::Int
  std::string text;      // ArgKind::Text (and the Int's digits)
};

template <class Room>
struct Command {
  const char* name;  // "<panel>.<verb>"
  ArgKind arg;
  bool (*run)(Room& room, const CommandArg& arg);  // false: refused or failed
};

// Runs `cmd` ("name" or "name=value") if the table has that name: its verdict, or false
// when the value does not fit the argument's kind. nullopt when the name is not there. A
// name may appear twice, without and with an argument ("mnist.finetune", "mnist.finetune=50").
template <class Room>
std::optional<bool> run_command(std::span<const Command<Room>> table, Room& room, std::string_view cmd) {
  const size_t eq = cmd.find('=');
  const bool has_value = eq != std::string_view::npos;
  const std::string_view name = cmd.substr(0, eq);
  bool known = false;
  for (const Command<Room>& c : table) {
    if (name != c.name) continue;
    known = true;
    if ((c.arg == ArgKind::None) == has_value) continue;  // the other form of the same name
    CommandArg arg;
    if (has_value) arg.text = std::string(cmd.substr(eq + 1));
    if (c.arg == ArgKind::Int) {
      if (arg.text.empty() || arg.text.size() > 18) return false;
      char* end = nullptr;
      errno = 0;
      arg.number = std::strtoll(arg.text.c_str(), &end, 10);
      if (*end || errno) return false;
    }
    return c.run(room, arg);
  }
  if (known) return false;
  return std::nullopt;
}

}  // namespace nnplay::ui
