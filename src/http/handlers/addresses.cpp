// Standard addresses over HTTP: add an address under its parent (the grid computed from the
// point or the parent; a centre may correct it), browse the tree or find by the start of the full
// name, edit with If-Match; who lives in a room, a person's homes, moving in and out.
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

json::object address_json(const registry::Address& a) {
    return {{"id", a.id},
            {"parent_id", or_null(a.parent_id)},
            {"level", a.level},
            {"name", a.name},
            {"full_name", a.full_name},
            {"lon", a.location ? json::value(a.location->lon) : nullptr},
            {"lat", a.location ? json::value(a.location->lat) : nullptr},
            {"node_id", or_null(a.node_id)},
            {"node_corrected", a.node_corrected},
            {"floor", or_null(a.floor)},
            {"room_use", or_null(a.room_use)},
            {"area_m2", or_null(a.area_m2)},
            {"state", a.state},
            {"updated_at", format_rfc3339(a.updated_at)},
            {"version", a.version}};
}

json::object residence_json(const registry::Residence& r) {
    return {{"id", r.id},
            {"person_id", r.person_id},
            {"person_name", r.person_name},
            {"room_id", r.room_id},
            {"room", r.room_full_name},
            {"relation", r.relation},
            {"from_date", or_null(r.from_date)},
            {"to_date", or_null(r.to_date)}};
}

registry::AddressFields address_body(const Request& r) {
    const JsonBody body(r, {"parent_id", "level", "name", "lon", "lat", "crs", "node_id", "floor",
                            "room_use", "area_m2"});
    registry::AddressFields f;
    if (const auto p = body.nullable_int("parent_id"); p && *p) f.parent_id = **p;
    f.level = body.opt_string("level", 16);
    f.name = body.opt_string("name", 240);
    f.location = body_point(body);
    if (const auto n = body.nullable_int("node_id"); n && *n) f.node_id = **n;
    if (const auto fl = body.nullable_int("floor"); fl && *fl)
        f.floor = static_cast<int>(std::clamp<std::int64_t>(**fl, -1000, 1000));
    f.room_use = body.opt_string("room_use", 16);
    if (body.has("area_m2") && !body.raw("area_m2").is_null()) {
        const auto& v = body.raw("area_m2");
        if (!v.is_number())
            throw Error(ErrorCode::invalid_field, "The area is a number.", "area_m2");
        f.area_m2 = v.to_number<double>();
    }
    return f;
}

}  // namespace

void add_address_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/addresses", Access::authenticated,
        [s](Request& r) {
            const auto a = s.addresses.add(address_body(r), *r.principal, r.origin());
            Response res = Response::json(201, address_json(a));
            res.set_header("Location", fmt::format("/api/v1/addresses/{}", a.id));
            return res;
        },
        "Add a standard address (road, house, compound, building, unit, room) under its parent");

    router.add(
        "GET", "/api/v1/addresses", Access::authenticated,
        [s](Request& r) {
            const auto parent =
                query_int(r, "parent_id", 1, std::numeric_limits<std::int64_t>::max());
            auto q = r.query_param("q");
            if (q && q->empty()) q.reset();
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& a : s.addresses.list(parent, q, *r.principal, static_cast<int>(limit)))
                items.push_back(address_json(a));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The addresses under a parent (none: the roads and compounds), or those whose full name "
        "starts with q");

    router.add(
        "GET", "/api/v1/addresses/{id}", Access::authenticated,
        [s](Request& r) {
            return Response::json(200,
                                  address_json(s.addresses.get(path_id(r, "id"), *r.principal)));
        },
        "One address");

    router.add(
        "PATCH", "/api/v1/addresses/{id}", Access::authenticated,
        [s](Request& r) {
            const auto fields = address_body(r);
            const int version = if_match_version(r);
            return Response::json(200,
                                  address_json(s.addresses.update(path_id(r, "id"), fields, version,
                                                                  *r.principal, r.origin())));
        },
        "Edit an address (If-Match); a centre may correct its grid");

    router.add(
        "GET", "/api/v1/addresses/{id}/residents", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& x : s.addresses.residents(path_id(r, "id"), *r.principal))
                items.push_back(residence_json(x));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Who lives or lived in a room");

    router.add(
        "POST", "/api/v1/addresses/{id}/residents", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"person_id", "relation", "from_date"});
            const auto person = body.nullable_int("person_id");
            if (!person || !*person)
                throw Error(ErrorCode::missing_field, "Say who moves in.", "person_id");
            return Response::json(201,
                                  residence_json(s.addresses.move_in(
                                      **person, path_id(r, "id"), body.string("relation", 16),
                                      body.opt_string("from_date", 16), *r.principal, r.origin())));
        },
        "A person moves into a room (owner, family, tenant, other)");

    router.add(
        "POST", "/api/v1/residences/{id}/end", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"to_date"});
            s.addresses.move_out(path_id(r, "id"), body.string("to_date", 16), *r.principal,
                                 r.origin());
            return Response::no_content();
        },
        "A person moves out (the residence ends on to_date)");

    router.add(
        "GET", "/api/v1/people/{id}/homes", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& x : s.addresses.homes(path_id(r, "id"), *r.principal))
                items.push_back(residence_json(x));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Where a person lives and lived");
}

}  // namespace gridgov::http
