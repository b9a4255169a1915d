#include "cli/gis_files.hpp"

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

namespace gridgov::cli {

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
    if (ext == ".shp") return "ESRI Shapefile";
    if (ext == ".gpkg") return "GPKG";
    if (ext == ".kml") return "KML";
    if (ext == ".csv") return "CSV";
    if (ext == ".fgb") return "FlatGeobuf";
    throw Error(ErrorCode::invalid_field,
                fmt::format("No known format for '{}': use .shp, .gpkg, .kml, .csv or .fgb.", ext),
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
    if (!std::filesystem::exists(path))
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

}  // namespace gridgov::cli
