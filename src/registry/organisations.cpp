#include "registry/organisations.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "registry/credit_code.hpp"

namespace gridgov::registry {

using store::Value;

namespace {

constexpr const char* kColumns =
    "id, kind, name, credit_code, legal_representative, phone, address_id, node_id, industry, "
    "employees, state, updated_at, version";

Organisation organisation_from(const store::Row& row) {
    Organisation o;
    o.id = row.integer("id");
    o.kind = row.text("kind");
    o.name = row.text("name");
    o.credit_code = row.opt_text("credit_code");
    o.legal_representative = row.opt_text("legal_representative");
    o.phone = row.opt_text("phone");
    o.address_id = row.opt_integer("address_id");
    o.node_id = row.integer("node_id");
    o.industry = row.opt_text("industry");
    if (const auto e = row.opt_integer("employees")) o.employees = static_cast<int>(*e);
    o.state = row.text("state");
    o.updated_at = row.integer("updated_at");
    o.version = static_cast<int>(row.integer("version"));
    return o;
}

Value opt(const std::optional<std::string>& v) {
    return v ? Value{*v} : Value{nullptr};
}

// Checks the fields; the credit code upper-cased.
OrganisationFields checked(OrganisationFields f) {
    if (f.kind && *f.kind != "enterprise" && *f.kind != "individual_business" &&
        *f.kind != "social_organisation" && *f.kind != "institution")
        throw Error(ErrorCode::invalid_field,
                    "The kind is enterprise, individual_business, social_organisation or "
                    "institution.",
                    "kind");
    if (f.name && (f.name->empty() || utf8_length(*f.name) > 100))
        throw Error(ErrorCode::invalid_field, "A name has 1 to 100 characters.", "name");
    if (f.credit_code) {
        std::transform(f.credit_code->begin(), f.credit_code->end(), f.credit_code->begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        if (const auto problem = credit_code_problem(*f.credit_code))
            throw Error(ErrorCode::invalid_field, *problem, "credit_code");
    }
    for (const auto& [value, field] :
         {std::pair{&f.legal_representative, "legal_representative"},
          std::pair{&f.industry, "industry"}, std::pair{&f.phone, "phone"}}) {
        if (*value && utf8_length(**value) > 100)
            throw Error(ErrorCode::invalid_field, "At most 100 characters.", field);
    }
    if (f.employees && (*f.employees < 0 || *f.employees > 10'000'000))
        throw Error(ErrorCode::invalid_field, "The number of employees is 0 or more.", "employees");
    return f;
}

}  // namespace

Organisations::Organisations(store::Database& db, people::AuditLog& audit, grid::GridService& grid,
                             const Clock& clock)
    : db_(db), audit_(audit), grid_(grid), clock_(clock) {}

bool Organisations::in_scope(std::int64_t node, const people::Principal& viewer) const {
    using people::Role;
    if (viewer.role == Role::dept_handler || viewer.role == Role::volunteer) return false;
    return !viewer.scope_node_id || grid_.is_within(node, *viewer.scope_node_id);
}

Organisation Organisations::load(store::Connection& c, std::int64_t id,
                                 const people::Principal& viewer) const {
    const auto rows =
        c.run(fmt::format("SELECT {} FROM organisations WHERE id = $1", kColumns), {id});
    if (rows.empty() || !in_scope(rows.front().integer("node_id"), viewer))
        throw Error(ErrorCode::not_found, "No such organisation.");
    return organisation_from(rows.front());
}

Organisation Organisations::add(const OrganisationFields& in, const people::Principal& actor,
                                const people::RequestOrigin& origin) {
    if (!actor.can(people::Permission::keep_registry))
        throw Error(ErrorCode::forbidden, "Your role does not keep the registry.");
    if (!in.kind) throw Error(ErrorCode::missing_field, "Say what kind it is.", "kind");
    if (!in.name) throw Error(ErrorCode::missing_field, "Give its name.", "name");
    const auto f = checked(in);
    Organisation out;
    db_.transact([&](store::Connection& c) {
        // its grid: given, else its address's
        std::optional<std::int64_t> node = f.node_id;
        if (f.address_id) {
            const auto a = c.run("SELECT node_id FROM addresses WHERE id = $1", {*f.address_id});
            if (a.empty()) throw Error(ErrorCode::invalid_field, "No such address.", "address_id");
            if (!node) node = a.front().opt_integer("node_id");
        }
        if (!node) throw Error(ErrorCode::missing_field, "Say its grid or its address.", "node_id");
        const auto path = grid_.path_of(*node);
        if (!path) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
        if (!in_scope(*node, actor))
            throw Error(ErrorCode::forbidden, "The grid is outside your scope.", "node_id");
        const Millis now = clock_.now();
        std::int64_t id = 0;
        try {
            id = c.run(
                      "INSERT INTO organisations (kind, name, credit_code, legal_representative, "
                      "phone, address_id, node_id, node_path, industry, employees, collected_by, "
                      "collected_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                      "$11, $12, $12) RETURNING id",
                      {*f.kind, *f.name, opt(f.credit_code), opt(f.legal_representative),
                       opt(f.phone), f.address_id ? Value{*f.address_id} : Value{nullptr}, *node,
                       *path, opt(f.industry),
                       f.employees ? Value{std::int64_t{*f.employees}} : Value{nullptr},
                       actor.kind == people::Principal::Kind::user ? Value{actor.id}
                                                                   : Value{nullptr},
                       now})
                     .front()
                     .integer("id");
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict)
                throw Error(ErrorCode::conflict, "An organisation has this credit code already.",
                            "credit_code");
            throw;
        }
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "organisation_added", fmt::format("organisation:{}", id),
                      "ok");
    });
    return out;
}

