// A background thread that runs a task at a fixed interval until it is destroyed (used to pick up
// changes other gridgov processes made to shared state). The task's exceptions are logged, not
// propagated; the destructor wakes the thread and joins it at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace gridgov {

class Periodic {
  public:
    Periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> task);
    ~Periodic();
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

  private:
    void loop(std::stop_token stop);

    std::string name_;
    std::chrono::milliseconds interval_;
    std::function<void()> task_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;  // last: started once everything else is set
};

}  // namespace gridgov
