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
    "id, kind, name, credit_code, legal_representative, phone_masked, address_id, node_id, "
    "industry, employees, source, state, verified_by, verified_at, updated_at, version";

Organisation organisation_from(const store::Row& row) {
    Organisation o;
    o.id = row.integer("id");
    o.kind = row.text("kind");
    o.name = row.text("name");
    o.credit_code = row.opt_text("credit_code");
    o.legal_representative = row.opt_text("legal_representative");
    if (auto masked = row.opt_text("phone_masked")) o.phone = mask_phone(*masked);
    o.address_id = row.opt_integer("address_id");
    o.node_id = row.integer("node_id");
    o.industry = row.opt_text("industry");
    if (const auto e = row.opt_integer("employees")) o.employees = static_cast<int>(*e);
    o.source = row.text("source");
    o.state = row.text("state");
    o.verified_by = row.opt_integer("verified_by");
    o.verified_at = row.opt_integer("verified_at");
    o.updated_at = row.integer("updated_at");
    o.version = static_cast<int>(row.integer("version"));
    return o;
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
    require_text(f.legal_representative, 100, "legal_representative");
    require_text(f.industry, 100, "industry");
    f.phone = phone_digits(f.phone, "phone");
    require_source(f.source);
    if (f.employees && (*f.employees < 0 || *f.employees > 10'000'000))
        throw Error(ErrorCode::invalid_field, "The number of employees is 0 or more.", "employees");
    return f;
}

}  // namespace

Organisations::Organisations(store::Database& db, accounts::AuditLog& audit,
                             grid::GridService& grid, const FieldCipher& cipher, const Clock& clock)
    : db_(db), audit_(audit), scope_(grid), cipher_(cipher), clock_(clock) {}

Organisation Organisations::load(store::Connection& c, std::int64_t id,
                                 const accounts::Principal& viewer) const {
    const auto rows =
        c.run(fmt::format("SELECT {} FROM organisations WHERE id = $1", kColumns), {id});
    if (rows.empty() || !scope_.sees(rows.front().integer("node_id"), viewer))
        throw Error(ErrorCode::not_found, "No such organisation.");
    return organisation_from(rows.front());
}

Organisation Organisations::add(const OrganisationFields& in, const accounts::Principal& actor,
                                const accounts::RequestOrigin& origin) {
    require_keeper(actor);
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
        const auto path = scope_.path_for_keeping(*node, actor, "node_id");
        const Millis now = clock_.now();
        std::int64_t id = 0;
        try {
            id = c.run(
                      "INSERT INTO organisations (kind, name, credit_code, legal_representative, "
                      "phone, phone_masked, address_id, node_id, node_path, industry, employees, "
                      "source, collected_by, collected_at, updated_at) VALUES ($1, $2, $3, $4, "
                      "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
                      {*f.kind, *f.name, optional_value(f.credit_code),
                       optional_value(f.legal_representative),
                       f.phone ? Value{cipher_.encrypt(*f.phone)} : Value{nullptr},
                       f.phone ? Value{mask_phone(*f.phone)} : Value{nullptr},
                       optional_value(f.address_id), *node, path, optional_value(f.industry),
                       f.employees ? Value{std::int64_t{*f.employees}} : Value{nullptr},
                       f.source.value_or("collected"), user_of(actor), now})
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
                                   int expected_version, const accounts::Principal& actor,
                                   const accounts::RequestOrigin& origin) {
    require_keeper(actor);
    const auto f = checked(in);
    Organisation out;
    db_.transact([&](store::Connection& c) {
        const auto before = load(c, id, actor);
        if (before.version != expected_version) throw Error(ErrorCode::version_conflict);
        const std::int64_t node = f.node_id.value_or(before.node_id);
        const auto path = scope_.path_for_keeping(node, actor, "node_id");
        ChangeSet changes;
        changes.note("kind", before.kind, f.kind);
        changes.note("name", before.name, f.name);
        changes.note("credit_code", before.credit_code, f.credit_code);
        changes.note("legal_representative", before.legal_representative, f.legal_representative);
        changes.note("phone", before.phone,
                     f.phone ? std::optional{mask_phone(*f.phone)} : std::nullopt);
        changes.note("industry", before.industry, f.industry);
        changes.note(
            "employees",
            before.employees ? std::optional<std::int64_t>{*before.employees} : std::nullopt,
            f.employees ? std::optional<std::int64_t>{*f.employees} : std::nullopt);
        changes.note("node_id", std::optional{before.node_id}, f.node_id);
        const Millis now = clock_.now();
        const auto r = c.run(
            "UPDATE organisations SET kind = COALESCE($1, kind), name = COALESCE($2, name), "
            "credit_code = COALESCE($3, credit_code), legal_representative = COALESCE($4, "
            "legal_representative), phone = COALESCE($5, phone), phone_masked = COALESCE($6, "
            "phone_masked), industry = COALESCE($7, industry), employees = COALESCE($8, "
            "employees), node_id = $9, node_path = $10, state = 'collected', updated_at = $11, "
            "version = version + 1 WHERE id = $12 AND version = $13",
            {optional_value(f.kind), optional_value(f.name), optional_value(f.credit_code),
             optional_value(f.legal_representative),
             f.phone ? Value{cipher_.encrypt(*f.phone)} : Value{nullptr},
             f.phone ? Value{mask_phone(*f.phone)} : Value{nullptr}, optional_value(f.industry),
             f.employees ? Value{std::int64_t{*f.employees}} : Value{nullptr}, node, path, now, id,
             std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        record_change(c, "organisation", id, expected_version + 1, actor, now, changes.json());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "organisation_changed", fmt::format("organisation:{}", id),
                      "ok");
    });
    return out;
}

Organisation Organisations::set_state(std::int64_t id, const std::string& state,
                                      int expected_version, const accounts::Principal& actor,
                                      const accounts::RequestOrigin& origin) {
    Organisation out;
    db_.transact([&](store::Connection& c) {
        load(c, id, actor);
        set_record_state(c, "organisations", "organisation", id, state, expected_version, actor,
                         clock_.now());
        out = load(c, id, actor);
        audit_.record(c, &actor, origin, "organisation_" + state,
                      fmt::format("organisation:{}", id), "ok");
    });
    return out;
}

Organisation Organisations::get(std::int64_t id, const accounts::Principal& viewer) {
    Organisation out;
    db_.read([&](store::Connection& c) { out = load(c, id, viewer); });
    return out;
}

std::vector<RecordChange> Organisations::history(std::int64_t id,
                                                 const accounts::Principal& viewer) {
    std::vector<RecordChange> out;
    db_.read([&](store::Connection& c) {
        load(c, id, viewer);
        out = changes_of(c, "organisation", id);
    });
    return out;
}

std::vector<Organisation> Organisations::find(const std::optional<std::string>& q,
                                              const std::optional<std::int64_t>& address_id,
                                              const accounts::Principal& viewer, int limit) {
    require_registry_viewer(viewer);
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
    if (address_id) {
        params.emplace_back(*address_id);
        where += fmt::format(" AND address_id = ${}", params.size());
    }
    scope_.restrict(where, params, viewer, std::nullopt);
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
