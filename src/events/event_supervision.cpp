// Deadline supervision of open events: warnings when most of a stage's working time is used,
// overdue records when a deadline passes, escalation of an owner that let one pass. Each is
// claimed by a conditional UPDATE of the event's row, so that however many gridgov processes
// run the pass at once, each warning is raised exactly once.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "events/event_service.hpp"

namespace gridgov::events {

namespace {

struct StageQuery {
    const char* in_stage;
    const char* due;
    const char* start;
    const char* name;
};

constexpr StageQuery kStages[] = {
    // the conditions are those of the partial indexes (0009_event_indexes.sql), word for word
    {"status = 'reported'", "accept_due", "reported_at", "accept"},
    {"status = 'accepted'", "dispatch_due", "accepted_at", "dispatch"},
    {"status IN ('dispatched', 'in_progress')", "handle_due", "dispatched_at", "handle"},
};

constexpr int kBatch = 500;

}  // namespace

bool EventService::raise(std::int64_t id, const char* column, const std::string& stage, Millis at,
                         std::string_view action, const std::string& data, bool escalate) {
    bool raised = false;
    db_.transact([&](store::Connection& c) {
        const auto claimed = c.run(
            fmt::format("UPDATE events SET {0} = $1, updated_at = $2, version = version + 1 WHERE "
                        "id = $3 AND ({0} IS NULL OR {0} <> $1)",
                        column),
            {stage, at, id});
        if (claimed.affected != 1) return;  // raised already, here or in another process
        const auto e = load(c, id);
        append_action(c, id, action, nullptr, at, e->status, e->status, std::nullopt, "", data,
                      "system");
        raised = true;
        if (!escalate || !e->owner_node_id) return;
        const auto snap = grid_.snapshot();
        const auto* owner = snap->node(*e->owner_node_id);
        if (!owner || !owner->parent || owner->level <= grid::district) return;
        c.run("UPDATE events SET owner_node_id = $1, escalations = escalations + 1 WHERE id = $2",
              {*owner->parent, id});
        append_action(c, id, "escalate", nullptr, at, e->status, e->status, std::nullopt, "",
                      boost::json::serialize(boost::json::object{
                          {"from", *e->owner_node_id}, {"to", *owner->parent}, {"stage", stage}}),
                      "system");
    });
    return raised;
}

EventService::Supervision EventService::supervise_deadlines() {
    const double warn_share = policy_.warn_share;
    Supervision out;
    const Millis now = clock_.now();
    const auto cal = working_time_.calendar();
    for (const auto& stage : kStages) {
        std::vector<std::pair<std::int64_t, Millis>> overdue;
        std::vector<std::tuple<std::int64_t, Millis, Millis>> pending, unstamped;
        db_.read([&](store::Connection& c) {
            for (const auto& row :
                 c.run(fmt::format("SELECT id, {1} AS due FROM events WHERE {0} AND "
                                   "{1} < $1 AND (overdue_stage IS NULL OR overdue_stage <> $2) "
                                   "ORDER BY {1} LIMIT {2}",
                                   stage.in_stage, stage.due, kBatch),
                       {now, std::string(stage.name)})
                     .rows) {
                overdue.emplace_back(row.integer("id"), row.integer("due"));
            }
            for (const auto& row :
                 c.run(fmt::format("SELECT id, {2} AS start, {1} AS due FROM events WHERE {0} "
                                   "AND {1} >= $1 AND {2} IS NOT NULL AND warn_at <= $1 AND "
                                   "(warned_stage IS NULL OR warned_stage <> $2) ORDER BY {1} "
                                   "LIMIT {3}",
                                   stage.in_stage, stage.due, stage.start, kBatch),
                       {now, std::string(stage.name)})
                     .rows) {
                pending.emplace_back(row.integer("id"), row.integer("start"), row.integer("due"));
            }
            // events written before warning times were kept get theirs, a batch a pass
            for (const auto& row :
                 c.run(fmt::format("SELECT id, {2} AS start, {1} AS due FROM events WHERE {0} "
                                   "AND {2} IS NOT NULL AND {1} IS NOT NULL AND warn_at IS NULL "
                                   "LIMIT {3}",
                                   stage.in_stage, stage.due, stage.start, kBatch))
                     .rows) {
                unstamped.emplace_back(row.integer("id"), row.integer("start"), row.integer("due"));
            }
        });
        if (!unstamped.empty()) {
            // one transaction for the batch: a flush per event would hold up the server's start
            db_.transact([&](store::Connection& c) {
                for (const auto& [id, start, due] : unstamped)
                    c.run("UPDATE events SET warn_at = $1 WHERE id = $2 AND warn_at IS NULL",
                          {warn_time(start, due, *cal, warn_share), id});
            });
        }
        if (!unstamped.empty()) {
            // the ones stamped just now may be due a warning in this very pass
            db_.read([&](store::Connection& c) {
                for (const auto& [id, start, due] : unstamped) {
                    const auto r = c.run(
                        fmt::format("SELECT id FROM events WHERE id = $1 AND {0} AND {1} >= $2 AND "
                                    "warn_at <= $2 AND (warned_stage IS NULL OR warned_stage <> "
                                    "$3)",
                                    stage.in_stage, stage.due),
                        {id, now, std::string(stage.name)});
                    if (!r.empty()) pending.emplace_back(id, start, due);
                }
            });
        }
        const bool escalates = std::string_view(stage.name) != "handle";
        for (const auto& [id, due] : overdue) {
            const auto data = boost::json::serialize(
                boost::json::object{{"stage", stage.name}, {"due", format_rfc3339(due)}});
            if (raise(id, "overdue_stage", stage.name, now, "overdue", data, escalates)) {
                ++out.overdue;
                if (escalates) ++out.escalated;
            }
        }
        for (const auto& [id, start, due] : pending) {
            const double allowed =
                static_cast<double>(std::max<Millis>(1, cal->between(start, due)));
            const double used = static_cast<double>(cal->between(start, now)) / allowed;
            const auto data =
                boost::json::serialize(boost::json::object{{"stage", stage.name},
                                                           {"due", format_rfc3339(due)},
                                                           {"used", std::round(used * 100) / 100}});
            if (raise(id, "warned_stage", stage.name, now, "warning", data, false)) ++out.warned;
        }
    }
    return out;
}

}  // namespace gridgov::events
