// Reading events: the filtered list of what a viewer may see (scopes in SQL, so that paging
// counts only what the viewer sees), and the search for possible duplicates near an event, by
// the place cells kept with each event.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "events/event_service.hpp"
#include "events/publication.hpp"

namespace gridgov::events {

using store::Value;

std::int64_t place_cell(geo::LonLat p) {
    const auto row = static_cast<std::int64_t>(std::floor((p.lat + 90) / kCellDegrees));
    const auto col = static_cast<std::int64_t>(std::floor((p.lon + 180) / kCellDegrees));
    return row * kCellRow + col;
}

std::vector<EventService::Duplicate> EventService::possible_duplicates(
    const Event& e, const accounts::Principal* viewer, double within_m, Millis window) {
    std::vector<Duplicate> out;
    if (!e.location || !e.category_code) return out;
    // a box a little larger than the circle, then the exact distance
    const double dlat = within_m / 111'000.0 * 1.1;
    const double dlon = dlat / std::max(0.1, std::cos(e.location->lat * 3.141592653589793 / 180));
    if (viewer && viewer->role == accounts::Role::dept_handler) return out;  // centres link them
    // the cells the circle may reach: for each row of cells (two or three), one range of cells
    // read by index
    const auto lo = place_cell({e.location->lon - dlon, e.location->lat - dlat});
    const auto hi = place_cell({e.location->lon + dlon, e.location->lat + dlat});
    static constexpr const char* kNearby =
        "SELECT id, title, status, reported_at, lon, lat, node_path, reporter_user_id FROM events "
        "WHERE category_code = $1 AND place_cell BETWEEN $9 AND $10 AND lat BETWEEN $2 AND $3 AND "
        "lon BETWEEN $4 AND $5 AND id <> $6 AND status NOT IN ('closed', 'evaluated', "
        "'cancelled') AND reported_at BETWEEN $7 AND $8 LIMIT 200";
    db_.read([&](store::Connection& c) {
        for (std::int64_t cells = lo - lo % kCellRow; cells <= hi; cells += kCellRow) {
            const auto found =
                c.run(kNearby,
                      {*e.category_code, e.location->lat - dlat, e.location->lat + dlat,
                       e.location->lon - dlon, e.location->lon + dlon, e.id, e.reported_at - window,
                       e.reported_at + window, cells + lo % kCellRow, cells + hi % kCellRow});
            for (const auto& row : found.rows) {
                Event other;
                other.id = row.integer("id");
                other.title = row.text("title");
                other.status = parse_status(row.text("status")).value_or(Status::reported);
                other.reported_at = row.integer("reported_at");
                other.location = geo::LonLat{row.real("lon"), row.real("lat")};
                other.node_path = row.text("node_path");
                other.reporter_user_id = row.opt_integer("reporter_user_id");
                if (!visible(other, viewer)) continue;
                const double d = geo::distance_m(*e.location, *other.location);
                if (d <= within_m) out.push_back({std::move(other), d});
            }
        }
    });
    std::sort(out.begin(), out.end(),
              [](const Duplicate& a, const Duplicate& b) { return a.distance_m < b.distance_m; });
    if (out.size() > 10) out.resize(10);
    return out;
}

std::vector<Event> EventService::list(const EventFilter& f, const accounts::Principal* viewer,
                                      int limit, int offset, std::int64_t* total) {
    std::string where = "WHERE 1 = 1";
    std::vector<Value> params;
    auto add = [&](const std::string& condition, Value v) {
        params.push_back(std::move(v));
        where += " AND " + fmt::format(fmt::runtime(condition), params.size());
    };
    if (f.status) add("e.status = ${}", std::string(status_name(*f.status)));
    if (f.open_only) where += " AND e.status NOT IN ('closed', 'evaluated', 'cancelled')";
    if (f.finished_only) where += " AND e.status IN ('closed', 'evaluated', 'cancelled')";
    if (!f.ids.empty()) {
        std::string in;
        for (const auto id : f.ids) {
            params.emplace_back(id);
            in += fmt::format("{}${}", in.empty() ? "" : ", ", params.size());
        }
        where += " AND e.id IN (" + in + ")";
    }
    if (!f.category_prefixes.empty()) {
        std::string any;
        for (const auto& prefix : f.category_prefixes) {
            params.emplace_back(prefix + "%");
            any +=
                fmt::format("{}e.category_code LIKE ${}", any.empty() ? "" : " OR ", params.size());
        }
        where += " AND (" + any + ")";
    }
    if (f.category_code) add("e.category_code LIKE ${}", *f.category_code + "%");
    if (f.channel) add("e.channel = ${}", *f.channel);
    if (f.published_only) {
        std::string any;
        for (const auto channel : published_channels()) {
            params.emplace_back(std::string(channel));
            any += fmt::format("{}${}", any.empty() ? "" : ", ", params.size());
        }
        where += " AND e.channel IN (" + any + ")";
    }
    if (f.since) add("e.reported_at >= ${}", *f.since);
    if (f.until) add("e.reported_at < ${}", *f.until);
    // the deadline of the stage each event is in: accepting, dispatching, handling
    // the colours by the one rule of events/deadline.hpp: red past the stage's due time, yellow
    // from its warning time (stored with the event), green before; written stage by stage, as
    // the partial indexes of the open stages are
    const auto stages = [](const std::string& op, std::size_t n) {
        return fmt::format(
            "((e.status = 'reported' AND e.accept_due {0} ${1}) OR (e.status = 'accepted' AND "
            "e.dispatch_due {0} ${1}) OR (e.status IN ('dispatched', 'in_progress') AND "
            "e.handle_due {0} ${1}))",
            op, n);
    };
    if (f.overdue_only || f.colour == "red") {
        params.emplace_back(clock_.now());
        where += " AND " + stages("<", params.size());
    } else if (f.colour == "yellow" || f.colour == "green") {
        params.emplace_back(clock_.now());
        const auto now = params.size();
        where +=
            " AND " + stages(">=", now) + " AND " +
            (f.colour == "yellow" ? fmt::format("e.warn_at <= ${}", now)
                                  : fmt::format("(e.warn_at IS NULL OR e.warn_at > ${})", now));
    }
    if (f.node_id) {
        const auto p = grid_.path_of(*f.node_id);
        if (!p) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
        // under the top of the tree is every event with a place in it: a range over the whole
        // path index would be read and sorted, where the order's index finds the page at once
        const auto* n = grid_.snapshot()->node(*f.node_id);
        if (n && !n->parent)
            add("e.node_path <> ${}", std::string("/"));
        else
            add("e.node_path LIKE ${}", *p + "%");
    }
    if (f.department_id) {
        add("EXISTS (SELECT 1 FROM event_assignments a WHERE a.event_id = e.id AND "
            "a.department_id = ${})",
            *f.department_id);
    }
    // the viewer's scope, in SQL so that paging counts only what the viewer may see
    restrict_to(accounts::Scope::of(viewer, grid_), where, params);
    std::vector<Event> out;
    db_.read([&](store::Connection& c) {
        if (total) {
            *total =
                c.run("SELECT COUNT(*) AS n FROM events e " + where, params).front().integer("n");
        }
        auto paged = params;
        paged.emplace_back(std::int64_t{limit});
        paged.emplace_back(std::int64_t{offset});
        if (f.rows_only) {
            for (const auto& row :
                 c.run(fmt::format("SELECT e.* FROM events e {} ORDER BY e.reported_at DESC, e.id "
                                   "DESC LIMIT ${} OFFSET ${}",
                                   where, paged.size() - 1, paged.size()),
                       paged)
                     .rows)
                out.push_back(from_row(row));
            return;
        }
        for (const auto& row :
             c.run(fmt::format("SELECT e.id FROM events e {} ORDER BY e.reported_at DESC, e.id "
                               "DESC LIMIT ${} OFFSET ${}",
                               where, paged.size() - 1, paged.size()),
                   paged)
                 .rows) {
            out.push_back(*load(c, row.integer("id")));
        }
    });
    return out;
}

}  // namespace gridgov::events
