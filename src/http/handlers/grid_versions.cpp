// Restructuring the grid tree over HTTP: split a grid into parts, merge sibling grids, renumber
// (or move) a grid, each as a versioned operation with an optional dry run, and the lineage of
// a node (what it came from, what it became).
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "geo/china_coordinates.hpp"
#include "geo/geojson.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

std::optional<std::int64_t> count(const JsonBody& body, const char* key) {
    return body.nullable_int(key).value_or(std::nullopt);
}

// The attributes of a new node (a part of a split, the result of a merge).
grid::SplitPart read_part(const JsonBody& body) {
    grid::SplitPart part;
    part.code = body.string("code", 32);
    part.name = body.string("name", 512);
    part.kind = body.opt_string("kind", 32);
    part.subtype = body.opt_string("subtype", 32);
    part.households = count(body, "households");
    part.population = count(body, "population");
    return part;
}

Response restructured(const grid::Restructured& r, bool dry_run) {
    json::array retired, created;
    for (const auto& n : r.retired) retired.push_back(node_json(n));
    for (const auto& n : r.created) created.push_back(node_json(n));
    return Response::json(dry_run ? 200 : 201, json::object{{"dry_run", dry_run},
                                                            {"retired", std::move(retired)},
                                                            {"created", std::move(created)},
                                                            {"findings", findings_json(r.check)}});
}

}  // namespace

void add_grid_version_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/grid/nodes/{id}/split", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const JsonBody body(r, {"parts", "reason", "crs", "tolerance_m", "dry_run"});
            const auto crs = crs_of(body.opt_string("crs", 16), "crs");
            if (!body.has("parts") || !body.raw("parts").is_array()) {
                throw Error(ErrorCode::invalid_field, "'parts' is an array of the new grids.",
                            "parts");
            }
            std::vector<grid::SplitPart> parts;
            const auto& items = body.raw("parts").as_array();
            for (std::size_t i = 0; i < items.size() && i <= 100; ++i) {
                const JsonBody item(
                    items[i], fmt::format("parts[{}].", i),
                    {"code", "name", "kind", "subtype", "households", "population", "boundary"});
                grid::SplitPart part = read_part(item);
                if (!item.has("boundary")) {
                    throw Error(ErrorCode::missing_field, "Each part needs a boundary.",
                                item.name("boundary"));
                }
                part.boundary = geo::parse_geometry(item.raw("boundary"), item.name("boundary"));
                geo::to_wgs84(part.boundary, crs);
                geo::normalize(part.boundary);
                parts.push_back(std::move(part));
            }
            grid::CoverageOptions options;
            const auto tolerance = body.nullable_int("tolerance_m").value_or(std::nullopt);
            if (tolerance && (*tolerance < 0 || *tolerance > 100)) {
                throw Error(ErrorCode::invalid_field, "tolerance_m is 0 to 100 metres.",
                            "tolerance_m");
            }
            if (tolerance) options.tolerance_m = static_cast<double>(*tolerance);
            const bool dry_run = body.opt_bool("dry_run").value_or(false);
            return restructured(s.grid.split(id, parts, body.opt_string("reason", 512).value_or(""),
                                             options, dry_run, &*r.principal, r.origin()),
                                dry_run);
        },
        "Split a grid into parts that tile it; the grid is retired, the parts are new grids");

    router.add(
        "POST", "/api/v1/grid/merge", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"node_ids", "code", "name", "kind", "subtype", "households",
                                    "population", "reason", "dry_run"});
            if (!body.has("node_ids") || !body.raw("node_ids").is_array()) {
                throw Error(ErrorCode::invalid_field, "'node_ids' is an array of node ids.",
                            "node_ids");
            }
            std::vector<std::int64_t> ids;
            for (const auto& v : body.raw("node_ids").as_array()) {
                if (!v.is_int64() || v.as_int64() < 1)
                    throw Error(ErrorCode::invalid_field, "A node id is a positive whole number.",
                                "node_ids");
                ids.push_back(v.as_int64());
            }
            const bool dry_run = body.opt_bool("dry_run").value_or(false);
            return restructured(
                s.grid.merge(ids, read_part(body), body.opt_string("reason", 512).value_or(""),
                             dry_run, &*r.principal, r.origin()),
                dry_run);
        },
        "Merge sibling grids that share edges into one new grid");

    router.add(
        "POST", "/api/v1/grid/nodes/{id}/renumber", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const JsonBody body(r, {"code", "reason", "dry_run"});
            const bool dry_run = body.opt_bool("dry_run").value_or(false);
            return restructured(s.grid.renumber(id, body.string("code", 32),
                                                body.opt_string("reason", 512).value_or(""),
                                                dry_run, &*r.principal, r.origin()),
                                dry_run);
        },
        "Give a grid a new code (a code under another community moves it there)");

    router.add(
        "GET", "/api/v1/grid/nodes/{id}/lineage", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& l : s.grid.lineage(path_id(r, "id"), &*r.principal)) {
                items.push_back(json::object{{"operation", l.operation},
                                             {"predecessor_id", l.predecessor_id},
                                             {"predecessor_code", l.predecessor_code},
                                             {"successor_id", l.successor_id},
                                             {"successor_code", l.successor_code},
                                             {"at", format_rfc3339(l.at)},
                                             {"reason", l.reason}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Where a node came from and what it became (splits, merges, renumberings, moves)");
}

}  // namespace gridgov::http
