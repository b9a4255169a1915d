// Tests of src/accounts on both databases: accounts, the password policy, lock-out, sessions with
// their timeouts, API keys, scope checks and the audit trail. Time is a ManualClock.
#include <gtest/gtest.h>

#include <future>

#include "accounts/api_key_service.hpp"
#include "accounts/password.hpp"
#include "accounts/session_service.hpp"
#include "accounts/user_service.hpp"
#include "core/error.hpp"
#include "support/test_databases.hpp"

using namespace gridgov;
using namespace gridgov::accounts;
using store::Dialect;
using test_support::code_of;

TEST(PasswordPolicy, NeedsEightCharactersFromThreeClasses) {
    for (const char* weak :
         {"", "Ab1!", "abcdefgh", "abcdefg1", "ABCDEFG1", "12345678", "abcDEFgh"}) {
        EXPECT_THROW(check_password_policy(weak), Error) << weak;
    }
    for (const char* good : {"abcdEF12", "abcdef1!", "ABCDEF1!", "Gridgov@2026", "网格管理员Ab1"}) {
        EXPECT_NO_THROW(check_password_policy(good)) << good;
    }
    try {
        check_password_policy("short");
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::weak_password);
        EXPECT_EQ(e.field(), "password");
    }
}

TEST(PasswordHash, IsArgon2idAndVerifies) {
    const auto hash = hash_password("Gridgov@2026");
    EXPECT_TRUE(hash.starts_with("$argon2id$"));
    EXPECT_TRUE(verify_password(hash, "Gridgov@2026"));
    EXPECT_FALSE(verify_password(hash, "Gridgov@2027"));
}

class PeopleTest : public ::testing::TestWithParam<Dialect> {
  protected:
    PeopleTest()
        : db(test_support::fresh_database(GetParam())),
          cipher(key()),
          audit(*db, clock),
          users(*db, audit, cipher, clock, LoginPolicy{5, 15 * kMinute}, tree),
          sessions(*db, audit, clock, SessionPolicy{30 * kMinute, 12 * kHour}),
          keys(*db, audit, clock, tree) {
        audit.attach_tree(&tree);
        users.on_sessions_revoked([this] { sessions.forget_all(); });
    }

    static std::array<unsigned char, FieldCipher::kKeyBytes> key() {
        std::array<unsigned char, FieldCipher::kKeyBytes> k{};
        k.fill(42);
        return k;
    }

    User make(const std::string& login, Role role, std::optional<std::int64_t> scope = {}) {
        NewUser in;
        in.login = login;
        in.name = "测试 " + login;
        in.role = role;
        // a grid worker or head works somewhere: node 1 unless the test names one
        in.scope_node_id = scope || (role != Role::grid_worker && role != Role::grid_head)
                               ? scope
                               : std::optional<std::int64_t>(1);
        in.phone = "13900001111";
        in.password = "Passw0rd!";
        return users.create(in, nullptr, origin);
    }

    Principal as_principal(const User& u) {
        return {Principal::Kind::user, u.id,           u.login, u.name, u.role,
                u.scope_node_id,       u.department_id};
    }

    std::int64_t count_audit(const std::string& action) {
        std::int64_t total = 0;
        AuditFilter f;
        f.action = action;
        audit.list(f, Scope::system(), 1, 0, &total);
        return total;
    }

    std::unique_ptr<store::Database> db;
    ManualClock clock{1'800'000'000'000};
    FieldCipher cipher;
    SelfAncestry tree;
    AuditLog audit;
    UserService users;
    SessionService sessions;
    ApiKeyService keys;
    RequestOrigin origin{"127.0.0.1", "req-1", "test"};
};

TEST_P(PeopleTest, CreatesUsersWithEncryptedPhones) {
    const User u = make("liuyang", Role::grid_worker);
    EXPECT_EQ(u.phone, "13900001111");
    EXPECT_EQ(u.version, 1);
    db->read([&](store::Connection& c) {
        const auto r = c.run("SELECT phone_enc, password_hash FROM users WHERE id = $1", {u.id});
        EXPECT_EQ(r.front().text("phone_enc").find("13900001111"), std::string::npos);
        EXPECT_TRUE(r.front().text("password_hash").starts_with("$argon2id$"));
    });
    EXPECT_EQ(count_audit("user_created"), 1);
}

