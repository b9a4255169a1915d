// The live figures of the event closed loop over HTTP: a node's figures for a period split as
// asked, the departments' figures, what stands now by status and category (whole or per node of a
// level), trend points, and an event stream that pushes a node's figures when they change.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>

#include "analytics/figures_scope.hpp"
#include "core/error.hpp"
#include "events/lifecycle.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"

namespace gridgov::http {

namespace json = boost::json;
using analytics::Figures;
using analytics::Split;

namespace {

json::value rate(const std::optional<double>& r) {
    return r ? json::value(std::round(*r * 10000.0) / 10000.0) : json::value(nullptr);
}

json::object figures_json(const Figures& f) {
    return {{"intake", f.intake},
            {"cancelled", f.cancelled},
            {"accepted", f.accepted},
            {"resolved_on_spot", f.resolved_on_spot},
            {"should_close", f.should_close},
            {"closed", f.closed},
            {"closed_on_time", f.closed_on_time},
            {"reworked", f.reworked},
            {"open", f.open},
            {"overdue", f.overdue},
            {"evaluated", f.evaluated},
            {"satisfied", f.satisfied},
            {"closure_rate", rate(f.closure_rate())},
            {"on_time_closure_rate", rate(f.on_time_closure_rate())},
            {"rework_rate", rate(f.rework_rate())},
            {"satisfaction_rate", rate(f.satisfaction_rate())}};
}

// ?since= and ?until= as days ("2026-11-23", China time), today by default; at most ten years.
std::pair<LocalDay, LocalDay> query_period(const Request& r, Millis now) {
    const auto day = [&](const char* name, LocalDay fallback) {
        const auto text = r.query_param(name);
        if (!text || text->empty()) return fallback;
        const auto d = parse_day(*text);
        if (!d) throw Error(ErrorCode::invalid_field, "A day is written 2026-11-23.", name);
        return *d;
    };
    const auto today = local_day(now);
    const auto until = day("until", today);
    const auto since = day("since", until);
    if (since > until)
        throw Error(ErrorCode::invalid_field, "The period starts before it ends.", "since");
    if (until - since > 3660)
        throw Error(ErrorCode::invalid_field, "A period is at most ten years.", "since");
    return {since, until};
}

std::string node_name(const Services& s, std::int64_t id) {
    const auto snapshot = s.grid.snapshot();
    const auto* n = snapshot->node(id);
    return n ? n->name : std::string();
}

std::string category_name(const Services& s, const std::string& code) {
    if (code.empty()) return "未分类";
    const auto c = s.catalogue.category(code);
    return c ? c->name : code;
}

// A node's figures of today and what stands now: what the event stream pushes.
json::object summary_json(const Services& s, std::int64_t node) {
    const auto today = local_day(s.clock.now());
    const auto figures = s.figures.figures(node, today, today, Split::none).total;
    json::object by_status;
    for (const auto& row : s.figures.stock(node, std::nullopt, false))
        by_status[row.status] = row.count;
    const auto now = s.figures.open_now(node);
    return {{"node_id", node},
            {"day", day_string(today)},
            {"today", figures_json(figures)},
            {"open_now", now.open},
            {"overdue_now", now.overdue},
            {"by_status", std::move(by_status)},
            {"version", s.figures.version()}};
}

// Pushes a node's summary when the figures moved, at most once a second, and a comment every
// fifteen seconds so that proxies keep the connection.
class FiguresStream final : public EventStream {
  public:
    FiguresStream(const Services& s, std::int64_t node) : s_(s), node_(node) {}
    std::optional<std::string> next() override {
        if (!s_.figures.ready()) return std::string();
        const auto now = std::chrono::steady_clock::now();
        const auto version = s_.figures.version();
        if (version != sent_ && now - last_ >= std::chrono::seconds(1)) {
            sent_ = version;
            last_ = now;
            return fmt::format("event: figures\ndata: {}\n\n",
                               json::serialize(summary_json(s_, node_)));
        }
        if (now - last_ >= std::chrono::seconds(15)) {
            last_ = now;
            return std::string(": still here\n\n");
        }
        return std::string();
    }
    std::chrono::milliseconds interval() const override { return std::chrono::milliseconds(250); }

