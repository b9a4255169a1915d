// Routing points to grids: gridgov's in-memory index against PostGIS with a GiST index on the
// same polygons, answering the same random points, in one run. Reports the index's build time
// and memory, lookups per second on one core for both, their ratio, and the points where the two
// answers differ. The tree comes from a gridgov database (gridgov demo --scale chengdu).
#include <fmt/format.h>
#include <libpq-fe.h>

#include <CLI/CLI.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <unordered_map>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "geo/geojson.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

using namespace gridgov;
using Stopwatch = std::chrono::steady_clock;

namespace {

double seconds_since(Stopwatch::time_point t) {
    return std::chrono::duration<double>(Stopwatch::now() - t).count();
}

long rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string key;
    long value = 0;
    while (in >> key) {
        if (key == "VmRSS:") {
            in >> value;
            return value;
        }
        in.ignore(1 << 12, '\n');
    }
    return 0;
}

class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    double uniform() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
    }

  private:
    std::uint64_t state_;
};

void check(PGconn* pg, PGresult* r, const char* what) {
    const auto status = PQresultStatus(r);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN) {
        const std::string message = PQerrorMessage(pg);
        PQclear(r);
        throw std::runtime_error(fmt::format("{}: {}", what, message));
    }
}

void exec(PGconn* pg, const std::string& sql) {
    check(pg, PQexec(pg, sql.c_str()), sql.c_str()), void();
}

void copy_in(PGconn* pg, const std::string& sql, const std::string& data) {
    PGresult* r = PQexec(pg, sql.c_str());
    check(pg, r, sql.c_str());
    PQclear(r);
    if (PQputCopyData(pg, data.data(), static_cast<int>(data.size())) != 1 ||
        PQputCopyEnd(pg, nullptr) != 1) {
        throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(pg));
    }
    r = PQgetResult(pg);
    check(pg, r, "COPY");
    PQclear(r);
}

}  // namespace

