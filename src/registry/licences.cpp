#include "registry/licences.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::registry {

using store::Value;

namespace {

constexpr const char* kColumns =
    "id, holder_type, holder_id, kind, number, issuer, issued_on, valid_until, node_id, source, "
    "state, updated_at, version";

Licence licence_from(const store::Row& row) {
    Licence l;
    l.id = row.integer("id");
    l.holder_type = row.text("holder_type");
    l.holder_id = row.integer("holder_id");
    l.kind = row.text("kind");
    l.number = row.text("number");
    l.issuer = row.opt_text("issuer");
    l.issued_on = row.opt_text("issued_on");
    l.valid_until = row.opt_text("valid_until");
    l.node_id = row.integer("node_id");
    l.source = row.text("source");
    l.state = row.text("state");
    l.updated_at = row.integer("updated_at");
    l.version = static_cast<int>(row.integer("version"));
    return l;
}

const char* holder_table(const std::string& type) {
    if (type == "person") return "people";
    if (type == "organisation") return "organisations";
    if (type == "place") return "key_places";
    throw Error(ErrorCode::invalid_field, "The holder is a person, an organisation or a place.",
                "holder_type");
}

void check(store::Connection& c, const LicenceFields& f) {
    if (f.holder_type) holder_table(*f.holder_type);
    if (f.kind) require_code(c, "licence_kind", *f.kind, "kind");
    if (f.number && (f.number->empty() || f.number->size() > 64))
        throw Error(ErrorCode::invalid_field, "A number has 1 to 64 characters.", "number");
    require_text(f.issuer, 100, "issuer");
    require_date(f.issued_on, "issued_on");
    require_date(f.valid_until, "valid_until");
    if (f.issued_on && f.valid_until && *f.valid_until < *f.issued_on)
        throw Error(ErrorCode::invalid_field, "It is valid until after it was issued.",
                    "valid_until");
    require_source(f.source);
}

}  // namespace

Licences::Licences(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                   const Clock& clock)
    : db_(db), audit_(audit), scope_(grid), clock_(clock) {}

Licence Licences::load(store::Connection& c, std::int64_t id,
                       const accounts::Principal& viewer) const {
    const auto rows = c.run(fmt::format("SELECT {} FROM licences WHERE id = $1", kColumns), {id});
    if (rows.empty() || !scope_.sees(rows.front().integer("node_id"), viewer))
        throw Error(ErrorCode::not_found, "No such licence.");
    return licence_from(rows.front());
}

Licence Licences::add(const LicenceFields& f, const accounts::Principal& actor,
                      const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (!f.holder_type) throw Error(ErrorCode::missing_field, "Say who holds it.", "holder_type");
    if (!f.holder_id) throw Error(ErrorCode::missing_field, "Say who holds it.", "holder_id");
    if (!f.kind) throw Error(ErrorCode::missing_field, "Say what kind it is.", "kind");
    if (!f.number) throw Error(ErrorCode::missing_field, "Give its number.", "number");
    Licence out;
    db_.transact([&](store::Connection& c) {
        check(c, f);
        const auto holder =
            c.run(fmt::format("SELECT node_id FROM {} WHERE id = $1", holder_table(*f.holder_type)),
                  {*f.holder_id});
        if (holder.empty() || !scope_.sees(holder.front().integer("node_id"), actor))
            throw Error(ErrorCode::invalid_field, "No such holder in your scope.", "holder_id");
        const std::int64_t node = holder.front().integer("node_id");
        const auto path = scope_.path_for_keeping(node, actor, "holder_id");
        if (!c.run("SELECT 1 FROM licences WHERE kind = $1 AND number = $2", {*f.kind, *f.number})
                 .empty())
            throw Error(ErrorCode::conflict, "A licence of this kind has this number already.",
                        "number");
        const Millis now = clock_.now();
        const auto id =
            c.run(
                 "INSERT INTO licences (holder_type, holder_id, kind, number, issuer, issued_on, "
                 "valid_until, node_id, node_path, source, collected_by, collected_at, "
                 "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) "
                 "RETURNING id",
                 {*f.holder_type, *f.holder_id, *f.kind, *f.number, optional_value(f.issuer),
                  optional_value(f.issued_on), optional_value(f.valid_until), node, path,
                  f.source.value_or("collected"), user_of(actor), now})
                .front()
                .integer("id");
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "licence_added", fmt::format("licence:{}", id), "ok");
    });
    return out;
}

