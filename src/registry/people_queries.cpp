// Reading the actual population in bulk: the search (by name prefix, exact document or phone,
// household type, group, state, subtree), the export of what a filter finds, and a person's
// history as a viewer may see it (masked like the record).
#include <fmt/format.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/error.hpp"
#include "registry/identity_number.hpp"
#include "registry/people_registry.hpp"
#include "registry/person_tags.hpp"

namespace gridgov::registry {

using store::Value;

std::string PeopleRegistry::where_of(const PersonQuery& q, const accounts::Principal& viewer,
                                     std::vector<Value>& params) const {
    require_registry_viewer(viewer);
    std::string where = "WHERE 1 = 1";
    const auto add = [&](const std::string& condition, Value v) {
        params.push_back(std::move(v));
        where += " AND " + fmt::format(fmt::runtime(condition), params.size());
    };
    if (q.name) add("name LIKE ${}", *q.name + "%");
    if (q.id_number) {
        // a citizen's number as it is stored (checked and upper-cased); any other document as given
        std::string number = *q.id_number;
        const auto parsed = parse_identity_number(number, 99991231);
        if (parsed.value) {
            add("id_number_hash = ${}", cipher_.lookup_hash("resident_id:" + parsed.value->number));
        } else {
            std::transform(number.begin(), number.end(), number.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
            std::string any;
            for (const auto type : person_id_types()) {
                params.emplace_back(cipher_.lookup_hash(std::string(type) + ":" + number));
                any += fmt::format("{}${}", any.empty() ? "" : ", ", params.size());
            }
            where += " AND id_number_hash IN (" + any + ")";
        }
    }
    if (q.phone) {
        std::string digits;
        for (const char ch : *q.phone) {
            if (ch >= '0' && ch <= '9') digits += ch;
        }
        add("phone_hash = ${}", cipher_.lookup_hash("phone:" + digits));
    }
    if (q.household_type) add("household_type = ${}", *q.household_type);
    if (q.state) add("state = ${}", *q.state);
    if (q.tag) {
        if (!find_tag(*q.tag)) throw Error(ErrorCode::invalid_field, "No such group.", "tag");
        add("id IN (SELECT person_id FROM person_tags WHERE tag = ${})", *q.tag);
    }
    RecordScope(grid_).restrict(where, params, viewer, q.node_id);
    return where;
}

std::vector<Person> PeopleRegistry::search(const PersonQuery& q, const accounts::Principal& viewer,
                                           int limit, int offset, std::int64_t* total) {
    std::vector<Value> params;
    const auto where = where_of(q, viewer, params);
    std::vector<Person> out;
    db_.read([&](store::Connection& c) {
        if (total)
            *total =
                c.run("SELECT COUNT(*) AS n FROM people " + where, params).front().integer("n");
        auto paged = params;
        paged.emplace_back(std::int64_t{limit});
        paged.emplace_back(std::int64_t{offset});
        // the page's ids first (from an index alone when one holds the filter), then their rows;
        // in the order of the name index (grid by grid), so that a page of a common name reads
        // its first entries instead of walking the whole table in id order
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM people WHERE id IN (SELECT id FROM people {} ORDER "
                               "BY node_path, id LIMIT ${} OFFSET ${}) ORDER BY node_path, id",
                               kPersonColumns, where, paged.size() - 1, paged.size()),
                   paged)
                 .rows)
            out.push_back(person_from_row(row));
    });
    return out;
}

PeopleExport PeopleRegistry::export_people(const PersonQuery& q, const accounts::Principal& viewer,
                                           const std::vector<std::string>& reveal,
                                           const std::string& reason,
                                           const accounts::RequestOrigin& origin, int max_rows) {
    check_reveal(reveal, reason, viewer, "people", origin);
    const bool show_number = std::count(reveal.begin(), reveal.end(), "id_number") > 0;
    const bool show_phone = std::count(reveal.begin(), reveal.end(), "phone") > 0;
    std::vector<Value> params;
    const auto where = where_of(q, viewer, params);
    PeopleExport out;
    db_.read([&](store::Connection& c) {
        out.total = c.run("SELECT COUNT(*) AS n FROM people " + where, params).front().integer("n");
        params.emplace_back(std::int64_t{max_rows});
        for (const auto& row :
             c.run(fmt::format("SELECT {}, id_number, phone FROM people {} ORDER BY id LIMIT ${}",
                               kPersonColumns, where, params.size()),
                   params)
                 .rows) {
            auto p = person_from_row(row);
            if (show_number && row.opt_text("id_number")) {
                p.id_number = cipher_.decrypt(*row.opt_text("id_number"));
                p.birth_date_shown = true;
            }
            if (show_phone && row.opt_text("phone"))
                p.phone = cipher_.decrypt(*row.opt_text("phone"));
            out.people.push_back(std::move(p));
        }
    });
    std::string shown;
    for (const auto& field : reveal) shown += (shown.empty() ? "" : ",") + field;
    audit_.record(
        &viewer, origin, "people_exported", "people", "ok",
        reveal.empty()
            ? fmt::format("{} of {} rows, masked", out.people.size(), out.total)
            : fmt::format("{} of {} rows, {}: {}", out.people.size(), out.total, shown, reason));
    return out;
}

std::vector<PersonChange> PeopleRegistry::history(std::int64_t id,
                                                  const accounts::Principal& viewer) {
    std::vector<PersonChange> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run("SELECT node_id FROM people WHERE id = $1", {id});
        if (rows.empty() || !in_scope(rows.front().integer("node_id"), viewer))
            throw Error(ErrorCode::not_found, "No such person.");
        out = changes_of(c, "person", id);
    });
    // what history shows is masked as the record is: numbers by today's masks, the birth date
    // by its year alone
    for (auto& change : out) {
        auto doc = boost::json::parse(change.changes);
        if (!doc.is_object()) continue;
        for (auto& [field, pair] : doc.as_object()) {
            if (!pair.is_array()) continue;
            for (auto& v : pair.as_array()) {
                if (!v.is_string()) continue;
                const std::string text(v.as_string());
                if (field == "id_number") v = mask_identity_number(text);
                if (field == "phone") v = mask_phone(text);
                if (field == "birth_date" && text.size() >= 4) v = text.substr(0, 4) + "-**-**";
            }
        }
        change.changes = boost::json::serialize(doc);
    }
    return out;
}

}  // namespace gridgov::registry
