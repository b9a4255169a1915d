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

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "accounts/scope.hpp"
#include "core/clock.hpp"
#include "geo/geometry.hpp"
#include "grid/coverage.hpp"
#include "grid/grid_node.hpp"
#include "grid/grid_snapshot.hpp"
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

// One piece of a grid being split: a new node with its own code and boundary.
struct SplitPart {
    std::string code;
    std::string name;
    std::optional<std::string> kind;  // the split node's when none
    std::optional<std::string> subtype;
    std::optional<std::int64_t> households;
    std::optional<std::int64_t> population;
    geo::MultiPolygon boundary;  // WGS84
};

// What a split, merge or renumbering did: the nodes it retired and the ones it created (the
// direct successors first, then their carried-over children).
struct Restructured {
    std::vector<GridNode> retired;
    std::vector<GridNode> created;
    CoverageReport check;  // of the new pieces against the old area (splits)
};

// One step in the history of a node: which node became which, how and when.
struct LineageLink {
    std::string operation;  // split, merge, renumber, move
    std::int64_t predecessor_id = 0;
    std::string predecessor_code;
    std::int64_t successor_id = 0;
    std::string successor_code;
    Millis at = 0;
    std::string reason;
};

// The node holding a point at some time, and its path from the root then.
struct LocatedAsOf {
    std::vector<GridNode> path;  // root first, the deepest node last
};

struct BoundaryVersion {
    std::int64_t id = 0;
    Millis valid_from = 0;
    std::optional<Millis> valid_to;
    double area_m2 = 0;
    std::string reason;
    geo::MultiPolygon shape;
};

class GridService : public accounts::NodeAncestry {
  public:
    GridService(store::Database& db, accounts::AuditLog& audit, const Clock& clock);

    // Rebuilds the snapshot from the database (at start, and after changes).
    void reload();
    std::shared_ptr<const GridSnapshot> snapshot() const;
    bool is_within(std::int64_t node, std::int64_t ancestor) const override;
    std::optional<std::string> path_of(std::int64_t node) const override;

    GridNode create(const NewNode& input, const accounts::Principal* actor,
                    const accounts::RequestOrigin& origin);
    // Creates many nodes (parents before children, by parent_code) in one transaction.
    std::size_t import(const std::vector<NewNode>& nodes, const accounts::Principal* actor,
                       const accounts::RequestOrigin& origin);
    GridNode update(std::int64_t id, const NodePatch& patch, int expected_version,
                    const accounts::Principal* actor, const accounts::RequestOrigin& origin);
    BoundaryVersion set_boundary(std::int64_t id, geo::MultiPolygon shape,
                                 const std::string& reason, const accounts::Principal* actor,
                                 const accounts::RequestOrigin& origin);

    // Versioned restructuring of grids and micro-grids. The old nodes are retired (kept, with
    // their boundaries, for "as of" queries and for the records routed to them) and new nodes
    // with new codes take their place; codes are never reused. Children move to the successor
    // that holds them and are renumbered under it; workers and user scopes follow.
    // A split's parts must cover the node without gaps or overlaps (within the tolerance); with
    // dry_run everything is checked and the outcome returned, and nothing is written.
    Restructured split(std::int64_t id, const std::vector<SplitPart>& parts,
                       const std::string& reason, const CoverageOptions& options, bool dry_run,
                       const accounts::Principal* actor, const accounts::RequestOrigin& origin);
    // Siblings that share edges become one node whose boundary is their union.
    // Households and population are summed when not given.
    Restructured merge(const std::vector<std::int64_t>& ids, const SplitPart& result,
                       const std::string& reason, bool dry_run, const accounts::Principal* actor,
                       const accounts::RequestOrigin& origin);
    // The new code names the parent: a code under another community moves the grid there.
    Restructured renumber(std::int64_t id, const std::string& new_code, const std::string& reason,
                          bool dry_run, const accounts::Principal* actor,
                          const accounts::RequestOrigin& origin);
    // Where the node came from and what it became.
    std::vector<LineageLink> lineage(std::int64_t id, const accounts::Principal* viewer);

