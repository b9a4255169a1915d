#include "grid/grid_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <unordered_map>

#include "core/error.hpp"
#include "geo/geojson.hpp"

namespace gridgov::grid {

using store::Value;

namespace {

constexpr const char* kNodeSelect =
    "SELECT n.*, b.area_m2 FROM grid_nodes n "
    "LEFT JOIN grid_boundaries b ON b.node_id = n.id AND (b.valid_to IS NULL OR b.valid_to = "
    "n.valid_to) ";

void validate_name(const std::string& name) {
    std::size_t chars = 0;
    for (unsigned char ch : name) chars += (ch & 0xC0) != 0x80;
    if (chars == 0 || chars > 100 || name.find_first_of("\r\n\t") != std::string::npos) {
        throw Error(ErrorCode::invalid_field, "A name has 1 to 100 characters on one line.",
                    "name");
    }
}

void validate_count(const std::optional<std::int64_t>& v, const char* field) {
    if (v && (*v < 0 || *v > 100'000'000)) {
        throw Error(ErrorCode::invalid_field,
                    fmt::format("'{}' is a count from 0 to 100,000,000.", field), field);
    }
}

void validate_shape(const geo::MultiPolygon& shape) {
    if (shape.empty())
        throw Error(ErrorCode::invalid_field, "A boundary needs at least one polygon.", "boundary");
    if (geo::area_m2(shape) < 1.0)
        throw Error(ErrorCode::invalid_field, "The boundary has no area.", "boundary");
}

}  // namespace

GridNode node_from_row(const store::Row& row) {
    GridNode n;
    n.id = row.integer("id");
    n.code = row.text("code");
    n.name = row.text("name");
    n.level = static_cast<int>(row.integer("level"));
    n.parent_id = row.opt_integer("parent_id");
    n.path = row.text("path");
    n.kind = row.opt_text("kind");
    n.subtype = row.opt_text("subtype");
    n.households = row.opt_integer("households");
    n.population = row.opt_integer("population");
    if (!row.is_null("area_m2")) n.area_m2 = row.real("area_m2");
    n.created_at = row.integer("created_at");
    n.updated_at = row.integer("updated_at");
    n.version = static_cast<int>(row.integer("version"));
    n.valid_from = row.integer("valid_from");
    n.valid_to = row.opt_integer("valid_to");
    return n;
}

GridService::GridService(store::Database& db, accounts::AuditLog& audit, const Clock& clock)
    : db_(db),
      audit_(audit),
      clock_(clock),
      snapshot_(std::make_shared<GridSnapshot>(std::vector<GridSnapshot::Node>{},
                                               std::vector<GridSnapshot::Shape>{})) {}

void require_current(const GridNode& node) {
    if (node.valid_to) {
        throw Error(ErrorCode::conflict,
                    fmt::format("Node {} was retired at {} (split, merged or renumbered).",
                                node.code, format_rfc3339(*node.valid_to)));
    }
}

void GridService::bump_generation(store::Connection& c) {
    c.run("UPDATE change_generations SET generation = generation + 1 WHERE topic = 'grid'");
}

bool GridService::refresh_if_changed() {
    std::int64_t generation = 0;
    db_.read([&](store::Connection& c) {
        generation = c.run("SELECT generation FROM change_generations WHERE topic = 'grid'")
                         .front()
                         .integer("generation");
    });
    {
        std::lock_guard lock(snapshot_mutex_);
        if (generation == loaded_generation_) return false;
    }
    reload();
    return true;
}

void GridService::reload() {
    std::vector<GridSnapshot::Node> nodes;
    std::vector<GridSnapshot::Shape> shapes;
    std::int64_t generation = 0;
    db_.read([&](store::Connection& c) {
        generation = c.run("SELECT generation FROM change_generations WHERE topic = 'grid'")
                         .front()
                         .integer("generation");
        for (const auto& row : c.run("SELECT id, parent_id, level, code, name, kind, households, "
                                     "population FROM grid_nodes WHERE valid_to IS NULL")
                                   .rows) {
            nodes.push_back({row.integer("id"), row.opt_integer("parent_id"),
                             static_cast<int>(row.integer("level")), row.text("code"),
                             row.text("name"), row.opt_text("kind").value_or(""),
                             row.opt_integer("households").value_or(-1),
                             row.opt_integer("population").value_or(-1)});
        }
        for (const auto& row :
             c.run("SELECT node_id, geometry FROM grid_boundaries WHERE valid_to IS NULL").rows) {
            shapes.push_back({row.integer("node_id"),
                              geo::parse_geometry(boost::json::parse(row.text("geometry")))});
        }
    });
    auto next = std::make_shared<const GridSnapshot>(std::move(nodes), std::move(shapes));
    std::lock_guard lock(snapshot_mutex_);
    snapshot_ = std::move(next);
    loaded_generation_ = generation;
}

std::shared_ptr<const GridSnapshot> GridService::snapshot() const {
    std::lock_guard lock(snapshot_mutex_);
    return snapshot_;
}

bool GridService::is_within(std::int64_t node, std::int64_t ancestor) const {
    return snapshot()->is_within(node, ancestor);
}

std::optional<std::string> GridService::path_of(std::int64_t node) const {
    const auto ids = snapshot()->path(node);
    if (ids.empty()) return std::nullopt;
    std::string out = "/";
    for (std::int64_t id : ids) out += std::to_string(id) + "/";
    return out;
}

bool GridService::visible(const accounts::Principal* viewer, std::int64_t id) const {
    // a node is seen inside the viewer's subtree and on the way to it (the breadcrumb)
    const auto scope = accounts::Scope::of(viewer, *this);
    if (!scope.reads(accounts::Area::grid)) return false;
    if (scope.whole_tree()) return true;
    const auto path = path_of(id);
    return path && scope.touches_path(*path);
}

bool GridService::visible(const accounts::Principal* viewer, const GridNode& node) const {
    if (!node.valid_to) return visible(viewer, node.id);
    // a retired node is not in the snapshot: compare the stored paths
    const auto scope = accounts::Scope::of(viewer, *this);
    return scope.reads(accounts::Area::grid) && scope.touches_path(node.path);
}

std::vector<GridNode> GridService::visible_only(std::vector<GridNode> nodes,
                                                const accounts::Principal* viewer) const {
    std::erase_if(nodes, [&](const GridNode& n) { return !visible(viewer, n.id); });
    return nodes;
}

void GridService::require_manage(const accounts::Principal* actor,
                                 const accounts::RequestOrigin& origin, std::string_view target) {
    if (actor == nullptr || actor->can(accounts::Permission::manage_grid)) return;
    audit_.record(actor, origin, "denied", target, "denied", "manage grid");
    throw Error(ErrorCode::forbidden);
}

std::optional<GridNode> GridService::load(store::Connection& c, std::int64_t id) {
    const auto r = c.run(std::string(kNodeSelect) + "WHERE n.id = $1", {id});
    if (r.empty()) return std::nullopt;
    return node_from_row(r.front());
}

void GridService::insert_boundary(store::Connection& c, std::int64_t node_id,
                                  const geo::MultiPolygon& shape, Millis now,
                                  const accounts::Principal* actor, const std::string& reason) {
    const geo::Box box = geo::bounding_box(shape);
    const Value by =
        actor && actor->kind == accounts::Principal::Kind::user ? Value{actor->id} : Value{nullptr};
    c.run("UPDATE grid_boundaries SET valid_to = $1 WHERE node_id = $2 AND valid_to IS NULL",
          {now, node_id});
    c.run(
        "INSERT INTO grid_boundaries (node_id, geometry, area_m2, min_lon, min_lat, max_lon, "
        "max_lat, valid_from, "
        "changed_by, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        {node_id, boost::json::serialize(geo::geometry_json(shape, -1)), geo::area_m2(shape),
         box.min_lon, box.min_lat, box.max_lon, box.max_lat, now, by, reason});
}

