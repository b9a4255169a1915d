// Intake, reads, lists and the action chain of events. The steps of the lifecycle are in
// event_steps.cpp.
#include "events/event_service.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace gridgov::events {

using store::Value;

namespace {

// Crockford's base32 without I, L, O, U: easy to read out over the phone.
std::string new_tracking_code() {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    // 50 random bits, 5 to a letter
    const std::uint64_t bits = std::stoull(sha256_hex(random_token(16)).substr(0, 13), nullptr, 16);
    std::string code;
    for (int i = 0; i < 10; ++i) code += kAlphabet[(bits >> (5 * i)) & 31u];
    return code;
}

Event event_from_row(const store::Row& row, const FieldCipher& cipher) {
    Event e;
    e.id = row.integer("id");
    e.tracking_code = row.text("tracking_code");
    e.channel = row.text("channel");
    e.external_id = row.opt_text("external_id");
    e.title = row.text("title");
    e.description = row.text("description");
    e.category_code = row.opt_text("category_code");
    e.status = parse_status(row.text("status")).value_or(Status::reported);
    if (auto p = row.opt_integer("priority")) e.priority = static_cast<int>(*p);
    if (!row.is_null("lon")) e.location = geo::LonLat{row.real("lon"), row.real("lat")};
    e.address = row.opt_text("address");
    e.node_id = row.opt_integer("node_id");
    e.node_path = row.text("node_path");
    e.owner_node_id = row.opt_integer("owner_node_id");
    e.reporter_user_id = row.opt_integer("reporter_user_id");
    e.reporter_name = row.opt_text("reporter_name");
    if (auto phone = row.opt_text("reporter_phone")) e.reporter_phone = cipher.decrypt(*phone);
    e.resolved_on_spot = row.integer("resolved_on_spot") != 0;
    e.duplicate_of = row.opt_integer("duplicate_of");
    e.cancel_reason = row.opt_text("cancel_reason");
    e.rework_count = static_cast<int>(row.integer("rework_count"));
    e.satisfaction = row.opt_text("satisfaction");
    e.reported_at = row.integer("reported_at");
    e.accept_due = row.opt_integer("accept_due");
    e.dispatch_due = row.opt_integer("dispatch_due");
    e.handle_due = row.opt_integer("handle_due");
    e.accepted_at = row.opt_integer("accepted_at");
    e.dispatched_at = row.opt_integer("dispatched_at");
    e.handled_at = row.opt_integer("handled_at");
    e.closed_at = row.opt_integer("closed_at");
    e.evaluated_at = row.opt_integer("evaluated_at");
    e.updated_at = row.integer("updated_at");
    e.version = static_cast<int>(row.integer("version"));
    e.escalations = static_cast<int>(row.integer("escalations"));
    e.supervised = row.integer("supervised") != 0;
    e.reopened = static_cast<int>(row.integer("reopened"));
    return e;
}

}  // namespace

EventService::EventService(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                           const Catalogue& catalogue, const WorkingTime& working_time,
                           Departments& departments, const FieldCipher& cipher, const Clock& clock)
    : db_(db),
      audit_(audit),
      grid_(grid),
      catalogue_(catalogue),
      working_time_(working_time),
      departments_(departments),
      cipher_(cipher),
      clock_(clock) {
    if (db_.dialect() == store::Dialect::sqlite)
        group_commit_ = std::make_unique<store::GroupCommit>(db_);
}

std::optional<StageDeadline> EventService::deadline(const Event& e) const {
    return stage_deadline(e, *working_time_.calendar(), clock_.now(), policy_.warn_share);
}

bool EventService::visible(const Event& e, const accounts::Principal* viewer) const {
    return visible(e, accounts::Scope::of(viewer, grid_));
}

bool EventService::visible(const Event& e, const accounts::Scope& scope) const {
    using accounts::Reach;
    const Reach reach = scope.reach(accounts::Area::events);
    if (reach == Reach::none) return false;
    // one's own reports stay one's own, whatever the role (a key is never a reporter)
    if (e.reporter_user_id && scope.is_user(*e.reporter_user_id)) return true;
    switch (reach) {
        case Reach::none:
        case Reach::own:
            return false;
        case Reach::department:
            for (const auto& a : e.assignments) {
                if (a.department_id == scope.department_id()) return true;
            }
            return false;
        case Reach::subtree:
            return scope.covers_path(e.node_path);
    }
    return false;
}

