#include "accounts/user_service.hpp"
#include "core/text.hpp"

#include <fmt/format.h>

#include "accounts/password.hpp"
#include "core/error.hpp"

namespace gridgov::accounts {

using store::Value;

namespace {}  // namespace

void validate_login(const std::string& login) {
    if (login.size() < 3 || login.size() > 32) {
        throw Error(ErrorCode::invalid_field, "A login has 3 to 32 characters.", "login");
    }
    for (char ch : login) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                        ch == '.' || ch == '-';
        if (!ok) {
            throw Error(ErrorCode::invalid_field,
                        "A login uses lower-case letters, digits, '_', '.' and '-' only.", "login");
        }
    }
}

void validate_name(const std::string& name) {
    const auto n = utf8_length(name);
    if (n == 0 || n > 64 || name.find_first_of("\r\n\t") != std::string::npos) {
        throw Error(ErrorCode::invalid_field, "A name has 1 to 64 characters on one line.", "name");
    }
}

void validate_phone(const std::string& phone) {
    bool ok = phone.size() >= 5 && phone.size() <= 20;
    for (std::size_t i = 0; ok && i < phone.size(); ++i) {
        const char ch = phone[i];
        ok = (ch >= '0' && ch <= '9') || ch == '-' || (ch == '+' && i == 0);
    }
    if (!ok)
        throw Error(ErrorCode::invalid_field,
                    "A phone number has 5 to 20 digits, '-' or a leading '+'.", "phone");
}

UserService::UserService(store::Database& db, AuditLog& audit, const FieldCipher& cipher,
                         const Clock& clock, LoginPolicy policy, const NodeAncestry& tree)
    : db_(db), audit_(audit), cipher_(cipher), clock_(clock), policy_(policy), tree_(tree) {}

void UserService::require(const Principal* actor, Permission p, const RequestOrigin& origin,
                          std::string_view target) {
    if (actor == nullptr || actor->can(p)) return;
    audit_.record(actor, origin, "denied", target, "denied", "missing permission");
    throw Error(ErrorCode::forbidden);
}

void UserService::require_scope(const Principal* actor, std::optional<std::int64_t> node,
                                const RequestOrigin& origin, std::string_view target) {
    if (Scope::of(actor, tree_).may_grant(node, tree_)) return;
    audit_.record(actor, origin, "denied", target, "denied", "outside scope");
    throw Error(ErrorCode::forbidden,
                "该账号或范围不在您的管辖范围内。 That is outside your part of the grid tree.",
                "scope_node_id");
}

void UserService::check_placement(Role role, std::optional<std::int64_t> scope,
                                  std::optional<std::int64_t> department) const {
    if (scope && !tree_.path_of(*scope))
        throw Error(ErrorCode::invalid_field, "没有这个节点。 No such node.", "scope_node_id");
    const bool needs_scope = role == Role::grid_worker || role == Role::grid_head;
    if (needs_scope && !scope)
        throw Error(ErrorCode::invalid_field,
                    "网格员和网格长须指定管辖节点。 A grid worker or grid head needs a node.",
                    "scope_node_id");
    if (role == Role::dept_handler && !department)
        throw Error(ErrorCode::invalid_field,
                    "部门处置人员须指定部门。 A department handler needs a department.",
                    "department_id");
}

User UserService::from_row(const store::Row& row) const {
    User u;
    u.id = row.integer("id");
    u.login = row.text("login");
    u.name = row.text("name");
    if (auto enc = row.opt_text("phone_enc")) u.phone = cipher_.decrypt(*enc);
    u.role = parse_role(row.text("role")).value_or(Role::volunteer);
    u.scope_node_id = row.opt_integer("scope_node_id");
    u.department_id = row.opt_integer("department_id");
    u.active = row.integer("active") != 0;
    u.locked_until = row.opt_integer("locked_until");
    u.created_at = row.integer("created_at");
    u.updated_at = row.integer("updated_at");
    u.version = static_cast<int>(row.integer("version"));
    return u;
}

User UserService::load(store::Connection& c, std::int64_t id) {
    const auto r = c.run("SELECT * FROM users WHERE id = $1", {id});
    if (r.empty()) throw Error(ErrorCode::not_found, "No such user.");
    return from_row(r.front());
}

