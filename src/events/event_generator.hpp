// A year of events for the demo city, deterministic from a seed: every channel at its usual
// share, categories from the catalogue (a few common ones most of the time), places inside the
// grids, each event as far along the closed loop as its age makes likely (most closed, some
// evaluated, a few cancelled, sent back or overdue) with its deadlines, times and assignments to
// departments. For the scale of a city (ten million events) the rows are loaded in bulk with the
// secondary indexes made once at the end; the events carry their state, not their action chains
// (a generated event's timeline is empty; events made through the service have both).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "events/catalogue.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::events {

struct EventScale {
    std::int64_t events = 0;
    int days = 365;  // reported over this many days up to now
    std::uint64_t seed = 20261123;
};

struct GeneratedEvents {
    std::int64_t events = 0, assignments = 0, grids = 0, actions = 0;
};

// Each event comes with its chain of actions (report, accept, dispatch … as far as it came),
// signed under `cipher`'s key like those the server writes, so that `gridgov audit verify` holds.
GeneratedEvents generate_events(store::Database& db, grid::GridService& grid,
                                const Catalogue& catalogue, const FieldCipher& cipher,
                                const EventScale& scale, Millis now,
                                const std::function<void(std::string_view)>& progress = {});

}  // namespace gridgov::events
