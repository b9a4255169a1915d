#include "store/database.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace gridgov::store {

namespace {

thread_local int open_transactions = 0;
thread_local std::vector<std::function<void()>>* deferred = nullptr;

void refuse_nested(std::string_view what) {
    if (open_transactions == 0) return;
    spdlog::error("{} called inside an open transaction on the same thread", what);
    throw Error(ErrorCode::internal, "A database call was made inside an open transaction.");
}

void run_deferred() {
    while (deferred != nullptr && !deferred->empty()) {
        auto batch = std::move(*deferred);
        deferred->clear();
        for (auto& fn : batch) {
            try {
                fn();
            } catch (const std::exception& e) {
                spdlog::error("work after a transaction failed: {}", e.what());
            }
        }
    }
    delete deferred;
    deferred = nullptr;
}

// Marks this thread as inside a transaction for the lifetime of the object.
struct OpenTransaction {
    OpenTransaction() { ++open_transactions; }
    ~OpenTransaction() { --open_transactions; }
};

}  // namespace

bool in_transaction() {
    return open_transactions > 0;
}

void after_transaction(std::function<void()> fn) {
    if (open_transactions == 0) {
        fn();
        return;
    }
    if (deferred == nullptr) deferred = new std::vector<std::function<void()>>();
    deferred->push_back(std::move(fn));
}

void Database::read(const std::function<void(Connection&)>& fn) {
    refuse_nested("Database::read");
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
    refuse_nested("Database::transact");
    Lease lease = acquire();
    Connection& c = *lease.connection;
    try {
        begin(c);
    } catch (...) {
        lease.release(!c.healthy());
        throw;
    }
    try {
        {
            OpenTransaction open;
            fn(c);
        }
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
        run_deferred();
        throw;
    }
    end_write();
    lease.release(false);
    run_deferred();
}

}  // namespace gridgov::store
