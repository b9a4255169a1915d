// Key places of the registry over HTTP: add, find (by name, kind, risk, node, inspection due),
// read (the contact's phone unmasked with a reason, audited), edit with If-Match, verify or
// flag, history, and the inspections.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/registry_views.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::object place_json(const registry::KeyPlace& p) {
    return {{"id", p.id},
            {"kind", p.kind},
            {"name", p.name},
            {"risk_level", p.risk_level},
            {"contact_name", or_null(p.contact_name)},
            {"contact_phone", or_null(p.contact_phone)},
            {"address_id", or_null(p.address_id)},
            {"organisation_id", or_null(p.organisation_id)},
            {"node_id", p.node_id},
            {"inspect_every_days", p.inspect_every_days},
            {"last_inspected_at", time_or_null(p.last_inspected_at)},
            {"source", p.source},
            {"state", p.state},
            {"collected_by", or_null(p.collected_by)},
            {"collected_at", format_rfc3339(p.collected_at)},
            {"verified_by", or_null(p.verified_by)},
            {"verified_at", time_or_null(p.verified_at)},
            {"updated_at", format_rfc3339(p.updated_at)},
            {"version", p.version}};
}

json::object inspection_json(const registry::Inspection& i) {
    return {{"id", i.id},
            {"place_id", i.place_id},
            {"inspected_by", or_null(i.inspected_by)},
            {"inspected_at", format_rfc3339(i.inspected_at)},
            {"result", i.result},
            {"hazard_type", or_null(i.hazard_type)},
            {"notes", or_null(i.notes)},
            {"rectify_by", or_null(i.rectify_by)},
            {"event_id", or_null(i.event_id)}};
}

std::optional<std::int64_t> id_of(const JsonBody& body, std::string_view key) {
    if (const auto v = body.nullable_int(key); v && *v) return **v;
    return std::nullopt;
}

registry::KeyPlaceFields place_body(const Request& r) {
    const JsonBody body(
        r, {"kind", "name", "risk_level", "contact_name", "contact_phone", "address_id",
            "organisation_id", "node_id", "inspect_every_days", "source"});
    registry::KeyPlaceFields f;
    f.kind = body.opt_string("kind", 8);
    f.name = body.opt_string("name", 400);
    f.risk_level = body.opt_string("risk_level", 16);
    f.contact_name = body.opt_string("contact_name", 200);
    f.contact_phone = body.opt_string("contact_phone", 64);
    f.source = body.opt_string("source", 16);
    f.address_id = id_of(body, "address_id");
    f.organisation_id = id_of(body, "organisation_id");
    f.node_id = id_of(body, "node_id");
    if (const auto v = id_of(body, "inspect_every_days"))
        f.inspect_every_days = static_cast<int>(std::clamp<std::int64_t>(*v, -1, 10'000));
    return f;
}

registry::InspectionFields inspection_body(const Request& r) {
    const JsonBody body(
        r, {"result", "hazard_type", "notes", "rectify_by", "event_id", "inspected_at"});
    registry::InspectionFields f;
    f.result = body.string("result", 16);
    f.hazard_type = body.opt_string("hazard_type", 8);
    f.notes = body.opt_string("notes", 4000);
    f.rectify_by = body.opt_string("rectify_by", 10);
    f.event_id = id_of(body, "event_id");
    f.inspected_at = body_time(body, "inspected_at");
    return f;
}

}  // namespace

void add_key_place_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/places", Access::authenticated,
        [s](Request& r) {
            const auto p = s.key_places.add(place_body(r), *r.principal, r.origin());
            Response res = Response::json(201, place_json(p));
            res.set_header("Location", fmt::format("/api/v1/places/{}", p.id));
            return res;
        },
        "Add a key place (重点场所) with its kind, risk level, contact and grid");

    router.add(
        "GET", "/api/v1/places", Access::authenticated,
        [s](Request& r) {
            registry::KeyPlaceQuery q;
            q.name = query_text(r, "q");
            q.kind = query_text(r, "kind");
            q.risk_level = query_text(r, "risk_level");
            q.node_id = query_int(r, "node_id", 1, INT64_MAX);
            q.organisation_id = query_int(r, "organisation_id", 1, INT64_MAX);
            q.address_id = query_int(r, "address_id", 1, INT64_MAX);
            q.inspection_due = r.query_param("inspection_due").value_or("") == "true";
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& p : s.key_places.find(q, *r.principal, static_cast<int>(limit)))
                items.push_back(place_json(p));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Key places by name prefix, kind, risk level, node, or whose inspection is due");

    router.add(
        "GET", "/api/v1/places/{id}", Access::authenticated,
        [s](Request& r) {
            const bool reveal = r.query_param("reveal").value_or("") == "contact_phone";
            return Response::json(200, place_json(s.key_places.get(
                                           path_id(r, "id"), *r.principal, reveal,
                                           r.query_param("reason").value_or(""), r.origin())));
        },
        "One key place; ?reveal=contact_phone&reason= unmasks the contact's phone (audited)");

    router.add(
        "PATCH", "/api/v1/places/{id}", Access::authenticated,
        [s](Request& r) {
            const auto fields = place_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, place_json(s.key_places.update(path_id(r, "id"), fields, version, *r.principal,
                                                    r.origin())));
        },
        "Edit a key place (If-Match)");

    router.add(
        "POST", "/api/v1/places/{id}/state", Access::authenticated,
        [s](Request& r) {
            const auto state = state_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, place_json(s.key_places.set_state(path_id(r, "id"), state, version,
                                                       *r.principal, r.origin())));
        },
        "Verify or flag a key place's record (community or centre; If-Match)");

    router.add(
        "GET", "/api/v1/places/{id}/history", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, json::object{{"items", history_json(s.key_places.history(path_id(r, "id"),
                                                                              *r.principal))}});
        },
        "Every change of a key place's record");

    router.add(
        "POST", "/api/v1/places/{id}/inspections", Access::authenticated,
        [s](Request& r) {
            const auto fields = inspection_body(r);
            return Response::json(201, inspection_json(s.key_places.inspect(
                                           path_id(r, "id"), fields, *r.principal, r.origin())));
        },
        "Record an inspection of a key place (passed, hazard found with its type, rectified)");

    router.add(
        "GET", "/api/v1/places/{id}/inspections", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& i : s.key_places.inspections(path_id(r, "id"), *r.principal))
                items.push_back(inspection_json(i));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "A key place's inspections, the latest first");
}

}  // namespace gridgov::http
