#include "events/working_time.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace gridgov::events {

WorkingTime::WorkingTime(store::Database& db, accounts::AuditLog& audit,
                         std::vector<WorkPeriod> periods)
    : db_(db),
      audit_(audit),
      periods_(std::move(periods)),
      calendar_(std::make_shared<WorkingCalendar>(periods_, std::vector<CalendarDay>{})) {}

void WorkingTime::reload() {
    std::vector<CalendarDay> exceptions;
    db_.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT day, working, name FROM calendar_days").rows) {
            if (auto day = parse_day(row.text("day")))
                exceptions.push_back({*day, row.integer("working") != 0, row.text("name")});
        }
    });
    auto next = std::make_shared<const WorkingCalendar>(periods_, exceptions);
    std::lock_guard lock(mutex_);
    calendar_ = std::move(next);
}

std::shared_ptr<const WorkingCalendar> WorkingTime::calendar() const {
    std::lock_guard lock(mutex_);
    return calendar_;
}

std::vector<CalendarEntry> WorkingTime::days(int year) const {
    std::vector<CalendarEntry> out;
    db_.read([&](store::Connection& c) {
        for (const auto& row : c.run("SELECT * FROM calendar_days WHERE day LIKE $1 ORDER BY day",
                                     {fmt::format("{:04}-%", year)})
                                   .rows) {
            out.push_back({row.text("day"), row.integer("working") != 0, row.text("name"),
                           row.integer("provisional") != 0});
        }
    });
    return out;
}

void WorkingTime::require_manage(const accounts::Principal* actor,
                                 const accounts::RequestOrigin& origin, const std::string& target) {
    if (actor == nullptr || actor->can(accounts::Permission::manage_catalogue)) return;
    audit_.record(actor, origin, "denied", target, "denied", "manage catalogue");
    throw Error(ErrorCode::forbidden);
}

void WorkingTime::set_day(const std::string& day, bool working, const std::string& name,
                          const accounts::Principal* actor, const accounts::RequestOrigin& origin) {
    require_manage(actor, origin, "calendar:" + day);
    if (!parse_day(day))
        throw Error(ErrorCode::invalid_field, "A day is written 2026-10-01.", "day");
    if (name.empty() || name.size() > 100)
        throw Error(ErrorCode::invalid_field, "A name has 1 to 100 bytes.", "name");
    db_.transact([&](store::Connection& c) {
        c.run("DELETE FROM calendar_days WHERE day = $1", {day});
        c.run("INSERT INTO calendar_days (day, working, name, provisional) VALUES ($1, $2, $3, 0)",
              {day, std::int64_t{working ? 1 : 0}, name});
        audit_.record(c, actor, origin, "calendar_day_set", "calendar:" + day, "ok",
                      fmt::format("{} {}", working ? "working" : "holiday", name));
    });
    reload();
}

void WorkingTime::remove_day(const std::string& day, const accounts::Principal* actor,
                             const accounts::RequestOrigin& origin) {
    require_manage(actor, origin, "calendar:" + day);
    db_.transact([&](store::Connection& c) {
        if (c.run("DELETE FROM calendar_days WHERE day = $1", {day}).affected == 0)
            throw Error(ErrorCode::not_found, "That day follows the weekly rule already.");
        audit_.record(c, actor, origin, "calendar_day_removed", "calendar:" + day, "ok");
    });
    reload();
}

Millis WorkingTime::after_hours(Millis start, double working_hours) const {
    return calendar()->add(start, static_cast<Millis>(std::llround(working_hours * kHour)));
}

Millis WorkingTime::handle_deadline(Millis start, const Category& category) const {
    const auto cal = calendar();
    const int limit = category.handle_limit.value_or(5);
    const Millis amount = category.handle_unit.value_or("days") == "hours"
                              ? limit * kHour
                              : limit * cal->day_length();
    return cal->add(start, amount);
}

}  // namespace gridgov::events
