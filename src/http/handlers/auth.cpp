// Logging in and out, the current user, and changing one's own password.
#include <fmt/format.h>

#include <boost/json/object.hpp>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "http/app.hpp"
#include "http/error_response.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"
#include "http/rate_limiter.hpp"

namespace gridgov::http {

namespace {

std::string session_cookie(const std::string& token, long max_age_s, bool secure) {
    return fmt::format("gridgov_session={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", token,
                       max_age_s, secure ? "; Secure" : "");
}

}  // namespace

void add_auth_routes(Router& router, const Services& s, const AppOptions& options) {
    // failed logins per client address: one address may not lock out everyone, five failures at
    // a time (the lock of each account stays, as MLPS asks)
    auto failures = std::make_shared<RateLimiter>(options.login_failures_per_address, 15 * kMinute);
    router.add(
        "POST", "/api/v1/auth/login", Access::public_,
        [s, failures, secure = options.cookie_secure](Request& r) {
            const JsonBody body(r, {"login", "password"});
            const std::string login = body.string("login", 64);
            const std::string password = body.string("password", 256);
            const std::string client = r.origin().ip;
            if (const Millis wait = failures->retry_after(client, s.clock.now()); wait > 0) {
                Response res = error_response(
                    Error(ErrorCode::too_many_requests,
                          fmt::format("此地址登录失败次数过多，请 {0} 分钟后再试。 Too many failed "
                                      "logins from this address; try again in {0} minutes.",
                                      (wait + kMinute - 1) / kMinute)),
                    r.origin().request_id);
                res.set_header("Retry-After", std::to_string((wait + 999) / 1000));
                return res;
            }
            std::optional<accounts::User> found;
            try {
                found = s.users.authenticate(login, password, r.origin());
            } catch (const Error& e) {
                if (e.code() == ErrorCode::bad_credentials || e.code() == ErrorCode::account_locked)
                    failures->allow(client, s.clock.now());
                throw;
            }
            const accounts::User& user = *found;
            const auto session = s.sessions.open(user.id, r.origin());
            Response res = Response::json(
                200, boost::json::object{{"user", user_json(user)},
                                         {"expires_at", format_rfc3339(session.expires_at)}});
            res.headers.emplace_back(
                "Set-Cookie",
                session_cookie(session.token, s.sessions.policy().absolute_ms / 1000, secure));
            return res;
        },
        "Log in with login and password; sets the session cookie");

    router.add(
        "POST", "/api/v1/auth/logout", Access::authenticated,
        [s, secure = options.cookie_secure](Request& r) {
            if (!r.session_token.empty())
                s.sessions.close(r.session_token, *r.principal, r.origin());
            Response res = Response::no_content();
            res.headers.emplace_back("Set-Cookie", session_cookie("", 0, secure));
            return res;
        },
        "Log out: ends the session and clears the cookie");

    router.add(
        "GET", "/api/v1/auth/me", Access::authenticated,
        [](Request& r) { return Response::json(200, principal_json(*r.principal)); },
        "Who is logged in, with role, scope and permissions");

    router.add(
        "POST", "/api/v1/auth/password", Access::authenticated,
        [s](Request& r) {
            if (r.principal->kind != accounts::Principal::Kind::user)
                throw Error(ErrorCode::forbidden);
            const JsonBody body(r, {"current_password", "new_password"});
            s.users.change_own_password(*r.principal, body.string("current_password", 256),
                                        body.string("new_password", 256), r.origin(),
                                        sha256_hex(r.session_token));
            return Response::no_content();
        },
        "Change one's own password");
}

}  // namespace gridgov::http
