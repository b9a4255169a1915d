#include "analytics/day_series.hpp"

#include <algorithm>

#include "analytics/live_state.hpp"
#include "events/lifecycle.hpp"

namespace gridgov::analytics {

namespace {

template <typename Tally>
void add_to(Tally& g, const EventFact& f, int sign) {
    g.intake += sign;
    const auto status = static_cast<events::Status>(f.status);
    if (status == events::Status::cancelled) {
        g.cancelled += sign;
        return;
    }
    g.accepted += sign;
    if (f.flags & kOnSpot) g.resolved_on_spot += sign;
    if (status == events::Status::closed || status == events::Status::evaluated) {
        g.closed += sign;
        g.should_close += sign;
        if (f.flags & kClosedOnTime) g.closed_on_time += sign;
        if (f.flags & kReworked) g.reworked += sign;
    } else {
        g.open += sign;
        if (f.flags & kOverdue) {
            g.overdue += sign;
            g.should_close += sign;
        }
    }
    if (f.flags & kEvaluated) {
        g.evaluated += sign;
        if (f.flags & kSatisfied) g.satisfied += sign;
    }
}

}  // namespace

void tally(Figures& g, const EventFact& f, int sign) {
    add_to(g, f, sign);
}
void tally(DayFigures& g, const EventFact& f, int sign) {
    add_to(g, f, sign);
}

Figures& operator+=(Figures& g, const DayFigures& d) {
    g.intake += d.intake;
    g.cancelled += d.cancelled;
    g.accepted += d.accepted;
    g.resolved_on_spot += d.resolved_on_spot;
    g.should_close += d.should_close;
    g.closed += d.closed;
    g.closed_on_time += d.closed_on_time;
    g.reworked += d.reworked;
    g.open += d.open;
    g.overdue += d.overdue;
    g.evaluated += d.evaluated;
    g.satisfied += d.satisfied;
    return g;
}

std::vector<DayFigures>::const_iterator DaySeries::lower(LocalDay day) const {
    return std::lower_bound(days_.begin(), days_.end(), day,
                            [](const DayFigures& d, LocalDay k) { return d.day < k; });
}

DayFigures& DaySeries::at(LocalDay day) {
    // days mostly come in order: the last one first
    if (!days_.empty() && days_.back().day == day) return days_.back();
    const auto it = days_.begin() + (lower(day) - days_.cbegin());
    if (it != days_.end() && it->day == day) return *it;
    DayFigures fresh;
    fresh.day = static_cast<std::int32_t>(day);
    return *days_.insert(it, fresh);
}

void DaySeries::add(const EventFact& f, int sign) {
    tally(at(f.reported_day), f, sign);
    if (f.closed_day >= 0) at(f.closed_day).closed_that_day += sign;
}

Figures DaySeries::sum(LocalDay from, LocalDay to) const {
    Figures out;
    each(from, to, [&](const DayFigures& d) { out += d; });
    return out;
}

}  // namespace gridgov::analytics
