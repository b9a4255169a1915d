// Operations on shapes that need a robust geometry engine, done with GEOS (its reentrant C
// API): repairing invalid polygons, unions, intersections, and partitioning an area into cells
// around seed points (Voronoi cells clipped to the area), from which the demo city's streets,
// communities and grids are cut. Planar in longitude/latitude degrees. Thread-safe (a GEOS
// context per call).
#pragma once

#include <string>
#include <vector>

#include "geo/geometry.hpp"

namespace gridgov::geo {

MultiPolygon make_valid(const MultiPolygon& shape);
MultiPolygon union_all(const std::vector<MultiPolygon>& shapes);
MultiPolygon intersection(const MultiPolygon& a, const MultiPolygon& b);
MultiPolygon difference(const MultiPolygon& a, const MultiPolygon& b);
// Empty when the shape is valid (OGC rules), else why not, with the place:
// "Self-intersection[118.8 31.7]".
std::string invalid_reason(const MultiPolygon& shape);
// Length in metres of the boundary two shapes share (0 when they only touch at points or not at
// all).
double shared_boundary_m(const MultiPolygon& a, const MultiPolygon& b);
// A point guaranteed to lie inside the shape (for labels and findings).
LonLat interior_point(const MultiPolygon& shape);
// Cell i holds the part of `area` nearer to seeds[i] than to any other seed; the cells cover the
// area without overlaps. A cell may be empty when its seed lies outside the area.
std::vector<MultiPolygon> partition(const MultiPolygon& area, const std::vector<LonLat>& seeds);

}  // namespace gridgov::geo
