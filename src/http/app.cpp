#include "http/app.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cmath>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "http/compression.hpp"
#include "http/error_response.hpp"

namespace gridgov::http {

namespace {

constexpr std::string_view kSessionCookie = "gridgov_session";

bool valid_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char ch : id) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                        (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
        if (!ok) return false;
    }
    return true;
}

// Fills path, segments and query from the target; Error(bad_path) when it is not an origin-form
// URL.
void decode_target(Request& r) {
    auto parsed = boost::urls::parse_origin_form(r.target);
    if (!parsed) throw Error(ErrorCode::bad_path, "The request target is not a valid path.");
    const auto& url = *parsed;
    r.path = url.path();
    r.segments.clear();
    for (auto segment : url.segments()) {
        std::string s(segment);
        if (s.find('\0') != std::string::npos) throw Error(ErrorCode::bad_path);
        r.segments.push_back(std::move(s));
    }
    // "/" has one empty segment in some forms; routes and files never have one
    if (r.segments.size() == 1 && r.segments[0].empty()) r.segments.clear();
    r.query.clear();
    for (auto param : url.params()) {
        r.query.emplace_back(std::string(param.key),
                             param.has_value ? std::string(param.value) : std::string());
    }
}

bool is_api_path(const Request& r) {
    return !r.segments.empty() &&
           (r.segments[0] == "api" || r.segments[0] == "open311" || r.segments[0] == "healthz" ||
            r.segments[0] == "readyz" || r.segments[0] == "metrics");
}

bool unsafe_method(std::string_view m) {
    return m != "GET" && m != "HEAD" && m != "OPTIONS";
}

// The host of an Origin header ("https://host:port" -> "host:port").
std::string_view origin_host(std::string_view origin) {
    const auto scheme = origin.find("://");
    return scheme == std::string_view::npos ? origin : origin.substr(scheme + 3);
}

}  // namespace

App::App(Services services, AppOptions options, std::shared_ptr<spdlog::logger> access_log)
    : services_(services),
      options_(std::move(options)),
      access_log_(std::move(access_log)),
      static_files_(options_.web_root) {
    add_health_routes(router_, services_, options_, metrics_, connection_gauge_);
    add_meta_routes(router_, services_, options_);
    add_auth_routes(router_, services_, options_);
    add_user_routes(router_, services_);
    add_api_key_routes(router_, services_);
    add_audit_routes(router_, services_);
    add_grid_routes(router_, services_);
    add_tile_routes(router_, services_);
    add_grid_exchange_routes(router_, services_);
    add_grid_staffing_routes(router_, services_);
    add_grid_version_routes(router_, services_);
    add_catalogue_routes(router_, services_);
    add_event_routes(router_, services_);
    add_event_attachment_routes(router_, services_, options_);
    add_open311_routes(router_, services_, options_);
    add_webhook_routes(router_, services_);
    add_notification_routes(router_, services_);
    add_people_routes(router_, services_);
    add_person_tag_routes(router_, services_);
    add_address_routes(router_, services_);
    add_organisation_routes(router_, services_);
    add_key_place_routes(router_, services_);
    add_licence_routes(router_, services_);
    add_household_routes(router_, services_);
    add_people_merge_routes(router_, services_);
    add_people_exchange_routes(router_, services_);
    add_public_event_routes(router_, services_, options_);
    add_figure_routes(router_, services_);
    add_field_work_routes(router_, services_);
}

void App::authenticate(Request& request) {
    // other systems: Authorization: Bearer ggk_... or X-API-Key
    std::string_view key = request.header("x-api-key");
    const std::string_view auth = request.header("authorization");
    if (key.empty() && auth.starts_with("Bearer ")) key = auth.substr(7);
    if (!key.empty()) {
        request.principal = services_.api_keys.resolve(std::string(key));
        return;
    }
    const auto token = request.cookie(kSessionCookie);
    if (!token || token->empty()) throw Error(ErrorCode::unauthenticated);
    request.principal = services_.sessions.resolve(*token);
    request.session_token = *token;
    // a cookie is sent by the browser whatever page asks: refuse writes from other origins
    const std::string_view origin = request.header("origin");
    if (unsafe_method(request.method) && !origin.empty() &&
        origin_host(origin) != request.header("host")) {
        services_.audit.record(&*request.principal, request.origin(), "denied", request.path,
                               "denied", "cross-origin write");
        throw Error(ErrorCode::forbidden, "Cross-origin writes are not allowed.");
    }
}

