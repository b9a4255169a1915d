#include "store/pool.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace gridgov::store {

ConnectionPool::ConnectionPool(Factory factory, std::size_t size,
                               std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)),
      size_(std::max<std::size_t>(size, 1)),
      acquire_timeout_(acquire_timeout) {
    stats_.size = size_;
}

std::pair<Connection*, std::function<void(bool)>> ConnectionPool::acquire() {
    std::unique_lock lock(mutex_);
    const auto started = std::chrono::steady_clock::now();
    bool waited = false;
    while (idle_.empty() && all_.size() >= size_) {
        waited = true;
        if (available_.wait_until(lock, started + acquire_timeout_) == std::cv_status::timeout &&
            idle_.empty() && all_.size() >= size_) {
            ++stats_.timeouts;
            throw Error(ErrorCode::unavailable, "no database connection became free in time");
        }
    }
    if (waited) {
        ++stats_.waited;
        stats_.wait_micros +=
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - started)
                                           .count());
    }
    Connection* c = nullptr;
    if (!idle_.empty()) {
        c = idle_.back();
        idle_.pop_back();
    } else {
        // reserve the slot, then open without holding the lock
        all_.push_back(nullptr);
        lock.unlock();
        std::unique_ptr<Connection> opened;
        try {
            opened = factory_();
        } catch (...) {
            lock.lock();
            all_.erase(std::find(all_.begin(), all_.end(), nullptr));
            available_.notify_one();
            throw;
        }
        lock.lock();
        c = opened.get();
        *std::find(all_.begin(), all_.end(), nullptr) = std::move(opened);
    }
    ++stats_.acquired;
    ++stats_.in_use;
    return {c, [this, c](bool broken) { give_back(c, broken); }};
}

void ConnectionPool::give_back(Connection* c, bool broken) {
    std::unique_ptr<Connection> doomed;
    {
        std::lock_guard lock(mutex_);
        --stats_.in_use;
        if (broken) {
            auto it =
                std::find_if(all_.begin(), all_.end(), [c](const auto& p) { return p.get() == c; });
            doomed = std::move(*it);
            all_.erase(it);
        } else {
            idle_.push_back(c);
        }
    }
    available_.notify_one();
}

PoolStats ConnectionPool::stats() const {
    std::lock_guard lock(mutex_);
    PoolStats s = stats_;
    s.open = static_cast<std::size_t>(
        std::count_if(all_.begin(), all_.end(), [](const auto& p) { return p != nullptr; }));
    return s;
}

}  // namespace gridgov::store