TEST_P(PeopleTest, RejectsDuplicateAndInvalidLogins) {
    make("liuyang", Role::grid_worker);
    try {
        make("liuyang", Role::center);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::conflict);
        EXPECT_EQ(e.field(), "login");
    }
    for (const char* bad : {"ab", "Upper", "with space", "x';--"}) {
        try {
            make(bad, Role::center);
            FAIL() << bad;
        } catch (const Error& e) {
            EXPECT_EQ(e.field(), "login") << bad;
        }
    }
}

TEST_P(PeopleTest, LocksAfterFiveFailuresForFifteenMinutes) {
    make("worker", Role::grid_worker);
    for (int i = 0; i < 4; ++i) {
        try {
            users.authenticate("worker", "wrong", origin);
            FAIL();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::bad_credentials);
        }
    }
    try {
        users.authenticate("worker", "wrong", origin);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::account_locked);
    }
    // locked: even the right password is refused
    EXPECT_THROW(users.authenticate("worker", "Passw0rd!", origin), Error);
    clock.advance(14 * kMinute);
    EXPECT_THROW(users.authenticate("worker", "Passw0rd!", origin), Error);
    clock.advance(2 * kMinute);
    EXPECT_EQ(users.authenticate("worker", "Passw0rd!", origin).login, "worker");
    EXPECT_EQ(count_audit("login_failed"), 4);
    EXPECT_EQ(count_audit("account_locked"), 1);
    EXPECT_EQ(count_audit("login_locked"), 2);
    EXPECT_EQ(count_audit("login"), 1);
}

TEST_P(PeopleTest, UnknownAndInactiveLoginsLookAlike) {
    const User u = make("gone", Role::grid_worker);
    users.update(u.id, UserPatch{.active = false}, u.version, nullptr, origin);
    for (const char* login : {"gone", "nobody"}) {
        try {
            users.authenticate(login, "Passw0rd!", origin);
            FAIL();
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::bad_credentials) << login;
        }
    }
    // and they lock alike: the fifth failure locks a real account, an unknown login and an
    // inactive one the same way, so the lock tells no account apart
    make("real", Role::center);
    for (const char* login : {"real", "nobody", "gone"}) {
        std::vector<ErrorCode> codes;
        for (int i = 0; i < 6; ++i)
            codes.push_back(code_of([&] { users.authenticate(login, "wrong-pass", origin); }));
        // "gone" and "nobody" failed once above already
        const int first_lock = std::string(login) == "real" ? 4 : 3;
        for (int i = 0; i < 6; ++i)
            EXPECT_EQ(codes[i],
                      i < first_lock ? ErrorCode::bad_credentials : ErrorCode::account_locked)
                << login << " attempt " << i + 1;
    }
}

TEST_P(PeopleTest, EditsNeedTheCurrentVersion) {
    const User u = make("chenjing", Role::grid_head);
    const User changed =
        users.update(u.id, UserPatch{.name = std::string("陈静")}, u.version, nullptr, origin);
    EXPECT_EQ(changed.name, "陈静");
    EXPECT_EQ(changed.version, u.version + 1);
    try {
        users.update(u.id, UserPatch{.name = std::string("stale")}, u.version, nullptr, origin);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::version_conflict);
    }
    EXPECT_EQ(users.get(u.id, nullptr).name, "陈静");
}

TEST_P(PeopleTest, OnlyAdminsManageAndDenialsAreAudited) {
    const User center = make("center", Role::center);
    const Principal p = as_principal(center);
    NewUser in{"newbie",     "New",        std::nullopt, Role::volunteer,
               std::nullopt, std::nullopt, "Passw0rd!"};
    try {
        users.create(in, &p, origin);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::forbidden);
    }
    EXPECT_EQ(count_audit("denied"), 1);
    EXPECT_FALSE(users.find_by_login("newbie").has_value());
}

