// The inside of LiveFigures, shared by its building and its queries: compact facts per event and
// per assignment, the interned nodes, paths, categories, channels and departments they point to,
// the running counts per node of what stands now, and the events of each day.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analytics/day_series.hpp"
#include "analytics/live_figures.hpp"
#include "core/clock.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::analytics {

constexpr std::uint32_t kNoNode = 0xFFFFFFFF;
constexpr int kMaxDepth = 8;
constexpr int kGridLevel = 5;
// Deadlines in seconds since 2020-01-01T00:00:00Z: four bytes a fact, good until 2088.
constexpr Millis kDueEpoch = 1'577'836'800'000;

enum FactFlag : std::uint8_t {
    kOnSpot = 1,
    kClosedOnTime = 2,
    kReworked = 4,
    kEvaluated = 8,
    kSatisfied = 16,
    kOverdue = 32,
};

// An event as the figures see it: 24 bytes. path 0 is an empty slot.
struct EventFact {
    std::uint32_t path = 0;
    std::uint16_t category = 0;  // 0: none
    std::uint8_t channel = 0;
    std::uint8_t status = 0;  // events::Status
    std::uint8_t flags = 0;
    std::int32_t reported_day = 0;
    std::int32_t closed_day = -1;
    std::int32_t due = 0;  // the handling deadline (kDueEpoch seconds), 0: none
    bool operator==(const EventFact&) const = default;
};

enum AssignmentStatus : std::uint8_t { kDispatched, kInProgress, kHandled, kReturned };

struct AssignmentFact {
    std::uint32_t event = 0;
    std::uint32_t path = 0;  // the event's; 0 is an empty slot
    std::uint16_t department = 0;
    std::uint8_t status = 0;
    std::uint8_t flags = 0;  // kClosedOnTime: handled by its deadline; kOverdue
    std::int32_t dispatched_day = 0;
    std::int32_t due = 0;
    bool operator==(const AssignmentFact&) const = default;
};

struct NodeInfo {
    std::int64_t id = 0;
    std::uint32_t parent = kNoNode;
    std::uint8_t depth = 0;  // position in the paths
    std::uint8_t level = 0;  // the grid level (1 city … 6 micro-grid), 0: not known
};

struct PathInfo {
    std::array<std::uint32_t, kMaxDepth> nodes{};
    std::uint8_t depth = 0;  // how many nodes
    bool holds(std::uint32_t node, std::uint8_t at) const {
        return at < depth && nodes[at] == node;
    }
};

// Running counts, a sorted vector of (key, count) per node: small and cheap to add up.
using Counts = std::vector<std::pair<std::uint32_t, std::int32_t>>;
void bump(Counts& counts, std::uint32_t key, std::int32_t delta);

// Keys of the counts of events (category, status, overdue) and of assignments (department,
// status, overdue).
inline std::uint32_t event_key(const EventFact& f) {
    return f.category | (std::uint32_t{f.status} << 16) |
           (std::uint32_t{(f.flags & kOverdue) ? 1u : 0u} << 20);
}
inline std::uint32_t assignment_key(const AssignmentFact& a) {
    return a.department | (std::uint32_t{a.status} << 16) |
           (std::uint32_t{(a.flags & kOverdue) ? 1u : 0u} << 20);
}

template <typename Id>
struct Interned {
    std::unordered_map<Id, std::uint32_t> index;
    std::vector<Id> values;
    std::uint32_t of(const Id& v) {
        const auto [it, added] = index.try_emplace(v, static_cast<std::uint32_t>(values.size()));
        if (added) values.push_back(v);
        return it->second;
    }
};

using DueQueue =
    std::priority_queue<std::pair<std::int32_t, std::uint32_t>,
                        std::vector<std::pair<std::int32_t, std::uint32_t>>, std::greater<>>;

struct LiveState {
    std::vector<NodeInfo> nodes;
    std::unordered_map<std::int64_t, std::uint32_t> node_index;
    std::vector<PathInfo> paths{PathInfo{}};  // [0]: no path
    std::unordered_map<std::string, std::uint32_t> path_index;
    Interned<std::string> categories;  // [0]: ""
    Interned<std::string> channels;
    Interned<std::int64_t> departments;  // [0]: 0

    std::vector<EventFact> events;            // by event id
    std::vector<AssignmentFact> assignments;  // by assignment id
    std::vector<Counts> event_counts;         // by node: events by event_key
    std::vector<Counts> assignment_counts;    // by node: assignments by assignment_key
    std::vector<DaySeries> series;            // by node: day by day, the nodes above the grids
    std::map<LocalDay, std::vector<std::uint32_t>> reported;    // day → events reported that day
    std::map<LocalDay, std::vector<std::uint32_t>> closed;      // day → events closed that day
    std::map<LocalDay, std::vector<std::uint32_t>> dispatched;  // day → assignments dispatched
    DueQueue event_due, assignment_due;  // open ones by deadline, until they pass
    std::size_t event_total = 0;

    LiveState();
    std::uint32_t node(std::int64_t id);
    std::uint32_t path(const std::string& text);  // "/1/5/17/"
    // True when node `n` (dense) is `ancestor` or under it.
    bool within(std::uint32_t n, std::uint32_t ancestor) const;

    void put_event(std::uint32_t id, const EventFact& fact);
    void put_assignment(std::uint32_t id, const AssignmentFact& fact);
};

struct LiveFigures::State : LiveState {};

}  // namespace gridgov::analytics
