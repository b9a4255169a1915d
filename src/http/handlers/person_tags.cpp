// Special groups and care groups over HTTP: the groups and their attributes, the code tables of
// GB/T 31000 they use, a person's groups (put, remove), visits recorded, and the visits due under a
// node.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"
#include "registry/registry_figures.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::object tag_json(const registry::PersonTag& t) {
    json::object attributes;
    for (const auto& [k, v] : t.attributes) attributes[k] = v;
    const auto* def = registry::find_tag(t.tag);
    return {{"id", t.id},
            {"person_id", t.person_id},
            {"tag", t.tag},
            {"name", def ? json::value(def->zh) : nullptr},
            {"attributes", std::move(attributes)},
            {"attention", t.attention},
            {"visit_every_days", t.visit_every_days},
            {"last_visit_at", time_or_null(t.last_visit_at)},
            {"since", or_null(t.since)},
            {"version", t.version}};
}

}  // namespace

void add_person_tag_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/registry/groups", Access::authenticated,
        [](Request&) {
            json::array items;
            for (const auto& t : registry::tag_definitions()) {
                json::array attributes;
                for (const auto& a : t.attributes) {
                    attributes.push_back(json::object{
                        {"name", a.name}, {"code_table", a.code_table}, {"required", a.required}});
                }
                items.push_back(json::object{{"tag", t.tag},
                                             {"name", t.zh},
                                             {"name_en", t.en},
                                             {"visit_every_days", t.visit_every_days},
                                             {"attributes", std::move(attributes)}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The special groups and care groups a person may be in, with their attributes");

    router.add(
        "GET", "/api/v1/code-tables/{name}", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& e : s.person_tags.code_table(r.params.at("name"))) {
                items.push_back(
                    json::object{{"code", e.code}, {"name", e.name}, {"name_en", e.name_en}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "A code table of GB/T 31000 (Chinese and English)");

    router.add(
        "GET", "/api/v1/people/{id}/groups", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& t : s.person_tags.of(path_id(r, "id"), *r.principal))
                items.push_back(tag_json(t));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The groups a person is in");

    router.add(
        "PUT", "/api/v1/people/{id}/groups/{tag}", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"attributes", "attention", "visit_every_days", "since"});
            registry::TagFields f;
            f.tag = r.params.at("tag");
            if (body.has("attributes")) {
                const auto& raw = body.raw("attributes");
                if (!raw.is_object())
                    throw Error(ErrorCode::invalid_field, "attributes is an object of codes.",
                                "attributes");
                for (const auto& [k, v] : raw.as_object()) {
                    if (!v.is_string())
                        throw Error(ErrorCode::invalid_field, "A code is text.",
                                    "attributes." + std::string(k));
                    f.attributes[std::string(k)] = std::string(v.as_string());
                }
            }
            f.attention = body.opt_string("attention", 4);
            if (const auto days = body.nullable_int("visit_every_days"); days && *days)
                f.visit_every_days = static_cast<int>(std::clamp<std::int64_t>(**days, -1, 10000));
            f.since = body.opt_string("since", 16);
            return Response::json(
                200, tag_json(s.person_tags.put(path_id(r, "id"), f, *r.principal, r.origin())));
        },
        "Put a person in a group (or change its attributes, attention and visit frequency)");

    router.add(
        "DELETE", "/api/v1/people/{id}/groups/{tag}", Access::authenticated,
        [s](Request& r) {
            s.person_tags.remove(path_id(r, "id"), r.params.at("tag"), *r.principal, r.origin());
            return Response::no_content();
        },
        "Take a person out of a group");

    router.add(
        "POST", "/api/v1/people/{id}/groups/{tag}/visits", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, tag_json(s.person_tags.record_visit(path_id(r, "id"), r.params.at("tag"),
                                                         *r.principal, r.origin())));
        },
        "Record a visit to a person of a group");

    router.add(
        "GET", "/api/v1/registry/visits-due", Access::authenticated,
        [s](Request& r) {
            const auto node = query_int(r, "node_id", 1, std::numeric_limits<std::int64_t>::max());
            const auto limit = query_int(r, "limit", 1, 1000).value_or(200);
            json::array items;
            for (const auto& d :
                 s.person_tags.visits_due(node, *r.principal, static_cast<int>(limit))) {
                json::object o = tag_json(d.tag);
                o["person_name"] = d.person_name;
                o["node_id"] = d.node_id;
                o["due_since"] = format_rfc3339(d.due_since);
                items.push_back(std::move(o));
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "People of a group not visited within their frequency, under a node, longest due first");

    router.add(
        "GET", "/api/v1/registry/figures", Access::authenticated,
        [s](Request& r) {
            const auto node = query_int(r, "node_id", 1, std::numeric_limits<std::int64_t>::max());
            const Millis now = s.clock.now();
            const Millis since = query_time(r, "since").value_or(now - 30 * kDay);
            const Millis until = query_time(r, "until").value_or(now + 1);
            const auto f =
                registry::registry_figures(s.db, s.grid, *r.principal, node, since, until, now);
            const auto counts = [](const std::map<std::string, std::int64_t>& m) {
                json::object o;
                for (const auto& [k, v] : m) o[k] = v;
                return o;
            };
            return Response::json(200,
                                  json::object{{"people", f.people},
                                               {"by_household_type", counts(f.by_household_type)},
                                               {"by_state", counts(f.by_state)},
                                               {"by_group", counts(f.by_group)},
                                               {"since", format_rfc3339(since)},
                                               {"until", format_rfc3339(until)},
                                               {"collected_in_period", f.collected_in_period},
                                               {"verified_in_period", f.verified_in_period},
                                               {"visits_due", f.visits_due},
                                               {"rooms", f.rooms},
                                               {"rooms_by_use", counts(f.rooms_by_use)},
                                               {"households", f.households},
                                               {"key_places_by_risk", counts(f.key_places_by_risk)},
                                               {"inspections_due", f.inspections_due},
                                               {"organisations", f.organisations},
                                               {"licences_expiring", f.licences_expiring}});
        },
        "Figures of the registry under a node: households, people by household type and state, "
        "groups, records collected and verified in a period (default the last 30 days), visits "
        "due, rooms by use, key places by risk and inspections due, organisations, licences "
        "running out");
}

}  // namespace gridgov::http
