#pragma once

#include <optional>
#include <string>

namespace lontar::lock {

bool stdin_is_terminal();
bool stdout_is_terminal();
// Prints `prompt` and reads one line; nullopt at end of input.
std::optional<std::string> ask(const std::string& prompt);
// Like ask(), with echo off when stdin is a terminal.
std::optional<std::string> ask_secret(const std::string& prompt);

}  // namespace lontar::lock
