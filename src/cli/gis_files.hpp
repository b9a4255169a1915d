// Shapefile, GeoPackage and the other formats GDAL reads, for the grid tree's import and export:
// converted to and from GeoJSON (WGS84) by GDAL's ogr2ogr, run without a shell. The GeoJSON then
// goes through the same checks as any import.
#pragma once

#include <string>

namespace gridgov::cli {

// True for names that are GeoJSON already (.geojson, .json).
bool is_geojson_file(const std::string& path);
// The file as GeoJSON text in WGS84. Throws Error(invalid_field, "file") when GDAL cannot read it.
std::string read_as_geojson(const std::string& path);
// Writes GeoJSON text as the format the name asks for (.shp, .gpkg, .kml, .csv ...).
void write_from_geojson(const std::string& geojson, const std::string& path);

}  // namespace gridgov::cli
