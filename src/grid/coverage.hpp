// The coverage check of the grid tree (全域覆盖、无缝衔接): children must cover their parent
// without gaps or overlaps. It reports invalid boundaries, children reaching outside their parent,
// overlaps between siblings and gaps in a parent not covered by its children, each with the codes
// involved, its area in square metres, a point inside it and its shape (for the map). Pieces
// thinner than the tolerance (numerical slivers) are not reported.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "geo/geometry.hpp"

namespace gridgov::grid {

struct CoverageNode {
    std::int64_t id = 0;
    std::string code;
    std::string name;
    std::int64_t parent_id = 0;  // 0 for a root
    geo::MultiPolygon shape;     // empty when the node has no boundary
};

struct Finding {
    std::string kind;                // invalid, outside_parent, overlap, gap
    std::vector<std::string> codes;  // the nodes involved: the node, both siblings, or the parent
    double area_m2 = 0;
    geo::LonLat point;
    std::string detail;
    geo::MultiPolygon shape;
};

struct CoverageOptions {
    double tolerance_m = 1.0;  // pieces narrower than this (area / perimeter) are slivers
};

struct CoverageReport {
    std::vector<Finding> findings;
    std::size_t parents_checked = 0;
    std::size_t nodes_checked = 0;
};

CoverageReport check_coverage(const std::vector<CoverageNode>& nodes,
                              const CoverageOptions& options = {});

}  // namespace gridgov::grid
