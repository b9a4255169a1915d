#include "field/field_work.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace gridgov::field {

using store::Value;

namespace {

constexpr Millis kFuture = kMinute;        // a phone's clock a little ahead
constexpr Millis kPast = 30 * 24 * kHour;  // what a phone kept offline for a month

constexpr const char* kPatrolColumns =
    "p.id, p.user_id, u.name AS user_name, p.node_id, p.node_path, p.started_at, p.ended_at, "
    "p.points, p.distance_m, p.last_at, p.last_lon, p.last_lat";
Patrol patrol_from(const store::Row& row) {
    Patrol p;
    p.id = row.integer("id");
    p.user_id = row.integer("user_id");
    p.user_name = row.text("user_name");
    p.node_id = row.opt_integer("node_id");
    p.started_at = row.integer("started_at");
    p.ended_at = row.opt_integer("ended_at");
    p.points = static_cast<int>(row.integer("points"));
    p.distance_m = row.real("distance_m");
    p.last_at = row.opt_integer("last_at");
    if (!row.is_null("last_lon")) p.last = geo::LonLat{row.real("last_lon"), row.real("last_lat")};
    return p;
}

void check_point(const geo::LonLat& p, const char* field) {
    if (!(p.lon >= -180 && p.lon <= 180 && p.lat >= -90 && p.lat <= 90))
        throw Error(ErrorCode::invalid_field, "A place is a longitude and a latitude.", field);
}

}  // namespace

FieldWork::FieldWork(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                     events::EventService& events, const Clock& clock)
    : db_(db), audit_(audit), grid_(grid), events_(events), clock_(clock) {}

Millis FieldWork::checked_time(std::optional<Millis> at, const char* field) const {
    const Millis now = clock_.now();
    if (!at) return now;
    if (*at > now + kFuture)
        throw Error(ErrorCode::invalid_field, "The time is in the future.", field);
    if (*at < now - kPast)
        throw Error(ErrorCode::invalid_field, "The time is more than thirty days ago.", field);
    return *at;
}

void FieldWork::require_field_worker(const accounts::Principal& p) const {
    if (p.kind != accounts::Principal::Kind::user ||
        (p.role != accounts::Role::grid_worker && p.role != accounts::Role::grid_head))
        throw Error(ErrorCode::forbidden, "Patrols and visits are recorded by grid workers.");
}

accounts::Scope FieldWork::scope_for(std::optional<std::int64_t> node_id,
                                     const accounts::Principal& viewer) const {
    const auto scope = accounts::Scope::of(viewer, grid_);
    scope.require(accounts::Area::field_work);
    return scope.narrowed(node_id, grid_);
}

bool FieldWork::sees(const std::string& node_path, const accounts::Principal& viewer) const {
    const auto scope = accounts::Scope::of(viewer, grid_);
    return scope.reads(accounts::Area::field_work) && scope.covers_path(node_path);
}

std::int64_t FieldWork::own_id(const accounts::Principal& viewer) {
    // a worker's own records are theirs wherever they went; a key owns none (its id is no user's)
    return viewer.kind == accounts::Principal::Kind::user ? viewer.id : -1;
}

Patrol FieldWork::load(store::Connection& c, std::int64_t id) const {
    const auto rows = c.run(fmt::format("SELECT {} FROM patrols p JOIN users u ON u.id = p.user_id "
                                        "WHERE p.id = $1",
                                        kPatrolColumns),
                            {id});
    if (rows.empty()) throw Error(ErrorCode::not_found, "No such patrol.");
    return patrol_from(rows.front());
}

Patrol FieldWork::own(store::Connection& c, std::int64_t id,
                      const accounts::Principal& worker) const {
    auto p = load(c, id);
    if (p.user_id != worker.id) throw Error(ErrorCode::not_found, "No such patrol.");
    return p;
}

