#include "events/city_simulation.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/error.hpp"

namespace gridgov::events {

namespace {

constexpr std::array<const char*, 6> kWhat{"占道经营", "垃圾堆放", "路灯不亮",
                                           "井盖破损", "违章停车", "噪音扰民"};

}  // namespace

CitySimulation::CitySimulation(store::Database& db, EventService& events, grid::GridService& grid,
                               const Catalogue& catalogue, std::int64_t area,
                               accounts::Principal centre, std::vector<accounts::Principal> workers,
                               std::int64_t handler_id, SimulationPace pace)
    : db_(db),
      events_(events),
      area_path_(grid.path_of(area).value_or("/")),
      centre_(std::move(centre)),
      workers_(std::move(workers)),
      handler_id_(handler_id),
      pace_(pace),
      rng_(pace.seed) {
    const auto snapshot = grid.snapshot();
    for (int level : {5, 6}) {
        for (const auto& [node, shape] : snapshot->shapes_in(level, {-180, -90, 180, 90})) {
            if (snapshot->has_shaped_children(node->id) || !snapshot->is_within(node->id, area))
                continue;
            const auto b = geo::bounding_box(*shape);
            const double dlon = (b.max_lon - b.min_lon) / 4, dlat = (b.max_lat - b.min_lat) / 4;
            Grid g{node->id,
                   {b.min_lon + dlon, b.min_lat + dlat, b.max_lon - dlon, b.max_lat - dlat},
                   nullptr};
            for (const auto& w : workers_)
                if (w.scope_node_id == node->id) g.worker = &w;
            grids_.push_back(g);
        }
    }
    std::sort(grids_.begin(), grids_.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    for (const auto& c : catalogue.categories())
        if (c.parent_code && c.code.starts_with("CG")) categories_.push_back(c.code);
    if (grids_.empty() || categories_.empty())
        throw Error(ErrorCode::conflict, "The area has no grids with shapes, or no categories.");
}

Millis CitySimulation::delay(std::int64_t id, Status status) const {
    // the same wait for an event's step every time it is asked, so a pass can look again
    std::mt19937_64 r(static_cast<std::uint64_t>(id) * 31 + static_cast<std::uint64_t>(status));
    const auto between = [&](Millis lo, Millis hi) {
        return std::uniform_int_distribution<Millis>(lo, hi)(r);
    };
    Millis life = 0;  // how long it takes in life
    switch (status) {
        case Status::reported:
            life = between(1, 4) * kMinute;
            break;
        case Status::accepted:
            life = between(2, 8) * kMinute;
            break;
        case Status::dispatched:
            life = between(5, 30) * kMinute;
            break;
        case Status::in_progress:
            life = between(20, 180) * kMinute;
            break;
        case Status::handled:
            life = between(10, 60) * kMinute;
            break;
        case Status::closed:
            life = between(30, 240) * kMinute;
            break;
        default:
            return -1;
    }
    return static_cast<Millis>(static_cast<double>(life) / std::max(0.01, pace_.speed));
}

const accounts::Principal& CitySimulation::handler(std::int64_t department_id,
                                                   const std::string& name) {
    auto [it, added] = handlers_.try_emplace(department_id);
    if (added) {
        it->second = {accounts::Principal::Kind::user, handler_id_,  "duty",       name + "值班员",
                      accounts::Role::dept_handler,    std::nullopt, department_id};
    }
    return it->second;
}

void CitySimulation::report(Millis now) {
    const auto& g = grids_[std::uniform_int_distribution<std::size_t>(0, grids_.size() - 1)(rng_)];
    const auto uniform = [&] { return std::uniform_real_distribution<>(0, 1)(rng_); };
    NewEvent in;
    const std::string what =
        kWhat[static_cast<std::size_t>(uniform() * kWhat.size()) % kWhat.size()];
    in.category_code =
        categories_[std::min(categories_.size() - 1,
                             static_cast<std::size_t>(uniform() * uniform() * categories_.size()))];
    in.location = geo::LonLat{g.box.min_lon + uniform() * (g.box.max_lon - g.box.min_lon),
                              g.box.min_lat + uniform() * (g.box.max_lat - g.box.min_lat)};
    const double who = uniform();
    const accounts::Principal* actor = nullptr;
    if (g.worker && who < 0.55) {
        in.channel = "grid_worker";
        actor = g.worker;
        in.resolved_on_spot = uniform() < 0.15;
    } else if (who < 0.8) {
        in.channel = "hotline_12345";
        in.external_id = fmt::format("SIM-{}-{}", now, static_cast<unsigned>(rng_() % 100000));
        actor = &centre_;
    } else {
        in.channel = "resident";
    }
    in.title = what;
    in.description = fmt::format("{}，请尽快处理", what);
    events_.report(in, actor, origin_);
}

bool CitySimulation::advance(std::int64_t id, Status status, Millis since, Millis now) {
    const Millis wait = delay(id, status);
    if (wait < 0 || now < since + wait) return false;
    std::mt19937_64 r(static_cast<std::uint64_t>(id) * 17 + static_cast<std::uint64_t>(since));
    const double roll = std::uniform_real_distribution<>(0, 1)(r);
    StepRequest step;
    const accounts::Principal* actor = &centre_;
    switch (status) {
        case Status::reported:
            if (roll < 0.03) {
                step.step = Step::cancel;
                step.cancel_reason = "invalid";
                step.note = "经核实不属实";
            } else {
                step.step = Step::accept;
            }
            break;
        case Status::accepted:
            step.step = Step::dispatch;
            break;
        case Status::dispatched:
        case Status::in_progress: {
            // each department with a part to do: signs, then handles
            const auto e = events_.get(id, &centre_);
            for (const auto& a : e.assignments) {
                if (a.status != "dispatched" && a.status != "in_progress") continue;
                StepRequest part;
                part.step = a.status == "dispatched" ? Step::sign : Step::handle;
                if (part.step == Step::handle) part.note = "已处置完毕";
                events_.step(id, part, &handler(a.department_id, a.department_name), origin_);
                return true;
            }
            return false;
        }
        case Status::handled:
            step.step = Step::verify;
            step.passed = roll >= 0.05;  // now and then the work is sent back
            break;
        case Status::closed:
            step.step = Step::evaluate;
            step.satisfaction = roll < 0.85   ? "satisfied"
                                : roll < 0.96 ? "basically_satisfied"
                                              : "unsatisfied";
            break;
        default:
            return false;
    }
    events_.step(id, step, actor, origin_);
    return true;
}

SimulationPass CitySimulation::tick(Millis now) {
    SimulationPass pass;
    if (last_ == 0) last_ = now;
    owed_ += pace_.reports_per_minute * static_cast<double>(now - last_) / kMinute;
    last_ = now;
    for (; owed_ >= 1; owed_ -= 1) {
        try {
            report(now);
            ++pass.reported;
        } catch (const Error& e) {
            spdlog::warn("simulated report refused: {}", e.what());
        }
    }
    // the events of the last day move on (an older backlog stays as it is)
    std::vector<std::tuple<std::int64_t, std::string, Millis>> open;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run("SELECT id, status, updated_at FROM events WHERE status IN ('reported', "
                   "'accepted', 'dispatched', 'in_progress', 'handled', 'closed') AND node_path "
                   "LIKE $1 AND reported_at >= $2 ORDER BY updated_at LIMIT 300",
                   {area_path_ + "%", now - 24 * kHour})
                 .rows)
            open.emplace_back(row.integer("id"), row.text("status"), row.integer("updated_at"));
    });
    for (const auto& [id, status, since] : open) {
        try {
            if (advance(id, *parse_status(status), since, now)) ++pass.stepped;
        } catch (const Error& e) {  // someone else moved it meanwhile: the next pass looks again
            spdlog::debug("simulated step on event {} skipped: {}", id, e.what());
        }
    }
    return pass;
}

}  // namespace gridgov::events
