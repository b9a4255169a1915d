// Licences and certificates over HTTP: add to a person, organisation or place, find (by holder,
// kind, number, node, expiring soon), read, edit with If-Match, verify or flag, history.
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

json::object licence_json(const registry::Licence& l) {
    return {{"id", l.id},
            {"holder_type", l.holder_type},
            {"holder_id", l.holder_id},
            {"kind", l.kind},
            {"number", l.number},
            {"issuer", or_null(l.issuer)},
            {"issued_on", or_null(l.issued_on)},
            {"valid_until", or_null(l.valid_until)},
            {"node_id", l.node_id},
            {"source", l.source},
            {"state", l.state},
            {"updated_at", format_rfc3339(l.updated_at)},
            {"version", l.version}};
}

registry::LicenceFields licence_body(const Request& r) {
    const JsonBody body(r, {"holder_type", "holder_id", "kind", "number", "issuer", "issued_on",
                            "valid_until", "source"});
    registry::LicenceFields f;
    f.holder_type = body.opt_string("holder_type", 16);
    if (const auto v = body.nullable_int("holder_id"); v && *v) f.holder_id = **v;
    f.kind = body.opt_string("kind", 8);
    f.number = body.opt_string("number", 256);
    f.issuer = body.opt_string("issuer", 400);
    f.issued_on = body.opt_string("issued_on", 10);
    f.valid_until = body.opt_string("valid_until", 10);
    f.source = body.opt_string("source", 16);
    return f;
}

}  // namespace

void add_licence_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/licences", Access::authenticated,
        [s](Request& r) {
            const auto l = s.licences.add(licence_body(r), *r.principal, r.origin());
            Response res = Response::json(201, licence_json(l));
            res.set_header("Location", fmt::format("/api/v1/licences/{}", l.id));
            return res;
        },
        "Add a licence or certificate (证件证照) to a person, an organisation or a key place");

    router.add(
        "GET", "/api/v1/licences", Access::authenticated,
        [s](Request& r) {
            registry::LicenceQuery q;
            q.holder_type = query_text(r, "holder_type");
            q.holder_id = query_int(r, "holder_id", 1, INT64_MAX);
            q.kind = query_text(r, "kind");
            q.number = query_text(r, "number");
            q.node_id = query_int(r, "node_id", 1, INT64_MAX);
            if (const auto d = query_int(r, "expiring_within_days", 0, 3660))
                q.expiring_within_days = static_cast<int>(*d);
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& l : s.licences.find(q, *r.principal, static_cast<int>(limit)))
                items.push_back(licence_json(l));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Licences by holder, kind, number, node, or expiring within n days");

    router.add(
        "GET", "/api/v1/licences/{id}", Access::authenticated,
        [s](Request& r) {
            return Response::json(200,
                                  licence_json(s.licences.get(path_id(r, "id"), *r.principal)));
        },
        "One licence");

    router.add(
        "PATCH", "/api/v1/licences/{id}", Access::authenticated,
        [s](Request& r) {
            const auto fields = licence_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, licence_json(s.licences.update(path_id(r, "id"), fields, version, *r.principal,
                                                    r.origin())));
        },
        "Edit a licence (If-Match); its holder stays");

    router.add(
        "POST", "/api/v1/licences/{id}/state", Access::authenticated,
        [s](Request& r) {
            const auto state = state_body(r);
            const int version = if_match_version(r);
            return Response::json(
                200, licence_json(s.licences.set_state(path_id(r, "id"), state, version,
                                                       *r.principal, r.origin())));
        },
        "Verify or flag a licence's record (If-Match)");

    router.add(
        "GET", "/api/v1/licences/{id}/history", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, json::object{{"items", history_json(s.licences.history(path_id(r, "id"),
                                                                            *r.principal))}});
        },
        "Every change of a licence's record");
}

}  // namespace gridgov::http
