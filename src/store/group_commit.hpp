// Group commit: many small writes from many threads share one transaction and one disk flush.
// Each caller's work runs inside its own savepoint of the shared transaction (so one failing
// write does not undo the others) and the caller is answered only after that transaction has
// committed: nothing is acknowledged before it is durable. One writer thread per GroupCommit.
// Worth it where every commit costs a flush of its own (SQLite, whose writers are serialized).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "store/database.hpp"

namespace gridgov::store {

class GroupCommit {
  public:
    explicit GroupCommit(Database& db, std::size_t max_batch = 128);
    ~GroupCommit();  // finishes the writes queued, then stops
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    // Runs `work` in the next batch; returns once the batch committed, or rethrows what `work`
    // threw (its savepoint rolled back) or why the batch failed.
    void run(const std::function<void(Connection&)>& work);

  private:
    struct Job {
        const std::function<void(Connection&)>* work;
        std::exception_ptr error;
        bool done = false;
    };
    void loop(std::stop_token stop);

    Database& db_;
    std::size_t max_batch_;
    std::mutex mutex_;
    std::condition_variable_any queued_;
    std::condition_variable finished_;
    std::deque<Job*> queue_;
    std::jthread writer_;  // last: started once the rest is ready
};

}  // namespace gridgov::store
