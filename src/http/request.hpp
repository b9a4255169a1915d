// The request and response as the handlers see them: plain structs with no Boost.Beast in them,
// filled by the server (method, target, headers, body, peer) and the middleware (request id,
// route parameters, the authenticated principal). Not shared between threads.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "people/principal.hpp"

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
    std::optional<people::Principal> principal;
    std::string session_token;
    std::string client_ip;  // peer_ip, or X-Forwarded-For's first address behind a trusted proxy

    std::string_view header(std::string_view lower_name) const;
    std::optional<std::string> query_param(std::string_view name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    people::RequestOrigin origin() const;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    void set_header(std::string name, std::string value);
    static Response json(int status, const boost::json::value& body);
    static Response no_content();
};

}  // namespace gridgov::http
