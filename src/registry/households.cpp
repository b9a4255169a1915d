#include "registry/households.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>

#include "core/error.hpp"

namespace gridgov::registry {

using store::Value;
namespace json = boost::json;

namespace {

constexpr const char* kColumns =
    "id, number, kind, room_id, head_person_id, node_id, source, state, updated_at, version";

Household household_from(const store::Row& row) {
    Household h;
    h.id = row.integer("id");
    h.number = row.opt_text("number");
    h.kind = row.text("kind");
    h.room_id = row.opt_integer("room_id");
    h.head_person_id = row.opt_integer("head_person_id");
    h.node_id = row.integer("node_id");
    h.source = row.text("source");
    h.state = row.text("state");
    h.updated_at = row.integer("updated_at");
    h.version = static_cast<int>(row.integer("version"));
    return h;
}

void check(const HouseholdFields& f) {
    if (f.number && (f.number->empty() || f.number->size() > 32))
        throw Error(ErrorCode::invalid_field, "A household number has 1 to 32 characters.",
                    "number");
    if (f.kind && *f.kind != "family" && *f.kind != "collective")
        throw Error(ErrorCode::invalid_field, "A household is family or collective.", "kind");
    require_source(f.source);
}

}  // namespace

Households::Households(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                       const Clock& clock)
    : db_(db), audit_(audit), scope_(grid), clock_(clock) {}

Household Households::load(store::Connection& c, std::int64_t id,
                           const accounts::Principal& viewer) const {
    const auto rows = c.run(fmt::format("SELECT {} FROM households WHERE id = $1", kColumns), {id});
    if (rows.empty() || !scope_.sees(rows.front().integer("node_id"), viewer))
        throw Error(ErrorCode::not_found, "No such household.");
    auto h = household_from(rows.front());
    for (const auto& row : c.run("SELECT id, name, relation_to_head FROM people WHERE "
                                 "household_id = $1 ORDER BY relation_to_head, id",
                                 {id})
                               .rows)
        h.members.push_back(
            {row.integer("id"), row.text("name"), row.opt_text("relation_to_head")});
    return h;
}

void Households::join(store::Connection& c, std::int64_t id, std::int64_t person_id,
                      const std::string& relation, const accounts::Principal& actor, Millis now) {
    require_code(c, "household_relation", relation, "relation");
    const auto person =
        c.run("SELECT node_id, household_id, relation_to_head, version FROM people WHERE id = $1",
              {person_id});
    if (person.empty() || !scope_.sees(person.front().integer("node_id"), actor))
        throw Error(ErrorCode::invalid_field, "No such person in your scope.", "person_id");
    const auto& p = person.front();
    c.run(
        "UPDATE people SET household_id = $1, relation_to_head = $2, updated_at = $3, version = "
        "version + 1 WHERE id = $4",
        {id, relation, now, person_id});
    ChangeSet changes;
    changes.note("household_id", p.opt_integer("household_id"), std::optional{id});
    changes.note("relation_to_head", p.opt_text("relation_to_head"), std::optional{relation});
    record_change(c, "person", person_id, static_cast<int>(p.integer("version")) + 1, actor, now,
                  changes.json());
}

Household Households::add(const HouseholdFields& f, const accounts::Principal& actor,
                          const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    check(f);
    Household out;
    db_.transact([&](store::Connection& c) {
        std::optional<std::int64_t> node = f.node_id;
        if (f.room_id) {
            const auto a =
                c.run("SELECT node_id, level FROM addresses WHERE id = $1", {*f.room_id});
            if (a.empty() || a.front().text("level") != "room")
                throw Error(ErrorCode::invalid_field, "No such room.", "room_id");
            if (!node) node = a.front().opt_integer("node_id");
        }
        if (!node && f.head_person_id) {
            const auto p = c.run("SELECT node_id FROM people WHERE id = $1", {*f.head_person_id});
            if (!p.empty()) node = p.front().integer("node_id");
        }
        if (!node)
            throw Error(ErrorCode::missing_field, "Say its grid, its room or its head.", "node_id");
        const auto path = scope_.path_for_keeping(*node, actor, "node_id");
        if (f.number && !c.run("SELECT 1 FROM households WHERE number = $1", {*f.number}).empty())
            throw Error(ErrorCode::conflict, "A household has this number already.", "number");
        const Millis now = clock_.now();
        const auto id =
            c.run(
                 "INSERT INTO households (number, kind, room_id, node_id, node_path, source, "
                 "collected_by, collected_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                 "$8, $8) RETURNING id",
                 {optional_value(f.number), f.kind.value_or("family"), optional_value(f.room_id),
                  *node, path, f.source.value_or("collected"), user_of(actor), now})
                .front()
                .integer("id");
        if (f.head_person_id) {
            join(c, id, *f.head_person_id, "01", actor, now);
            c.run("UPDATE households SET head_person_id = $1 WHERE id = $2",
                  {*f.head_person_id, id});
        }
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "household_added", fmt::format("household:{}", id), "ok");
    });
    return out;
}