GridNode GridService::insert(store::Connection& c, const NewNode& in,
                             const std::optional<GridNode>& parent, Millis now,
                             const accounts::Principal* actor) {
    validate_name(in.name);
    validate_count(in.households, "households");
    validate_count(in.population, "population");
    const int level = parent ? parent->level + 1 : city;
    if (level > kLevels)
        throw Error(ErrorCode::invalid_field, "A micro-grid has no children.", "parent_id");
    validate_code(in.code, level, parent ? parent->code : std::string{});
    validate_kind(level, in.kind, in.subtype);
    if (in.boundary) validate_shape(*in.boundary);
    std::int64_t id = 0;
    try {
        id = c.run(
                  "INSERT INTO grid_nodes (code, name, level, parent_id, path, kind, subtype, "
                  "households, population, "
                  "created_at, updated_at, valid_from) VALUES ($1, $2, $3, $4, '', $5, $6, $7, "
                  "$8, $9, $9, $9) "
                  "RETURNING id",
                  {in.code, in.name, std::int64_t{level},
                   parent ? Value{parent->id} : Value{nullptr}, store::optional_value(in.kind),
                   store::optional_value(in.subtype), store::optional_value(in.households),
                   store::optional_value(in.population), now})
                 .front()
                 .integer("id");
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict)
            throw Error(ErrorCode::conflict,
                        fmt::format("The code {} is taken (codes of retired nodes are not reused).",
                                    in.code),
                        "code");
        throw;
    }
    const std::string path = (parent ? parent->path : std::string("/")) + std::to_string(id) + "/";
    c.run("UPDATE grid_nodes SET path = $1 WHERE id = $2", {path, id});
    if (in.boundary) insert_boundary(c, id, *in.boundary, now, actor, "created");
    return *load(c, id);
}