void EventService::restrict_to(const accounts::Scope& scope, std::string& where,
                               std::vector<store::Value>& params) const {
    using accounts::Reach;
    const auto add = [&](const std::string& condition) { where += " AND " + condition; };
    const auto mine = [&] {
        // the reporter's own events: a user's id, never a key's
        const auto& v = scope.viewer();
        params.emplace_back(v && v->kind == accounts::Principal::Kind::user ? v->id
                                                                            : std::int64_t{-1});
        return fmt::format("e.reporter_user_id = ${}", params.size());
    };
    switch (scope.reach(accounts::Area::events)) {
        case Reach::none:
            add("1 = 0");
            return;
        case Reach::own:
            add(mine());
            return;
        case Reach::department: {
            const std::string own = mine();
            params.emplace_back(*scope.department_id());
            add(
                fmt::format("({} OR EXISTS (SELECT 1 FROM event_assignments a WHERE a.event_id = "
                            "e.id AND a.department_id = ${}))",
                            own, params.size()));
            return;
        }
        case Reach::subtree:
            if (scope.whole_tree()) return;
            {
                const std::string own = mine();
                params.emplace_back(scope.path() + "%");
                add(fmt::format("({} OR e.node_path LIKE ${})", own, params.size()));
            }
            return;
    }
}

Event EventService::from_row(const store::Row& row) const {
    return event_from_row(row, cipher_);
}

std::optional<Event> EventService::load(store::Connection& c, std::int64_t id) const {
    const auto r = c.run("SELECT * FROM events WHERE id = $1", {id});
    if (r.empty()) return std::nullopt;
    Event e = event_from_row(r.front(), cipher_);
    for (const auto& row :
         c.run("SELECT a.*, d.name AS department_name FROM event_assignments a JOIN departments d "
               "ON d.id = a.department_id WHERE a.event_id = $1 ORDER BY a.id",
               {id})
             .rows) {
        e.assignments.push_back(
            {row.integer("id"), row.integer("department_id"), row.text("department_name"),
             row.text("status"), row.integer("due"), row.integer("dispatched_at"),
             row.opt_integer("signed_at"), row.opt_integer("handled_at"),
             row.is_null("extension_hours") ? std::nullopt
                                            : std::optional<double>(row.real("extension_hours")),
             row.opt_text("extension_reason"), static_cast<int>(row.integer("extensions"))});
    }
    return e;
}

Event EventService::load_visible(store::Connection& c, std::int64_t id,
                                 const accounts::Principal* viewer) const {
    auto e = load(c, id);
    if (!e || !visible(*e, viewer)) throw Error(ErrorCode::not_found, "No such event.");
    return std::move(*e);
}

void EventService::append_action(store::Connection& c, std::int64_t event_id,
                                 std::string_view action, const accounts::Principal* actor,
                                 Millis at, std::optional<Status> from, Status to,
                                 std::optional<std::int64_t> assignment_id, const std::string& note,
                                 const std::string& data, std::string_view kind_without_actor) {
    // the first action of a new event has no predecessor to look up
    const auto last = action == "report" ? store::Result{}
                                         : c.run(
                                               "SELECT seq, hash FROM event_actions WHERE "
                                               "event_id = $1 ORDER BY seq DESC LIMIT 1",
                                               {event_id});
    ActionRecord a;
    a.seq = last.empty() ? 1 : static_cast<int>(last.front().integer("seq")) + 1;
    a.action = std::string(action);
    a.actor_kind = actor == nullptr ? std::string(kind_without_actor)
                   : actor->kind == accounts::Principal::Kind::user ? "user"
                                                                    : "api_key";
    if (actor) {
        a.actor_id = actor->id;
        a.actor_role = std::string(accounts::role_name(actor->role));
        a.actor_name = actor->name;
    }
    a.at = at;
    if (from) a.from_status = std::string(status_name(*from));
    a.to_status = std::string(status_name(to));
    a.assignment_id = assignment_id;
    a.note = note;
    a.data = data.empty() ? "{}" : data;
    const std::string prev = last.empty() ? kChainGenesis : last.front().text("hash");
    a.chain_version = kChainVersion;
    a.hash = action_hash(kChainVersion, prev, event_id, a, cipher_);
    c.run(
        "INSERT INTO event_actions (event_id, seq, action, actor_id, actor_kind, actor_role, "
        "actor_name, at, from_status, to_status, assignment_id, note, data, prev_hash, hash, "
        "chain_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16)",
        {event_id, std::int64_t{a.seq}, a.action, store::optional_value(a.actor_id), a.actor_kind,
         store::optional_value(a.actor_role), store::optional_value(a.actor_name), a.at,
         store::optional_value(a.from_status), a.to_status, store::optional_value(a.assignment_id),
         a.note, a.data, prev, a.hash, std::int64_t{kChainVersion}});
    // the event's row carries the head of its chain
    c.run("UPDATE events SET chain_head = $1 WHERE id = $2", {a.hash, event_id});
    // the subscribers to this kind of action, category and area get it through the outbox, in
    // this transaction: committed together or not at all
    c.run(
        "INSERT INTO webhook_outbox (subscription_id, event_id, action_seq, next_attempt_at, "
        "created_at) SELECT s.id, e.id, CAST($2 AS INTEGER), CAST($3 AS BIGINT), CAST($3 AS "
        "BIGINT) FROM webhook_subscriptions s, events e WHERE e.id = $1 AND s.active = 1 AND "
        "(s.categories IS NULL OR s.categories LIKE '%,' || substr(e.category_code, 1, 4) || ',%' "
        "OR s.categories LIKE '%,' || e.category_code || ',%') AND (s.node_id IS NULL OR "
        "e.node_path LIKE (SELECT g.path FROM grid_nodes g WHERE g.id = s.node_id) || '%') AND "
        "(s.actions IS NULL OR s.actions LIKE '%,' || CAST($4 AS TEXT) || ',%')",
        {event_id, std::int64_t{a.seq}, at, a.action});
    notify(c, event_id, a);
}