int main(int argc, char** argv) {
    init_crypto();
    CLI::App app{"Routing points to grids: gridgov's index against PostGIS"};
    std::string database, postgres;
    std::size_t count = 1'000'000;
    std::uint64_t seed = 7;
    app.add_option("--database", database, "The gridgov database holding the tree")->required();
    app.add_option("--postgres", postgres, "A PostgreSQL server with PostGIS for the comparison");
    app.add_option("--points", count, "Random points inside the city")->capture_default_str();
    app.add_option("--seed", seed, "Seed of the points")->capture_default_str();
    CLI11_PARSE(app, argc, argv);

    auto db = store::open_database(database, 2);
    accounts::AuditLog audit(*db, SystemClock::instance());
    grid::GridService tree(*db, audit, SystemClock::instance());
    const long rss_before = rss_kib();
    auto started = Stopwatch::now();
    tree.reload();
    const double load_s = seconds_since(started);
    const auto snap = tree.snapshot();
    const long rss_after = rss_kib();

    // the deepest level with boundaries is the one routed to, and the one PostGIS gets
    int deepest = grid::micro_grid;
    while (deepest > 1 && snap->shape_count(deepest) == 0) --deepest;
    std::vector<grid::GridSnapshot::Shape> shapes;
    std::optional<geo::MultiPolygon> city;
    for (const auto& [node, shape] : snap->shapes_in(deepest, {-180, -90, 180, 90}))
        shapes.push_back({node->id, *shape});
    for (const auto& [node, shape] : snap->shapes_in(1, {-180, -90, 180, 90})) city = *shape;
    // the index alone: build it again from shapes already in memory
    started = Stopwatch::now();
    const geo::PointIndex index([&] {
        std::vector<geo::PointIndex::Entry> entries;
        for (const auto& s : shapes) entries.push_back({s.node_id, s.shape});
        return entries;
    }());
    const double index_s = seconds_since(started);

    // points spread over the city
    Random rng(seed);
    const geo::Box box = city ? geo::bounding_box(*city) : geo::bounding_box(shapes.front().shape);
    std::vector<geo::LonLat> points;
    points.reserve(count);
    while (points.size() < count) {
        const geo::LonLat p{box.min_lon + rng.uniform() * (box.max_lon - box.min_lon),
                            box.min_lat + rng.uniform() * (box.max_lat - box.min_lat)};
        if (!city || geo::contains(*city, p)) points.push_back(p);
    }

    // one untimed pass first, so that both timed passes find the index in memory
    std::size_t warm = 0;
    for (const auto& p : points) warm += snap->locate(p).has_value();
    fmt::print("{} of {} points found a node in the warm-up pass\n", warm, points.size());
    // gridgov: the full answer (deepest node and its path) for every point, one core
    std::vector<std::int64_t> ours(points.size(), 0);
    started = Stopwatch::now();
    std::size_t path_lengths = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (const auto found = snap->locate(points[i])) {
            ours[i] = found->path_length == deepest ? found->node_id : 0;
            path_lengths += static_cast<std::size_t>(found->path_length);
        }
    }
    const double ours_s = seconds_since(started);
    const double ours_rate = static_cast<double>(points.size()) / ours_s;

    fmt::print("tree: {} nodes, {} shapes at level {} ({})\n", snap->node_count(), shapes.size(),
               deepest, grid::level_name(deepest));
    fmt::print(
        "load from the database and build the snapshot: {:.2f} s; index of level {} alone: {:.3f} "
        "s\n",
        load_s, deepest, index_s);
    fmt::print("snapshot memory: {:.1f} MiB counted, {:.1f} MiB resident growth\n",
               static_cast<double>(snap->memory_bytes()) / (1 << 20),
               static_cast<double>(rss_after - rss_before) / 1024);
    fmt::print(
        "gridgov: {} points in {:.3f} s on one core = {:.0f} lookups/s (mean path length {:.2f})\n",
        points.size(), ours_s, ours_rate,
        static_cast<double>(path_lengths) / static_cast<double>(points.size()));
    if (postgres.empty()) return 0;

    PGconn* pg = PQconnectdb(postgres.c_str());
    if (PQstatus(pg) != CONNECTION_OK) {
        fmt::print(stderr, "cannot connect to PostgreSQL: {}\n", PQerrorMessage(pg));
        return 1;
    }
    exec(pg, "CREATE EXTENSION IF NOT EXISTS postgis");
    exec(pg, "DROP TABLE IF EXISTS bench_shapes, bench_points");
    exec(pg,
         "CREATE TABLE bench_shapes (id BIGINT PRIMARY KEY, geojson TEXT, geom "
         "geometry(MultiPolygon, 4326))");
    std::string data;
    for (const auto& s : shapes) {
        data += fmt::format("{}\t{}\n", s.node_id,
                            boost::json::serialize(geo::geometry_json(s.shape, -1)));
    }
    started = Stopwatch::now();
    copy_in(pg, "COPY bench_shapes (id, geojson) FROM STDIN", data);
    exec(pg,
         "UPDATE bench_shapes SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326))");
    exec(pg, "CREATE INDEX bench_shapes_geom ON bench_shapes USING gist (geom)");
    exec(pg, "ANALYZE bench_shapes");
    const double pg_load_s = seconds_since(started);
    exec(pg,
         "CREATE TABLE bench_points (i INTEGER PRIMARY KEY, x DOUBLE PRECISION, y DOUBLE "
         "PRECISION)");
    data.clear();
    for (std::size_t i = 0; i < points.size(); ++i)
        data += fmt::format("{}\t{:.17g}\t{:.17g}\n", i, points[i].lon, points[i].lat);
    copy_in(pg, "COPY bench_points FROM STDIN", data);
    exec(pg, "ANALYZE bench_points");
    exec(pg, "SET max_parallel_workers_per_gather = 0");  // one core, as for gridgov
    started = Stopwatch::now();
    PGresult* r = PQexec(pg,
                         "SELECT p.i, (SELECT s.id FROM bench_shapes s WHERE ST_Intersects(s.geom, "
                         "ST_SetSRID(ST_MakePoint(p.x, p.y), 4326)) ORDER BY s.id LIMIT 1) AS id "
                         "FROM bench_points p");
    const double pg_s = seconds_since(started);
    check(pg, r, "the PostGIS query");
    std::size_t differ = 0;
    const int rows = PQntuples(r);
    for (int row = 0; row < rows; ++row) {
        const auto i = static_cast<std::size_t>(std::atoll(PQgetvalue(r, row, 0)));
        const std::int64_t theirs = PQgetisnull(r, row, 1) ? 0 : std::atoll(PQgetvalue(r, row, 1));
        if (theirs != ours[i]) ++differ;
    }
    PQclear(r);
    exec(pg, "DROP TABLE bench_shapes, bench_points");
    PQfinish(pg);
    const double pg_rate = static_cast<double>(rows) / pg_s;
    fmt::print(
        "PostGIS: loaded and indexed in {:.1f} s; {} points in {:.2f} s on one core = {:.0f} "
        "lookups/s\n",
        pg_load_s, rows, pg_s, pg_rate);
    fmt::print("ratio gridgov / PostGIS: {:.0f}x; answers that differ: {}\n", ours_rate / pg_rate,
               differ);
    return 0;
}