    // The tree as it was at a time: the children then, and the node holding a point then.
    std::vector<GridNode> children_as_of(std::optional<std::int64_t> parent, Millis as_of,
                                         const accounts::Principal* viewer);
    LocatedAsOf locate_as_of(geo::LonLat p, Millis as_of, const accounts::Principal* viewer);

    // Reloads the snapshot when another process changed the tree (the change counter moved).
    // Returns true when it reloaded.
    bool refresh_if_changed();

    // Reads; a viewer with a scope sees its subtree and the ancestors of its scope node.
    GridNode get(std::int64_t id, const accounts::Principal* viewer);
    std::vector<GridNode> children(std::optional<std::int64_t> parent,
                                   const accounts::Principal* viewer);
    std::vector<GridNode> ancestors(std::int64_t id, const accounts::Principal* viewer);
    std::vector<GridNode> search(const std::string& text, const accounts::Principal* viewer,
                                 int limit);
    std::optional<geo::MultiPolygon> boundary(std::int64_t id, std::optional<Millis> as_of);
    std::vector<BoundaryVersion> boundary_history(std::int64_t id,
                                                  const accounts::Principal* viewer);
    std::optional<GridNode> find_by_code(const std::string& code);
    // The coverage check of the nodes as they would be after adding `extra` (an import's preview),
    // limited to findings that involve the new nodes or their parents.
    CoverageReport coverage_with(const std::vector<NewNode>& extra, const CoverageOptions& options);
    // The subtree under `root` (the whole tree when none), parents first, with boundaries.
    std::vector<std::pair<GridNode, std::optional<geo::MultiPolygon>>> subtree(
        std::optional<std::int64_t> root, const accounts::Principal* viewer);
    // The coverage check of the subtree under `root` (the whole tree when none).
    CoverageReport coverage(std::optional<std::int64_t> root, const CoverageOptions& options,
                            const accounts::Principal* viewer);

  private:
    bool visible(const accounts::Principal* viewer, std::int64_t id) const;
    bool visible(const accounts::Principal* viewer, const GridNode& node) const;
    void require_restructure(const accounts::Principal* actor, const GridNode& node,
                             const char* field);
    // Retires `old` and creates its successor under `parent` with `code`, carrying attributes
    // (overridden by `as`), workers, scopes, and children (recursively, renumbered).
    GridNode succeed(store::Connection& c, const GridNode& old, const GridNode& parent,
                     const NewNode& as, const std::string& operation, Millis now,
                     const accounts::Principal* actor, const std::string& reason,
                     Restructured& out);
    void retire(store::Connection& c, const GridNode& node, Millis now);
    void link(store::Connection& c, const std::string& operation, std::int64_t from,
              std::int64_t to, Millis now, const accounts::Principal* actor,
              const std::string& reason);
    // Moves the current children of `from` under whichever of `to` holds the most of each.
    void carry_children(store::Connection& c, const GridNode& from,
                        const std::vector<std::pair<GridNode, geo::MultiPolygon>>& to, Millis now,
                        const accounts::Principal* actor, const std::string& reason,
                        Restructured& out);
    static void bump_generation(store::Connection& c);
    void require_manage(const accounts::Principal* actor, const accounts::RequestOrigin& origin,
                        std::string_view target);
    GridNode insert(store::Connection& c, const NewNode& input,
                    const std::optional<GridNode>& parent, Millis now,
                    const accounts::Principal* actor);
    void insert_boundary(store::Connection& c, std::int64_t node_id, const geo::MultiPolygon& shape,
                         Millis now, const accounts::Principal* actor, const std::string& reason);
    std::optional<GridNode> load(store::Connection& c, std::int64_t id);
    std::vector<GridNode> visible_only(std::vector<GridNode> nodes,
                                       const accounts::Principal* viewer) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    const Clock& clock_;
    mutable std::mutex snapshot_mutex_;
    std::shared_ptr<const GridSnapshot> snapshot_;
    std::int64_t loaded_generation_ = -1;  // of the change counter when snapshot_ was read
};

GridNode node_from_row(const store::Row& row);
// Throws Error(conflict) for a node that has been retired (split, merged or renumbered).
void require_current(const GridNode& node);

}  // namespace gridgov::grid
