#include "accounts/audit_log.hpp"

#include <fmt/format.h>

namespace gridgov::accounts {

using store::Value;

void AuditLog::record(store::Connection& c, const Principal* actor, const RequestOrigin& origin,
                      std::string_view action, std::string_view target, std::string_view outcome,
                      std::string_view detail) {
    const Value actor_id =
        actor && actor->kind == Principal::Kind::user ? Value{actor->id} : Value{nullptr};
    const Value actor_name = actor ? Value{actor->login} : Value{nullptr};
    const Value actor_kind =
        !actor ? Value{nullptr}
               : Value{std::string(actor->kind == Principal::Kind::user ? "user" : "api_key")};
    Value scope_path{nullptr};
    if (actor && actor->scope_node_id) {
        std::optional<std::string> path;
        if (tree_) path = tree_->path_of(*actor->scope_node_id);
        // a scope node the tree does not know: readable by the city-wide viewers only
        scope_path = path ? *path : fmt::format("/?{}/", *actor->scope_node_id);
    }
    c.run(
        "INSERT INTO audit_log (at, actor_id, actor, action, target, outcome, ip, request_id, "
        "detail, actor_kind, scope_path) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        {clock_.now(), actor_id, actor_name, std::string(action), std::string(target),
         std::string(outcome), origin.ip, origin.request_id, std::string(detail), actor_kind,
         scope_path});
}

void AuditLog::record(const Principal* actor, const RequestOrigin& origin, std::string_view action,
                      std::string_view target, std::string_view outcome, std::string_view detail) {
    std::optional<Principal> who;
    if (actor) who = *actor;
    store::after_transaction([this, who = std::move(who), origin, action = std::string(action),
                              target = std::string(target), outcome = std::string(outcome),
                              detail = std::string(detail)] {
        db_.transact([&](store::Connection& c) {
            record(c, who ? &*who : nullptr, origin, action, target, outcome, detail);
        });
    });
}

std::vector<AuditRecord> AuditLog::list(const AuditFilter& f, const Scope& viewer, int limit,
                                        int offset, std::int64_t* total) {
    viewer.require(Area::audit);
    // NULL parameters switch a condition off, so one prepared statement serves every filter
    static constexpr const char* kWhere =
        " WHERE (CAST($1 AS TEXT) IS NULL OR action = $1) AND (CAST($2 AS BIGINT) IS NULL OR "
        "actor_id = $2)"
        " AND (CAST($3 AS BIGINT) IS NULL OR at >= $3) AND (CAST($4 AS BIGINT) IS NULL OR at < $4)"
        " AND (CAST($5 AS TEXT) IS NULL OR scope_path LIKE $5)";
    const Value action = f.action ? Value{*f.action} : Value{nullptr};
    const Value actor = f.actor_id ? Value{*f.actor_id} : Value{nullptr};
    const Value since = f.since ? Value{*f.since} : Value{nullptr};
    const Value until = f.until ? Value{*f.until} : Value{nullptr};
    const Value subtree = viewer.whole_tree() ? Value{nullptr} : Value{viewer.path() + "%"};
    std::vector<AuditRecord> out;
    db_.read([&](store::Connection& c) {
        if (total) {
            const auto r = c.run(std::string("SELECT COUNT(*) AS n FROM audit_log") + kWhere,
                                 {action, actor, since, until, subtree});
            *total = r.front().integer("n");
        }
        const auto rows = c.run(
            std::string("SELECT * FROM audit_log") + kWhere +
                " ORDER BY id DESC LIMIT $6 OFFSET $7",
            {action, actor, since, until, subtree, std::int64_t{limit}, std::int64_t{offset}});
        for (const auto& row : rows.rows) {
            out.push_back({row.integer("id"), row.integer("at"), row.opt_integer("actor_id"),
                           row.text("actor"), row.text("action"), row.text("target"),
                           row.text("outcome"), row.text("ip"), row.text("request_id"),
                           row.text("detail"), row.opt_text("actor_kind").value_or("")});
        }
    });
    return out;
}

}  // namespace gridgov::accounts