Organisation Organisations::update(std::int64_t id, const OrganisationFields& in,
                                   int expected_version, const people::Principal& actor,
                                   const people::RequestOrigin& origin) {
    if (!actor.can(people::Permission::keep_registry))
        throw Error(ErrorCode::forbidden, "Your role does not keep the registry.");
    const auto f = checked(in);
    Organisation out;
    db_.transact([&](store::Connection& c) {
        const auto before = load(c, id, actor);
        if (before.version != expected_version) throw Error(ErrorCode::version_conflict);
        const std::int64_t node = f.node_id.value_or(before.node_id);
        const auto path = grid_.path_of(node);
        if (!path) throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
        if (!in_scope(node, actor))
            throw Error(ErrorCode::forbidden, "The grid is outside your scope.", "node_id");
        const auto r = c.run(
            "UPDATE organisations SET kind = COALESCE($1, kind), name = COALESCE($2, name), "
            "credit_code = COALESCE($3, credit_code), legal_representative = COALESCE($4, "
            "legal_representative), phone = COALESCE($5, phone), industry = COALESCE($6, "
            "industry), employees = COALESCE($7, employees), node_id = $8, node_path = $9, "
            "state = 'collected', updated_at = $10, version = version + 1 WHERE id = $11 AND "
            "version = $12",
            {opt(f.kind), opt(f.name), opt(f.credit_code), opt(f.legal_representative),
             opt(f.phone), opt(f.industry),
             f.employees ? Value{std::int64_t{*f.employees}} : Value{nullptr}, node, *path,
             clock_.now(), id, std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "organisation_changed", fmt::format("organisation:{}", id),
                      "ok");
    });
    return out;
}

Organisation Organisations::get(std::int64_t id, const people::Principal& viewer) {
    Organisation out;
    db_.read([&](store::Connection& c) { out = load(c, id, viewer); });
    return out;
}

std::vector<Organisation> Organisations::find(const std::optional<std::string>& q,
                                              const people::Principal& viewer, int limit) {
    using people::Role;
    if (viewer.role == Role::dept_handler || viewer.role == Role::volunteer)
        throw Error(ErrorCode::forbidden, "Your role does not see the registry.");
    std::string where = "1 = 1";
    std::vector<Value> params;
    if (q) {
        std::string upper = *q;
        std::transform(upper.begin(), upper.end(), upper.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        params.emplace_back(*q + "%");
        params.emplace_back(upper);
        where = "(name LIKE $1 OR credit_code = $2)";
    }
    if (viewer.scope_node_id) {
        params.emplace_back(grid_.path_of(*viewer.scope_node_id).value_or("/none/") + "%");
        where += fmt::format(" AND node_path LIKE ${}", params.size());
    }
    params.emplace_back(std::int64_t{limit});
    std::vector<Organisation> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row :
             c.run(fmt::format("SELECT {} FROM organisations WHERE {} ORDER BY name LIMIT ${}",
                               kColumns, where, params.size()),
                   params)
                 .rows)
            out.push_back(organisation_from(row));
    });
    return out;
}

}  // namespace gridgov::registry
