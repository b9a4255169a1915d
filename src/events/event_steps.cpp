// The steps of an event's lifecycle: accept (classify), cancel, dispatch to one or several
// departments, sign, return and handle an assignment, verify (close or send back for rework),
// evaluate. Each step checks the role, the scope, the state, writes the event with its version
// check and appends one action to the event's hash chain, all in one transaction.
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "events/event_service.hpp"

namespace gridgov::events {

using store::Value;

namespace {}  // namespace

store::Value EventService::warn_at_of(const Event& e) const {
    const auto d = stage_deadline(e, *working_time_.calendar(), clock_.now(), policy_.warn_share);
    return d ? store::Value{d->warn_at} : store::Value{nullptr};
}

void EventService::save(store::Connection& c, const Event& before, const Event& e) {
    const auto r = c.run(
        "UPDATE events SET status = $1, category_code = $2, priority = $3, owner_node_id = $4, "
        "cancel_reason = $5, duplicate_of = $6, rework_count = $7, satisfaction = $8, "
        "dispatch_due = $9, handle_due = $10, accepted_at = $11, dispatched_at = $12, "
        "handled_at = $13, closed_at = $14, evaluated_at = $15, updated_at = $16, "
        "escalations = $19, supervised = $20, reopened = $21, warn_at = $22, "
        "version = version + 1 WHERE id = $17 AND version = $18",
        {std::string(status_name(e.status)),
         store::optional_value(e.category_code),
         e.priority ? Value{std::int64_t{*e.priority}} : Value{nullptr},
         e.owner_node_id ? Value{*e.owner_node_id} : Value{nullptr},
         store::optional_value(e.cancel_reason),
         e.duplicate_of ? Value{*e.duplicate_of} : Value{nullptr},
         std::int64_t{e.rework_count},
         store::optional_value(e.satisfaction),
         store::optional_value(e.dispatch_due),
         store::optional_value(e.handle_due),
         store::optional_value(e.accepted_at),
         store::optional_value(e.dispatched_at),
         store::optional_value(e.handled_at),
         store::optional_value(e.closed_at),
         store::optional_value(e.evaluated_at),
         e.updated_at,
         e.id,
         std::int64_t{before.version},
         std::int64_t{e.escalations},
         std::int64_t{e.supervised ? 1 : 0},
         std::int64_t{e.reopened},
         warn_at_of(e)});
    if (r.affected != 1) throw Error(ErrorCode::version_conflict);
}

Event EventService::step(std::int64_t id, const StepRequest& r, const accounts::Principal* actor,
                         const accounts::RequestOrigin& origin) {
    if (actor && !role_may(r.step, actor->role)) {
        audit_.record(actor, origin, "denied", fmt::format("event:{}", id), "denied",
                      std::string(step_name(r.step)));
        throw Error(ErrorCode::forbidden,
                    fmt::format("A {} may not {} events.", accounts::role_label_zh(actor->role),
                                step_name(r.step)));
    }
    if (utf8_length(r.note) > 2000)
        throw Error(ErrorCode::invalid_field, "A note has at most 2,000 characters.", "note");
    Event result;
    db_.transact([&](store::Connection& c) {
        Event e = load_visible(c, id, actor);
        if (r.expected_version && *r.expected_version != e.version)
            throw Error(ErrorCode::version_conflict);
        if (!step_allowed_from(r.step, e.status)) {
            throw Error(
                ErrorCode::conflict,
                fmt::format("The event is {} ({}); it cannot {} now.", status_label_zh(e.status),
                            status_name(e.status), step_name(r.step)),
                "action");
        }
        const Event before = e;
        const Millis now = clock_.now();
        std::optional<std::int64_t> assignment;
        std::string data = "{}";
        switch (r.step) {
            case Step::accept:
                do_accept(c, e, r, now);
                data = boost::json::serialize(boost::json::object{{"category", *e.category_code}});
                break;
            case Step::cancel:
                do_cancel(c, e, r);
                break;
            case Step::dispatch:
                data = do_dispatch(c, e, r, now);
                break;
            case Step::sign:
            case Step::give_back:
            case Step::handle:
                assignment = do_assignment_step(c, e, r.step, actor, now);
                if (r.step == Step::give_back && r.note.empty())
                    throw Error(ErrorCode::missing_field, "Say why it is returned.", "note");
                break;
            case Step::verify:
                // whoever resolved it on the spot does not check their own work
                if (actor && actor->role == accounts::Role::grid_worker && e.resolved_on_spot &&
                    e.reporter_user_id == actor->id)
                    throw Error(ErrorCode::forbidden,
                                "The worker who resolved it on the spot does not verify it.");
                do_verify(c, e, r, now);
                data = boost::json::serialize(boost::json::object{{"passed", *r.passed}});
                break;
            case Step::evaluate:
                do_evaluate(e, r, now);
                data =
                    boost::json::serialize(boost::json::object{{"satisfaction", *e.satisfaction}});
                break;
            case Step::escalate:
                do_escalate(e);
                data = boost::json::serialize(
                    boost::json::object{{"from", *before.owner_node_id}, {"to", *e.owner_node_id}});
                break;
            case Step::supervise:
                if (r.note.empty())
                    throw Error(ErrorCode::missing_field, "Say what to watch for.", "note");
                e.supervised = true;
                break;
            case Step::request_extension:
            case Step::decide_extension:
                assignment = do_extension(c, e, r, actor);
                data = boost::json::serialize(r.step == Step::request_extension
                                                  ? boost::json::object{{"hours", *r.hours}}
                                                  : boost::json::object{{"approved", *r.approved}});
                break;
            case Step::reopen:
                do_reopen(e, now);
                break;
            case Step::report:
                break;
        }
        e.updated_at = now;
        save(c, before, e);
        append_action(c, id, step_name(r.step), actor, now, before.status, e.status, assignment,
                      r.note, data);
        result = *load(c, id);
    });
    return result;
}

void EventService::do_accept(store::Connection&, Event& e, const StepRequest& r, Millis now) {
    const auto code = r.category_code ? r.category_code : e.category_code;
    if (!code)
        throw Error(ErrorCode::missing_field, "Classify the event to accept it.", "category_code");
    const auto category = catalogue_.category(*code);
    if (!category || category->is_major() || !category->active)
        throw Error(ErrorCode::invalid_field, "No such minor category.", "category_code");
    e.category_code = *code;
    e.priority = category->priority;
    // the owner follows the category's level on the event's path
    const auto snap = grid_.snapshot();
    if (e.node_id) {
        const int level = category->handling_level.value_or(grid::street);
        for (std::int64_t n : snap->path(*e.node_id)) {
            if (snap->node(n)->level <= level) e.owner_node_id = n;
        }
    }
    e.accepted_at = now;
    e.dispatch_due = working_time_.after_hours(now, category->dispatch_hours.value_or(1));
    e.status = Status::accepted;
}

void EventService::do_cancel(store::Connection& c, Event& e, const StepRequest& r) {
    static const std::set<std::string> kReasons{"duplicate", "invalid", "out_of_scope"};
    if (!r.cancel_reason || !kReasons.contains(*r.cancel_reason)) {
        throw Error(ErrorCode::invalid_field, "The reason is duplicate, invalid or out_of_scope.",
                    "reason");
    }
    if (*r.cancel_reason == "duplicate") {
        if (!r.duplicate_of || *r.duplicate_of == e.id ||
            c.run("SELECT 1 FROM events WHERE id = $1", {*r.duplicate_of}).empty()) {
            throw Error(ErrorCode::invalid_field, "Name the event this one repeats.",
                        "duplicate_of");
        }
        e.duplicate_of = r.duplicate_of;
    }
    e.cancel_reason = r.cancel_reason;
    e.status = Status::cancelled;
}

std::string EventService::do_dispatch(store::Connection& c, Event& e, const StepRequest& r,
                                      Millis now) {
    const auto category = e.category_code ? catalogue_.category(*e.category_code) : std::nullopt;
    std::vector<std::int64_t> ids = r.department_ids;
    if (ids.empty() && category && category->department_kind && e.node_id) {
        // the department serving the place for the category, if the centre names none
        if (const auto d = departments_.serving(c, *category->department_kind,
                                                category->handling_level.value_or(grid::street),
                                                grid_.snapshot()->path(*e.node_id))) {
            ids.push_back(d->id);
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (ids.empty() || ids.size() > 10) {
        throw Error(ErrorCode::invalid_field, "Name 1 to 10 departments.", "department_ids");
    }
    const Millis due = category ? working_time_.handle_deadline(now, *category)
                                : working_time_.after_hours(now, 5 * 7.5);
    boost::json::array names;
    for (std::int64_t dept : ids) {
        const auto d = c.run("SELECT name, active FROM departments WHERE id = $1", {dept});
        if (d.empty() || d.front().integer("active") == 0)
            throw Error(ErrorCode::invalid_field, fmt::format("No department {}.", dept),
                        "department_ids");
        names.push_back(boost::json::value(d.front().text("name")));
        const auto again = c.run(
            "UPDATE event_assignments SET status = 'dispatched', due = $1, dispatched_at = $2, "
            "signed_at = NULL, handled_at = NULL WHERE event_id = $3 AND department_id = $4",
            {due, now, e.id, dept});
        if (again.affected == 0) {
            c.run(
                "INSERT INTO event_assignments (event_id, department_id, status, due, "
                "dispatched_at) VALUES ($1, $2, 'dispatched', $3, $4)",
                {e.id, dept, due, now});
        }
    }
    e.dispatched_at = now;
    e.handle_due = due;
    e.status = Status::dispatched;
    boost::json::array id_list;
    for (auto id : ids) id_list.push_back(id);
    return boost::json::serialize(boost::json::object{
        {"departments", std::move(id_list)}, {"names", std::move(names)}, {"due", due}});
}

namespace {

// After an assignment changed: when every assignment is returned the case goes back to the
// dispatcher; when every one not returned is handled, the case is handled.
void settle(Event& e, Millis now) {
    const auto returned = [](const Assignment& a) { return a.status == "returned"; };
    if (std::all_of(e.assignments.begin(), e.assignments.end(), returned)) {
        e.status = Status::accepted;
        return;
    }
    if (std::all_of(e.assignments.begin(), e.assignments.end(),
                    [&](const Assignment& a) { return returned(a) || a.status == "handled"; })) {
        e.status = Status::handled;
        e.handled_at = now;
    }
}

}  // namespace

std::int64_t EventService::do_assignment_step(store::Connection& c, Event& e, Step step,
                                              const accounts::Principal* actor, Millis now) {
    Assignment* mine = nullptr;
    for (auto& a : e.assignments) {
        if (actor == nullptr || (actor->department_id && a.department_id == *actor->department_id))
            if (a.status != "returned") mine = &a;
    }
    if (!mine) {
        throw Error(ErrorCode::forbidden, "Your department has no assignment on this event.",
                    "action");
    }
    auto wrong = [&] {
        return Error(
            ErrorCode::conflict,
            fmt::format("Your assignment is {}; it cannot {} now.", mine->status, step_name(step)),
            "action");
    };
    if (step == Step::sign) {
        if (mine->status != "dispatched") throw wrong();
        mine->status = "in_progress";
        c.run("UPDATE event_assignments SET status = 'in_progress', signed_at = $1 WHERE id = $2",
              {now, mine->id});
        if (e.status == Status::dispatched) e.status = Status::in_progress;
    } else if (step == Step::give_back) {
        if (mine->status != "dispatched" && mine->status != "in_progress") throw wrong();
        mine->status = "returned";
        c.run("UPDATE event_assignments SET status = 'returned' WHERE id = $1", {mine->id});
        settle(e, now);
    } else {
        if (mine->status != "in_progress") throw wrong();
        mine->status = "handled";
        c.run("UPDATE event_assignments SET status = 'handled', handled_at = $1 WHERE id = $2",
              {now, mine->id});
        settle(e, now);
    }
    return mine->id;
}

void EventService::do_verify(store::Connection& c, Event& e, const StepRequest& r, Millis now) {
    if (!r.passed)
        throw Error(ErrorCode::missing_field, "Say whether the verification passed.", "passed");
    if (*r.passed) {
        e.status = Status::closed;
        e.closed_at = now;
        return;
    }
    // 返工: the work goes back to whoever did it
    ++e.rework_count;
    e.handled_at.reset();
    if (e.assignments.empty()) {
        e.status = Status::accepted;  // resolved on the spot, not well enough: dispatch it
        return;
    }
    c.run(
        "UPDATE event_assignments SET status = 'in_progress', handled_at = NULL WHERE event_id = "
        "$1 AND status = 'handled'",
        {e.id});
    e.status = Status::in_progress;
}

EventService::DispatchPlan EventService::dispatch_plan(std::int64_t id,
                                                       const accounts::Principal* viewer) {
    const Event e = get(id, viewer);
    DispatchPlan plan;
    const auto category = e.category_code ? catalogue_.category(*e.category_code) : std::nullopt;
    const Millis now = clock_.now();
    plan.due = category ? working_time_.handle_deadline(now, *category)
                        : working_time_.after_hours(now, 5 * 7.5);
    if (category && category->department_kind && e.node_id) {
        plan.suggested = departments_.serving(*category->department_kind,
                                              category->handling_level.value_or(grid::street),
                                              grid_.snapshot()->path(*e.node_id));
    }
    return plan;
}

void EventService::do_escalate(Event& e) {
    const auto snap = grid_.snapshot();
    const auto* owner = e.owner_node_id ? snap->node(*e.owner_node_id) : nullptr;
    if (!owner || !owner->parent || owner->level <= grid::district) {
        throw Error(ErrorCode::conflict, "The district owns this event already; it goes no higher.",
                    "action");
    }
    e.owner_node_id = *owner->parent;
    ++e.escalations;
}

std::int64_t EventService::do_extension(store::Connection& c, Event& e, const StepRequest& r,
                                        const accounts::Principal* actor) {
    if (r.step == Step::request_extension) {
        if (!r.hours || !(*r.hours >= 0.5 && *r.hours <= 720))
            throw Error(ErrorCode::invalid_field, "Ask for 0.5 to 720 working hours.", "hours");
        if (r.note.empty()) throw Error(ErrorCode::missing_field, "Say why.", "note");
        for (auto& a : e.assignments) {
            if (actor && actor->department_id && a.department_id == *actor->department_id &&
                (a.status == "dispatched" || a.status == "in_progress")) {
                c.run(
                    "UPDATE event_assignments SET extension_hours = $1, extension_reason = $2 "
                    "WHERE id = $3",
                    {*r.hours, r.note, a.id});
                return a.id;
            }
        }
        throw Error(ErrorCode::forbidden, "Your department has no open assignment on this event.",
                    "action");
    }
    if (!r.approved)
        throw Error(ErrorCode::missing_field, "Grant (true) or refuse (false).", "approved");
    for (auto& a : e.assignments) {
        if (!a.extension_hours) continue;
        if (*r.approved) {
            a.due = working_time_.calendar()->add(a.due,
                                                  static_cast<Millis>(*a.extension_hours * kHour));
            c.run(
                "UPDATE event_assignments SET due = $1, extensions = extensions + 1, "
                "extension_hours = NULL, extension_reason = NULL WHERE id = $2",
                {a.due, a.id});
            Millis latest = 0;
            for (const auto& other : e.assignments) {
                if (other.status != "returned") latest = std::max(latest, other.due);
            }
            e.handle_due = latest;
        } else {
            c.run(
                "UPDATE event_assignments SET extension_hours = NULL, extension_reason = NULL "
                "WHERE id = $1",
                {a.id});
        }
        return a.id;
    }
    throw Error(ErrorCode::conflict, "No department has asked for more time.", "action");
}

void EventService::do_reopen(Event& e, Millis now) {
    if (e.satisfaction && *e.satisfaction != "unsatisfied") {
        throw Error(ErrorCode::conflict, "The reporter was satisfied; the case stays closed.",
                    "action");
    }
    if (!e.closed_at || now - *e.closed_at > policy_.reopen_window) {
        throw Error(
            ErrorCode::conflict,
            fmt::format("A case reopens within {} days of closing.", policy_.reopen_window / kDay),
            "action");
    }
    e.status = Status::accepted;
    e.satisfaction.reset();
    e.closed_at.reset();
    e.evaluated_at.reset();
    e.handled_at.reset();
    ++e.reopened;
}

void EventService::do_evaluate(Event& e, const StepRequest& r, Millis now) {
    static const std::set<std::string> kRatings{"satisfied", "basically_satisfied", "unsatisfied"};
    if (!r.satisfaction || !kRatings.contains(*r.satisfaction)) {
        throw Error(ErrorCode::invalid_field,
                    "The rating is satisfied, basically_satisfied or unsatisfied.", "satisfaction");
    }
    e.satisfaction = r.satisfaction;
    e.evaluated_at = now;
    e.status = Status::evaluated;
}

}  // namespace gridgov::events