Licence Licences::update(std::int64_t id, const LicenceFields& f, int expected_version,
                         const accounts::Principal& actor, const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (f.holder_type || f.holder_id)
        throw Error(ErrorCode::invalid_field, "A licence keeps its holder.", "holder_id");
    Licence out;
    db_.transact([&](store::Connection& c) {
        check(c, f);
        const auto before = load(c, id, actor);
        if (before.version != expected_version) throw Error(ErrorCode::version_conflict);
        scope_.path_for_keeping(before.node_id, actor, "node_id");
        const auto kind = f.kind.value_or(before.kind);
        const auto number = f.number.value_or(before.number);
        if (!c.run("SELECT 1 FROM licences WHERE kind = $1 AND number = $2 AND id <> $3",
                   {kind, number, id})
                 .empty())
            throw Error(ErrorCode::conflict, "A licence of this kind has this number already.",
                        "number");
        const auto valid_until = f.valid_until ? f.valid_until : before.valid_until;
        const auto issued_on = f.issued_on ? f.issued_on : before.issued_on;
        if (issued_on && valid_until && *valid_until < *issued_on)
            throw Error(ErrorCode::invalid_field, "It is valid until after it was issued.",
                        "valid_until");
        ChangeSet changes;
        changes.note("kind", before.kind, f.kind);
        changes.note("number", before.number, f.number);
        changes.note("issuer", before.issuer, f.issuer);
        changes.note("issued_on", before.issued_on, f.issued_on);
        changes.note("valid_until", before.valid_until, f.valid_until);
        const Millis now = clock_.now();
        const auto r = c.run(
            "UPDATE licences SET kind = $1, number = $2, issuer = COALESCE($3, issuer), "
            "issued_on = $4, valid_until = $5, state = 'collected', updated_at = $6, version = "
            "version + 1 WHERE id = $7 AND version = $8",
            {kind, number, optional_value(f.issuer), optional_value(issued_on),
             optional_value(valid_until), now, id, std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        record_change(c, "licence", id, expected_version + 1, actor, now, changes.json());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "licence_changed", fmt::format("licence:{}", id), "ok");
    });
    return out;
}

Licence Licences::set_state(std::int64_t id, const std::string& state, int expected_version,
                            const accounts::Principal& actor,
                            const accounts::RequestOrigin& origin) {
    Licence out;
    db_.transact([&](store::Connection& c) {
        load(c, id, actor);
        set_record_state(c, "licences", "licence", id, state, expected_version, actor,
                         clock_.now());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "licence_" + state, fmt::format("licence:{}", id), "ok");
    });
    return out;
}

Licence Licences::get(std::int64_t id, const accounts::Principal& viewer) {
    Licence out;
    db_.read([&](store::Connection& c) { out = load(c, id, viewer); });
    return out;
}

std::vector<Licence> Licences::find(const LicenceQuery& q, const accounts::Principal& viewer,
                                    int limit) {
    require_registry_viewer(viewer);
    std::string where = "1 = 1";
    std::vector<Value> params;
    const auto add = [&](const char* condition, Value v) {
        params.push_back(std::move(v));
        where += fmt::format(fmt::runtime(condition), params.size());
    };
    if (q.holder_type) add(" AND holder_type = ${}", *q.holder_type);
    if (q.holder_id) add(" AND holder_id = ${}", *q.holder_id);
    if (q.kind) add(" AND kind = ${}", *q.kind);
    if (q.number) add(" AND number = ${}", *q.number);
    if (q.expiring_within_days) {
        const auto until =
            day_string(local_day(clock_.now() + Millis{*q.expiring_within_days} * kDay));
        add(" AND valid_until <= ${}", until);
    }
    scope_.restrict(where, params, viewer, q.node_id);
    params.emplace_back(std::int64_t{limit});
    std::vector<Licence> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM licences WHERE {} ORDER BY {} LIMIT ${}", kColumns,
                               where, q.expiring_within_days ? "valid_until, id" : "id",
                               params.size()),
                   params)
                 .rows)
            out.push_back(licence_from(row));
    });
    return out;
}

std::vector<RecordChange> Licences::history(std::int64_t id, const accounts::Principal& viewer) {
    std::vector<RecordChange> out;
    db_.read([&](store::Connection& c) {
        load(c, id, viewer);
        out = changes_of(c, "licence", id);
    });
    return out;
}

}  // namespace gridgov::registry
