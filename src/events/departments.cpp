#include "events/departments.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace gridgov::events {

using store::Value;

namespace {

Department department_from_row(const store::Row& row) {
    return {row.integer("id"),
            row.text("name"),
            row.text("kind"),
            row.integer("node_id"),
            row.opt_text("phone"),
            row.integer("active") != 0,
            row.integer("created_at"),
            row.integer("updated_at"),
            static_cast<int>(row.integer("version"))};
}

}  // namespace

Departments::Departments(store::Database& db, accounts::AuditLog& audit, const Catalogue& catalogue,
                         grid::GridService& grid, const Clock& clock)
    : db_(db), audit_(audit), catalogue_(catalogue), grid_(grid), clock_(clock) {}

bool Departments::visible(const accounts::Principal* viewer, std::int64_t node_id) const {
    // the departments serving the viewer's subtree and the levels above it
    const auto scope = accounts::Scope::of(viewer, grid_);
    if (scope.whole_tree()) return true;
    const auto path = grid_.path_of(node_id);
    return path && scope.touches_path(*path);
}

Department Departments::create(const NewDepartment& in, const accounts::Principal* actor,
                               const accounts::RequestOrigin& origin) {
    if (actor && !actor->can(accounts::Permission::manage_catalogue)) {
        audit_.record(actor, origin, "denied", "department:" + in.name, "denied",
                      "manage catalogue");
        throw Error(ErrorCode::forbidden);
    }
    std::size_t chars = 0;
    for (unsigned char ch : in.name) chars += (ch & 0xC0) != 0x80;
    if (chars == 0 || chars > 100)
        throw Error(ErrorCode::invalid_field, "A name has 1 to 100 characters.", "name");
    if (!catalogue_.has_department_kind(in.kind))
        throw Error(ErrorCode::invalid_field, "No such department kind.", "kind");
    const auto node = grid_.snapshot()->node(in.node_id);
    if (!node || (node->level != grid::district && node->level != grid::street)) {
        throw Error(ErrorCode::invalid_field, "A department serves a district or a street.",
                    "node_id");
    }
    if (!accounts::Scope::of(actor, grid_).covers(in.node_id, grid_))
        throw Error(ErrorCode::forbidden,
                    "该节点不在您的管辖范围内。 That is outside your part of the grid tree.",
                    "node_id");
    Department out;
    db_.transact([&](store::Connection& c) {
        const Millis now = clock_.now();
        std::int64_t id = 0;
        try {
            id = c.run(
                      "INSERT INTO departments (name, kind, node_id, phone, created_at, "
                      "updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
                      {in.name, in.kind, in.node_id, in.phone ? Value{*in.phone} : Value{nullptr},
                       now})
                     .front()
                     .integer("id");
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict)
                throw Error(ErrorCode::conflict, "That department exists already.", "name");
            throw;
        }
        audit_.record(c, actor, origin, "department_created", fmt::format("department:{}", id),
                      "ok", in.name);
        out = department_from_row(c.run("SELECT * FROM departments WHERE id = $1", {id}).front());
    });
    return out;
}

Department Departments::get(std::int64_t id, const accounts::Principal* viewer) {
    std::optional<Department> d;
    db_.read([&](store::Connection& c) {
        const auto r = c.run("SELECT * FROM departments WHERE id = $1", {id});
        if (!r.empty()) d = department_from_row(r.front());
    });
    if (!d || !visible(viewer, d->node_id))
        throw Error(ErrorCode::not_found, "No such department.");
    return *d;
}

std::vector<Department> Departments::list(std::optional<std::int64_t> node_id,
                                          const std::optional<std::string>& kind,
                                          const accounts::Principal* viewer) {
    std::vector<Department> out;
    db_.read([&](store::Connection& c) {
        const auto r = kind ? c.run(
                                  "SELECT * FROM departments WHERE kind = $1 ORDER BY node_id, "
                                  "kind, name",
                                  {*kind})
                            : c.run("SELECT * FROM departments ORDER BY node_id, kind, name");
        for (const auto& row : r.rows) out.push_back(department_from_row(row));
    });
    std::erase_if(out, [&](const Department& d) {
        return !visible(viewer, d.node_id) || (node_id && !grid_.is_within(d.node_id, *node_id));
    });
    return out;
}

std::optional<Department> Departments::serving(store::Connection& c, const std::string& kind,
                                               int handling_level,
                                               const std::vector<std::int64_t>& path) const {
    const auto snap = grid_.snapshot();
    // the nodes a department can serve, deepest first: not below the handling level, and never
    // below the street (a community-level matter goes to the street's department)
    std::vector<std::int64_t> candidates;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const auto* n = snap->node(*it);
        if (!n || n->level > std::min(handling_level, static_cast<int>(grid::street))) continue;
        if (n->level == grid::district || n->level == grid::street) candidates.push_back(*it);
    }
    for (std::int64_t node : candidates) {
        const auto r = c.run(
            "SELECT * FROM departments WHERE node_id = $1 AND kind = $2 AND active = 1 "
            "ORDER BY id LIMIT 1",
            {node, kind});
        if (!r.empty()) return department_from_row(r.front());
    }
    return std::nullopt;
}

std::optional<Department> Departments::serving(const std::string& kind, int handling_level,
                                               const std::vector<std::int64_t>& path) {
    std::optional<Department> found;
    db_.read([&](store::Connection& c) { found = serving(c, kind, handling_level, path); });
    return found;
}

}  // namespace gridgov::events