void EventService::notify(store::Connection& c, std::int64_t event_id, const ActionRecord& a) {
    // who must act now: the departments holding the case, or the centre that owns it
    const bool departments = a.action == "dispatch" || a.action == "supervise" ||
                             a.action == "decide_extension" ||
                             ((a.action == "warning" || a.action == "overdue") &&
                              (a.to_status == "dispatched" || a.to_status == "in_progress")) ||
                             (a.action == "verify" && a.to_status == "dispatched");
    const bool centre = a.action == "escalate" || a.action == "return" ||
                        a.action == "request_extension" || a.action == "supervise" ||
                        a.action == "reopen" ||
                        ((a.action == "warning" || a.action == "overdue") &&
                         (a.to_status == "reported" || a.to_status == "accepted"));
    if (departments) {
        c.run(
            "INSERT INTO notifications (user_id, event_id, action_seq, created_at) SELECT DISTINCT "
            "u.id, a.event_id, CAST($2 AS INTEGER), CAST($3 AS BIGINT) FROM event_assignments a "
            "JOIN users u ON u.department_id = a.department_id WHERE a.event_id = $1 AND a.status "
            "IN ('dispatched', 'in_progress') AND u.role = 'dept_handler' AND u.active = 1",
            {event_id, std::int64_t{a.seq}, a.at});
    }
    if (centre) {
        c.run(
            "INSERT INTO notifications (user_id, event_id, action_seq, created_at) SELECT u.id, "
            "e.id, CAST($2 AS INTEGER), CAST($3 AS BIGINT) FROM events e JOIN users u ON "
            "u.scope_node_id = e.owner_node_id WHERE e.id = $1 AND u.role = 'center' AND u.active "
            "= 1 AND u.id <> CAST($4 AS BIGINT)",
            {event_id, std::int64_t{a.seq}, a.at,
             a.actor_kind == "user" && a.actor_id ? *a.actor_id : std::int64_t{-1}});
    }
}

