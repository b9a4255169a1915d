// The grid tree over HTTP: nodes (list, search, create, read, edit), boundaries (replace, with
// versions; read as of a time), children as GeoJSON for the map, and routing points to their grid.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <charconv>

#include "core/error.hpp"
#include "geo/china_coordinates.hpp"
#include "geo/geojson.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

std::optional<std::string> kind_field(const JsonBody& body, const char* key) {
    return body.opt_string(key, 32);
}

std::optional<std::int64_t> count_field(const JsonBody& body, const char* key) {
    return body.nullable_int(key).value_or(std::nullopt);
}

json::object located_json(const grid::GridService& grid_service, geo::LonLat p, double max_m) {
    const auto snap = grid_service.snapshot();
    const auto found = snap->locate(p, max_m);
    json::object out{{"lon", p.lon}, {"lat", p.lat}};
    if (!found) {
        out["node"] = nullptr;
        out["path"] = json::array{};
        return out;
    }
    json::array path;
    for (std::int64_t id : snap->path(found->node_id)) {
        const auto* n = snap->node(id);
        path.push_back(
            json::object{{"id", n->id}, {"code", n->code}, {"name", n->name}, {"level", n->level}});
    }
    out["node"] = path.back();
    out["path"] = std::move(path);
    out["distance_m"] = std::round(found->distance_m * 10) / 10;
    return out;
}

}  // namespace

