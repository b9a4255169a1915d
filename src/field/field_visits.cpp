// FieldWork's visits and check-ins, and where the workers are.
#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "field/field_work.hpp"

namespace gridgov::field {

using store::Value;

namespace {

constexpr const char* kVisitColumns =
    "v.id, v.user_id, u.name AS user_name, v.patrol_id, v.kind, v.target_id, v.lon, v.lat, "
    "v.node_id, v.at, v.notes, v.findings, v.event_id, v.recorded_at";

Visit visit_from(const store::Row& row) {
    Visit v;
    v.id = row.integer("id");
    v.user_id = row.integer("user_id");
    v.user_name = row.text("user_name");
    v.patrol_id = row.opt_integer("patrol_id");
    v.kind = row.text("kind");
    v.target_id = row.opt_integer("target_id");
    if (!row.is_null("lon")) v.where = geo::LonLat{row.real("lon"), row.real("lat")};
    v.node_id = row.opt_integer("node_id");
    v.at = row.integer("at");
    v.notes = row.text("notes");
    v.findings = row.text("findings");
    v.event_id = row.opt_integer("event_id");
    v.recorded_at = row.integer("recorded_at");
    return v;
}

// The table holding the target of each kind of visit (a check-in may name a key place).
const char* target_table(const std::string& kind) {
    if (kind == "household") return "households";
    if (kind == "person") return "people";
    if (kind == "place" || kind == "check_in") return "key_places";
    return nullptr;
}

}  // namespace

Visit FieldWork::record_visit(const NewVisit& in, const accounts::Principal& worker,
                              const accounts::RequestOrigin& origin) {
    require_field_worker(worker);
    const auto table = target_table(in.kind);
    if (!table)
        throw Error(ErrorCode::invalid_field, "A visit is a check_in, household, place or person.",
                    "kind");
    if (in.kind != "check_in" && !in.target_id)
        throw Error(ErrorCode::missing_field, "Say whom or what was visited.", "target_id");
    const Millis at = checked_time(in.at, "at");
    if (in.notes.size() > 4000 || in.findings.size() > 4000)
        throw Error(ErrorCode::invalid_field, "At most 4,000 bytes.", "notes");
    if (in.client_key && (in.client_key->empty() || in.client_key->size() > 128))
        throw Error(ErrorCode::invalid_field, "A key has 1 to 128 characters.", "Idempotency-Key");
    // a resend: the first record
    if (in.client_key) {
        std::optional<Visit> before;
        db_.read([&](store::Connection& c) {
            const auto rows = c.run(fmt::format("SELECT {} FROM field_visits v JOIN users u ON "
                                                "u.id = v.user_id WHERE v.client_key = $1",
                                                kVisitColumns),
                                    {*in.client_key});
            if (!rows.empty()) before = visit_from(rows.front());
        });
        if (before) {
            if (before->user_id != worker.id)
                throw Error(ErrorCode::conflict, "The key belongs to another visit.",
                            "Idempotency-Key");
            return *before;
        }
    }
    // where: the place given, else the target's grid, else the worker's grid
    std::optional<std::int64_t> node;
    if (in.where) {
        if (!(in.where->lon >= -180 && in.where->lon <= 180 && in.where->lat >= -90 &&
              in.where->lat <= 90))
            throw Error(ErrorCode::invalid_field, "A place is a longitude and a latitude.", "lon");
        if (const auto found = grid_.snapshot()->locate(*in.where)) node = found->node_id;
    }
    if (in.target_id) {
        std::optional<std::int64_t> target_node;
        bool exists = false;
        db_.read([&](store::Connection& c) {
            const auto rows =
                c.run(fmt::format("SELECT node_id FROM {} WHERE id = $1", table), {*in.target_id});
            exists = !rows.empty();
            if (exists) target_node = rows.front().opt_integer("node_id");
        });
        // a record outside the worker's grids reads as one that does not exist: a visit never
        // touches another grid's person or place, and never tells whether an id is taken
        const auto scope = accounts::Scope::of(worker, grid_);
        if (!exists || !target_node || !scope.covers(*target_node, grid_))
            throw Error(ErrorCode::invalid_field,
                        "您的网格内没有这条记录。 No such record in your grids.", "target_id");
        if (!node) node = target_node;
    }
    if (!node) node = worker.scope_node_id;
    if (node && worker.scope_node_id && !grid_.is_within(*node, *worker.scope_node_id) && !in.where)
        throw Error(ErrorCode::forbidden, "The record is outside your grids.", "target_id");
    const std::string path = node ? grid_.path_of(*node).value_or("/") : "/";
    // the finding becomes an event first (a resend finds it again by its key)
    std::optional<std::int64_t> event_id;
    if (in.report) {
        events::NewEvent e;
        e.channel = "patrol";
        e.title = in.report->title;
        e.description = in.report->description.empty() ? in.findings : in.report->description;
        e.category_code = in.report->category_code;
        e.location = in.where;
        if (in.client_key) e.idempotency_key = *in.client_key + ":event";
        event_id = events_.report(e, &worker, origin).event.id;
    }
    Visit out;
    db_.transact([&](store::Connection& c) {
        if (in.patrol_id) own(c, *in.patrol_id, worker);
        const auto id =
            c.run(
                 "INSERT INTO field_visits (user_id, patrol_id, kind, target_id, lon, lat, "
                 "node_id, node_path, at, notes, findings, event_id, client_key, recorded_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING "
                 "id",
                 {worker.id, in.patrol_id ? Value{*in.patrol_id} : Value{nullptr}, in.kind,
                  in.target_id ? Value{*in.target_id} : Value{nullptr},
                  in.where ? Value{in.where->lon} : Value{nullptr},
                  in.where ? Value{in.where->lat} : Value{nullptr},
                  node ? Value{*node} : Value{nullptr}, path, at, in.notes, in.findings,
                  event_id ? Value{*event_id} : Value{nullptr},
                  in.client_key ? Value{*in.client_key} : Value{nullptr}, clock_.now()})
                .front()
                .integer("id");
        // a visit to someone in a group counts as the group's visit
        if (in.kind == "person")
            c.run(
                "UPDATE person_tags SET last_visit_at = $1 WHERE person_id = $2 AND "
                "(last_visit_at IS NULL OR last_visit_at < $1)",
                {at, *in.target_id});
        if (in.where) move_worker(c, worker.id, {at, *in.where, std::nullopt});
        out = visit_from(c.run(fmt::format("SELECT {} FROM field_visits v JOIN users u ON u.id "
                                           "= v.user_id WHERE v.id = $1",
                                           kVisitColumns),
                               {id})
                             .front());
    });
    audit_.record(&worker, origin, "field_visit", fmt::format("visit:{}", out.id), "ok",
                  fmt::format("{} {}", in.kind, in.target_id ? std::to_string(*in.target_id) : ""));
    return out;
}

std::vector<Visit> FieldWork::visits(const VisitQuery& q, const accounts::Principal& viewer,
                                     int limit) {
    std::string where = "1 = 1";
    std::vector<Value> params;
    const auto add = [&](const char* condition, Value v) {
        params.push_back(std::move(v));
        where += fmt::format(fmt::runtime(condition), params.size());
    };
    if (q.user_id) add(" AND v.user_id = ${}", *q.user_id);
    if (q.patrol_id) add(" AND v.patrol_id = ${}", *q.patrol_id);
    if (q.kind) add(" AND v.kind = ${}", *q.kind);
    if (q.since) add(" AND v.at >= ${}", *q.since);
    {
        const auto scope = scope_for(q.node_id, viewer);
        params.emplace_back(scope.path() + "%");
        params.emplace_back(own_id(viewer));
        where += fmt::format(" AND (v.node_path LIKE ${} OR v.user_id = ${})", params.size() - 1,
                             params.size());
    }
    params.emplace_back(std::int64_t{limit});
    std::vector<Visit> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM field_visits v JOIN users u ON u.id = v.user_id "
                               "WHERE {} ORDER BY v.at DESC LIMIT ${}",
                               kVisitColumns, where, params.size()),
                   params)
                 .rows)
            out.push_back(visit_from(row));
    });
    return out;
}

