#include "geo/gis_files.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/crypto.hpp"
#include "core/error.hpp"

extern char** environ;

namespace gridgov::geo {

namespace {

// Runs ogr2ogr with the arguments; its messages go to our standard error.
void ogr2ogr(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    std::string program = "ogr2ogr";
    argv.push_back(program.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawnp(&pid, "ogr2ogr", nullptr, nullptr, argv.data(), environ) != 0) {
        throw Error(ErrorCode::unavailable,
                    "GDAL's ogr2ogr is not installed (Debian package gdal-bin).", "file");
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw Error(ErrorCode::invalid_field,
                    "GDAL could not convert the file (see its message above).", "file");
    }
}

std::string driver_for(const std::string& path) {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".shp" || path.ends_with(".shp.zip")) return "ESRI Shapefile";
    if (ext == ".gpkg") return "GPKG";
    if (ext == ".kml") return "KML";
    if (ext == ".csv") return "CSV";
    if (ext == ".fgb") return "FlatGeobuf";
    throw Error(
        ErrorCode::invalid_field,
        fmt::format("No known format for '{}': use .shp, .shp.zip, .gpkg, .kml, .csv or .fgb.",
                    ext),
        "output");
}

std::filesystem::path scratch(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("gridgov-gis-" + random_token(6));
    std::filesystem::create_directories(dir);
    return dir / name;
}

}  // namespace

bool is_geojson_file(const std::string& path) {
    const std::string ext = std::filesystem::path(path).extension().string();
    return ext == ".geojson" || ext == ".json";
}

std::string read_as_geojson(const std::string& path) {
    if (!path.starts_with("/vsi") && !std::filesystem::exists(path))
        throw Error(ErrorCode::not_found, fmt::format("Cannot read {}.", path), "file");
    const auto out = scratch("tree.geojson");
    ogr2ogr({"-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "RFC7946=YES", "-lco",
             "COORDINATE_PRECISION=15", out.string(), path});
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    std::filesystem::remove_all(out.parent_path());
    return text.str();
}

std::string xlsx_as_csv(std::string_view bytes) {
    const auto path = scratch("upload.xlsx");
    {
        std::ofstream out(path, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    const auto csv = path.parent_path() / "sheet.csv";
    try {
        ogr2ogr({"--config", "OGR_XLSX_HEADERS", "FORCE", "--config", "OGR_XLSX_FIELD_TYPES",
                 "STRING", "-f", "CSV", csv.string(), path.string()});
    } catch (...) {
        std::filesystem::remove_all(path.parent_path());
        throw;
    }
    std::ifstream in(csv);
    std::stringstream text;
    text << in.rdbuf();
    std::filesystem::remove_all(path.parent_path());
    return text.str();
}

std::optional<std::string> upload_as_geojson(std::string_view bytes) {
    std::string name;
    if (bytes.starts_with(std::string_view("PK\x03\x04", 4))) {
        name = "upload.zip";  // a zipped Shapefile (.shp, .shx, .dbf, .prj, .cpg)
    } else if (bytes.starts_with(std::string_view("SQLite format 3\0", 16))) {
        name = "upload.gpkg";
    } else {
        return std::nullopt;
    }
    const auto path = scratch(name);
    {
        std::ofstream out(path, std::ios::binary);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    try {
        std::string text =
            read_as_geojson(name.ends_with(".zip") ? "/vsizip/" + path.string() : path.string());
        std::filesystem::remove_all(path.parent_path());
        return text;
    } catch (...) {
        std::filesystem::remove_all(path.parent_path());
        throw;
    }
}

void write_from_geojson(const std::string& geojson, const std::string& path) {
    const std::string driver = driver_for(path);
    const auto in = scratch("tree.geojson");
    std::ofstream(in) << geojson;
    std::filesystem::remove(path);  // ogr2ogr does not overwrite a datasource
    std::vector<std::string> args{"-f", driver, "-nln", "grid_nodes", "-nlt", "MULTIPOLYGON"};
    if (driver == "ESRI Shapefile") args.insert(args.end(), {"-lco", "ENCODING=UTF-8"});
    args.insert(args.end(), {path, in.string()});
    try {
        ogr2ogr(args);
    } catch (...) {
        std::filesystem::remove_all(in.parent_path());
        throw;
    }
    std::filesystem::remove_all(in.parent_path());
}

}  // namespace gridgov::geo
