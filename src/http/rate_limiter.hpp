// A limit on how often one client (an IP address) may do something, for what anyone may do
// without an account (reporting a problem): at most `max` times in any window of `window`
// milliseconds, counted in memory per process. Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"

namespace gridgov::http {

class RateLimiter {
  public:
    RateLimiter(int max, Millis window) : max_(max), window_(window) {}

    // True, counting this time, when the key is under its limit; false (not counted) when over.
    bool allow(const std::string& key, Millis now);
    // How long until the key may try again (0 when it may now).
    Millis retry_after(const std::string& key, Millis now) const;

  private:
    void forget_old(Millis now);

    int max_;
    Millis window_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::deque<Millis>> times_;
    Millis last_sweep_ = 0;
};

}  // namespace gridgov::http