void FieldWork::move_worker(store::Connection& c, std::int64_t user_id, const TrackPoint& p) {
    const auto found = grid_.snapshot()->locate(p.where);
    const std::optional<std::int64_t> node = found ? std::optional(found->node_id) : std::nullopt;
    const std::string path = node ? grid_.path_of(*node).value_or("/") : "/";
    c.run(
        "INSERT INTO worker_positions (user_id, lon, lat, at, node_id, node_path) VALUES ($1, $2, "
        "$3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET lon = EXCLUDED.lon, lat = "
        "EXCLUDED.lat, at = EXCLUDED.at, node_id = EXCLUDED.node_id, node_path = "
        "EXCLUDED.node_path WHERE worker_positions.at < EXCLUDED.at",
        {user_id, p.where.lon, p.where.lat, p.at, node ? Value{*node} : Value{nullptr}, path});
}

Patrol FieldWork::start_patrol(std::optional<geo::LonLat> where, std::optional<Millis> at,
                               const std::optional<std::string>& client_key,
                               const accounts::Principal& worker) {
    require_field_worker(worker);
    const Millis started = checked_time(at, "started_at");
    if (where) check_point(*where, "lon");
    if (client_key && (client_key->empty() || client_key->size() > 128))
        throw Error(ErrorCode::invalid_field, "A key has 1 to 128 characters.", "Idempotency-Key");
    // where it starts: the place, else the worker's own grid
    std::optional<std::int64_t> node;
    if (where) {
        if (const auto found = grid_.snapshot()->locate(*where)) node = found->node_id;
    }
    if (!node) node = worker.scope_node_id;
    const std::string path = node ? grid_.path_of(*node).value_or("/") : "/";
    Patrol out;
    db_.transact([&](store::Connection& c) {
        if (client_key) {
            const auto before =
                c.run("SELECT id, user_id FROM patrols WHERE client_key = $1", {*client_key});
            if (!before.empty()) {
                if (before.front().integer("user_id") != worker.id)
                    throw Error(ErrorCode::conflict, "The key belongs to another patrol.",
                                "Idempotency-Key");
                out = load(c, before.front().integer("id"));
                return;
            }
        }
        const auto id = c.run(
                             "INSERT INTO patrols (user_id, node_id, node_path, started_at, "
                             "client_key, recorded_at) VALUES ($1, $2, $3, $4, $5, $6) "
                             "RETURNING id",
                             {worker.id, node ? Value{*node} : Value{nullptr}, path, started,
                              client_key ? Value{*client_key} : Value{nullptr}, clock_.now()})
                            .front()
                            .integer("id");
        out = load(c, id);
    });
    if (where && out.points == 0)
        return add_points(out.id, {{started, *where, std::nullopt}}, worker);
    return out;
}

