// A living city on top of the demo: grid workers and residents report at a steady rate (some
// resolved on the spot), the centre accepts, cancels the odd invalid one and dispatches, the
// departments sign for their assignments and handle them, the centre verifies (now and then
// sending work back) and the reporters evaluate, each step a little while after the one before.
// Every step goes through the EventService as the people who would take it, so the actions,
// deadlines, figures and notifications are the real ones. Not thread-safe: one loop calls tick().
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "events/catalogue.hpp"
#include "events/event_service.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::events {

struct SimulationPace {
    double reports_per_minute = 6;  // over the whole area
    double speed = 30;              // the people act this many times faster than in life
    std::uint64_t seed = 20261123;
};

struct SimulationPass {
    int reported = 0;
    int stepped = 0;
};

class CitySimulation {
  public:
    // `area` is the node the simulated city covers (its grids report); `centre` takes the
    // centre's steps, `workers` report in their grids, `handler_id` is the user id the
    // departments' duty officers act as.
    CitySimulation(store::Database& db, EventService& events, grid::GridService& grid,
                   const Catalogue& catalogue, std::int64_t area, accounts::Principal centre,
                   std::vector<accounts::Principal> workers, std::int64_t handler_id,
                   SimulationPace pace);

    // Reports due since the last pass, and the next step of each open event whose time came.
    SimulationPass tick(Millis now);

  private:
    struct Grid {
        std::int64_t id;
        geo::Box box;
        const accounts::Principal* worker;
    };
    void report(Millis now);
    bool advance(std::int64_t id, Status status, Millis since, Millis now);
    Millis delay(std::int64_t id, Status status) const;  // how long a step waits, per event
    const accounts::Principal& handler(std::int64_t department_id, const std::string& name);

    store::Database& db_;
    EventService& events_;
    std::string area_path_;
    accounts::Principal centre_;
    std::vector<accounts::Principal> workers_;
    std::int64_t handler_id_;
    SimulationPace pace_;
    std::vector<Grid> grids_;
    std::vector<std::string> categories_;
    std::map<std::int64_t, accounts::Principal> handlers_;
    std::mt19937_64 rng_;
    Millis last_ = 0;
    double owed_ = 0;  // reports due but not yet made
    accounts::RequestOrigin origin_{"simulation", "", "gridgov simulate"};
};

}  // namespace gridgov::events
