// Time for the domain: a Clock interface (the system clock in production, a manual one in tests,
// so session timeouts and deadlines can be tested without sleeping) and RFC 3339 formatting.
// Times are kept as milliseconds since the Unix epoch, UTC. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gridgov {

using Millis = std::int64_t;  // milliseconds since 1970-01-01T00:00:00Z

class Clock {
  public:
    virtual ~Clock() = default;
    virtual Millis now() const = 0;
};

class SystemClock final : public Clock {
  public:
    Millis now() const override;
    static const SystemClock& instance();
};

class ManualClock final : public Clock {
  public:
    explicit ManualClock(Millis start) : now_(start) {}
    Millis now() const override { return now_.load(); }
    void advance(Millis by) { now_ += by; }
    void set(Millis to) { now_ = to; }

  private:
    std::atomic<Millis> now_;
};

constexpr Millis kSecond = 1000;
constexpr Millis kMinute = 60 * kSecond;
constexpr Millis kHour = 60 * kMinute;

// "2026-11-22T07:25:44.123Z"
std::string format_rfc3339(Millis t);
// "2026-11-22T15:25:44+08:00": whole seconds, local time at a fixed offset east of UTC (the W3C
// profile of ISO 8601 that Open311 asks for).
std::string format_w3c(Millis t, int offset_minutes);
// Accepts "Z" or "+hh:mm" offsets and optional fractions; nullopt when malformed.
std::optional<Millis> parse_rfc3339(std::string_view text);

}  // namespace gridgov
