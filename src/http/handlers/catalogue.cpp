// The event catalogue, the departments and the working calendar over HTTP: categories with their
// routing and time limits (read by all, edited by admins), department kinds and departments, the
// calendar's holidays and make-up working days of a year, and deadlines computed in working time.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cmath>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::object category_json(const events::Category& c) {
    return {{"code", c.code},
            {"parent_code", or_null(c.parent_code)},
            {"name", c.name},
            {"name_en", c.name_en},
            {"department_kind", or_null(c.department_kind)},
            {"handling_level", or_null(c.handling_level)},
            {"priority", or_null(c.priority)},
            {"accept_hours", or_null(c.accept_hours)},
            {"dispatch_hours", or_null(c.dispatch_hours)},
            {"handle_limit", or_null(c.handle_limit)},
            {"handle_unit", or_null(c.handle_unit)},
            {"standard", or_null(c.standard)},
            {"active", c.active},
            {"version", c.version}};
}

json::object department_json(const events::Department& d) {
    return {{"id", d.id},
            {"name", d.name},
            {"kind", d.kind},
            {"node_id", d.node_id},
            {"phone", or_null(d.phone)},
            {"active", d.active},
            {"created_at", format_rfc3339(d.created_at)},
            {"version", d.version}};
}

std::string period_text(const WorkPeriod& p) {
    return fmt::format("{:02}:{:02}-{:02}:{:02}", p.start_minute / 60, p.start_minute % 60,
                       p.end_minute / 60, p.end_minute % 60);
}

std::string day_param(const Request& r) {
    const std::string& day = r.params.at("day");
    if (!parse_day(day))
        throw Error(ErrorCode::invalid_field, "A day is written 2026-10-01.", "day");
    return day;
}

}  // namespace

