#include "registry/key_places.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::registry {

using store::Value;
namespace json = boost::json;

namespace {

constexpr const char* kColumns =
    "id, kind, name, risk_level, contact_name, contact_phone_masked, address_id, "
    "organisation_id, node_id, inspect_every_days, last_inspected_at, source, state, "
    "collected_by, collected_at, verified_by, verified_at, updated_at, version";

constexpr const char* kInspectionColumns =
    "id, place_id, inspected_by, inspected_at, result, hazard_type, notes, rectify_by, event_id";

KeyPlace place_from(const store::Row& row) {
    KeyPlace p;
    p.id = row.integer("id");
    p.kind = row.text("kind");
    p.name = row.text("name");
    p.risk_level = row.text("risk_level");
    p.contact_name = row.opt_text("contact_name");
    if (auto masked = row.opt_text("contact_phone_masked")) p.contact_phone = mask_phone(*masked);
    p.address_id = row.opt_integer("address_id");
    p.organisation_id = row.opt_integer("organisation_id");
    p.node_id = row.integer("node_id");
    p.inspect_every_days = static_cast<int>(row.integer("inspect_every_days"));
    p.last_inspected_at = row.opt_integer("last_inspected_at");
    p.source = row.text("source");
    p.state = row.text("state");
    p.collected_by = row.opt_integer("collected_by");
    p.collected_at = row.integer("collected_at");
    p.verified_by = row.opt_integer("verified_by");
    p.verified_at = row.opt_integer("verified_at");
    p.updated_at = row.integer("updated_at");
    p.version = static_cast<int>(row.integer("version"));
    return p;
}

Inspection inspection_from(const store::Row& row) {
    Inspection i;
    i.id = row.integer("id");
    i.place_id = row.integer("place_id");
    i.inspected_by = row.opt_integer("inspected_by");
    i.inspected_at = row.integer("inspected_at");
    i.result = row.text("result");
    i.hazard_type = row.opt_text("hazard_type");
    i.notes = row.opt_text("notes");
    i.rectify_by = row.opt_text("rectify_by");
    i.event_id = row.opt_integer("event_id");
    return i;
}

// The usual inspection frequency of a risk level: weekly, monthly, quarterly.
int default_inspection_days(const std::string& risk) {
    return risk == "high" ? 7 : risk == "medium" ? 30 : 90;
}

void check(store::Connection& c, const KeyPlaceFields& f) {
    if (f.kind) require_code(c, "key_place_kind", *f.kind, "kind");
    if (f.name && (f.name->empty() || utf8_length(*f.name) > 100))
        throw Error(ErrorCode::invalid_field, "A name has 1 to 100 characters.", "name");
    if (f.risk_level && *f.risk_level != "low" && *f.risk_level != "medium" &&
        *f.risk_level != "high")
        throw Error(ErrorCode::invalid_field, "The risk level is low, medium or high.",
                    "risk_level");
    require_text(f.contact_name, 50, "contact_name");
    require_source(f.source);
    if (f.inspect_every_days && (*f.inspect_every_days < 1 || *f.inspect_every_days > 366))
        throw Error(ErrorCode::invalid_field, "Inspect every 1 to 366 days.", "inspect_every_days");
    if (f.organisation_id &&
        c.run("SELECT 1 FROM organisations WHERE id = $1", {*f.organisation_id}).empty())
        throw Error(ErrorCode::invalid_field, "No such organisation.", "organisation_id");
}

}  // namespace

KeyPlaces::KeyPlaces(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                     const FieldCipher& cipher, const Clock& clock)
    : db_(db), audit_(audit), scope_(grid), cipher_(cipher), clock_(clock) {}

KeyPlace KeyPlaces::load(store::Connection& c, std::int64_t id,
                         const accounts::Principal& viewer) const {
    const auto rows = c.run(fmt::format("SELECT {} FROM key_places WHERE id = $1", kColumns), {id});
    if (rows.empty() || !scope_.sees(rows.front().integer("node_id"), viewer))
        throw Error(ErrorCode::not_found, "No such place.");
    return place_from(rows.front());
}

