#include "events/catalogue.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace gridgov::events {

using store::Value;

namespace {

Category category_from_row(const store::Row& row) {
    Category c;
    c.code = row.text("code");
    c.parent_code = row.opt_text("parent_code");
    c.name = row.text("name");
    c.name_en = row.text("name_en");
    c.department_kind = row.opt_text("department_kind");
    if (auto v = row.opt_integer("handling_level")) c.handling_level = static_cast<int>(*v);
    if (auto v = row.opt_integer("priority")) c.priority = static_cast<int>(*v);
    if (!row.is_null("accept_hours")) c.accept_hours = row.real("accept_hours");
    if (!row.is_null("dispatch_hours")) c.dispatch_hours = row.real("dispatch_hours");
    if (auto v = row.opt_integer("handle_limit")) c.handle_limit = static_cast<int>(*v);
    c.handle_unit = row.opt_text("handle_unit");
    c.standard = row.opt_text("standard");
    c.active = row.integer("active") != 0;
    c.version = static_cast<int>(row.integer("version"));
    return c;
}

}  // namespace

Catalogue::Catalogue(store::Database& db, accounts::AuditLog& audit)
    : db_(db), audit_(audit), data_(std::make_shared<Data>()) {}

void Catalogue::reload() {
    auto next = std::make_shared<Data>();
    db_.read([&](store::Connection& c) {
        std::vector<Category> all;
        for (const auto& row : c.run("SELECT * FROM event_categories ORDER BY code").rows)
            all.push_back(category_from_row(row));
        // majors each followed by their minors
        for (const auto& major : all) {
            if (!major.is_major()) continue;
            next->ordered.push_back(major);
            for (const auto& minor : all) {
                if (minor.parent_code == major.code) next->ordered.push_back(minor);
            }
        }
        for (const auto& row : c.run("SELECT * FROM department_kinds ORDER BY code").rows) {
            next->kinds.push_back({row.text("code"), row.text("name"), row.text("name_en")});
        }
    });
    for (std::size_t i = 0; i < next->ordered.size(); ++i) next->by_code[next->ordered[i].code] = i;
    std::lock_guard lock(mutex_);
    data_ = std::move(next);
}

std::shared_ptr<const Catalogue::Data> Catalogue::data() const {
    std::lock_guard lock(mutex_);
    return data_;
}

std::vector<Category> Catalogue::categories() const {
    return data()->ordered;
}

std::optional<Category> Catalogue::category(const std::string& code) const {
    const auto d = data();
    const auto it = d->by_code.find(code);
    if (it == d->by_code.end()) return std::nullopt;
    return d->ordered[it->second];
}

std::vector<DepartmentKind> Catalogue::department_kinds() const {
    return data()->kinds;
}

bool Catalogue::has_department_kind(const std::string& code) const {
    const auto d = data();
    return std::any_of(d->kinds.begin(), d->kinds.end(),
                       [&](const DepartmentKind& k) { return k.code == code; });
}

Category Catalogue::update(const std::string& code, const CategoryPatch& patch,
                           int expected_version, const accounts::Principal* actor,
                           const accounts::RequestOrigin& origin) {
    if (actor && !actor->can(accounts::Permission::manage_catalogue)) {
        audit_.record(actor, origin, "denied", "category:" + code, "denied", "manage catalogue");
        throw Error(ErrorCode::forbidden);
    }
    auto current = category(code);
    if (!current) throw Error(ErrorCode::not_found, "No such category.");
    Category c = *current;
    if (c.version != expected_version) throw Error(ErrorCode::version_conflict);
    if (patch.name) {
        if (patch.name->empty() || patch.name->size() > 200)
            throw Error(ErrorCode::invalid_field, "A name has 1 to 200 bytes.", "name");
        c.name = *patch.name;
    }
    if (patch.active) c.active = *patch.active;
    if (c.is_major()) {
        if (patch.department_kind || patch.handling_level || patch.priority || patch.accept_hours ||
            patch.dispatch_hours || patch.handle_limit || patch.handle_unit) {
            throw Error(ErrorCode::invalid_field,
                        "Routing and time limits belong to the minor categories.", "code");
        }
    } else {
        if (patch.department_kind) {
            if (*patch.department_kind && !has_department_kind(**patch.department_kind)) {
                throw Error(ErrorCode::invalid_field, "No such department kind.",
                            "department_kind");
            }
            c.department_kind = *patch.department_kind;
        }
        if (patch.handling_level) {
            if (*patch.handling_level < 2 || *patch.handling_level > 4)
                throw Error(ErrorCode::invalid_field,
                            "The level is 2 (district), 3 (street) or 4 (community).",
                            "handling_level");
            c.handling_level = *patch.handling_level;
        }
        if (patch.priority) {
            if (*patch.priority < 1 || *patch.priority > 3)
                throw Error(ErrorCode::invalid_field, "The priority is 1, 2 or 3.", "priority");
            c.priority = *patch.priority;
        }
        auto hours = [](double v, const char* field) {
            if (!(v > 0 && v <= 24 * 30))
                throw Error(ErrorCode::invalid_field, "Working hours from 0 to 720.", field);
            return v;
        };
        if (patch.accept_hours) c.accept_hours = hours(*patch.accept_hours, "accept_hours");
        if (patch.dispatch_hours) c.dispatch_hours = hours(*patch.dispatch_hours, "dispatch_hours");
        if (patch.handle_limit) {
            if (*patch.handle_limit < 1 || *patch.handle_limit > 365)
                throw Error(ErrorCode::invalid_field, "The limit is 1 to 365.", "handle_limit");
            c.handle_limit = *patch.handle_limit;
        }
        if (patch.handle_unit) {
            if (*patch.handle_unit != "hours" && *patch.handle_unit != "days")
                throw Error(ErrorCode::invalid_field, "The unit is hours or days.", "handle_unit");
            c.handle_unit = *patch.handle_unit;
        }
    }
    db_.transact([&](store::Connection& conn) {
        const auto r = conn.run(
            "UPDATE event_categories SET name = $1, department_kind = $2, handling_level = $3, "
            "priority = $4, accept_hours = $5, dispatch_hours = $6, handle_limit = $7, "
            "handle_unit = $8, active = $9, version = version + 1 WHERE code = $10 AND version = "
            "$11",
            {c.name, store::optional_value(c.department_kind),
             c.handling_level ? Value{std::int64_t{*c.handling_level}} : Value{nullptr},
             c.priority ? Value{std::int64_t{*c.priority}} : Value{nullptr},
             c.accept_hours ? Value{*c.accept_hours} : Value{nullptr},
             c.dispatch_hours ? Value{*c.dispatch_hours} : Value{nullptr},
             c.handle_limit ? Value{std::int64_t{*c.handle_limit}} : Value{nullptr},
             store::optional_value(c.handle_unit), std::int64_t{c.active ? 1 : 0}, code,
             std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        audit_.record(conn, actor, origin, "category_updated", "category:" + code, "ok", c.name);
    });
    reload();
    return *category(code);
}

}  // namespace gridgov::events