TEST_P(PeopleTest, ScopedAdminsStayInsideTheirScope) {
    const User admin = make("streetadmin", Role::admin, 7);
    const Principal p = as_principal(admin);
    NewUser inside{"inside", "In", std::nullopt, Role::grid_worker, 7, std::nullopt, "Passw0rd!"};
    EXPECT_NO_THROW(users.create(inside, &p, origin));
    NewUser outside{"outside", "Out",        std::nullopt, Role::grid_worker,
                    8,         std::nullopt, "Passw0rd!"};
    EXPECT_THROW(users.create(outside, &p, origin), Error);
    NewUser everywhere{"everywhere", "All",        std::nullopt, Role::grid_worker,
                       std::nullopt, std::nullopt, "Passw0rd!"};
    EXPECT_THROW(users.create(everywhere, &p, origin), Error);
    const User other = make("other", Role::grid_worker, 8);
    EXPECT_THROW(users.get(other.id, &p), Error);
    std::int64_t total = 0;
    const auto seen = users.list({}, &p, 50, 0, &total);
    for (const auto& u : seen) EXPECT_EQ(u.scope_node_id, 7);
    EXPECT_EQ(total, 2);
}

TEST_P(PeopleTest, DenialsFoundBeforeAWriteAnswerAtOnceAndAreAudited) {
    // a scoped administrator edits a user outside the scope: the denial is audited and answered,
    // on SQLite too (its writer lock is not re-entrant)
    const User admin = make("streetadmin", Role::admin, 7);
    const Principal p = as_principal(admin);
    const User other = make("other", Role::grid_worker, 8);
    const auto denied_before = count_audit("denied");
    auto edit = std::async(std::launch::async, [&] {
        return code_of([&] {
            users.update(other.id, UserPatch{.name = std::string("改名")}, other.version, &p,
                         origin);
        });
    });
    ASSERT_EQ(edit.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(edit.get(), ErrorCode::forbidden);
    auto password = std::async(std::launch::async, [&] {
        return code_of([&] { users.set_password(other.id, "Newpass1!x", &p, origin); });
    });
    ASSERT_EQ(password.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(password.get(), ErrorCode::forbidden);
    EXPECT_EQ(count_audit("denied"), denied_before + 2);
    EXPECT_EQ(users.get(other.id, nullptr).name, "测试 other");
    // moving a user of one's own scope out of it is refused too
    const User mine = make("mine", Role::grid_worker, 7);
    EXPECT_EQ(code_of([&] {
                  users.update(mine.id, UserPatch{.scope_node_id = std::optional<std::int64_t>(8)},
                               mine.version, &p, origin);
              }),
              ErrorCode::forbidden);
}

TEST_P(PeopleTest, KeysAndRolesAreNeverGrantedBeyondOnesOwnScope) {
    const User admin = make("streetadmin", Role::admin, 7);
    const Principal p = as_principal(admin);
    EXPECT_EQ(code_of([&] { keys.issue("全市", Role::center, std::nullopt, &p, origin); }),
              ErrorCode::forbidden);
    EXPECT_EQ(code_of([&] { keys.issue("别处", Role::center, 8, &p, origin); }),
              ErrorCode::forbidden);
    const auto own = keys.issue("本街道", Role::center, 7, &p, origin);
    const User root = make("root", Role::admin);
    const Principal city = as_principal(root);
    const auto elsewhere = keys.issue("别处", Role::center, 8, &city, origin);
    const auto citywide = keys.issue("全市", Role::leader, std::nullopt, &city, origin);
    // the scoped administrator lists and revokes the keys of the scope only
    const auto listed = keys.list(&p);
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed.front().id, own.key.id);
    EXPECT_EQ(code_of([&] { keys.revoke(elsewhere.key.id, &p, origin); }), ErrorCode::not_found);
    EXPECT_EQ(code_of([&] { keys.revoke(citywide.key.id, &p, origin); }), ErrorCode::not_found);
    EXPECT_NO_THROW(keys.revoke(own.key.id, &p, origin));
    EXPECT_EQ(keys.list(&city).size(), 3u);
    // a grid worker is created only with a node, and a scoped admin grants no city-wide account
    NewUser nowhere{"nowhere",    "无",         std::nullopt, Role::grid_worker,
                    std::nullopt, std::nullopt, "Passw0rd!"};
    EXPECT_EQ(code_of([&] { users.create(nowhere, &city, origin); }), ErrorCode::invalid_field);
    NewUser centre{"centre",     "中心",       std::nullopt, Role::center,
                   std::nullopt, std::nullopt, "Passw0rd!"};
    EXPECT_EQ(code_of([&] { users.create(centre, &p, origin); }), ErrorCode::forbidden);
    // the audit log: the scoped administrator reads what the accounts of the scope did
    std::int64_t total = 0;
    const auto seen = audit.list({}, Scope::of(p, tree), 500, 0, &total);
    EXPECT_GT(total, 0);
    for (const auto& a : seen) EXPECT_EQ(a.actor, "streetadmin");
    EXPECT_EQ(code_of([&] {
                  audit.list({}, Scope::of(as_principal(make("centre7", Role::center, 7)), tree), 5,
                             0, nullptr);
              }),
              ErrorCode::forbidden);
}

TEST_P(PeopleTest, AdminsCannotDemoteThemselves) {
    const User admin = make("root", Role::admin);
    const Principal p = as_principal(admin);
    EXPECT_THROW(users.update(admin.id, UserPatch{.active = false}, admin.version, &p, origin),
                 Error);
    EXPECT_THROW(users.update(admin.id, UserPatch{.role = Role::center}, admin.version, &p, origin),
                 Error);
}

TEST_P(PeopleTest, SessionsEndWhenIdleOrOld) {
    const User u = make("worker", Role::grid_worker);
    const auto s = sessions.open(u.id, origin);
    EXPECT_EQ(s.token.size(), 43u);
    EXPECT_EQ(sessions.resolve(s.token).login, "worker");
    // active every 20 minutes: still valid 11 h 40 min after login, ended at 12 h
    for (int i = 0; i < 35; ++i) {
        clock.advance(20 * kMinute);
        ASSERT_EQ(sessions.resolve(s.token).id, u.id) << i;
    }
    clock.advance(20 * kMinute);
    try {
        sessions.resolve(s.token);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::session_expired);
    }
    const auto idle = sessions.open(u.id, origin);
    clock.advance(31 * kMinute);
    EXPECT_THROW(sessions.resolve(idle.token), Error);
}