KeyPlace KeyPlaces::add(const KeyPlaceFields& f, const accounts::Principal& actor,
                        const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (!f.kind) throw Error(ErrorCode::missing_field, "Say what kind of place it is.", "kind");
    if (!f.name) throw Error(ErrorCode::missing_field, "Give its name.", "name");
    if (!f.risk_level) throw Error(ErrorCode::missing_field, "Give its risk level.", "risk_level");
    const auto phone = phone_digits(f.contact_phone, "contact_phone");
    KeyPlace out;
    db_.transact([&](store::Connection& c) {
        check(c, f);
        std::optional<std::int64_t> node = f.node_id;
        if (f.address_id) {
            const auto a = c.run("SELECT node_id FROM addresses WHERE id = $1", {*f.address_id});
            if (a.empty()) throw Error(ErrorCode::invalid_field, "No such address.", "address_id");
            if (!node) node = a.front().opt_integer("node_id");
        }
        if (!node) throw Error(ErrorCode::missing_field, "Say its grid or its address.", "node_id");
        const auto path = scope_.path_for_keeping(*node, actor, "node_id");
        const Millis now = clock_.now();
        const auto id =
            c.run(
                 "INSERT INTO key_places (kind, name, risk_level, contact_name, contact_phone, "
                 "contact_phone_masked, address_id, organisation_id, node_id, node_path, "
                 "inspect_every_days, source, collected_by, collected_at, updated_at) VALUES ($1, "
                 "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
                 {*f.kind, *f.name, *f.risk_level, optional_value(f.contact_name),
                  phone ? Value{cipher_.encrypt(*phone)} : Value{nullptr},
                  phone ? Value{mask_phone(*phone)} : Value{nullptr}, optional_value(f.address_id),
                  optional_value(f.organisation_id), *node, path,
                  std::int64_t{
                      f.inspect_every_days.value_or(default_inspection_days(*f.risk_level))},
                  f.source.value_or("collected"), user_of(actor), now})
                .front()
                .integer("id");
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "place_added", fmt::format("place:{}", id), "ok");
    });
    return out;
}

KeyPlace KeyPlaces::update(std::int64_t id, const KeyPlaceFields& f, int expected_version,
                           const accounts::Principal& actor,
                           const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    const auto phone = phone_digits(f.contact_phone, "contact_phone");
    KeyPlace out;
    db_.transact([&](store::Connection& c) {
        check(c, f);
        const auto before = load(c, id, actor);
        if (before.version != expected_version) throw Error(ErrorCode::version_conflict);
        const std::int64_t node = f.node_id.value_or(before.node_id);
        const auto path = scope_.path_for_keeping(node, actor, "node_id");
        ChangeSet changes;
        changes.note("kind", before.kind, f.kind);
        changes.note("name", before.name, f.name);
        changes.note("risk_level", before.risk_level, f.risk_level);
        changes.note("contact_name", before.contact_name, f.contact_name);
        changes.note("contact_phone", before.contact_phone,
                     phone ? std::optional{mask_phone(*phone)} : std::nullopt);
        changes.note("address_id", before.address_id, f.address_id);
        changes.note("organisation_id", before.organisation_id, f.organisation_id);
        changes.note("node_id", before.node_id, f.node_id);
        changes.note("inspect_every_days", std::int64_t{before.inspect_every_days},
                     f.inspect_every_days ? std::optional<std::int64_t>{*f.inspect_every_days}
                                          : std::nullopt);
        const Millis now = clock_.now();
        const auto r = c.run(
            "UPDATE key_places SET kind = COALESCE($1, kind), name = COALESCE($2, name), "
            "risk_level = COALESCE($3, risk_level), contact_name = COALESCE($4, contact_name), "
            "contact_phone = COALESCE($5, contact_phone), contact_phone_masked = COALESCE($6, "
            "contact_phone_masked), address_id = COALESCE($7, address_id), organisation_id = "
            "COALESCE($8, organisation_id), node_id = $9, node_path = $10, inspect_every_days = "
            "COALESCE($11, inspect_every_days), state = 'collected', updated_at = $12, version = "
            "version + 1 WHERE id = $13 AND version = $14",
            {optional_value(f.kind), optional_value(f.name), optional_value(f.risk_level),
             optional_value(f.contact_name),
             phone ? Value{cipher_.encrypt(*phone)} : Value{nullptr},
             phone ? Value{mask_phone(*phone)} : Value{nullptr}, optional_value(f.address_id),
             optional_value(f.organisation_id), node, path,
             f.inspect_every_days ? Value{std::int64_t{*f.inspect_every_days}} : Value{nullptr},
             now, id, std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        record_change(c, "place", id, expected_version + 1, actor, now, changes.json());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "place_changed", fmt::format("place:{}", id), "ok");
    });
    return out;
}

KeyPlace KeyPlaces::set_state(std::int64_t id, const std::string& state, int expected_version,
                              const accounts::Principal& actor,
                              const accounts::RequestOrigin& origin) {
    KeyPlace out;
    db_.transact([&](store::Connection& c) {
        load(c, id, actor);
        set_record_state(c, "key_places", "place", id, state, expected_version, actor,
                         clock_.now());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "place_" + state, fmt::format("place:{}", id), "ok");
    });
    return out;
}

