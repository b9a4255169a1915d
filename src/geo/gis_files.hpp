// Shapefile, GeoPackage and the other formats GDAL reads, for the grid tree's import and export:
// converted to and from GeoJSON (WGS84) by GDAL's ogr2ogr, run without a shell. The GeoJSON then
// goes through the same checks as any import.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gridgov::geo {

// True for names that are GeoJSON already (.geojson, .json).
bool is_geojson_file(const std::string& path);
// The file as GeoJSON text in WGS84. Throws Error(invalid_field, "file") when GDAL cannot read it.
std::string read_as_geojson(const std::string& path);
// An uploaded file (a zipped Shapefile or a GeoPackage, told apart by their first bytes) as
// GeoJSON text in WGS84; nullopt for bytes that are neither. Error(invalid_field, "file") when
// GDAL cannot read it.
std::optional<std::string> upload_as_geojson(std::string_view bytes);
// The first sheet of an Excel workbook (.xlsx bytes) as CSV text, every cell read as text (so that
// identity numbers keep every digit), its first row the header. Error(invalid_field, "file") when
// GDAL cannot read it.
std::string xlsx_as_csv(std::string_view bytes);
// Writes GeoJSON text as the format the name asks for (.shp, .gpkg, .kml, .csv ...).
void write_from_geojson(const std::string& geojson, const std::string& path);

}  // namespace gridgov::geo