EventService::Intake EventService::report(const NewEvent& in, const accounts::Principal* actor,
                                          const accounts::RequestOrigin& origin) {
    check_new_event(in);
    require_channel(actor, in.channel);
    std::optional<Category> category;
    if (in.category_code) {
        category = catalogue_.category(*in.category_code);
        if (!category || category->is_major() || !category->active)
            throw Error(ErrorCode::invalid_field, "No such minor category.", "category_code");
    }
    if (in.resolved_on_spot && (!actor || (actor->role != accounts::Role::grid_worker &&
                                           actor->role != accounts::Role::grid_head))) {
        throw Error(ErrorCode::forbidden, "Only grid workers resolve events on the spot.",
                    "resolved_on_spot");
    }
    // routing: the place gives the grid and its path; without one, the reporter's own place
    const auto snap = grid_.snapshot();
    std::optional<std::int64_t> node;
    std::string path = "/";
    if (in.location) {
        // a place outside every grid (and beyond the nearest within 200 m) belongs to the top
        // of the tree: the city's centre sees it in its queue, and sends it where it belongs
        if (const auto found = snap->locate(*in.location, 200))
            node = found->node_id;
        else
            node = snap->root();
    } else if (actor && actor->scope_node_id) {
        node = actor->scope_node_id;
    }
    std::optional<std::int64_t> owner;
    if (node) {
        const auto ids = snap->path(*node);
        path = "/";
        for (std::int64_t id : ids) path += std::to_string(id) + "/";
        // the owning centre: the node of the handling level on the path (the street by default)
        const int level = category ? category->handling_level.value_or(grid::street) : grid::street;
        for (std::int64_t id : ids) {
            if (snap->node(id)->level <= level) owner = id;
        }
    }
    Intake out;
    const Millis now = clock_.now();
    // when it was seen: a phone that was offline sends its report later, with the time it was made
    Millis reported = now;
    if (in.observed_at) {
        if (*in.observed_at > now + kMinute)
            throw Error(ErrorCode::invalid_field, "The time is in the future.", "observed_at");
        if (*in.observed_at < now - 7 * 24 * kHour)
            throw Error(ErrorCode::invalid_field, "A report is sent within seven days.",
                        "observed_at");
        reported = std::min(*in.observed_at, now);
    }
    // Two resends of one case racing each other: the loser's insert meets the winner's row in
    // the unique index; run the intake again and it finds the winner's event. (A tracking code
    // drawn twice, at 50 random bits, would be retried the same way.)
    for (int attempt = 1;; ++attempt) {
        try {
            intake_once(in, actor, origin, category, node, path, owner, reported, now, out);
            break;
        } catch (const Error& e) {
            if (e.code() != ErrorCode::conflict || attempt == 3) throw;
        }
    }
    return out;
}

void EventService::intake_once(const NewEvent& in, const accounts::Principal* actor,
                               const accounts::RequestOrigin& origin,
                               const std::optional<Category>& category,
                               std::optional<std::int64_t> node, const std::string& path,
                               std::optional<std::int64_t> owner, Millis reported, Millis now,
                               Intake& out) {
    const std::function<void(store::Connection&)> body = [&](store::Connection& c) {
        // a resend is the same event
        std::optional<std::int64_t> existing;
        // a resend by the same sender is the same event; another sender's id is another case
        if (in.external_id) {
            const auto r = c.run(
                "SELECT id FROM events WHERE channel = $1 AND external_sender = $2 AND "
                "external_id = $3",
                {in.channel, sender_of(actor), *in.external_id});
            if (!r.empty()) existing = r.front().integer("id");
        }
        if (!existing && in.idempotency_key) {
            const auto r =
                c.run("SELECT event_id FROM idempotency_keys WHERE owner = $1 AND idem_key = $2",
                      {sender_of(actor), *in.idempotency_key});
            if (!r.empty()) existing = r.front().integer("event_id");
        }
        if (existing) {
            out.event = *load(c, *existing);
            out.created = false;
            return;
        }
        const Millis accept_due =
            working_time_.after_hours(reported, category ? category->accept_hours.value_or(2) : 2);
        const Status status = in.resolved_on_spot ? Status::handled : Status::reported;
        const std::string tracking_code = new_tracking_code();
        const std::int64_t id =
            c.run(
                 "INSERT INTO events (tracking_code, channel, external_id, title, "
                 "description, category_code, status, priority, lon, lat, address, "
                 "node_id, node_path, owner_node_id, reporter_user_id, reporter_name, "
                 "reporter_phone, resolved_on_spot, reported_at, accept_due, handled_at, "
                 "updated_at, place_cell, external_sender, warn_at) VALUES ($1, $2, $3, $4, $5, "
                 "$6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
                 "$23, $22, $24, $25) RETURNING id",
                 {tracking_code,
                  in.channel,
                  store::optional_value(in.external_id),
                  in.title,
                  in.description,
                  store::optional_value(in.category_code),
                  std::string(status_name(status)),
                  category && category->priority ? Value{std::int64_t{*category->priority}}
                                                 : Value{nullptr},
                  in.location ? Value{in.location->lon} : Value{nullptr},
                  in.location ? Value{in.location->lat} : Value{nullptr},
                  store::optional_value(in.address),
                  store::optional_value(node),
                  path,
                  store::optional_value(owner),
                  actor && actor->kind == accounts::Principal::Kind::user ? Value{actor->id}
                                                                          : Value{nullptr},
                  store::optional_value(in.reporter_name),
                  in.reporter_phone ? Value{cipher_.encrypt(*in.reporter_phone)} : Value{nullptr},
                  std::int64_t{in.resolved_on_spot ? 1 : 0},
                  reported,
                  accept_due,
                  in.resolved_on_spot ? Value{reported} : Value{nullptr},
                  in.location ? Value{place_cell(*in.location)} : Value{nullptr},
                  now,
                  in.external_id ? Value{sender_of(actor)} : Value{nullptr},
                  in.resolved_on_spot
                      ? Value{nullptr}
                      : Value{warn_time(reported, accept_due, *working_time_.calendar(),
                                        policy_.warn_share)}})
                .front()
                .integer("id");
        if (in.idempotency_key) {
            c.run(
                "INSERT INTO idempotency_keys (owner, idem_key, event_id, created_at) VALUES ($1, "
                "$2, $3, $4)",
                {sender_of(actor), *in.idempotency_key, id, now});
        }
        boost::json::object data{{"channel", in.channel}};
        if (in.category_code) data["category"] = *in.category_code;
        if (!in.details.empty()) {
            boost::json::object details;
            for (const auto& [key, value] : in.details) details[key] = value;
            data["details"] = std::move(details);
        }
        if (reported != now) data["observed_at"] = format_rfc3339(reported);
        append_action(c, id, "report", actor, reported, std::nullopt, Status::reported,
                      std::nullopt, in.description, boost::json::serialize(data));
        if (in.resolved_on_spot) {
            append_action(c, id, "resolve_on_spot", actor, reported, Status::reported,
                          Status::handled, std::nullopt, "", "{}");
        }
        // the new event as written, without reading it back
        Event& e = out.event;
        e = Event{};
        e.id = id;
        e.tracking_code = tracking_code;
        e.channel = in.channel;
        e.external_id = in.external_id;
        e.title = in.title;
        e.description = in.description;
        e.category_code = in.category_code;
        e.status = status;
        if (category) e.priority = category->priority;
        e.location = in.location;
        e.address = in.address;
        e.node_id = node;
        e.node_path = path;
        e.owner_node_id = owner;
        if (actor && actor->kind == accounts::Principal::Kind::user) e.reporter_user_id = actor->id;
        e.reporter_name = in.reporter_name;
        e.reporter_phone = in.reporter_phone;
        e.resolved_on_spot = in.resolved_on_spot;
        e.reported_at = reported;
        e.accept_due = accept_due;
        if (in.resolved_on_spot) e.handled_at = reported;
        e.updated_at = now;
        out.created = true;
        audit_.record(c, actor, origin, "event_reported", fmt::format("event:{}", id), "ok",
                      in.channel);
    };
    // on SQLite, where every commit is a flush of its own, concurrent intakes share one
    if (group_commit_) {
        group_commit_->run(body);
    } else {
        db_.transact(body);
    }
}

