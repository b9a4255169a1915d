// The reading side of staff notifications: a user's list (newest first) with the unread count,
// and marking them read. They are written with the actions they tell of (EventService::notify).
#include <fmt/format.h>

#include "events/event_service.hpp"

namespace gridgov::events {

using store::Value;

std::vector<EventService::Notification> EventService::notifications(std::int64_t user_id,
                                                                    bool unread_only, int limit,
                                                                    std::int64_t* unread) {
    std::vector<Notification> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            fmt::format("SELECT n.id, n.event_id, n.created_at, n.read_at, e.title, a.action, "
                        "a.note FROM notifications n JOIN events e ON e.id = n.event_id JOIN "
                        "event_actions a ON a.event_id = n.event_id AND a.seq = n.action_seq "
                        "WHERE n.user_id = $1 {} ORDER BY n.id DESC LIMIT $2",
                        unread_only ? "AND n.read_at IS NULL" : ""),
            {user_id, std::int64_t{limit}});
        for (const auto& row : rows.rows) {
            out.push_back({row.integer("id"), row.integer("event_id"), row.text("title"),
                           row.text("action"), row.text("note"), row.integer("created_at"),
                           !row.is_null("read_at")});
        }
        if (unread) {
            *unread = c.run(
                           "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND "
                           "read_at IS NULL",
                           {user_id})
                          .front()
                          .integer("n");
        }
    });
    return out;
}

int EventService::mark_read(std::int64_t user_id, const std::vector<std::int64_t>& ids) {
    int changed = 0;
    db_.transact([&](store::Connection& c) {
        const Millis now = clock_.now();
        if (ids.empty()) {
            changed = static_cast<int>(
                c.run("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS "
                      "NULL",
                      {now, user_id})
                    .affected);
            return;
        }
        for (const auto id : ids) {
            changed += static_cast<int>(
                c.run("UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND "
                      "read_at IS NULL",
                      {now, id, user_id})
                    .affected);
        }
    });
    return changed;
}

}  // namespace gridgov::events
