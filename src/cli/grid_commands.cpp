// `gridgov import FILE` and `gridgov export`: the grid tree as GeoJSON from the command line. An
// import always checks the whole file first and writes nothing when any feature has a problem;
// --dry-run stops after the checks and the coverage preview.
#include <fmt/format.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "core/error.hpp"
#include "geo/gis_files.hpp"
#include "grid/tree_exchange.hpp"

namespace gridgov::cli {

int run_import(const Settings& settings, const std::string& file, const std::string& crs_name,
               bool dry_run, const std::vector<std::string>& map) {
    const auto mapping = grid::parse_property_mapping(map);
    const auto crs = geo::parse_crs(crs_name);
    if (!crs)
        throw Error(ErrorCode::invalid_field, "The coordinate system is wgs84, gcj02 or bd09.",
                    "crs");
    std::string text;
    if (geo::is_geojson_file(file)) {
        std::ifstream in(file);
        if (!in) throw Error(ErrorCode::not_found, fmt::format("Cannot read {}.", file), "file");
        std::stringstream content;
        content << in.rdbuf();
        text = content.str();
    } else {
        text = geo::read_as_geojson(file);  // Shapefile, GeoPackage ... through GDAL
    }
    std::error_code ec;
    const auto doc = boost::json::parse(text, ec);
    if (ec)
        throw Error(ErrorCode::malformed_json,
                    fmt::format("{} is not valid JSON: {}.", file, ec.message()), "file");
    Runtime runtime(settings);
    const auto parsed = grid::parse_tree_geojson(
        doc, *crs,
        [&](const std::string& code) { return runtime.grid->find_by_code(code).has_value(); },
        mapping);
    for (const auto& p : parsed.problems) fmt::print("problem  {:<40} {}\n", p.field, p.message);
    const auto coverage = runtime.grid->coverage_with(parsed.nodes, {});
    for (const auto& f : coverage.findings) {
        fmt::print("{:<8} {:<40} {:.1f} m² at {:.6f},{:.6f}\n", f.kind, f.codes.front(), f.area_m2,
                   f.point.lon, f.point.lat);
    }
    fmt::print("{} nodes, {} problem(s), {} coverage finding(s)\n", parsed.nodes.size(),
               parsed.problems.size(), coverage.findings.size());
    if (!parsed.problems.empty()) {
        fmt::print("nothing imported\n");
        return 1;
    }
    if (dry_run) return 0;
    const auto n = runtime.grid->import(parsed.nodes, nullptr, {"cli", "", "gridgov import"});
    fmt::print("imported {} nodes\n", n);
    return 0;
}

int run_export(const Settings& settings, const std::string& node_code, const std::string& output) {
    Runtime runtime(settings);
    const auto root = runtime.node_id(node_code);
    const auto nodes = runtime.grid->subtree(root, nullptr);
    const auto snap = runtime.grid->snapshot();
    std::vector<grid::ExportNode> out;
    for (const auto& [n, shape] : nodes) {
        const auto* parent = n.parent_id ? snap->node(*n.parent_id) : nullptr;
        out.push_back({n, parent ? parent->code : std::string(), shape});
    }
    const std::string text = boost::json::serialize(grid::tree_geojson(out)) + "\n";
    if (output.empty() || output == "-") {
        std::cout << text;
    } else if (!geo::is_geojson_file(output)) {
        geo::write_from_geojson(text, output);  // Shapefile, GeoPackage ... through GDAL
        fmt::print(stderr, "wrote {} nodes to {}\n", out.size(), output);
    } else {
        std::ofstream(output) << text;
        fmt::print(stderr, "wrote {} nodes to {}\n", out.size(), output);
    }
    return 0;
}

}  // namespace gridgov::cli
