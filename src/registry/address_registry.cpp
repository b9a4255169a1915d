#include "registry/address_registry.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "core/error.hpp"
#include "core/working_calendar.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::registry {

using store::Value;

namespace {

constexpr std::array<std::string_view, 6> kLevels{"road",     "house", "compound",
                                                  "building", "unit",  "room"};

int level_rank(std::string_view level) {
    for (std::size_t i = 0; i < kLevels.size(); ++i) {
        if (kLevels[i] == level) return static_cast<int>(i);
    }
    return -1;
}

constexpr const char* kColumns =
    "id, parent_id, level, name, full_name, lon, lat, node_id, node_corrected, floor, room_use, "
    "area_m2, state, updated_at, version";

Address address_from(const store::Row& row) {
    Address a;
    a.id = row.integer("id");
    a.parent_id = row.opt_integer("parent_id");
    a.level = row.text("level");
    a.name = row.text("name");
    a.full_name = row.text("full_name");
    if (!row.is_null("lon")) a.location = geo::LonLat{row.real("lon"), row.real("lat")};
    a.node_id = row.opt_integer("node_id");
    a.node_corrected = row.integer("node_corrected") != 0;
    if (const auto f = row.opt_integer("floor")) a.floor = static_cast<int>(*f);
    a.room_use = row.opt_text("room_use");
    if (!row.is_null("area_m2")) a.area_m2 = row.real("area_m2");
    a.state = row.text("state");
    a.updated_at = row.integer("updated_at");
    a.version = static_cast<int>(row.integer("version"));
    return a;
}

void check_room_fields(const AddressFields& f, std::string_view level) {
    if (level != "room" && (f.floor || f.room_use || f.area_m2))
        throw Error(ErrorCode::invalid_field, "Only a room has a floor, a use and an area.",
                    f.floor      ? "floor"
                    : f.room_use ? "room_use"
                                 : "area_m2");
    if (f.room_use && *f.room_use != "self_occupied" && *f.room_use != "rented" &&
        *f.room_use != "vacant" && *f.room_use != "business")
        throw Error(ErrorCode::invalid_field,
                    "A room is self_occupied, rented, vacant or business.", "room_use");
    if (f.floor && (*f.floor < -10 || *f.floor > 200))
        throw Error(ErrorCode::invalid_field, "The floor is -10 to 200.", "floor");
    if (f.area_m2 && (!std::isfinite(*f.area_m2) || *f.area_m2 <= 0 || *f.area_m2 > 100000))
        throw Error(ErrorCode::invalid_field, "The area is 0 to 100,000 m².", "area_m2");
}

}  // namespace

AddressRegistry::AddressRegistry(store::Database& db, accounts::AuditLog& audit,
                                 grid::GridService& grid, const Clock& clock)
    : db_(db), audit_(audit), grid_(grid), clock_(clock) {}

bool AddressRegistry::in_scope(const std::optional<std::int64_t>& node,
                               const accounts::Principal& viewer) const {
    const auto scope = accounts::Scope::of(viewer, grid_);
    if (!scope.reads(accounts::Area::registry)) return false;
    return scope.whole_tree() || (node && scope.covers(*node, grid_));
}

Address AddressRegistry::load(store::Connection& c, std::int64_t id,
                              const accounts::Principal& viewer) const {
    const auto rows = c.run(fmt::format("SELECT {} FROM addresses WHERE id = $1", kColumns), {id});
    if (rows.empty()) throw Error(ErrorCode::not_found, "No such address.");
    auto a = address_from(rows.front());
    if (!in_scope(a.node_id, viewer)) throw Error(ErrorCode::not_found, "No such address.");
    return a;
}