std::vector<WorkerPosition> FieldWork::positions(std::optional<std::int64_t> node_id,
                                                 Millis fresh_since,
                                                 const accounts::Principal& viewer) {
    const std::string prefix = scope_for(node_id, viewer).path();
    std::vector<WorkerPosition> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run("SELECT w.user_id, u.login, u.name, u.role, w.lon, w.lat, w.at, w.node_id FROM "
                   "worker_positions w JOIN users u ON u.id = w.user_id WHERE w.node_path LIKE $1 "
                   "AND w.at >= $2 AND u.active = 1 ORDER BY w.at DESC LIMIT 5000",
                   {prefix + "%", fresh_since})
                 .rows)
            out.push_back({row.integer("user_id"), row.text("login"), row.text("name"),
                           row.text("role"), geo::LonLat{row.real("lon"), row.real("lat")},
                           row.integer("at"), row.opt_integer("node_id"), 0});
    });
    return out;
}

std::vector<WorkerPosition> FieldWork::nearest(geo::LonLat spot, int limit, Millis fresh_since,
                                               const accounts::Principal& viewer) {
    auto all = positions(std::nullopt, fresh_since, viewer);
    for (auto& w : all) w.distance_m = geo::distance_m(spot, w.where);
    std::sort(all.begin(), all.end(),
              [](const auto& a, const auto& b) { return a.distance_m < b.distance_m; });
    if (all.size() > static_cast<std::size_t>(limit)) all.resize(static_cast<std::size_t>(limit));
    return all;
}

}  // namespace gridgov::field
