#include "analytics/live_state.hpp"

#include <algorithm>
#include <charconv>

#include "events/lifecycle.hpp"

namespace gridgov::analytics {

void bump(Counts& counts, std::uint32_t key, std::int32_t delta) {
    const auto it =
        std::lower_bound(counts.begin(), counts.end(), key,
                         [](const auto& entry, std::uint32_t k) { return entry.first < k; });
    if (it != counts.end() && it->first == key) {
        it->second += delta;
        if (it->second == 0) counts.erase(it);
    } else if (delta != 0) {
        counts.insert(it, {key, delta});
    }
}

LiveState::LiveState() {
    categories.of("");
    channels.of("");
    departments.of(0);
}

std::uint32_t LiveState::node(std::int64_t id) {
    const auto [it, added] = node_index.try_emplace(id, static_cast<std::uint32_t>(nodes.size()));
    if (added) {
        nodes.push_back(NodeInfo{id});
        event_counts.emplace_back();
        assignment_counts.emplace_back();
        series.emplace_back();
    }
    return it->second;
}

std::uint32_t LiveState::path(const std::string& text) {
    if (const auto it = path_index.find(text); it != path_index.end()) return it->second;
    PathInfo p;
    std::uint32_t parent = kNoNode;
    std::size_t at = 0;
    while (at < text.size() && p.depth < kMaxDepth) {
        const auto end = text.find('/', at);
        const auto part = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        at = end == std::string::npos ? text.size() : end + 1;
        std::int64_t id = 0;
        if (part.empty() ||
            std::from_chars(part.data(), part.data() + part.size(), id).ec != std::errc{})
            continue;
        const auto n = node(id);
        nodes[n].parent = parent;
        nodes[n].depth = p.depth;
        p.nodes[p.depth++] = n;
        parent = n;
    }
    const auto index = static_cast<std::uint32_t>(paths.size());
    paths.push_back(p);
    path_index.emplace(text, index);
    return index;
}

bool LiveState::within(std::uint32_t n, std::uint32_t ancestor) const {
    const auto target = nodes[ancestor].depth;
    while (n != kNoNode && nodes[n].depth > target) n = nodes[n].parent;
    return n == ancestor;
}

namespace {

bool is_open_status(std::uint8_t status) {
    return events::is_open(static_cast<events::Status>(status));
}

void erase_one(std::vector<std::uint32_t>& list, std::uint32_t id) {
    if (const auto it = std::find(list.begin(), list.end(), id); it != list.end()) list.erase(it);
}

}  // namespace

void LiveState::put_event(std::uint32_t id, const EventFact& fact) {
    if (id >= events.size()) events.resize(std::max<std::size_t>(id + 1, events.size() * 3 / 2));
    EventFact& slot = events[id];
    const EventFact old = slot;
    if (old == fact) return;
    const auto count = [&](const EventFact& f, int sign) {
        const PathInfo& p = paths[f.path];
        for (std::uint8_t d = 0; d < p.depth; ++d) {
            bump(event_counts[p.nodes[d]], event_key(f), sign);
            if (d < kSeriesDepth) series[p.nodes[d]].add(f, sign);
        }
    };
    if (old.path)
        count(old, -1);
    else
        ++event_total;
    count(fact, 1);
    if (!old.path || old.reported_day != fact.reported_day) {
        if (old.path) erase_one(reported[old.reported_day], id);
        reported[fact.reported_day].push_back(id);
    }
    if (old.closed_day != fact.closed_day) {
        if (old.closed_day >= 0) erase_one(closed[old.closed_day], id);
        if (fact.closed_day >= 0) closed[fact.closed_day].push_back(id);
    }
    if (fact.due && is_open_status(fact.status) && !(fact.flags & kOverdue) &&
        (old.due != fact.due || !old.path || !is_open_status(old.status)))
        event_due.emplace(fact.due, id);
    slot = fact;
}

void LiveState::put_assignment(std::uint32_t id, const AssignmentFact& fact) {
    if (id >= assignments.size())
        assignments.resize(std::max<std::size_t>(id + 1, assignments.size() * 3 / 2));
    AssignmentFact& slot = assignments[id];
    const AssignmentFact old = slot;
    if (old == fact) return;
    if (old.path) {
        for (std::uint8_t d = 0; d < paths[old.path].depth; ++d)
            bump(assignment_counts[paths[old.path].nodes[d]], assignment_key(old), -1);
    }
    for (std::uint8_t d = 0; d < paths[fact.path].depth; ++d)
        bump(assignment_counts[paths[fact.path].nodes[d]], assignment_key(fact), 1);
    if (!old.path || old.dispatched_day != fact.dispatched_day) {
        if (old.path) erase_one(dispatched[old.dispatched_day], id);
        dispatched[fact.dispatched_day].push_back(id);
    }
    const auto open = [](const AssignmentFact& a) {
        return a.path && (a.status == kDispatched || a.status == kInProgress);
    };
    if (fact.due && open(fact) && !(fact.flags & kOverdue) && (old.due != fact.due || !open(old)))
        assignment_due.emplace(fact.due, id);
    slot = fact;
}

}  // namespace gridgov::analytics
