// An open-loop load generator for the intake: reports events at a fixed rate (not as fast as the
// server answers, as wrk does) over keep-alive connections, and measures each answer's latency from
// the moment its request was due, so a stalled server shows in the percentiles instead of slowing
// the load down (no coordinated omission). Prints the achieved rate and latency percentiles.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

// The 54 urban-management categories, drawn with Zipf weights (the k-th 1/k as often as the
// first), as bench/intake.lua does.
constexpr const char* kCategories[] = {
    "CG0101", "CG0102", "CG0103", "CG0104", "CG0105", "CG0106", "CG0107", "CG0108", "CG0199",
    "CG0201", "CG0202", "CG0203", "CG0204", "CG0299", "CG0301", "CG0302", "CG0303", "CG0304",
    "CG0305", "CG0306", "CG0399", "CG0401", "CG0402", "CG0403", "CG0404", "CG0405", "CG0406",
    "CG0407", "CG0408", "CG0499", "CG0501", "CG0502", "CG0503", "CG0504", "CG0505", "CG0506",
    "CG0507", "CG0599", "CG0601", "CG0602", "CG0603", "CG0604", "CG0605", "CG0699", "CG0701",
    "CG0702", "CG0703", "CG0704", "CG0705", "CG0799", "CG0801", "CG0802", "CG0803", "CG0899"};

int connect_to(const std::string& host, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        throw std::runtime_error("cannot connect");
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// Sends the request and reads one response; its status, or 0 when the connection failed.
int exchange(int fd, const std::string& request, std::string& buffer) {
    for (std::size_t sent = 0; sent < request.size();) {
        const auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return 0;
        sent += static_cast<std::size_t>(n);
    }
    buffer.clear();
    char chunk[16384];
    std::size_t head_end = std::string::npos, length = 0;
    for (;;) {
        if (head_end == std::string::npos) {
            head_end = buffer.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                const auto at = buffer.find("Content-Length: ");
                length =
                    at == std::string::npos || at > head_end
                        ? 0
                        : std::stoul(buffer.substr(at + 16, buffer.find("\r\n", at) - at - 16));
            }
        }
        if (head_end != std::string::npos && buffer.size() >= head_end + 4 + length) break;
        const auto n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0) return 0;
        buffer.append(chunk, static_cast<std::size_t>(n));
    }
    return std::stoi(buffer.substr(9, 3));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Reports events at a fixed rate and prints latency percentiles"};
    std::string host = "127.0.0.1", cookie;
    int port = 8080, connections = 32;
    double rate = 1000, seconds = 20, warmup = 2;
    app.add_option("--host", host);
    app.add_option("--port", port)->required();
    app.add_option("--cookie", cookie)->required();
    app.add_option("--rate", rate, "requests per second");
    app.add_option("--seconds", seconds, "measured duration");
    app.add_option("--warmup", warmup, "seconds at the same rate before measuring");
    app.add_option("--connections", connections);
    CLI11_PARSE(app, argc, argv);

    const double total_s = warmup + seconds;
    const auto total = static_cast<std::int64_t>(rate * total_s);
    const auto start = Clock::now() + std::chrono::milliseconds(200);
    const auto due = [&](std::int64_t i) {
        return start + std::chrono::nanoseconds(static_cast<std::int64_t>(i * 1e9 / rate));
    };
    std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
    std::atomic<std::int64_t> failures{0}, late_starts{0};
    const auto run_id = std::chrono::system_clock::now().time_since_epoch().count();
    std::vector<std::thread> threads;
    for (int c = 0; c < connections; ++c) {
        threads.emplace_back([&, c] {
            std::mt19937_64 random(static_cast<std::uint64_t>(run_id + c));
            std::uniform_real_distribution<double> lon(118.80, 118.92), lat(31.62, 31.72);
            std::vector<double> weights;
            for (std::size_t k = 1; k <= std::size(kCategories); ++k) weights.push_back(1.0 / k);
            std::discrete_distribution<std::size_t> category(weights.begin(), weights.end());
            int fd = connect_to(host, port);
            std::string buffer;
            auto& mine = latencies[static_cast<std::size_t>(c)];
            for (std::int64_t i = c; i < total; i += connections) {
                const auto when = due(i);
                if (Clock::now() < when) {
                    std::this_thread::sleep_until(when);
                } else {
                    ++late_starts;
                }
                char body[512];
                const int body_len = std::snprintf(
                    body, sizeof body,
                    R"({"channel":"hotline_12345","external_id":"P%lld-%lld","title":"暴露垃圾",)"
                    R"("description":"路边垃圾桶满溢，垃圾散落","category_code":"%s",)"
                    R"("lon":%.6f,"lat":%.6f,"reporter_phone":"13912345678"})",
                    static_cast<long long>(run_id % 100000000), static_cast<long long>(i),
                    kCategories[category(random)], lon(random), lat(random));
                const std::string request =
                    "POST /api/v1/events HTTP/1.1\r\nHost: " + host +
                    "\r\nContent-Type: application/json\r\nCookie: " + cookie +
                    "\r\nContent-Length: " + std::to_string(body_len) + "\r\n\r\n" +
                    std::string(body, static_cast<std::size_t>(body_len));
                int status = exchange(fd, request, buffer);
                if (status == 0) {
                    ::close(fd);
                    fd = connect_to(host, port);
                }
                const double ms =
                    std::chrono::duration<double, std::milli>(Clock::now() - when).count();
                if (status != 201) ++failures;
                if (when >= start + std::chrono::duration<double>(warmup)) mine.push_back(ms);
            }
            ::close(fd);
        });
    }
    for (auto& t : threads) t.join();
    std::vector<double> all;
    for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    const auto pct = [&](double p) {
        return all.empty()
                   ? 0.0
                   : all[std::min(all.size() - 1, static_cast<std::size_t>(p * all.size()))];
    };
    std::printf(
        "rate %.0f/s for %.0f s over %d connections: %zu measured, p50 %.2f ms, p90 %.2f ms, p99 "
        "%.2f ms, p99.9 %.2f ms, max %.2f ms, %lld not 201, %lld started late\n",
        rate, seconds, connections, all.size(), pct(0.50), pct(0.90), pct(0.99), pct(0.999),
        all.empty() ? 0.0 : all.back(), static_cast<long long>(failures.load()),
        static_cast<long long>(late_starts.load()));
    return failures.load() == 0 ? 0 : 1;
}
