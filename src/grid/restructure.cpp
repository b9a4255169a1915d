// Versioned restructuring of the grid tree (splitting, merging, renumbering grids and
// micro-grids) and the queries of the tree as it was at a time. Old nodes are retired, never
// deleted: records routed to them keep pointing at them, and the lineage says what they became.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <set>

#include "core/error.hpp"
#include "geo/geojson.hpp"
#include "geo/geos_ops.hpp"
#include "grid/grid_service.hpp"

namespace gridgov::grid {

using store::Value;

namespace {

// Thrown inside a transaction to roll back a dry run after everything has been checked.
struct DryRun {};

// Live at $1: node and boundary versions whose validity period holds the time.
constexpr const char* kNodesAt =
    "SELECT n.*, b.area_m2 FROM grid_nodes n LEFT JOIN grid_boundaries b ON b.node_id = n.id "
    "AND b.valid_from <= $1 AND (b.valid_to IS NULL OR b.valid_to > $1) "
    "WHERE n.valid_from <= $1 AND (n.valid_to IS NULL OR n.valid_to > $1) ";

std::string suffix_of(const GridNode& n) {
    return n.code.substr(code_length(n.level - 1));
}

std::string describe(const Finding& f) {
    std::string codes;
    for (const auto& code : f.codes) codes += (codes.empty() ? "" : ", ") + code;
    return fmt::format("{} of {:.0f} m² at [{:.6f}, {:.6f}] ({}){}{}", f.kind, f.area_m2,
                       f.point.lon, f.point.lat, codes, f.detail.empty() ? "" : ": ", f.detail);
}

std::optional<geo::MultiPolygon> current_shape(store::Connection& c, std::int64_t id) {
    const auto r =
        c.run("SELECT geometry FROM grid_boundaries WHERE node_id = $1 AND valid_to IS NULL", {id});
    if (r.empty()) return std::nullopt;
    return geo::parse_geometry(boost::json::parse(r.front().text("geometry")));
}

// A code under `parent` ending in `preferred` if free, else the first free suffix.
std::string free_code(store::Connection& c, const GridNode& parent, const std::string& preferred,
                      std::set<std::string>& taken) {
    const std::size_t width = code_length(parent.level + 1) - parent.code.size();
    auto is_free = [&](const std::string& code) {
        return !taken.contains(code) &&
               c.run("SELECT 1 FROM grid_nodes WHERE code = $1", {code}).empty();
    };
    std::string code = parent.code + preferred;
    if (!is_free(code)) {
        code.clear();
        const int limit = width == 3 ? 999 : 99;
        for (int i = 1; i <= limit && code.empty(); ++i) {
            std::string candidate = parent.code + fmt::format("{:0{}}", i, width);
            if (is_free(candidate)) code = std::move(candidate);
        }
        if (code.empty()) {
            throw Error(ErrorCode::conflict,
                        fmt::format("No free code is left under {}.", parent.code));
        }
    }
    taken.insert(code);
    return code;
}

NewNode carried(const GridNode& old, std::string code, std::optional<geo::MultiPolygon> shape) {
    NewNode in;
    in.code = std::move(code);
    in.name = old.name;
    in.kind = old.kind;
    in.subtype = old.subtype;
    in.households = old.households;
    in.population = old.population;
    in.boundary = std::move(shape);
    return in;
}

}  // namespace

// The permission itself is checked (and a denial audited) before the transaction.
void GridService::require_restructure(const accounts::Principal* actor, const GridNode& node,
                                      const char* field) {
    if (actor && actor->scope_node_id && !is_within(node.id, *actor->scope_node_id)) {
        throw Error(ErrorCode::not_found, "No such node.");
    }
    require_current(node);
    if (node.level < grid_level) {
        throw Error(ErrorCode::invalid_field,
                    "Only grids and micro-grids are split, merged or renumbered; the levels above "
                    "follow the national division codes.",
                    field);
    }
}

void GridService::retire(store::Connection& c, const GridNode& node, Millis now) {
    const auto r = c.run(
        "UPDATE grid_nodes SET valid_to = $1, updated_at = $1, version = version + 1 WHERE id = "
        "$2 AND valid_to IS NULL",
        {now, node.id});
    if (r.affected != 1) require_current(*load(c, node.id));  // retired meanwhile
    c.run("UPDATE grid_boundaries SET valid_to = $1 WHERE node_id = $2 AND valid_to IS NULL",
          {now, node.id});
}

void GridService::link(store::Connection& c, const std::string& operation, std::int64_t from,
                       std::int64_t to, Millis now, const accounts::Principal* actor,
                       const std::string& reason) {
    const Value by =
        actor && actor->kind == accounts::Principal::Kind::user ? Value{actor->id} : Value{nullptr};
    c.run(
        "INSERT INTO grid_lineage (operation, predecessor_id, successor_id, at, changed_by, "
        "reason) VALUES ($1, $2, $3, $4, $5, $6)",
        {operation, from, to, now, by, reason});
}

namespace {

// Workers of the old node serve the new one (once each); users and keys scoped to it follow.
void hand_over(store::Connection& c, std::int64_t from, std::int64_t to) {
    c.run(
        "UPDATE grid_workers SET node_id = $1 WHERE node_id = $2 AND user_id NOT IN "
        "(SELECT user_id FROM grid_workers WHERE node_id = $1)",
        {to, from});
    c.run("DELETE FROM grid_workers WHERE node_id = $1", {from});
    c.run("UPDATE users SET scope_node_id = $1 WHERE scope_node_id = $2", {to, from});
    c.run("UPDATE api_keys SET scope_node_id = $1 WHERE scope_node_id = $2", {to, from});
}

}  // namespace

GridNode GridService::succeed(store::Connection& c, const GridNode& old, const GridNode& parent,
                              const NewNode& as, const std::string& operation, Millis now,
                              const accounts::Principal* actor, const std::string& reason,
                              Restructured& out) {
    retire(c, old, now);
    GridNode created = insert(c, as, parent, now, actor);
    link(c, operation, old.id, created.id, now, actor, reason);
    hand_over(c, old.id, created.id);
    out.retired.push_back(*load(c, old.id));
    out.created.push_back(created);
    std::vector<std::pair<GridNode, geo::MultiPolygon>> to;
    to.emplace_back(created, as.boundary.value_or(geo::MultiPolygon{}));
    carry_children(c, old, to, now, actor, reason, out);
    return created;
}

void GridService::carry_children(store::Connection& c, const GridNode& from,
                                 const std::vector<std::pair<GridNode, geo::MultiPolygon>>& to,
                                 Millis now, const accounts::Principal* actor,
                                 const std::string& reason, Restructured& out) {
    std::vector<GridNode> children;
    for (const auto& row :
         c.run("SELECT n.*, NULL AS area_m2 FROM grid_nodes n WHERE n.parent_id = $1 AND "
               "n.valid_to IS NULL ORDER BY n.code",
               {from.id})
             .rows) {
        children.push_back(node_from_row(row));
    }
    std::set<std::string> taken;
    for (const GridNode& child : children) {
        auto shape = current_shape(c, child.id);
        std::size_t best = 0;
        if (shape && to.size() > 1) {
            double most = -1;
            for (std::size_t i = 0; i < to.size(); ++i) {
                const double shared = geo::area_m2(geo::intersection(*shape, to[i].second));
                if (shared > most) most = shared, best = i;
            }
        }
        const GridNode& parent = to[best].first;
        std::string code = free_code(c, parent, suffix_of(child), taken);
        succeed(c, child, parent, carried(child, std::move(code), std::move(shape)), "move", now,
                actor, reason, out);
    }
}

Restructured GridService::split(std::int64_t id, const std::vector<SplitPart>& parts,
                                const std::string& reason, const CoverageOptions& options,
                                bool dry_run, const accounts::Principal* actor,
                                const accounts::RequestOrigin& origin) {
    if (parts.size() < 2 || parts.size() > 100) {
        throw Error(ErrorCode::invalid_field, "A split has 2 to 100 parts.", "parts");
    }
    require_manage(actor, origin, fmt::format("grid:{}", id));
    Restructured out;
    try {
        db_.transact([&](store::Connection& c) {
            const auto old = load(c, id);
            if (!old) throw Error(ErrorCode::not_found, "No such node.");
            require_restructure(actor, *old, "id");
            const auto shape = current_shape(c, id);
            if (!shape)
                throw Error(ErrorCode::invalid_field, "The node has no boundary to split.", "id");
            // the parts must tile the old area
            std::vector<CoverageNode> check{{old->id, old->code, old->name, 0, *shape}};
            for (std::size_t i = 0; i < parts.size(); ++i) {
                check.push_back({-static_cast<std::int64_t>(i) - 1, parts[i].code, parts[i].name,
                                 old->id, parts[i].boundary});
            }
            out.check = check_coverage(check, options);
            if (!out.check.findings.empty() && !dry_run) {
                throw Error(
                    ErrorCode::invalid_field,
                    "The parts do not tile the node: " + describe(out.check.findings.front()),
                    "parts");
            }
            const auto parent = load(c, *old->parent_id);
            const Millis now = clock_.now();
            retire(c, *old, now);
            std::vector<std::pair<GridNode, geo::MultiPolygon>> pieces;
            for (std::size_t i = 0; i < parts.size(); ++i) {
                const SplitPart& part = parts[i];
                NewNode in = carried(*old, part.code, part.boundary);
                in.name = part.name;
                if (part.kind) in.kind = part.kind, in.subtype = part.subtype;
                in.households = part.households;
                in.population = part.population;
                GridNode created;
                try {
                    created = insert(c, in, parent, now, actor);
                } catch (const Error& e) {
                    if (e.field().empty()) throw;
                    throw Error(e.code(), e.what(), fmt::format("parts[{}].{}", i, e.field()));
                }
                link(c, "split", old->id, created.id, now, actor, reason);
                out.created.push_back(created);
                pieces.emplace_back(std::move(created), part.boundary);
            }
            hand_over(c, old->id, pieces.front().first.id);
            out.retired.push_back(*load(c, old->id));
            carry_children(c, *old, pieces, now, actor, reason, out);
            bump_generation(c);
            audit_.record(c, actor, origin, "grid_split", "grid:" + old->code, "ok",
                          fmt::format("into {} parts: {}", parts.size(), reason));
            if (dry_run) throw DryRun{};
        });
    } catch (const DryRun&) {
        return out;
    }
    reload();
    return out;
}

Restructured GridService::merge(const std::vector<std::int64_t>& ids, const SplitPart& result,
                                const std::string& reason, bool dry_run,
                                const accounts::Principal* actor,
                                const accounts::RequestOrigin& origin) {
    const std::set<std::int64_t> distinct(ids.begin(), ids.end());
    if (distinct.size() < 2 || distinct.size() != ids.size() || ids.size() > 50) {
        throw Error(ErrorCode::invalid_field, "A merge takes 2 to 50 different nodes.", "node_ids");
    }
    require_manage(actor, origin, "grid:merge");
    Restructured out;
    try {
        db_.transact([&](store::Connection& c) {
            std::vector<GridNode> olds;
            std::vector<geo::MultiPolygon> shapes;
            for (std::int64_t id : ids) {
                auto n = load(c, id);
                if (!n) throw Error(ErrorCode::invalid_field, "No such node.", "node_ids");
                require_restructure(actor, *n, "node_ids");
                if (!olds.empty() && n->parent_id != olds.front().parent_id) {
                    throw Error(ErrorCode::invalid_field,
                                "Only siblings (nodes with the same parent) are merged.",
                                "node_ids");
                }
                auto shape = current_shape(c, id);
                if (!shape) {
                    throw Error(ErrorCode::invalid_field,
                                fmt::format("Node {} has no boundary.", n->code), "node_ids");
                }
                olds.push_back(std::move(*n));
                shapes.push_back(std::move(*shape));
            }
            // they must form one area: every node reachable from the first over shared edges
            std::vector<bool> reached(olds.size(), false);
            std::vector<std::size_t> todo{0};
            reached[0] = true;
            while (!todo.empty()) {
                const std::size_t i = todo.back();
                todo.pop_back();
                for (std::size_t j = 0; j < olds.size(); ++j) {
                    if (!reached[j] && geo::shared_boundary_m(shapes[i], shapes[j]) > 1.0) {
                        reached[j] = true;
                        todo.push_back(j);
                    }
                }
            }
            if (std::find(reached.begin(), reached.end(), false) != reached.end()) {
                throw Error(ErrorCode::invalid_field,
                            "The nodes do not form one area (each must share an edge with "
                            "another).",
                            "node_ids");
            }
            NewNode in = carried(olds.front(), result.code, geo::union_all(shapes));
            geo::normalize(*in.boundary);
            in.name = result.name;
            if (result.kind) in.kind = result.kind, in.subtype = result.subtype;
            in.households = result.households;
            in.population = result.population;
            if (!in.households || !in.population) {
                std::int64_t households = 0, population = 0;
                bool known_h = true, known_p = true;
                for (const auto& n : olds) {
                    known_h = known_h && n.households, known_p = known_p && n.population;
                    households += n.households.value_or(0);
                    population += n.population.value_or(0);
                }
                if (!in.households && known_h) in.households = households;
                if (!in.population && known_p) in.population = population;
            }
            const auto parent = load(c, *olds.front().parent_id);
            const Millis now = clock_.now();
            for (const auto& n : olds) retire(c, n, now);
            GridNode created = insert(c, in, parent, now, actor);
            out.created.push_back(created);
            std::string codes;
            for (const auto& n : olds) {
                link(c, "merge", n.id, created.id, now, actor, reason);
                hand_over(c, n.id, created.id);
                out.retired.push_back(*load(c, n.id));
                codes += (codes.empty() ? "" : "+") + n.code;
            }
            const std::vector<std::pair<GridNode, geo::MultiPolygon>> to{{created, *in.boundary}};
            for (const auto& n : olds) carry_children(c, n, to, now, actor, reason, out);
            bump_generation(c);
            audit_.record(c, actor, origin, "grid_merged", "grid:" + created.code, "ok",
                          fmt::format("{}: {}", codes, reason));
            if (dry_run) throw DryRun{};
        });
    } catch (const DryRun&) {
        return out;
    }
    reload();
    return out;
}

Restructured GridService::renumber(std::int64_t id, const std::string& new_code,
                                   const std::string& reason, bool dry_run,
                                   const accounts::Principal* actor,
                                   const accounts::RequestOrigin& origin) {
    require_manage(actor, origin, fmt::format("grid:{}", id));
    Restructured out;
    try {
        db_.transact([&](store::Connection& c) {
            const auto old = load(c, id);
            if (!old) throw Error(ErrorCode::not_found, "No such node.");
            require_restructure(actor, *old, "id");
            if (level_of_code(new_code) != old->level) {
                throw Error(ErrorCode::invalid_field,
                            fmt::format("A {} code has {} digits.", level_name(old->level),
                                        code_length(old->level)),
                            "code");
            }
            // the code names the parent: a code under another community moves the grid there
            const std::string parent_code = new_code.substr(0, code_length(old->level - 1));
            const auto r = c.run("SELECT n.*, NULL AS area_m2 FROM grid_nodes n WHERE n.code = $1",
                                 {parent_code});
            if (r.empty()) {
                throw Error(
                    ErrorCode::invalid_field,
                    fmt::format("No node has the code {} to hold {}.", parent_code, new_code),
                    "code");
            }
            const GridNode parent = node_from_row(r.front());
            require_current(parent);
            if (actor && actor->scope_node_id && !is_within(parent.id, *actor->scope_node_id)) {
                throw Error(ErrorCode::forbidden, "That is outside your part of the grid tree.",
                            "code");
            }
            const Millis now = clock_.now();
            const std::string operation = parent.id == old->parent_id ? "renumber" : "move";
            succeed(c, *old, parent, carried(*old, new_code, current_shape(c, id)), operation, now,
                    actor, reason, out);
            bump_generation(c);
            audit_.record(c, actor, origin, "grid_renumbered", "grid:" + old->code, "ok",
                          fmt::format("to {}: {}", new_code, reason));
            if (dry_run) throw DryRun{};
        });
    } catch (const DryRun&) {
        return out;
    }
    reload();
    return out;
}

std::vector<LineageLink> GridService::lineage(std::int64_t id, const accounts::Principal* viewer) {
    get(id, viewer);  // exists and visible
    std::vector<LineageLink> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run("SELECT l.*, p.code AS predecessor_code, s.code AS successor_code FROM "
                   "grid_lineage l JOIN grid_nodes p ON p.id = l.predecessor_id JOIN grid_nodes s "
                   "ON s.id = l.successor_id WHERE l.predecessor_id = $1 OR l.successor_id = $1 "
                   "ORDER BY l.at, l.id",
                   {id})
                 .rows) {
            out.push_back({row.text("operation"), row.integer("predecessor_id"),
                           row.text("predecessor_code"), row.integer("successor_id"),
                           row.text("successor_code"), row.integer("at"),
                           row.opt_text("reason").value_or("")});
        }
    });
    return out;
}

