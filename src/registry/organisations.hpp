// Organisations of the registry (enterprises, individual businesses, social organisations,
// institutions): a credit code checked after GB 32100, their grid (from their address, or given),
// a phone kept encrypted and shown masked, edits with versions and history, verified by a
// community or centre, found by name or code within the viewer's scope. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::registry {

struct Organisation {
    std::int64_t id = 0;
    std::string kind;
    std::string name;
    std::optional<std::string> credit_code, legal_representative, industry;
    std::optional<std::string> phone;  // masked
    std::optional<std::int64_t> address_id;
    std::int64_t node_id = 0;
    std::optional<int> employees;
    std::string source, state;
    std::optional<std::int64_t> verified_by;
    std::optional<Millis> verified_at;
    Millis updated_at = 0;
    int version = 1;
};

struct OrganisationFields {
    std::optional<std::string> kind, name, credit_code, legal_representative, phone, industry,
        source;
    std::optional<std::int64_t> address_id, node_id;
    std::optional<int> employees;
};

class Organisations {
  public:
    Organisations(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                  const FieldCipher& cipher, const Clock& clock);

    Organisation add(const OrganisationFields& fields, const accounts::Principal& actor,
                     const accounts::RequestOrigin& origin);
    Organisation update(std::int64_t id, const OrganisationFields& fields, int expected_version,
                        const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Organisation set_state(std::int64_t id, const std::string& state, int expected_version,
                           const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    Organisation get(std::int64_t id, const accounts::Principal& viewer);
    std::vector<RecordChange> history(std::int64_t id, const accounts::Principal& viewer);
    // By the start of the name or the exact credit code, and/or at an address, within the
    // viewer's scope.
    std::vector<Organisation> find(const std::optional<std::string>& q,
                                   const std::optional<std::int64_t>& address_id,
                                   const accounts::Principal& viewer, int limit);

  private:
    Organisation load(store::Connection& c, std::int64_t id,
                      const accounts::Principal& viewer) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    RecordScope scope_;
    const FieldCipher& cipher_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
