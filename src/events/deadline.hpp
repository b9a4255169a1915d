// The deadline of the stage an open event is in, and its colour, by one rule for what the pages
// show, the list filters, supervision warns of and the figures count as overdue: green while less
// than the warning share of the stage's working time is used; yellow from the moment it is
// (warn_at, a point in time, stored with the event so that a list can filter on it); red once the
// due time has passed (a deadline of 10:00 is met at 10:00). Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "core/clock.hpp"
#include "core/working_calendar.hpp"

namespace gridgov::events {

struct Event;

struct StageDeadline {
    std::string_view stage;  // accept, dispatch, handle
    Millis start = 0;
    Millis due = 0;
    Millis warn_at = 0;
    double used = 0;          // share of the stage's working time used at the time asked
    std::string_view colour;  // green, yellow, red
};

// Past its due time: overdue. The one comparison every part of gridgov uses.
inline bool is_overdue(Millis due, Millis now) {
    return due < now;
}

// The instant at which `share` of the working time from start to due is used.
Millis warn_time(Millis start, Millis due, const WorkingCalendar& calendar, double share);

// The colour of a stage at `now`, from its due and warning times.
std::string_view deadline_colour(Millis due, Millis warn_at, Millis now);

// The stage an event is in, with its times and colour at `now`; nullopt when it waits on no
// deadline (handled, closed, cancelled ...).
std::optional<StageDeadline> stage_deadline(const Event& e, const WorkingCalendar& calendar,
                                            Millis now, double warn_share);

}  // namespace gridgov::events
