// The people and neighbours of the grid tree's places: workers of a node (assign, remove, list),
// the grids I serve, the 一格一员 report, the neighbours of a grid (互助守望), and the nodes near a
// point.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

#include "core/error.hpp"
#include "geo/china_coordinates.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::object brief(const grid::GridNode& n) {
    return {{"id", n.id},
            {"code", n.code},
            {"name", n.name},
            {"level", n.level},
            {"kind", n.kind ? json::value(*n.kind) : json::value(nullptr)}};
}

}  // namespace

void add_grid_staffing_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/grid/nodes/{id}/workers", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& w : s.staffing.workers(path_id(r, "id"), &*r.principal)) {
                items.push_back(json::object{{"user_id", w.user_id},
                                             {"login", w.login},
                                             {"name", w.name},
                                             {"role", w.role},
                                             {"duty", w.duty},
                                             {"since", format_rfc3339(w.since)}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The grid workers and grid heads serving a node");

    router.add(
        "GET", "/api/v1/grid/mine", Access::authenticated,
        [s](Request& r) {
            if (r.principal->kind != accounts::Principal::Kind::user)
                throw Error(ErrorCode::forbidden, "Only a person serves grids.");
            json::array items;
            for (const auto& served : s.staffing.served_by(r.principal->id)) {
                json::object item = brief(served.node);
                item["duty"] = served.duty;
                item["since"] = format_rfc3339(served.since);
                // what stands open there now, once the figures are counted
                item["open"] = nullptr;
                item["overdue"] = nullptr;
                if (s.figures.ready()) {
                    const auto now = s.figures.open_now(served.node.id);
                    item["open"] = now.open;
                    item["overdue"] = now.overdue;
                }
                items.push_back(std::move(item));
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The grids (and other nodes) the signed-in person serves, with what is open there now");

    router.add(
        "PUT", "/api/v1/grid/nodes/{id}/workers/{user_id}", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"duty"});
            s.staffing.assign(path_id(r, "id"), path_id(r, "user_id"), body.string("duty", 32),
                              &*r.principal, r.origin());
            return Response::no_content();
        },
        "Assign a grid worker (full_time, part_time) or grid head (head) to a node");

    router.add(
        "DELETE", "/api/v1/grid/nodes/{id}/workers/{user_id}", Access::authenticated,
        [s](Request& r) {
            s.staffing.remove(path_id(r, "id"), path_id(r, "user_id"), &*r.principal, r.origin());
            return Response::no_content();
        },
        "Take a worker off a node");

    router.add(
        "GET", "/api/v1/grid/staffing", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& gap : s.staffing.one_worker_per_grid(
                     query_int(r, "node_id", 1, INT64_MAX), &*r.principal)) {
                json::object o = brief(gap.node);
                o["full_time"] = gap.full_time;
                items.push_back(std::move(o));
            }
            return Response::json(
                200, json::object{{"rule", "一格一员: one full-time worker per comprehensive grid"},
                                  {"items", std::move(items)}});
        },
        "Comprehensive grids without exactly one full-time worker (一格一员)");

    router.add(
        "GET", "/api/v1/grid/nodes/{id}/neighbours", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& n : s.staffing.neighbours(path_id(r, "id"), &*r.principal)) {
                json::object o = brief(n.node);
                o["shared_m"] = std::round(n.shared_m);
                items.push_back(std::move(o));
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Nodes of the same level sharing an edge with this one (互助守望), longest shared edge "
        "first");

    router.add(
        "GET", "/api/v1/grid/nearby", Access::authenticated,
        [s](Request& r) {
            const auto point = query_point(r);
            const double radius = query_double(r, "radius_m", 0, 20000, 500.0);
            const auto level = static_cast<int>(query_int(r, "level", 1, 6).value_or(5));
            json::array items;
            for (const auto& n : s.staffing.nearby(point, radius, level, &*r.principal)) {
                items.push_back(json::object{{"id", n.node_id},
                                             {"code", n.code},
                                             {"name", n.name},
                                             {"level", n.level},
                                             {"distance_m", std::round(n.distance_m * 10) / 10}});
            }
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Nodes of a level (default 5, grids) within radius_m of a point, nearest first");
}

}  // namespace gridgov::http
