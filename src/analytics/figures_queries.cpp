// The questions LiveFigures answers, from the facts and running counts it holds.
#include <algorithm>
#include <map>
#include <mutex>

#include "analytics/live_figures.hpp"
#include "analytics/live_state.hpp"
#include "events/lifecycle.hpp"

namespace gridgov::analytics {

namespace {

using events::Status;

// The node of `level` on a path, kNoNode when the path has none.
std::uint32_t node_at_level(const LiveState& s, const PathInfo& p, int level) {
    for (std::uint8_t k = 0; k < p.depth; ++k)
        if (s.nodes[p.nodes[k]].level == level) return p.nodes[k];
    return kNoNode;
}

// A period's figures from the day series of the node (and of its children): true when the
// split allows it.
bool figures_from_series(const LiveState& s, std::uint32_t root, LocalDay from_day, LocalDay to_day,
                         Split split, FiguresAnswer& out) {
    const std::uint8_t depth = s.nodes[root].depth;
    if (depth >= kSeriesDepth) return false;
    switch (split) {
        case Split::none:
            out.total = s.series[root].sum(from_day, to_day);
            return true;
        case Split::day:
        case Split::week:
        case Split::month: {
            std::map<LocalDay, Figures> buckets;
            s.series[root].each(from_day, to_day, [&](const DayFigures& d) {
                if (d.intake == 0) return;
                out.total += d;
                buckets[bucket_of(d.day, split)] += d;
            });
            for (const auto& [first, figures] : buckets)
                out.groups.push_back({bucket_text(first, split), figures});
            return true;
        }
        case Split::child:
            if (depth + 1 >= kSeriesDepth) return false;
            out.total = s.series[root].sum(from_day, to_day);
            for (std::uint32_t n = 0; n < s.nodes.size(); ++n) {
                if (s.nodes[n].parent != root) continue;
                const Figures figures = s.series[n].sum(from_day, to_day);
                if (figures.intake > 0)
                    out.groups.push_back({std::to_string(s.nodes[n].id), figures});
            }
            return true;
        default:
            return false;
    }
}

// A period's figures from the events reported in it, one by one, grouped in an array by a dense
// key (a node, category or channel index, or the day's distance from the first).
void figures_from_events(const LiveState& s, std::uint32_t root, LocalDay from_day, LocalDay to_day,
                         Split split, FiguresAnswer& out) {
    const std::uint8_t depth = s.nodes[root].depth;
    std::size_t width = 0;
    switch (split) {
        case Split::none:
            break;
        case Split::child:
        case Split::grid:
            width = s.nodes.size();
            break;
        case Split::category:
            width = s.categories.values.size();
            break;
        case Split::channel:
            width = s.channels.values.size();
            break;
        case Split::day:
        case Split::week:
        case Split::month:
            width = static_cast<std::size_t>(to_day - from_day + 1);
            break;
    }
    std::vector<Figures> groups(width);
    for (auto day = s.reported.lower_bound(from_day);
         day != s.reported.end() && day->first <= to_day; ++day) {
        for (const auto id : day->second) {
            const EventFact& f = s.events[id];
            const PathInfo& p = s.paths[f.path];
            if (!p.holds(root, depth)) continue;
            tally(out.total, f);
            std::size_t key = 0;
            switch (split) {
                case Split::none:
                    continue;
                case Split::child:
                    if (p.depth <= depth + 1) continue;  // at the node itself
                    key = p.nodes[depth + 1];
                    break;
                case Split::grid:
                    key = node_at_level(s, p, kGridLevel);
                    if (key == kNoNode) continue;
                    break;
                case Split::category:
                    key = f.category;
                    break;
                case Split::channel:
                    key = f.channel;
                    break;
                case Split::day:
                case Split::week:
                case Split::month:
                    key = static_cast<std::size_t>(f.reported_day - from_day);
                    break;
            }
            tally(groups[key], f);
        }
    }
    std::map<LocalDay, Figures> buckets;
    for (std::size_t key = 0; key < groups.size(); ++key) {
        const Figures& figures = groups[key];
        if (figures.intake == 0) continue;
        switch (split) {
            case Split::child:
            case Split::grid:
                out.groups.push_back({std::to_string(s.nodes[key].id), figures});
                break;
            case Split::category:
                out.groups.push_back({s.categories.values[key], figures});
                break;
            case Split::channel:
                out.groups.push_back({s.channels.values[key], figures});
                break;
            default:
                buckets[bucket_of(from_day + static_cast<LocalDay>(key), split)] += figures;
        }
    }
    for (const auto& [first, figures] : buckets)
        out.groups.push_back({bucket_text(first, split), figures});
}

}  // namespace

FiguresAnswer LiveFigures::figures(std::int64_t node, LocalDay from_day, LocalDay to_day,
                                   Split split) const {
    std::shared_lock lock(mutex_);
    const State& s = *state_;
    FiguresAnswer out;
    const auto found = s.node_index.find(node);
    if (found == s.node_index.end()) return out;
    if (!figures_from_series(s, found->second, from_day, to_day, split, out))
        figures_from_events(s, found->second, from_day, to_day, split, out);
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
    // by the department's index; those with nothing are left out
    std::vector<DepartmentFigures> groups(s.departments.values.size());
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
    for (std::size_t department = 0; department < groups.size(); ++department) {
        const DepartmentFigures& figures = groups[department];
        if (figures.dispatched == 0 && figures.open == 0) continue;
        out.push_back({s.departments.values[department], figures});
    }
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

OpenNow LiveFigures::open_now(std::int64_t node) const {
    std::shared_lock lock(mutex_);
    const State& s = *state_;
    OpenNow out;
    const auto found = s.node_index.find(node);
    if (found == s.node_index.end()) return out;
    for (const auto& [key, n] : s.event_counts[found->second]) {
        if (!events::is_open(static_cast<Status>((key >> 16) & 0x7))) continue;
        out.open += n;
        if ((key >> 20) & 1) out.overdue += n;
    }
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
    if (found != s.node_index.end() && s.nodes[found->second].depth < kSeriesDepth) {
        s.series[found->second].each(from_day, to_day, [&](const DayFigures& d) {
            auto& point = points[bucket_of(d.day, bucket)];
            point.reported += d.intake;
            point.closed += d.closed_that_day;
        });
    } else if (found != s.node_index.end()) {
        const std::uint32_t root = found->second;
        const std::uint8_t depth = s.nodes[root].depth;
        const auto count = [&](const std::map<LocalDay, std::vector<std::uint32_t>>& lists,
                               std::int64_t FlowPoint::*field) {
            for (auto day = lists.lower_bound(from_day); day != lists.end() && day->first <= to_day;
                 ++day) {
                std::int64_t n = 0;
                for (const auto id : day->second)
                    if (s.paths[s.events[id].path].holds(root, depth)) ++n;
                points[bucket_of(day->first, bucket)].*field += n;
            }
        };
        count(s.reported, &FlowPoint::reported);
        count(s.closed, &FlowPoint::closed);
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
    for (const auto& days : s.series) bytes += days.memory_bytes() + sizeof(days);
    for (const auto* counts : {&s.event_counts, &s.assignment_counts})
        for (const auto& c : *counts) bytes += c.capacity() * sizeof(c[0]) + sizeof(c);
    for (const auto* lists : {&s.reported, &s.closed, &s.dispatched})
        for (const auto& [day, ids] : *lists) bytes += ids.capacity() * sizeof(std::uint32_t) + 64;
    return bytes;
}

}  // namespace gridgov::analytics
