// The live figures against a GROUP BY, on one database in one run: builds the figures of every
// event from the database (time and memory), then asks the same question of both many times —
// what stands now for the whole city by status × category × street — and reports p50 / p99 of
// each and their ratio. Also times a year's figures of the city by district and today's by
// street. The database is one `gridgov demo --scale city --events N` filled (PostgreSQL for the
// GROUP BY side).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

#include "analytics/live_figures.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

using namespace gridgov;
using Steady = std::chrono::steady_clock;

namespace {

struct Timing {
    double p50 = 0, p99 = 0, mean = 0;  // milliseconds
};

Timing time_it(int runs, const std::function<std::size_t()>& fn, std::size_t& answer) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto start = Steady::now();
        answer = fn();
        ms.push_back(std::chrono::duration<double, std::milli>(Steady::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    Timing t;
    t.p50 = ms[ms.size() / 2];
    t.p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    for (const double m : ms) t.mean += m / static_cast<double>(ms.size());
    return t;
}

void print(const char* what, const Timing& t, std::size_t answer) {
    fmt::print("  {:<58} p50 {:>9.3f} ms  p99 {:>9.3f} ms  mean {:>9.3f} ms  ({} rows)\n", what,
               t.p50, t.p99, t.mean, answer);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app("The live figures against a GROUP BY over the same rows");
    std::string url;
    int runs = 200, sql_runs = 10;
    app.add_option("--database", url, "a database gridgov demo filled with events")->required();
    app.add_option("--runs", runs, "times each in-memory question is asked");
    app.add_option("--sql-runs", sql_runs, "times the GROUP BY is run");
    CLI11_PARSE(app, argc, argv);
    auto db = store::open_database(url, 2);
    store::migrate(*db);
    const gridgov::Clock& clock = SystemClock::instance();
    std::int64_t city = 0;
    std::string city_path;
    db->read([&](store::Connection& c) {
        const auto row = c.run(
                              "SELECT id, path FROM grid_nodes WHERE parent_id IS NULL ORDER BY id "
                              "LIMIT 1")
                             .front();
        city = row.integer("id");
        city_path = row.text("path");
    });

    analytics::LiveFigures live(*db, clock);
    const auto started = Steady::now();
    const auto events = live.rebuild();
    fmt::print("  figures of {} events built in {:.1f} s, {} MiB in memory\n", events,
               std::chrono::duration<double>(Steady::now() - started).count(),
               live.memory_bytes() >> 20);

    std::size_t answer = 0;
    const auto memory = time_it(
        runs, [&] { return live.stock(city, 3, true).size(); }, answer);
    print("in memory: now, by status x category x street", memory, answer);
    const auto today = local_day(clock.now());
    const auto by_district = time_it(
        runs,
        [&] { return live.figures(city, today, today, analytics::Split::child).groups.size(); },
        answer);
    print("in memory: today's figures by district", by_district, answer);
    const auto year = time_it(
        std::max(3, runs / 20),
        [&] {
            return live.figures(city, today - 364, today, analytics::Split::child).groups.size();
        },
        answer);
    print("in memory: a year's figures of the city by district", year, answer);
    const auto year_by_category = time_it(
        std::max(3, runs / 20),
        [&] {
            return live.figures(city, today - 364, today, analytics::Split::category).groups.size();
        },
        answer);
    print("in memory: a year's figures of the city by category", year_by_category, answer);
    const auto year_departments = time_it(
        std::max(3, runs / 20), [&] { return live.departments(city, today - 364, today).size(); },
        answer);
    print("in memory: a year's figures of the city's departments", year_departments, answer);
    const auto trend = time_it(
        runs, [&] { return live.flow(city, today - 29, today, analytics::Split::day).size(); },
        answer);
    print("in memory: the city's last 30 days, reports and closures", trend, answer);

    if (db->dialect() != store::Dialect::postgres) return 0;
    // the same question as a GROUP BY over the events: the street is the path's third node
    const std::string sql =
        "SELECT split_part(node_path, '/', 4) AS street, status, category_code, COUNT(*) AS n, "
        "COUNT(*) FILTER (WHERE status IN ('reported', 'accepted', 'dispatched', 'in_progress', "
        "'handled') AND handle_due < $2) AS overdue FROM events WHERE node_path LIKE $1 GROUP BY "
        "1, 2, 3";
    const auto group_by = time_it(
        sql_runs,
        [&] {
            std::size_t n = 0;
            db->read([&](store::Connection& c) {
                n = c.run(sql, {city_path + "%", clock.now()}).rows.size();
            });
            return n;
        },
        answer);
    print("PostgreSQL: GROUP BY status, category, street", group_by, answer);
    fmt::print("  the live figures answer {:.0f} times faster (p50), {:.0f} times (mean)\n",
               group_by.p50 / memory.p50, group_by.mean / memory.mean);
    return 0;
}
