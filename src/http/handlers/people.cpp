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
#include "registry/people_import.hpp"

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
            registry::PersonQuery q;
            q.name = r.query_param("name");
            q.id_number = r.query_param("id_number");
            q.phone = r.query_param("phone");
            q.node_id = query_int(r, "node_id", 1, std::numeric_limits<std::int64_t>::max());
            if (q.name && q.name->empty()) q.name.reset();
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
        "POST", "/api/v1/people/import", Access::authenticated,
        [s](Request& r) {
            const auto dry = r.query_param("dry_run");
            if (dry && *dry != "true" && *dry != "false")
                throw Error(ErrorCode::invalid_field, "Use true or false.", "dry_run");
            const bool dry_run = dry == "true";
            // an Excel workbook (a zip) is read through GDAL; anything else is CSV text
            const std::string text = r.body.starts_with(std::string_view("PK\x03\x04", 4))
                                         ? geo::xlsx_as_csv(r.body)
                                         : r.body;
            auto table = registry::read_people_table(registry::parse_csv(text), s.grid);
            auto report =
                s.people.import(table.rows, table.lines, dry_run, *r.principal, r.origin());
            report.problems.insert(report.problems.begin(), table.problems.begin(),
                                   table.problems.end());
            if (!table.problems.empty()) report.added = 0;
            std::sort(report.problems.begin(), report.problems.end(),
                      [](const auto& a, const auto& b) { return a.line < b.line; });
            json::array problems;
            for (const auto& p : report.problems) {
                problems.push_back(
                    json::object{{"line", p.line}, {"field", p.field}, {"message", p.message}});
            }
            json::array ignored;
            for (const auto& c : table.ignored_columns) ignored.emplace_back(c);
            json::object body{{"rows", report.rows + static_cast<int>(table.problems.size())},
                              {"added", report.added},
                              {"dry_run", dry_run},
                              {"ignored_columns", std::move(ignored)},
                              {"problems", std::move(problems)}};
            if (!dry_run && !report.problems.empty()) {
                // nothing was written: the whole file is refused, with every line's problems
                Response res = error_response(
                    Error(ErrorCode::invalid_field,
                          fmt::format("{} line(s) have problems; nothing was imported.",
                                      report.problems.size()),
                          "file"),
                    r.origin().request_id);
                auto doc = boost::json::parse(res.body).as_object();
                doc["report"] = std::move(body);
                res.body = boost::json::serialize(doc);
                return res;
            }
            return Response::json(200, body);
        },
        "Import people from CSV or an Excel workbook (header row in Chinese or English; "
        "?dry_run=true checks every line and writes nothing); all or nothing");

    router.add(
        "GET", "/api/v1/people/{id}", Access::authenticated,
        [s](Request& r) {
            std::vector<std::string> reveal;
            if (const auto text = r.query_param("reveal"); text && !text->empty()) {
                std::size_t start = 0;
                while (start <= text->size()) {
                    const auto comma = text->find(',', start);
                    reveal.push_back(text->substr(start, comma - start));
                    if (comma == std::string::npos) break;
                    start = comma + 1;
                }
            }
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
