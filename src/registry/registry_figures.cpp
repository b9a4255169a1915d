#include "registry/registry_figures.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::registry {

using store::Value;

RegistryFigures registry_figures(store::Database& db, grid::GridService& grid,
                                 const people::Principal& viewer,
                                 std::optional<std::int64_t> node_id, Millis since, Millis until,
                                 Millis now) {
    using people::Role;
    if (viewer.role == Role::dept_handler || viewer.role == Role::volunteer)
        throw Error(ErrorCode::forbidden, "Your role does not see the registry.");
    if (node_id && viewer.scope_node_id && !grid.is_within(*node_id, *viewer.scope_node_id))
        throw Error(ErrorCode::forbidden, "The node is outside your scope.", "node_id");
    const auto node = node_id ? node_id : viewer.scope_node_id;
    std::string prefix = "/";
    if (node) {
        const auto path = grid.path_of(*node);
        if (!path) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
        prefix = *path;
    }
    const Value under{prefix + "%"};
    RegistryFigures out;
    db.read([&](store::Connection& c) {
        for (const auto& row :
             c.run("SELECT household_type, state, COUNT(*) AS n FROM people WHERE "
                   "node_path LIKE $1 GROUP BY household_type, state",
                   {under})
                 .rows) {
            const auto n = row.integer("n");
            out.people += n;
            out.by_household_type[row.text("household_type")] += n;
            out.by_state[row.text("state")] += n;
        }
        for (const auto& row :
             c.run("SELECT t.tag, COUNT(*) AS n FROM person_tags t JOIN people p ON p.id = "
                   "t.person_id WHERE p.node_path LIKE $1 GROUP BY t.tag",
                   {under})
                 .rows)
            out.by_group[row.text("tag")] = row.integer("n");
        const auto period = c.run(
            "SELECT SUM(CASE WHEN collected_at >= $2 AND collected_at < $3 THEN 1 ELSE 0 END) AS "
            "collected, SUM(CASE WHEN verified_at >= $2 AND verified_at < $3 THEN 1 ELSE 0 END) "
            "AS verified FROM people WHERE node_path LIKE $1",
            {under, since, until});
        out.collected_in_period = period.front().opt_integer("collected").value_or(0);
        out.verified_in_period = period.front().opt_integer("verified").value_or(0);
        out.visits_due =
            c.run(
                 "SELECT COUNT(*) AS n FROM person_tags t JOIN people p ON p.id = t.person_id "
                 "WHERE p.node_path LIKE $1 AND CASE WHEN t.last_visit_at IS NULL THEN "
                 "t.created_at ELSE t.last_visit_at + CAST(t.visit_every_days AS BIGINT) * "
                 "86400000 END <= $2",
                 {under, now})
                .front()
                .integer("n");
        for (const auto& row :
             c.run("SELECT COALESCE(room_use, 'unknown') AS room_use, COUNT(*) AS n FROM addresses "
                   "WHERE level = 'room' AND node_path LIKE $1 GROUP BY COALESCE(room_use, "
                   "'unknown')",
                   {under})
                 .rows) {
            out.rooms += row.integer("n");
            out.rooms_by_use[row.text("room_use")] = row.integer("n");
        }
        out.households =
            c.run("SELECT COUNT(*) AS n FROM households WHERE node_path LIKE $1", {under})
                .front()
                .integer("n");
        for (const auto& row :
             c.run("SELECT risk_level, COUNT(*) AS n, SUM(CASE WHEN last_inspected_at IS NULL OR "
                   "last_inspected_at + inspect_every_days * 86400000 < $2 THEN 1 ELSE 0 END) AS "
                   "due FROM key_places WHERE node_path LIKE $1 GROUP BY risk_level",
                   {under, now})
                 .rows) {
            out.key_places_by_risk[row.text("risk_level")] = row.integer("n");
            out.inspections_due += row.opt_integer("due").value_or(0);
        }
        out.organisations =
            c.run("SELECT COUNT(*) AS n FROM organisations WHERE node_path LIKE $1", {under})
                .front()
                .integer("n");
        out.licences_expiring =
            c.run(
                 "SELECT COUNT(*) AS n FROM licences WHERE node_path LIKE $1 AND valid_until <= "
                 "$2",
                 {under, day_string(local_day(now + 30 * kDay))})
                .front()
                .integer("n");
    });
    return out;
}

}  // namespace gridgov::registry
