#include "registry/people_merge.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/error.hpp"

namespace gridgov::registry {

using store::Value;
namespace json = boost::json;

namespace {

json::value or_null(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

// The merged record as it was, personal data masked.
json::object snapshot_of(const Person& p) {
    return {{"name", p.name},
            {"id_type", p.id_type},
            {"id_number", or_null(p.id_number)},
            {"gender", or_null(p.gender)},
            {"age", p.age ? json::value(*p.age) : json::value(nullptr)},
            {"ethnicity", or_null(p.ethnicity)},
            {"phone", or_null(p.phone)},
            {"household_type", p.household_type},
            {"registered_address", or_null(p.registered_address)},
            {"employer", or_null(p.employer)},
            {"node_id", p.node_id},
            {"source", p.source},
            {"state", p.state},
            {"version", p.version}};
}

}  // namespace

PeopleMerge::PeopleMerge(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                         const Clock& clock)
    : db_(db), audit_(audit), scope_(grid), clock_(clock) {}

std::vector<DuplicatePair> PeopleMerge::duplicates(const std::optional<std::int64_t>& node_id,
                                                   const accounts::Principal& viewer, int limit) {
    require_registry_viewer(viewer);
    // both records within the subtree and the viewer's scope
    std::string where = "1 = 1";
    std::vector<Value> params;
    scope_.restrict(where, params, viewer, node_id, "a.node_path");
    scope_.restrict(where, params, viewer, node_id, "b.node_path");
    params.emplace_back(std::int64_t{limit});
    std::vector<DuplicatePair> out;
    db_.read([&](store::Connection& c) {
        const auto pairs = c.run(
            fmt::format(
                "SELECT a, b, reason FROM (SELECT a.id AS a, b.id AS b, CASE WHEN a.birth_date "
                "= b.birth_date THEN 'same_birth_date' ELSE 'same_phone' END AS reason FROM people "
                "a JOIN people b ON b.name = a.name AND b.id > a.id AND (b.birth_date = "
                "a.birth_date OR b.phone_hash = a.phone_hash) WHERE {0} AND NOT (a.id_type = "
                "b.id_type AND a.id_number_hash IS NOT NULL AND b.id_number_hash IS NOT NULL) "
                // the same document registered twice, in grids whose workers could not see each
                // other's record
                "UNION ALL SELECT a.id AS a, b.id AS b, 'same_document' AS reason FROM people a "
                "JOIN people b ON b.id_number_hash = a.id_number_hash AND b.id > a.id WHERE {0}) "
                "pairs ORDER BY a, b LIMIT ${1}",
                where, params.size()),
            params);
        for (const auto& row : pairs.rows) {
            const auto load = [&](std::int64_t id) {
                return person_from_row(
                    c.run(fmt::format("SELECT {} FROM people WHERE id = $1", kPersonColumns), {id})
                        .front());
            };
            out.push_back({load(row.integer("a")), load(row.integer("b")), row.text("reason")});
        }
    });
    return out;
}

Person PeopleMerge::merge(std::int64_t kept_id, std::int64_t merged_id, int expected_version,
                          const accounts::Principal& actor, const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    if (actor.role == accounts::Role::grid_worker)
        throw Error(ErrorCode::forbidden, "The community or the centre merges records.");
    if (kept_id == merged_id)
        throw Error(ErrorCode::invalid_field, "A record is not merged into itself.", "merge_id");
    Person out;
    db_.transact([&](store::Connection& c) {
        const auto read = [&](std::int64_t id, const char* field) {
            const auto rows = c.run(
                fmt::format("SELECT {}, id_number, id_number_hash, phone, phone_hash FROM people "
                            "WHERE id = $1",
                            kPersonColumns),
                {id});
            if (rows.empty() || !scope_.sees(rows.front().integer("node_id"), actor))
                throw Error(field ? ErrorCode::invalid_field : ErrorCode::not_found,
                            "No such person.", field ? field : "");
            return rows.front();
        };
        const auto kept_row = read(kept_id, nullptr);
        const auto merged_row = read(merged_id, "merge_id");
        const auto kept = person_from_row(kept_row);
        const auto merged = person_from_row(merged_row);
        if (kept.version != expected_version) throw Error(ErrorCode::version_conflict);
        const auto kept_hash = kept_row.opt_text("id_number_hash");
        const auto merged_hash = merged_row.opt_text("id_number_hash");
        if (kept_hash && merged_hash && kept.id_type == merged.id_type && kept_hash != merged_hash)
            throw Error(ErrorCode::conflict, "Two different documents: these are two people.",
                        "merge_id");
        const Millis now = clock_.now();

        // what points at the merged record now points at the kept one
        for (const auto& row :
             c.run("SELECT id, tag FROM person_tags WHERE person_id = $1", {merged_id}).rows) {
            if (c.run("SELECT 1 FROM person_tags WHERE person_id = $1 AND tag = $2",
                      {kept_id, row.text("tag")})
                    .empty())
                c.run("UPDATE person_tags SET person_id = $1 WHERE id = $2",
                      {kept_id, row.integer("id")});
            else
                c.run("DELETE FROM person_tags WHERE id = $1", {row.integer("id")});
        }
        c.run("UPDATE residences SET person_id = $1 WHERE person_id = $2", {kept_id, merged_id});
        c.run("UPDATE households SET head_person_id = $1 WHERE head_person_id = $2",
              {kept_id, merged_id});
        c.run("UPDATE licences SET holder_id = $1 WHERE holder_type = 'person' AND holder_id = $2",
              {kept_id, merged_id});
        c.run("UPDATE person_merges SET kept_id = $1 WHERE kept_id = $2", {kept_id, merged_id});
        c.run(
            "INSERT INTO person_merges (merged_id, kept_id, merged_by, merged_at, snapshot) VALUES "
            "($1, $2, $3, $4, $5)",
            {merged_id, kept_id, user_of(actor), now, json::serialize(snapshot_of(merged))});
        c.run("DELETE FROM people WHERE id = $1", {merged_id});

        // the kept record takes what it lacks
        const bool takes_document = !kept_hash && merged_hash;
        const bool takes_phone =
            !kept_row.opt_text("phone_hash") && merged_row.opt_text("phone_hash");
        ChangeSet changes;
        changes.note("merged_from", std::nullopt, std::optional<std::int64_t>{merged_id});
        if (takes_document) {
            changes.note("id_type", std::optional{kept.id_type}, std::optional{merged.id_type});
            changes.note("id_number", kept.id_number, merged.id_number);
        }
        if (takes_phone) changes.note("phone", kept.phone, merged.phone);
        const auto fill = [&](const char* field, const std::optional<std::string>& have,
                              const std::optional<std::string>& other) {
            if (!have && other) changes.note(field, have, other);
        };
        fill("gender", kept.gender, merged.gender);
        fill("birth_date", kept.birth_date, merged.birth_date);
        fill("ethnicity", kept.ethnicity, merged.ethnicity);
        fill("registered_address", kept.registered_address, merged.registered_address);
        fill("employer", kept.employer, merged.employer);
        const auto household = kept.household_id ? kept.household_id : merged.household_id;
        const auto relation = kept.household_id ? kept.relation_to_head : merged.relation_to_head;
        c.run(
            "UPDATE people SET id_type = $1, id_number = $2, id_number_hash = $3, "
            "id_number_masked = $4, phone = $5, phone_hash = $6, phone_masked = $7, gender = "
            "COALESCE(gender, $8), birth_date = COALESCE(birth_date, $9), ethnicity = "
            "COALESCE(ethnicity, $10), registered_address = COALESCE(registered_address, $11), "
            "employer = COALESCE(employer, $12), household_id = $13, relation_to_head = $14, "
            "state = 'collected', updated_at = $15, version = version + 1 WHERE id = $16",
            {takes_document ? merged.id_type : kept.id_type,
             optional_value((takes_document ? merged_row : kept_row).opt_text("id_number")),
             optional_value(takes_document ? merged_hash : kept_hash),
             optional_value(takes_document ? merged.id_number : kept.id_number),
             optional_value((takes_phone ? merged_row : kept_row).opt_text("phone")),
             optional_value((takes_phone ? merged_row : kept_row).opt_text("phone_hash")),
             optional_value(takes_phone ? merged.phone : kept.phone), optional_value(merged.gender),
             optional_value(merged.birth_date), optional_value(merged.ethnicity),
             optional_value(merged.registered_address), optional_value(merged.employer),
             optional_value(household), optional_value(relation), now, kept_id});
        record_change(c, "person", kept_id, expected_version + 1, actor, now, changes.json());
        out = person_from_row(
            c.run(fmt::format("SELECT {} FROM people WHERE id = $1", kPersonColumns), {kept_id})
                .front());
        audit_.record(c, &actor, origin, "person_merged", fmt::format("person:{}", kept_id), "ok",
                      fmt::format("person:{}", merged_id));
    });
    return out;
}

std::vector<PersonMerge> PeopleMerge::merges_into(std::int64_t kept_id,
                                                  const accounts::Principal& viewer) {
    std::vector<PersonMerge> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run("SELECT node_id FROM people WHERE id = $1", {kept_id});
        if (rows.empty() || !scope_.sees(rows.front().integer("node_id"), viewer))
            throw Error(ErrorCode::not_found, "No such person.");
        for (const auto& row : c.run("SELECT merged_id, merged_by, merged_at, snapshot FROM "
                                     "person_merges WHERE kept_id = $1 ORDER BY merged_at, id",
                                     {kept_id})
                                   .rows)
            out.push_back({row.integer("merged_id"), row.opt_integer("merged_by"),
                           row.integer("merged_at"), row.text("snapshot"),
                           changes_of(c, "person", row.integer("merged_id"))});
    });
    return out;
}

}  // namespace gridgov::registry
