#include "geo/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace gridgov::geo {

namespace {
constexpr double kEarthRadius = 6371007.1809;  // authalic radius of WGS84, metres
constexpr double kRad = std::numbers::pi / 180.0;
}  // namespace

Box bounding_box(const MultiPolygon& shape) {
    Box b{std::numeric_limits<double>::max(), std::numeric_limits<double>::max(),
          std::numeric_limits<double>::lowest(), std::numeric_limits<double>::lowest()};
    for (const auto& polygon : shape) {
        for (const auto& p : polygon.outer) {
            b.min_lon = std::min(b.min_lon, p.lon);
            b.min_lat = std::min(b.min_lat, p.lat);
            b.max_lon = std::max(b.max_lon, p.lon);
            b.max_lat = std::max(b.max_lat, p.lat);
        }
    }
    return b;
}

bool contains(const Ring& ring, LonLat p) {
    bool inside = false;
    const std::size_t n = ring.size();
    for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        if (ray_crosses(ring[i], ring[j], p)) inside = !inside;
    }
    return inside;
}

bool contains(const Polygon& polygon, LonLat p) {
    if (!contains(polygon.outer, p)) return false;
    for (const auto& hole : polygon.holes) {
        if (contains(hole, p)) return false;
    }
    return true;
}

bool contains(const MultiPolygon& shape, LonLat p) {
    for (const auto& polygon : shape) {
        if (contains(polygon, p)) return true;
    }
    return false;
}

double signed_area_deg2(const Ring& ring) {
    double sum = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        sum += ring[i].lon * ring[i + 1].lat - ring[i + 1].lon * ring[i].lat;
    }
    return sum / 2;
}

double area_m2(const Ring& ring) {
    // spherical excess of the ring's trapezoids (the formula of Chamberlain and Duquette, 2007)
    double sum = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const LonLat a = ring[i], b = ring[i + 1];
        sum += (b.lon - a.lon) * kRad * (2 + std::sin(a.lat * kRad) + std::sin(b.lat * kRad));
    }
    return std::abs(sum * kEarthRadius * kEarthRadius / 2);
}

double area_m2(const MultiPolygon& shape) {
    double total = 0;
    for (const auto& polygon : shape) {
        total += area_m2(polygon.outer);
        for (const auto& hole : polygon.holes) total -= area_m2(hole);
    }
    return total;
}

double distance_m(LonLat a, LonLat b) {
    const double dlat = (b.lat - a.lat) * kRad, dlon = (b.lon - a.lon) * kRad;
    const double h =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * kEarthRadius * std::asin(std::min(1.0, std::sqrt(h)));
}

namespace {
// distance from p to the segment a-b, in a local plane around p (fine at grid sizes)
double segment_distance_m(LonLat p, LonLat a, LonLat b) {
    const double kx = std::cos(p.lat * kRad) * kRad * kEarthRadius, ky = kRad * kEarthRadius;
    const double ax = (a.lon - p.lon) * kx, ay = (a.lat - p.lat) * ky;
    const double bx = (b.lon - p.lon) * kx, by = (b.lat - p.lat) * ky;
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const double cx = ax + t * dx, cy = ay + t * dy;
    return std::sqrt(cx * cx + cy * cy);
}
}  // namespace

double distance_m(LonLat p, const MultiPolygon& shape) {
    if (contains(shape, p)) return 0;
    double best = std::numeric_limits<double>::max();
    auto ring_distance = [&](const Ring& ring) {
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
            best = std::min(best, segment_distance_m(p, ring[i], ring[i + 1]));
        }
    };
    for (const auto& polygon : shape) {
        ring_distance(polygon.outer);
        for (const auto& hole : polygon.holes) ring_distance(hole);
    }
    return best;
}

}  // namespace gridgov::geo
