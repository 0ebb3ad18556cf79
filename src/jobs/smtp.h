#pragma once

#include <string>

#include "config/config.h"

namespace lontar {

// Sends one plain-text UTF-8 message through the configured SMTP relay (no AUTH, no
// TLS: a relay on the same host or network). Throws std::runtime_error with the
// server's reply when it refuses, e-mail addresses in it replaced by "(address)".
void send_mail(const NotificationSettings& settings, const std::string& to, const std::string& subject,
               const std::string& body);

}  // namespace lontar