GridNode GridService::create(const NewNode& in, const accounts::Principal* actor,
                             const accounts::RequestOrigin& origin) {
    require_manage(actor, origin, "grid:" + in.code);
    GridNode created;
    db_.transact([&](store::Connection& c) {
        std::optional<GridNode> parent;
        if (in.parent_id) {
            parent = load(c, *in.parent_id);
            if (!parent) throw Error(ErrorCode::invalid_field, "No such parent node.", "parent_id");
        } else if (in.parent_code) {
            const auto r = c.run(std::string(kNodeSelect) + "WHERE n.code = $1", {*in.parent_code});
            if (r.empty())
                throw Error(ErrorCode::invalid_field, "No such parent node.", "parent_code");
            parent = node_from_row(r.front());
        }
        if (!accounts::Scope::of(actor, *this)
                 .may_grant(parent ? std::optional(parent->id) : std::nullopt, *this)) {
            throw Error(ErrorCode::forbidden,
                        "该节点不在您的管辖范围内。 That is outside your part of the grid tree.",
                        "parent_id");
        }
        if (parent) require_current(*parent);
        created = insert(c, in, parent, clock_.now(), actor);
        bump_generation(c);
        audit_.record(c, actor, origin, "grid_node_created", "grid:" + created.code, "ok",
                      created.name);
    });
    reload();
    return created;
}

std::size_t GridService::import(const std::vector<NewNode>& nodes, const accounts::Principal* actor,
                                const accounts::RequestOrigin& origin) {
    require_manage(actor, origin, "grid:import");
    std::size_t count = 0;
    db_.transact([&](store::Connection& c) {
        std::unordered_map<std::string, GridNode> by_code;
        const Millis now = clock_.now();
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const NewNode& in = nodes[i];
            std::optional<GridNode> parent;
            if (in.parent_code) {
                auto it = by_code.find(*in.parent_code);
                if (it == by_code.end()) {
                    const auto r =
                        c.run(std::string(kNodeSelect) + "WHERE n.code = $1", {*in.parent_code});
                    if (r.empty()) {
                        throw Error(
                            ErrorCode::invalid_field,
                            fmt::format("Row {}: no parent with code {}.", i + 1, *in.parent_code),
                            "parent_code");
                    }
                    it = by_code.emplace(*in.parent_code, node_from_row(r.front())).first;
                }
                parent = it->second;
                require_current(*parent);
            }
            GridNode n = insert(c, in, parent, now, actor);
            by_code.emplace(n.code, std::move(n));
            ++count;
        }
        bump_generation(c);
        audit_.record(c, actor, origin, "grid_imported", "grid", "ok",
                      fmt::format("{} nodes", count));
    });
    reload();
    return count;
}

