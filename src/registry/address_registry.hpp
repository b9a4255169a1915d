// Standard addresses (标准地址): the tree from the road to the room, each address with its full
// written form, a point and the grid it falls in (from the point, else the parent's; an
// administrator or centre may correct it), rooms with their use (self-occupied, rented 出租,
// vacant, business) and area; edits with versions; and where people live (a person in a room,
// with the relation and dates). Scopes follow the grid. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "geo/geometry.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::registry {

struct Address {
    std::int64_t id = 0;
    std::optional<std::int64_t> parent_id;
    std::string level;  // road, house, compound, building, unit, room
    std::string name;
    std::string full_name;
    std::optional<geo::LonLat> location;
    std::optional<std::int64_t> node_id;
    bool node_corrected = false;
    std::optional<int> floor;
    std::optional<std::string> room_use;
    std::optional<double> area_m2;
    std::string state;
    Millis updated_at = 0;
    int version = 1;
};

struct AddressFields {
    std::optional<std::int64_t> parent_id;
    std::optional<std::string> level, name;
    std::optional<geo::LonLat> location;
    std::optional<std::int64_t> node_id;  // a correction of the computed grid
    std::optional<int> floor;
    std::optional<std::string> room_use;
    std::optional<double> area_m2;
};

struct Residence {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string person_name;
    std::int64_t room_id = 0;
    std::string room_full_name;
    std::string relation;  // owner, family, tenant, other
    std::optional<std::string> from_date, to_date;
};

class AddressRegistry {
  public:
    AddressRegistry(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                    const Clock& clock);

    Address add(const AddressFields& fields, const accounts::Principal& actor,
                const accounts::RequestOrigin& origin);
    Address update(std::int64_t id, const AddressFields& fields, int expected_version,
                   const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Address get(std::int64_t id, const accounts::Principal& viewer);
    // The addresses under a parent (none: the roads), or those whose full name starts with `q`.
    std::vector<Address> list(std::optional<std::int64_t> parent_id,
                              const std::optional<std::string>& q,
                              const accounts::Principal& viewer, int limit);

    Residence move_in(std::int64_t person_id, std::int64_t room_id, const std::string& relation,
                      const std::optional<std::string>& from_date, const accounts::Principal& actor,
                      const accounts::RequestOrigin& origin);
    void move_out(std::int64_t residence_id, const std::string& to_date,
                  const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    std::vector<Residence> residents(std::int64_t room_id, const accounts::Principal& viewer);
    std::vector<Residence> homes(std::int64_t person_id, const accounts::Principal& viewer);

  private:
    bool in_scope(const std::optional<std::int64_t>& node, const accounts::Principal& viewer) const;
    Address load(store::Connection& c, std::int64_t id, const accounts::Principal& viewer) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    grid::GridService& grid_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