Address AddressRegistry::add(const AddressFields& f, const accounts::Principal& actor,
                             const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (!f.level) throw Error(ErrorCode::missing_field, "Say the level.", "level");
    const int rank = level_rank(*f.level);
    if (rank < 0)
        throw Error(ErrorCode::invalid_field,
                    "The level is road, house, compound, building, unit or room.", "level");
    if (!f.name || f.name->empty() || utf8_length(*f.name) > 60)
        throw Error(ErrorCode::invalid_field, "A name has 1 to 60 characters.", "name");
    check_room_fields(f, *f.level);
    if (f.node_id && actor.role != accounts::Role::admin && actor.role != accounts::Role::center)
        throw Error(ErrorCode::forbidden, "A centre corrects the grid of an address.", "node_id");
    Address out;
    db_.transact([&](store::Connection& c) {
        std::optional<Address> parent;
        if (f.parent_id) {
            // a road crosses many grids: any address may be a parent; the new one's own grid is
            // what must be in the adder's scope
            const auto rows = c.run(fmt::format("SELECT {} FROM addresses WHERE id = $1", kColumns),
                                    {*f.parent_id});
            if (rows.empty())
                throw Error(ErrorCode::invalid_field, "No such address.", "parent_id");
            parent = address_from(rows.front());
            if (level_rank(parent->level) >= rank)
                throw Error(ErrorCode::invalid_field,
                            fmt::format("A {} does not go under a {}.", *f.level, parent->level),
                            "parent_id");
        } else if (*f.level != "road" && *f.level != "compound") {
            throw Error(ErrorCode::missing_field, "Say what it is part of.", "parent_id");
        }
        // the grid: as corrected, else where the point is, else the parent's, else the adder's
        std::optional<std::int64_t> node = f.node_id;
        if (!node && f.location) {
            if (const auto found = grid_.snapshot()->locate(*f.location)) node = found->node_id;
        }
        if (!node && parent) node = parent->node_id;
        // a road or compound without a point is recorded in the area of whoever adds it
        if (!node && !parent) node = actor.scope_node_id;
        std::string path = "/";
        if (node) {
            const auto p = grid_.path_of(*node);
            if (!p) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
            path = *p;
        }
        if (!in_scope(node, actor))
            throw Error(ErrorCode::forbidden, "The address is outside your scope.", "location");
        const Millis now = clock_.now();
        const std::string full = (parent ? parent->full_name : std::string()) + *f.name;
        try {
            const auto id =
                c.run(
                     "INSERT INTO addresses (parent_id, level, name, full_name, lon, lat, node_id, "
                     "node_path, node_corrected, floor, room_use, area_m2, collected_by, "
                     "collected_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                     "$11, $12, $13, $14, $14) RETURNING id",
                     {f.parent_id ? Value{*f.parent_id} : Value{nullptr}, *f.level, *f.name, full,
                      f.location ? Value{f.location->lon} : Value{nullptr},
                      f.location ? Value{f.location->lat} : Value{nullptr},
                      node ? Value{*node} : Value{nullptr}, path, std::int64_t{f.node_id ? 1 : 0},
                      f.floor ? Value{std::int64_t{*f.floor}} : Value{nullptr},
                      f.room_use ? Value{*f.room_use} : Value{nullptr},
                      f.area_m2 ? Value{*f.area_m2} : Value{nullptr}, user_of(actor), now})
                    .front()
                    .integer("id");
            out = load(c, id, actor);
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict)
                throw Error(ErrorCode::conflict, "That name is taken under the same parent.",
                            "name");
            throw;
        }
        audit_.record(c, &actor, origin, "address_added", fmt::format("address:{}", out.id), "ok");
    });
    return out;
}

