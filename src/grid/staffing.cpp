#include "grid/staffing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "geo/geos_ops.hpp"

namespace gridgov::grid {

namespace {

void require_manage(const accounts::Principal* actor, accounts::AuditLog& audit,
                    const accounts::RequestOrigin& origin, const std::string& target) {
    if (actor == nullptr || actor->can(accounts::Permission::manage_grid)) return;
    audit.record(actor, origin, "denied", target, "denied", "manage grid");
    throw Error(ErrorCode::forbidden);
}

}  // namespace

void GridStaffing::assign(std::int64_t node_id, std::int64_t user_id, const std::string& duty,
                          const accounts::Principal* actor, const accounts::RequestOrigin& origin) {
    const std::string target = fmt::format("grid:{}", node_id);
    require_manage(actor, audit_, origin, target);
    if (duty != "full_time" && duty != "part_time" && duty != "head") {
        throw Error(ErrorCode::invalid_field,
                    "The duty is full_time (专职), part_time (兼职) or head (网格长).", "duty");
    }
    const GridNode node = grid_.get(node_id, actor);
    if (actor && actor->scope_node_id && !grid_.is_within(node_id, *actor->scope_node_id)) {
        throw Error(ErrorCode::not_found, "No such node.");
    }
    require_current(node);
    if (duty == "head" ? node.level < community : node.level < grid_level) {
        throw Error(ErrorCode::invalid_field,
                    duty == "head" ? "Grid heads serve communities, grids and micro-grids."
                                   : "Grid workers serve grids and micro-grids.",
                    "node_id");
    }
    db_.transact([&](store::Connection& c) {
        const auto u = c.run("SELECT role, active FROM users WHERE id = $1", {user_id});
        if (u.empty()) throw Error(ErrorCode::invalid_field, "No such user.", "user_id");
        const std::string role = u.front().text("role");
        if (u.front().integer("active") == 0 || (role != "grid_worker" && role != "grid_head")) {
            throw Error(ErrorCode::invalid_field,
                        "Only active grid workers and grid heads serve grids.", "user_id");
        }
        c.run("DELETE FROM grid_workers WHERE node_id = $1 AND user_id = $2", {node_id, user_id});
        c.run("INSERT INTO grid_workers (node_id, user_id, duty, since) VALUES ($1, $2, $3, $4)",
              {node_id, user_id, duty, clock_.now()});
        audit_.record(c, actor, origin, "grid_worker_assigned", "grid:" + node.code, "ok",
                      fmt::format("user:{} {}", user_id, duty));
    });
}

void GridStaffing::remove(std::int64_t node_id, std::int64_t user_id,
                          const accounts::Principal* actor, const accounts::RequestOrigin& origin) {
    const std::string target = fmt::format("grid:{}", node_id);
    require_manage(actor, audit_, origin, target);
    const GridNode node = grid_.get(node_id, actor);
    db_.transact([&](store::Connection& c) {
        const auto r = c.run("DELETE FROM grid_workers WHERE node_id = $1 AND user_id = $2",
                             {node_id, user_id});
        if (r.affected == 0)
            throw Error(ErrorCode::not_found, "That user does not serve this node.");
        audit_.record(c, actor, origin, "grid_worker_removed", "grid:" + node.code, "ok",
                      fmt::format("user:{}", user_id));
    });
}

std::vector<GridWorker> GridStaffing::workers(std::int64_t node_id,
                                              const accounts::Principal* viewer) {
    grid_.get(node_id, viewer);  // visibility
    std::vector<GridWorker> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            "SELECT w.user_id, w.duty, w.since, u.login, u.name, u.role FROM grid_workers w JOIN "
            "users u ON u.id = "
            "w.user_id WHERE w.node_id = $1 ORDER BY w.duty, u.login",
            {node_id});
        for (const auto& row : rows.rows) {
            out.push_back({row.integer("user_id"), row.text("login"), row.text("name"),
                           row.text("role"), row.text("duty"), row.integer("since")});
        }
    });
    return out;
}

