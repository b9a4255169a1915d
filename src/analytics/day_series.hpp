// The figures of the nodes high in the tree (city down to community), kept day by day: the events
// reported each day and what became of them, and how many were closed that day. A period's
// figures of such a node — whole, split by its children, or by day, week or month — are then a
// sum over days, not a read of every event in the period.
#pragma once

#include <cstdint>
#include <vector>

#include "analytics/figures.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::analytics {

struct EventFact;

// Nodes at depth 0 … kSeriesDepth − 1 of the paths keep a series: city, district, street and
// community in a six-level tree.
constexpr int kSeriesDepth = 4;

// The events of one node reported on one day (the cohort's figures, in four-byte counts), and
// how many of the node's events were closed that day, whenever reported.
struct DayFigures {
    std::int32_t day = 0;
    std::int32_t intake = 0, cancelled = 0, accepted = 0, resolved_on_spot = 0, should_close = 0,
                 closed = 0, closed_on_time = 0, reworked = 0, open = 0, overdue = 0, evaluated = 0,
                 satisfied = 0;
    std::int32_t closed_that_day = 0;
};

// Adds (sign 1) or takes away (sign −1) an event's part in a cohort's figures (docs/figures.md).
void tally(Figures& g, const EventFact& f, int sign = 1);
void tally(DayFigures& g, const EventFact& f, int sign);
Figures& operator+=(Figures& g, const DayFigures& d);

// The days of one node that have any figures, in day order.
class DaySeries {
  public:
    // Adds or takes away an event: its cohort on its report day, its closure on its closing day.
    void add(const EventFact& f, int sign);
    // The days from `from` to `to` (inclusive), in order.
    template <typename Visit>
    void each(LocalDay from, LocalDay to, Visit&& visit) const {
        for (auto it = lower(from); it != days_.end() && it->day <= to; ++it) visit(*it);
    }
    Figures sum(LocalDay from, LocalDay to) const;
    std::size_t memory_bytes() const { return days_.capacity() * sizeof(DayFigures); }

  private:
    std::vector<DayFigures>::const_iterator lower(LocalDay day) const;
    DayFigures& at(LocalDay day);
    std::vector<DayFigures> days_;
};

}  // namespace gridgov::analytics
