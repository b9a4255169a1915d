// `gridgov simulate`: a living city on top of the demo (events/city_simulation.hpp), one pass a
// second until stopped (Ctrl-C) or for --minutes, as the demo's centre, grid workers and the
// departments' duty officers; beside `gridgov serve` on the same database, whose figures and
// screens follow.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "core/error.hpp"
#include "events/city_simulation.hpp"

namespace gridgov::cli {

namespace {

std::atomic<bool> stopping{false};

accounts::Principal principal_of(const accounts::User& u) {
    return {accounts::Principal::Kind::user,
            u.id,
            u.login,
            u.name,
            u.role,
            u.scope_node_id,
            u.department_id};
}

}  // namespace

int run_simulate(const Settings& settings, events::SimulationPace pace, double minutes) {
    Runtime runtime(settings);
    std::vector<accounts::User> centres, workers;
    for (auto role : {accounts::Role::center, accounts::Role::grid_worker}) {
        accounts::UserFilter filter;
        filter.role = role;
        auto& into = role == accounts::Role::center ? centres : workers;
        into = runtime.users->list(filter, nullptr, 1000, 0, nullptr);
    }
    if (centres.empty())
        throw Error(ErrorCode::conflict, "No command centre account to act as: run gridgov demo.");
    const auto centre = principal_of(centres.front());
    std::vector<accounts::Principal> worker_principals;
    for (const auto& w : workers) worker_principals.push_back(principal_of(w));
    std::int64_t handler_id = centre.id;
    if (const auto duty = runtime.users->find_by_login("dept")) handler_id = duty->id;
    std::int64_t area = 0;
    if (centre.scope_node_id) {
        area = *centre.scope_node_id;
    } else {
        const auto top = runtime.grid->children(std::nullopt, nullptr);
        if (top.empty())
            throw Error(ErrorCode::conflict, "There is no grid tree: run gridgov demo.");
        area = top.front().id;
    }
    events::CitySimulation city(*runtime.db, *runtime.events, *runtime.grid, *runtime.catalogue,
                                area, centre, std::move(worker_principals), handler_id, pace);
    std::signal(SIGINT, [](int) { stopping = true; });
    std::signal(SIGTERM, [](int) { stopping = true; });
    fmt::print("simulating {} reports a minute at {}× the pace of life, as {} ({}); Ctrl-C stops\n",
               pace.reports_per_minute, pace.speed, centre.name, centre.login);
    const auto started = std::chrono::steady_clock::now();
    events::SimulationPass total;
    auto last_note = started;
    while (!stopping) {
        const auto pass = city.tick(SystemClock::instance().now());
        total.reported += pass.reported;
        total.stepped += pass.stepped;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_note >= std::chrono::minutes(1)) {
            spdlog::info("simulation: {} reported, {} steps taken so far", total.reported,
                         total.stepped);
            last_note = now;
        }
        if (minutes > 0 && now - started >= std::chrono::duration<double, std::ratio<60>>(minutes))
            break;
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    fmt::print("simulation over: {} reported, {} steps taken\n", total.reported, total.stepped);
    return 0;
}

}  // namespace gridgov::cli
