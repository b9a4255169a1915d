#include "registry/record_keeping.hpp"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::registry {

using store::Value;
namespace json = boost::json;

Value user_of(const accounts::Principal& p) {
    return p.kind == accounts::Principal::Kind::user ? Value{p.id} : Value{nullptr};
}

void require_keeper(const accounts::Principal& actor) {
    if (!actor.can(accounts::Permission::keep_registry))
        throw Error(ErrorCode::forbidden, "Your role does not keep the registry.");
}

void require_registry_viewer(const accounts::Principal& viewer) {
    accounts::Scope::of(viewer, accounts::SelfAncestry{}).require(accounts::Area::registry);
}

bool RecordScope::sees(std::int64_t node, const accounts::Principal& viewer) const {
    const auto scope = accounts::Scope::of(viewer, grid_);
    return scope.reads(accounts::Area::registry) && scope.covers(node, grid_);
}

std::string RecordScope::path_for_keeping(std::int64_t node, const accounts::Principal& actor,
                                          const char* field) const {
    const auto path = grid_.path_of(node);
    if (!path) throw Error(ErrorCode::invalid_field, "No such node.", field);
    if (!sees(node, actor))
        throw Error(ErrorCode::forbidden, "The grid is outside your scope.", field);
    return *path;
}

void RecordScope::restrict(std::string& where, std::vector<Value>& params,
                           const accounts::Principal& viewer,
                           const std::optional<std::int64_t>& node, std::string_view column) const {
    const auto subtree = [&](std::int64_t n, const char* field) {
        const auto p = grid_.path_of(n);
        if (!p) throw Error(ErrorCode::invalid_field, "No such node.", field);
        params.emplace_back(*p + "%");
        where += fmt::format(" AND {} LIKE ${}", column, params.size());
    };
    if (node) subtree(*node, "node_id");
    accounts::Scope::of(viewer, grid_).restrict(where, params, column);
}

void ChangeSet::note(const char* field, const std::optional<std::string>& before,
                     const std::optional<std::string>& after) {
    if (!after || after == before) return;
    changes_[field] = json::array{before ? json::value(*before) : json::value(nullptr), *after};
}

void ChangeSet::note(const char* field, const std::optional<std::int64_t>& before,
                     const std::optional<std::int64_t>& after) {
    if (!after || after == before) return;
    changes_[field] = json::array{before ? json::value(*before) : json::value(nullptr), *after};
}

void record_change(store::Connection& c, std::string_view record_type, std::int64_t id, int version,
                   const accounts::Principal& actor, Millis at, const json::object& changes) {
    c.run(
        "INSERT INTO record_changes (record_type, record_id, version, changed_by, changed_at, "
        "changes) VALUES ($1, $2, $3, $4, $5, $6)",
        {std::string(record_type), id, std::int64_t{version}, user_of(actor), at,
         json::serialize(changes)});
}

std::vector<RecordChange> changes_of(store::Connection& c, std::string_view record_type,
                                     std::int64_t id) {
    std::vector<RecordChange> out;
    for (const auto& row : c.run("SELECT version, changed_by, changed_at, changes FROM "
                                 "record_changes WHERE record_type = $1 AND record_id = $2 ORDER "
                                 "BY changed_at, id",
                                 {std::string(record_type), id})
                               .rows)
        out.push_back({static_cast<int>(row.integer("version")), row.opt_integer("changed_by"),
                       row.integer("changed_at"), row.text("changes")});
    return out;
}

void require_code(store::Connection& c, std::string_view table, const std::string& code,
                  const char* field) {
    if (c.run("SELECT 1 FROM code_tables WHERE table_name = $1 AND code = $2",
              {std::string(table), code})
            .empty())
        throw Error(ErrorCode::invalid_field,
                    fmt::format("{} is not a code of the table {}.", code, table), field);
}

void require_date(const std::optional<std::string>& day, const char* field) {
    if (day && !parse_day(*day))
        throw Error(ErrorCode::invalid_field, "A date is written YYYY-MM-DD.", field);
}

void require_text(const std::optional<std::string>& v, std::size_t max, const char* field) {
    if (v && (utf8_length(*v) > max || v->find('\0') != std::string::npos))
        throw Error(ErrorCode::invalid_field, fmt::format("At most {} characters.", max), field);
}

void require_source(const std::optional<std::string>& source) {
    if (source && *source != "collected" && *source != "imported" && *source != "self_reported")
        throw Error(ErrorCode::invalid_field, "The source is collected, imported or self_reported.",
                    "source");
}

std::optional<std::string> phone_digits(const std::optional<std::string>& phone,
                                        const char* field) {
    if (!phone) return std::nullopt;
    std::string digits;
    for (const char ch : *phone) {
        if (ch >= '0' && ch <= '9') {
            digits += ch;
        } else if (ch != ' ' && ch != '-' && ch != '+') {
            throw Error(ErrorCode::invalid_field, "A phone number has digits only.", field);
        }
    }
    if (digits.size() < 5 || digits.size() > 20)
        throw Error(ErrorCode::invalid_field, "A phone number has 5 to 20 digits.", field);
    return digits;
}

void require_reveal(const accounts::Principal& viewer, const std::string& reason,
                    const std::string& target, accounts::AuditLog& audit,
                    const accounts::RequestOrigin& origin) {
    if (!viewer.can(accounts::Permission::reveal_personal_data)) {
        audit.record(&viewer, origin, "denied", target, "denied", "reveal");
        throw Error(ErrorCode::forbidden, "Your role does not see personal data unmasked.",
                    "reveal");
    }
    // a reason is words, not spaces
    const auto said = trim_spaces(reason);
    if (utf8_length(said) < 2 || utf8_length(reason) > 200)
        throw Error(
            ErrorCode::missing_field,
            "请说明查看原因（2 至 200 字）。 Say why you need to see it (2 to 200 characters).",
            "reason");
}

void set_record_state(store::Connection& c, std::string_view table, std::string_view record_type,
                      std::int64_t id, const std::string& state, int expected_version,
                      const accounts::Principal& actor, Millis now) {
    require_keeper(actor);
    if (actor.role == accounts::Role::grid_worker)
        throw Error(ErrorCode::forbidden, "The community or the centre verifies records.");
    if (state != "verified" && state != "flagged")
        throw Error(ErrorCode::invalid_field, "The state is verified or flagged.", "state");
    const auto before = c.run(fmt::format("SELECT state FROM {} WHERE id = $1", table), {id});
    if (before.empty()) throw Error(ErrorCode::not_found, "No such record.");
    const auto r =
        state == "verified"
            ? c.run(fmt::format("UPDATE {} SET state = 'verified', verified_by = $1, verified_at "
                                "= $2, updated_at = $2, version = version + 1 WHERE id = $3 AND "
                                "version = $4",
                                table),
                    {user_of(actor), now, id, std::int64_t{expected_version}})
            : c.run(fmt::format("UPDATE {} SET state = 'flagged', updated_at = $1, version = "
                                "version + 1 WHERE id = $2 AND version = $3",
                                table),
                    {now, id, std::int64_t{expected_version}});
    if (r.affected != 1) throw Error(ErrorCode::version_conflict);
    record_change(c, record_type, id, expected_version + 1, actor, now,
                  json::object{{"state", json::array{before.front().text("state"), state}}});
}

}  // namespace gridgov::registry
