// Households (户) of the registry: a number (户号), family or collective, the room they live in,
// their head, and their members with each one's relation to the head (code table
// household_relation). A person belongs to one household at a time; joining another moves them.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::registry {

struct HouseholdMember {
    std::int64_t person_id = 0;
    std::string name;
    std::optional<std::string> relation;  // code_tables household_relation
};

struct Household {
    std::int64_t id = 0;
    std::optional<std::string> number;
    std::string kind;  // family, collective
    std::optional<std::int64_t> room_id, head_person_id;
    std::int64_t node_id = 0;
    std::string source, state;
    Millis updated_at = 0;
    int version = 1;
    std::vector<HouseholdMember> members;
};

struct HouseholdFields {
    std::optional<std::string> number, kind, source;
    std::optional<std::int64_t> room_id, head_person_id, node_id;
};

struct HouseholdQuery {
    std::optional<std::string> number;
    std::optional<std::int64_t> node_id, room_id;
};

class Households {
  public:
    Households(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
               const Clock& clock);

    // The head, when given, joins as 户主.
    Household add(const HouseholdFields& fields, const accounts::Principal& actor,
                  const accounts::RequestOrigin& origin);
    Household update(std::int64_t id, const HouseholdFields& fields, int expected_version,
                     const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Household set_state(std::int64_t id, const std::string& state, int expected_version,
                        const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Household get(std::int64_t id, const accounts::Principal& viewer);
    std::vector<Household> find(const HouseholdQuery& query, const accounts::Principal& viewer,
                                int limit);
    std::vector<RecordChange> history(std::int64_t id, const accounts::Principal& viewer);

    // A person joins (or, moving from another, changes) household with their relation to the head.
    Household add_member(std::int64_t id, std::int64_t person_id, const std::string& relation,
                         const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Household remove_member(std::int64_t id, std::int64_t person_id,
                            const accounts::Principal& actor,
                            const accounts::RequestOrigin& origin);

  private:
    Household load(store::Connection& c, std::int64_t id, const accounts::Principal& viewer) const;
    void join(store::Connection& c, std::int64_t id, std::int64_t person_id,
              const std::string& relation, const accounts::Principal& actor, Millis now);

    store::Database& db_;
    accounts::AuditLog& audit_;
    RecordScope scope_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
