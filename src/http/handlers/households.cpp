// Households (户) over HTTP: add with a head, find by number or node, read with the members,
// edit with If-Match, verify or flag, history, and members joining or leaving.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "http/app.hpp"
#include "http/handlers/registry_views.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::object household_json(const registry::Household& h) {
    json::array members;
    for (const auto& m : h.members)
        members.push_back(json::object{
            {"person_id", m.person_id}, {"name", m.name}, {"relation", or_null(m.relation)}});
    return {{"id", h.id},
            {"number", or_null(h.number)},
            {"kind", h.kind},
            {"room_id", or_null(h.room_id)},
            {"head_person_id", or_null(h.head_person_id)},
            {"node_id", h.node_id},
            {"source", h.source},
            {"state", h.state},
            {"updated_at", format_rfc3339(h.updated_at)},
            {"version", h.version},
            {"members", std::move(members)}};
}

registry::HouseholdFields household_body(const Request& r) {
    const JsonBody body(r, {"number", "kind", "room_id", "head_person_id", "node_id", "source"});
    registry::HouseholdFields f;
    f.number = body.opt_string("number", 128);
    f.kind = body.opt_string("kind", 16);
    f.source = body.opt_string("source", 16);
    for (const auto& [key, field] :
         {std::pair{"room_id", &f.room_id}, std::pair{"head_person_id", &f.head_person_id},
          std::pair{"node_id", &f.node_id}}) {
        if (const auto v = body.nullable_int(key); v && *v) *field = **v;
    }
    return f;
}

}  // namespace

void add_household_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/households", Access::authenticated,
        [s](Request& r) {
            const auto h = s.households.add(household_body(r), *r.principal, r.origin());
            Response res = Response::json(201, household_json(h));
            res.set_header("Location", fmt::format("/api/v1/households/{}", h.id));
            return res;
        },
        "Add a household (户) with its number, room and head");

    router.add(
        "GET", "/api/v1/households", Access::authenticated,
        [s](Request& r) {
            registry::HouseholdQuery q;
            q.number = query_text(r, "number");
            q.node_id = query_int(r, "node_id", 1, INT64_MAX);
            q.room_id = query_int(r, "room_id", 1, INT64_MAX);
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& h : s.households.find(q, *r.principal, static_cast<int>(limit)))
                items.push_back(household_json(h));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Households by number, node or room, in the viewer's scope");

    router.add(
        "GET", "/api/v1/households/{id}", Access::authenticated,
        [s](Request& r) {
            return Response::json(200,
                                  household_json(s.households.get(path_id(r, "id"), *r.principal)));
        },
        "One household with its members");

    router.add(
        "PATCH", "/api/v1/households/{id}", Access::authenticated,
        [s](Request& r) {
            const auto fields = household_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, household_json(s.households.update(path_id(r, "id"), fields, version,
                                                        *r.principal, r.origin())));
        },
        "Edit a household (If-Match); a new head joins as 户主");

    router.add(
        "POST", "/api/v1/households/{id}/state", Access::authenticated,
        [s](Request& r) {
            const auto state = state_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, household_json(s.households.set_state(path_id(r, "id"), state, version,
                                                           *r.principal, r.origin())));
        },
        "Verify or flag a household's record (If-Match)");

    router.add(
        "GET", "/api/v1/households/{id}/history", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, json::object{{"items", history_json(s.households.history(path_id(r, "id"),
                                                                              *r.principal))}});
        },
        "Every change of a household's record");

    router.add(
        "PUT", "/api/v1/households/{id}/members/{person_id}", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"relation"});
            return Response::json(200, household_json(s.households.add_member(
                                           path_id(r, "id"), path_id(r, "person_id"),
                                           body.string("relation", 8), *r.principal, r.origin())));
        },
        "A person joins the household (or moves from another) with their relation to the head");

    router.add(
        "DELETE", "/api/v1/households/{id}/members/{person_id}", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, household_json(s.households.remove_member(
                         path_id(r, "id"), path_id(r, "person_id"), *r.principal, r.origin())));
        },
        "A person leaves the household");
}

}  // namespace gridgov::http
