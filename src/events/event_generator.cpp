#include "events/event_generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

#include "core/error.hpp"
#include "events/event_service.hpp"
#include "geo/geometry.hpp"
#include "store/bulk_load.hpp"

namespace gridgov::events {

using store::Value;

namespace {

constexpr Millis kDayMs = 24 * kHour;
const std::vector<std::string> kTables{"events", "event_assignments"};

struct Place {
    std::int64_t node_id = 0;
    std::int64_t street_id = 0;
    std::string path;
    std::string name;
    geo::Box box;
};

// Channels and their shares of the intake.
constexpr std::array<std::pair<const char*, double>, 7> kChannels{{{"grid_worker", 0.45},
                                                                   {"hotline_12345", 0.20},
                                                                   {"resident", 0.14},
                                                                   {"digital_city", 0.10},
                                                                   {"patrol", 0.06},
                                                                   {"department", 0.03},
                                                                   {"open311", 0.02}}};

// Crockford's base32 of a bijection of the id on 50 bits (an odd multiplier, then a mask), both
// drawn at random for each run: unique, not in the order of the ids, and not the same on two
// installations (a tracking code is a secret of its reporter).
struct CodeKey {
    std::uint64_t multiplier;
    std::uint64_t mask;
};

CodeKey random_code_key() {
    std::random_device random;
    const auto draw = [&] { return (std::uint64_t{random()} << 32) ^ random(); };
    return {draw() | 1u, draw()};
}

std::string tracking_code(std::int64_t id, const CodeKey& key) {
    static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    const std::uint64_t bits =
        ((static_cast<std::uint64_t>(id) * key.multiplier) ^ key.mask) & ((1ull << 50) - 1);
    std::string code;
    for (int i = 0; i < 10; ++i) code += kAlphabet[(bits >> (5 * i)) & 31u];
    return code;
}

Value at_or_null(std::optional<Millis> t) {
    return t ? Value{*t} : Value{nullptr};
}

}  // namespace

GeneratedEvents generate_events(store::Database& db, grid::GridService& grid,
                                const Catalogue& catalogue, const FieldCipher& cipher,
                                const EventScale& scale, Millis now,
                                const std::function<void(std::string_view)>& progress) {
    GeneratedEvents out;
    const CodeKey code_key = random_code_key();
    // the grids and a box inside each (the middle half of its bounding box)
    std::vector<Place> places;
    const auto snapshot = grid.snapshot();
    for (int level : {5, 6}) {
        for (const auto& [node, shape] : snapshot->shapes_in(level, {-180, -90, 180, 90})) {
            if (snapshot->has_shaped_children(node->id)) continue;
            const auto path = snapshot->path(node->id);
            if (path.size() < 3) continue;
            Place p;
            p.node_id = node->id;
            p.street_id = path[2];
            p.name = node->name;
            for (const auto id : path) p.path += fmt::format("/{}", id);
            p.path += "/";
            const auto b = geo::bounding_box(*shape);
            const double dlon = (b.max_lon - b.min_lon) / 4, dlat = (b.max_lat - b.min_lat) / 4;
            p.box = {b.min_lon + dlon, b.min_lat + dlat, b.max_lon - dlon, b.max_lat - dlat};
            places.push_back(std::move(p));
        }
    }
    std::sort(places.begin(), places.end(),
              [](const auto& a, const auto& b) { return a.node_id < b.node_id; });
    if (places.empty()) throw Error(ErrorCode::conflict, "The grid tree has no grids with shapes.");
    out.grids = static_cast<std::int64_t>(places.size());
    std::vector<Category> categories;
    for (auto& c : catalogue.categories())
        if (c.parent_code) categories.push_back(std::move(c));
    if (categories.empty()) throw Error(ErrorCode::conflict, "The catalogue has no categories.");
    // the city management cases (城管, CG) are most of what comes in
    std::stable_partition(categories.begin(), categories.end(),
                          [](const Category& c) { return c.code.starts_with("CG"); });
    std::vector<std::int64_t> departments;
    std::int64_t next_event = 1, next_assignment = 1;
    db.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT id FROM departments ORDER BY id").rows)
            departments.push_back(row.integer("id"));
        next_event = c.run("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM events").front().integer("n");
        next_assignment = c.run("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM event_assignments")
                              .front()
                              .integer("n");
    });
    store::IndexDefinitions indexes;
    db.transact([&](store::Connection& c) {
        indexes = store::drop_secondary_indexes(c, kTables);
        if (c.dialect() == store::Dialect::sqlite) c.run_script("PRAGMA cache_size=-524288");
    });

    std::mt19937_64 rng(scale.seed);
    const auto uniform = [&] { return std::uniform_real_distribution<>(0, 1)(rng); };
    const auto chance = [&](double p) { return uniform() < p; };
    const auto between = [&](Millis lo, Millis hi) {
        return hi <= lo ? lo : std::uniform_int_distribution<Millis>(lo, hi)(rng);
    };
    // a few categories most of the time (a Zipf-like share by rank)
    std::vector<double> category_weights;
    for (std::size_t k = 0; k < categories.size(); ++k) category_weights.push_back(1.0 / (k + 1.0));
    std::discrete_distribution<std::size_t> pick_category(category_weights.begin(),
                                                          category_weights.end());
    std::vector<double> channel_weights;
    for (const auto& [name, share] : kChannels) channel_weights.push_back(share);
    std::discrete_distribution<std::size_t> pick_channel(channel_weights.begin(),
                                                         channel_weights.end());
    // busier hours of the day (08:00–20:00 China time)
    const auto time_of_day = [&] {
        const int hour =
            chance(0.85) ? 8 + static_cast<int>(uniform() * 12) : static_cast<int>(uniform() * 24);
        return hour * kHour + between(0, kHour - 1);
    };

    store::BatchInsert events("events", {"id",
                                         "tracking_code",
                                         "channel",
                                         "external_id",
                                         "title",
                                         "description",
                                         "category_code",
                                         "status",
                                         "priority",
                                         "lon",
                                         "lat",
                                         "address",
                                         "node_id",
                                         "node_path",
                                         "owner_node_id",
                                         "resolved_on_spot",
                                         "cancel_reason",
                                         "rework_count",
                                         "satisfaction",
                                         "reported_at",
                                         "accept_due",
                                         "dispatch_due",
                                         "handle_due",
                                         "accepted_at",
                                         "dispatched_at",
                                         "handled_at",
                                         "closed_at",
                                         "evaluated_at",
                                         "updated_at",
                                         "place_cell",
                                         "chain_head"});
    store::BatchInsert actions("event_actions",
                               {"event_id", "seq", "action", "actor_kind", "at", "from_status",
                                "to_status", "note", "data", "prev_hash", "hash", "chain_version"},
                               {&events});
    store::BatchInsert assignments("event_assignments",
                                   {"id", "event_id", "department_id", "status", "due",
                                    "dispatched_at", "signed_at", "handled_at"},
                                   {&events});
    const LocalDay today = local_day(now);
    constexpr std::int64_t kPerTransaction = 20'000;
    for (std::int64_t done = 0; done < scale.events; done += kPerTransaction) {
        db.transact([&](store::Connection& c) {
            const auto n = std::min(kPerTransaction, scale.events - done);
            for (std::int64_t k = 0; k < n; ++k) {
                const std::int64_t id = next_event++;
                const Place& place =
                    places[std::uniform_int_distribution<std::size_t>(0, places.size() - 1)(rng)];
                const Category& category = categories[pick_category(rng)];
                const std::string channel = kChannels[pick_channel(rng)].first;
                // oldest first, as ids follow time in life: a day's events lie together
                const LocalDay day =
                    today - scale.days + 1 + (done + k) * scale.days / scale.events;
                const Millis reported = std::min(now - kMinute, start_of(day) + time_of_day());
                const double age_days = static_cast<double>(now - reported) / kDayMs;
                const int priority = category.priority.value_or(3);
                const Millis accept_due = reported + kHour;
                const Millis dispatch_due = reported + 2 * kHour;
                const Millis handle_due = reported + (priority <= 1 ? 1 : 3) * kDayMs;
                const geo::LonLat at{
                    place.box.min_lon + uniform() * (place.box.max_lon - place.box.min_lon),
                    place.box.min_lat + uniform() * (place.box.max_lat - place.box.min_lat)};

                std::string status;
                std::optional<std::string> cancel_reason, satisfaction;
                std::optional<Millis> accepted, dispatched, signed_at, handled, closed, evaluated;
                bool on_spot = false;
                int rework = 0;
                const auto capped = [&](Millis t) { return std::min(t, now); };
                if (chance(0.04)) {
                    status = "cancelled";
                    cancel_reason = chance(0.6)   ? "duplicate"
                                    : chance(0.7) ? "invalid"
                                                  : "out_of_scope";
                    accepted = capped(reported + between(5 * kMinute, kHour));
                } else {
                    on_spot = channel == "grid_worker" && chance(0.2);
                    const double closed_share = std::min(0.97, age_days / 7 * 0.97);
                    const bool is_closed = chance(closed_share);
                    // how far an open one has come
                    const double stage = is_closed ? 1.0 : uniform();
                    accepted = capped(reported + between(5 * kMinute, 2 * kHour));
                    if (!on_spot && (is_closed || stage > 0.2))
                        dispatched = capped(*accepted + between(5 * kMinute, 2 * kHour));
                    if (dispatched && (is_closed || stage > 0.45))
                        signed_at = capped(*dispatched + between(5 * kMinute, 3 * kHour));
                    // most are handled within the three days; some late
                    const Millis handling = chance(0.9) ? between(2 * kHour, 2 * kDayMs)
                                                        : between(3 * kDayMs, 8 * kDayMs);
                    if (on_spot)
                        handled = reported;
                    else if (signed_at && (is_closed || stage > 0.8))
                        handled = capped(reported + handling);
                    if (is_closed) {
                        handled = handled ? handled : capped(reported + handling);
                        closed = capped(*handled + between(kHour, kDayMs));
                        rework = chance(0.06) ? 1 : 0;
                        if (age_days > 2 && chance(0.6)) {
                            evaluated = capped(*closed + between(kHour, 2 * kDayMs));
                            const double s = uniform();
                            satisfaction = s < 0.82   ? "satisfied"
                                           : s < 0.94 ? "basically_satisfied"
                                                      : "unsatisfied";
                        }
                    }
                    status = evaluated     ? "evaluated"
                             : closed      ? "closed"
                             : handled     ? "handled"
                             : signed_at   ? "in_progress"
                             : dispatched  ? "dispatched"
                             : stage > 0.1 ? "accepted"
                                           : "reported";
                    if (status == "reported") accepted.reset();
                }
                Millis updated = reported;
                for (const auto& t : {accepted, dispatched, signed_at, handled, closed, evaluated})
                    if (t) updated = std::max(updated, *t);
                const bool external =
                    channel == "hotline_12345" || channel == "digital_city" || channel == "open311";
                const std::string description =
                    fmt::format("{}：{}附近", category.name, place.name);
                // the chain of what happened, as far as it came, ending in the event's status
                std::vector<ActionRecord> chain;
                const auto step = [&](const char* action, Millis t, const std::string& to,
                                      std::string note = {}, std::string data = "{}") {
                    ActionRecord a;
                    a.seq = static_cast<int>(chain.size()) + 1;
                    a.action = action;
                    a.actor_kind = "system";
                    a.at = t;
                    if (!chain.empty()) a.from_status = chain.back().to_status;
                    a.to_status = to;
                    a.note = std::move(note);
                    a.data = std::move(data);
                    a.chain_version = kChainVersion;
                    a.hash =
                        action_hash(kChainVersion,
                                    chain.empty() ? std::string(kChainGenesis) : chain.back().hash,
                                    id, a, cipher);
                    chain.push_back(std::move(a));
                };
                step("report", reported, "reported", description);
                if (on_spot) step("resolve_on_spot", reported, "handled");
                if (status == "cancelled") {
                    step("cancel", *accepted, "cancelled", "",
                         fmt::format("{{\"reason\":\"{}\"}}", *cancel_reason));
                } else {
                    if (accepted && !on_spot) step("accept", *accepted, "accepted");
                    if (dispatched) step("dispatch", *dispatched, "dispatched");
                    if (signed_at) step("sign", *signed_at, "in_progress");
                    if (handled && !on_spot) step("handle", *handled, "handled");
                    if (closed) step("verify", *closed, "closed", "", "{\"passed\":true}");
                    if (evaluated)
                        step("evaluate", *evaluated, "evaluated", "",
                             fmt::format("{{\"satisfaction\":\"{}\"}}", *satisfaction));
                }
                events.add(c, {id,
                               tracking_code(id, code_key),
                               channel,
                               external ? Value{fmt::format("G{}", id)} : Value{nullptr},
                               category.name,
                               description,
                               category.code,
                               status,
                               std::int64_t{priority},
                               at.lon,
                               at.lat,
                               nullptr,
                               place.node_id,
                               place.path,
                               place.street_id,
                               std::int64_t{on_spot ? 1 : 0},
                               cancel_reason ? Value{*cancel_reason} : Value{nullptr},
                               std::int64_t{rework},
                               satisfaction ? Value{*satisfaction} : Value{nullptr},
                               reported,
                               accept_due,
                               dispatch_due,
                               handle_due,
                               at_or_null(accepted),
                               at_or_null(dispatched),
                               at_or_null(handled),
                               at_or_null(closed),
                               at_or_null(evaluated),
                               updated,
                               place_cell(at),
                               chain.back().hash});
                // after its event, which the actions refer to
                for (const auto& a : chain)
                    actions.add(c, {id, std::int64_t{a.seq}, a.action, a.actor_kind, a.at,
                                    a.from_status ? Value{*a.from_status} : Value{nullptr},
                                    a.to_status, a.note, a.data,
                                    a.seq == 1 ? std::string(kChainGenesis)
                                               : chain[static_cast<std::size_t>(a.seq) - 2].hash,
                                    a.hash, std::int64_t{kChainVersion}});
                if (dispatched && !departments.empty()) {
                    const int summoned = chance(0.1) && departments.size() > 1 ? 2 : 1;
                    const auto first = static_cast<std::size_t>(
                        std::hash<std::string>{}(category.code) % departments.size());
                    for (int a = 0; a < summoned; ++a) {
                        const auto department = departments[(first + a) % departments.size()];
                        const char* a_status = handled     ? "handled"
                                               : signed_at ? "in_progress"
                                                           : "dispatched";
                        assignments.add(c,
                                        {next_assignment++, id, department, a_status, handle_due,
                                         *dispatched, at_or_null(signed_at), at_or_null(handled)});
                    }
                }
            }
            events.flush(c);
            assignments.flush(c);
            actions.flush(c);
        });
        if (progress && (done / kPerTransaction) % 25 == 0)
            progress(fmt::format("{} of {} events", events.written(), scale.events));
    }
    out.events = events.written();
    out.assignments = assignments.written();
    out.actions = actions.written();
    if (progress) progress(fmt::format("making {} indexes again", indexes.size()));
    db.transact([&](store::Connection& c) {
        store::advance_id_sequences(c, kTables);
        store::make_indexes(c, indexes);
    });
    db.transact([&](store::Connection& c) {
        c.run_script("ANALYZE events; ANALYZE event_assignments; ANALYZE event_actions");
    });
    return out;
}

}  // namespace gridgov::events
