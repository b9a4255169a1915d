#include "http/server.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/error_response.hpp"

namespace gridgov::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Connection;

// Connections hold a plain pointer to the Impl: it outlives them, because its io_context (which
// owns every pending handler, and so every connection) is destroyed first of its members that
// connections use. Keep the members in this order.
struct Server::Impl {
    ServerOptions options;
    RequestHandler handler;
    mutable std::mutex mutex;
    std::unordered_map<Connection*, std::weak_ptr<Connection>> live;
    std::atomic<bool> draining{false};
    std::atomic<bool> finished{false};
    unsigned thread_count = 1;
    net::io_context ioc;
    tcp::acceptor acceptor;
    net::signal_set signals;
    net::steady_timer grace_timer;

    Impl(ServerOptions o, RequestHandler h)
        : options(std::move(o)),
          handler(std::move(h)),
          thread_count(thread_count_for(options.threads)),
          ioc(static_cast<int>(thread_count)),
          acceptor(net::make_strand(ioc)),
          signals(ioc, SIGINT, SIGTERM),
          grace_timer(ioc) {
        const tcp::endpoint endpoint{net::ip::make_address(options.address), options.port};
        acceptor.open(endpoint.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(net::socket_base::max_listen_connections);
    }

    static unsigned thread_count_for(unsigned requested) {
        if (requested > 0) return requested;
        return std::max(1u, std::thread::hardware_concurrency());
    }

    void accept();
    void begin_shutdown();
    void connection_gone(Connection* c);
};

class Connection : public std::enable_shared_from_this<Connection> {
  public:
    Connection(tcp::socket&& socket, Server::Impl* server)
        : stream_(std::move(socket)), server_(server) {
        beast::error_code ec;
        const auto endpoint = stream_.socket().remote_endpoint(ec);
        if (!ec) peer_ip_ = endpoint.address().to_string();
    }

    ~Connection() { server_->connection_gone(this); }

    void start() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
    }

    // Runs on the connection's strand: closes the connection if it waits for a request.
    void close_if_idle() {
        net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (self->idle_) {
                beast::error_code ec;
                self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
                self->stream_.close();
            }
        });
    }

  private:
    void read() {
        if (server_->draining) return close();
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(server_->options.max_header_bytes));
        // the larger limit while the header is read (Beast checks Content-Length against it
        // there); on_header then sets the one for the request's path
        parser_->body_limit(
            std::max(server_->options.max_body_bytes, server_->options.max_upload_bytes));
        idle_ = true;
        stream_.expires_after(first_ ? server_->options.request_timeout
                                     : server_->options.idle_timeout);
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     self->on_header(ec);
                                 });
    }

    void on_header(beast::error_code ec) {
        idle_ = false;
        first_ = false;
        if (ec) return fail(ec);
        stream_.expires_after(server_->options.request_timeout);
        const auto& head = parser_->get();
        const std::size_t limit = body_limit_for(head.target());
        parser_->body_limit(limit);
        if (const auto length = parser_->content_length(); length && *length > limit)
            return reject(Error(ErrorCode::payload_too_large));
        // a client that asks first (curl does for larger bodies) is told to go on, unless the
        // body it announces is over the limit anyway
        if (beast::iequals(head[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
            const auto length = parser_->content_length();
            if (length && *length > limit) {
                return reject(Error(ErrorCode::payload_too_large));
            }
            auto go_on =
                std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, 11);
            return bhttp::async_write(
                stream_, *go_on,
                [self = shared_from_this(), go_on](beast::error_code ec, std::size_t) {
                    if (ec) return self->close();
                    self->read_body();
                });
        }
        read_body();
    }

    std::size_t body_limit_for(std::string_view target) const {
        const auto path = target.substr(0, target.find('?'));
        return path.ends_with("/attachments") || path.ends_with("/import")
                   ? server_->options.max_upload_bytes
                   : server_->options.max_body_bytes;
    }

    void read_body() {
        bhttp::async_read(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->fail(ec);
                              self->handle();
                          });
    }

    void fail(beast::error_code ec) {
        if (ec == bhttp::error::body_limit) return reject(Error(ErrorCode::payload_too_large));
        if (ec == bhttp::error::header_limit) return reject(Error(ErrorCode::headers_too_large));
        if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
            ec == beast::error::timeout || ec == net::error::connection_reset ||
            ec == net::error::eof || ec == net::error::bad_descriptor) {
            return close();
        }
        if (ec.category() == bhttp::make_error_code(bhttp::error::body_limit).category() ||
            ec == bhttp::make_error_code(bhttp::error::bad_target)) {
            return reject(Error(ErrorCode::bad_request,
                                "The request is not valid HTTP/1.1: " + ec.message() + "."));
        }
        spdlog::debug("connection from {} ended: {}", peer_ip_, ec.message());
        close();
    }

    // Answers a request that could not be read, then closes the connection.
    void reject(const Error& error) {
        Response r = error_response(error, {});
        write(std::move(r), false, false);
    }

    void handle() {
        auto& message = parser_->get();
        Request request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        request.headers.reserve(16);
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (char& ch : name)
                ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            request.headers.emplace_back(std::move(name), std::string(field.value()));
        }
        request.body = std::move(message.body());
        request.peer_ip = peer_ip_;
        const bool keep_alive = message.keep_alive() && !server_->draining;
        const bool head = message.method() == bhttp::verb::head;
        Response response = server_->handler(request);
        write(std::move(response), keep_alive, head);
    }

    void write(Response&& response, bool keep_alive, bool head) {
        if (response.stream && !head && response.status == 200)
            return start_events(std::move(response));
        auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
            static_cast<bhttp::status>(response.status), 11);
        message->set(bhttp::field::server, "gridgov");
        for (auto& [name, value] : response.headers) message->insert(name, value);
        message->body() = std::move(response.body);
        message->keep_alive(keep_alive && !server_->draining);
        message->prepare_payload();
        if (head) message->body().clear();
        const bool again = message->keep_alive();
        stream_.expires_after(server_->options.request_timeout);
        bhttp::async_write(
            stream_, *message,
            [self = shared_from_this(), message, again](beast::error_code ec, std::size_t) {
                if (ec || !again) return self->close();
                self->read();
            });
    }

    // An event stream: the header without a length (the body runs until the connection closes),
    // then whatever the stream has to say, each interval, until it ends or the client goes.
    void start_events(Response&& response) {
        auto header = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::ok, 11);
        header->set(bhttp::field::server, "gridgov");
        for (auto& [name, value] : response.headers) header->insert(name, value);
        header->keep_alive(false);
        auto serializer = std::make_shared<bhttp::response_serializer<bhttp::empty_body>>(*header);
        stream_.expires_after(server_->options.request_timeout);
        bhttp::async_write_header(
            stream_, *serializer,
            [self = shared_from_this(), header, serializer, events = std::move(response.stream)](
                beast::error_code ec, std::size_t) {
                if (ec) return self->close();
                self->idle_ = true;  // a shutdown ends it at once
                self->send_events(events);
            });
    }

    void send_events(const std::shared_ptr<EventStream>& events) {
        if (server_->draining) return close();
        std::optional<std::string> text;
        try {
            text = events->next();
        } catch (const std::exception& e) {
            spdlog::warn("event stream ended: {}", e.what());
        }
        if (!text) return close();
        if (text->empty()) return wait_for_events(events);
        auto data = std::make_shared<std::string>(std::move(*text));
        stream_.expires_after(server_->options.request_timeout);  // a client that stopped reading
        net::async_write(
            stream_, net::buffer(*data),
            [self = shared_from_this(), data, events](beast::error_code ec, std::size_t) {
                if (ec) return self->close();
                self->wait_for_events(events);
            });
    }

    void wait_for_events(const std::shared_ptr<EventStream>& events) {
        timer_.expires_after(events->interval());
        timer_.async_wait([self = shared_from_this(), events](beast::error_code ec) {
            if (ec) return self->close();
            self->send_events(events);
        });
    }

    void close() {
        beast::error_code ec;
        timer_.cancel();
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    net::steady_timer timer_{stream_.get_executor()};  // between the events of a stream
    Server::Impl* server_;
    std::string peer_ip_;
    bool idle_ = true;
    bool first_ = true;
};

