// The registry of actual population (实有人口): people in the grid where they live, collected by
// grid workers (or imported, or self-reported) and verified. Identity numbers are checked (GB
// 11643) and give the birth date and gender; identity numbers and phones are encrypted, found by a
// keyed hash, masked in every answer unless a role that may see them asks with a reason, and every
// such view is audited. Edits carry the version they change (a stale one is refused) and every
// change is kept. Scopes: a grid worker their grids, a centre its subtree. Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "registry/record_keeping.hpp"

namespace gridgov::registry {

struct Person {
    std::int64_t id = 0;
    std::string name;
    std::string id_type;                   // resident_id, passport, …
    std::optional<std::string> id_number;  // masked unless revealed
    std::optional<std::string> gender;     // M, F
    // The birth date is shown only with the identity number revealed (it is a third of the
    // number, birth_date_shown); otherwise the age, in whole years, stands for it.
    std::optional<std::string> birth_date;
    std::optional<int> age;
    bool birth_date_shown = false;
    std::optional<std::string> ethnicity;
    std::optional<std::string> phone;  // masked unless revealed
    std::string household_type;        // registered, floating, overseas, unregistered
    std::optional<std::string> registered_address;
    std::optional<std::string> employer;
    std::optional<std::int64_t> household_id;
    std::optional<std::string> relation_to_head;  // code_tables household_relation
    std::int64_t node_id = 0;
    std::string source;  // collected, imported, self_reported
    std::string state;   // collected, verified, flagged
    std::optional<std::int64_t> collected_by;
    Millis collected_at = 0;
    std::optional<std::int64_t> verified_by;
    std::optional<Millis> verified_at;
    Millis updated_at = 0;
    int version = 1;
};

// The fields a client sets; absent ones keep their value on an edit.
struct PersonFields {
    std::optional<std::string> name, id_type, id_number, gender, birth_date, ethnicity, phone,
        household_type, registered_address, employer, source;
    std::optional<std::int64_t> node_id;
};

using PersonChange = RecordChange;

struct PersonQuery {
    std::optional<std::string> name;       // a prefix
    std::optional<std::string> id_number;  // exact
    std::optional<std::string> phone;      // exact
    std::optional<std::int64_t> node_id;   // the subtree
    std::optional<std::string> household_type, tag, state;
};

// An export of people: the records (personal data unmasked only where asked and allowed), how
// many the filter matched, and whether the file was cut at its limit.
struct PeopleExport {
    std::vector<Person> people;
    std::int64_t total = 0;
};

// A row of an import that cannot go in, and why: its line in the file (the header is line 1).
struct ImportProblem {
    int line = 0;
    std::string field;
    std::string message;
};

struct ImportReport {
    int rows = 0;
    int added = 0;  // 0 on a dry run or when any row has a problem: all or nothing
    std::vector<ImportProblem> problems;
};

// The kinds of identity document: resident_id, passport, hk_macao_permit, taiwan_permit,
// foreign_permanent, other.
std::span<const std::string_view> person_id_types();
bool is_person_id_type(std::string_view type);

// The columns a Person is read from (personal data masked), and reading one.
extern const char* const kPersonColumns;
Person person_from_row(const store::Row& row);

class PeopleRegistry {
  public:
    PeopleRegistry(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                   const FieldCipher& cipher, const Clock& clock);

    Person add(const PersonFields& fields, const accounts::Principal& actor,
               const accounts::RequestOrigin& origin);
    Person update(std::int64_t id, const PersonFields& fields, int expected_version,
                  const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    // verified (by a community or centre) or flagged
    Person set_state(std::int64_t id, const std::string& state, int expected_version,
                     const accounts::Principal& actor, const accounts::RequestOrigin& origin);
    // Masked; with `reveal` (id_number, phone) and a reason, unmasked for roles that may, and
    // audited as a view of that person's personal data.
    Person get(std::int64_t id, const accounts::Principal& viewer,
               const std::vector<std::string>& reveal, const std::string& reason,
               const accounts::RequestOrigin& origin);
    std::vector<Person> search(const PersonQuery& query, const accounts::Principal& viewer,
                               int limit, int offset, std::int64_t* total);
    // The people a filter finds, for a file: masked, or with `reveal` (id_number, phone) and a
    // reason for roles that may see them; every export is audited (who, how many, what, why).
    PeopleExport export_people(const PersonQuery& query, const accounts::Principal& viewer,
                               const std::vector<std::string>& reveal, const std::string& reason,
                               const accounts::RequestOrigin& origin, int max_rows);
    std::vector<PersonChange> history(std::int64_t id, const accounts::Principal& viewer);

    // Checks every row (the fields, the grid and the viewer's scope, the same document twice in
    // the file or already on the registry) and, unless `dry_run` or any row has a problem, adds
    // them all in one transaction. `lines[i]` is the file line of rows[i].
    ImportReport import(const std::vector<PersonFields>& rows, const std::vector<int>& lines,
                        bool dry_run, const accounts::Principal& actor,
                        const accounts::RequestOrigin& origin);

  private:
    struct Checked;
    static Checked check_fields(const PersonFields& in, const Person* before, Millis now);
    void insert(store::Connection& c, const Checked& checked, const std::string& path,
                const accounts::Principal& actor, const accounts::RequestOrigin& origin, Millis now,
                Person& out);
    void append_insert_values(std::vector<store::Value>& out, const Checked& checked,
                              const std::string& path, const accounts::Principal& actor,
                              Millis now) const;
    static boost::json::object first_changes(const Checked& checked);
    // The documents of `hashes` registered where `actor` may see.
    std::set<std::string> registered_documents(const std::vector<std::string>& hashes,
                                               const accounts::Principal& actor);
    bool in_scope(std::int64_t node, const accounts::Principal& viewer) const;
    // The WHERE clause of a query within the viewer's scope, and its parameters.
    std::string where_of(const PersonQuery& q, const accounts::Principal& viewer,
                         std::vector<store::Value>& params) const;
    void check_reveal(const std::vector<std::string>& reveal, const std::string& reason,
                      const accounts::Principal& viewer, const std::string& target,
                      const accounts::RequestOrigin& origin) const;
    void check_keeper(const accounts::Principal& actor) const;

    store::Database& db_;
    accounts::AuditLog& audit_;
    grid::GridService& grid_;
    const FieldCipher& cipher_;
    const Clock& clock_;
};

}  // namespace gridgov::registry