TEST_P(PeopleTest, LogoutAndPasswordChangesEndSessions) {
    const User u = make("worker", Role::grid_worker);
    const auto a = sessions.open(u.id, origin);
    const auto b = sessions.open(u.id, origin);
    sessions.close(a.token, as_principal(u), origin);
    try {
        sessions.resolve(a.token);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::unauthenticated);
    }
    EXPECT_NO_THROW(sessions.resolve(b.token));
    users.set_password(u.id, "N3w-password", nullptr, origin);
    EXPECT_THROW(sessions.resolve(b.token), Error);
    EXPECT_THROW(sessions.resolve("not-a-token"), Error);
    db->read([&](store::Connection& c) {
        // only hashes are stored
        EXPECT_TRUE(c.run("SELECT id FROM sessions WHERE token_hash = $1", {a.token}).empty());
    });
}

TEST_P(PeopleTest, RevocationsByAnotherProcessAreSeenWithinTheCacheTime) {
    const User u = make("worker", Role::grid_worker);
    const auto s = sessions.open(u.id, origin);
    EXPECT_EQ(sessions.resolve(s.token).id, u.id);  // now cached
    // another gridgov process on the same database ends the session
    db->transact([&](store::Connection& c) {
        c.run("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2", {clock.now(), u.id});
    });
    clock.advance(SessionService::kCacheFor);
    EXPECT_THROW(sessions.resolve(s.token), Error);
}

TEST_P(PeopleTest, ApiKeysResolveUntilRevoked) {
    const User admin = make("root", Role::admin);
    const Principal p = as_principal(admin);
    const auto issued = keys.issue("12345 热线", Role::center, 3, &p, origin);
    EXPECT_TRUE(issued.secret.starts_with("ggk_" + issued.key.prefix + "_"));
    const Principal k = keys.resolve(issued.secret);
    EXPECT_EQ(k.kind, Principal::Kind::api_key);
    EXPECT_EQ(k.role, Role::center);
    EXPECT_EQ(k.scope_node_id, 3);
    std::string wrong = issued.secret;
    wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
    EXPECT_THROW(keys.resolve(wrong), Error);
    EXPECT_THROW(keys.resolve("ggk_short"), Error);
    keys.revoke(issued.key.id, &p, origin);
    EXPECT_THROW(keys.resolve(issued.secret), Error);
    EXPECT_THROW(keys.issue("admin key", Role::admin, std::nullopt, &p, origin), Error);
    const Principal center = as_principal(make("center", Role::center));
    EXPECT_THROW(keys.issue("x", Role::center, std::nullopt, &center, origin), Error);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, PeopleTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return test_support::dialect_name(info.param); });
