// A bounded pool of database connections, shared by both drivers. Connections are opened lazily
// up to the limit; a caller waits up to the acquire timeout for a free one and then gets
// Error(unavailable). Broken connections are closed instead of returned. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/database.hpp"

namespace gridgov::store {

class ConnectionPool {
  public:
    using Factory = std::function<std::unique_ptr<Connection>()>;

    ConnectionPool(Factory factory, std::size_t size,
                   std::chrono::milliseconds acquire_timeout = std::chrono::seconds(10));

    // Returns a connection and the function that gives it back (with broken = true to drop it).
    std::pair<Connection*, std::function<void(bool)>> acquire();
    PoolStats stats() const;

  private:
    void give_back(Connection* c, bool broken);

    Factory factory_;
    std::size_t size_;
    std::chrono::milliseconds acquire_timeout_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> all_;
    std::vector<Connection*> idle_;
    PoolStats stats_;
};

}  // namespace gridgov::store