Address AddressRegistry::update(std::int64_t id, const AddressFields& f, int expected_version,
                                const accounts::Principal& actor,
                                const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (f.level || f.parent_id)
        throw Error(ErrorCode::invalid_field, "An address keeps its level and parent.",
                    f.level ? "level" : "parent_id");
    if (f.name && (f.name->empty() || utf8_length(*f.name) > 60))
        throw Error(ErrorCode::invalid_field, "A name has 1 to 60 characters.", "name");
    if (f.node_id && actor.role != accounts::Role::admin && actor.role != accounts::Role::center)
        throw Error(ErrorCode::forbidden, "A centre corrects the grid of an address.", "node_id");
    Address out;
    db_.transact([&](store::Connection& c) {
        const Address before = load(c, id, actor);
        if (before.version != expected_version) throw Error(ErrorCode::version_conflict);
        check_room_fields(f, before.level);
        std::string full = before.full_name;
        if (f.name && *f.name != before.name) {
            if (!c.run("SELECT 1 FROM addresses WHERE parent_id = $1 LIMIT 1", {id}).empty())
                throw Error(ErrorCode::conflict,
                            "An address with addresses under it keeps its name.", "name");
            full = full.substr(0, full.size() - before.name.size()) + *f.name;
        }
        std::optional<std::int64_t> node = before.node_id;
        bool corrected = before.node_corrected;
        if (f.node_id) {
            node = f.node_id;
            corrected = true;
        } else if (f.location && !before.node_corrected) {
            if (const auto found = grid_.snapshot()->locate(*f.location)) node = found->node_id;
        }
        std::string path = "/";
        if (node) {
            const auto p = grid_.path_of(*node);
            if (!p) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
            path = *p;
        }
        if (!in_scope(node, actor))
            throw Error(ErrorCode::forbidden, "The address is outside your scope.", "location");
        const auto location = f.location ? f.location : before.location;
        const auto r = c.run(
            "UPDATE addresses SET name = $1, full_name = $2, lon = $3, lat = $4, node_id = $5, "
            "node_path = $6, node_corrected = $7, floor = $8, room_use = $9, area_m2 = $10, "
            "state = 'collected', updated_at = $11, version = version + 1 WHERE id = $12 AND "
            "version = $13",
            {f.name.value_or(before.name), full, location ? Value{location->lon} : Value{nullptr},
             location ? Value{location->lat} : Value{nullptr}, node ? Value{*node} : Value{nullptr},
             path, std::int64_t{corrected ? 1 : 0},
             f.floor ? Value{std::int64_t{*f.floor}}
                     : (before.floor ? Value{std::int64_t{*before.floor}} : Value{nullptr}),
             f.room_use ? Value{*f.room_use}
                        : (before.room_use ? Value{*before.room_use} : Value{nullptr}),
             f.area_m2 ? Value{*f.area_m2}
                       : (before.area_m2 ? Value{*before.area_m2} : Value{nullptr}),
             clock_.now(), id, std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "address_changed", fmt::format("address:{}", id), "ok");
    });
    return out;
}

Address AddressRegistry::get(std::int64_t id, const accounts::Principal& viewer) {
    Address out;
    db_.read([&](store::Connection& c) { out = load(c, id, viewer); });
    return out;
}

std::vector<Address> AddressRegistry::list(std::optional<std::int64_t> parent_id,
                                           const std::optional<std::string>& q,
                                           const accounts::Principal& viewer, int limit) {
    using accounts::Role;
    if (viewer.role == Role::dept_handler || viewer.role == Role::volunteer)
        throw Error(ErrorCode::forbidden, "Your role does not see the registry.");
    std::string where;
    std::vector<Value> params;
    if (q) {
        params.emplace_back(*q + "%");
        where = "full_name LIKE $1";
    } else if (parent_id) {
        params.emplace_back(*parent_id);
        where = "parent_id = $1";
    } else {
        where = "parent_id IS NULL";
    }
    accounts::Scope::of(viewer, grid_).restrict(where, params, "node_path");
    params.emplace_back(std::int64_t{limit});
    std::vector<Address> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM addresses WHERE {} ORDER BY full_name LIMIT ${}",
                               kColumns, where, params.size()),
                   params)
                 .rows)
            out.push_back(address_from(row));
    });
    return out;
}

