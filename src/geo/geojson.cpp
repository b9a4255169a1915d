#include "geo/geojson.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cmath>

#include "core/error.hpp"

namespace gridgov::geo {

namespace json = boost::json;

namespace {

[[noreturn]] void bad(const std::string& field, std::string_view why) {
    throw Error(ErrorCode::invalid_field, fmt::format("{}: {}", field, why), field);
}

double number(const json::value& v, const std::string& field) {
    if (v.is_double()) return v.as_double();
    if (v.is_int64()) return static_cast<double>(v.as_int64());
    if (v.is_uint64()) return static_cast<double>(v.as_uint64());
    bad(field, "a coordinate must be a number");
}

Ring parse_ring(const json::value& v, const std::string& field) {
    if (!v.is_array()) bad(field, "a ring must be an array of positions");
    const auto& positions = v.as_array();
    if (positions.size() > 1'000'000) bad(field, "a ring has at most 1,000,000 positions");
    Ring ring;
    ring.reserve(positions.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const std::string at = fmt::format("{}[{}]", field, i);
        if (!positions[i].is_array()) bad(at, "a position must be an array [longitude, latitude]");
        const auto& pos = positions[i].as_array();
        if (pos.size() < 2 || pos.size() > 3) bad(at, "a position has two or three numbers");
        const LonLat p{number(pos[0], at), number(pos[1], at)};
        if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180 || p.lon > 180 ||
            p.lat < -90 || p.lat > 90) {
            bad(at, "longitude must be within ±180 and latitude within ±90");
        }
        ring.push_back(p);
    }
    if (ring.size() < 4) bad(field, "a ring needs at least four positions");
    if (ring.front() != ring.back()) bad(field, "a ring must end where it starts");
    return ring;
}

Polygon parse_polygon(const json::value& v, const std::string& field) {
    if (!v.is_array() || v.as_array().empty())
        bad(field, "a polygon must be a non-empty array of rings");
    Polygon polygon;
    const auto& rings = v.as_array();
    polygon.outer = parse_ring(rings[0], field + "[0]");
    for (std::size_t i = 1; i < rings.size(); ++i) {
        polygon.holes.push_back(parse_ring(rings[i], fmt::format("{}[{}]", field, i)));
    }
    return polygon;
}

json::array ring_json(const Ring& ring, double scale) {
    json::array out;
    out.reserve(ring.size());
    for (const auto& p : ring) {
        if (scale <= 0) {
            out.push_back(json::array{p.lon, p.lat});  // exact: rounding can break validity
        } else {
            out.push_back(
                json::array{std::round(p.lon * scale) / scale, std::round(p.lat * scale) / scale});
        }
    }
    return out;
}

void dedupe(Ring& ring) {
    ring.erase(std::unique(ring.begin(), ring.end()), ring.end());
    if (ring.size() > 1 && ring.front() != ring.back()) ring.push_back(ring.front());
}

}  // namespace

MultiPolygon parse_geometry(const json::value& v, const std::string& field) {
    if (!v.is_object()) bad(field, "a geometry must be an object");
    const auto& o = v.as_object();
    const auto* type = o.if_contains("type");
    const auto* coordinates = o.if_contains("coordinates");
    if (!type || !type->is_string()) bad(field, "a geometry needs a type");
    if (!coordinates) bad(field, "a geometry needs coordinates");
    MultiPolygon shape;
    if (type->as_string() == "Polygon") {
        shape.push_back(parse_polygon(*coordinates, field + ".coordinates"));
    } else if (type->as_string() == "MultiPolygon") {
        if (!coordinates->is_array() || coordinates->as_array().empty()) {
            bad(field, "a MultiPolygon must be a non-empty array of polygons");
        }
        const auto& polygons = coordinates->as_array();
        for (std::size_t i = 0; i < polygons.size(); ++i) {
            shape.push_back(
                parse_polygon(polygons[i], fmt::format("{}.coordinates[{}]", field, i)));
        }
    } else {
        bad(field, fmt::format("a boundary must be a Polygon or MultiPolygon, not {}",
                               std::string_view(type->as_string())));
    }
    return shape;
}

json::value geometry_json(const MultiPolygon& shape, int decimals) {
    const double scale = decimals < 0 ? 0 : std::pow(10.0, decimals);
    auto polygon_json = [&](const Polygon& polygon) {
        json::array rings;
        rings.push_back(ring_json(polygon.outer, scale));
        for (const auto& hole : polygon.holes) rings.push_back(ring_json(hole, scale));
        return rings;
    };
    if (shape.size() == 1) {
        return json::object{{"type", "Polygon"}, {"coordinates", polygon_json(shape[0])}};
    }
    json::array polygons;
    for (const auto& polygon : shape) polygons.push_back(polygon_json(polygon));
    return json::object{{"type", "MultiPolygon"}, {"coordinates", std::move(polygons)}};
}

void normalize(MultiPolygon& shape) {
    // a ring left with fewer than four positions or no area encloses nothing
    auto degenerate = [](const Ring& r) { return r.size() < 4 || signed_area_deg2(r) == 0; };
    for (auto& polygon : shape) {
        dedupe(polygon.outer);
        if (signed_area_deg2(polygon.outer) < 0) {
            std::reverse(polygon.outer.begin(), polygon.outer.end());
        }
        for (auto& hole : polygon.holes) {
            dedupe(hole);
            if (signed_area_deg2(hole) > 0) std::reverse(hole.begin(), hole.end());
        }
        std::erase_if(polygon.holes, degenerate);
    }
    std::erase_if(shape, [&](const Polygon& p) { return degenerate(p.outer); });
}

}  // namespace gridgov::geo
