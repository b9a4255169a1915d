#include "registry/registry_figures.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::registry {

using store::Value;

void rebuild_registry_tallies(store::Connection& c) {
    c.run("DELETE FROM registry_tallies");
    c.run(
        "INSERT INTO registry_tallies (node_id, node_path, kind, key, n) SELECT node_id, "
        "MIN(node_path), 'people', household_type || '/' || state, COUNT(*) FROM people GROUP BY "
        "node_id, household_type, state");
    c.run(
        "INSERT INTO registry_tallies (node_id, node_path, kind, key, n) SELECT node_id, "
        "MIN(node_path), 'room', COALESCE(room_use, 'unknown'), COUNT(*) FROM addresses WHERE "
        "level = 'room' AND node_id IS NOT NULL GROUP BY node_id, COALESCE(room_use, 'unknown')");
    c.run(
        "INSERT INTO registry_tallies (node_id, node_path, kind, key, n) SELECT node_id, "
        "MIN(node_path), 'household', '', COUNT(*) FROM households GROUP BY node_id");
}

RegistryFigures registry_figures(store::Database& db, grid::GridService& grid,
                                 const accounts::Principal& viewer,
                                 std::optional<std::int64_t> node_id, Millis since, Millis until,
                                 Millis now) {
    auto scope = accounts::Scope::of(viewer, grid);
    scope.require(accounts::Area::registry);
    const std::string prefix = scope.narrowed(node_id, grid).path();
    const Value under{prefix + "%"};
    RegistryFigures out;
    db.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT kind, key, SUM(n) AS n FROM registry_tallies WHERE "
                                     "node_path LIKE $1 GROUP BY kind, key",
                                     {under})
                                   .rows) {
            const auto n = row.integer("n");
            if (n == 0) continue;
            const auto kind = row.text("kind");
            const auto key = row.text("key");
            if (kind == "people") {
                const auto slash = key.find('/');
                out.people += n;
                out.by_household_type[key.substr(0, slash)] += n;
                out.by_state[key.substr(slash + 1)] += n;
            } else if (kind == "room") {
                out.rooms += n;
                out.rooms_by_use[key] += n;
            } else if (kind == "household") {
                out.households += n;
            }
        }
        for (const auto& row :
             c.run(
                  "SELECT tag, COUNT(*) AS n FROM person_tags WHERE node_path LIKE $1 GROUP BY tag",
                  {under})
                 .rows)
            out.by_group[row.text("tag")] = row.integer("n");
        out.collected_in_period =
            c.run(
                 "SELECT COUNT(*) AS n FROM people WHERE collected_at >= $2 AND collected_at < $3 "
                 "AND node_path LIKE $1",
                 {under, since, until})
                .front()
                .integer("n");
        out.verified_in_period =
            c.run(
                 "SELECT COUNT(*) AS n FROM people WHERE verified_at >= $2 AND verified_at < $3 "
                 "AND node_path LIKE $1",
                 {under, since, until})
                .front()
                .integer("n");
        out.visits_due =
            c.run(
                 "SELECT COUNT(*) AS n FROM person_tags WHERE node_path LIKE $1 AND CASE WHEN "
                 "last_visit_at IS NULL THEN created_at ELSE last_visit_at + "
                 "CAST(visit_every_days AS BIGINT) * 86400000 END <= $2",
                 {under, now})
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
