// The request and response as the handlers see them: plain structs with no Boost.Beast in them,
// filled by the server (method, target, headers, body, peer) and the middleware (request id,
// route parameters, the authenticated principal). Not shared between threads.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accounts/principal.hpp"

namespace gridgov::http {

struct Request {
    std::string method;                 // "GET"
    std::string target;                 // as sent: "/api/v1/users?role=admin"
    std::string path;                   // percent-decoded path: "/api/v1/users"
    std::vector<std::string> segments;  // decoded path segments
    std::vector<std::pair<std::string, std::string>> query;    // decoded query parameters
    std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
    std::string body;
    std::string peer_ip;

    // set by the middleware
    std::string request_id;
    std::string route;  // the route's pattern, "/api/v1/users/{id}", for logs and metrics
    std::map<std::string, std::string, std::less<>> params;
    std::optional<accounts::Principal> principal;
    std::string session_token;
    std::string public_base;  // "https://grid.example.gov.cn": the address the public knows
    std::string client_ip;    // peer_ip, or the address a trusted proxy saw (address_behind_proxy)

    std::string_view header(std::string_view lower_name) const;
    std::optional<std::string> query_param(std::string_view name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    accounts::RequestOrigin origin() const;
};

// A response that stays open and sends Server-Sent Events (text/event-stream): after the header
// the server asks next() every interval() for what to send, until it says the stream is over or
// the client goes. next() runs on the connection's thread and must not block.
class EventStream {
  public:
    virtual ~EventStream() = default;
    // "event: …\ndata: …\n\n" to send now, "" for nothing this time, nullopt to end.
    virtual std::optional<std::string> next() = 0;
    virtual std::chrono::milliseconds interval() const { return std::chrono::milliseconds(500); }
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::shared_ptr<EventStream> stream;  // set: the body is this stream of events

    void set_header(std::string name, std::string value);
    static Response json(int status, const boost::json::value& body);
    static Response no_content();
    static Response event_stream(std::shared_ptr<EventStream> stream);
};

}  // namespace gridgov::http
