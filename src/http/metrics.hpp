// Request figures for /metrics in the Prometheus text format: requests by route, method and
// status, a latency histogram per route, and gauges the caller adds (database pool, connections).
// Thread-safe; observe() takes one short lock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "store/database.hpp"

namespace gridgov::http {

class Metrics {
  public:
    static constexpr std::array<double, 14> kBuckets{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};

    void observe(std::string_view route, std::string_view method, int status, double seconds);
    std::string render(const store::PoolStats& pool, std::size_t open_connections) const;

  private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> buckets{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t, std::less<>> requests_;
    std::map<std::string, Histogram, std::less<>> latency_;
};

}  // namespace gridgov::http