User UserService::create(const NewUser& in, const Principal* actor, const RequestOrigin& origin) {
    const std::string target = "user:" + in.login;
    require(actor, Permission::manage_users, origin, target);
    validate_login(in.login);
    validate_name(in.name);
    if (in.phone) validate_phone(*in.phone);
    check_password_policy(in.password);
    // the command line (no actor) may place accounts before the tree is loaded; such an account
    // of a role that works in a place reaches nothing until it is given its node
    if (actor) check_placement(in.role, in.scope_node_id, in.department_id);
    require_scope(actor, in.scope_node_id, origin, target);
    const std::string hash = hash_password(in.password);
    const Millis now = clock_.now();
    std::int64_t id = 0;
    db_.transact([&](store::Connection& c) {
        try {
            const auto r = c.run(
                "INSERT INTO users (login, name, phone_enc, role, scope_node_id, department_id, "
                "password_hash, "
                "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                {in.login, in.name, in.phone ? Value{cipher_.encrypt(*in.phone)} : Value{nullptr},
                 std::string(role_name(in.role)), store::optional_value(in.scope_node_id),
                 store::optional_value(in.department_id), hash, now});
            id = r.front().integer("id");
        } catch (const Error& e) {
            if (e.code() == ErrorCode::conflict) {
                throw Error(ErrorCode::conflict, "That login is taken.", "login");
            }
            throw;
        }
        audit_.record(c, actor, origin, "user_created", target, "ok",
                      fmt::format("role={}", role_name(in.role)));
    });
    return get(id, nullptr);
}

