#include "store/database.hpp"

#include <spdlog/spdlog.h>

namespace gridgov::store {

void Database::read(const std::function<void(Connection&)>& fn) {
    Lease lease = acquire();
    try {
        fn(*lease.connection);
    } catch (...) {
        lease.release(!lease.connection->healthy());
        throw;
    }
    lease.release(false);
}

void Database::transact(const std::function<void(Connection&)>& fn) {
    Lease lease = acquire();
    Connection& c = *lease.connection;
    try {
        begin(c);
    } catch (...) {
        lease.release(!c.healthy());
        throw;
    }
    try {
        fn(c);
        c.run("COMMIT");
    } catch (...) {
        bool broken = false;
        try {
            c.run("ROLLBACK");
        } catch (const std::exception& e) {
            spdlog::warn("rollback failed: {}", e.what());
            broken = true;
        }
        end_write();
        lease.release(broken || !c.healthy());
        throw;
    }
    end_write();
    lease.release(false);
}

}  // namespace gridgov::store
