// The working calendar of the platform: the working hours (a setting) and the calendar's
// exceptions kept in the database (public holidays, make-up working days), editable by an admin.
// Gives the deadlines of an event's stages from its category's limits. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/working_calendar.hpp"
#include "events/catalogue.hpp"
#include "store/database.hpp"

namespace gridgov::events {

struct CalendarEntry {
    std::string day;  // 2026-10-01
    bool working = false;
    std::string name;
    bool provisional = false;  // statutory days only, before the year's official notice
};

class WorkingTime {
  public:
    WorkingTime(store::Database& db, accounts::AuditLog& audit, std::vector<WorkPeriod> periods);

    void reload();
    std::shared_ptr<const WorkingCalendar> calendar() const;
    const std::vector<WorkPeriod>& periods() const { return periods_; }

    // The exceptions of a year, by day.
    std::vector<CalendarEntry> days(int year) const;
    void set_day(const std::string& day, bool working, const std::string& name,
                 const accounts::Principal* actor, const accounts::RequestOrigin& origin);
    void remove_day(const std::string& day, const accounts::Principal* actor,
                    const accounts::RequestOrigin& origin);

    Millis after_hours(Millis start, double working_hours) const;
    // The deadline to handle an event of the category, counted from `start`.
    Millis handle_deadline(Millis start, const Category& category) const;

  private:
    void require_manage(const accounts::Principal* actor, const accounts::RequestOrigin& origin,
                        const std::string& target);

    store::Database& db_;
    accounts::AuditLog& audit_;
    std::vector<WorkPeriod> periods_;
    mutable std::mutex mutex_;
    std::shared_ptr<const WorkingCalendar> calendar_;
};

}  // namespace gridgov::events
