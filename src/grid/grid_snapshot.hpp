// The grid tree as one immutable in-memory picture, rebuilt from the database after every change
// and swapped in whole: parent links for ancestry and scope checks, and a point index per level
// over the current boundaries, so that a point finds its deepest node and that node's path
// without touching the database. Any number of threads may read one snapshot.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "geo/point_index.hpp"
#include "grid/grid_node.hpp"

namespace gridgov::grid {

class GridSnapshot {
  public:
    struct Node {
        std::int64_t id;
        std::optional<std::int64_t> parent;
        int level;
        std::string code;
        std::string name;
        std::string kind;              // comprehensive, dedicated, or empty above the grids
        std::int64_t households = -1;  // -1: not known
        std::int64_t population = -1;
        const Node* up = nullptr;  // the parent, set when the snapshot is built
    };
    struct Shape {
        std::int64_t node_id;
        geo::MultiPolygon shape;
    };

    GridSnapshot(std::vector<Node> nodes, std::vector<Shape> shapes);

    const Node* node(std::int64_t id) const;
    // True when `id` is `ancestor` or below it.
    bool is_within(std::int64_t id, std::int64_t ancestor) const;
    // From the root down to `id` itself; empty for an unknown id.
    std::vector<std::int64_t> path(std::int64_t id) const;

    struct Located {
        std::int64_t node_id;   // the deepest node whose boundary holds the point
        double distance_m = 0;  // 0 inside; else the distance to the nearest grid
        // the path from the root down to the node, kept beside the index (no lookups per
        // point); null for the nearest-grid answer, which callers resolve with path()
        const std::int64_t* path = nullptr;
        int path_length = 0;
    };
    // The deepest node containing p; when none does, the nearest grid (level 5 or 6) within
    // max_distance_m, if any.
    std::optional<Located> locate(geo::LonLat p, double max_distance_m = 0) const;

    // The nodes of a level whose boundary's bounding box meets the box, with their shapes.
    std::vector<std::pair<const Node*, const geo::MultiPolygon*>> shapes_in(
        int level, const geo::Box& box) const;

    // True when some child of the node has a boundary (the map then draws the children).
    bool has_shaped_children(std::int64_t id) const { return shaped_parents_.contains(id); }

    std::size_t node_count() const { return nodes_.size(); }
    // The top of the tree: the node without a parent (the one of smallest id where there are
    // several); nullopt for an empty tree.
    std::optional<std::int64_t> root() const { return root_; }
    std::size_t shape_count(int level) const;
    std::size_t memory_bytes() const;

  private:
    std::unordered_map<std::int64_t, Node> nodes_;
    std::optional<std::int64_t> root_;
    std::unordered_set<std::int64_t> shaped_parents_;
    std::array<std::unique_ptr<geo::PointIndex>, kLevels + 1> by_level_;
    // for each level, the path of each indexed shape in the index's order, kLevels ids a shape
    std::array<std::vector<std::int64_t>, kLevels + 1> paths_;
};

}  // namespace gridgov::grid
