// A grid worker's field work over HTTP: patrols (start, track points, end; a resend with the same
// Idempotency-Key is the same patrol), visits and check-ins (a finding may report an event),
// and where the workers are: last known positions under a node, the nearest to a spot.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::value point_or_null(const std::optional<geo::LonLat>& p) {
    return p ? json::value(json::array{p->lon, p->lat}) : json::value(nullptr);
}

json::object patrol_json(const field::Patrol& p) {
    return {{"id", p.id},
            {"user_id", p.user_id},
            {"user_name", p.user_name},
            {"node_id", or_null(p.node_id)},
            {"started_at", format_rfc3339(p.started_at)},
            {"ended_at", time_or_null(p.ended_at)},
            {"points", p.points},
            {"distance_m", std::round(p.distance_m)},
            {"last_at", time_or_null(p.last_at)},
            {"last", point_or_null(p.last)}};
}

json::object visit_json(const field::Visit& v) {
    return {{"id", v.id},
            {"user_id", v.user_id},
            {"user_name", v.user_name},
            {"patrol_id", or_null(v.patrol_id)},
            {"kind", v.kind},
            {"target_id", or_null(v.target_id)},
            {"where", point_or_null(v.where)},
            {"node_id", or_null(v.node_id)},
            {"at", format_rfc3339(v.at)},
            {"notes", v.notes},
            {"findings", v.findings},
            {"event_id", or_null(v.event_id)},
            {"recorded_at", format_rfc3339(v.recorded_at)}};
}

json::object position_json(const field::WorkerPosition& w, bool with_distance) {
    json::object o{{"user_id", w.user_id},
                   {"login", w.login},
                   {"name", w.name},
                   {"role", w.role},
                   {"lon", w.where.lon},
                   {"lat", w.where.lat},
                   {"at", format_rfc3339(w.at)},
                   {"node_id", or_null(w.node_id)}};
    if (with_distance) o["distance_m"] = std::round(w.distance_m);
    return o;
}

std::optional<std::string> idempotency_key(const Request& r) {
    const auto key = r.header("idempotency-key");
    return key.empty() ? std::nullopt : std::optional<std::string>(key);
}

// ?within_minutes= (default 30): positions older than that are not shown
Millis fresh_since(const Request& r, Millis now) {
    return now - query_int(r, "within_minutes", 1, 7 * 24 * 60).value_or(30) * kMinute;
}

}  // namespace

