// De-duplication of the actual population: pairs of records that are likely one person (the same
// name with the same birth date or the same phone), and merging one into another. The kept record
// takes what it lacks from the merged one (document, phone, birth date …); groups, homes,
// licences and household move to it; the merged record is removed, its last state kept as a
// masked snapshot, and its history stays readable through the kept one. Thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "accounts/audit_log.hpp"
#include "registry/people_registry.hpp"

namespace gridgov::registry {

struct DuplicatePair {
    Person first, second;
    std::string reason;  // same_birth_date, same_phone
};

struct PersonMerge {
    std::int64_t merged_id = 0;
    std::optional<std::int64_t> merged_by;
    Millis merged_at = 0;
    std::string snapshot;               // JSON, masked
    std::vector<RecordChange> changes;  // the merged record's history
};

class PeopleMerge {
  public:
    PeopleMerge(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                const Clock& clock);

    std::vector<DuplicatePair> duplicates(const std::optional<std::int64_t>& node_id,
                                          const accounts::Principal& viewer, int limit);
    // Merges `merged_id` into `kept_id` (its version `expected_version`): a community or centre
    // only, both in its scope; two different documents of one type are two people (409).
    Person merge(std::int64_t kept_id, std::int64_t merged_id, int expected_version,
                 const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    // The records merged into this one, each with its last state and its history.
    std::vector<PersonMerge> merges_into(std::int64_t kept_id, const accounts::Principal& viewer);

  private:
    store::Database& db_;
    accounts::AuditLog& audit_;
    RecordScope scope_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
