#include "geo/gis_files.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/crypto.hpp"
#include "core/error.hpp"

extern char** environ;

namespace gridgov::geo {

namespace {

// The bounds of one conversion: a file that takes longer, more memory or writes more is refused
// (a workbook of a million empty rows is small zipped and huge unzipped).
constexpr int kSeconds = 60;
constexpr rlim_t kMemoryBytes = rlim_t{2} << 30;  // address space of the converter
constexpr rlim_t kOutputBytes = rlim_t{64} << 20;

// One conversion at a time per process: a second upload waits for no thread, it is told to
// come back.
std::atomic<bool> converting{false};

std::string find_program(const char* name) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= dirs.size()) {
        const auto colon = dirs.find(':', start);
        const std::string dir = dirs.substr(start, colon - start);
        const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return {};
}

// Runs ogr2ogr with the arguments, within the bounds above; its messages go to our standard
// error.
void ogr2ogr(const std::vector<std::string>& args) {
    const std::string program = find_program("ogr2ogr");
    if (program.empty()) {
        throw Error(ErrorCode::unavailable,
                    "未安装 GDAL 的 ogr2ogr（Debian 软件包 gdal-bin）。 GDAL's ogr2ogr is not "
                    "installed (Debian package gdal-bin).",
                    "file");
    }
    bool idle = false;
    if (!converting.compare_exchange_strong(idle, true)) {
        throw Error(ErrorCode::unavailable,
                    "另一个文件正在转换，请稍后再试。 Another file is being converted; try again "
                    "in a minute.",
                    "file");
    }
    struct Release {
        ~Release() { converting = false; }
    } release;
    std::vector<char*> argv;
    std::string name = "ogr2ogr";
    argv.push_back(name.data());
    std::vector<std::string> copies = args;
    for (auto& a : copies) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw Error(ErrorCode::unavailable, "cannot start ogr2ogr", "file");
    if (pid == 0) {
        // the child: only async-signal-safe calls until exec
        const rlimit memory{kMemoryBytes, kMemoryBytes};
        const rlimit output{kOutputBytes, kOutputBytes};
        const rlimit cpu{kSeconds, kSeconds};
        ::setrlimit(RLIMIT_AS, &memory);
        ::setrlimit(RLIMIT_FSIZE, &output);
        ::setrlimit(RLIMIT_CPU, &cpu);
        ::execve(program.c_str(), argv.data(), environ);
        ::_exit(127);
    }
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kSeconds);
    for (;;) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0 && errno != EINTR) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            throw Error(ErrorCode::invalid_field,
                        fmt::format("文件转换超过 {0} 秒，已停止。 The file took longer than {0} s "
                                    "to convert and was refused.",
                                    kSeconds),
                        "file");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (WIFSIGNALED(status)) {
        throw Error(
            ErrorCode::invalid_field,
            "文件过大或过于复杂，无法转换。 The file is too large or too complex to convert "
            "(its size, memory or time ran over the limits).",
            "file");
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw Error(
            ErrorCode::invalid_field,
            "GDAL 无法转换该文件。 GDAL could not convert the file (see its message above).",
            "file");
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