void add_field_work_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/patrols", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"lon", "lat", "crs", "started_at"});
            const auto p = s.field.start_patrol(body_point(body), body_time(body, "started_at"),
                                                idempotency_key(r), *r.principal);
            Response res = Response::json(201, patrol_json(p));
            res.set_header("Location", fmt::format("/api/v1/patrols/{}", p.id));
            return res;
        },
        "Start a patrol (a grid worker), where and when it started (a phone offline sends it "
        "later); Idempotency-Key makes a resend the same patrol");

    router.add(
        "POST", "/api/v1/patrols/{id}/points", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"points"});
            if (!body.has("points") || !body.raw("points").is_array())
                throw Error(ErrorCode::missing_field, "The points of the track.", "points");
            std::vector<field::TrackPoint> points;
            for (const auto& v : body.raw("points").as_array()) {
                const auto* o = v.if_object();
                const auto number = [&](const char* key) -> std::optional<double> {
                    if (!o || !o->contains(key) || !o->at(key).is_number()) return std::nullopt;
                    return o->at(key).to_number<double>();
                };
                const auto* at = o && o->contains("at") ? o->at("at").if_string() : nullptr;
                const auto t = at ? parse_rfc3339(std::string(*at)) : std::nullopt;
                if (!t || !number("lon") || !number("lat"))
                    throw Error(ErrorCode::invalid_field,
                                "Each point has at (RFC 3339), lon and lat.", "points");
                points.push_back({*t, {*number("lon"), *number("lat")}, number("accuracy_m")});
            }
            return Response::json(
                200, patrol_json(s.field.add_points(path_id(r, "id"), points, *r.principal)));
        },
        "Points of a patrol's track (at, lon, lat, accuracy_m), in any order; points already "
        "recorded are kept");

    router.add(
        "POST", "/api/v1/patrols/{id}/end", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"ended_at"});
            return Response::json(
                200, patrol_json(s.field.end_patrol(path_id(r, "id"), body_time(body, "ended_at"),
                                                    *r.principal)));
        },
        "End a patrol (a resend changes nothing)");

    router.add(
        "GET", "/api/v1/patrols", Access::authenticated,
        [s](Request& r) {
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& p : s.field.patrols(
                     query_int(r, "user_id", 1, INT64_MAX), query_int(r, "node_id", 1, INT64_MAX),
                     query_time(r, "since"), *r.principal, static_cast<int>(limit)))
                items.push_back(patrol_json(p));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Patrols under a node (the viewer's scope) or of a worker, latest first");

    router.add(
        "GET", "/api/v1/patrols/{id}", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            json::object out = patrol_json(s.field.patrol(id, *r.principal));
            json::array coordinates, times;
            for (const auto& p : s.field.track(id, *r.principal)) {
                coordinates.push_back(json::array{p.where.lon, p.where.lat});
                times.push_back(json::value(format_rfc3339(p.at)));
            }
            out["track"] =
                json::object{{"type", "LineString"}, {"coordinates", std::move(coordinates)}};
            out["times"] = std::move(times);
            return Response::json(200, out);
        },
        "One patrol with its track (a GeoJSON LineString and the time of each point)");

    router.add(
        "POST", "/api/v1/visits", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"kind", "target_id", "lon", "lat", "crs", "at", "notes",
                                    "findings", "patrol_id", "report"});
            field::NewVisit v;
            v.kind = body.string("kind", 16);
            if (const auto t = body.nullable_int("target_id"); t && *t) v.target_id = **t;
            if (const auto p = body.nullable_int("patrol_id"); p && *p) v.patrol_id = **p;
            v.where = body_point(body);
            v.at = body_time(body, "at");
            v.notes = body.opt_string("notes", 4000).value_or("");
            v.findings = body.opt_string("findings", 4000).value_or("");
            if (body.has("report") && !body.raw("report").is_null()) {
                const auto* o = body.raw("report").if_object();
                const auto text = [&](const char* key) -> std::optional<std::string> {
                    if (!o || !o->contains(key) || !o->at(key).is_string()) return std::nullopt;
                    return std::string(o->at(key).as_string());
                };
                if (!text("title"))
                    throw Error(ErrorCode::missing_field, "A reported finding has a title.",
                                "report");
                v.report = field::FindingReport{text("category_code"), *text("title"),
                                                text("description").value_or("")};
            }
            v.client_key = idempotency_key(r);
            const auto visit = s.field.record_visit(v, *r.principal, r.origin());
            return Response::json(201, visit_json(visit));
        },
        "Record a check-in or a visit to a household, key place or person (at: when it "
        "happened), with notes and findings; report: the finding as an event at once; "
        "Idempotency-Key makes a resend the same visit");

    router.add(
        "GET", "/api/v1/visits", Access::authenticated,
        [s](Request& r) {
            field::VisitQuery q;
            q.user_id = query_int(r, "user_id", 1, INT64_MAX);
            q.node_id = query_int(r, "node_id", 1, INT64_MAX);
            q.patrol_id = query_int(r, "patrol_id", 1, INT64_MAX);
            if (const auto k = r.query_param("kind"); k && !k->empty()) q.kind = *k;
            q.since = query_time(r, "since");
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& v : s.field.visits(q, *r.principal, static_cast<int>(limit)))
                items.push_back(visit_json(v));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Visits and check-ins under a node, of a worker or a patrol, latest first");

    router.add(
        "GET", "/api/v1/workers/positions", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& w : s.field.positions(query_int(r, "node_id", 1, INT64_MAX),
                                                   fresh_since(r, s.clock.now()), *r.principal))
                items.push_back(position_json(w, false));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The workers' last known positions under a node (within the last 30 minutes, or "
        "within_minutes)");

    router.add(
        "GET", "/api/v1/workers/nearest", Access::authenticated,
        [s](Request& r) {
            const auto lon = r.query_param("lon");
            const auto lat = r.query_param("lat");
            double x = 0, y = 0;
            try {
                x = std::stod(lon.value_or(""));
                y = std::stod(lat.value_or(""));
            } catch (const std::exception&) {
                throw Error(ErrorCode::invalid_field, "Give lon and lat.", "lon");
            }
            const auto limit = query_int(r, "limit", 1, 50).value_or(5);
            json::array items;
            for (const auto& w : s.field.nearest({x, y}, static_cast<int>(limit),
                                                 fresh_since(r, s.clock.now()), *r.principal))
                items.push_back(position_json(w, true));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The workers nearest to a spot by their last known positions (within the last 30 "
        "minutes, or within_minutes)");
}

}  // namespace gridgov::http
