#include "core/periodic.hpp"

#include <spdlog/spdlog.h>

namespace gridgov {

Periodic::Periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> task)
    : name_(std::move(name)),
      interval_(interval),
      task_(std::move(task)),
      thread_([this](std::stop_token stop) { loop(stop); }) {}

Periodic::~Periodic() {
    thread_.request_stop();
    wake_.notify_all();
}

void Periodic::loop(std::stop_token stop) {
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_for(lock, stop, interval_, [] { return false; })) return;
            if (stop.stop_requested()) return;
        }
        try {
            task_();
        } catch (const std::exception& e) {
            spdlog::warn("{}: {}", name_, e.what());
        }
    }
}

}  // namespace gridgov
