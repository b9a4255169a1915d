// Events over HTTP: intake from every channel (Idempotency-Key honoured), the filtered list of
// what the viewer may see, one event with its assignments, deadline colour and timeline, and the
// steps of the lifecycle as actions posted to the event.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "core/error.hpp"
#include "core/field_cipher.hpp"
#include "core/working_calendar.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"
#include "http/table_response.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

// The deadline of the stage the event is in, and its colour: green, yellow when most of the
// working time is used, red when it has passed.
json::value deadline_json(const std::optional<events::StageDeadline>& d) {
    if (!d) return nullptr;
    return json::object{{"stage", d->stage},
                        {"due", format_rfc3339(d->due)},
                        {"warn_at", format_rfc3339(d->warn_at)},
                        {"colour", d->colour},
                        {"used", std::round(d->used * 100) / 100}};
}

json::object event_json(const events::Event& e, const Services& s) {
    json::array assignments;
    for (const auto& a : e.assignments) {
        assignments.push_back(json::object{{"id", a.id},
                                           {"department_id", a.department_id},
                                           {"department_name", a.department_name},
                                           {"status", a.status},
                                           {"due", format_rfc3339(a.due)},
                                           {"dispatched_at", format_rfc3339(a.dispatched_at)},
                                           {"signed_at", time_or_null(a.signed_at)},
                                           {"handled_at", time_or_null(a.handled_at)},
                                           {"extension_hours", or_null(a.extension_hours)},
                                           {"extension_reason", or_null(a.extension_reason)},
                                           {"extensions", a.extensions}});
    }
    const auto category = e.category_code ? s.catalogue.category(*e.category_code) : std::nullopt;
    return {
        {"id", e.id},
        {"tracking_code", e.tracking_code},
        {"channel", e.channel},
        {"channel_label", events::channel_label_zh(e.channel).value_or("")},
        {"external_id", or_null(e.external_id)},
        {"title", e.title},
        {"description", e.description},
        {"category_code", or_null(e.category_code)},
        {"category_name", category ? json::value(category->name) : nullptr},
        {"status", events::status_name(e.status)},
        {"status_label", events::status_label_zh(e.status)},
        {"priority", or_null(e.priority)},
        {"location",
         e.location ? json::value(json::array{e.location->lon, e.location->lat}) : nullptr},
        {"address", or_null(e.address)},
        {"node_id", or_null(e.node_id)},
        {"owner_node_id", or_null(e.owner_node_id)},
        {"reporter_name", or_null(e.reporter_name)},
        {"reporter_phone", e.reporter_phone ? json::value(mask_phone(*e.reporter_phone)) : nullptr},
        {"resolved_on_spot", e.resolved_on_spot},
        {"duplicate_of", or_null(e.duplicate_of)},
        {"cancel_reason", or_null(e.cancel_reason)},
        {"rework_count", e.rework_count},
        {"escalations", e.escalations},
        {"reopened", e.reopened},
        {"supervised", e.supervised},
        {"satisfaction", or_null(e.satisfaction)},
        {"reported_at", format_rfc3339(e.reported_at)},
        {"accept_due", time_or_null(e.accept_due)},
        {"dispatch_due", time_or_null(e.dispatch_due)},
        {"handle_due", time_or_null(e.handle_due)},
        {"accepted_at", time_or_null(e.accepted_at)},
        {"dispatched_at", time_or_null(e.dispatched_at)},
        {"handled_at", time_or_null(e.handled_at)},
        {"closed_at", time_or_null(e.closed_at)},
        {"evaluated_at", time_or_null(e.evaluated_at)},
        {"deadline", deadline_json(s.events.deadline(e))},
        {"assignments", std::move(assignments)},
        {"version", e.version}};
}

