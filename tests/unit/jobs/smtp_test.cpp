// A relay's refusal reaches the log and the outbox without the recipient's address.
#include "jobs/smtp.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <thread>

namespace lontar {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// Greets, accepts EHLO/HELO and MAIL FROM, refuses RCPT TO quoting the address as
// real relays do.
void refusing_relay(tcp::acceptor& acceptor) {
  tcp::socket peer(acceptor.get_executor());
  acceptor.accept(peer);
  asio::streambuf buffer;
  const auto say = [&](const std::string& line) { asio::write(peer, asio::buffer(line + "\r\n")); };
  say("220 relay ready");
  for (;;) {
    boost::system::error_code error;
    asio::read_until(peer, buffer, "\r\n", error);
    if (error) return;
    std::istream in(&buffer);
    std::string line;
    std::getline(in, line);
    if (line.rfind("RCPT", 0) == 0) {
      say("550 5.1.1 <ayu.secret@undiksha.ac.id>: Recipient address rejected: ayu.secret@undiksha.ac.id unknown");
      return;
    }
    say("250 ok");
  }
}

TEST(SmtpTest, ARefusalNamesTheReplyButNotTheAddress) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  std::thread relay([&] { refusing_relay(acceptor); });
  NotificationSettings settings;
  settings.smtp_host = "127.0.0.1";
  settings.smtp_port = acceptor.local_endpoint().port();
  std::string message;
  try {
    send_mail(settings, "ayu.secret@undiksha.ac.id", "Sertifikat", "Isi");
  } catch (const std::exception& e) {
    message = e.what();
  }
  relay.join();
  EXPECT_NE(message.find("550 5.1.1"), std::string::npos) << message;
  EXPECT_NE(message.find("Recipient address rejected"), std::string::npos) << message;
  EXPECT_EQ(message.find("ayu.secret"), std::string::npos) << message;
  EXPECT_EQ(message.find("undiksha"), std::string::npos) << message;
}

}  // namespace
}  // namespace lontar
