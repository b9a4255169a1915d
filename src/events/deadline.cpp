#include "events/deadline.hpp"

#include <algorithm>
#include <cmath>

#include "events/event_service.hpp"

namespace gridgov::events {

Millis warn_time(Millis start, Millis due, const WorkingCalendar& calendar, double share) {
    const Millis allowed = std::max<Millis>(1, calendar.between(start, due));
    const auto amount = static_cast<Millis>(std::ceil(static_cast<double>(allowed) * share));
    return std::min(due, calendar.add(start, amount));
}

std::string_view deadline_colour(Millis due, Millis warn_at, Millis now) {
    if (is_overdue(due, now)) return "red";
    return warn_at <= now ? "yellow" : "green";
}

std::optional<StageDeadline> stage_deadline(const Event& e, const WorkingCalendar& calendar,
                                            Millis now, double warn_share) {
    std::optional<Millis> start, due;
    std::string_view stage;
    if (e.status == Status::reported) {
        stage = "accept", start = e.reported_at, due = e.accept_due;
    } else if (e.status == Status::accepted) {
        stage = "dispatch", start = e.accepted_at, due = e.dispatch_due;
    } else if (e.status == Status::dispatched || e.status == Status::in_progress) {
        stage = "handle", start = e.dispatched_at, due = e.handle_due;
    }
    if (!start || !due) return std::nullopt;
    StageDeadline d;
    d.stage = stage;
    d.start = *start;
    d.due = *due;
    d.warn_at = warn_time(*start, *due, calendar, warn_share);
    const Millis allowed = std::max<Millis>(1, calendar.between(*start, *due));
    d.used = static_cast<double>(calendar.between(*start, now)) / static_cast<double>(allowed);
    d.colour = deadline_colour(d.due, d.warn_at, now);
    return d;
}

}  // namespace gridgov::events
