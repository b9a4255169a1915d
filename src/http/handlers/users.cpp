// Accounts: list, create, read, edit (with If-Match on the version), set a password; and the
// table of roles. Phones are masked; ?reveal=phone shows one to those who manage users, audited.
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

accounts::Role role_field(const std::string& text) {
    const auto role = accounts::parse_role(text);
    if (!role)
        throw Error(ErrorCode::invalid_field, fmt::format("Unknown role '{}'.", text), "role");
    return *role;
}

std::string etag(int version) {
    return fmt::format("\"v{}\"", version);
}

Response user_response(int status, const accounts::User& u,
                       std::optional<std::string> revealed_phone = {}) {
    json::object body = user_json(u);
    if (revealed_phone) body["phone"] = *revealed_phone;
    Response r = Response::json(status, body);
    r.set_header("ETag", etag(u.version));
    return r;
}

}  // namespace

void add_user_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/roles", Access::authenticated,
        [](Request&) {
            static const std::map<accounts::Role, const char*> en = {
                {accounts::Role::admin, "Administrator"},
                {accounts::Role::center, "Command centre"},
                {accounts::Role::leader, "Leader"},
                {accounts::Role::grid_worker, "Grid worker"},
                {accounts::Role::grid_head, "Grid head"},
                {accounts::Role::dept_handler, "Department handler"},
                {accounts::Role::volunteer, "Volunteer"}};
            json::array roles;
            for (accounts::Role role : accounts::all_roles()) {
                roles.push_back(json::object{{"role", accounts::role_name(role)},
                                             {"label_zh", accounts::role_label_zh(role)},
                                             {"label_en", en.at(role)}});
            }
            return Response::json(200, json::object{{"items", std::move(roles)}});
        },
        "The roles with their Chinese and English names");

    router.add(
        "GET", "/api/v1/users", Access::authenticated,
        [s](Request& r) {
            const Paging paging = read_paging(r);
            accounts::UserFilter filter;
            if (auto role = r.query_param("role")) filter.role = role_field(*role);
            if (auto q = r.query_param("q")) {
                if (q->size() > 64)
                    throw Error(ErrorCode::invalid_field, "'q' is at most 64 bytes.", "q");
                filter.query = *q;
            }
            std::int64_t total = 0;
            json::array items;
            for (const auto& u :
                 s.users.list(filter, &*r.principal, paging.limit, paging.offset, &total)) {
                items.push_back(user_json(u));
            }
            return Response::json(200, page_json(std::move(items), total, paging));
        },
        "Users in one's scope, filtered by role and text, paged");

    router.add(
        "POST", "/api/v1/users", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"login", "name", "phone", "role", "scope_node_id",
                                    "department_id", "password"});
            accounts::NewUser in;
            in.login = body.string("login", 64);
            in.name = body.string("name", 256);
            in.phone = body.opt_string("phone", 32);
            in.role = role_field(body.string("role", 32));
            in.scope_node_id = body.nullable_int("scope_node_id").value_or(std::nullopt);
            in.department_id = body.nullable_int("department_id").value_or(std::nullopt);
            in.password = body.string("password", 256);
            const accounts::User u = s.users.create(in, &*r.principal, r.origin());
            Response res = user_response(201, u);
            res.set_header("Location", fmt::format("/api/v1/users/{}", u.id));
            return res;
        },
        "Create a user");

    router.add(
        "GET", "/api/v1/users/{id}", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const accounts::User u = s.users.get(id, &*r.principal);
            const auto reveal = r.query_param("reveal");
            if (reveal && *reveal != "phone")
                throw Error(ErrorCode::invalid_field, "Only 'phone' can be revealed.", "reveal");
            if (reveal) {
                if (!r.principal->can(accounts::Permission::manage_users)) {
                    s.audit.record(&*r.principal, r.origin(), "denied", fmt::format("user:{}", id),
                                   "denied", "reveal phone");
                    throw Error(ErrorCode::forbidden,
                                "Your role may not see personal data unmasked.");
                }
                s.audit.record(&*r.principal, r.origin(), "personal_data_viewed",
                               fmt::format("user:{}", id), "ok", "phone");
                return user_response(200, u, u.phone.value_or(""));
            }
            return user_response(200, u);
        },
        "One user; ?reveal=phone shows the phone unmasked (audited)");

    router.add(
        "PATCH", "/api/v1/users/{id}", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const int version = if_match_version(r);
            const JsonBody body(
                r, {"name", "phone", "role", "scope_node_id", "department_id", "active", "unlock"});
            accounts::UserPatch patch;
            patch.name = body.opt_string("name", 256);
            patch.phone = body.nullable_string("phone", 32);
            if (auto role = body.opt_string("role", 32)) patch.role = role_field(*role);
            patch.scope_node_id = body.nullable_int("scope_node_id");
            patch.department_id = body.nullable_int("department_id");
            patch.active = body.opt_bool("active");
            patch.unlock = body.opt_bool("unlock").value_or(false);
            return user_response(200,
                                 s.users.update(id, patch, version, &*r.principal, r.origin()));
        },
        "Edit a user; send If-Match with the ETag");

    router.add(
        "PUT", "/api/v1/users/{id}/password", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const JsonBody body(r, {"password"});
            s.users.set_password(id, body.string("password", 256), &*r.principal, r.origin());
            return Response::no_content();
        },
        "Set a user's password (ends their sessions)");
}

}  // namespace gridgov::http