std::vector<GridNode> GridService::children_as_of(std::optional<std::int64_t> parent, Millis as_of,
                                                  const accounts::Principal* viewer) {
    std::vector<GridNode> out;
    db_.read([&](store::Connection& c) {
        const auto r =
            parent
                ? c.run(std::string(kNodesAt) + "AND n.parent_id = $2 ORDER BY n.code",
                        {as_of, *parent})
                : c.run(std::string(kNodesAt) + "AND n.parent_id IS NULL ORDER BY n.code", {as_of});
        for (const auto& row : r.rows) out.push_back(node_from_row(row));
    });
    std::erase_if(out, [&](const GridNode& n) { return !visible(viewer, n); });
    return out;
}

LocatedAsOf GridService::locate_as_of(geo::LonLat p, Millis as_of,
                                      const accounts::Principal* viewer) {
    std::optional<std::int64_t> found;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            "SELECT n.id, b.geometry FROM grid_boundaries b JOIN grid_nodes n ON n.id = b.node_id "
            "WHERE b.valid_from <= $1 AND (b.valid_to IS NULL OR b.valid_to > $1) "
            "AND n.valid_from <= $1 AND (n.valid_to IS NULL OR n.valid_to > $1) "
            "AND b.min_lon <= $2 AND b.max_lon >= $2 AND b.min_lat <= $3 AND b.max_lat >= $3 "
            "ORDER BY n.level DESC, n.code",
            {as_of, p.lon, p.lat});
        for (const auto& row : rows.rows) {
            if (geo::contains(geo::parse_geometry(boost::json::parse(row.text("geometry"))), p)) {
                found = row.integer("id");
                break;
            }
        }
    });
    LocatedAsOf out;
    if (!found) return out;
    try {
        out.path = ancestors(*found, viewer);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::not_found) throw;
    }
    return out;
}

}  // namespace gridgov::grid
