// The HTTP/1.1 server on Boost.Beast: asynchronous, one io_context run by a thread per core,
// keep-alive, limits on header and body size, request and idle timeouts, and a graceful stop on
// SIGTERM/SIGINT (or stop()) that stops accepting, closes idle connections, and lets requests in
// flight finish within the grace period. It knows nothing of routes: every request goes to the
// handler, which must not throw. Beast and Asio stay inside server.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/request.hpp"

namespace gridgov::http {

struct ServerOptions {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned threads = 0;  // 0: one per core
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_body_bytes = 1024 * 1024;
    // file uploads (targets whose path ends in /attachments or /import) may be larger than other
    // bodies
    std::size_t max_upload_bytes = 16 * 1024 * 1024;
    std::chrono::seconds request_timeout{30};
    std::chrono::seconds idle_timeout{60};
    std::chrono::seconds shutdown_grace{20};
};

class Server {
  public:
    using RequestHandler = std::function<Response(Request&)>;

    // Binds and listens at once (throws std::system_error when the address is taken).
    Server(ServerOptions options, RequestHandler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    std::uint16_t port() const;  // the bound port, also when options.port was 0
    unsigned threads() const;
    // Serves until a signal or stop(), then drains; returns when every thread has finished.
    void run();
    // Thread-safe; starts the graceful stop.
    void stop();
    std::size_t open_connections() const;

    struct Impl;  // defined in server.cpp, the only place that knows Beast

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace gridgov::http