json::array timeline_json(const std::vector<events::ActionRecord>& actions) {
    json::array out;
    for (const auto& a : actions) {
        out.push_back(json::object{{"seq", a.seq},
                                   {"action", a.action},
                                   {"actor_kind", a.actor_kind},
                                   {"actor_name", or_null(a.actor_name)},
                                   {"actor_role", or_null(a.actor_role)},
                                   {"at", format_rfc3339(a.at)},
                                   {"from_status", or_null(a.from_status)},
                                   {"to_status", a.to_status},
                                   {"assignment_id", or_null(a.assignment_id)},
                                   {"note", a.note},
                                   {"data", json::parse(a.data)},
                                   {"hash", a.hash}});
    }
    return out;
}

json::array duplicates_json(const std::vector<events::EventService::Duplicate>& found) {
    json::array out;
    for (const auto& d : found) {
        out.push_back(json::object{{"id", d.event.id},
                                   {"title", d.event.title},
                                   {"status", events::status_name(d.event.status)},
                                   {"status_label", events::status_label_zh(d.event.status)},
                                   {"reported_at", format_rfc3339(d.event.reported_at)},
                                   {"distance_m", std::round(d.distance_m)}});
    }
    return out;
}

events::EventFilter read_filter(const Request& r) {
    events::EventFilter f;
    if (auto v = r.query_param("status")) {
        f.status = events::parse_status(*v);
        if (!f.status) throw Error(ErrorCode::invalid_field, "No such status.", "status");
    }
    f.open_only = r.query_param("open").value_or("0") != "0";
    f.overdue_only = r.query_param("overdue").value_or("0") != "0";
    f.colour = r.query_param("colour");
    if (f.colour && *f.colour != "green" && *f.colour != "yellow" && *f.colour != "red")
        throw Error(ErrorCode::invalid_field, "The colour is green, yellow or red.", "colour");
    f.category_code = r.query_param("category");
    if (f.category_code && (f.category_code->empty() || f.category_code->size() > 16))
        throw Error(ErrorCode::invalid_field, "A category code.", "category");
    f.channel = r.query_param("channel");
    if (f.channel && !events::channel_label_zh(*f.channel))
        throw Error(ErrorCode::invalid_field, "No such channel.", "channel");
    f.node_id = query_int(r, "node_id", 1, INT64_MAX);
    f.department_id = query_int(r, "department_id", 1, INT64_MAX);
    f.since = query_time(r, "since");
    f.until = query_time(r, "until");
    return f;
}

// A CSV field: quoted when it holds a comma, a quote or a line break.
// China time, as people read it in a spreadsheet: 2026-11-23 09:30
std::string local_time(const std::optional<Millis>& t) {
    if (!t) return "";
    const std::string utc = format_rfc3339(*t + kChinaOffset);
    return utc.substr(0, 10) + " " + utc.substr(11, 5);
}

// The rows of an export of the filtered list, header first; the export is audited.
std::vector<std::vector<std::string>> export_rows(Request& r, const Services& s) {
    const events::EventFilter f = read_filter(r);
    std::int64_t total = 0;
    const auto found = s.events.list(f, &*r.principal, 10'000, 0, &total);
    std::vector<std::vector<std::string>> rows{{"编号", "查询码", "状态", "来源", "类别", "标题",
                                                "地址", "上报时间", "处置时限", "承办部门",
                                                "返工次数", "满意度"}};
    for (const auto& e : found) {
        const auto category =
            e.category_code ? s.catalogue.category(*e.category_code) : std::nullopt;
        std::string departments;
        for (const auto& a : e.assignments) {
            if (a.status == "returned") continue;
            departments += (departments.empty() ? "" : "、") + a.department_name;
        }
        rows.push_back({std::to_string(e.id), e.tracking_code,
                        std::string(events::status_label_zh(e.status)),
                        std::string(events::channel_label_zh(e.channel).value_or("")),
                        category ? category->name : "", e.title, e.address.value_or(""),
                        local_time(e.reported_at), local_time(e.handle_due), departments,
                        std::to_string(e.rework_count), e.satisfaction.value_or("")});
    }
    s.audit.record(&*r.principal, r.origin(), "events_exported", "events", "ok",
                   fmt::format("{} of {} rows", found.size(), total));
    return rows;
}

}  // namespace