Household Households::update(std::int64_t id, const HouseholdFields& f, int expected_version,
                             const accounts::Principal& actor,
                             const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    check(f);
    Household out;
    db_.transact([&](store::Connection& c) {
        const auto before = load(c, id, actor);
        if (before.version != expected_version) throw Error(ErrorCode::version_conflict);
        const std::int64_t node = f.node_id.value_or(before.node_id);
        const auto path = scope_.path_for_keeping(node, actor, "node_id");
        if (f.number &&
            !c.run("SELECT 1 FROM households WHERE number = $1 AND id <> $2", {*f.number, id})
                 .empty())
            throw Error(ErrorCode::conflict, "A household has this number already.", "number");
        if (f.room_id) {
            const auto a = c.run("SELECT level FROM addresses WHERE id = $1", {*f.room_id});
            if (a.empty() || a.front().text("level") != "room")
                throw Error(ErrorCode::invalid_field, "No such room.", "room_id");
        }
        const Millis now = clock_.now();
        if (f.head_person_id && f.head_person_id != before.head_person_id) {
            // the new head joins as 户主; the old one stays a member with relation 其他
            if (before.head_person_id)
                c.run("UPDATE people SET relation_to_head = '99' WHERE id = $1",
                      {*before.head_person_id});
            join(c, id, *f.head_person_id, "01", actor, now);
        }
        ChangeSet changes;
        changes.note("number", before.number, f.number);
        changes.note("kind", std::optional{before.kind}, f.kind);
        changes.note("room_id", before.room_id, f.room_id);
        changes.note("head_person_id", before.head_person_id, f.head_person_id);
        changes.note("node_id", std::optional{before.node_id}, f.node_id);
        const auto r = c.run(
            "UPDATE households SET number = COALESCE($1, number), kind = COALESCE($2, kind), "
            "room_id = COALESCE($3, room_id), head_person_id = COALESCE($4, head_person_id), "
            "node_id = $5, node_path = $6, state = 'collected', updated_at = $7, version = "
            "version + 1 WHERE id = $8 AND version = $9",
            {optional_value(f.number), optional_value(f.kind), optional_value(f.room_id),
             optional_value(f.head_person_id), node, path, now, id,
             std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        record_change(c, "household", id, expected_version + 1, actor, now, changes.json());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "household_changed", fmt::format("household:{}", id),
                      "ok");
    });
    return out;
}

Household Households::set_state(std::int64_t id, const std::string& state, int expected_version,
                                const accounts::Principal& actor,
                                const accounts::RequestOrigin& origin) {
    Household out;
    db_.transact([&](store::Connection& c) {
        load(c, id, actor);
        set_record_state(c, "households", "household", id, state, expected_version, actor,
                         clock_.now());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "household_" + state, fmt::format("household:{}", id),
                      "ok");
    });
    return out;
}

Household Households::get(std::int64_t id, const accounts::Principal& viewer) {
    Household out;
    db_.read([&](store::Connection& c) { out = load(c, id, viewer); });
    return out;
}

std::vector<Household> Households::find(const HouseholdQuery& q, const accounts::Principal& viewer,
                                        int limit) {
    require_registry_viewer(viewer);
    std::string where = "1 = 1";
    std::vector<Value> params;
    if (q.number) {
        params.emplace_back(*q.number);
        where += fmt::format(" AND number = ${}", params.size());
    }
    if (q.room_id) {
        params.emplace_back(*q.room_id);
        where += fmt::format(" AND room_id = ${}", params.size());
    }
    scope_.restrict(where, params, viewer, q.node_id);
    params.emplace_back(std::int64_t{limit});
    std::vector<Household> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM households WHERE {} ORDER BY id LIMIT ${}", kColumns,
                               where, params.size()),
                   params)
                 .rows)
            out.push_back(household_from(row));
    });
    return out;
}

std::vector<RecordChange> Households::history(std::int64_t id, const accounts::Principal& viewer) {
    std::vector<RecordChange> out;
    db_.read([&](store::Connection& c) {
        load(c, id, viewer);
        out = changes_of(c, "household", id);
    });
    return out;
}

Household Households::add_member(std::int64_t id, std::int64_t person_id,
                                 const std::string& relation, const accounts::Principal& actor,
                                 const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    Household out;
    db_.transact([&](store::Connection& c) {
        const auto h = load(c, id, actor);
        scope_.path_for_keeping(h.node_id, actor, "node_id");
        if (relation == "01" && h.head_person_id && *h.head_person_id != person_id)
            throw Error(ErrorCode::conflict, "The household has a head; change the head instead.",
                        "relation");
        const Millis now = clock_.now();
        join(c, id, person_id, relation, actor, now);
        if (relation == "01")
            c.run(
                "UPDATE households SET head_person_id = $1, updated_at = $2, version = version + "
                "1 WHERE id = $3",
                {person_id, now, id});
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "household_member_added", fmt::format("household:{}", id),
                      "ok", fmt::format("person:{}", person_id));
    });
    return out;
}

Household Households::remove_member(std::int64_t id, std::int64_t person_id,
                                    const accounts::Principal& actor,
                                    const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    Household out;
    db_.transact([&](store::Connection& c) {
        const auto h = load(c, id, actor);
        scope_.path_for_keeping(h.node_id, actor, "node_id");
        const auto p = c.run(
            "SELECT relation_to_head, version FROM people WHERE id = $1 AND "
            "household_id = $2",
            {person_id, id});
        if (p.empty())
            throw Error(ErrorCode::not_found, "The person is not a member of this household.");
        const Millis now = clock_.now();
        c.run(
            "UPDATE people SET household_id = NULL, relation_to_head = NULL, updated_at = $1, "
            "version = version + 1 WHERE id = $2",
            {now, person_id});
        record_change(
            c, "person", person_id, static_cast<int>(p.front().integer("version")) + 1, actor, now,
            json::object{{"household_id", json::array{id, nullptr}},
                         {"relation_to_head",
                          json::array{p.front().opt_text("relation_to_head")
                                          ? json::value(*p.front().opt_text("relation_to_head"))
                                          : json::value(nullptr),
                                      nullptr}}});
        if (h.head_person_id == person_id)
            c.run(
                "UPDATE households SET head_person_id = NULL, updated_at = $1, version = version "
                "+ 1 WHERE id = $2",
                {now, id});
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "household_member_removed",
                      fmt::format("household:{}", id), "ok", fmt::format("person:{}", person_id));
    });
    return out;
}

}  // namespace gridgov::registry
