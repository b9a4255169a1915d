// The departments that handle events (城管, 公安, 市场监管 …), each serving a district or a street,
// and the rule that picks the department serving a place: for a category handled at the street
// level, the street's department of that kind, else the district's. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "events/catalogue.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::events {

struct Department {
    std::int64_t id = 0;
    std::string name;
    std::string kind;
    std::int64_t node_id = 0;
    std::optional<std::string> phone;
    bool active = true;
    Millis created_at = 0;
    Millis updated_at = 0;
    int version = 1;
};

struct NewDepartment {
    std::string name;
    std::string kind;
    std::int64_t node_id = 0;
    std::optional<std::string> phone;
};

class Departments {
  public:
    Departments(store::Database& db, accounts::AuditLog& audit, const Catalogue& catalogue,
                grid::GridService& grid, const Clock& clock);

    Department create(const NewDepartment& input, const accounts::Principal* actor,
                      const accounts::RequestOrigin& origin);
    Department get(std::int64_t id, const accounts::Principal* viewer);
    // Departments serving `node_id` or any node below it (all when none), optionally of a kind;
    // a scoped viewer sees those serving its part of the tree and the levels above it.
    std::vector<Department> list(std::optional<std::int64_t> node_id,
                                 const std::optional<std::string>& kind,
                                 const accounts::Principal* viewer);
    // The department of `kind` serving the place whose path (root first) is given, at
    // `handling_level` or the nearest level above it.
    std::optional<Department> serving(const std::string& kind, int handling_level,
                                      const std::vector<std::int64_t>& path);
    // The same on the caller's connection (inside its transaction).
    std::optional<Department> serving(store::Connection& c, const std::string& kind,
                                      int handling_level,
                                      const std::vector<std::int64_t>& path) const;

  private:
    bool visible(const accounts::Principal* viewer, std::int64_t node_id) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    const Catalogue& catalogue_;
    grid::GridService& grid_;
    const Clock& clock_;
};

}  // namespace gridgov::events
