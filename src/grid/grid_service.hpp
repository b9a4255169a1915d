// The grid tree in the database: creating and editing nodes under the code rules, boundary
// versions (a new boundary closes the current one; older ones stay, so a query can ask "as of" a
// time), the workers of a grid, and the queries of the tree. After each change it rebuilds the
// in-memory snapshot and swaps it in, so routing and scope checks always see the committed tree.
// Thread-safe. It is also the NodeAncestry that scopes users (people/scope.hpp).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "geo/geometry.hpp"
#include "grid/coverage.hpp"
#include "grid/grid_node.hpp"
#include "grid/grid_snapshot.hpp"
#include "people/audit_log.hpp"
#include "people/principal.hpp"
#include "people/scope.hpp"
#include "store/database.hpp"

namespace gridgov::grid {

struct NewNode {
    std::string code;
    std::string name;
    // the parent by id, or by code (imports); none for a root (a city)
    std::optional<std::int64_t> parent_id;
    std::optional<std::string> parent_code;
    std::optional<std::string> kind;
    std::optional<std::string> subtype;
    std::optional<std::int64_t> households;
    std::optional<std::int64_t> population;
    std::optional<geo::MultiPolygon> boundary;  // WGS84
};

struct NodePatch {
    std::optional<std::string> name;
    std::optional<std::optional<std::string>> kind;
    std::optional<std::optional<std::string>> subtype;
    std::optional<std::optional<std::int64_t>> households;
    std::optional<std::optional<std::int64_t>> population;
};

struct BoundaryVersion {
    std::int64_t id = 0;
    Millis valid_from = 0;
    std::optional<Millis> valid_to;
    double area_m2 = 0;
    std::string reason;
    geo::MultiPolygon shape;
};

class GridService : public people::NodeAncestry {
  public:
    GridService(store::Database& db, people::AuditLog& audit, const Clock& clock);

    // Rebuilds the snapshot from the database (at start, and after changes).
    void reload();
    std::shared_ptr<const GridSnapshot> snapshot() const;
    bool is_within(std::int64_t node, std::int64_t ancestor) const override;
    std::optional<std::string> path_of(std::int64_t node) const override;

    GridNode create(const NewNode& input, const people::Principal* actor,
                    const people::RequestOrigin& origin);
    // Creates many nodes (parents before children, by parent_code) in one transaction.
    std::size_t import(const std::vector<NewNode>& nodes, const people::Principal* actor,
                       const people::RequestOrigin& origin);
    GridNode update(std::int64_t id, const NodePatch& patch, int expected_version,
                    const people::Principal* actor, const people::RequestOrigin& origin);
    BoundaryVersion set_boundary(std::int64_t id, geo::MultiPolygon shape,
                                 const std::string& reason, const people::Principal* actor,
                                 const people::RequestOrigin& origin);

    // Reads; a viewer with a scope sees its subtree and the ancestors of its scope node.
    GridNode get(std::int64_t id, const people::Principal* viewer);
    std::vector<GridNode> children(std::optional<std::int64_t> parent,
                                   const people::Principal* viewer);
    std::vector<GridNode> ancestors(std::int64_t id, const people::Principal* viewer);
    std::vector<GridNode> search(const std::string& text, const people::Principal* viewer,
                                 int limit);
    std::optional<geo::MultiPolygon> boundary(std::int64_t id, std::optional<Millis> as_of);
    std::vector<BoundaryVersion> boundary_history(std::int64_t id, const people::Principal* viewer);
    std::optional<GridNode> find_by_code(const std::string& code);
    // The coverage check of the nodes as they would be after adding `extra` (an import's preview),
    // limited to findings that involve the new nodes or their parents.
    CoverageReport coverage_with(const std::vector<NewNode>& extra, const CoverageOptions& options);
    // The subtree under `root` (the whole tree when none), parents first, with boundaries.
    std::vector<std::pair<GridNode, std::optional<geo::MultiPolygon>>> subtree(
        std::optional<std::int64_t> root, const people::Principal* viewer);
    // The coverage check of the subtree under `root` (the whole tree when none).
    CoverageReport coverage(std::optional<std::int64_t> root, const CoverageOptions& options,
                            const people::Principal* viewer);

  private:
    bool visible(const people::Principal* viewer, std::int64_t id) const;
    void require_manage(const people::Principal* actor, const people::RequestOrigin& origin,
                        std::string_view target);
    GridNode insert(store::Connection& c, const NewNode& input,
                    const std::optional<GridNode>& parent, Millis now,
                    const people::Principal* actor);
    void insert_boundary(store::Connection& c, std::int64_t node_id, const geo::MultiPolygon& shape,
                         Millis now, const people::Principal* actor, const std::string& reason);
    std::optional<GridNode> load(store::Connection& c, std::int64_t id);
    std::vector<GridNode> visible_only(std::vector<GridNode> nodes,
                                       const people::Principal* viewer) const;

    store::Database& db_;
    people::AuditLog& audit_;
    const Clock& clock_;
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const GridSnapshot> snapshot_;
};

GridNode node_from_row(const store::Row& row);

}  // namespace gridgov::grid
