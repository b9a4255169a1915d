// The production driver: PostgreSQL through libpq, with a connection pool. Statements are
// prepared once per connection; parameters are sent as text and results read back into Values
// by their column types. Unique and foreign-key violations become Error(conflict).
#pragma once

#include <memory>
#include <string>

#include "store/database.hpp"
#include "store/pool.hpp"

namespace gridgov::store {

class PostgresDatabase final : public Database {
  public:
    PostgresDatabase(std::string conninfo, std::size_t pool_size,
                     std::chrono::milliseconds acquire_timeout = std::chrono::seconds(10));

    Dialect dialect() const override { return Dialect::postgres; }
    PoolStats stats() const override { return pool_->stats(); }
    std::string describe() const override;

  protected:
    Lease acquire() override;
    void begin(Connection& c) override;

  private:
    std::string conninfo_;
    std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace gridgov::store