GridNode GridService::update(std::int64_t id, const NodePatch& patch, int expected_version,
                             const accounts::Principal* actor,
                             const accounts::RequestOrigin& origin) {
    const std::string target = fmt::format("grid:{}", id);
    require_manage(actor, origin, target);
    if (!visible(actor, id) ||
        (actor && actor->scope_node_id && !is_within(id, *actor->scope_node_id))) {
        throw Error(ErrorCode::not_found, "No such node.");
    }
    GridNode result;
    db_.transact([&](store::Connection& c) {
        auto n = load(c, id);
        if (!n) throw Error(ErrorCode::not_found, "No such node.");
        if (n->version != expected_version) throw Error(ErrorCode::version_conflict);
        require_current(*n);
        if (patch.name) {
            validate_name(*patch.name);
            n->name = *patch.name;
        }
        if (patch.kind) n->kind = *patch.kind;
        if (patch.subtype) n->subtype = *patch.subtype;
        if (patch.households) n->households = *patch.households;
        if (patch.population) n->population = *patch.population;
        validate_kind(n->level, n->kind, n->subtype);
        validate_count(n->households, "households");
        validate_count(n->population, "population");
        const auto r = c.run(
            "UPDATE grid_nodes SET name = $1, kind = $2, subtype = $3, households = $4, population "
            "= $5, "
            "updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8",
            {n->name, store::optional_value(n->kind), store::optional_value(n->subtype),
             store::optional_value(n->households), store::optional_value(n->population),
             clock_.now(), id, std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        bump_generation(c);
        audit_.record(c, actor, origin, "grid_node_updated", "grid:" + n->code, "ok");
        result = *load(c, id);
    });
    reload();
    return result;
}

BoundaryVersion GridService::set_boundary(std::int64_t id, geo::MultiPolygon shape,
                                          const std::string& reason,
                                          const accounts::Principal* actor,
                                          const accounts::RequestOrigin& origin) {
    const std::string target = fmt::format("grid:{}", id);
    require_manage(actor, origin, target);
    if (actor && actor->scope_node_id && !is_within(id, *actor->scope_node_id)) {
        throw Error(ErrorCode::not_found, "No such node.");
    }
    geo::normalize(shape);
    validate_shape(shape);
    BoundaryVersion v;
    db_.transact([&](store::Connection& c) {
        const auto n = load(c, id);
        if (!n) throw Error(ErrorCode::not_found, "No such node.");
        require_current(*n);
        const Millis now = clock_.now();
        insert_boundary(c, id, shape, now, actor, reason);
        bump_generation(c);
        audit_.record(c, actor, origin, "grid_boundary_changed", "grid:" + n->code, "ok", reason);
        v = BoundaryVersion{0, now, std::nullopt, geo::area_m2(shape), reason, shape};
        v.id = c.run("SELECT id FROM grid_boundaries WHERE node_id = $1 AND valid_to IS NULL", {id})
                   .front()
                   .integer("id");
    });
    reload();
    return v;
}

GridNode GridService::get(std::int64_t id, const accounts::Principal* viewer) {
    std::optional<GridNode> n;
    db_.read([&](store::Connection& c) { n = load(c, id); });
    if (!n || !visible(viewer, *n)) throw Error(ErrorCode::not_found, "No such node.");
    return *n;
}

std::optional<GridNode> GridService::find_by_code(const std::string& code) {
    std::optional<GridNode> n;
    db_.read([&](store::Connection& c) {
        const auto r = c.run(std::string(kNodeSelect) + "WHERE n.code = $1", {code});
        if (!r.empty()) n = node_from_row(r.front());
    });
    return n;
}

std::vector<GridNode> GridService::children(std::optional<std::int64_t> parent,
                                            const accounts::Principal* viewer) {
    std::vector<GridNode> out;
    db_.read([&](store::Connection& c) {
        const auto r =
            parent ? c.run(std::string(kNodeSelect) +
                               "WHERE n.parent_id = $1 AND n.valid_to IS NULL ORDER BY n.code",
                           {*parent})
                   : c.run(std::string(kNodeSelect) +
                           "WHERE n.parent_id IS NULL AND n.valid_to IS NULL ORDER BY "
                           "n.code");
        for (const auto& row : r.rows) out.push_back(node_from_row(row));
    });
    return visible_only(std::move(out), viewer);
}

std::vector<GridNode> GridService::ancestors(std::int64_t id, const accounts::Principal* viewer) {
    std::vector<GridNode> out;
    db_.read([&](store::Connection& c) {
        const auto node = load(c, id);
        if (!node || !visible(viewer, *node)) throw Error(ErrorCode::not_found, "No such node.");
        // the stored path, which a retired node keeps
        std::size_t start = 1;
        for (std::size_t slash = node->path.find('/', start); slash != std::string::npos;
             start = slash + 1, slash = node->path.find('/', start)) {
            if (auto n = load(c, std::stoll(node->path.substr(start, slash - start))))
                out.push_back(std::move(*n));
        }
    });
    return out;
}

std::vector<GridNode> GridService::search(const std::string& text,
                                          const accounts::Principal* viewer, int limit) {
    std::string cleaned;
    for (char ch : text) {
        if (ch != '%' && ch != '_' && ch != '\\') cleaned += ch;
    }
    std::vector<GridNode> out;
    db_.read([&](store::Connection& c) {
        const auto r = c.run(std::string(kNodeSelect) +
                                 "WHERE (n.code LIKE $1 OR n.name LIKE $2) AND n.valid_to IS NULL "
                                 "ORDER BY n.level, n.code LIMIT $3",
                             {cleaned + "%", "%" + cleaned + "%", std::int64_t{limit * 4}});
        for (const auto& row : r.rows) out.push_back(node_from_row(row));
    });
    out = visible_only(std::move(out), viewer);
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
    return out;
}

std::optional<geo::MultiPolygon> GridService::boundary(std::int64_t id,
                                                       std::optional<Millis> as_of) {
    std::optional<geo::MultiPolygon> shape;
    db_.read([&](store::Connection& c) {
        const auto r =
            as_of ? c.run(
                        "SELECT geometry FROM grid_boundaries WHERE node_id = $1 AND valid_from <= "
                        "$2 AND "
                        "(valid_to IS NULL OR valid_to > $2) ORDER BY valid_from DESC LIMIT 1",
                        {id, *as_of})
                  : c.run(
                        "SELECT geometry FROM grid_boundaries WHERE node_id = $1 AND valid_to IS "
                        "NULL",
                        {id});
        if (!r.empty()) shape = geo::parse_geometry(boost::json::parse(r.front().text("geometry")));
    });
    return shape;
}

std::vector<BoundaryVersion> GridService::boundary_history(std::int64_t id,
                                                           const accounts::Principal* viewer) {
    get(id, viewer);  // exists and visible
    std::vector<BoundaryVersion> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run("SELECT * FROM grid_boundaries WHERE node_id = $1 ORDER BY valid_from DESC",
                   {id})
                 .rows) {
            out.push_back({row.integer("id"), row.integer("valid_from"),
                           row.opt_integer("valid_to"), row.real("area_m2"), row.text("reason"),
                           geo::parse_geometry(boost::json::parse(row.text("geometry")))});
        }
    });
    return out;
}