std::vector<ServedNode> GridStaffing::served_by(std::int64_t user_id) {
    std::vector<ServedNode> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            "SELECT n.*, NULL AS area_m2, w.duty, w.since FROM grid_workers w JOIN grid_nodes n ON "
            "n.id = w.node_id WHERE w.user_id = $1 AND n.valid_to IS NULL ORDER BY n.code",
            {user_id});
        for (const auto& row : rows.rows)
            out.push_back({node_from_row(row), row.text("duty"), row.integer("since")});
    });
    return out;
}

std::vector<StaffingGap> GridStaffing::one_worker_per_grid(std::optional<std::int64_t> root,
                                                           const accounts::Principal* viewer) {
    if (viewer && viewer->scope_node_id && !root) root = viewer->scope_node_id;
    std::string prefix = "/";
    if (root) prefix = grid_.get(*root, viewer).path;
    std::vector<StaffingGap> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            "SELECT n.*, NULL AS area_m2, (SELECT COUNT(*) FROM grid_workers w JOIN users u ON "
            "u.id = w.user_id "
            "WHERE w.node_id = n.id AND w.duty = 'full_time' AND u.active = 1) AS full_time FROM "
            "grid_nodes n "
            "WHERE n.path LIKE $1 AND n.valid_to IS NULL AND n.level = 5 AND n.kind = "
            "'comprehensive' ORDER BY n.code",
            {prefix + "%"});
        for (const auto& row : rows.rows) {
            const auto full_time = static_cast<int>(row.integer("full_time"));
            if (full_time != 1) out.push_back({node_from_row(row), full_time});
        }
    });
    return out;
}

std::vector<Neighbour> GridStaffing::neighbours(std::int64_t node_id,
                                                const accounts::Principal* viewer) {
    const GridNode node = grid_.get(node_id, viewer);
    const auto shape = grid_.boundary(node_id, std::nullopt);
    if (!shape) return {};
    const auto snap = grid_.snapshot();
    geo::Box box = geo::bounding_box(*shape);
    constexpr double kPad = 1e-5;  // about a metre
    box = {box.min_lon - kPad, box.min_lat - kPad, box.max_lon + kPad, box.max_lat + kPad};
    std::vector<Neighbour> out;
    for (const auto& [other, other_shape] : snap->shapes_in(node.level, box)) {
        if (other->id == node_id) continue;
        const double shared = geo::shared_boundary_m(*shape, *other_shape);
        if (shared < 1.0) continue;
        try {
            out.push_back({grid_.get(other->id, viewer), shared});
        } catch (const Error&) {
            // outside the viewer's scope: not listed
        }
    }
    std::sort(out.begin(), out.end(),
              [](const Neighbour& a, const Neighbour& b) { return a.shared_m > b.shared_m; });
    return out;
}

std::vector<Nearby> GridStaffing::nearby(geo::LonLat p, double radius_m, int level,
                                         const accounts::Principal* viewer) {
    const auto snap = grid_.snapshot();
    const double dlat = radius_m / 110'574.0;
    const double dlon =
        radius_m / (111'320.0 * std::max(0.01, std::cos(p.lat * std::numbers::pi / 180)));
    std::vector<Nearby> out;
    for (const auto& [n, shape] :
         snap->shapes_in(level, {p.lon - dlon, p.lat - dlat, p.lon + dlon, p.lat + dlat})) {
        const double d = geo::distance_m(p, *shape);
        if (d > radius_m) continue;
        if (viewer && viewer->scope_node_id && !snap->is_within(n->id, *viewer->scope_node_id))
            continue;
        out.push_back({n->id, n->code, n->name, n->level, d});
    }
    std::sort(out.begin(), out.end(), [](const Nearby& a, const Nearby& b) {
        return a.distance_m < b.distance_m || (a.distance_m == b.distance_m && a.code < b.code);
    });
    return out;
}

}  // namespace gridgov::grid