Event EventService::rate(const std::string& tracking_code, const std::string& satisfaction,
                         const std::string& comment, const accounts::RequestOrigin& origin) {
    const auto e = find_by_tracking_code(tracking_code);
    if (!e) throw Error(ErrorCode::not_found, "No event has that tracking code.");
    StepRequest r;
    r.step = Step::evaluate;
    r.satisfaction = satisfaction;
    r.note = comment;
    return step(e->id, r, nullptr, origin);
}

Event EventService::reopen_by_reporter(const std::string& tracking_code, const std::string& comment,
                                       const accounts::RequestOrigin& origin) {
    const auto e = find_by_tracking_code(tracking_code);
    if (!e) throw Error(ErrorCode::not_found, "No event has that tracking code.");
    StepRequest r;
    r.step = Step::reopen;
    r.note = comment;
    return step(e->id, r, nullptr, origin);
}

Event EventService::get(std::int64_t id, const accounts::Principal* viewer) {
    Event e;
    db_.read([&](store::Connection& c) { e = load_visible(c, id, viewer); });
    return e;
}

std::optional<Event> EventService::find_by_tracking_code(const std::string& code) {
    std::optional<Event> e;
    db_.read([&](store::Connection& c) {
        const auto r = c.run("SELECT id FROM events WHERE tracking_code = $1", {code});
        if (!r.empty()) e = load(c, r.front().integer("id"));
    });
    return e;
}

std::vector<ActionRecord> EventService::timeline(std::int64_t id,
                                                 const accounts::Principal* viewer) {
    std::vector<ActionRecord> out;
    db_.read([&](store::Connection& c) {
        load_visible(c, id, viewer);
        for (const auto& row :
             c.run("SELECT * FROM event_actions WHERE event_id = $1 ORDER BY seq", {id}).rows)
            out.push_back(action_from_row(row));
    });
    return out;
}

std::vector<std::int64_t> EventService::verify_chains() {
    return events::verify_chains(db_, cipher_).broken;
}

}  // namespace gridgov::events
