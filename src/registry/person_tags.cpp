#include "registry/person_tags.hpp"

#include <fmt/format.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/error.hpp"
#include "core/working_calendar.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::registry {

using store::Value;
namespace json = boost::json;

namespace {

// The groups of GB/T 31000 (特殊人群, 重点青少年) and the care groups of common practice, with
// how often a grid worker usually visits each.
const std::vector<TagDefinition> kTags{
    {"community_correction",
     "社区矫正人员",
     "Under community correction",
     7,
     {{"category", "correction_category", true}, {"release", "correction_release", false}}},
    {"released_prisoner",
     "刑满释放人员",
     "Released from prison",
     30,
     {{"crime", "crime_category", true}, {"resettlement", "resettlement", false}}},
    {"drug_user", "吸毒人员", "Drug user", 30, {{"control", "drug_control", true}}},
    {"severe_mental_disorder",
     "严重精神障碍患者",
     "Severe mental disorder",
     30,
     {{"diagnosis", "mental_diagnosis", true}, {"risk_level", "mental_risk_level", true}}},
    {"key_youth", "重点青少年", "Key youth", 30, {{"type", "key_youth_type", true}}},
    {"elderly_alone", "独居老人", "Elderly living alone", 7, {}},
    {"disabled", "残疾人", "Disabled", 30, {}},
    {"left_behind", "留守人员", "Left behind", 30, {{"type", "left_behind_type", true}}},
    {"low_income",
     "低保及困难家庭",
     "Low-income household",
     90,
     {{"economy", "family_economy", false}}},
};

constexpr const char* kColumns =
    "id, person_id, tag, attributes, attention, visit_every_days, last_visit_at, since, version";

PersonTag tag_from(const store::Row& row) {
    PersonTag t;
    t.id = row.integer("id");
    t.person_id = row.integer("person_id");
    t.tag = row.text("tag");
    const auto attributes = json::parse(row.text("attributes"));
    for (const auto& [k, v] : attributes.as_object())
        t.attributes[std::string(k)] = std::string(v.as_string());
    t.attention = row.text("attention");
    t.visit_every_days = static_cast<int>(row.integer("visit_every_days"));
    t.last_visit_at = row.opt_integer("last_visit_at");
    t.since = row.opt_text("since");
    t.version = static_cast<int>(row.integer("version"));
    return t;
}

}  // namespace

std::span<const TagDefinition> tag_definitions() {
    return kTags;
}

const TagDefinition* find_tag(std::string_view tag) {
    for (const auto& t : kTags) {
        if (t.tag == tag) return &t;
    }
    return nullptr;
}

PersonTags::PersonTags(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                       const Clock& clock)
    : db_(db), audit_(audit), grid_(grid), clock_(clock) {}

void PersonTags::check_person(store::Connection& c, std::int64_t person_id,
                              const accounts::Principal& viewer) const {
    const auto scope = accounts::Scope::of(viewer, grid_);
    const auto rows = c.run("SELECT node_id FROM people WHERE id = $1", {person_id});
    const bool visible = !rows.empty() && scope.reads(accounts::Area::registry) &&
                         scope.covers(rows.front().integer("node_id"), grid_);
    if (!visible) throw Error(ErrorCode::not_found, "没有这个人。 No such person.");
}

PersonTag PersonTags::put(std::int64_t person_id, const TagFields& f,
                          const accounts::Principal& actor, const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    const TagDefinition* def = find_tag(f.tag);
    if (!def) throw Error(ErrorCode::invalid_field, fmt::format("No group {}.", f.tag), "tag");
    if (f.attention && *f.attention != "01" && *f.attention != "02" && *f.attention != "03")
        throw Error(ErrorCode::invalid_field, "The attention is 01 (high), 02 or 03 (low).",
                    "attention");
    if (f.visit_every_days && (*f.visit_every_days < 1 || *f.visit_every_days > 366))
        throw Error(ErrorCode::invalid_field, "Visits are every 1 to 366 days.",
                    "visit_every_days");
    if (f.since && !parse_day(*f.since))
        throw Error(ErrorCode::invalid_field, "The date is YYYY-MM-DD.", "since");
    PersonTag out;
    db_.transact([&](store::Connection& c) {
        check_person(c, person_id, actor);
        // each attribute of the group, with a code of its table
        for (const auto& [name, code] : f.attributes) {
            const auto* attr = [&]() -> const TagAttribute* {
                for (const auto& a : def->attributes) {
                    if (a.name == name) return &a;
                }
                return nullptr;
            }();
            if (!attr)
                throw Error(ErrorCode::invalid_field,
                            fmt::format("{} has no attribute {}.", def->zh, name),
                            "attributes." + name);
            if (c.run("SELECT 1 FROM code_tables WHERE table_name = $1 AND code = $2",
                      {std::string(attr->code_table), code})
                    .empty())
                throw Error(ErrorCode::invalid_field,
                            fmt::format("{} is not a code of {}.", code, attr->code_table),
                            "attributes." + name);
        }
        for (const auto& a : def->attributes) {
            if (a.required && !f.attributes.contains(std::string(a.name)))
                throw Error(ErrorCode::missing_field,
                            fmt::format("{} needs its {}.", def->zh, a.name),
                            "attributes." + std::string(a.name));
        }
        json::object attributes;
        for (const auto& [k, v] : f.attributes) attributes[k] = v;
        const Millis now = clock_.now();
        const auto existing = c.run("SELECT id FROM person_tags WHERE person_id = $1 AND tag = $2",
                                    {person_id, f.tag});
        if (existing.empty()) {
            c.run(
                "INSERT INTO person_tags (person_id, tag, attributes, attention, "
                "visit_every_days, since, created_by, created_at, updated_at) VALUES ($1, $2, $3, "
                "$4, $5, $6, $7, $8, $8)",
                {person_id, f.tag, json::serialize(attributes), f.attention.value_or("02"),
                 std::int64_t{f.visit_every_days.value_or(def->visit_every_days)},
                 f.since ? Value{*f.since} : Value{nullptr}, user_of(actor), now});
        } else {
            c.run(
                "UPDATE person_tags SET attributes = $1, attention = COALESCE($2, attention), "
                "visit_every_days = COALESCE($3, visit_every_days), since = COALESCE($4, since), "
                "updated_at = $5, version = version + 1 WHERE id = $6",
                {json::serialize(attributes), f.attention ? Value{*f.attention} : Value{nullptr},
                 f.visit_every_days ? Value{std::int64_t{*f.visit_every_days}} : Value{nullptr},
                 f.since ? Value{*f.since} : Value{nullptr}, now, existing.front().integer("id")});
        }
        out = tag_from(c.run(fmt::format("SELECT {} FROM person_tags WHERE person_id = $1 AND "
                                         "tag = $2",
                                         kColumns),
                             {person_id, f.tag})
                           .front());
        c.run(
            "INSERT INTO record_changes (record_type, record_id, version, changed_by, changed_at, "
            "changes) VALUES ('person_tag', $1, $2, $3, $4, $5)",
            {out.id, std::int64_t{out.version}, user_of(actor), now,
             json::serialize(json::object{
                 {"tag", f.tag}, {"attributes", attributes}, {"attention", out.attention}})});
        audit_.record(c, &actor, origin, "person_tagged", fmt::format("person:{}", person_id), "ok",
                      f.tag);
    });
    return out;
}

