#include "jobs/smtp.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <utility>

#include <boost/asio.hpp>
#include <stdexcept>

#include "core/encoding.h"

namespace lontar {

namespace {
// Relays quote the recipient in their refusals; addresses are personal data and stay
// out of the log and the outbox's error column.
std::string without_addresses(std::string reply) {
  for (auto at = reply.find('@'); at != std::string::npos; at = reply.find('@', at)) {
    const auto is_part = [](char c) { return c != ' ' && c != '<' && c != '>' && c != ':' && c != ',' && c != '"'; };
    auto begin = at, end = at + 1;
    while (begin > 0 && is_part(reply[begin - 1])) --begin;
    while (end < reply.size() && is_part(reply[end])) ++end;
    reply.replace(begin, end - begin, "(address)");
    at = begin + 9;
  }
  return reply;
}

namespace asio = boost::asio;
using asio::ip::tcp;

class SmtpSession {
 public:
  SmtpSession(const std::string& host, unsigned short port) : socket_(io_) {
    tcp::resolver resolver(io_);
    asio::connect(socket_, resolver.resolve(host, std::to_string(port)));
    // A relay that stops answering must not hold the job thread forever.
    timeval timeout{10, 0};
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  }

  void expect(int code) {
    std::string last;
    do {
      asio::read_until(socket_, buffer_, "\r\n");
      std::istream in(&buffer_);
      std::getline(in, last);
    } while (last.size() >= 4 && last[3] == '-');
    if (last.size() < 3 || std::stoi(last.substr(0, 3)) != code)
      throw std::runtime_error("SMTP server answered: " + without_addresses(last.substr(0, 200)));
  }

  void send(const std::string& line, int code) {
    asio::write(socket_, asio::buffer(line + "\r\n"));
    expect(code);
  }

  void write_raw(const std::string& data) { asio::write(socket_, asio::buffer(data)); }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  asio::streambuf buffer_;
};

// No line breaks in anything that goes into a header or an SMTP command.
std::string single_line(const std::string& text) {
  std::string out;
  for (char c : text)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

std::string encoded_word(const std::string& text) {
  return "=?UTF-8?B?" + to_base64(as_bytes(single_line(text))) + "?=";
}

// CRLF line ends, and a leading dot doubled (RFC 5321 §4.5.2).
std::string dot_stuffed(const std::string& body) {
  std::string out;
  bool line_start = true;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (line_start && c == '.') out += '.';
    if (c == '\n' && (i == 0 || body[i - 1] != '\r')) out += '\r';
    out += c;
    line_start = c == '\n';
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}
}  // namespace

void send_mail(const NotificationSettings& settings, const std::string& to, const std::string& subject,
               const std::string& body) {
  SmtpSession smtp(settings.smtp_host, settings.smtp_port);
  smtp.expect(220);
  smtp.send("EHLO lontar", 250);
  smtp.send("MAIL FROM:<" + single_line(settings.from) + ">", 250);
  smtp.send("RCPT TO:<" + single_line(to) + ">", 250);
  smtp.send("DATA", 354);
  smtp.write_raw("From: Lontar <" + single_line(settings.from) + ">\r\nTo: <" + single_line(to) +
                 ">\r\nSubject: " + encoded_word(subject) +
                 "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n" +
                 dot_stuffed(body));
  smtp.send(".", 250);
  smtp.send("QUIT", 221);
}

}  // namespace lontar
