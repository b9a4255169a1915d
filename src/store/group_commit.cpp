#include "store/group_commit.hpp"

#include "core/error.hpp"

#include <vector>

namespace gridgov::store {

GroupCommit::GroupCommit(Database& db, std::size_t max_batch)
    : db_(db), max_batch_(max_batch), writer_([this](std::stop_token stop) { loop(stop); }) {}

GroupCommit::~GroupCommit() {
    writer_.request_stop();
    queued_.notify_all();
}

void GroupCommit::run(const std::function<void(Connection&)>& work) {
    if (in_transaction())
        throw Error(ErrorCode::internal, "A database call was made inside an open transaction.");
    Job job{&work, nullptr};
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(&job);
    }
    queued_.notify_one();
    std::unique_lock lock(mutex_);
    finished_.wait(lock, [&] { return job.done; });
    if (job.error) std::rethrow_exception(job.error);
}

void GroupCommit::loop(std::stop_token stop) {
    for (;;) {
        std::vector<Job*> batch;
        {
            std::unique_lock lock(mutex_);
            if (!queued_.wait(lock, stop, [&] { return !queue_.empty(); })) return;
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(queue_.front());
                queue_.pop_front();
            }
        }
        try {
            db_.transact([&](Connection& c) {
                for (Job* job : batch) {
                    c.run("SAVEPOINT group_commit");
                    try {
                        (*job->work)(c);
                        c.run("RELEASE SAVEPOINT group_commit");
                    } catch (...) {
                        job->error = std::current_exception();
                        c.run("ROLLBACK TO SAVEPOINT group_commit");
                        c.run("RELEASE SAVEPOINT group_commit");
                    }
                }
            });
        } catch (...) {
            // the batch did not commit: nobody in it may be told otherwise
            const auto error = std::current_exception();
            for (Job* job : batch) {
                if (!job->error) job->error = error;
            }
        }
        {
            std::lock_guard lock(mutex_);
            for (Job* job : batch) job->done = true;
        }
        finished_.notify_all();
    }
}

}  // namespace gridgov::store