void Server::Impl::accept() {
    acceptor.async_accept(
        net::make_strand(ioc), [self = this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (ec == net::error::operation_aborted || self->draining) return;
                spdlog::warn("accept failed: {}", ec.message());
            } else if (!self->draining) {
                auto connection = std::make_shared<Connection>(std::move(socket), self);
                {
                    std::lock_guard lock(self->mutex);
                    self->live.emplace(connection.get(), connection);
                }
                connection->start();
            }
            if (!self->draining) self->accept();
        });
}

void Server::Impl::begin_shutdown() {
    if (draining.exchange(true)) return;
    spdlog::info("stopping: finishing requests in flight (at most {} s)",
                 options.shutdown_grace.count());
    net::post(acceptor.get_executor(), [self = this] {
        beast::error_code ec;
        self->acceptor.close(ec);
    });
    signals.cancel();
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(mutex);
        for (auto& [raw, weak] : live) {
            if (auto c = weak.lock()) open.push_back(std::move(c));
        }
    }
    for (auto& c : open) c->close_if_idle();
    grace_timer.expires_after(options.shutdown_grace);
    grace_timer.async_wait([self = this](beast::error_code ec) {
        if (ec) return;  // cancelled: every connection ended in time
        spdlog::warn("grace period over: closing the remaining connections");
        self->ioc.stop();
    });
    std::lock_guard lock(mutex);
    if (live.empty()) grace_timer.cancel();
}

void Server::Impl::connection_gone(Connection* c) {
    std::lock_guard lock(mutex);
    live.erase(c);
    if (draining && live.empty() && !finished) {
        net::post(ioc, [self = this] { self->grace_timer.cancel(); });
    }
}

Server::Server(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() {
    impl_->finished = true;
    impl_->ioc.stop();
}

std::uint16_t Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

unsigned Server::threads() const {
    return impl_->thread_count;
}

std::size_t Server::open_connections() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->live.size();
}

void Server::run() {
    impl_->signals.async_wait([impl = impl_.get()](beast::error_code ec, int signal) {
        if (ec) return;
        spdlog::info("received signal {}", signal);
        impl->begin_shutdown();
    });
    impl_->accept();
    std::vector<std::thread> threads;
    for (unsigned i = 1; i < impl_->thread_count; ++i)
        threads.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& t : threads) t.join();
    impl_->finished = true;
}

void Server::stop() {
    impl_->begin_shutdown();
}

}  // namespace gridgov::http
