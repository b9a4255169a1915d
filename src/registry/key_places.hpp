// Key places of the registry (重点场所: the nine kinds of small premises, crowded places, filling
// stations, hazardous chemicals …): their risk level, a contact whose phone is kept encrypted,
// how often they are inspected, the inspections (a hazard found, its GB/T 31000 type, the event
// it became) and the places whose inspection is due. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::registry {

struct KeyPlace {
    std::int64_t id = 0;
    std::string kind;  // code_tables key_place_kind
    std::string name;
    std::string risk_level;  // low, medium, high
    std::optional<std::string> contact_name;
    std::optional<std::string> contact_phone;  // masked unless revealed
    std::optional<std::int64_t> address_id, organisation_id;
    std::int64_t node_id = 0;
    int inspect_every_days = 30;
    std::optional<Millis> last_inspected_at;
    std::string source, state;
    std::optional<std::int64_t> collected_by, verified_by;
    Millis collected_at = 0;
    std::optional<Millis> verified_at;
    Millis updated_at = 0;
    int version = 1;
};

struct KeyPlaceFields {
    std::optional<std::string> kind, name, risk_level, contact_name, contact_phone, source;
    std::optional<std::int64_t> address_id, organisation_id, node_id;
    std::optional<int> inspect_every_days;
};

struct Inspection {
    std::int64_t id = 0;
    std::int64_t place_id = 0;
    std::optional<std::int64_t> inspected_by;
    Millis inspected_at = 0;
    std::string result;  // passed, hazard_found, rectified
    std::optional<std::string> hazard_type, notes, rectify_by;
    std::optional<std::int64_t> event_id;
};

struct InspectionFields {
    std::string result;
    std::optional<std::string> hazard_type, notes, rectify_by;
    std::optional<std::int64_t> event_id;
    std::optional<Millis> inspected_at;  // when it took place (a phone offline), now if absent
};

struct KeyPlaceQuery {
    std::optional<std::string> name;  // a prefix
    std::optional<std::string> kind, risk_level;
    std::optional<std::int64_t> node_id, organisation_id, address_id;
    bool inspection_due = false;  // never inspected or last inspected too long ago
};

class KeyPlaces {
  public:
    KeyPlaces(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
              const FieldCipher& cipher, const Clock& clock);

    KeyPlace add(const KeyPlaceFields& fields, const accounts::Principal& actor,
                 const accounts::RequestOrigin& origin);
    KeyPlace update(std::int64_t id, const KeyPlaceFields& fields, int expected_version,
                    const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    KeyPlace set_state(std::int64_t id, const std::string& state, int expected_version,
                       const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    // With `reveal_contact` and a reason the contact's phone unmasked, for roles that may, audited.
    KeyPlace get(std::int64_t id, const accounts::Principal& viewer, bool reveal_contact,
                 const std::string& reason, const accounts::RequestOrigin& origin);
    std::vector<KeyPlace> find(const KeyPlaceQuery& query, const accounts::Principal& viewer,
                               int limit);
    std::vector<RecordChange> history(std::int64_t id, const accounts::Principal& viewer);

    Inspection inspect(std::int64_t place_id, const InspectionFields& fields,
                       const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    std::vector<Inspection> inspections(std::int64_t place_id, const accounts::Principal& viewer);

  private:
    KeyPlace load(store::Connection& c, std::int64_t id, const accounts::Principal& viewer) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    RecordScope scope_;
    const FieldCipher& cipher_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
