#include "people/api_key_service.hpp"

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "people/user_service.hpp"

namespace gridgov::people {

using store::Value;

namespace {

constexpr Millis kTouchEvery = 60 * kSecond;

ApiKey from_row(const store::Row& row) {
    return {row.integer("id"),
            row.text("prefix"),
            row.text("name"),
            parse_role(row.text("role")).value_or(Role::center),
            row.opt_integer("scope_node_id"),
            row.integer("created_at"),
            row.opt_integer("last_used_at"),
            row.opt_integer("revoked_at")};
}

void require_admin(const Principal& actor, AuditLog& audit, const RequestOrigin& origin,
                   std::string_view target) {
    if (actor.can(Permission::manage_api_keys)) return;
    audit.record(&actor, origin, "denied", target, "denied", "missing permission");
    throw Error(ErrorCode::forbidden);
}

}  // namespace

IssuedKey ApiKeyService::issue(const std::string& name, Role role,
                               std::optional<std::int64_t> scope, const Principal& actor,
                               const RequestOrigin& origin) {
    require_admin(actor, audit_, origin, "api_key:" + name);
    validate_name(name);
    if (role == Role::admin)
        throw Error(ErrorCode::invalid_field, "An API key cannot be an administrator.", "role");
    IssuedKey out;
    out.key.prefix = random_token(6);  // 8 characters
    // a prefix must not contain the separator
    for (char& ch : out.key.prefix) {
        if (ch == '_') ch = 'x';
    }
    out.secret = fmt::format("ggk_{}_{}", out.key.prefix, random_token(32));
    out.key.name = name;
    out.key.role = role;
    out.key.scope_node_id = scope;
    out.key.created_at = clock_.now();
    db_.transact([&](store::Connection& c) {
        const auto r = c.run(
            "INSERT INTO api_keys (prefix, secret_hash, name, role, scope_node_id, created_by, "
            "created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            {out.key.prefix, sha256_hex(out.secret), name, std::string(role_name(role)),
             scope ? Value{*scope} : Value{nullptr}, actor.id, out.key.created_at});
        out.key.id = r.front().integer("id");
        audit_.record(c, &actor, origin, "api_key_issued", "api_key:" + out.key.prefix, "ok",
                      fmt::format("role={}", role_name(role)));
    });
    return out;
}

void ApiKeyService::revoke(std::int64_t id, const Principal& actor, const RequestOrigin& origin) {
    const std::string target = fmt::format("api_key:{}", id);
    require_admin(actor, audit_, origin, target);
    db_.transact([&](store::Connection& c) {
        const auto r =
            c.run("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                  {clock_.now(), id});
        if (r.affected == 0) throw Error(ErrorCode::not_found, "No such active API key.");
        audit_.record(c, &actor, origin, "api_key_revoked", target, "ok");
    });
}

std::vector<ApiKey> ApiKeyService::list(const Principal& viewer) {
    if (!viewer.can(Permission::manage_api_keys)) throw Error(ErrorCode::forbidden);
    std::vector<ApiKey> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT * FROM api_keys ORDER BY id").rows)
            out.push_back(from_row(row));
    });
    return out;
}

Principal ApiKeyService::resolve(const std::string& key) {
    // ggk_<8 characters>_<43 characters>
    if (key.size() != 4 + 8 + 1 + 43 || !key.starts_with("ggk_") || key[12] != '_') {
        throw Error(ErrorCode::unauthenticated, "The API key is not valid.");
    }
    const std::string prefix = key.substr(4, 8);
    std::optional<ApiKey> found;
    std::string stored_hash;
    db_.read([&](store::Connection& c) {
        const auto r = c.run("SELECT * FROM api_keys WHERE prefix = $1", {prefix});
        if (!r.empty()) {
            found = from_row(r.front());
            stored_hash = r.front().text("secret_hash");
        }
    });
    if (!found || found->revoked_at || !constant_time_equal(stored_hash, sha256_hex(key))) {
        throw Error(ErrorCode::unauthenticated, "The API key is not valid.");
    }
    const Millis now = clock_.now();
    if (!found->last_used_at || now - *found->last_used_at >= kTouchEvery) {
        db_.transact([&](store::Connection& c) {
            c.run("UPDATE api_keys SET last_used_at = $1 WHERE id = $2", {now, found->id});
        });
    }
    return Principal{Principal::Kind::api_key, found->id,   found->prefix, found->name, found->role,
                     found->scope_node_id,     std::nullopt};
}

}  // namespace gridgov::people
