// Tests of src/store, each run on SQLite and on PostgreSQL: parameters and types, transactions,
// constraint errors, migrations, and concurrent writers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/error.hpp"
#include "store/group_commit.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_database.hpp"
#include "support/test_databases.hpp"

using namespace gridgov;
using store::Connection;
using store::Dialect;
using test_support::code_of;

class StoreTest : public ::testing::TestWithParam<Dialect> {
  protected:
    void SetUp() override {
        db = test_support::fresh_database(GetParam());
        db->transact([](Connection& c) {
            c.run_script(
                "CREATE TABLE things (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, weight "
                "DOUBLE PRECISION, note TEXT)");
        });
    }
    std::unique_ptr<store::Database> db;
};

TEST_P(StoreTest, BindsParametersAndReadsTypedRows) {
    db->transact([](Connection& c) {
        c.run("INSERT INTO things (id, name, weight, note) VALUES ($1, $2, $3, $4)",
              {std::int64_t{1}, std::string("网格 'one'; DROP TABLE things; --"), 2.5, nullptr});
    });
    db->read([](Connection& c) {
        const auto r =
            c.run("SELECT id, name, weight, note FROM things WHERE id = $1", {std::int64_t{1}});
        ASSERT_EQ(r.rows.size(), 1u);
        EXPECT_EQ(r.front().integer("id"), 1);
        EXPECT_EQ(r.front().text("name"), "网格 'one'; DROP TABLE things; --");
        EXPECT_DOUBLE_EQ(r.front().real("weight"), 2.5);
        EXPECT_TRUE(r.front().is_null("note"));
        EXPECT_FALSE(r.front().opt_text("note").has_value());
    });
}

TEST_P(StoreTest, StoresAndReadsBinaryDataExactly) {
    std::string payload;
    for (int i = 0; i < 70000; ++i) payload += static_cast<char>(i * 7 % 256);  // NULs, high bytes
    const bool pg = GetParam() == Dialect::postgres;
    db->transact([&](Connection& c) {
        c.run_script(pg ? "CREATE TABLE blobs (id BIGINT, data BYTEA)"
                        : "CREATE TABLE blobs (id BIGINT, data BLOB)");
        c.run("INSERT INTO blobs (id, data) VALUES ($1, $2)",
              {std::int64_t{1}, store::Bytes{payload}});
        c.run("INSERT INTO blobs (id, data) VALUES ($1, $2)", {std::int64_t{2}, store::Bytes{}});
    });
    db->read([&](Connection& c) {
        const auto r = c.run("SELECT id, data, length(data) AS n FROM blobs ORDER BY id");
        ASSERT_EQ(r.rows.size(), 2u);
        EXPECT_EQ(r.rows[0].integer("n"), 70000);
        EXPECT_EQ(r.rows[0].bytes("data"), payload);
        EXPECT_EQ(r.rows[1].bytes("data"), "");
    });
}

TEST_P(StoreTest, SameParameterTwiceAndOutOfOrder) {
    db->transact([](Connection& c) {
        c.run("INSERT INTO things (id, name) VALUES ($2, $1)", {std::string("x"), std::int64_t{5}});
        const auto r = c.run("SELECT COUNT(*) AS n FROM things WHERE id = $1 OR id = $1 + 0",
                             {std::int64_t{5}});
        EXPECT_EQ(r.front().integer("n"), 1);
    });
}

TEST_P(StoreTest, TransactionRollsBackWhenTheFunctionThrows) {
    EXPECT_THROW(db->transact([](Connection& c) {
        c.run("INSERT INTO things (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string("a")});
        throw std::runtime_error("half-way");
    }),
                 std::runtime_error);
    db->read([](Connection& c) {
        EXPECT_EQ(c.run("SELECT COUNT(*) AS n FROM things").front().integer("n"), 0);
    });
    // the connection is usable afterwards
    db->transact([](Connection& c) {
        c.run("INSERT INTO things (id, name) VALUES ($1, $2)", {std::int64_t{1}, std::string("a")});
    });
}

TEST_P(StoreTest, NothingWaitsForItsOwnTransaction) {
    // a second loan on the thread that holds a transaction would wait for itself (SQLite's
    // writer lock, or the last connection of the pool): it is refused at once instead
    std::vector<std::string> order;
    EXPECT_EQ(code_of([&] {
                  db->transact([&](Connection& c) {
                      c.run("INSERT INTO things (id, name) VALUES (1, 'a')");
                      store::after_transaction([&] {
                          EXPECT_FALSE(store::in_transaction());
                          // work after the transaction may write in a transaction of its own
                          db->transact([](Connection& c2) {
                              c2.run("INSERT INTO things (id, name) VALUES (2, 'b')");
                          });
                          order.push_back("after");
                      });
                      EXPECT_TRUE(store::in_transaction());
                      db->read([](Connection&) {});
                  });
              }),
              ErrorCode::internal);
    EXPECT_EQ(order, std::vector<std::string>{"after"});
    EXPECT_FALSE(store::in_transaction());
    db->read([](Connection& c) {
        // the first transaction rolled back; the work after it committed
        EXPECT_EQ(c.run("SELECT name FROM things").front().text("name"), "b");
        EXPECT_EQ(c.run("SELECT COUNT(*) AS n FROM things").front().integer("n"), 1);
    });
    EXPECT_EQ(
        code_of([&] { db->transact([&](Connection&) { db->transact([](Connection&) {}); }); }),
        ErrorCode::internal);
    store::GroupCommit group(*db);
    EXPECT_EQ(code_of([&] { db->transact([&](Connection&) { group.run([](Connection&) {}); }); }),
              ErrorCode::internal);
    // outside a transaction, work after it runs at once
    bool ran = false;
    store::after_transaction([&] { ran = true; });
    EXPECT_TRUE(ran);
}

TEST_P(StoreTest, UniqueViolationIsAConflictAndLeavesNothing) {
    db->transact([](Connection& c) { c.run("INSERT INTO things (id, name) VALUES (1, 'a')"); });
    try {
        db->transact([](Connection& c) {
            c.run("INSERT INTO things (id, name) VALUES (2, 'b')");
            c.run("INSERT INTO things (id, name) VALUES (3, 'a')");
        });
        FAIL() << "no conflict";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::conflict);
    }
    db->read([](Connection& c) {
        EXPECT_EQ(c.run("SELECT COUNT(*) AS n FROM things").front().integer("n"), 1);
    });
}

