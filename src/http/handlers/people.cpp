// The registry of actual population over HTTP: add a person, find people (name, exact identity
// number or phone, a node's subtree), read one (?reveal=id_number,phone&reason=… for roles that
// may, audited), edit with If-Match, verify, and the record's change history.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/error.hpp"
#include "geo/gis_files.hpp"
#include "http/app.hpp"
#include "http/error_response.hpp"
#include "http/handlers/registry_views.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"
#include "registry/csv_table.hpp"
#include "registry/people_table.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

registry::PersonFields read_fields(const JsonBody& body) {
    registry::PersonFields f;
    f.name = body.opt_string("name", 200);
    f.id_type = body.opt_string("id_type", 32);
    f.id_number = body.opt_string("id_number", 64);
    f.gender = body.opt_string("gender", 8);
    f.birth_date = body.opt_string("birth_date", 16);
    f.ethnicity = body.opt_string("ethnicity", 80);
    f.phone = body.opt_string("phone", 32);
    f.household_type = body.opt_string("household_type", 32);
    f.registered_address = body.opt_string("registered_address", 800);
    f.employer = body.opt_string("employer", 400);
    f.source = body.opt_string("source", 32);
    if (const auto node = body.nullable_int("node_id"); node && *node) f.node_id = **node;
    return f;
}

// The body of an add or an edit: only a person's fields.
registry::PersonFields person_body(const Request& r) {
    const JsonBody body(
        r, {"name", "id_type", "id_number", "gender", "birth_date", "ethnicity", "phone",
            "household_type", "registered_address", "employer", "source", "node_id"});
    return read_fields(body);
}

}  // namespace

void add_people_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/people", Access::authenticated,
        [s](Request& r) {
            const auto p = s.people.add(person_body(r), *r.principal, r.origin());
            Response res = Response::json(201, person_json(p));
            res.set_header("Location", fmt::format("/api/v1/people/{}", p.id));
            return res;
        },
        "Add a person to the registry (实有人口); the identity number gives birth date and gender");

    router.add(
        "GET", "/api/v1/people", Access::authenticated,
        [s](Request& r) {
            const auto q = person_query(r);
            const Paging paging = read_paging(r);
            std::int64_t total = 0;
            json::array items;
            for (const auto& p :
                 s.people.search(q, *r.principal, paging.limit, paging.offset, &total))
                items.push_back(person_json(p));
            return Response::json(200, page_json(std::move(items), total, paging));
        },
        "Find people by name (prefix), identity number or phone (exact), within a node's "
        "subtree; masked");

    router.add(
        "GET", "/api/v1/people/{id}", Access::authenticated,
        [s](Request& r) {
            const auto reveal = query_list(r, "reveal");
            return Response::json(
                200, person_json(s.people.get(path_id(r, "id"), *r.principal, reveal,
                                              r.query_param("reason").value_or(""), r.origin())));
        },
        "One person; ?reveal=id_number,phone&reason=… shows them unmasked to roles that may, "
        "audited");

    router.add(
        "PATCH", "/api/v1/people/{id}", Access::authenticated,
        [s](Request& r) {
            const auto fields = person_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, person_json(s.people.update(path_id(r, "id"), fields, version, *r.principal,
                                                 r.origin())));
        },
        "Edit a person (If-Match: the version edited); an edited record is verified again");

    router.add(
        "POST", "/api/v1/people/{id}/verify", Access::authenticated,
        [s](Request& r) {
            const int version = if_match_version(r);
            return Response::json(
                200, person_json(s.people.set_state(path_id(r, "id"), "verified", version,
                                                    *r.principal, r.origin())));
        },
        "Verify a person's record (community or centre; If-Match)");

    router.add(
        "POST", "/api/v1/people/{id}/state", Access::authenticated,
        [s](Request& r) {
            const auto state = state_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, person_json(s.people.set_state(path_id(r, "id"), state, version, *r.principal,
                                                    r.origin())));
        },
        "Verify or flag a person's record (community or centre; If-Match)");

    router.add(
        "GET", "/api/v1/people/{id}/history", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, json::object{{"items", history_json(s.people.history(path_id(r, "id"),
                                                                          *r.principal))}});
        },
        "Every change of a person's record: who, when, each field before and after (masked)");
}

}  // namespace gridgov::http