KeyPlace KeyPlaces::get(std::int64_t id, const accounts::Principal& viewer, bool reveal_contact,
                        const std::string& reason, const accounts::RequestOrigin& origin) {
    if (reveal_contact) require_reveal(viewer, reason, fmt::format("place:{}", id), audit_, origin);
    KeyPlace out;
    std::optional<std::string> sealed;
    db_.read([&](store::Connection& c) {
        out = load(c, id, viewer);
        sealed = c.run("SELECT contact_phone FROM key_places WHERE id = $1", {id})
                     .front()
                     .opt_text("contact_phone");
    });
    if (reveal_contact) {
        if (sealed) out.contact_phone = cipher_.decrypt(*sealed);
        audit_.record(&viewer, origin, "personal_data_viewed", fmt::format("place:{}", id), "ok",
                      fmt::format("contact_phone: {}", reason));
    }
    return out;
}

std::vector<KeyPlace> KeyPlaces::find(const KeyPlaceQuery& q, const accounts::Principal& viewer,
                                      int limit) {
    require_registry_viewer(viewer);
    std::string where = "1 = 1";
    std::vector<Value> params;
    const auto add = [&](const char* condition, Value v) {
        params.push_back(std::move(v));
        where += fmt::format(fmt::runtime(condition), params.size());
    };
    if (q.name) add(" AND name LIKE ${}", *q.name + "%");
    if (q.kind) add(" AND kind = ${}", *q.kind);
    if (q.risk_level) add(" AND risk_level = ${}", *q.risk_level);
    if (q.organisation_id) add(" AND organisation_id = ${}", *q.organisation_id);
    if (q.address_id) add(" AND address_id = ${}", *q.address_id);
    if (q.inspection_due)
        add(" AND (last_inspected_at IS NULL OR last_inspected_at + inspect_every_days * "
            "86400000 < ${})",
            clock_.now());
    scope_.restrict(where, params, viewer, q.node_id);
    params.emplace_back(std::int64_t{limit});
    std::vector<KeyPlace> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM key_places WHERE {} ORDER BY name, id LIMIT ${}",
                               kColumns, where, params.size()),
                   params)
                 .rows)
            out.push_back(place_from(row));
    });
    return out;
}

std::vector<RecordChange> KeyPlaces::history(std::int64_t id, const accounts::Principal& viewer) {
    std::vector<RecordChange> out;
    db_.read([&](store::Connection& c) {
        load(c, id, viewer);
        out = changes_of(c, "place", id);
    });
    return out;
}

Inspection KeyPlaces::inspect(std::int64_t place_id, const InspectionFields& f,
                              const accounts::Principal& actor,
                              const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (f.result != "passed" && f.result != "hazard_found" && f.result != "rectified")
        throw Error(ErrorCode::invalid_field, "The result is passed, hazard_found or rectified.",
                    "result");
    if (f.result == "hazard_found" && !f.hazard_type)
        throw Error(ErrorCode::missing_field, "Say what kind of hazard was found.", "hazard_type");
    require_text(f.notes, 1000, "notes");
    require_date(f.rectify_by, "rectify_by");
    const Millis now = clock_.now();
    const Millis at = f.inspected_at.value_or(now);
    if (at > now + 5 * 60'000 || at < now - 30 * kDay)
        throw Error(ErrorCode::invalid_field, "The inspection took place in the last 30 days.",
                    "inspected_at");
    Inspection out;
    db_.transact([&](store::Connection& c) {
        load(c, place_id, actor);
        if (f.hazard_type) require_code(c, "hazard_type", *f.hazard_type, "hazard_type");
        if (f.event_id && c.run("SELECT 1 FROM events WHERE id = $1", {*f.event_id}).empty())
            throw Error(ErrorCode::invalid_field, "No such event.", "event_id");
        const auto id = c.run(
            fmt::format("INSERT INTO place_inspections (place_id, inspected_by, "
                        "inspected_at, result, hazard_type, notes, rectify_by, event_id) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {}",
                        kInspectionColumns),
            {place_id, user_of(actor), at, f.result, optional_value(f.hazard_type),
             optional_value(f.notes), optional_value(f.rectify_by), optional_value(f.event_id)});
        out = inspection_from(id.front());
        // the latest inspection counts, whatever order a phone sends them in
        c.run(
            "UPDATE key_places SET last_inspected_at = $1 WHERE id = $2 AND (last_inspected_at "
            "IS NULL OR last_inspected_at < $1)",
            {at, place_id});
        audit_.record(c, &actor, origin, "place_inspected", fmt::format("place:{}", place_id), "ok",
                      f.result);
    });
    return out;
}

std::vector<Inspection> KeyPlaces::inspections(std::int64_t place_id,
                                               const accounts::Principal& viewer) {
    std::vector<Inspection> out;
    db_.read([&](store::Connection& c) {
        load(c, place_id, viewer);
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM place_inspections WHERE place_id = $1 ORDER BY "
                               "inspected_at DESC, id DESC",
                               kInspectionColumns),
                   {place_id})
                 .rows)
            out.push_back(inspection_from(row));
    });
    return out;
}

}  // namespace gridgov::registry
