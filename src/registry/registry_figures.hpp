// Figures of the registry for a node's subtree: households, people by household type and by record
// state, people in each special or care group, records collected and verified in a period, the
// visits that are due, rooms by use, key places by risk with the inspections due, and licences
// running out. People, rooms and households come from the running counts per grid that triggers
// keep (registry_tallies); groups and visits due from the groups' own node paths; the period from
// indexes on the collection and verification times.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::registry {

struct RegistryFigures {
    std::int64_t people = 0;
    std::map<std::string, std::int64_t> by_household_type;  // registered, floating, …
    std::map<std::string, std::int64_t> by_state;           // collected, verified, flagged
    std::map<std::string, std::int64_t> by_group;           // community_correction, …
    std::int64_t collected_in_period = 0;
    std::int64_t verified_in_period = 0;
    std::int64_t visits_due = 0;
    std::int64_t rooms = 0;
    std::map<std::string, std::int64_t> rooms_by_use;
    std::int64_t households = 0;
    std::map<std::string, std::int64_t> key_places_by_risk;  // low, medium, high
    std::int64_t inspections_due = 0;
    std::int64_t organisations = 0;
    std::int64_t licences_expiring = 0;  // valid until within 30 days, or expired
};

// `node_id` none: the viewer's scope (or the whole tree). The period is [since, until).
// Counts registry_tallies again from the records (after a bulk load with the triggers off).
void rebuild_registry_tallies(store::Connection& c);

RegistryFigures registry_figures(store::Database& db, grid::GridService& grid,
                                 const accounts::Principal& viewer,
                                 std::optional<std::int64_t> node_id, Millis since, Millis until,
                                 Millis now);

}  // namespace gridgov::registry
