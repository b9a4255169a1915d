#include "core/working_calendar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/error.hpp"

namespace gridgov {

namespace {
// Long enough for any time limit; a calendar without a working day in it is refused.
constexpr LocalDay kSearchDays = 3660;

LocalDay floor_div(Millis a, Millis b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
}  // namespace

LocalDay local_day(Millis t) {
    return floor_div(t + kChinaOffset, kDay);
}

Millis start_of(LocalDay day) {
    return day * kDay - kChinaOffset;
}

std::string day_string(LocalDay day) {
    using namespace std::chrono;
    const year_month_day ymd{sys_days{days{day}}};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

std::optional<LocalDay> parse_day(std::string_view s) {
    using namespace std::chrono;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    }
    const int y = std::stoi(std::string(s.substr(0, 4)));
    const unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(5, 2))));
    const unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(8, 2))));
    const year_month_day ymd{year{y}, month{m}, day{d}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd}.time_since_epoch().count();
}

int weekday(LocalDay day) {
    return static_cast<int>(((day % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
}

std::vector<WorkPeriod> parse_work_periods(std::string_view text, const char* field) {
    auto fail = [&] {
        return Error(ErrorCode::invalid_field,
                     fmt::format("Working hours are periods like 08:30-12:00,13:30-17:30, in order "
                                 "and not overlapping (got '{}').",
                                 text),
                     field);
    };
    auto minute = [&](std::string_view hhmm) {
        if (hhmm.size() != 5 || hhmm[2] != ':') throw fail();
        for (std::size_t i : {0, 1, 3, 4}) {
            if (hhmm[i] < '0' || hhmm[i] > '9') throw fail();
        }
        const int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
        const int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
        if (h > 24 || m > 59 || (h == 24 && m != 0)) throw fail();
        return h * 60 + m;
    };
    std::vector<WorkPeriod> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = std::min(text.find(',', pos), text.size());
        const std::string_view item = text.substr(pos, comma - pos);
        if (item.size() != 11 || item[5] != '-') throw fail();
        WorkPeriod p{minute(item.substr(0, 5)), minute(item.substr(6, 5))};
        if (p.end_minute <= p.start_minute) throw fail();
        if (!out.empty() && p.start_minute < out.back().end_minute) throw fail();
        out.push_back(p);
        pos = comma + 1;
    }
    if (out.empty()) throw fail();
    return out;
}

WorkingCalendar::WorkingCalendar(std::vector<WorkPeriod> periods,
                                 const std::vector<CalendarDay>& exceptions)
    : periods_(std::move(periods)) {
    for (const auto& p : periods_) day_length_ += (p.end_minute - p.start_minute) * kMinute;
    if (day_length_ <= 0) {
        throw Error(ErrorCode::invalid_field, "A working day needs working hours.",
                    "working_hours");
    }
    for (const auto& e : exceptions) exceptions_[e.day] = e.working;
}

bool WorkingCalendar::is_working_day(LocalDay day) const {
    if (auto it = exceptions_.find(day); it != exceptions_.end()) return it->second;
    const int w = weekday(day);
    return w != 0 && w != 6;
}

Millis WorkingCalendar::add(Millis start, Millis amount) const {
    if (amount <= 0) return start;
    const LocalDay first = local_day(start);
    for (LocalDay day = first; day < first + kSearchDays; ++day) {
        if (!is_working_day(day)) continue;
        const Millis midnight = start_of(day);
        for (const auto& p : periods_) {
            const Millis begin = std::max(start, midnight + p.start_minute * kMinute);
            const Millis end = midnight + p.end_minute * kMinute;
            if (begin >= end) continue;
            if (amount <= end - begin) return begin + amount;
            amount -= end - begin;
        }
    }
    throw Error(ErrorCode::internal, "The working calendar has no working time ahead.");
}

Millis WorkingCalendar::between(Millis from, Millis to) const {
    if (to <= from) return 0;
    Millis total = 0;
    for (LocalDay day = local_day(from), last = local_day(to); day <= last; ++day) {
        if (!is_working_day(day)) continue;
        const Millis midnight = start_of(day);
        for (const auto& p : periods_) {
            const Millis begin = std::max(from, midnight + p.start_minute * kMinute);
            const Millis end = std::min(to, midnight + p.end_minute * kMinute);
            if (end > begin) total += end - begin;
        }
    }
    return total;
}

}  // namespace gridgov