Residence AddressRegistry::move_in(std::int64_t person_id, std::int64_t room_id,
                                   const std::string& relation,
                                   const std::optional<std::string>& from_date,
                                   const accounts::Principal& actor,
                                   const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (relation != "owner" && relation != "family" && relation != "tenant" && relation != "other")
        throw Error(ErrorCode::invalid_field, "The relation is owner, family, tenant or other.",
                    "relation");
    if (from_date && !parse_day(*from_date))
        throw Error(ErrorCode::invalid_field, "The date is YYYY-MM-DD.", "from_date");
    Residence out;
    db_.transact([&](store::Connection& c) {
        const Address room = load(c, room_id, actor);
        if (room.level != "room")
            throw Error(ErrorCode::invalid_field, "People live in rooms.", "room_id");
        const auto person = c.run("SELECT name, node_id FROM people WHERE id = $1", {person_id});
        if (person.empty() || !in_scope(person.front().integer("node_id"), actor))
            throw Error(ErrorCode::not_found, "No such person.", "person_id");
        const auto id =
            c.run(
                 "INSERT INTO residences (person_id, room_id, relation, from_date, created_by, "
                 "created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                 {person_id, room_id, relation, from_date ? Value{*from_date} : Value{nullptr},
                  user_of(actor), clock_.now()})
                .front()
                .integer("id");
        out = {id,        person_id,      person.front().text("name"),
               room_id,   room.full_name, relation,
               from_date, std::nullopt};
        audit_.record(c, &actor, origin, "person_moved_in", fmt::format("person:{}", person_id),
                      "ok", fmt::format("address:{}", room_id));
    });
    return out;
}

void AddressRegistry::move_out(std::int64_t residence_id, const std::string& to_date,
                               const accounts::Principal& actor,
                               const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (!parse_day(to_date))
        throw Error(ErrorCode::invalid_field, "The date is YYYY-MM-DD.", "to_date");
    db_.transact([&](store::Connection& c) {
        const auto rows = c.run("SELECT room_id FROM residences WHERE id = $1 AND to_date IS NULL",
                                {residence_id});
        if (rows.empty()) throw Error(ErrorCode::not_found, "No such current residence.");
        (void)load(c, rows.front().integer("room_id"), actor);
        c.run("UPDATE residences SET to_date = $1 WHERE id = $2", {to_date, residence_id});
        audit_.record(c, &actor, origin, "person_moved_out",
                      fmt::format("residence:{}", residence_id), "ok");
    });
}

std::vector<Residence> AddressRegistry::residents(std::int64_t room_id,
                                                  const accounts::Principal& viewer) {
    std::vector<Residence> out;
    db_.read([&](store::Connection& c) {
        const Address room = load(c, room_id, viewer);
        for (const auto& row :
             c.run("SELECT r.id, r.person_id, p.name, r.relation, r.from_date, r.to_date FROM "
                   "residences r JOIN people p ON p.id = r.person_id WHERE r.room_id = $1 ORDER "
                   "BY r.to_date IS NOT NULL, r.id",
                   {room_id})
                 .rows) {
            out.push_back({row.integer("id"), row.integer("person_id"), row.text("name"), room_id,
                           room.full_name, row.text("relation"), row.opt_text("from_date"),
                           row.opt_text("to_date")});
        }
    });
    return out;
}

std::vector<Residence> AddressRegistry::homes(std::int64_t person_id,
                                              const accounts::Principal& viewer) {
    std::vector<Residence> out;
    db_.read([&](store::Connection& c) {
        const auto person = c.run("SELECT name, node_id FROM people WHERE id = $1", {person_id});
        if (person.empty() || !in_scope(person.front().integer("node_id"), viewer))
            throw Error(ErrorCode::not_found, "No such person.");
        for (const auto& row :
             c.run("SELECT r.id, r.room_id, a.full_name, r.relation, r.from_date, r.to_date FROM "
                   "residences r JOIN addresses a ON a.id = r.room_id WHERE r.person_id = $1 "
                   "ORDER BY r.to_date IS NOT NULL, r.id",
                   {person_id})
                 .rows) {
            out.push_back({row.integer("id"), person_id, person.front().text("name"),
                           row.integer("room_id"), row.text("full_name"), row.text("relation"),
                           row.opt_text("from_date"), row.opt_text("to_date")});
        }
    });
    return out;
}

}  // namespace gridgov::registry
