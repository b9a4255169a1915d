// API keys for other systems: issue (the key is shown once), list, revoke.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {
json::object key_json(const accounts::ApiKey& k) {
    return {
        {"id", k.id},
        {"prefix", k.prefix},
        {"name", k.name},
        {"role", accounts::role_name(k.role)},
        {"scope_node_id", k.scope_node_id ? json::value(*k.scope_node_id) : json::value(nullptr)},
        {"created_at", format_rfc3339(k.created_at)},
        {"last_used_at", time_or_null(k.last_used_at)},
        {"revoked_at", time_or_null(k.revoked_at)}};
}
}  // namespace

void add_api_key_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/api-keys", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& k : s.api_keys.list(&*r.principal)) items.push_back(key_json(k));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "API keys, active and revoked");

    router.add(
        "POST", "/api/v1/api-keys", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"name", "role", "scope_node_id"});
            const std::string role_text = body.string("role", 32);
            const auto role = accounts::parse_role(role_text);
            if (!role)
                throw Error(ErrorCode::invalid_field, fmt::format("Unknown role '{}'.", role_text),
                            "role");
            const auto issued =
                s.api_keys.issue(body.string("name", 256), *role,
                                 body.nullable_int("scope_node_id").value_or(std::nullopt),
                                 &*r.principal, r.origin());
            json::object out = key_json(issued.key);
            out["key"] = issued.secret;
            return Response::json(201, out);
        },
        "Issue an API key; the key is in the answer and nowhere else");

    router.add(
        "DELETE", "/api/v1/api-keys/{id}", Access::authenticated,
        [s](Request& r) {
            s.api_keys.revoke(path_id(r, "id"), &*r.principal, r.origin());
            return Response::no_content();
        },
        "Revoke an API key");
}

}  // namespace gridgov::http
