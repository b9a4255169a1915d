// The questions LiveFigures answers, from the facts and running counts it holds.
#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "analytics/live_figures.hpp"
#include "analytics/live_state.hpp"
#include "events/lifecycle.hpp"

namespace gridgov::analytics {

namespace {

using events::Status;

void count(Figures& g, const EventFact& f) {
    ++g.intake;
    const auto status = static_cast<Status>(f.status);
    if (status == Status::cancelled) {
        ++g.cancelled;
        return;
    }
    ++g.accepted;
    if (f.flags & kOnSpot) ++g.resolved_on_spot;
    if (status == Status::closed || status == Status::evaluated) {
        ++g.closed;
        ++g.should_close;
        if (f.flags & kClosedOnTime) ++g.closed_on_time;
        if (f.flags & kReworked) ++g.reworked;
    } else {
        ++g.open;
        if (f.flags & kOverdue) {
            ++g.overdue;
            ++g.should_close;
        }
    }
    if (f.flags & kEvaluated) {
        ++g.evaluated;
        if (f.flags & kSatisfied) ++g.satisfied;
    }
}

// The node of `level` on a path, kNoNode when the path has none.
std::uint32_t node_at_level(const LiveState& s, const PathInfo& p, int level) {
    for (std::uint8_t k = 0; k < p.depth; ++k)
        if (s.nodes[p.nodes[k]].level == level) return p.nodes[k];
    return kNoNode;
}

}  // namespace

FiguresAnswer LiveFigures::figures(std::int64_t node, LocalDay from_day, LocalDay to_day,
                                   Split split) const {
    std::shared_lock lock(mutex_);
    const State& s = *state_;
    FiguresAnswer out;
    const auto found = s.node_index.find(node);
    if (found == s.node_index.end()) return out;
    const std::uint32_t root = found->second;
    const std::uint8_t depth = s.nodes[root].depth;
    std::unordered_map<std::int64_t, Figures> groups;
    for (auto day = s.reported.lower_bound(from_day);
         day != s.reported.end() && day->first <= to_day; ++day) {
        for (const auto id : day->second) {
            const EventFact& f = s.events[id];
            const PathInfo& p = s.paths[f.path];
            if (!p.holds(root, depth)) continue;
            count(out.total, f);
            std::int64_t key = 0;
            switch (split) {
                case Split::none:
                    continue;
                case Split::child:
                    if (p.depth <= depth + 1) continue;  // at the node itself
                    key = s.nodes[p.nodes[depth + 1]].id;
                    break;
                case Split::grid: {
                    const auto grid = node_at_level(s, p, kGridLevel);
                    if (grid == kNoNode) continue;
                    key = s.nodes[grid].id;
                    break;
                }
                case Split::category:
                    key = f.category;
                    break;
                case Split::channel:
                    key = f.channel;
                    break;
                case Split::day:
                case Split::week:
                case Split::month:
                    key = bucket_of(f.reported_day, split);
                    break;
            }
            count(groups[key], f);
        }
    }
    for (auto& [key, figures] : groups) {
        std::string text;
        switch (split) {
            case Split::category:
                text = s.categories.values[static_cast<std::size_t>(key)];
                break;
            case Split::channel:
                text = s.channels.values[static_cast<std::size_t>(key)];
                break;
            case Split::day:
            case Split::week:
            case Split::month:
                text = bucket_text(key, split);
                break;
            default:
                text = std::to_string(key);
        }
        out.groups.push_back({std::move(text), figures});
    }
    std::sort(out.groups.begin(), out.groups.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    return out;
}

std::vector<DepartmentGroup> LiveFigures::departments(std::int64_t node, LocalDay from_day,
                                                      LocalDay to_day) const {
    std::shared_lock lock(mutex_);
    const State& s = *state_;
    const auto found = s.node_index.find(node);
    if (found == s.node_index.end()) return {};
    const std::uint32_t root = found->second;
    const std::uint8_t depth = s.nodes[root].depth;
    std::map<std::uint32_t, DepartmentFigures> groups;
    for (auto day = s.dispatched.lower_bound(from_day);
         day != s.dispatched.end() && day->first <= to_day; ++day) {
        for (const auto id : day->second) {
            const AssignmentFact& a = s.assignments[id];
            if (!s.paths[a.path].holds(root, depth)) continue;
            auto& g = groups[a.department];
            ++g.dispatched;
            if (a.status == kHandled) {
                ++g.handled;
                if (a.flags & kClosedOnTime) ++g.handled_on_time;
            } else if (a.status == kReturned) {
                ++g.returned;
            }
        }
    }
    // what stands open now, whenever it was dispatched
    for (const auto& [key, n] : s.assignment_counts[root]) {
        const auto status = (key >> 16) & 0xF;
        if (status != kDispatched && status != kInProgress) continue;
        auto& g = groups[key & 0xFFFF];
        g.open += n;
        if ((key >> 20) & 1) g.overdue += n;
    }
    std::vector<DepartmentGroup> out;
    for (const auto& [department, figures] : groups)
        out.push_back({s.departments.values[department], figures});
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.department_id < b.department_id; });
    return out;
}

