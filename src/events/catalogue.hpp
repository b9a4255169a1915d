// The event catalogue: categories in two levels (a major 大类 and its minor 小类), each minor with
// the kind of department that handles it, the level that handles it (community, street,
// district), a priority and its time limits in working time; and the kinds of department.
// Read from the database and kept in memory (it changes rarely); editing a category reloads it.
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace gridgov::events {

struct DepartmentKind {
    std::string code;  // cgj
    std::string name;  // 城市管理
    std::string name_en;
};

struct Category {
    std::string code;  // CG0101
    std::optional<std::string> parent_code;
    std::string name;
    std::string name_en;
    std::optional<std::string> department_kind;
    std::optional<int> handling_level;  // 2 district, 3 street, 4 community
    std::optional<int> priority;        // 1 urgent, 2 high, 3 normal
    std::optional<double> accept_hours;
    std::optional<double> dispatch_hours;
    std::optional<int> handle_limit;
    std::optional<std::string> handle_unit;  // hours | days
    std::optional<std::string> standard;
    bool active = true;
    int version = 1;

    bool is_major() const { return !parent_code; }
};

// The editable parts of a minor category.
struct CategoryPatch {
    std::optional<std::string> name;
    std::optional<std::optional<std::string>> department_kind;
    std::optional<int> handling_level;
    std::optional<int> priority;
    std::optional<double> accept_hours;
    std::optional<double> dispatch_hours;
    std::optional<int> handle_limit;
    std::optional<std::string> handle_unit;
    std::optional<bool> active;
};

class Catalogue {
  public:
    Catalogue(store::Database& db, accounts::AuditLog& audit);

    void reload();
    // Majors each followed by their minors, by code.
    std::vector<Category> categories() const;
    std::optional<Category> category(const std::string& code) const;
    std::vector<DepartmentKind> department_kinds() const;
    bool has_department_kind(const std::string& code) const;

    Category update(const std::string& code, const CategoryPatch& patch, int expected_version,
                    const accounts::Principal* actor, const accounts::RequestOrigin& origin);

  private:
    struct Data {
        std::vector<Category> ordered;
        std::map<std::string, std::size_t> by_code;
        std::vector<DepartmentKind> kinds;
    };
    std::shared_ptr<const Data> data() const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    mutable std::mutex mutex_;
    std::shared_ptr<const Data> data_;
};

}  // namespace gridgov::events
