// Accounts: creating, editing and listing users within the acting admin's scope, passwords, and
// logging in with the lock-out rule (after max_failures wrong passwords the login is locked for
// lock_ms). Phones are stored encrypted and returned masked. Every change is audited.
// Thread-safe: all state is in the database.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "accounts/scope.hpp"
#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "store/database.hpp"

namespace gridgov::accounts {

struct User {
    std::int64_t id = 0;
    std::string login;
    std::string name;
    std::optional<std::string> phone;  // plain; the HTTP layer masks it
    Role role = Role::volunteer;
    std::optional<std::int64_t> scope_node_id;
    std::optional<std::int64_t> department_id;
    bool active = true;
    std::optional<Millis> locked_until;
    Millis created_at = 0;
    Millis updated_at = 0;
    int version = 1;
};

struct NewUser {
    std::string login;
    std::string name;
    std::optional<std::string> phone;
    Role role = Role::grid_worker;
    std::optional<std::int64_t> scope_node_id;
    std::optional<std::int64_t> department_id;
    std::string password;
};

// Each member that is set is changed; inner nullopt clears the value.
struct UserPatch {
    std::optional<std::string> name;
    std::optional<std::optional<std::string>> phone;
    std::optional<Role> role;
    std::optional<std::optional<std::int64_t>> scope_node_id;
    std::optional<std::optional<std::int64_t>> department_id;
    std::optional<bool> active;
    bool unlock = false;
};

struct UserFilter {
    std::optional<Role> role;
    std::optional<std::string> query;  // part of login or name
};

struct LoginPolicy {
    int max_failures = 5;
    Millis lock_ms = 15 * kMinute;
};

class UserService {
  public:
    UserService(store::Database& db, AuditLog& audit, const FieldCipher& cipher, const Clock& clock,
                LoginPolicy policy, const NodeAncestry& tree);

    // actor is null for the command line (the operator of the machine).
    User create(const NewUser& input, const Principal* actor, const RequestOrigin& origin);
    // Throws Error(version_conflict) when expected_version is not the stored one.
    User update(std::int64_t id, const UserPatch& patch, int expected_version,
                const Principal* actor, const RequestOrigin& origin);
    void set_password(std::int64_t id, std::string_view password, const Principal* actor,
                      const RequestOrigin& origin);
    // A wrong current password counts toward the lock-out like a failed login; a change ends
    // every other session of the account (the one whose token hash is `keep_session` stays).
    void change_own_password(const Principal& self, std::string_view current, std::string_view next,
                             const RequestOrigin& origin, const std::string& keep_session);

    User get(std::int64_t id, const Principal* viewer);
    std::optional<User> find_by_login(const std::string& login);
    std::vector<User> list(const UserFilter& filter, const Principal* viewer, int limit, int offset,
                           std::int64_t* total);

    // Throws Error(bad_credentials) or Error(account_locked); audits both outcomes.
    User authenticate(const std::string& login, std::string_view password,
                      const RequestOrigin& origin);

    // Called after this service revoked sessions in the database (so caches can drop them).
    void on_sessions_revoked(std::function<void()> callback) {
        sessions_revoked_ = std::move(callback);
    }

  private:
    void require(const Principal* actor, Permission p, const RequestOrigin& origin,
                 std::string_view target);
    // A role that works in a place needs its node, a department handler its department; a node
    // must exist (invalid_field otherwise).
    void check_placement(Role role, std::optional<std::int64_t> scope,
                         std::optional<std::int64_t> department) const;
    void require_scope(const Principal* actor, std::optional<std::int64_t> node,
                       const RequestOrigin& origin, std::string_view target);
    User from_row(const store::Row& row) const;
    User load(store::Connection& c, std::int64_t id);

    store::Database& db_;
    AuditLog& audit_;
    const FieldCipher& cipher_;
    const Clock& clock_;
    LoginPolicy policy_;
    const NodeAncestry& tree_;
    // failures of logins that name no active account: failures and locked-until, by login
    std::mutex phantoms_mutex_;
    std::unordered_map<std::string, std::pair<int, Millis>> phantoms_;
    std::function<void()> sessions_revoked_;
};

// Input rules shared with the HTTP layer's messages. Each throws Error(invalid_field, field).
void validate_login(const std::string& login);
void validate_name(const std::string& name);
void validate_phone(const std::string& phone);

}  // namespace gridgov::accounts