void PersonTags::remove(std::int64_t person_id, const std::string& tag,
                        const accounts::Principal& actor, const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    db_.transact([&](store::Connection& c) {
        check_person(c, person_id, actor);
        const auto r =
            c.run("DELETE FROM person_tags WHERE person_id = $1 AND tag = $2", {person_id, tag});
        if (r.affected != 1) throw Error(ErrorCode::not_found, "The person is not in that group.");
        audit_.record(c, &actor, origin, "person_untagged", fmt::format("person:{}", person_id),
                      "ok", tag);
    });
}

std::vector<PersonTag> PersonTags::of(std::int64_t person_id, const accounts::Principal& viewer) {
    std::vector<PersonTag> out;
    db_.read([&](store::Connection& c) {
        check_person(c, person_id, viewer);
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM person_tags WHERE person_id = $1 ORDER BY id",
                               kColumns),
                   {person_id})
                 .rows)
            out.push_back(tag_from(row));
    });
    return out;
}

PersonTag PersonTags::record_visit(std::int64_t person_id, const std::string& tag,
                                   const accounts::Principal& actor,
                                   const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    PersonTag out;
    db_.transact([&](store::Connection& c) {
        check_person(c, person_id, actor);
        const auto r = c.run(
            "UPDATE person_tags SET last_visit_at = $1, updated_at = $1 WHERE person_id = $2 AND "
            "tag = $3",
            {clock_.now(), person_id, tag});
        if (r.affected != 1) throw Error(ErrorCode::not_found, "The person is not in that group.");
        out = tag_from(c.run(fmt::format("SELECT {} FROM person_tags WHERE person_id = $1 AND "
                                         "tag = $2",
                                         kColumns),
                             {person_id, tag})
                           .front());
        audit_.record(c, &actor, origin, "person_visited", fmt::format("person:{}", person_id),
                      "ok", tag);
    });
    return out;
}

std::vector<VisitDue> PersonTags::visits_due(std::optional<std::int64_t> node_id,
                                             const accounts::Principal& viewer, int limit) {
    const auto scope = accounts::Scope::of(viewer, grid_);
    scope.require(accounts::Area::registry);
    std::string where;
    std::vector<Value> params{clock_.now()};
    if (node_id) {
        const auto path = grid_.path_of(*node_id);
        if (!path) throw Error(ErrorCode::invalid_field, "没有这个节点。 No such node.", "node_id");
        params.emplace_back(*path + "%");
        where += fmt::format(" AND p.node_path LIKE ${}", params.size());
    }
    scope.restrict(where, params, "p.node_path");
    params.emplace_back(std::int64_t{limit});
    std::vector<VisitDue> out;
    db_.read([&](store::Connection& c) {
        // a person never visited is due from the day they joined the group
        const std::string due =
            "CASE WHEN t.last_visit_at IS NULL THEN t.created_at ELSE t.last_visit_at + "
            "CAST(t.visit_every_days AS BIGINT) * 86400000 END";
        const auto rows =
            c.run(fmt::format("SELECT t.id, t.person_id, t.tag, t.attributes, t.attention, "
                              "t.visit_every_days, t.last_visit_at, t.since, t.version, p.name, "
                              "p.node_id, {0} AS due FROM person_tags t JOIN people p ON p.id = "
                              "t.person_id WHERE {0} <= $1{1} ORDER BY due, t.id LIMIT ${2}",
                              due, where, params.size()),
                  params);
        for (const auto& row : rows.rows) {
            out.push_back(
                {tag_from(row), row.text("name"), row.integer("node_id"), row.integer("due")});
        }
    });
    return out;
}

std::vector<CodeEntry> PersonTags::code_table(const std::string& name) {
    std::vector<CodeEntry> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT code, name, name_en FROM code_tables WHERE "
                                     "table_name = $1 ORDER BY code",
                                     {name})
                                   .rows)
            out.push_back({row.text("code"), row.text("name"), row.text("name_en")});
    });
    if (out.empty()) throw Error(ErrorCode::not_found, "No such code table.");
    return out;
}

}  // namespace gridgov::registry
