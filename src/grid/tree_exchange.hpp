// The grid tree as GeoJSON (RFC 7946) for exchange with GIS tools and other platforms: a
// FeatureCollection with one feature per node (properties code, name, parent_code, level, kind,
// subtype, households, population; the boundary as geometry). Reading checks every feature and
// reports all problems at once, each with the feature's index and the field, so that an import can
// be reviewed (a dry run) before anything is written.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "geo/china_coordinates.hpp"
#include "grid/grid_service.hpp"

namespace gridgov::grid {

struct ImportProblem {
    std::size_t feature = 0;  // index in the collection
    std::string field;        // "features[3].properties.code"
    std::string message;
};

struct ParsedImport {
    std::vector<NewNode> nodes;  // parents before children
    std::vector<ImportProblem> problems;
};

// Which property of the file holds each of gridgov's fields (code, name, kind, subtype,
// parent_code, households, population), where the file names them otherwise: {"code": "WGBM",
// "name": "NAME"}. A field not mapped is read from the property of its own name.
using PropertyMapping = std::map<std::string, std::string>;
inline constexpr const char* kTreeFields[] = {"code",        "name",       "kind",      "subtype",
                                              "parent_code", "households", "population"};
// Error(invalid_field, "map") unless every key is one of kTreeFields.
void check_property_mapping(const PropertyMapping& mapping);
// "WGBM:code", "NAME:name" (the file's property, then gridgov's field, as the people import maps
// its columns) as a mapping; Error(invalid_field, "map") for a malformed pair.
PropertyMapping parse_property_mapping(const std::vector<std::string>& pairs);

// Reads the collection; positions are converted from `crs` to WGS84. Nodes whose parent is
// neither in the file nor in `existing_codes` are problems too.
ParsedImport parse_tree_geojson(const boost::json::value& collection, geo::Crs crs,
                                const std::function<bool(const std::string&)>& code_exists,
                                const PropertyMapping& mapping = {});

struct ExportNode {
    GridNode node;
    std::string parent_code;
    std::optional<geo::MultiPolygon> boundary;
};
boost::json::object tree_geojson(const std::vector<ExportNode>& nodes);

}  // namespace gridgov::grid
