// Webhook subscriptions over HTTP (administrators): subscribe a system's URL to the actions of
// events by category, area and kind of action (the signing secret is in the answer and nowhere
// else), change or pause a subscription, and see its deliveries and send a failed one again.
#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/app.hpp"
#include "http/handlers/views.hpp"
#include "http/json_body.hpp"

namespace gridgov::http {

namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& items) {
    json::array out;
    for (const auto& i : items) out.emplace_back(i);
    return out;
}

json::object subscription_json(const events::WebhookSubscription& s) {
    return {{"id", s.id},
            {"name", s.name},
            {"url", s.url},
            {"categories", strings(s.categories)},
            {"node_id", or_null(s.node_id)},
            {"actions", strings(s.actions)},
            {"active", s.active},
            {"created_at", format_rfc3339(s.created_at)},
            {"version", s.version}};
}

json::object delivery_json(const events::WebhookDelivery& d) {
    return {
        {"id", d.id},
        {"event_id", d.event_id},
        {"action_seq", d.action_seq},
        {"status", d.status},
        {"attempts", d.attempts},
        {"next_attempt_at", d.status == "pending" ? json::value(format_rfc3339(d.next_attempt_at))
                                                  : json::value(nullptr)},
        {"last_status", or_null(d.last_status)},
        {"last_error", or_null(d.last_error)},
        {"created_at", format_rfc3339(d.created_at)},
        {"delivered_at", time_or_null(d.delivered_at)}};
}

events::SubscriptionFields read_fields(const JsonBody& body) {
    events::SubscriptionFields f;
    f.name = body.opt_string("name", 200);
    f.url = body.opt_string("url", 500);
    f.categories = body.opt_string_array("categories", 200, 16);
    if (body.has("node_id")) f.node_id = body.nullable_int("node_id").value_or(std::nullopt);
    f.actions = body.opt_string_array("actions", 30, 32);
    f.active = body.opt_bool("active");
    return f;
}

}  // namespace

void add_webhook_routes(Router& router, const Services& s) {
    router.add(
        "GET", "/api/v1/webhooks", Access::authenticated,
        [s](Request& r) {
            json::array items;
            for (const auto& w : s.webhooks.list(*r.principal))
                items.push_back(subscription_json(w));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "Webhook subscriptions");

    router.add(
        "POST", "/api/v1/webhooks", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"name", "url", "categories", "node_id", "actions", "active"});
            const auto created = s.webhooks.subscribe(read_fields(body), *r.principal, r.origin());
            json::object out = subscription_json(created.subscription);
            out["secret"] = created.secret;
            return Response::json(201, out);
        },
        "Subscribe a URL to the actions of events by category, area and action; the signing "
        "secret is in the answer and nowhere else");

    router.add(
        "GET", "/api/v1/webhooks/{id}", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, subscription_json(s.webhooks.get(path_id(r, "id"), *r.principal)));
        },
        "One webhook subscription");

    router.add(
        "PATCH", "/api/v1/webhooks/{id}", Access::authenticated,
        [s](Request& r) {
            const JsonBody body(r, {"name", "url", "categories", "node_id", "actions", "active"});
            std::optional<int> version;
            if (!r.header("if-match").empty()) version = if_match_version(r);
            return Response::json(
                200, subscription_json(s.webhooks.update(path_id(r, "id"), read_fields(body),
                                                         version, *r.principal, r.origin())));
        },
        "Change, pause (active: false) or resume a webhook subscription");

    router.add(
        "GET", "/api/v1/webhooks/{id}/deliveries", Access::authenticated,
        [s](Request& r) {
            const auto limit = query_int(r, "limit", 1, 500).value_or(100);
            json::array items;
            for (const auto& d : s.webhooks.deliveries(path_id(r, "id"), r.query_param("status"),
                                                       static_cast<int>(limit), *r.principal))
                items.push_back(delivery_json(d));
            return Response::json(200, json::object{{"items", std::move(items)}});
        },
        "The deliveries of a subscription, newest first (?status=pending|delivered|failed)");

    router.add(
        "POST", "/api/v1/webhooks/{id}/deliveries/{delivery}/retry", Access::authenticated,
        [s](Request& r) {
            return Response::json(
                200, delivery_json(s.webhooks.retry(path_id(r, "id"), path_id(r, "delivery"),
                                                    *r.principal, r.origin())));
        },
        "Send a failed delivery again");
}

}  // namespace gridgov::http
