#include "http/request.hpp"

#include <boost/json/serialize.hpp>

namespace gridgov::http {

std::string_view Request::header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_name) return value;
    }
    return {};
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name) return value;
    }
    return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    // Cookie: a=1; b=2
    std::string_view rest = header("cookie");
    while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view pair = rest.substr(0, semi);
        rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos) continue;
        if (pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    }
    return std::nullopt;
}

accounts::RequestOrigin Request::origin() const {
    return {client_ip.empty() ? peer_ip : client_ip, request_id,
            std::string(header("user-agent").substr(0, 256))};
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [n, v] : headers) {
        if (n == name) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

Response Response::json(int status, const boost::json::value& body) {
    Response r;
    r.status = status;
    r.body = boost::json::serialize(body);
    r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

Response Response::event_stream(std::shared_ptr<EventStream> stream) {
    Response r;
    r.status = 200;
    r.stream = std::move(stream);
    r.headers.emplace_back("Content-Type", "text/event-stream; charset=utf-8");
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("X-Accel-Buffering", "no");  // a proxy in front passes events at once
    return r;
}

Response Response::no_content() {
    Response r;
    r.status = 204;
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace gridgov::http