CoverageReport GridService::coverage_with(const std::vector<NewNode>& extra,
                                          const CoverageOptions& options) {
    std::vector<CoverageNode> nodes;
    std::unordered_map<std::string, std::int64_t> id_of;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            "SELECT n.id, n.code, n.name, n.parent_id, b.geometry FROM grid_nodes n LEFT JOIN "
            "grid_boundaries b "
            "ON b.node_id = n.id AND b.valid_to IS NULL WHERE n.valid_to IS NULL");
        for (const auto& row : rows.rows) {
            CoverageNode node{row.integer("id"),
                              row.text("code"),
                              row.text("name"),
                              row.opt_integer("parent_id").value_or(0),
                              {}};
            if (auto g = row.opt_text("geometry"))
                node.shape = geo::parse_geometry(boost::json::parse(*g));
            id_of[node.code] = node.id;
            nodes.push_back(std::move(node));
        }
    });
    std::set<std::string> involved;
    std::int64_t next_id = -1;
    for (const auto& n : extra) {
        id_of[n.code] = next_id--;
        involved.insert(n.code);
        if (n.parent_code) involved.insert(*n.parent_code);
    }
    for (const auto& n : extra) {
        const std::int64_t parent =
            n.parent_code && id_of.contains(*n.parent_code) ? id_of[*n.parent_code] : 0;
        nodes.push_back(
            {id_of[n.code], n.code, n.name, parent, n.boundary.value_or(geo::MultiPolygon{})});
    }
    CoverageReport report = check_coverage(nodes, options);
    std::erase_if(report.findings, [&](const Finding& f) {
        return std::none_of(f.codes.begin(), f.codes.end(),
                            [&](const std::string& c) { return involved.contains(c); });
    });
    return report;
}

