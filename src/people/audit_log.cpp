#include "people/audit_log.hpp"

namespace gridgov::people {

using store::Value;

void AuditLog::record(store::Connection& c, const Principal* actor, const RequestOrigin& origin,
                      std::string_view action, std::string_view target, std::string_view outcome,
                      std::string_view detail) {
    const Value actor_id =
        actor && actor->kind == Principal::Kind::user ? Value{actor->id} : Value{nullptr};
    const Value actor_name = actor ? Value{actor->login} : Value{nullptr};
    c.run(
        "INSERT INTO audit_log (at, actor_id, actor, action, target, outcome, ip, request_id, "
        "detail) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {clock_.now(), actor_id, actor_name, std::string(action), std::string(target),
         std::string(outcome), origin.ip, origin.request_id, std::string(detail)});
}

void AuditLog::record(const Principal* actor, const RequestOrigin& origin, std::string_view action,
                      std::string_view target, std::string_view outcome, std::string_view detail) {
    db_.transact(
        [&](store::Connection& c) { record(c, actor, origin, action, target, outcome, detail); });
}

std::vector<AuditRecord> AuditLog::list(const AuditFilter& f, int limit, int offset,
                                        std::int64_t* total) {
    // NULL parameters switch a condition off, so one prepared statement serves every filter
    static constexpr const char* kWhere =
        " WHERE (CAST($1 AS TEXT) IS NULL OR action = $1) AND (CAST($2 AS BIGINT) IS NULL OR "
        "actor_id = $2)"
        " AND (CAST($3 AS BIGINT) IS NULL OR at >= $3) AND (CAST($4 AS BIGINT) IS NULL OR at < $4)";
    const Value action = f.action ? Value{*f.action} : Value{nullptr};
    const Value actor = f.actor_id ? Value{*f.actor_id} : Value{nullptr};
    const Value since = f.since ? Value{*f.since} : Value{nullptr};
    const Value until = f.until ? Value{*f.until} : Value{nullptr};
    std::vector<AuditRecord> out;
    db_.read([&](store::Connection& c) {
        if (total) {
            const auto r = c.run(std::string("SELECT COUNT(*) AS n FROM audit_log") + kWhere,
                                 {action, actor, since, until});
            *total = r.front().integer("n");
        }
        const auto rows =
            c.run(std::string("SELECT * FROM audit_log") + kWhere +
                      " ORDER BY id DESC LIMIT $5 OFFSET $6",
                  {action, actor, since, until, std::int64_t{limit}, std::int64_t{offset}});
        for (const auto& row : rows.rows) {
            out.push_back({row.integer("id"), row.integer("at"), row.opt_integer("actor_id"),
                           row.text("actor"), row.text("action"), row.text("target"),
                           row.text("outcome"), row.text("ip"), row.text("request_id"),
                           row.text("detail")});
        }
    });
    return out;
}

}  // namespace gridgov::people
