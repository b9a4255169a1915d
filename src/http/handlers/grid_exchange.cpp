// Importing and exporting the grid tree as GeoJSON (imports also as a zipped Shapefile or a
// GeoPackage, through GDAL): a dry run reports every problem of the file and the coverage check
// of the tree as it would be; the real import writes all or nothing.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "geo/geojson.hpp"
#include "geo/gis_files.hpp"
#include "grid/tree_exchange.hpp"
#include "http/app.hpp"
#include "http/handlers/registry_views.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

void add_grid_exchange_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/grid/import", Access::authenticated,
        [s](Request& r) {
            if (!r.principal->can(accounts::Permission::manage_grid)) {
                s.audit.record(&*r.principal, r.origin(), "denied", "grid:import", "denied",
                               "manage grid");
                throw Error(ErrorCode::forbidden);
            }
            const std::string_view type = r.header("content-type");
            std::string converted;
            if (!type.starts_with("application/json") &&
                !type.starts_with("application/geo+json")) {
                // a zipped Shapefile or a GeoPackage, read through GDAL
                auto text = geo::upload_as_geojson(r.body);
                if (!text) {
                    throw Error(ErrorCode::unsupported_media_type,
                                "Send GeoJSON (application/geo+json), a zipped Shapefile or a "
                                "GeoPackage.");
                }
                converted = std::move(*text);
            }
            json::parse_options options;
            options.max_depth = 64;
            std::error_code ec;
            const json::value doc = json::parse(
                converted.empty() ? std::string_view(r.body) : converted, ec, {}, options);
            if (ec)
                throw Error(ErrorCode::malformed_json,
                            fmt::format("The file is not valid JSON: {}.", ec.message()));
            const auto crs = crs_of(r.query_param("crs"));
            const bool dry_run = r.query_param("dry_run").value_or("0") != "0";
            const auto mapping = grid::parse_property_mapping(query_list(r, "map"));
            const auto parsed = grid::parse_tree_geojson(
                doc, crs,
                [&](const std::string& code) { return s.grid.find_by_code(code).has_value(); },
                mapping);
            json::array problems;
            for (const auto& p : parsed.problems) {
                problems.push_back(json::object{
                    {"feature", p.feature}, {"field", p.field}, {"message", p.message}});
            }
            if (!parsed.problems.empty() && !dry_run) {
                const auto& first = parsed.problems.front();
                throw Error(ErrorCode::invalid_field,
                            fmt::format("{} ({} problems in the file; a dry run lists them all)",
                                        first.message, parsed.problems.size()),
                            first.field);
            }
            const auto coverage = s.grid.coverage_with(parsed.nodes, {});
            if (dry_run) {
                return Response::json(200, json::object{{"dry_run", true},
                                                        {"nodes", parsed.nodes.size()},
                                                        {"problems", std::move(problems)},
                                                        {"findings", findings_json(coverage)}});
            }
            const auto imported = s.grid.import(parsed.nodes, &*r.principal, r.origin());
            return Response::json(201, json::object{{"dry_run", false},
                                                    {"nodes", imported},
                                                    {"problems", json::array{}},
                                                    {"findings", findings_json(coverage)}});
        },
        "Import nodes from a GeoJSON FeatureCollection, a zipped Shapefile or a GeoPackage; "
        "?dry_run=1 reports problems and coverage, writing nothing");

    router.add(
        "GET", "/api/v1/grid/export.geojson", Access::authenticated,
        [s](Request& r) {
            const auto nodes = s.grid.subtree(query_int(r, "node_id", 1, INT64_MAX), &*r.principal);
            std::unordered_map<std::int64_t, std::string> code_of;
            for (const auto& [n, shape] : nodes) code_of[n.id] = n.code;
            std::vector<grid::ExportNode> out;
            out.reserve(nodes.size());
            for (const auto& [n, shape] : nodes) {
                std::string parent;
                if (n.parent_id) {
                    if (auto it = code_of.find(*n.parent_id); it != code_of.end())
                        parent = it->second;
                    else if (auto p = s.grid.snapshot()->node(*n.parent_id))
                        parent = p->code;
                }
                out.push_back({n, parent, shape});
            }
            Response res = Response::json(200, grid::tree_geojson(out));
            res.set_header("Content-Type", "application/geo+json; charset=utf-8");
            res.set_header("Content-Disposition", "attachment; filename=\"grid-tree.geojson\"");
            return res;
        },
        "The subtree under node_id (default: one's whole scope) as a GeoJSON FeatureCollection, "
        "for GIS tools");
}

}  // namespace gridgov::http