User UserService::update(std::int64_t id, const UserPatch& patch, int expected_version,
                         const Principal* actor, const RequestOrigin& origin) {
    const std::string target = fmt::format("user:{}", id);
    require(actor, Permission::manage_users, origin, target);
    if (patch.name) validate_name(*patch.name);
    if (patch.phone && *patch.phone) validate_phone(**patch.phone);
    if (actor && actor->kind == Principal::Kind::user && actor->id == id &&
        ((patch.active && !*patch.active) || (patch.role && *patch.role != Role::admin))) {
        throw Error(ErrorCode::forbidden, "You cannot take away your own administrator rights.",
                    "role");
    }
    // permission and scope are checked before the transaction opens, never inside it
    {
        User before;
        db_.read([&](store::Connection& c) { before = load(c, id); });
        require_scope(actor, before.scope_node_id, origin, target);
        if (patch.scope_node_id) require_scope(actor, *patch.scope_node_id, origin, target);
        if (actor && (patch.role || patch.scope_node_id || patch.department_id))
            check_placement(patch.role.value_or(before.role),
                            patch.scope_node_id ? *patch.scope_node_id : before.scope_node_id,
                            patch.department_id ? *patch.department_id : before.department_id);
    }
    User result;
    db_.transact([&](store::Connection& c) {
        User u = load(c, id);
        if (u.version != expected_version) throw Error(ErrorCode::version_conflict);
        std::string changed;
        if (patch.name) {
            u.name = *patch.name;
            changed += "name ";
        }
        if (patch.phone) {
            u.phone = *patch.phone;
            changed += "phone ";
        }
        if (patch.role) {
            u.role = *patch.role;
            changed += "role ";
        }
        if (patch.scope_node_id) {
            u.scope_node_id = *patch.scope_node_id;
            changed += "scope ";
        }
        if (patch.department_id) {
            u.department_id = *patch.department_id;
            changed += "department ";
        }
        if (patch.active) {
            u.active = *patch.active;
            changed += "active ";
        }
        if (patch.unlock) {
            u.locked_until.reset();
            changed += "unlock ";
        }
        const Millis now = clock_.now();
        const auto r = c.run(
            "UPDATE users SET name = $1, phone_enc = $2, role = $3, scope_node_id = $4, "
            "department_id = $5, "
            "active = $6, locked_until = $7, failed_logins = CASE WHEN CAST($7 AS BIGINT) IS NULL "
            "THEN 0 ELSE failed_logins END, "
            "updated_at = $8, version = version + 1 WHERE id = $9 AND version = $10",
            {u.name, u.phone ? Value{cipher_.encrypt(*u.phone)} : Value{nullptr},
             std::string(role_name(u.role)), store::optional_value(u.scope_node_id),
             store::optional_value(u.department_id), std::int64_t{u.active ? 1 : 0},
             store::optional_value(u.locked_until), now, id, std::int64_t{expected_version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        if (!u.active || patch.role || patch.scope_node_id) {
            // rights changed: sessions opened under the old rights end now
            c.run("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                  {now, id});
        }
        audit_.record(c, actor, origin, "user_updated", target, "ok", changed);
        result = load(c, id);
    });
    if (sessions_revoked_) sessions_revoked_();
    return result;
}

void UserService::set_password(std::int64_t id, std::string_view password, const Principal* actor,
                               const RequestOrigin& origin) {
    const std::string target = fmt::format("user:{}", id);
    require(actor, Permission::manage_users, origin, target);
    check_password_policy(password);
    const std::string hash = hash_password(password);
    {
        User before;
        db_.read([&](store::Connection& c) { before = load(c, id); });
        require_scope(actor, before.scope_node_id, origin, target);
    }
    db_.transact([&](store::Connection& c) {
        load(c, id);
        const Millis now = clock_.now();
        c.run(
            "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, "
            "updated_at = $2, "
            "version = version + 1 WHERE id = $3",
            {hash, now, id});
        c.run("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
              {now, id});
        audit_.record(c, actor, origin, "password_set", target, "ok");
    });
    if (sessions_revoked_) sessions_revoked_();
}

void UserService::change_own_password(const Principal& self, std::string_view current,
                                      std::string_view next, const RequestOrigin& origin,
                                      const std::string& keep_session) {
    const std::string target = fmt::format("user:{}", self.id);
    std::string hash;
    std::optional<Millis> locked_until;
    db_.read([&](store::Connection& c) {
        const auto r =
            c.run("SELECT password_hash, locked_until FROM users WHERE id = $1", {self.id});
        if (r.empty()) throw Error(ErrorCode::not_found);
        hash = r.front().text("password_hash");
        locked_until = r.front().opt_integer("locked_until");
    });
    const Millis now = clock_.now();
    if (locked_until && *locked_until > now) {
        audit_.record(&self, origin, "password_change_locked", target, "denied");
        const auto minutes = (*locked_until - now + kMinute - 1) / kMinute;
        throw Error(ErrorCode::account_locked,
                    fmt::format("错误次数过多，请 {0} 分钟后再试。 Too many failed attempts; try "
                                "again in {0} minutes.",
                                minutes));
    }
    if (!verify_password(hash, current)) {
        // a wrong current password counts like a failed login: five lock the account
        bool locked = false;
        db_.transact([&](store::Connection& c) {
            const auto r = c.run(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING "
                "failed_logins",
                {self.id});
            if (r.front().integer("failed_logins") >= policy_.max_failures) {
                c.run("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                      {now + policy_.lock_ms, self.id});
                locked = true;
            }
            audit_.record(c, &self, origin, locked ? "account_locked" : "password_change_failed",
                          target, "failed", "wrong current password");
        });
        if (locked)
            throw Error(ErrorCode::account_locked,
                        fmt::format("错误次数过多，请 {0} 分钟后再试。 Too many failed attempts; "
                                    "try again in {0} minutes.",
                                    policy_.lock_ms / kMinute));
        throw Error(ErrorCode::bad_credentials, "当前密码不正确。 The current password is wrong.",
                    "current_password");
    }
    check_password_policy(next);
    const std::string next_hash = hash_password(next);
    db_.transact([&](store::Connection& c) {
        c.run(
            "UPDATE users SET password_hash = $1, failed_logins = 0, updated_at = $2, version = "
            "version + 1 WHERE id = $3",
            {next_hash, now, self.id});
        // every other session of the account ends; the one that changed the password stays
        c.run(
            "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND "
            "token_hash <> $3",
            {now, self.id, keep_session});
        audit_.record(c, &self, origin, "password_changed", target, "ok");
    });
    if (sessions_revoked_) sessions_revoked_();
}

User UserService::get(std::int64_t id, const Principal* viewer) {
    User u;
    db_.read([&](store::Connection& c) { u = load(c, id); });
    if (viewer) {
        const bool self = viewer->kind == Principal::Kind::user && viewer->id == id;
        if (!self && (!viewer->can(Permission::view_users) ||
                      !Scope::of(*viewer, tree_).may_grant(u.scope_node_id, tree_))) {
            throw Error(ErrorCode::not_found,
                        "No such user.");  // do not reveal what is out of scope
        }
    }
    return u;
}

std::optional<User> UserService::find_by_login(const std::string& login) {
    std::optional<User> u;
    db_.read([&](store::Connection& c) {
        const auto r = c.run("SELECT * FROM users WHERE login = $1", {login});
        if (!r.empty()) u = from_row(r.front());
    });
    return u;
}

std::vector<User> UserService::list(const UserFilter& f, const Principal* viewer, int limit,
                                    int offset, std::int64_t* total) {
    if (viewer && !viewer->can(Permission::view_users)) throw Error(ErrorCode::forbidden);
    // a scoped viewer sees the users placed in the subtree of its scope node (the grid tree's
    // materialized paths), or at the node itself where the tree does not know it
    static constexpr const char* kWhere =
        " WHERE (CAST($1 AS TEXT) IS NULL OR role = $1)"
        " AND (CAST($2 AS TEXT) IS NULL OR login LIKE $2 OR name LIKE $2)"
        " AND (CAST($3 AS BIGINT) IS NULL OR scope_node_id = $3 OR scope_node_id IN"
        " (SELECT id FROM grid_nodes WHERE path LIKE CAST($4 AS TEXT)))";
    const Value role = f.role ? Value{std::string(role_name(*f.role))} : Value{nullptr};
    Value pattern{nullptr};
    if (f.query) {
        std::string escaped;
        for (char ch : *f.query) {
            if (ch == '%' || ch == '_' || ch == '\\') continue;  // a search string is not a pattern
            escaped += ch;
        }
        pattern = "%" + escaped + "%";
    }
    const Value scope = viewer ? store::optional_value(viewer->scope_node_id) : Value{nullptr};
    Value subtree{nullptr};
    if (viewer && viewer->scope_node_id) {
        if (auto path = tree_.path_of(*viewer->scope_node_id)) subtree = *path + "%";
    }
    std::vector<User> out;
    db_.read([&](store::Connection& c) {
        if (total) {
            *total = c.run(std::string("SELECT COUNT(*) AS n FROM users") + kWhere,
                           {role, pattern, scope, subtree})
                         .front()
                         .integer("n");
        }
        const auto r =
            c.run(std::string("SELECT * FROM users") + kWhere + " ORDER BY id LIMIT $5 OFFSET $6",
                  {role, pattern, scope, subtree, std::int64_t{limit}, std::int64_t{offset}});
        for (const auto& row : r.rows) out.push_back(from_row(row));
    });
    return out;
}

User UserService::authenticate(const std::string& login, std::string_view password,
                               const RequestOrigin& origin) {
    const std::string target = "user:" + login;
    std::optional<User> found;
    std::string hash;
    db_.read([&](store::Connection& c) {
        const auto r = c.run("SELECT * FROM users WHERE login = $1", {login});
        if (!r.empty()) {
            found = from_row(r.front());
            hash = r.front().text("password_hash");
        }
    });
    const Millis now = clock_.now();
    if (!found || !found->active) {
        burn_password_check(password);
        // an unknown or inactive login locks like an account, so the lock tells none apart
        std::optional<Millis> locked_until;
        bool just_locked = false;
        {
            std::lock_guard lock(phantoms_mutex_);
            if (phantoms_.size() > 100'000) phantoms_.clear();  // a flood forgets, not grows
            auto& [failures, until] = phantoms_[login];
            if (until > now) {
                locked_until = until;
            } else if (++failures >= policy_.max_failures) {
                failures = 0;
                until = now + policy_.lock_ms;
                locked_until = until;
                just_locked = true;
            }
        }
        audit_.record(nullptr, origin, "login_failed", target, "failed",
                      found ? "inactive" : "unknown login");
        if (locked_until) {
            const auto minutes = just_locked ? policy_.lock_ms / kMinute
                                             : (*locked_until - now + kMinute - 1) / kMinute;
            throw Error(ErrorCode::account_locked,
                        fmt::format("Too many failed logins; try again in {} minutes.", minutes));
        }
        throw Error(ErrorCode::bad_credentials);
    }
    Principal who{Principal::Kind::user, found->id,   found->login,
                  found->name,           found->role, found->scope_node_id,
                  found->department_id};
    if (found->locked_until && *found->locked_until > now) {
        audit_.record(&who, origin, "login_locked", target, "denied");
        const auto minutes = (*found->locked_until - now + kMinute - 1) / kMinute;
        throw Error(ErrorCode::account_locked,
                    fmt::format("Too many failed logins; try again in {} minutes.", minutes));
    }
    if (!verify_password(hash, password)) {
        bool locked = false;
        db_.transact([&](store::Connection& c) {
            const auto r = c.run(
                "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING "
                "failed_logins",
                {found->id});
            if (r.front().integer("failed_logins") >= policy_.max_failures) {
                c.run("UPDATE users SET failed_logins = 0, locked_until = $1 WHERE id = $2",
                      {now + policy_.lock_ms, found->id});
                locked = true;
            }
            audit_.record(c, &who, origin, locked ? "account_locked" : "login_failed", target,
                          "failed", "wrong password");
        });
        if (locked) {
            throw Error(ErrorCode::account_locked,
                        fmt::format("Too many failed logins; try again in {} minutes.",
                                    policy_.lock_ms / kMinute));
        }
        throw Error(ErrorCode::bad_credentials);
    }
    db_.transact([&](store::Connection& c) {
        c.run("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1", {found->id});
        audit_.record(c, &who, origin, "login", target, "ok");
    });
    return *found;
}

}  // namespace gridgov::accounts