void add_grid_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/grid/nodes", Access::authenticated,
        [s](Request& r) {
            const auto limit = static_cast<int>(query_int(r, "limit", 1, 500).value_or(100));
            std::vector<grid::GridNode> nodes;
            if (auto q = r.query_param("q")) {
                if (q->empty() || q->size() > 64)
                    throw Error(ErrorCode::invalid_field, "'q' has 1 to 64 bytes.", "q");
                nodes = s.grid.search(*q, &*r.principal, limit);
            } else if (const auto as_of = query_time(r, "as_of")) {
                nodes = s.grid.children_as_of(query_int(r, "parent_id", 1, INT64_MAX), *as_of,
                                              &*r.principal);
            } else {
                nodes = s.grid.children(query_int(r, "parent_id", 1, INT64_MAX), &*r.principal);
            }
            json::array items;
            for (const auto& n : nodes) items.push_back(node_json(n));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Children of a node (roots without parent_id), as they were at ?as_of= if given, or a "
        "search "
        "by code prefix or name (q)");

    router.add(
        "POST", "/api/v1/grid/nodes", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"code", "name", "parent_id", "kind", "subtype", "households",
                                    "population", "boundary", "crs"});
            grid::NewNode in;
            in.code = body.string("code", 32);
            in.name = body.string("name", 512);
            in.parent_id = body.nullable_int("parent_id").value_or(std::nullopt);
            in.kind = kind_field(body, "kind");
            in.subtype = kind_field(body, "subtype");
            in.households = count_field(body, "households");
            in.population = count_field(body, "population");
            if (body.has("boundary")) {
                auto shape = geo::parse_geometry(body.raw("boundary"), "boundary");
                geo::to_wgs84(shape, crs_of(body.opt_string("crs", 16), "crs"));
                geo::normalize(shape);
                in.boundary = std::move(shape);
            }
            const auto n = s.grid.create(in, &*r.principal, r.origin());
            Response res = Response::json(201, node_json(n));
            res.set_header("Location", fmt::format("/api/v1/grid/nodes/{}", n.id));
            res.set_header("ETag", fmt::format("\"v{}\"", n.version));
            return res;
        },
        "Create a node of the grid tree, with an optional boundary");

    router.add(
        "GET", "/api/v1/grid/nodes/{id}", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            json::object out = node_json(s.grid.get(id, &*r.principal));
            json::array path;
            for (const auto& a : s.grid.ancestors(id, &*r.principal)) {
                path.push_back(json::object{
                    {"id", a.id}, {"code", a.code}, {"name", a.name}, {"level", a.level}});
            }
            out["path"] = std::move(path);
            const auto as_of = query_time(r, "as_of");
            if (r.query_param("geometry") || as_of) {
                const auto shape = s.grid.boundary(id, as_of);
                out["boundary"] = shape ? geo::geometry_json(*shape) : json::value(nullptr);
            }
            Response res = Response::json(200, out);
            res.set_header("ETag", fmt::format("\"v{}\"", out.at("version").as_int64()));
            return res;
        },
        "One node with its path from the root; ?geometry=1 adds the boundary, ?as_of= the boundary "
        "then");

    router.add(
        "PATCH", "/api/v1/grid/nodes/{id}", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const int version = if_match_version(r);
            const JsonBody body(r, {"name", "kind", "subtype", "households", "population"});
            grid::NodePatch patch;
            patch.name = body.opt_string("name", 512);
            patch.kind = body.nullable_string("kind", 32);
            patch.subtype = body.nullable_string("subtype", 32);
            patch.households = body.nullable_int("households");
            patch.population = body.nullable_int("population");
            const auto n = s.grid.update(id, patch, version, &*r.principal, r.origin());
            Response res = Response::json(200, node_json(n));
            res.set_header("ETag", fmt::format("\"v{}\"", n.version));
            return res;
        },
        "Edit a node's attributes; send If-Match with the ETag");

    router.add(
        "PUT", "/api/v1/grid/nodes/{id}/boundary", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const JsonBody body(r, {"geometry", "crs", "reason"});
            if (!body.has("geometry"))
                throw Error(ErrorCode::missing_field, "'geometry' is required.", "geometry");
            auto shape = geo::parse_geometry(body.raw("geometry"), "geometry");
            geo::to_wgs84(shape, crs_of(body.opt_string("crs", 16), "crs"));
            const auto v = s.grid.set_boundary(id, std::move(shape),
                                               body.opt_string("reason", 512).value_or(""),
                                               &*r.principal, r.origin());
            return Response::json(200, json::object{{"id", v.id},
                                                    {"valid_from", format_rfc3339(v.valid_from)},
                                                    {"area_m2", std::round(v.area_m2)},
                                                    {"geometry", geo::geometry_json(v.shape)}});
        },
        "Replace a node's boundary; the old one is kept as a version");

    router.add(
        "GET", "/api/v1/grid/nodes/{id}/boundaries", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& v : s.grid.boundary_history(path_id(r, "id"), &*r.principal)) {
                items.push_back(json::object{
                    {"id", v.id},
                    {"valid_from", format_rfc3339(v.valid_from)},
                    {"valid_to", v.valid_to ? json::value(format_rfc3339(*v.valid_to)) : nullptr},
                    {"area_m2", std::round(v.area_m2)},
                    {"reason", v.reason},
                    {"geometry", geo::geometry_json(v.shape)}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The boundary versions of a node, newest first");

    router.add(
        "GET", "/api/v1/grid/nodes/{id}/children.geojson", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            json::array features;
            for (const auto& child : s.grid.children(id, &*r.principal)) {
                const auto shape = s.grid.boundary(child.id, std::nullopt);
                if (!shape) continue;
                features.push_back(json::object{{"type", "Feature"},
                                                {"id", child.id},
                                                {"properties", node_json(child)},
                                                {"geometry", geo::geometry_json(*shape, 6)}});
            }
            Response res = Response::json(200, json::object{{"type", "FeatureCollection"},
                                                            {"features", std::move(features)}});
            res.set_header("Content-Type", "application/geo+json; charset=utf-8");
            return res;
        },
        "The children of a node with their current boundaries, as a GeoJSON FeatureCollection");

    router.add(
        "GET", "/api/v1/grid/coverage", Access::authenticated,
        [s](Request& r) {
            grid::CoverageOptions options;
            options.tolerance_m = query_double(r, "tolerance_m", 0, 1000, 1.0);
            const auto report =
                s.grid.coverage(query_int(r, "node_id", 1, INT64_MAX), options, &*r.principal);
            return Response::json(200, json::object{{"parents_checked", report.parents_checked},
                                                    {"nodes_checked", report.nodes_checked},
                                                    {"tolerance_m", options.tolerance_m},
                                                    {"findings", findings_json(report)}});
        },
        "The coverage check of a subtree: invalid boundaries, children outside their parent, "
        "overlaps, gaps");

    router.add(
        "GET", "/api/v1/grid/locate", Access::authenticated,
        [s](Request& r) {
            const auto p = query_point(r);
            const double max_m = query_double(r, "max_distance_m", 0, 5000, 0.0);
            if (const auto as_of = query_time(r, "as_of")) {
                // the tree as it was then, from the stored versions
                const auto found = s.grid.locate_as_of(p, *as_of, &*r.principal);
                json::array path;
                for (const auto& n : found.path) {
                    path.push_back(json::object{
                        {"id", n.id}, {"code", n.code}, {"name", n.name}, {"level", n.level}});
                }
                json::object out{{"lon", p.lon}, {"lat", p.lat}, {"as_of", format_rfc3339(*as_of)}};
                out["node"] = path.empty() ? json::value(nullptr) : path.back();
                out["path"] = std::move(path);
                return Response::json(200, out);
            }
            return Response::json(200, located_json(s.grid, p, max_m));
        },
        "The grid and its path for a point (?as_of= for the tree at a past time); ?crs=gcj02|bd09 "
        "for points from Chinese map services");

    router.add(
        "POST", "/api/v1/grid/locate", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"points", "crs", "max_distance_m"});
            const auto crs = crs_of(body.opt_string("crs", 16), "crs");
            const auto max_m = static_cast<double>(
                body.nullable_int("max_distance_m").value_or(std::nullopt).value_or(0));
            if (max_m < 0 || max_m > 5000)
                throw Error(ErrorCode::invalid_field, "max_distance_m is 0 to 5000.",
                            "max_distance_m");
            if (!body.has("points") || !body.raw("points").is_array()) {
                throw Error(ErrorCode::invalid_field, "'points' is an array of [lon, lat].",
                            "points");
            }
            const auto& points = body.raw("points").as_array();
            if (points.size() > 10'000)
                throw Error(ErrorCode::invalid_field, "At most 10,000 points at once.", "points");
            json::array results;
            results.reserve(points.size());
            for (std::size_t i = 0; i < points.size(); ++i) {
                const std::string field = fmt::format("points[{}]", i);
                const auto* pair = points[i].if_array();
                if (!pair || pair->size() != 2 || !(*pair)[0].is_number() ||
                    !(*pair)[1].is_number()) {
                    throw Error(ErrorCode::invalid_field, "A point is [lon, lat].", field);
                }
                const geo::LonLat p{(*pair)[0].to_number<double>(), (*pair)[1].to_number<double>()};
                if (!(p.lon >= -180 && p.lon <= 180 && p.lat >= -90 && p.lat <= 90)) {
                    throw Error(ErrorCode::invalid_field,
                                "Longitude is within ±180 and latitude within ±90.", field);
                }
                results.push_back(located_json(s.grid, geo::to_wgs84(p, crs), max_m));
            }
            return Response::json(200, json::object{{"items", std::move(results)}});
        },
        "The grids of many points at once (at most 10,000)");
}

}  // namespace gridgov::http
