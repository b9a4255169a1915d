// The audit log, newest first, filtered by action, actor and time, paged.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

void add_audit_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/audit", Access::authenticated,
        [s](Request& r) {
            const auto scope = accounts::Scope::of(*r.principal, s.grid);
            if (!scope.reads(accounts::Area::audit)) {
                s.audit.record(&*r.principal, r.origin(), "denied", "audit", "denied",
                               "view audit");
                scope.require(accounts::Area::audit);
            }
            const Paging paging = read_paging(r);
            accounts::AuditFilter filter;
            if (auto action = r.query_param("action")) {
                if (action->size() > 64)
                    throw Error(ErrorCode::invalid_field, "'action' is at most 64 bytes.",
                                "action");
                filter.action = *action;
            }
            filter.actor_id = query_int(r, "actor_id", 1, INT64_MAX);
            filter.since = query_time(r, "since");
            filter.until = query_time(r, "until");
            std::int64_t total = 0;
            json::array items;
            for (const auto& a : s.audit.list(filter, scope, paging.limit, paging.offset, &total)) {
                items.push_back(json::object{
                    {"id", a.id},
                    {"at", format_rfc3339(a.at)},
                    {"actor_id", a.actor_id ? json::value(*a.actor_id) : json::value(nullptr)},
                    {"actor", a.actor},
                    {"actor_kind",
                     a.actor_kind.empty() ? json::value(nullptr) : json::value(a.actor_kind)},
                    {"action", a.action},
                    {"target", a.target},
                    {"outcome", a.outcome},
                    {"ip", a.ip},
                    {"request_id", a.request_id},
                    {"detail", a.detail},
                });
            }
            return Response::json(200, page_json(std::move(items), total, paging));
        },
        "The audit log");
}

}  // namespace gridgov::http