void add_event_routes(Router& router, const Services& s) {
    router.add(
        "POST", "/api/v1/events", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(
                r, {"channel", "external_id", "title", "description", "category_code", "lon", "lat",
                    "crs", "address", "reporter_name", "reporter_phone", "resolved_on_spot",
                    "observed_at"});
            using L = events::NewEventLimits;  // the domain checks; these bound the reading
            events::NewEvent in;
            in.channel = body.string("channel", 32);
            in.external_id = body.opt_string("external_id", 4 * L::external_id);
            in.title = body.string("title", 4 * L::title);
            in.description = body.string("description", 4 * L::description);
            in.category_code = body.opt_string("category_code", 16);
            in.location = body_point(body);
            in.address = body.opt_string("address", 4 * L::address);
            in.reporter_name = body.opt_string("reporter_name", 4 * L::reporter_name);
            in.reporter_phone = body.opt_string("reporter_phone", 32);
            in.resolved_on_spot = body.opt_bool("resolved_on_spot").value_or(false);
            in.observed_at = body_time(body, "observed_at");
            in.idempotency_key = events::idempotency_key(
                r.header("idempotency-key"), events::NewEventLimits::idempotency_key_min);
            const auto intake = s.events.report(in, &*r.principal, r.origin());
            json::object out = event_json(intake.event, s);
            out["possible_duplicates"] =
                duplicates_json(s.events.possible_duplicates(intake.event, &*r.principal));
            Response res = Response::json(intake.created ? 201 : 200, out);
            res.set_header("Location", fmt::format("/api/v1/events/{}", intake.event.id));
            return res;
        },
        "Report an event (any channel); a resend with the same external id or Idempotency-Key "
        "returns the first event with 200");

    router.add(
        "GET", "/api/v1/events", Access::authenticated,
        [s](Request& r) {
            const events::EventFilter f = read_filter(r);
            const Paging paging = read_paging(r);
            std::int64_t total = 0;
            json::array items;
            for (const auto& e :
                 s.events.list(f, &*r.principal, paging.limit, paging.offset, &total)) {
                items.push_back(event_json(e, s));
            }
            return Response::json(200, page_json(std::move(items), total, paging));
        },
        "Events the viewer may see, newest first, filtered by status, open, overdue, category, "
        "channel, node subtree, department and time");

    router.add(
        "GET", "/api/v1/events.geojson", Access::authenticated,
        [s](Request& r) {
            events::EventFilter f = read_filter(r);
            f.rows_only = true;
            const auto limit = query_int(r, "limit", 1, 5000).value_or(1000);
            json::array features;
            for (const auto& e :
                 s.events.list(f, &*r.principal, static_cast<int>(limit), 0, nullptr)) {
                if (!e.location) continue;
                const auto deadline = s.events.deadline(e);
                features.push_back(json::object{
                    {"type", "Feature"},
                    {"geometry",
                     json::object{{"type", "Point"},
                                  {"coordinates", json::array{e.location->lon, e.location->lat}}}},
                    {"properties",
                     json::object{{"id", e.id},
                                  {"title", e.title},
                                  {"status", events::status_name(e.status)},
                                  {"category", e.category_code ? json::value(*e.category_code)
                                                               : json::value(nullptr)},
                                  {"colour", deadline ? deadline->colour : "grey"}}}});
            }
            Response res = Response::json(200, json::object{{"type", "FeatureCollection"},
                                                            {"features", std::move(features)}});
            res.headers[0].second = "application/geo+json; charset=utf-8";
            return res;
        },
        "The filtered events with a place as GeoJSON points (newest first, at most 5,000), each "
        "with its status, category and deadline colour: the map's layer of events");

    router.add(
        "GET", "/api/v1/events.csv", Access::authenticated,
        [s](Request& r) { return table_response(export_rows(r, s), "csv", "events", "事件"); },
        "The filtered list as CSV (China time, at most 10,000 rows); every export is audited");

    router.add(
        "GET", "/api/v1/events.xlsx", Access::authenticated,
        [s](Request& r) { return table_response(export_rows(r, s), "xlsx", "events", "事件"); },
        "The filtered list as an Excel workbook (China time, at most 10,000 rows); audited");

    router.add(
        "GET", "/api/v1/events/{id}", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            json::object out = event_json(s.events.get(id, &*r.principal), s);
            out["timeline"] = timeline_json(s.events.timeline(id, &*r.principal));
            out["possible_duplicates"] = duplicates_json(
                s.events.possible_duplicates(s.events.get(id, &*r.principal), &*r.principal));
            Response res = Response::json(200, out);
            res.set_header("ETag", fmt::format("\"v{}\"", out.at("version").as_int64()));
            return res;
        },
        "One event with its assignments, deadline colour and full timeline");

    router.add(
        "GET", "/api/v1/events/{id}/dispatch-plan", Access::authenticated,
        [s](Request& r) {
            const auto plan = s.events.dispatch_plan(path_id(r, "id"), &*r.principal);
            json::value suggested = nullptr;
            if (plan.suggested) {
                suggested = json::object{{"id", plan.suggested->id},
                                         {"name", plan.suggested->name},
                                         {"kind", plan.suggested->kind}};
            }
            return Response::json(
                200, json::object{{"suggested", suggested}, {"due", format_rfc3339(plan.due)}});
        },
        "What dispatching now would do: the department the catalogue names for the place, and "
        "the handling deadline");

    router.add(
        "POST", "/api/v1/events/{id}/actions", Access::authenticated,
        [s](Request& r) {
            const auto id = path_id(r, "id");
            const JsonBody body(
                r, {"action", "note", "category_code", "reason", "duplicate_of", "department_ids",
                    "passed", "satisfaction", "hours", "approved"});
            const auto name = body.string("action", 32);
            const auto step = events::parse_step(name);
            if (!step || *step == events::Step::report) {
                throw Error(ErrorCode::invalid_field,
                            "The action is accept, cancel, dispatch, sign, return, handle, verify, "
                            "evaluate, escalate, supervise, request_extension, decide_extension or "
                            "reopen.",
                            "action");
            }
            events::StepRequest req;
            req.step = *step;
            req.note = body.opt_string("note", 8000).value_or("");
            req.category_code = body.opt_string("category_code", 16);
            req.cancel_reason = body.opt_string("reason", 32);
            req.duplicate_of = body.nullable_int("duplicate_of").value_or(std::nullopt);
            if (body.has("department_ids")) {
                const auto& ids = body.raw("department_ids");
                if (!ids.is_array())
                    throw Error(ErrorCode::invalid_field, "An array of department ids.",
                                "department_ids");
                for (const auto& v : ids.as_array()) {
                    if (!v.is_int64() || v.as_int64() < 1)
                        throw Error(ErrorCode::invalid_field, "An array of department ids.",
                                    "department_ids");
                    req.department_ids.push_back(v.as_int64());
                }
            }
            req.passed = body.opt_bool("passed");
            req.satisfaction = body.opt_string("satisfaction", 32);
            req.approved = body.opt_bool("approved");
            if (body.has("hours")) {
                if (!body.raw("hours").is_number())
                    throw Error(ErrorCode::invalid_field, "A number of working hours.", "hours");
                req.hours = body.raw("hours").to_number<double>();
            }
            if (!r.header("if-match").empty()) req.expected_version = if_match_version(r);
            const auto e = s.events.step(id, req, &*r.principal, r.origin());
            json::object out = event_json(e, s);
            Response res = Response::json(200, out);
            res.set_header("ETag", fmt::format("\"v{}\"", e.version));
            return res;
        },
        "Take a step: accept (classify), cancel, dispatch, sign, return, handle, verify, evaluate, "
        "escalate, supervise, request_extension, decide_extension, reopen");
}

}  // namespace gridgov::http
