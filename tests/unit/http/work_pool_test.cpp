// Heavy requests run on a bounded pool apart from the threads that answer everything
// else: while the anonymous pool is busy a light route and signed-in work still
// answer, and a request beyond the pool's capacity is answered 503 with Retry-After at
// once — through real sockets.
#include "http/work_pool.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "http/router.h"
#include "http/server.h"

namespace lontar::http {
namespace {

using namespace std::chrono_literals;

// A gate the test opens: work waits on it.
struct Gate {
  std::promise<void> opened;
  std::shared_future<void> wait = opened.get_future().share();
};

TEST(WorkPool, RefusesWorkBeyondWorkersAndQueue) {
  Gate gate;
  std::atomic<int> started{0}, finished{0};
  {
    WorkPool pool(1, 1);
    const auto blocked = [&] {
      ++started;
      gate.wait.wait();
      ++finished;
    };
    EXPECT_TRUE(pool.try_submit(blocked));
    EXPECT_TRUE(pool.try_submit(blocked));   // waits in the queue
    EXPECT_FALSE(pool.try_submit(blocked));  // full: refused, not run
    gate.opened.set_value();
    for (int i = 0; i < 200 && finished < 2; ++i) std::this_thread::sleep_for(5ms);
    EXPECT_EQ(finished.load(), 2);
    EXPECT_TRUE(pool.try_submit([&] { ++finished; }));  // room again
    for (int i = 0; i < 200 && finished < 3; ++i) std::this_thread::sleep_for(5ms);
  }
  EXPECT_EQ(started.load(), 2);
  EXPECT_EQ(finished.load(), 3);
}

std::string exchange(unsigned short port, const std::string& request) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  boost::asio::write(socket, boost::asio::buffer(request));
  std::string response;
  boost::system::error_code ec;
  char buffer[4096];
  for (;;) {
    const auto n = socket.read_some(boost::asio::buffer(buffer), ec);
    response.append(buffer, n);
    if (ec) break;
  }
  return response;
}

TEST(HttpServer, HeavyRoutesRunApartAndAFullPoolAnswers503) {
  Gate gate;
  std::atomic<bool> slow_entered{false};
  Router router;
  router.add("POST", "/slow", [&](const HttpRequest&) {
    slow_entered = true;
    gate.wait.wait();
    return HttpResponse::json(200, R"({"done":true})");
  });
  router.run_apart("POST", "/slow", Router::Lane::anonymous);
  router.add("POST", "/member", [](const HttpRequest&) { return HttpResponse::json(200, R"({"member":true})"); });
  router.run_apart("POST", "/member", Router::Lane::signed_in);
  router.add("GET", "/light", [](const HttpRequest&) { return HttpResponse::json(200, R"({"ok":true})"); });
  ServerLimits limits;
  limits.heavy_workers = 1;
  limits.heavy_queue = 0;
  HttpServer server(router, limits);
  const auto port = server.listen("127.0.0.1", 0);
  std::thread serving([&] { server.run(2); });

  const std::string slow = "POST /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  auto first = std::async(std::launch::async, [&] { return exchange(port, slow); });
  for (int i = 0; i < 400 && !slow_entered; ++i) std::this_thread::sleep_for(5ms);
  ASSERT_TRUE(slow_entered) << "the heavy request never reached its handler";

  // The only worker is busy: a second heavy request is refused at once, a light one answers.
  const auto refused = exchange(port, slow);
  EXPECT_NE(refused.find("HTTP/1.1 503"), std::string::npos) << refused;
  EXPECT_NE(refused.find("Retry-After: 5"), std::string::npos) << refused;
  const auto light = exchange(port, "GET /light HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  EXPECT_NE(light.find("HTTP/1.1 200"), std::string::npos) << light;
  // Signed-in work has its own lane: a full anonymous lane does not refuse it.
  const auto member = exchange(port, "POST /member HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_NE(member.find("HTTP/1.1 200"), std::string::npos) << member;
  EXPECT_EQ(first.wait_for(0ms), std::future_status::timeout) << "the heavy request should still be running";

  gate.opened.set_value();
  const auto done = first.get();
  EXPECT_NE(done.find("HTTP/1.1 200"), std::string::npos) << done;
  EXPECT_NE(done.find(R"({"done":true})"), std::string::npos) << done;
  server.stop();
  serving.join();
}

}  // namespace
}  // namespace lontar::http
