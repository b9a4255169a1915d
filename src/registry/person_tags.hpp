// Special groups and care groups (特殊人群, 重点青少年, 关爱对象) as tags on a person: each tag
// with the attributes GB/T 31000 gives it (codes from its code tables, e.g. the risk level of a
// severe mental disorder), a level of attention (关注程度) and how often the grid worker visits;
// visits are recorded, and the tags whose visit is overdue are listed for a node. Scopes are the
// person's. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::registry {

struct TagAttribute {
    std::string_view name;        // risk_level
    std::string_view code_table;  // mental_risk_level (code_tables.table_name)
    bool required = false;
};

struct TagDefinition {
    std::string_view tag;  // severe_mental_disorder
    std::string_view zh, en;
    int visit_every_days = 30;  // the usual frequency of visits
    std::vector<TagAttribute> attributes;
};
std::span<const TagDefinition> tag_definitions();
const TagDefinition* find_tag(std::string_view tag);

struct PersonTag {
    std::int64_t id = 0;
    std::int64_t person_id = 0;
    std::string tag;
    std::map<std::string, std::string> attributes;  // attribute → code
    std::string attention;                          // 01 high, 02 medium, 03 low
    int visit_every_days = 30;
    std::optional<Millis> last_visit_at;
    std::optional<std::string> since;
    int version = 1;
};

struct TagFields {
    std::string tag;
    std::map<std::string, std::string> attributes;
    std::optional<std::string> attention;
    std::optional<int> visit_every_days;
    std::optional<std::string> since;
};

struct CodeEntry {
    std::string code, name, name_en;
};

// A tag whose visit is due: never visited since the person joined the group, or last visited
// longer ago than its frequency.
struct VisitDue {
    PersonTag tag;
    std::string person_name;
    std::int64_t node_id = 0;
    Millis due_since = 0;
};

class PersonTags {
  public:
    PersonTags(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
               const Clock& clock);

    // Adds the tag, or replaces its attributes, attention and frequency when the person has it.
    PersonTag put(std::int64_t person_id, const TagFields& fields, const accounts::Principal& actor,
                  const accounts::RequestOrigin& origin);
    void remove(std::int64_t person_id, const std::string& tag, const accounts::Principal& actor,
                const accounts::RequestOrigin& origin);
    std::vector<PersonTag> of(std::int64_t person_id, const accounts::Principal& viewer);
    PersonTag record_visit(std::int64_t person_id, const std::string& tag,
                           const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    std::vector<VisitDue> visits_due(std::optional<std::int64_t> node_id,
                                     const accounts::Principal& viewer, int limit);
    std::vector<CodeEntry> code_table(const std::string& name);

  private:
    void check_person(store::Connection& c, std::int64_t person_id,
                      const accounts::Principal& viewer) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    grid::GridService& grid_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
