#include "http/metrics.hpp"

#include <fmt/format.h>

namespace gridgov::http {

namespace {
// label values escape backslash, quote and newline
std::string label(std::string_view v) {
    std::string out;
    for (char ch : v) {
        if (ch == '\\' || ch == '"') out += '\\';
        if (ch == '\n') {
            out += "\\n";
            continue;
        }
        out += ch;
    }
    return out;
}
}  // namespace

void Metrics::observe(std::string_view route, std::string_view method, int status, double seconds) {
    std::lock_guard lock(mutex_);
    auto key = std::make_tuple(std::string(route), std::string(method), status);
    ++requests_[std::move(key)];
    auto it = latency_.find(route);
    if (it == latency_.end()) it = latency_.emplace(std::string(route), Histogram{}).first;
    Histogram& h = it->second;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) ++h.buckets[i];
    }
    ++h.count;
    h.sum += seconds;
}

std::string Metrics::render(const store::PoolStats& pool, std::size_t open_connections) const {
    std::string out;
    auto sink = std::back_inserter(out);
    {
        std::lock_guard lock(mutex_);
        fmt::format_to(sink,
                       "# HELP gridgov_http_requests_total HTTP requests answered, by route, "
                       "method and status.\n");
        fmt::format_to(sink, "# TYPE gridgov_http_requests_total counter\n");
        for (const auto& [key, n] : requests_) {
            fmt::format_to(
                sink,
                "gridgov_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                label(std::get<0>(key)), label(std::get<1>(key)), std::get<2>(key), n);
        }
        fmt::format_to(sink,
                       "# HELP gridgov_http_request_duration_seconds Time from a request's arrival "
                       "to its answer.\n");
        fmt::format_to(sink, "# TYPE gridgov_http_request_duration_seconds histogram\n");
        for (const auto& [route, h] : latency_) {
            const std::string r = label(route);
            for (std::size_t i = 0; i < kBuckets.size(); ++i) {
                fmt::format_to(
                    sink,
                    "gridgov_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                    r, kBuckets[i], h.buckets[i]);
            }
            fmt::format_to(
                sink,
                "gridgov_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r,
                h.count);
            fmt::format_to(sink, "gridgov_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                           r, h.sum);
            fmt::format_to(sink, "gridgov_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                           r, h.count);
        }
    }
    fmt::format_to(sink, "# HELP gridgov_http_open_connections Client connections open now.\n");
    fmt::format_to(sink,
                   "# TYPE gridgov_http_open_connections gauge\ngridgov_http_open_connections {}\n",
                   open_connections);
    fmt::format_to(sink, "# HELP gridgov_db_pool_size Database connections allowed.\n");
    fmt::format_to(sink, "# TYPE gridgov_db_pool_size gauge\ngridgov_db_pool_size {}\n", pool.size);
    fmt::format_to(sink, "# HELP gridgov_db_pool_open Database connections open.\n");
    fmt::format_to(sink, "# TYPE gridgov_db_pool_open gauge\ngridgov_db_pool_open {}\n", pool.open);
    fmt::format_to(sink, "# HELP gridgov_db_pool_in_use Database connections lent out now.\n");
    fmt::format_to(sink, "# TYPE gridgov_db_pool_in_use gauge\ngridgov_db_pool_in_use {}\n",
                   pool.in_use);
    fmt::format_to(sink, "# HELP gridgov_db_pool_acquired_total Database connection loans.\n");
    fmt::format_to(
        sink, "# TYPE gridgov_db_pool_acquired_total counter\ngridgov_db_pool_acquired_total {}\n",
        pool.acquired);
    fmt::format_to(sink,
                   "# HELP gridgov_db_pool_waits_total Loans that waited for a free connection.\n");
    fmt::format_to(sink,
                   "# TYPE gridgov_db_pool_waits_total counter\ngridgov_db_pool_waits_total {}\n",
                   pool.waited);
    fmt::format_to(
        sink, "# HELP gridgov_db_pool_wait_seconds_total Time spent waiting for a connection.\n");
    fmt::format_to(sink,
                   "# TYPE gridgov_db_pool_wait_seconds_total "
                   "counter\ngridgov_db_pool_wait_seconds_total {}\n",
                   static_cast<double>(pool.wait_micros) / 1e6);
    fmt::format_to(sink, "# HELP gridgov_db_pool_timeouts_total Loans that gave up waiting.\n");
    fmt::format_to(
        sink, "# TYPE gridgov_db_pool_timeouts_total counter\ngridgov_db_pool_timeouts_total {}\n",
        pool.timeouts);
    return out;
}

}  // namespace gridgov::http
