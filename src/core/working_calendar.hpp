// Working time in China (Asia/Shanghai, UTC+8 all year): working periods of a day (e.g. 08:30–12:00
// and 13:30–17:30), weekends, and the official calendar's public holidays and make-up working days
// (调休). Deadlines are reached by adding working time to a start. Pure computation over the data
// it is given; immutable and thread-safe once built.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/clock.hpp"

namespace gridgov {

constexpr Millis kDay = 24 * kHour;
constexpr Millis kChinaOffset =
    8 * kHour;  // China has kept UTC+8 without daylight saving since 1991

// A day counted from 1970-01-01 in China's local time.
using LocalDay = std::int64_t;
LocalDay local_day(Millis t);
// The first instant (UTC milliseconds) of the local day.
Millis start_of(LocalDay day);
// "2026-10-01"; and back (nullopt when malformed or not a real date).
std::string day_string(LocalDay day);
std::optional<LocalDay> parse_day(std::string_view text);
// 0 Sunday … 6 Saturday
int weekday(LocalDay day);

struct WorkPeriod {
    int start_minute;  // minutes after local midnight
    int end_minute;
};
// "08:30-12:00,13:30-17:30"; Error(invalid_field, field) when malformed, unordered or overlapping.
std::vector<WorkPeriod> parse_work_periods(std::string_view text, const char* field);

// A day that differs from the weekly rule: a holiday on a weekday, or a make-up working day on a
// weekend.
struct CalendarDay {
    LocalDay day;
    bool working;
    std::string name;  // 国庆节, 国庆节调休上班 ...
};

class WorkingCalendar {
  public:
    WorkingCalendar(std::vector<WorkPeriod> periods, const std::vector<CalendarDay>& exceptions);

    bool is_working_day(LocalDay day) const;
    // Working time in one working day (the sum of the periods).
    Millis day_length() const { return day_length_; }
    // The instant at which `amount` of working time has passed since `start`.
    Millis add(Millis start, Millis amount) const;
    // The working time between two instants (0 when to <= from).
    Millis between(Millis from, Millis to) const;

  private:
    std::vector<WorkPeriod> periods_;
    std::unordered_map<LocalDay, bool> exceptions_;
    Millis day_length_ = 0;
};

}  // namespace gridgov
