#include "http/rate_limiter.hpp"

namespace gridgov::http {

void RateLimiter::forget_old(Millis now) {
    // at most once a window, drop the keys with nothing left in it
    if (now - last_sweep_ < window_) return;
    last_sweep_ = now;
    for (auto it = times_.begin(); it != times_.end();) {
        while (!it->second.empty() && it->second.front() <= now - window_) it->second.pop_front();
        it = it->second.empty() ? times_.erase(it) : std::next(it);
    }
}

bool RateLimiter::allow(const std::string& key, Millis now) {
    std::lock_guard lock(mutex_);
    forget_old(now);
    auto& times = times_[key];
    while (!times.empty() && times.front() <= now - window_) times.pop_front();
    if (static_cast<int>(times.size()) >= max_) return false;
    times.push_back(now);
    return true;
}

Millis RateLimiter::retry_after(const std::string& key, Millis now) const {
    std::lock_guard lock(mutex_);
    const auto it = times_.find(key);
    if (it == times_.end() || static_cast<int>(it->second.size()) < max_) return 0;
    return std::max<Millis>(0, it->second.front() + window_ - now);
}

}  // namespace gridgov::http
