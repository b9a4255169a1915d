#include "registry/people_registry.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/working_calendar.hpp"
#include "registry/identity_number.hpp"

namespace gridgov::registry {

using store::Value;
namespace json = boost::json;

namespace {

const std::set<std::string> kHouseholdTypes{"registered", "floating", "overseas", "unregistered"};

}  // namespace

std::span<const std::string_view> person_id_types() {
    static constexpr std::array<std::string_view, 6> kTypes{"resident_id",       "passport",
                                                            "hk_macao_permit",   "taiwan_permit",
                                                            "foreign_permanent", "other"};
    return kTypes;
}

bool is_person_id_type(std::string_view type) {
    const auto types = person_id_types();
    return std::find(types.begin(), types.end(), type) != types.end();
}

const char* const kPersonColumns =
    "id, name, id_type, id_number_masked, gender, birth_date, ethnicity, phone_masked, "
    "household_type, registered_address, employer, household_id, relation_to_head, node_id, "
    "source, state, collected_by, collected_at, verified_by, verified_at, updated_at, version";

std::optional<int> age_on(const std::string& birth, Millis now) {
    // YYYY-MM-DD against today in China
    if (birth.size() != 10) return std::nullopt;
    const std::string today = day_string(local_day(now));
    try {
        int age = std::stoi(today.substr(0, 4)) - std::stoi(birth.substr(0, 4));
        if (today.substr(5) < birth.substr(5)) --age;
        return age < 0 ? std::nullopt : std::optional(age);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

Person person_from_row(const store::Row& row) {
    Person p;
    p.id = row.integer("id");
    p.name = row.text("name");
    p.id_type = row.text("id_type");
    // masks stored by an older rule are masked again by today's
    if (auto masked = row.opt_text("id_number_masked")) p.id_number = mask_identity_number(*masked);
    p.gender = row.opt_text("gender");
    p.birth_date = row.opt_text("birth_date");
    if (p.birth_date) p.age = age_on(*p.birth_date, SystemClock::instance().now());
    p.ethnicity = row.opt_text("ethnicity");
    if (auto masked = row.opt_text("phone_masked")) p.phone = mask_phone(*masked);
    p.household_type = row.text("household_type");
    p.registered_address = row.opt_text("registered_address");
    p.employer = row.opt_text("employer");
    p.household_id = row.opt_integer("household_id");
    p.relation_to_head = row.opt_text("relation_to_head");
    p.node_id = row.integer("node_id");
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

// The fields as stored: normalised, checked, with what an identity number tells.
struct PeopleRegistry::Checked {
    PersonFields f;
    std::optional<std::string> id_number_plain, phone_plain;
};

PeopleRegistry::PeopleRegistry(store::Database& db, accounts::AuditLog& audit,
                               grid::GridService& grid, const FieldCipher& cipher,
                               const Clock& clock)
    : db_(db), audit_(audit), grid_(grid), cipher_(cipher), clock_(clock) {}

bool PeopleRegistry::in_scope(std::int64_t node, const accounts::Principal& viewer) const {
    return RecordScope(grid_).sees(node, viewer);
}

void PeopleRegistry::check_keeper(const accounts::Principal& actor) const {
    require_keeper(actor);
}

// Checks and completes the fields against the record they change (nullptr: a new one).
PeopleRegistry::Checked PeopleRegistry::check_fields(const PersonFields& in, const Person* before,
                                                     Millis now) {
    Checked out{in, {}, {}};
    PersonFields& f = out.f;
    if (!before) {
        if (!f.name) throw Error(ErrorCode::missing_field, "Give the person's name.", "name");
        if (!f.household_type)
            throw Error(ErrorCode::missing_field, "Say the household type.", "household_type");
        if (!f.node_id) throw Error(ErrorCode::missing_field, "Say the grid.", "node_id");
        if (!f.id_type) f.id_type = "resident_id";
        if (!f.source) f.source = "collected";
    }
    if (f.name && (f.name->empty() || utf8_length(*f.name) > 50))
        throw Error(ErrorCode::invalid_field, "A name has 1 to 50 characters.", "name");
    if (f.id_type && !is_person_id_type(*f.id_type))
        throw Error(ErrorCode::invalid_field,
                    "The document is resident_id, passport, hk_macao_permit, taiwan_permit, "
                    "foreign_permanent or other.",
                    "id_type");
    if (f.household_type && !kHouseholdTypes.contains(*f.household_type))
        throw Error(ErrorCode::invalid_field,
                    "The household type is registered, floating, overseas or unregistered.",
                    "household_type");
    require_source(f.source);
    if (f.gender && *f.gender != "M" && *f.gender != "F")
        throw Error(ErrorCode::invalid_field, "The gender is M or F.", "gender");
    if (f.birth_date && !parse_day(*f.birth_date))
        throw Error(ErrorCode::invalid_field, "The birth date is YYYY-MM-DD.", "birth_date");
    require_text(f.ethnicity, 20, "ethnicity");
    require_text(f.registered_address, 200, "registered_address");
    require_text(f.employer, 100, "employer");
    const std::string id_type = f.id_type ? *f.id_type : before->id_type;
    if (f.id_number) {
        if (id_type == "resident_id") {
            const std::string today = day_string(local_day(now));
            const int yyyymmdd =
                std::stoi(today.substr(0, 4) + today.substr(5, 2) + today.substr(8, 2));
            const auto parsed = parse_identity_number(*f.id_number, yyyymmdd);
            if (!parsed.value) throw Error(ErrorCode::invalid_field, parsed.problem, "id_number");
            const auto& id = *parsed.value;
            const std::string gender(1, id.gender);
            const std::string birth =
                fmt::format("{:04}-{:02}-{:02}", id.birth_year, id.birth_month, id.birth_day);
            if (f.gender && *f.gender != gender)
                throw Error(ErrorCode::invalid_field,
                            "The gender differs from the one the identity number gives.", "gender");
            if (f.birth_date && *f.birth_date != birth)
                throw Error(ErrorCode::invalid_field,
                            "The birth date differs from the one the identity number gives.",
                            "birth_date");
            f.gender = gender;
            f.birth_date = birth;
            out.id_number_plain = id.number;
        } else {
            std::string v = *f.id_number;
            if (v.size() < 5 || v.size() > 30 ||
                v.find_first_not_of(
                    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-") !=
                    std::string::npos)
                throw Error(ErrorCode::invalid_field,
                            "A document number has 5 to 30 letters and digits.", "id_number");
            std::transform(v.begin(), v.end(), v.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            out.id_number_plain = v;
        }
    }
    out.phone_plain = phone_digits(f.phone, "phone");
    return out;
}

Person PeopleRegistry::add(const PersonFields& fields, const accounts::Principal& actor,
                           const accounts::RequestOrigin& origin) {
    check_keeper(actor);
    const Millis now = clock_.now();
    const auto checked = check_fields(fields, nullptr, now);
    const auto& f = checked.f;
    const auto path = grid_.path_of(*f.node_id);
    if (!path) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
    if (!in_scope(*f.node_id, actor))
        throw Error(ErrorCode::forbidden, "The grid is outside your scope.", "node_id");
    // the same document within what the actor sees is refused (they can find it); one outside
    // it is not told of: the record is kept, and the centres merge the two as duplicates
    if (checked.id_number_plain) {
        const auto hash = cipher_.lookup_hash(*f.id_type + ":" + *checked.id_number_plain);
        bool visible_twin = false;
        db_.read([&](store::Connection& c) {
            for (const auto& row :
                 c.run("SELECT node_id FROM people WHERE id_number_hash = $1", {hash}).rows)
                visible_twin = visible_twin || in_scope(row.integer("node_id"), actor);
        });
        if (visible_twin)
            throw Error(ErrorCode::conflict,
                        "您的管辖范围内已登记此证件。 A person with this identity document is on "
                        "the registry in your area already.",
                        "id_number");
    }
    Person out;
    try {
        db_.transact(
            [&](store::Connection& c) { insert(c, checked, *path, actor, origin, now, out); });
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict)
            throw Error(ErrorCode::conflict,
                        "A person with this identity document is on the registry already.",
                        "id_number");
        throw;
    }
    return out;
}

namespace {

constexpr const char* kInsertColumns =
    "name, id_type, id_number, id_number_hash, id_number_masked, gender, birth_date, ethnicity, "
    "phone, phone_hash, phone_masked, household_type, registered_address, employer, node_id, "
    "node_path, source, collected_by, collected_at, updated_at";
constexpr std::size_t kInsertWidth = 20;
// Rows a statement of an import carries: under SQLite's 32,766 and PostgreSQL's 65,535
// parameters, and few enough that a statement stays a few hundred kilobytes.
constexpr std::size_t kImportBatch = 400;

// "($1, $2, …), ($21, …)": the VALUES of `rows` rows of `width` parameters each.
std::string placeholders(std::size_t rows, std::size_t width) {
    std::string out;
    out.reserve(rows * width * 5);
    for (std::size_t r = 0; r < rows; ++r) {
        out += r ? ", (" : "(";
        for (std::size_t k = 0; k < width; ++k)
            out += fmt::format("{}${}", k ? ", " : "", r * width + k + 1);
        out += ')';
    }
    return out;
}

}  // namespace

void PeopleRegistry::append_insert_values(std::vector<Value>& out, const Checked& checked,
                                          const std::string& path, const accounts::Principal& actor,
                                          Millis now) const {
    const auto& f = checked.f;
    const auto& id = checked.id_number_plain;
    const auto& phone = checked.phone_plain;
    out.insert(out.end(), {*f.name,
                           *f.id_type,
                           id ? Value{cipher_.encrypt(*id)} : Value{nullptr},
                           id ? Value{cipher_.lookup_hash(*f.id_type + ":" + *id)} : Value{nullptr},
                           id ? Value{mask_identity_number(*id)} : Value{nullptr},
                           optional_value(f.gender),
                           optional_value(f.birth_date),
                           optional_value(f.ethnicity),
                           phone ? Value{cipher_.encrypt(*phone)} : Value{nullptr},
                           phone ? Value{cipher_.lookup_hash("phone:" + *phone)} : Value{nullptr},
                           phone ? Value{mask_phone(*phone)} : Value{nullptr},
                           *f.household_type,
                           optional_value(f.registered_address),
                           optional_value(f.employer),
                           *f.node_id,
                           path,
                           *f.source,
                           user_of(actor),
                           now,
                           now});
}

// The first entry of a new record's history: what it was collected with, personal data masked.
json::object PeopleRegistry::first_changes(const Checked& checked) {
    const auto& f = checked.f;
    json::object changes{{"name", json::array{nullptr, *f.name}},
                         {"household_type", json::array{nullptr, *f.household_type}},
                         {"node_id", json::array{nullptr, *f.node_id}}};
    if (checked.id_number_plain)
        changes["id_number"] = json::array{nullptr, mask_identity_number(*checked.id_number_plain)};
    if (checked.phone_plain)
        changes["phone"] = json::array{nullptr, mask_phone(*checked.phone_plain)};
    return changes;
}

void PeopleRegistry::insert(store::Connection& c, const Checked& checked, const std::string& path,
                            const accounts::Principal& actor, const accounts::RequestOrigin& origin,
                            Millis now, Person& out) {
    std::vector<Value> values;
    append_insert_values(values, checked, path, actor, now);
    const auto person_id = c.run(fmt::format("INSERT INTO people ({}) VALUES {} RETURNING id",
                                             kInsertColumns, placeholders(1, kInsertWidth)),
                                 values)
                               .front()
                               .integer("id");
    out = person_from_row(
        c.run(fmt::format("SELECT {} FROM people WHERE id = $1", kPersonColumns), {person_id})
            .front());
    record_change(c, "person", person_id, 1, actor, now, first_changes(checked));
    audit_.record(c, &actor, origin, "person_added", fmt::format("person:{}", person_id), "ok");
}

// Documents of `hashes` (lookup hashes of type and number) already on the registry.
std::set<std::string> PeopleRegistry::registered_documents(const std::vector<std::string>& hashes,
                                                           const accounts::Principal& actor) {
    std::set<std::string> known;
    db_.read([&](store::Connection& c) {
        for (std::size_t at = 0; at < hashes.size(); at += kImportBatch) {
            const auto n = std::min(kImportBatch, hashes.size() - at);
            std::vector<Value> params(hashes.begin() + static_cast<std::ptrdiff_t>(at),
                                      hashes.begin() + static_cast<std::ptrdiff_t>(at + n));
            std::string list;
            for (std::size_t k = 0; k < n; ++k) list += fmt::format("{}${}", k ? ", " : "", k + 1);
            for (const auto& row :
                 c.run(
                      fmt::format("SELECT id_number_hash, node_id FROM people WHERE id_number_hash "
                                  "IN ({})",
                                  list),
                      params)
                     .rows)
                // only what the importer may see: elsewhere a number is not told of
                if (in_scope(row.integer("node_id"), actor))
                    known.insert(row.text("id_number_hash"));
        }
    });
    return known;
}

ImportReport PeopleRegistry::import(const std::vector<PersonFields>& rows,
                                    const std::vector<int>& lines, bool dry_run,
                                    const accounts::Principal& actor,
                                    const accounts::RequestOrigin& origin) {
    check_keeper(actor);
    ImportReport report;
    report.rows = static_cast<int>(rows.size());
    const Millis now = clock_.now();
    struct Ready {
        Checked checked;
        std::string path;
        std::optional<std::string> document;  // lookup hash
        int line;
    };
    std::vector<Ready> ready;
    std::map<std::string, int> seen;  // lookup hash → line
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int line = i < lines.size() ? lines[i] : static_cast<int>(i) + 2;
        try {
            auto checked = check_fields(rows[i], nullptr, now);
            const auto path = grid_.path_of(*checked.f.node_id);
            if (!path) throw Error(ErrorCode::invalid_field, "No such grid.", "grid");
            if (!in_scope(*checked.f.node_id, actor))
                throw Error(ErrorCode::forbidden, "The grid is outside your scope.", "grid");
            std::optional<std::string> document;
            if (checked.id_number_plain) {
                document = cipher_.lookup_hash(*checked.f.id_type + ":" + *checked.id_number_plain);
                if (const auto it = seen.find(*document); it != seen.end())
                    throw Error(ErrorCode::conflict,
                                fmt::format("The same document as line {}.", it->second),
                                "id_number");
                seen[*document] = line;
            }
            ready.push_back({std::move(checked), *path, std::move(document), line});
        } catch (const Error& e) {
            report.problems.push_back({line, e.field(), e.what()});
        }
    }
    // documents already registered, asked for in batches rather than a line at a time
    std::vector<std::string> documents;
    for (const auto& r : ready)
        if (r.document) documents.push_back(*r.document);
    if (const auto known = registered_documents(documents, actor); !known.empty()) {
        for (const auto& r : ready)
            if (r.document && known.contains(*r.document))
                report.problems.push_back(
                    {r.line, "id_number", "This document is on the registry already."});
        std::sort(report.problems.begin(), report.problems.end(),
                  [](const auto& a, const auto& b) { return a.line < b.line; });
    }
    if (dry_run || !report.problems.empty()) return report;
    db_.transact([&](store::Connection& c) {
        std::vector<std::int64_t> ids;
        ids.reserve(ready.size());
        for (std::size_t at = 0; at < ready.size(); at += kImportBatch) {
            const auto n = std::min(kImportBatch, ready.size() - at);
            std::vector<Value> values;
            values.reserve(n * kInsertWidth);
            for (std::size_t k = 0; k < n; ++k)
                append_insert_values(values, ready[at + k].checked, ready[at + k].path, actor, now);
            // ids are handed out in the order of the VALUES; sorted, they match the lines
            std::vector<std::int64_t> batch;
            for (const auto& row :
                 c.run(fmt::format("INSERT INTO people ({}) VALUES {} RETURNING id", kInsertColumns,
                                   placeholders(n, kInsertWidth)),
                       values)
                     .rows)
                batch.push_back(row.integer("id"));
            std::sort(batch.begin(), batch.end());
            ids.insert(ids.end(), batch.begin(), batch.end());

            std::vector<Value> changes;
            changes.reserve(n * 6);
            for (std::size_t k = 0; k < n; ++k)
                changes.insert(changes.end(),
                               {std::string("person"), ids[at + k], std::int64_t{1}, user_of(actor),
                                now, json::serialize(first_changes(ready[at + k].checked))});
            c.run(fmt::format("INSERT INTO record_changes (record_type, record_id, version, "
                              "changed_by, changed_at, changes) VALUES {}",
                              placeholders(n, 6)),
                  changes);
        }
        audit_.record(c, &actor, origin, "people_imported", "people", "ok",
                      ids.empty() ? std::string("0 rows")
                                  : fmt::format("{} rows, people {} to {}", ids.size(), ids.front(),
                                                ids.back()));
    });
    report.added = static_cast<int>(ready.size());
    return report;
}

Person PeopleRegistry::update(std::int64_t id, const PersonFields& fields, int expected_version,
                              const accounts::Principal& actor,
                              const accounts::RequestOrigin& origin) {
    check_keeper(actor);
    Person out;
    db_.transact([&](store::Connection& c) {
        const auto rows =
            c.run(fmt::format("SELECT {} FROM people WHERE id = $1", kPersonColumns), {id});
        if (rows.empty() || !in_scope(rows.front().integer("node_id"), actor))
            throw Error(ErrorCode::not_found, "No such person.");
        const Person before = person_from_row(rows.front());
        if (before.version != expected_version) throw Error(ErrorCode::version_conflict);
        const Millis now = clock_.now();
        auto checked = check_fields(fields, &before, now);
        // an identity document's type and number go together
        if (fields.id_type && !fields.id_number && fields.id_type != before.id_type)
            throw Error(ErrorCode::missing_field, "Give the number of the new document.",
                        "id_number");
        auto& f = checked.f;
        std::optional<std::string> path;
        if (f.node_id) {
            path = grid_.path_of(*f.node_id);
            if (!path) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
            if (!in_scope(*f.node_id, actor))
                throw Error(ErrorCode::forbidden, "The grid is outside your scope.", "node_id");
        }
        json::object changes;
        const auto note = [&](const char* field, const std::optional<std::string>& was,
                              const std::optional<std::string>& now_value) {
            if (now_value && now_value != was)
                changes[field] = json::array{was ? json::value(*was) : nullptr, *now_value};
        };
        note("name", before.name, f.name);
        note("gender", before.gender, f.gender);
        note("birth_date", before.birth_date, f.birth_date);
        note("ethnicity", before.ethnicity, f.ethnicity);
        note("household_type", before.household_type, f.household_type);
        note("registered_address", before.registered_address, f.registered_address);
        note("employer", before.employer, f.employer);
        note("source", before.source, f.source);
        note("id_type", before.id_type, f.id_type);
        if (checked.id_number_plain)
            note("id_number", before.id_number, mask_identity_number(*checked.id_number_plain));
        if (checked.phone_plain) note("phone", before.phone, mask_phone(*checked.phone_plain));
        if (f.node_id && *f.node_id != before.node_id)
            changes["node_id"] = json::array{before.node_id, *f.node_id};
        if (changes.empty()) {
            out = before;
            return;
        }
        const std::string id_type = f.id_type.value_or(before.id_type);
        const auto& plain_id = checked.id_number_plain;
        const auto& plain_phone = checked.phone_plain;
        if (plain_id) {
            // as on adding: a twin the actor can see is refused, one elsewhere is not told of
            for (const auto& row :
                 c.run("SELECT node_id FROM people WHERE id_number_hash = $1 AND id <> $2",
                       {cipher_.lookup_hash(id_type + ":" + *plain_id), id})
                     .rows)
                if (in_scope(row.integer("node_id"), actor))
                    throw Error(
                        ErrorCode::conflict,
                        "您的管辖范围内已登记此证件。 A person with this identity document is "
                        "on the registry in your area already.",
                        "id_number");
        }
        const auto r = c.run(
            "UPDATE people SET name = COALESCE($1, name), id_type = $2, gender = COALESCE($3, "
            "gender), birth_date = COALESCE($4, birth_date), ethnicity = COALESCE($5, ethnicity), "
            "household_type = COALESCE($6, household_type), registered_address = COALESCE($7, "
            "registered_address), employer = COALESCE($8, employer), source = COALESCE($9, "
            "source), "
            "node_id = COALESCE($10, node_id), node_path = COALESCE($11, node_path), "
            "id_number = COALESCE($12, id_number), id_number_hash = COALESCE($13, id_number_hash), "
            "id_number_masked = COALESCE($14, id_number_masked), phone = COALESCE($15, phone), "
            "phone_hash = COALESCE($16, phone_hash), phone_masked = COALESCE($17, phone_masked), "
            "state = 'collected', verified_by = NULL, verified_at = NULL, updated_at = $18, "
            "version = version + 1 WHERE id = $19 AND version = $20",
            {optional_value(f.name),
             id_type,
             optional_value(f.gender),
             optional_value(f.birth_date),
             optional_value(f.ethnicity),
             optional_value(f.household_type),
             optional_value(f.registered_address),
             optional_value(f.employer),
             optional_value(f.source),
             f.node_id ? Value{*f.node_id} : Value{nullptr},
             optional_value(path),
             plain_id ? Value{cipher_.encrypt(*plain_id)} : Value{nullptr},
             plain_id ? Value{cipher_.lookup_hash(id_type + ":" + *plain_id)} : Value{nullptr},
             plain_id ? Value{mask_identity_number(*plain_id)} : Value{nullptr},
             plain_phone ? Value{cipher_.encrypt(*plain_phone)} : Value{nullptr},
             plain_phone ? Value{cipher_.lookup_hash("phone:" + *plain_phone)} : Value{nullptr},
             plain_phone ? Value{mask_phone(*plain_phone)} : Value{nullptr},
             now,
             id,
             std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        record_change(c, "person", id, expected_version + 1, actor, now, changes);
        out = person_from_row(
            c.run(fmt::format("SELECT {} FROM people WHERE id = $1", kPersonColumns), {id})
                .front());
        audit_.record(c, &actor, origin, "person_changed", fmt::format("person:{}", id), "ok");
    });
    return out;
}

Person PeopleRegistry::set_state(std::int64_t id, const std::string& state, int expected_version,
                                 const accounts::Principal& actor,
                                 const accounts::RequestOrigin& origin) {
    Person out;
    db_.transact([&](store::Connection& c) {
        const auto rows = c.run("SELECT node_id FROM people WHERE id = $1", {id});
        if (rows.empty() || !in_scope(rows.front().integer("node_id"), actor))
            throw Error(ErrorCode::not_found, "No such person.");
        set_record_state(c, "people", "person", id, state, expected_version, actor, clock_.now());
        out = person_from_row(
            c.run(fmt::format("SELECT {} FROM people WHERE id = $1", kPersonColumns), {id})
                .front());
        audit_.record(c, &actor, origin, "person_" + state, fmt::format("person:{}", id), "ok");
    });
    return out;
}

Person PeopleRegistry::get(std::int64_t id, const accounts::Principal& viewer,
                           const std::vector<std::string>& reveal, const std::string& reason,
                           const accounts::RequestOrigin& origin) {
    check_reveal(reveal, reason, viewer, fmt::format("person:{}", id), origin);
    Person out;
    std::optional<std::string> sealed_id, sealed_phone;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            fmt::format("SELECT {}, id_number, phone FROM people WHERE id = $1", kPersonColumns),
            {id});
        if (rows.empty() || !in_scope(rows.front().integer("node_id"), viewer))
            throw Error(ErrorCode::not_found, "No such person.");
        out = person_from_row(rows.front());
        sealed_id = rows.front().opt_text("id_number");
        sealed_phone = rows.front().opt_text("phone");
    });
    if (!reveal.empty()) {
        std::string shown;
        for (const auto& field : reveal) {
            if (field == "id_number" && sealed_id) {
                out.id_number = cipher_.decrypt(*sealed_id);
                out.birth_date_shown = true;
            }
            if (field == "phone" && sealed_phone) out.phone = cipher_.decrypt(*sealed_phone);
            shown += (shown.empty() ? "" : ",") + field;
        }
        audit_.record(&viewer, origin, "personal_data_viewed", fmt::format("person:{}", id), "ok",
                      fmt::format("{}: {}", shown, reason));
    }
    return out;
}

void PeopleRegistry::check_reveal(const std::vector<std::string>& reveal, const std::string& reason,
                                  const accounts::Principal& viewer, const std::string& target,
                                  const accounts::RequestOrigin& origin) const {
    for (const auto& field : reveal) {
        if (field != "id_number" && field != "phone")
            throw Error(ErrorCode::invalid_field, "Reveal id_number or phone.", "reveal");
    }
    if (!reveal.empty()) require_reveal(viewer, reason, target, audit_, origin);
}

}  // namespace gridgov::registry
