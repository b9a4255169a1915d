// De-duplication of the actual population over HTTP: the likely duplicates under a node, merging
// one record into another (If-Match on the kept one), and the records merged into a person with
// their last state and history.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/registry_views.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

void add_people_merge_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/people/duplicates", Access::authenticated,
        [s](Request& r) {
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& d : s.people_merge.duplicates(query_int(r, "node_id", 1, INT64_MAX),
                                                           *r.principal, static_cast<int>(limit)))
                items.push_back(json::object{{"first", person_json(d.first)},
                                             {"second", person_json(d.second)},
                                             {"reason", d.reason}});
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Pairs of records that are likely one person: the same name with the same birth date or "
        "phone");

    router.add(
        "POST", "/api/v1/people/{id}/merge", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"merge_id"});
            const auto merged = body.nullable_int("merge_id");
            if (!merged || !*merged)
                throw Error(ErrorCode::missing_field, "Say which record to merge.", "merge_id");
            const int version = if_match_version(r);
            return Response::json(
                200, person_json(s.people_merge.merge(path_id(r, "id"), **merged, version,
                                                      *r.principal, r.origin())));
        },
        "Merge another record of the same person into this one (community or centre; If-Match)");

    router.add(
        "GET", "/api/v1/people/{id}/merges", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& m : s.people_merge.merges_into(path_id(r, "id"), *r.principal))
                items.push_back(json::object{{"merged_id", m.merged_id},
                                             {"merged_by", or_null(m.merged_by)},
                                             {"merged_at", format_rfc3339(m.merged_at)},
                                             {"record", json::parse(m.snapshot)},
                                             {"history", history_json(m.changes)}});
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The records merged into a person: each one's last state (masked) and its history");
}

}  // namespace gridgov::http
