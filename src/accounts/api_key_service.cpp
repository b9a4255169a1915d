#include "accounts/api_key_service.hpp"

#include <fmt/format.h>

#include "accounts/user_service.hpp"
#include "core/crypto.hpp"
#include "core/error.hpp"

namespace gridgov::accounts {

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

void require_admin(const Scope& scope, AuditLog& audit, const RequestOrigin& origin,
                   std::string_view target) {
    if (scope.reads(Area::api_keys)) return;
    audit.record(scope.viewer() ? &*scope.viewer() : nullptr, origin, "denied", target, "denied",
                 "missing permission");
    scope.require(Area::api_keys);
}

}  // namespace

IssuedKey ApiKeyService::issue(const std::string& name, Role role,
                               std::optional<std::int64_t> scope, const Principal* actor,
                               const RequestOrigin& origin) {
    const Scope own = Scope::of(actor, tree_);
    require_admin(own, audit_, origin, "api_key:" + name);
    validate_name(name);
    if (role == Role::admin)
        throw Error(ErrorCode::invalid_field,
                    "接口密钥不能是系统管理员。 An API key cannot be an administrator.", "role");
    if (scope && !tree_.path_of(*scope))
        throw Error(ErrorCode::invalid_field, "没有这个节点。 No such node.", "scope_node_id");
    if (!own.may_grant(scope, tree_)) {
        audit_.record(actor, origin, "denied", "api_key:" + name, "denied", "outside scope");
        throw Error(
            ErrorCode::forbidden,
            "密钥的范围不能超出您自己的管辖范围。 A key's scope cannot reach beyond your own.",
            "scope_node_id");
    }
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
             scope ? Value{*scope} : Value{nullptr},
             actor && actor->kind == Principal::Kind::user ? Value{actor->id} : Value{nullptr},
             out.key.created_at});
        out.key.id = r.front().integer("id");
        audit_.record(c, actor, origin, "api_key_issued", "api_key:" + out.key.prefix, "ok",
                      fmt::format("role={}", role_name(role)));
    });
    return out;
}

void ApiKeyService::revoke(std::int64_t id, const Principal* actor, const RequestOrigin& origin) {
    const std::string target = fmt::format("api_key:{}", id);
    const Scope own = Scope::of(actor, tree_);
    require_admin(own, audit_, origin, target);
    std::optional<ApiKey> key;
    db_.read([&](store::Connection& c) {
        const auto r = c.run("SELECT * FROM api_keys WHERE id = $1", {id});
        if (!r.empty()) key = from_row(r.front());
    });
    if (!key || !own.may_grant(key->scope_node_id, tree_))
        throw Error(ErrorCode::not_found, "没有这个有效的接口密钥。 No such active API key.");
    db_.transact([&](store::Connection& c) {
        const auto r =
            c.run("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                  {clock_.now(), id});
        if (r.affected == 0)
            throw Error(ErrorCode::not_found, "没有这个有效的接口密钥。 No such active API key.");
        audit_.record(c, actor, origin, "api_key_revoked", target, "ok");
    });
}

std::vector<ApiKey> ApiKeyService::list(const Principal* viewer) {
    const Scope own = Scope::of(viewer, tree_);
    own.require(Area::api_keys);
    std::vector<ApiKey> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT * FROM api_keys ORDER BY id").rows) {
            ApiKey k = from_row(row);
            if (own.may_grant(k.scope_node_id, tree_)) out.push_back(std::move(k));
        }
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

}  // namespace gridgov::accounts
