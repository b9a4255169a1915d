// Plain geometry of the grid tree: WGS84 longitude/latitude points, rings, polygons with holes,
// multipolygons, bounding boxes; and the few measures the platform needs (area in square metres,
// point in polygon with a rule for points on edges). Value types, no shared state.
#pragma once

#include <utility>
#include <vector>

namespace gridgov::geo {

struct LonLat {
    double lon = 0;
    double lat = 0;
    friend bool operator==(const LonLat&, const LonLat&) = default;
};

using Ring = std::vector<LonLat>;  // closed: the first point is repeated at the end

struct Polygon {
    Ring outer;               // counter-clockwise (RFC 7946)
    std::vector<Ring> holes;  // clockwise
};

using MultiPolygon = std::vector<Polygon>;

struct Box {
    double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
    bool contains(LonLat p) const {
        return p.lon >= min_lon && p.lon <= max_lon && p.lat >= min_lat && p.lat <= max_lat;
    }
    bool intersects(const Box& o) const {
        return min_lon <= o.max_lon && o.min_lon <= max_lon && min_lat <= o.max_lat &&
               o.min_lat <= max_lat;
    }
};

Box bounding_box(const MultiPolygon& shape);

// Point in polygon by crossings of a ray to the east, with each edge taken from its lower end,
// so that the answer is the same for two polygons sharing an edge: a point exactly on a shared
// edge belongs to the polygon east of a north-south edge and north of an east-west edge, and
// to exactly one of the two.
bool contains(const Ring& ring, LonLat p);
bool contains(const Polygon& polygon, LonLat p);
bool contains(const MultiPolygon& shape, LonLat p);

// Whether the ray from p to the east crosses the edge a-b, by the rule above: the edge taken from
// its lower end, half-open in latitude. Used by every point-in-polygon test.
inline bool ray_crosses(LonLat a, LonLat b, LonLat p) {
    if (a.lat > b.lat || (a.lat == b.lat && a.lon > b.lon)) std::swap(a, b);
    if (!(a.lat <= p.lat && p.lat < b.lat)) return false;
    return p.lon < a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
}

// Area in square metres on the WGS84 ellipsoid's authalic sphere (holes subtracted).
double area_m2(const Ring& ring);
double area_m2(const MultiPolygon& shape);

// Great-circle distance in metres, and the shortest distance from a point to a shape's edges
// (0 when inside).
double distance_m(LonLat a, LonLat b);
double distance_m(LonLat p, const MultiPolygon& shape);

// Signed area in square degrees: positive for counter-clockwise rings.
double signed_area_deg2(const Ring& ring);

}  // namespace gridgov::geo
