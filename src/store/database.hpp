// The Database interface the domain talks to: a pool of connections, statements with bound
// parameters only ($1, $2 ... in the SQL, on both drivers), and transactions that commit when the
// function returns and roll back when it throws. Thread-safe: any thread may call read() or
// transact(); a Connection handed to the function belongs to that call alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/row.hpp"

namespace gridgov::store {

enum class Dialect { sqlite, postgres };

class Connection {
  public:
    virtual ~Connection() = default;
    // Runs one statement; the statement is prepared once per connection and cached.
    Result run(std::string_view sql, std::initializer_list<Value> params = {}) {
        return run_values(sql, std::span<const Value>(params.begin(), params.size()));
    }
    // The same with parameters gathered at run time (filters built from a query).
    Result run(std::string_view sql, const std::vector<Value>& params) {
        return run_values(sql, params);
    }
    virtual Result run_values(std::string_view sql, std::span<const Value> params) = 0;
    // Runs a script of several statements without parameters (migrations).
    virtual void run_script(std::string_view sql) = 0;
    virtual Dialect dialect() const = 0;
    // True when the connection still answers; the pool drops broken connections.
    virtual bool healthy() = 0;
};

struct PoolStats {
    std::size_t size = 0;           // connections allowed
    std::size_t open = 0;           // connections open now
    std::size_t in_use = 0;         // connections lent out now
    std::uint64_t acquired = 0;     // loans since start
    std::uint64_t waited = 0;       // loans that had to wait for a free connection
    std::uint64_t wait_micros = 0;  // total time spent waiting
    std::uint64_t timeouts = 0;     // loans that gave up
};

class Database {
  public:
    virtual ~Database() = default;

    // Runs `fn` on a connection without an explicit transaction (single statements, reads).
    // Neither read() nor transact() may be called while this thread has a transaction open: that
    // would wait for a second connection (or SQLite's writer lock) held by the caller itself, so
    // it throws Error(internal) at once instead. Work that must follow a transaction (an audit of
    // a denial found inside it) goes through after_transaction().
    void read(const std::function<void(Connection&)>& fn);
    // Runs `fn` in a transaction. On SQLite writers are serialized in-process and take the write
    // lock at BEGIN, so a transaction never fails half-way for a lock it could not upgrade.
    void transact(const std::function<void(Connection&)>& fn);

    virtual Dialect dialect() const = 0;
    virtual PoolStats stats() const = 0;
    // A short description for logs, without passwords.
    virtual std::string describe() const = 0;

  protected:
    struct Lease {
        Connection* connection = nullptr;
        std::function<void(bool broken)> release;
    };
    virtual Lease acquire() = 0;
    virtual void begin(Connection& c) = 0;
    virtual void end_write() {}
};

// True while this thread runs inside Database::transact() (of any database).
bool in_transaction();
// Runs `fn` once this thread's open transaction has ended, committed or rolled back, outside of
// it; at once when no transaction is open. What `fn` throws is logged, not propagated.
void after_transaction(std::function<void()> fn);

// Opens "sqlite:PATH" (or "sqlite::memory:") or a "postgresql://" / "postgres://" URL (or a libpq
// key=value string starting with "host=" / "dbname="). Throws Error(unavailable) when it cannot.
// A loan waits at most acquire_timeout for a free connection.
std::unique_ptr<Database> open_database(
    const std::string& url, std::size_t pool_size,
    std::chrono::milliseconds acquire_timeout = std::chrono::seconds(10));

}  // namespace gridgov::store
