// What every base record of the registry shares: who keeps and who sees it (the role and the
// place in the grid tree), its change history in record_changes, and its state (collected →
// verified, or flagged) with who verified it and when.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::registry {

struct RecordChange {
    int version = 0;
    std::optional<std::int64_t> changed_by;
    Millis changed_at = 0;
    std::string changes;  // JSON {"field": [before, after]}
};

// The acting user's id for collected_by / changed_by columns (NULL for an API key).
store::Value user_of(const accounts::Principal& p);
// A null for an absent value.
using store::optional_value;

void require_keeper(const accounts::Principal& actor);
void require_registry_viewer(const accounts::Principal& viewer);

// Where a record may be seen and kept: within the viewer's subtree, never by departments and
// volunteers.
class RecordScope {
  public:
    explicit RecordScope(grid::GridService& grid) : grid_(grid) {}
    bool sees(std::int64_t node, const accounts::Principal& viewer) const;
    // The node's path, checked to exist (invalid_field on `field`) and to be in the actor's scope.
    std::string path_for_keeping(std::int64_t node, const accounts::Principal& actor,
                                 const char* field) const;
    // "node_path LIKE $n" conditions for the viewer's scope and an asked subtree.
    void restrict(std::string& where, std::vector<store::Value>& params,
                  const accounts::Principal& viewer, const std::optional<std::int64_t>& node,
                  std::string_view column = "node_path") const;
    grid::GridService& grid() const { return grid_; }

  private:
    grid::GridService& grid_;
};

// The fields an edit changes, as {"field": [before, after]}; a field the edit leaves alone (no
// value) or sets to what it was is not noted.
class ChangeSet {
  public:
    void note(const char* field, const std::optional<std::string>& before,
              const std::optional<std::string>& after);
    void note(const char* field, const std::optional<std::int64_t>& before,
              const std::optional<std::int64_t>& after);
    bool empty() const { return changes_.empty(); }
    const boost::json::object& json() const { return changes_; }

  private:
    boost::json::object changes_;
};

void record_change(store::Connection& c, std::string_view record_type, std::int64_t id, int version,
                   const accounts::Principal& actor, Millis at, const boost::json::object& changes);
std::vector<RecordChange> changes_of(store::Connection& c, std::string_view record_type,
                                     std::int64_t id);

// invalid_field on `field` unless `code` is in the code table.
void require_code(store::Connection& c, std::string_view table, const std::string& code,
                  const char* field);
// A date written YYYY-MM-DD (invalid_field on `field` otherwise).
void require_date(const std::optional<std::string>& day, const char* field);
// At most `max` characters, no NUL (invalid_field on `field` otherwise).
void require_text(const std::optional<std::string>& v, std::size_t max, const char* field);

// The source of a record: collected, imported or self_reported (invalid_field on "source").
void require_source(const std::optional<std::string>& source);
// A phone as its digits: spaces, '-' and '+' dropped, anything else refused; 5 to 20 digits
// (invalid_field on `field`).
std::optional<std::string> phone_digits(const std::optional<std::string>& phone, const char* field);

// Before personal data is shown unmasked: the role may see it (a refusal is audited as a denial
// on `target`) and a reason of 2 to 200 characters is given.
void require_reveal(const accounts::Principal& viewer, const std::string& reason,
                    const std::string& target, accounts::AuditLog& audit,
                    const accounts::RequestOrigin& origin);

// Sets a record's state to verified or flagged (only communities and centres verify), with its
// version, its history and who did it. `table` is one of the registry's tables.
void set_record_state(store::Connection& c, std::string_view table, std::string_view record_type,
                      std::int64_t id, const std::string& state, int expected_version,
                      const accounts::Principal& actor, Millis now);

}  // namespace gridgov::registry
