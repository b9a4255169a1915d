#include "analytics/live_figures.hpp"

#include <fmt/format.h>

#include <charconv>
#include <mutex>

#include "analytics/live_state.hpp"
#include "events/lifecycle.hpp"

namespace gridgov::analytics {

using store::Value;

struct LiveFigures::Rows {
    store::Result events, assignments, levels;
};

namespace {

// The columns are read by position: events …
constexpr const char* kEventColumns =
    "e.id, e.node_path, e.category_code, e.channel, e.status, e.resolved_on_spot, e.rework_count, "
    "e.satisfaction, e.reported_at, e.handle_due, e.closed_at";
// … and assignments, with their event's path.
constexpr const char* kAssignmentColumns =
    "a.id, a.event_id, e.node_path, a.department_id, a.status, a.due, a.dispatched_at, "
    "a.handled_at";

std::optional<std::int64_t> int_of(const Value& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (const auto* d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (const auto* s = std::get_if<std::string>(&v)) {
        std::int64_t out = 0;
        if (std::from_chars(s->data(), s->data() + s->size(), out).ec == std::errc{}) return out;
    }
    return std::nullopt;
}
std::int64_t int_or(const Value& v, std::int64_t fallback) {
    return int_of(v).value_or(fallback);
}
const std::string* text_of(const Value& v) {
    return std::get_if<std::string>(&v);
}
std::int32_t due_of(Millis t) {
    return static_cast<std::int32_t>((t - kDueEpoch) / kSecond);
}

EventFact event_fact(LiveState& s, const store::Row& row, Millis now) {
    EventFact f;
    const auto* path = text_of(row.at(1));
    f.path = s.path(path ? *path : std::string());
    if (const auto* category = text_of(row.at(2)))
        f.category = static_cast<std::uint16_t>(s.categories.of(*category));
    if (const auto* channel = text_of(row.at(3)))
        f.channel = static_cast<std::uint8_t>(s.channels.of(*channel));
    const auto* status_text = text_of(row.at(4));
    const auto status =
        events::parse_status(status_text ? *status_text : "").value_or(events::Status::reported);
    f.status = static_cast<std::uint8_t>(status);
    if (int_or(row.at(5), 0)) f.flags |= kOnSpot;
    if (int_or(row.at(6), 0) > 0) f.flags |= kReworked;
    if (const auto* satisfaction = text_of(row.at(7))) {
        f.flags |= kEvaluated;
        if (*satisfaction != "unsatisfied") f.flags |= kSatisfied;
    }
    f.reported_day = static_cast<std::int32_t>(local_day(int_or(row.at(8), 0)));
    const auto due = int_of(row.at(9));
    const auto closed_at = int_of(row.at(10));
    if (due) f.due = due_of(*due);
    const bool closed = status == events::Status::closed || status == events::Status::evaluated;
    if (closed) {
        if (closed_at) f.closed_day = static_cast<std::int32_t>(local_day(*closed_at));
        if (!due || (closed_at && *closed_at <= *due)) f.flags |= kClosedOnTime;
    }
    if (events::is_open(status) && due && now > *due) f.flags |= kOverdue;
    return f;
}

AssignmentFact assignment_fact(LiveState& s, const store::Row& row, Millis now) {
    AssignmentFact a;
    a.event = static_cast<std::uint32_t>(int_or(row.at(1), 0));
    const auto* path = text_of(row.at(2));
    a.path = s.path(path ? *path : std::string());
    a.department = static_cast<std::uint16_t>(s.departments.of(int_or(row.at(3), 0)));
    const auto* status = text_of(row.at(4));
    const std::string_view st = status ? std::string_view(*status) : std::string_view();
    a.status = st == "in_progress" ? kInProgress
               : st == "handled"   ? kHandled
               : st == "returned"  ? kReturned
                                   : kDispatched;
    const auto due = int_or(row.at(5), 0);
    a.due = due_of(due);
    a.dispatched_day = static_cast<std::int32_t>(local_day(int_or(row.at(6), 0)));
    const auto handled_at = int_of(row.at(7));
    if (a.status == kHandled && handled_at && *handled_at <= due) a.flags |= kClosedOnTime;
    if ((a.status == kDispatched || a.status == kInProgress) && now > due) a.flags |= kOverdue;
    return a;
}

}  // namespace

LiveFigures::LiveFigures(store::Database& db, const Clock& clock, LiveFiguresOptions options)
    : db_(db), clock_(clock), options_(options), state_(std::make_unique<State>()) {}

LiveFigures::~LiveFigures() = default;

void LiveFigures::apply(State& s, const Rows& rows) {
    const Millis now = clock_.now();
    for (const auto& row : rows.levels.rows) {
        const auto n = s.node(int_or(row.at(0), 0));
        s.nodes[n].level = static_cast<std::uint8_t>(int_or(row.at(1), 0));
    }
    for (const auto& row : rows.events.rows)
        s.put_event(static_cast<std::uint32_t>(int_or(row.at(0), 0)), event_fact(s, row, now));
    for (const auto& row : rows.assignments.rows)
        s.put_assignment(static_cast<std::uint32_t>(int_or(row.at(0), 0)),
                         assignment_fact(s, row, now));
}

std::size_t LiveFigures::rebuild() {
    const Millis started = clock_.now();
    auto fresh = std::make_unique<State>();
    const auto limit = static_cast<std::int64_t>(options_.batch);
    db_.read([&](store::Connection& c) {
        Rows rows;
        rows.levels = c.run("SELECT id, level FROM grid_nodes");
        apply(*fresh, rows);
        // the arrays of facts made once at their size, with room for a sixteenth more
        const auto room = [&](const char* table) {
            const auto highest =
                c.run(fmt::format("SELECT COALESCE(MAX(id), 0) AS n FROM {}", table))
                    .front()
                    .integer("n");
            return static_cast<std::size_t>(highest + 1) * 17 / 16;
        };
        fresh->events.resize(room("events"));
        fresh->assignments.resize(room("event_assignments"));
        for (std::int64_t after = 0;;) {
            Rows batch;
            batch.events =
                c.run(fmt::format("SELECT {} FROM events e WHERE e.id > $1 ORDER BY e.id "
                                  "LIMIT $2",
                                  kEventColumns),
                      {after, limit});
            if (batch.events.empty()) break;
            after = int_or(batch.events.rows.back().at(0), after);
            apply(*fresh, batch);
        }
        for (std::int64_t after = 0;;) {
            Rows batch;
            batch.assignments = c.run(
                fmt::format("SELECT {} FROM event_assignments a JOIN events e ON e.id = a.event_id "
                            "WHERE a.id > $1 ORDER BY a.id LIMIT $2",
                            kAssignmentColumns),
                {after, limit});
            if (batch.assignments.empty()) break;
            after = int_or(batch.assignments.rows.back().at(0), after);
            apply(*fresh, batch);
        }
    });
    // the lists of each day grew by doubling
    for (auto* lists : {&fresh->reported, &fresh->closed, &fresh->dispatched})
        for (auto& [day, ids] : *lists) ids.shrink_to_fit();
    const auto count = fresh->event_total;
    {
        std::unique_lock lock(mutex_);
        state_ = std::move(fresh);
        watermark_ = started - options_.margin;
    }
    ++version_;
    ready_ = true;
    return count;
}

std::size_t LiveFigures::follow() {
    const Millis started = clock_.now();
    Millis since = 0;
    {
        std::shared_lock lock(mutex_);
        since = watermark_;
    }
    Rows rows;
    db_.read([&](store::Connection& c) {
        rows.events =
            c.run(fmt::format("SELECT {} FROM events e WHERE e.updated_at >= $1 ORDER BY e.id",
                              kEventColumns),
                  {since});
        if (!rows.events.empty())
            rows.assignments = c.run(
                fmt::format("SELECT {} FROM event_assignments a JOIN events e ON e.id = a.event_id "
                            "WHERE e.updated_at >= $1 ORDER BY a.id",
                            kAssignmentColumns),
                {since});
    });
    std::size_t changed = 0;
    std::vector<Value> unknown_levels;
    {
        std::unique_lock lock(mutex_);
        State& s = *state_;
        for (const auto& row : rows.events.rows) {
            const auto id = static_cast<std::uint32_t>(int_or(row.at(0), 0));
            const auto fact = event_fact(s, row, started);
            if (id >= s.events.size() || !(s.events[id] == fact)) ++changed;
            s.put_event(id, fact);
        }
        for (const auto& row : rows.assignments.rows) {
            const auto id = static_cast<std::uint32_t>(int_or(row.at(0), 0));
            const auto fact = assignment_fact(s, row, started);
            if (id >= s.assignments.size() || !(s.assignments[id] == fact)) ++changed;
            s.put_assignment(id, fact);
        }
        changed += tick_deadlines(s, started);
        watermark_ = std::max(watermark_, started - options_.margin);
        for (const auto& n : s.nodes)
            if (!n.level) unknown_levels.emplace_back(n.id);
    }
    if (!unknown_levels.empty() && unknown_levels.size() <= 500) {  // nodes made after the start
        std::string list;
        for (std::size_t k = 0; k < unknown_levels.size(); ++k)
            list += fmt::format("{}${}", k ? ", " : "", k + 1);
        Rows levels;
        db_.read([&](store::Connection& c) {
            levels.levels =
                c.run(fmt::format("SELECT id, level FROM grid_nodes WHERE id IN ({})", list),
                      unknown_levels);
        });
        std::unique_lock lock(mutex_);
        apply(*state_, levels);
    }
    if (changed) ++version_;
    return changed;
}

std::size_t LiveFigures::tick_deadlines(State& s, Millis now) {
    const auto now_due = due_of(now);
    std::size_t changed = 0;
    while (!s.event_due.empty() && s.event_due.top().first < now_due) {
        const auto [due, id] = s.event_due.top();
        s.event_due.pop();
        EventFact fact = s.events[id];
        if (fact.due != due || (fact.flags & kOverdue) ||
            !events::is_open(static_cast<events::Status>(fact.status)))
            continue;  // since changed
        fact.flags |= kOverdue;
        s.put_event(id, fact);
        ++changed;
    }
    while (!s.assignment_due.empty() && s.assignment_due.top().first < now_due) {
        const auto [due, id] = s.assignment_due.top();
        s.assignment_due.pop();
        AssignmentFact fact = s.assignments[id];
        if (fact.due != due || (fact.flags & kOverdue) ||
            !(fact.status == kDispatched || fact.status == kInProgress))
            continue;
        fact.flags |= kOverdue;
        s.put_assignment(id, fact);
        ++changed;
    }
    return changed;
}

}  // namespace gridgov::analytics
