#include "analytics/figures.hpp"

#include <fmt/format.h>

namespace gridgov::analytics {

LocalDay bucket_of(LocalDay day, Split bucket) {
    if (bucket == Split::week) return day - (weekday(day) + 6) % 7;  // back to Monday
    if (bucket == Split::month) {
        const auto text = day_string(day);  // "2026-11-23"
        return day - (std::stoi(text.substr(8, 2)) - 1);
    }
    return day;
}

std::string bucket_text(LocalDay first_day, Split bucket) {
    const auto text = day_string(first_day);
    return bucket == Split::month ? text.substr(0, 7) : text;
}

namespace {
std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return std::nullopt;
    return static_cast<double>(part) / static_cast<double>(whole);
}
}  // namespace

std::optional<double> Figures::closure_rate() const {
    return ratio(closed, should_close);
}
std::optional<double> Figures::on_time_closure_rate() const {
    return ratio(closed_on_time, should_close);
}
std::optional<double> Figures::rework_rate() const {
    return ratio(reworked, closed);
}
std::optional<double> Figures::satisfaction_rate() const {
    return ratio(satisfied, evaluated);
}

Figures& Figures::operator+=(const Figures& o) {
    intake += o.intake;
    cancelled += o.cancelled;
    accepted += o.accepted;
    resolved_on_spot += o.resolved_on_spot;
    should_close += o.should_close;
    closed += o.closed;
    closed_on_time += o.closed_on_time;
    reworked += o.reworked;
    open += o.open;
    overdue += o.overdue;
    evaluated += o.evaluated;
    satisfied += o.satisfied;
    return *this;
}

std::optional<double> DepartmentFigures::on_time_rate() const {
    return ratio(handled_on_time, handled + overdue);
}

std::optional<Split> parse_split(std::string_view name) {
    static constexpr std::pair<std::string_view, Split> kNames[] = {
        {"none", Split::none},         {"child", Split::child},     {"grid", Split::grid},
        {"category", Split::category}, {"channel", Split::channel}, {"day", Split::day},
        {"week", Split::week},         {"month", Split::month}};
    for (const auto& [n, s] : kNames)
        if (n == name) return s;
    return std::nullopt;
}

}  // namespace gridgov::analytics