Response App::dispatch(Request& request) {
    decode_target(request);
    auto match = router_.match(request);
    if (!match.route) {
        if (!match.allowed.empty()) {
            request.route = "method_not_allowed";
            Response r = error_response(Error(ErrorCode::method_not_allowed), request.request_id);
            std::string allow;
            for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
            r.set_header("Allow", allow);
            return r;
        }
        if (is_api_path(request)) {
            request.route = "not_found";
            throw Error(ErrorCode::route_not_found);
        }
        request.route = "static";
        if (request.method != "GET" && request.method != "HEAD") {
            Response r = error_response(Error(ErrorCode::method_not_allowed), request.request_id);
            r.set_header("Allow", "GET, HEAD");
            return r;
        }
        if (auto file = static_files_.serve(request)) return std::move(*file);
        throw Error(ErrorCode::not_found, "No such file.");
    }
    request.route = match.route->pattern;
    if (match.route->access == Access::authenticated) authenticate(request);
    return match.route->handler(request);
}

std::string public_base_of(const Request& request, const AppOptions& options) {
    if (!options.public_url.empty()) return options.public_url;
    // without the setting: the Host the client asked for, if it is a host name and nothing else
    const std::string_view host = request.header("host");
    const bool plain = !host.empty() && host.size() <= 255 &&
                       host.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                           "0123456789.-:[]") == std::string_view::npos;
    const bool https = options.trust_proxy && request.header("x-forwarded-proto") == "https";
    return fmt::format("{}://{}", https ? "https" : "http", plain ? host : "localhost");
}

std::string address_behind_proxy(const Request& request) {
    // what the trusted proxy saw: X-Real-IP, which the shipped site sets (overwriting whatever
    // the client sent), else the right-most entry of X-Forwarded-For, the one the proxy itself
    // appended; the entries to its left are the client's own word and are never believed
    const auto plausible = [](std::string_view ip) {
        if (ip.empty() || ip.size() > 45) return false;
        for (char ch : ip) {
            const bool ok = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
                            (ch >= 'A' && ch <= 'F') || ch == '.' || ch == ':';
            if (!ok) return false;
        }
        return true;
    };
    const auto trim = [](std::string_view s) {
        while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
        return s;
    };
    const std::string_view real = trim(request.header("x-real-ip"));
    if (plausible(real)) return std::string(real);
    const std::string_view forwarded = request.header("x-forwarded-for");
    const auto comma = forwarded.rfind(',');
    const std::string_view last =
        trim(comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1));
    if (plausible(last)) return std::string(last);
    return request.peer_ip;
}

Response App::handle(Request& request) {
    const auto started = std::chrono::steady_clock::now();
    const std::string_view given_id = request.header("x-request-id");
    request.request_id = valid_request_id(given_id) ? std::string(given_id) : random_token(12);
    request.client_ip = request.peer_ip;
    if (options_.trust_proxy) request.client_ip = address_behind_proxy(request);
    request.public_base = public_base_of(request, options_);
    Response response;
    try {
        response = dispatch(request);
    } catch (const Error& e) {
        response = error_response(e, request.request_id);
        if (e.code() == ErrorCode::internal || e.code() == ErrorCode::unavailable) {
            spdlog::error("request {} {} {}: {}", request.request_id, request.method,
                          request.target, e.what());
        }
    } catch (const std::exception& e) {
        spdlog::error("request {} {} {} failed: {}", request.request_id, request.method,
                      request.target, e.what());
        response = error_response(Error(ErrorCode::internal), request.request_id);
    }
    compress_response(request, response);
    response.set_header("X-Request-Id", request.request_id);
    response.set_header("X-Content-Type-Options", "nosniff");
    response.set_header("X-Frame-Options", "DENY");
    response.set_header("Referrer-Policy", "same-origin");
    if (request.route.empty()) request.route = "invalid";
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.observe(request.route, request.method, response.status, seconds);
    log_access(request, response, seconds);
    return response;
}

void App::log_access(const Request& request, const Response& response, double seconds) const {
    if (!access_log_) return;
    boost::json::object line{
        {"time", format_rfc3339(services_.clock.now())},
        {"request_id", request.request_id},
        {"ip", request.client_ip},
        {"method", request.method},
        {"path",
         request.path.empty() ? std::string_view(request.target).substr(0, 256) : request.path},
        {"route", request.route},
        {"status", response.status},
        {"bytes", response.body.size()},
        {"us", static_cast<std::int64_t>(seconds * 1e6)},
    };
    if (request.principal) line["user"] = request.principal->login;
    access_log_->info(boost::json::serialize(line));
}

}  // namespace gridgov::http