Patrol FieldWork::add_points(std::int64_t patrol_id, const std::vector<TrackPoint>& points,
                             const accounts::Principal& worker) {
    require_field_worker(worker);
    if (points.size() > 10'000)
        throw Error(ErrorCode::invalid_field, "At most 10,000 points at a time.", "points");
    for (const auto& p : points) {
        check_point(p.where, "points");
        checked_time(p.at, "points");
    }
    Patrol out;
    db_.transact([&](store::Connection& c) {
        const auto patrol = own(c, patrol_id, worker);
        for (const auto& p : points) {
            if (p.at < patrol.started_at || (patrol.ended_at && p.at > *patrol.ended_at))
                throw Error(ErrorCode::invalid_field, "A point outside the patrol's time.",
                            "points");
            c.run(
                "INSERT INTO patrol_points (patrol_id, at, lon, lat, accuracy_m) VALUES ($1, $2, "
                "$3, $4, $5) ON CONFLICT DO NOTHING",
                {patrol_id, p.at, p.where.lon, p.where.lat,
                 p.accuracy_m ? Value{*p.accuracy_m} : Value{nullptr}});
        }
        // the distance along the whole track in time order: late points fall into their place
        const auto track = c.run(
            "SELECT at, lon, lat FROM patrol_points WHERE patrol_id = $1 ORDER BY at", {patrol_id});
        double distance = 0;
        for (std::size_t k = 1; k < track.rows.size(); ++k)
            distance +=
                geo::distance_m({track.rows[k - 1].real("lon"), track.rows[k - 1].real("lat")},
                                {track.rows[k].real("lon"), track.rows[k].real("lat")});
        if (!track.rows.empty()) {
            const auto& last = track.rows.back();
            c.run(
                "UPDATE patrols SET points = $1, distance_m = $2, last_at = $3, last_lon = $4, "
                "last_lat = $5 WHERE id = $6",
                {static_cast<std::int64_t>(track.rows.size()), distance, last.integer("at"),
                 last.real("lon"), last.real("lat"), patrol_id});
            move_worker(c, worker.id,
                        {last.integer("at"), {last.real("lon"), last.real("lat")}, std::nullopt});
        }
        out = load(c, patrol_id);
    });
    return out;
}

Patrol FieldWork::end_patrol(std::int64_t patrol_id, std::optional<Millis> at,
                             const accounts::Principal& worker) {
    require_field_worker(worker);
    const Millis ended = checked_time(at, "ended_at");
    Patrol out;
    db_.transact([&](store::Connection& c) {
        const auto patrol = own(c, patrol_id, worker);
        if (patrol.ended_at) {  // ended already: a resend
            out = patrol;
            return;
        }
        if (ended < patrol.started_at || (patrol.last_at && ended < *patrol.last_at))
            throw Error(ErrorCode::invalid_field, "A patrol ends after its last point.",
                        "ended_at");
        c.run("UPDATE patrols SET ended_at = $1 WHERE id = $2", {ended, patrol_id});
        out = load(c, patrol_id);
    });
    return out;
}

Patrol FieldWork::patrol(std::int64_t id, const accounts::Principal& viewer) {
    Patrol out;
    db_.read([&](store::Connection& c) {
        const auto path = c.run("SELECT node_path FROM patrols WHERE id = $1", {id});
        if (path.empty() || (!sees(path.front().text("node_path"), viewer) &&
                             load(c, id).user_id != own_id(viewer)))
            throw Error(ErrorCode::not_found, "没有这次巡查。 No such patrol.");
        out = load(c, id);
    });
    return out;
}

std::vector<TrackPoint> FieldWork::track(std::int64_t id, const accounts::Principal& viewer) {
    patrol(id, viewer);
    std::vector<TrackPoint> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT at, lon, lat, accuracy_m FROM patrol_points WHERE "
                                     "patrol_id = $1 ORDER BY at",
                                     {id})
                                   .rows)
            out.push_back(
                {row.integer("at"),
                 {row.real("lon"), row.real("lat")},
                 row.is_null("accuracy_m") ? std::nullopt : std::optional(row.real("accuracy_m"))});
    });
    return out;
}

std::vector<Patrol> FieldWork::patrols(std::optional<std::int64_t> user_id,
                                       std::optional<std::int64_t> node_id,
                                       std::optional<Millis> since,
                                       const accounts::Principal& viewer, int limit) {
    std::string where = "1 = 1";
    std::vector<Value> params;
    const auto add = [&](const char* condition, Value v) {
        params.push_back(std::move(v));
        where += fmt::format(fmt::runtime(condition), params.size());
    };
    if (user_id) add(" AND p.user_id = ${}", *user_id);
    if (since) add(" AND p.started_at >= ${}", *since);
    {
        // a worker sees their own patrols wherever they went
        const auto scope = scope_for(node_id, viewer);
        params.emplace_back(scope.path() + "%");
        params.emplace_back(own_id(viewer));
        where += fmt::format(" AND (p.node_path LIKE ${} OR p.user_id = ${})", params.size() - 1,
                             params.size());
    }
    params.emplace_back(std::int64_t{limit});
    std::vector<Patrol> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM patrols p JOIN users u ON u.id = p.user_id WHERE "
                               "{} ORDER BY p.started_at DESC LIMIT ${}",
                               kPatrolColumns, where, params.size()),
                   params)
                 .rows)
            out.push_back(patrol_from(row));
    });
    return out;
}

}  // namespace gridgov::field
