// A staff member's notifications: what happened to which event that they must act on (a task
// dispatched to their department, a deadline near or past, an escalation, a return …), newest
// first with the unread count, and marking them read.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

std::int64_t user_of(const Request& r) {
    if (r.principal->kind != accounts::Principal::Kind::user)
        throw Error(ErrorCode::forbidden, "Notifications are for people, not API keys.");
    return r.principal->id;
}

}  // namespace

void add_notification_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/notifications", Access::authenticated,
        [s](Request& r) {
            const auto user = user_of(r);
            const auto limit = query_int(r, "limit", 1, 200).value_or(30);
            const auto unread_only = r.query_param("unread");
            if (unread_only && *unread_only != "true" && *unread_only != "false")
                throw Error(ErrorCode::invalid_field, "Use true or false.", "unread");
            std::int64_t unread = 0;
            json::array items;
            for (const auto& n : s.events.notifications(user, unread_only == "true",
                                                        static_cast<int>(limit), &unread)) {
                items.push_back(json::object{{"id", n.id},
                                             {"event_id", n.event_id},
                                             {"event_title", n.event_title},
                                             {"action", n.action},
                                             {"note", n.note},
                                             {"at", format_rfc3339(n.at)},
                                             {"read", n.read}});
            }
            return Response::json(200,
                                  json::object{{"items", std::move(items)}, {"unread", unread}});
        },
        "My notifications, newest first, with the unread count (?unread=true for unread only)");

    router.add(
        "POST", "/api/v1/notifications/read", Access::authenticated,
        [s](Request& r) {
            const auto user = user_of(r);
            const JsonBody body(r, {"ids"});
            std::vector<std::int64_t> ids;
            if (body.has("ids")) {
                const auto& raw = body.raw("ids");
                if (!raw.is_array() || raw.as_array().empty() || raw.as_array().size() > 500)
                    throw Error(ErrorCode::invalid_field, "ids is a list of 1 to 500 ids.", "ids");
                for (const auto& v : raw.as_array()) {
                    if (!v.is_int64() || v.as_int64() <= 0)
                        throw Error(ErrorCode::invalid_field, "ids holds notification ids.", "ids");
                    ids.push_back(v.as_int64());
                }
            }
            return Response::json(200, json::object{{"marked", s.events.mark_read(user, ids)}});
        },
        "Mark notifications read: the ids given, or all of mine without ids");
}

}  // namespace gridgov::http