  private:
    Services s_;
    std::int64_t node_;
    std::uint64_t sent_ = ~std::uint64_t{0};
    std::chrono::steady_clock::time_point last_{};
};

// The node a request asks about (?node_id, within the viewer's scope), once the figures are
// counted.
std::int64_t asked_node(const Services& s, const Request& r) {
    if (!s.figures.ready())
        throw Error(ErrorCode::unavailable, "The figures are being counted; ask again shortly.");
    return analytics::figures_node(s.grid, *r.principal, query_int(r, "node_id", 1, INT64_MAX));
}

}  // namespace

void add_figure_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/figures", Access::authenticated,
        [s](Request& r) {
            const auto node = asked_node(s, r);
            const auto [since, until] = query_period(r, s.clock.now());
            const auto by_text = r.query_param("by").value_or("none");
            const auto by = analytics::parse_split(by_text);
            if (!by)
                throw Error(ErrorCode::invalid_field,
                            "Split by none, child, grid, category, channel, day, week or month.",
                            "by");
            const auto answer = s.figures.figures(node, since, until, *by);
            json::array groups;
            for (const auto& g : answer.groups) {
                json::object o = figures_json(g.figures);
                o["key"] = g.key;
                if (*by == Split::child || *by == Split::grid)
                    o["name"] = node_name(s, std::stoll(g.key));
                else if (*by == Split::category)
                    o["name"] = category_name(s, g.key);
                else if (*by == Split::channel)
                    o["name"] = std::string(events::channel_label_zh(g.key).value_or(g.key));
                groups.push_back(std::move(o));
            }
            return Response::json(200, json::object{{"node_id", node},
                                                    {"name", node_name(s, node)},
                                                    {"since", day_string(since)},
                                                    {"until", day_string(until)},
                                                    {"by", by_text},
                                                    {"total", figures_json(answer.total)},
                                                    {"groups", std::move(groups)}});
        },
        "The figures of the events reported under a node in a period (days, China time; today by "
        "default): intake, cases filed, closures, closure rate, on-time closure rate, rework "
        "rate, satisfaction, open and overdue now; split by child node, grid, category, channel, "
        "day, week or month");

    router.add(
        "GET", "/api/v1/figures/departments", Access::authenticated,
        [s](Request& r) {
            const auto node = asked_node(s, r);
            const auto [since, until] = query_period(r, s.clock.now());
            std::map<std::int64_t, std::string> names;
            for (const auto& d : s.departments.list(std::nullopt, std::nullopt, nullptr))
                names[d.id] = d.name;
            json::array items;
            for (const auto& g : s.figures.departments(node, since, until)) {
                const auto& f = g.figures;
                items.push_back(json::object{{"department_id", g.department_id},
                                             {"name", names[g.department_id]},
                                             {"dispatched", f.dispatched},
                                             {"handled", f.handled},
                                             {"handled_on_time", f.handled_on_time},
                                             {"returned", f.returned},
                                             {"open", f.open},
                                             {"overdue", f.overdue},
                                             {"on_time_rate", rate(f.on_time_rate())}});
            }
            return Response::json(200, json::object{{"node_id", node},
                                                    {"since", day_string(since)},
                                                    {"until", day_string(until)},
                                                    {"items", std::move(items)}});
        },
        "Each department's assignments for events under a node: dispatched, handled, handled on "
        "time, returned in the period; open and overdue now");

    router.add(
        "GET", "/api/v1/figures/status", Access::authenticated,
        [s](Request& r) {
            const auto node = asked_node(s, r);
            const auto level = query_int(r, "level", 1, 6);
            const bool by_category = r.query_param("by_category").value_or("false") == "true";
            const auto rows = s.figures.stock(
                node, level ? std::optional<int>(static_cast<int>(*level)) : std::nullopt,
                by_category);
            // rows of [node_id, status, category, count, overdue]: a city by street and category
            // is a hundred thousand of them
            json::array out;
            out.reserve(rows.size());
            std::map<std::int64_t, std::string> nodes;
            std::map<std::string, std::string> categories;
            for (const auto& row : rows) {
                json::array a;
                a.reserve(5);
                if (row.node_id) {
                    a.emplace_back(*row.node_id);
                    if (!nodes.contains(*row.node_id))
                        nodes[*row.node_id] = node_name(s, *row.node_id);
                } else {
                    a.emplace_back(node);
                }
                a.emplace_back(row.status);
                a.emplace_back(row.category);
                a.emplace_back(row.count);
                a.emplace_back(row.overdue);
                if (by_category && !categories.contains(row.category))
                    categories[row.category] = category_name(s, row.category);
                out.push_back(std::move(a));
            }
            json::object node_names, category_names;
            for (const auto& [id, name] : nodes) node_names[std::to_string(id)] = name;
            for (const auto& [code, name] : categories) category_names[code] = name;
            return Response::json(
                200, json::object{{"node_id", node},
                                  {"columns", json::array{"node_id", "status", "category", "count",
                                                          "overdue"}},
                                  {"rows", std::move(out)},
                                  {"nodes", std::move(node_names)},
                                  {"categories", std::move(category_names)},
                                  {"version", s.figures.version()}});
        },
        "What stands now under a node: events by status (and category with by_category=true), "
        "whole or for each node of a level under it, with how many of them are overdue");

    router.add(
        "GET", "/api/v1/figures/trend", Access::authenticated,
        [s](Request& r) {
            const auto node = asked_node(s, r);
            auto [since, until] = query_period(r, s.clock.now());
            if (!r.query_param("since")) since = until - 29;  // a month of days by default
            const auto by_text = r.query_param("by").value_or("day");
            const auto by = analytics::parse_split(by_text);
            if (!by || (*by != Split::day && *by != Split::week && *by != Split::month))
                throw Error(ErrorCode::invalid_field, "Points by day, week or month.", "by");
            json::array points;
            for (const auto& p : s.figures.flow(node, since, until, *by))
                points.push_back(
                    json::object{{"key", p.key}, {"reported", p.reported}, {"closed", p.closed}});
            return Response::json(200, json::object{{"node_id", node},
                                                    {"since", day_string(since)},
                                                    {"until", day_string(until)},
                                                    {"by", by_text},
                                                    {"points", std::move(points)}});
        },
        "Reports and closures under a node per day, week or month (the last 30 days by default)");

    router.add(
        "GET", "/api/v1/figures/stream", Access::authenticated,
        [s](Request& r) {
            const auto node = analytics::figures_node(s.grid, *r.principal,
                                                      query_int(r, "node_id", 1, INT64_MAX));
            return Response::event_stream(std::make_shared<FiguresStream>(s, node));
        },
        "Server-Sent Events: the node's figures of today and what stands now (event "
        "\"figures\"), sent at once and again within a second of any change");
}

}  // namespace gridgov::http