TEST_P(StoreTest, ReportsAffectedRowsAndReturning) {
    db->transact([](Connection& c) {
        c.run("INSERT INTO things (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        EXPECT_EQ(c.run("UPDATE things SET note = 'n' WHERE id >= $1", {std::int64_t{2}}).affected,
                  2);
        const auto r = c.run("DELETE FROM things WHERE id = $1 RETURNING name", {std::int64_t{3}});
        EXPECT_EQ(r.front().text("name"), "c");
    });
}

TEST_P(StoreTest, MigrationsAreIdempotent) {
    const int version = store::schema_version(*db);
    EXPECT_EQ(version, store::embedded_migrations().back().version);
    EXPECT_EQ(store::migrate(*db), 0);
    EXPECT_EQ(store::schema_version(*db), version);
}

TEST_P(StoreTest, ConcurrentWritersAllLand) {
    constexpr int kThreads = 4, kEach = 50;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([this, t] {
            for (int i = 0; i < kEach; ++i) {
                db->transact([&](Connection& c) {
                    const std::int64_t id = t * 1000 + i;
                    c.run("INSERT INTO things (id, name) VALUES ($1, $2)",
                          {id, "n" + std::to_string(id)});
                });
            }
        });
    }
    for (auto& t : threads) t.join();
    db->read([](Connection& c) {
        EXPECT_EQ(c.run("SELECT COUNT(*) AS n FROM things").front().integer("n"), kThreads * kEach);
    });
    const auto stats = db->stats();
    EXPECT_GE(stats.acquired, static_cast<std::uint64_t>(kThreads * kEach));
    EXPECT_EQ(stats.in_use, 0u);
}

TEST_P(StoreTest, GroupCommitSharesTransactionsAndKeepsFailuresApart) {
    constexpr int kThreads = 6, kEach = 40;
    std::atomic<int> failed{0};
    {
        store::GroupCommit group(*db, 16);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kEach; ++i) {
                    const std::int64_t id = t * 1000 + i;
                    try {
                        group.run([&](Connection& c) {
                            c.run("INSERT INTO things (id, name) VALUES ($1, $2)",
                                  {id, "n" + std::to_string(id)});
                            // every tenth write fails after its insert: only it is undone
                            if (i % 10 == 9) throw Error(ErrorCode::invalid_field, "no", "x");
                        });
                    } catch (const Error& e) {
                        EXPECT_EQ(e.field(), "x");
                        ++failed;
                    }
                }
            });
        }
        for (auto& t : threads) t.join();
        // a unique violation inside a batch is that write's error alone
        EXPECT_EQ(code_of([&] {
                      group.run([](Connection& c) {
                          c.run("INSERT INTO things (id, name) VALUES (99999, 'n0')");
                      });
                  }),
                  ErrorCode::conflict);
        group.run(
            [](Connection& c) { c.run("INSERT INTO things (id, name) VALUES (99998, 'after')"); });
    }
    EXPECT_EQ(failed.load(), kThreads * kEach / 10);
    db->read([](Connection& c) {
        EXPECT_EQ(c.run("SELECT COUNT(*) AS n FROM things").front().integer("n"),
                  kThreads * kEach * 9 / 10 + 1);
        EXPECT_TRUE(c.run("SELECT 1 FROM things WHERE id = 9").empty());
        EXPECT_FALSE(c.run("SELECT 1 FROM things WHERE id = 8").empty());
    });
}

TEST_P(StoreTest, PoolGivesUpWhenExhausted) {
    auto small = store::open_database(test_support::fresh_database_url(GetParam()), 1,
                                      std::chrono::milliseconds(200));
    small->read([&](Connection&) {
        // the one connection is lent out: a second loan from another thread must time out
        std::thread other([&] {
            try {
                small->read([](Connection&) {});
                ADD_FAILURE() << "got a second connection";
            } catch (const Error& e) {
                EXPECT_EQ(e.code(), ErrorCode::unavailable);
            }
        });
        other.join();
    });
    EXPECT_EQ(small->stats().timeouts, 1u);
}

INSTANTIATE_TEST_SUITE_P(BothDatabases, StoreTest,
                         ::testing::Values(Dialect::sqlite, Dialect::postgres),
                         [](const auto& info) { return test_support::dialect_name(info.param); });

TEST(SqlitePlaceholders, TranslatesOutsideQuotesOnly) {
    EXPECT_EQ(store::sqlite_placeholders("SELECT $1, '$2', \"$3\", $10"),
              "SELECT ?1, '$2', \"$3\", ?10");
}

TEST(OpenDatabase, RejectsUnknownUrls) {
    try {
        store::open_database("mysql://x", 1);
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.field(), "database.url");
    }
    EXPECT_THROW(store::open_database("postgresql://nobody@127.0.0.1:1/none", 1), Error);
}