void add_catalogue_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/catalogue/categories", Access::authenticated,
        [s](Request&) {
            json::array majors;
            for (const auto& c : s.catalogue.categories()) {
                if (c.is_major()) {
                    json::object major = category_json(c);
                    major["minors"] = json::array{};
                    majors.push_back(std::move(major));
                } else if (!majors.empty()) {
                    majors.back().as_object().at("minors").as_array().push_back(category_json(c));
                }
            }
            return Response::json(200, json::object{{"items", std::move(majors)}});
        },
        "The event categories: majors, each with its minors, their routing and time limits");

    router.add(
        "PATCH", "/api/v1/catalogue/categories/{code}", Access::authenticated,
        [s](Request& r) {
            const int version = if_match_version(r);
            const JsonBody body(
                r, {"name", "department_kind", "handling_level", "priority", "accept_hours",
                    "dispatch_hours", "handle_limit", "handle_unit", "active"});
            events::CategoryPatch patch;
            patch.name = body.opt_string("name", 200);
            patch.department_kind = body.nullable_string("department_kind", 16);
            auto small = [&](const char* key) -> std::optional<int> {
                const auto v = body.nullable_int(key).value_or(std::nullopt);
                if (v && (*v < -1000 || *v > 1000))
                    throw Error(ErrorCode::invalid_field, "Out of range.", key);
                return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
            };
            patch.handling_level = small("handling_level");
            patch.priority = small("priority");
            patch.handle_limit = small("handle_limit");
            auto number = [&](const char* key) -> std::optional<double> {
                if (!body.has(key)) return std::nullopt;
                const auto& v = body.raw(key);
                if (!v.is_number())
                    throw Error(ErrorCode::invalid_field, "A number of working hours.", key);
                return v.to_number<double>();
            };
            patch.accept_hours = number("accept_hours");
            patch.dispatch_hours = number("dispatch_hours");
            patch.handle_unit = body.opt_string("handle_unit", 16);
            patch.active = body.opt_bool("active");
            const auto c =
                s.catalogue.update(r.params.at("code"), patch, version, &*r.principal, r.origin());
            Response res = Response::json(200, category_json(c));
            res.set_header("ETag", fmt::format("\"v{}\"", c.version));
            return res;
        },
        "Edit a category's name, routing and time limits; send If-Match with its version");

    router.add(
        "GET", "/api/v1/catalogue/department-kinds", Access::authenticated,
        [s](Request&) {
            json::array items;
            for (const auto& k : s.catalogue.department_kinds()) {
                items.push_back(
                    json::object{{"code", k.code}, {"name", k.name}, {"name_en", k.name_en}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The kinds of department (城管, 公安, 市场监管 …)");

    router.add(
        "GET", "/api/v1/departments", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& d : s.departments.list(query_int(r, "node_id", 1, INT64_MAX),
                                                    r.query_param("kind"), &*r.principal)) {
                items.push_back(department_json(d));
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Departments serving a node's part of the tree (node_id), optionally of one kind");

    router.add(
        "POST", "/api/v1/departments", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"name", "kind", "node_id", "phone"});
            events::NewDepartment in;
            in.name = body.string("name", 300);
            in.kind = body.string("kind", 16);
            const auto node = body.nullable_int("node_id").value_or(std::nullopt);
            if (!node) throw Error(ErrorCode::missing_field, "'node_id' is required.", "node_id");
            in.node_id = *node;
            in.phone = body.opt_string("phone", 32);
            const auto d = s.departments.create(in, &*r.principal, r.origin());
            Response res = Response::json(201, department_json(d));
            res.set_header("Location", fmt::format("/api/v1/departments/{}", d.id));
            return res;
        },
        "Create a department serving a district or a street");

    router.add(
        "GET", "/api/v1/departments/{id}", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, department_json(s.departments.get(path_id(r, "id"), &*r.principal)));
        },
        "One department");

    router.add(
        "GET", "/api/v1/calendar/years/{year}", Access::authenticated,
        [s](Request& r) {
            const std::string& text = r.params.at("year");
            int year = 0;
            if (text.size() != 4 || std::sscanf(text.c_str(), "%d", &year) != 1 || year < 2000 ||
                year > 2100) {
                throw Error(ErrorCode::invalid_field, "A year from 2000 to 2100.", "year");
            }
            json::array days, hours;
            for (const auto& d : s.working_time.days(year)) {
                days.push_back(json::object{{"day", d.day},
                                            {"working", d.working},
                                            {"name", d.name},
                                            {"provisional", d.provisional}});
            }
            for (const auto& p : s.working_time.periods())
                hours.push_back(json::string(period_text(p)));
            return Response::json(200, json::object{{"year", year},
                                                    {"working_hours", std::move(hours)},
                                                    {"days", std::move(days)}});
        },
        "The working calendar of a year: working hours, public holidays and make-up working days");

    router.add(
        "PUT", "/api/v1/calendar/days/{day}", Access::authenticated,
        [s](Request& r) {
            const std::string day = day_param(r);
            const JsonBody body(r, {"working", "name"});
            const auto working = body.opt_bool("working");
            if (!working)
                throw Error(ErrorCode::missing_field, "'working' is required.", "working");
            s.working_time.set_day(day, *working, body.string("name", 100), &*r.principal,
                                   r.origin());
            return Response::json(200, json::object{{"day", day}, {"working", *working}});
        },
        "Mark a day as a holiday (working: false) or a make-up working day (working: true)");

    router.add(
        "DELETE", "/api/v1/calendar/days/{day}", Access::authenticated,
        [s](Request& r) {
            s.working_time.remove_day(day_param(r), &*r.principal, r.origin());
            return Response::no_content();
        },
        "Let a day follow the weekly rule again");

    router.add(
        "GET", "/api/v1/calendar/deadline", Access::authenticated,
        [s](Request& r) {
            const auto start = query_time(r, "start").value_or(s.clock.now());
            const double hours = query_double(r, "hours", 0, 24 * 365, 0.0);
            const auto days = query_int(r, "days", 0, 365).value_or(0);
            if (hours == 0 && days == 0)
                throw Error(ErrorCode::missing_field, "Give hours or days of working time.",
                            "hours");
            const auto cal = s.working_time.calendar();
            const Millis amount =
                static_cast<Millis>(std::llround(hours * kHour)) + days * cal->day_length();
            return Response::json(
                200, json::object{{"start", format_rfc3339(start)},
                                  {"deadline", format_rfc3339(cal->add(start, amount))},
                                  {"working_hours",
                                   hours + static_cast<double>(days) *
                                               static_cast<double>(cal->day_length()) / kHour}});
        },
        "The instant a number of working hours or days after a start (default now)");
}

}  // namespace gridgov::http