std::vector<StockRow> LiveFigures::stock(std::int64_t node, std::optional<int> split_level,
                                         bool by_category) const {
    std::shared_lock lock(mutex_);
    const State& s = *state_;
    std::vector<StockRow> out;
    const auto found = s.node_index.find(node);
    if (found == s.node_index.end()) return out;
    const std::uint32_t root = found->second;
    // a cell per (status, category), reused node after node; the counts keep overdue apart,
    // the rows carry both
    const std::size_t categories = by_category ? s.categories.values.size() : 1;
    std::vector<StockRow> cells(8 * categories);
    std::vector<std::uint32_t> touched;
    const auto emit = [&](std::uint32_t n, std::optional<std::int64_t> node_id) {
        touched.clear();
        for (const auto& [key, c] : s.event_counts[n]) {
            const std::uint32_t status = (key >> 16) & 0x7;
            const std::uint32_t category = by_category ? key & 0xFFFF : 0;
            const auto at = static_cast<std::uint32_t>(status * categories + category);
            auto& cell = cells[at];
            if (cell.count == 0 && cell.overdue == 0) touched.push_back(at);
            cell.count += c;
            if ((key >> 20) & 1) cell.overdue += c;
        }
        std::sort(touched.begin(), touched.end());
        for (const auto at : touched) {
            StockRow row = cells[at];
            cells[at] = StockRow{};
            row.node_id = node_id;
            row.status = std::string(events::status_name(static_cast<Status>(at / categories)));
            row.category = s.categories.values[by_category ? at % categories : 0];
            out.push_back(std::move(row));
        }
    };
    if (!split_level) {
        emit(root, std::nullopt);
        return out;
    }
    std::vector<std::uint32_t> under;
    for (std::uint32_t n = 0; n < s.nodes.size(); ++n)
        if (s.nodes[n].level == *split_level && s.within(n, root)) under.push_back(n);
    std::sort(under.begin(), under.end(),
              [&](auto a, auto b) { return s.nodes[a].id < s.nodes[b].id; });
    for (const auto n : under) emit(n, s.nodes[n].id);
    return out;
}

std::vector<FlowPoint> LiveFigures::flow(std::int64_t node, LocalDay from_day, LocalDay to_day,
                                         Split bucket) const {
    if (bucket != Split::week && bucket != Split::month) bucket = Split::day;
    std::map<LocalDay, FlowPoint> points;
    for (LocalDay day = from_day; day <= to_day; ++day) points[bucket_of(day, bucket)];
    std::shared_lock lock(mutex_);
    const State& s = *state_;
    const auto found = s.node_index.find(node);
    if (found != s.node_index.end()) {
        const std::uint32_t root = found->second;
        const std::uint8_t depth = s.nodes[root].depth;
        const auto tally = [&](const std::map<LocalDay, std::vector<std::uint32_t>>& lists,
                               std::int64_t FlowPoint::*field) {
            for (auto day = lists.lower_bound(from_day); day != lists.end() && day->first <= to_day;
                 ++day) {
                std::int64_t n = 0;
                for (const auto id : day->second)
                    if (s.paths[s.events[id].path].holds(root, depth)) ++n;
                points[bucket_of(day->first, bucket)].*field += n;
            }
        };
        tally(s.reported, &FlowPoint::reported);
        tally(s.closed, &FlowPoint::closed);
    }
    std::vector<FlowPoint> out;
    for (auto& [first, point] : points) {
        point.key = bucket_text(first, bucket);
        out.push_back(point);
    }
    return out;
}

std::size_t LiveFigures::event_count() const {
    std::shared_lock lock(mutex_);
    return state_->event_total;
}

std::size_t LiveFigures::memory_bytes() const {
    std::shared_lock lock(mutex_);
    const State& s = *state_;
    std::size_t bytes = s.events.capacity() * sizeof(EventFact) +
                        s.assignments.capacity() * sizeof(AssignmentFact) +
                        s.paths.capacity() * sizeof(PathInfo) +
                        s.nodes.capacity() * sizeof(NodeInfo);
    for (const auto* counts : {&s.event_counts, &s.assignment_counts})
        for (const auto& c : *counts) bytes += c.capacity() * sizeof(c[0]) + sizeof(c);
    for (const auto* lists : {&s.reported, &s.closed, &s.dispatched})
        for (const auto& [day, ids] : *lists) bytes += ids.capacity() * sizeof(std::uint32_t) + 64;
    return bytes;
}

}  // namespace gridgov::analytics