std::vector<std::pair<GridNode, std::optional<geo::MultiPolygon>>> GridService::subtree(
    std::optional<std::int64_t> root, const accounts::Principal* viewer) {
    if (viewer && viewer->scope_node_id && !root) root = viewer->scope_node_id;
    if (root && !visible(viewer, *root)) throw Error(ErrorCode::not_found, "No such node.");
    if (root && viewer && viewer->scope_node_id && !is_within(*root, *viewer->scope_node_id)) {
        throw Error(ErrorCode::not_found, "No such node.");
    }
    std::vector<std::pair<GridNode, std::optional<geo::MultiPolygon>>> out;
    db_.read([&](store::Connection& c) {
        std::string prefix = "/";
        if (root) {
            const auto n = load(c, *root);
            if (!n) throw Error(ErrorCode::not_found, "No such node.");
            prefix = n->path;
        }
        const auto rows = c.run(
            "SELECT n.*, b.area_m2, b.geometry FROM grid_nodes n LEFT JOIN grid_boundaries b "
            "ON b.node_id = n.id AND b.valid_to IS NULL WHERE n.path LIKE $1 AND n.valid_to IS "
            "NULL "
            "ORDER BY n.level, "
            "n.code",
            {prefix + "%"});
        for (const auto& row : rows.rows) {
            std::optional<geo::MultiPolygon> shape;
            if (auto g = row.opt_text("geometry"))
                shape = geo::parse_geometry(boost::json::parse(*g));
            out.emplace_back(node_from_row(row), std::move(shape));
        }
    });
    return out;
}

CoverageReport GridService::coverage(std::optional<std::int64_t> root,
                                     const CoverageOptions& options,
                                     const accounts::Principal* viewer) {
    if (viewer && viewer->scope_node_id && !root) root = viewer->scope_node_id;
    std::vector<CoverageNode> nodes;
    for (auto& [n, shape] : subtree(root, viewer)) {
        // the subtree's root is checked as a parent only, not against its own parent
        const std::int64_t parent = root && n.id == *root ? 0 : n.parent_id.value_or(0);
        nodes.push_back({n.id, n.code, n.name, parent, shape.value_or(geo::MultiPolygon{})});
    }
    return check_coverage(nodes, options);
}

}  // namespace gridgov::grid
