// Licences and certificates (证件证照) held by a person (residence permit …), an organisation
// (business licence, food business licence …) or a key place (fire safety …): kind from a code
// table, number unique per kind, issuer, validity; in their holder's grid, found by holder, by
// number, or as those expiring soon under a node. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::registry {

struct Licence {
    std::int64_t id = 0;
    std::string holder_type;  // person, organisation, place
    std::int64_t holder_id = 0;
    std::string kind;  // code_tables licence_kind
    std::string number;
    std::optional<std::string> issuer, issued_on, valid_until;
    std::int64_t node_id = 0;
    std::string source, state;
    Millis updated_at = 0;
    int version = 1;
};

struct LicenceFields {
    std::optional<std::string> holder_type, kind, number, issuer, issued_on, valid_until, source;
    std::optional<std::int64_t> holder_id;
};

struct LicenceQuery {
    std::optional<std::string> holder_type;
    std::optional<std::int64_t> holder_id;
    std::optional<std::string> kind, number;
    std::optional<std::int64_t> node_id;
    std::optional<int> expiring_within_days;  // valid until today + n days (expired included)
};

class Licences {
  public:
    Licences(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
             const Clock& clock);

    Licence add(const LicenceFields& fields, const accounts::Principal& actor,
                const accounts::RequestOrigin& origin);
    Licence update(std::int64_t id, const LicenceFields& fields, int expected_version,
                   const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Licence set_state(std::int64_t id, const std::string& state, int expected_version,
                      const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Licence get(std::int64_t id, const accounts::Principal& viewer);
    std::vector<Licence> find(const LicenceQuery& query, const accounts::Principal& viewer,
                              int limit);
    std::vector<RecordChange> history(std::int64_t id, const accounts::Principal& viewer);

  private:
    Licence load(store::Connection& c, std::int64_t id, const accounts::Principal& viewer) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    RecordScope scope_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
