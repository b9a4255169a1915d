// Organisations of the registry over HTTP: add one (its credit code checked), find by name or
// code, read one, edit with If-Match.
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

json::object organisation_json(const registry::Organisation& o) {
    return {{"id", o.id},
            {"kind", o.kind},
            {"name", o.name},
            {"credit_code", or_null(o.credit_code)},
            {"legal_representative", or_null(o.legal_representative)},
            {"phone", or_null(o.phone)},
            {"address_id", or_null(o.address_id)},
            {"node_id", o.node_id},
            {"industry", or_null(o.industry)},
            {"employees", or_null(o.employees)},
            {"source", o.source},
            {"state", o.state},
            {"verified_by", or_null(o.verified_by)},
            {"verified_at", time_or_null(o.verified_at)},
            {"updated_at", format_rfc3339(o.updated_at)},
            {"version", o.version}};
}

registry::OrganisationFields organisation_body(const Request& r) {
    const JsonBody body(r, {"kind", "name", "credit_code", "legal_representative", "phone",
                            "address_id", "node_id", "industry", "employees", "source"});
    registry::OrganisationFields f;
    f.kind = body.opt_string("kind", 32);
    f.name = body.opt_string("name", 400);
    f.credit_code = body.opt_string("credit_code", 32);
    f.legal_representative = body.opt_string("legal_representative", 400);
    f.phone = body.opt_string("phone", 64);
    f.industry = body.opt_string("industry", 400);
    f.source = body.opt_string("source", 16);
    if (const auto v = body.nullable_int("address_id"); v && *v) f.address_id = **v;
    if (const auto v = body.nullable_int("node_id"); v && *v) f.node_id = **v;
    if (const auto v = body.nullable_int("employees"); v && *v)
        f.employees = static_cast<int>(std::clamp<std::int64_t>(**v, -1, 100'000'000));
    return f;
}

}  // namespace

void add_organisation_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/organisations", Access::authenticated,
        [s](Request& r) {
            const auto o = s.organisations.add(organisation_body(r), *r.principal, r.origin());
            Response res = Response::json(201, organisation_json(o));
            res.set_header("Location", fmt::format("/api/v1/organisations/{}", o.id));
            return res;
        },
        "Add an organisation (enterprise, individual business, social organisation, institution); "
        "its unified social credit code is checked (GB 32100)");

    router.add(
        "GET", "/api/v1/organisations", Access::authenticated,
        [s](Request& r) {
            auto q = r.query_param("q");
            if (q && q->empty()) q.reset();
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            const auto address = query_int(r, "address_id", 1, INT64_MAX);
            for (const auto& o :
                 s.organisations.find(q, address, *r.principal, static_cast<int>(limit)))
                items.push_back(organisation_json(o));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Organisations by the start of the name or the exact credit code, or at an address, in the "
        "viewer's scope");

    router.add(
        "GET", "/api/v1/organisations/{id}", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, organisation_json(s.organisations.get(path_id(r, "id"), *r.principal)));
        },
        "One organisation");

    router.add(
        "PATCH", "/api/v1/organisations/{id}", Access::authenticated,
        [s](Request& r) {
            const auto fields = organisation_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, organisation_json(s.organisations.update(path_id(r, "id"), fields, version,
                                                              *r.principal, r.origin())));
        },
        "Edit an organisation (If-Match)");

    router.add(
        "POST", "/api/v1/organisations/{id}/state", Access::authenticated,
        [s](Request& r) {
            const auto state = state_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, organisation_json(s.organisations.set_state(path_id(r, "id"), state, version,
                                                                 *r.principal, r.origin())));
        },
        "Verify or flag an organisation's record (community or centre; If-Match)");

    router.add(
        "GET", "/api/v1/organisations/{id}/history", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, json::object{{"items", history_json(s.organisations.history(path_id(r, "id"),
                                                                                 *r.principal))}});
        },
        "Every change of an organisation's record (the phone masked)");
}

}  // namespace gridgov::http
