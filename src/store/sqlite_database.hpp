// The embedded driver: SQLite 3 in WAL mode with a busy timeout and foreign keys on. Writers are
// serialized in-process (one write transaction at a time, begun IMMEDIATE) while readers run in
// parallel on their own connections. synchronous=FULL: a committed write survives a crash.
// Checkpoints of the WAL run on a connection of their own every second (PASSIVE: they wait
// for nobody), not inside whichever commit crosses the WAL's size limit.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/periodic.hpp"
#include "store/database.hpp"
#include "store/pool.hpp"

namespace gridgov::store {

class SqliteDatabase final : public Database {
  public:
    // path is a file name, or ":memory:" for a private in-memory database (one connection).
    SqliteDatabase(std::string path, std::size_t pool_size,
                   std::chrono::milliseconds acquire_timeout = std::chrono::seconds(10));
    ~SqliteDatabase() override;

    Dialect dialect() const override { return Dialect::sqlite; }
    PoolStats stats() const override { return pool_->stats(); }
    std::string describe() const override { return "sqlite:" + path_; }

  protected:
    Lease acquire() override;
    void begin(Connection& c) override;
    void end_write() override;

  private:
    std::string path_;
    std::unique_ptr<ConnectionPool> pool_;
    std::mutex writer_;
    std::unique_ptr<Connection> checkpointer_;  // before checkpoints_: it outlives the task
    std::unique_ptr<Periodic> checkpoints_;
};

// "$1" placeholders become SQLite's "?1"; text inside quotes is left alone.
std::string sqlite_placeholders(std::string_view sql);

}  // namespace gridgov::store
