#include "events/webhooks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace gridgov::events {

using store::Value;
namespace json = boost::json;

namespace {

// ",CG06,AQ0101," from a list, so that one LIKE finds an item; NULL for none
Value joined(const std::vector<std::string>& items) {
    if (items.empty()) return nullptr;
    std::string out = ",";
    for (const auto& i : items) out += i + ",";
    return out;
}

std::vector<std::string> split(const std::optional<std::string>& text) {
    std::vector<std::string> out;
    if (!text) return out;
    std::string item;
    for (const char ch : *text) {
        if (ch == ',') {
            if (!item.empty()) out.push_back(item);
            item.clear();
        } else {
            item += ch;
        }
    }
    if (!item.empty()) out.push_back(item);
    return out;
}

WebhookSubscription subscription_from(const store::Row& row) {
    WebhookSubscription s;
    s.id = row.integer("id");
    s.name = row.text("name");
    s.url = row.text("url");
    s.categories = split(row.opt_text("categories"));
    s.node_id = row.opt_integer("node_id");
    s.actions = split(row.opt_text("actions"));
    s.active = row.integer("active") != 0;
    s.created_at = row.integer("created_at");
    s.version = static_cast<int>(row.integer("version"));
    return s;
}

WebhookDelivery delivery_from(const store::Row& row) {
    WebhookDelivery d;
    d.id = row.integer("id");
    d.subscription_id = row.integer("subscription_id");
    d.event_id = row.integer("event_id");
    d.action_seq = static_cast<int>(row.integer("action_seq"));
    d.status = row.text("status");
    d.attempts = static_cast<int>(row.integer("attempts"));
    d.next_attempt_at = row.integer("next_attempt_at");
    if (const auto s = row.opt_integer("last_status")) d.last_status = static_cast<int>(*s);
    d.last_error = row.opt_text("last_error");
    d.created_at = row.integer("created_at");
    d.delivered_at = row.opt_integer("delivered_at");
    return d;
}

constexpr const char* kSubscriptionColumns =
    "id, name, url, categories, node_id, actions, active, created_at, version";
constexpr const char* kDeliveryColumns =
    "id, subscription_id, event_id, action_seq, status, attempts, next_attempt_at, last_status, "
    "last_error, created_at, delivered_at";

json::value opt_time(const std::optional<Millis>& t) {
    return t ? json::value(format_rfc3339(*t)) : json::value(nullptr);
}

}  // namespace

Webhooks::Webhooks(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
                   const Catalogue& catalogue, EventService& events, const FieldCipher& cipher,
                   const Clock& clock, RetryPolicy policy)
    : db_(db),
      audit_(audit),
      grid_(grid),
      catalogue_(catalogue),
      events_(events),
      cipher_(cipher),
      clock_(clock),
      policy_(policy) {}

void Webhooks::check(const accounts::Principal& actor) const {
    if (!actor.can(accounts::Permission::manage_api_keys))
        throw Error(ErrorCode::forbidden, "Only administrators manage webhooks.");
}

void Webhooks::validate(const SubscriptionFields& f, bool creating) const {
    if (creating && (!f.name || !f.url))
        throw Error(ErrorCode::missing_field, "Name the subscription and its URL.",
                    f.name ? "url" : "name");
    if (f.name && (f.name->empty() || f.name->size() > 200))
        throw Error(ErrorCode::invalid_field, "A name has 1 to 200 bytes.", "name");
    if (f.url && (f.url->size() > 500 ||
                  !(f.url->starts_with("https://") || f.url->starts_with("http://")) ||
                  f.url->find_first_of(" \t\r\n") != std::string::npos)) {
        throw Error(ErrorCode::invalid_field, "The URL is an http(s) URL of at most 500 bytes.",
                    "url");
    }
    if (f.categories) {
        for (std::size_t i = 0; i < f.categories->size(); ++i) {
            const auto& code = (*f.categories)[i];
            if (!catalogue_.category(code))
                throw Error(ErrorCode::invalid_field, fmt::format("No category {}.", code),
                            fmt::format("categories[{}]", i));
        }
    }
    if (f.actions) {
        for (std::size_t i = 0; i < f.actions->size(); ++i) {
            if (!is_action_name((*f.actions)[i]))
                throw Error(ErrorCode::invalid_field, fmt::format("No action {}.", (*f.actions)[i]),
                            fmt::format("actions[{}]", i));
        }
    }
    if (f.node_id && *f.node_id && !grid_.path_of(**f.node_id))
        throw Error(ErrorCode::invalid_field, "No such node.", "node_id");
}

WebhookSubscription Webhooks::load(store::Connection& c, std::int64_t id) const {
    const auto r = c.run(
        fmt::format("SELECT {} FROM webhook_subscriptions WHERE id = $1", kSubscriptionColumns),
        {id});
    if (r.empty()) throw Error(ErrorCode::not_found, "No such subscription.");
    return subscription_from(r.front());
}

Webhooks::Created Webhooks::subscribe(const SubscriptionFields& fields,
                                      const accounts::Principal& actor,
                                      const accounts::RequestOrigin& origin) {
    check(actor);
    validate(fields, true);
    auto node = fields.node_id.value_or(std::nullopt);
    // a scoped administrator subscribes within their scope
    const auto scope = accounts::Scope::of(actor, grid_);
    if (!node) node = scope.node();
    if (!scope.may_grant(node, grid_))
        throw Error(ErrorCode::forbidden,
                    "该区域不在您的管辖范围内。 The area is outside your scope.", "node_id");
    Created out;
    out.secret = "whsec_" + random_token(24);
    db_.transact([&](store::Connection& c) {
        const auto id =
            c.run(
                 "INSERT INTO webhook_subscriptions (name, url, secret, categories, node_id, "
                 "actions, active, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                 "$9) RETURNING id",
                 {*fields.name, *fields.url, cipher_.encrypt(out.secret),
                  joined(fields.categories.value_or(std::vector<std::string>{})),
                  node ? Value{*node} : Value{nullptr},
                  joined(fields.actions.value_or(std::vector<std::string>{})),
                  std::int64_t{fields.active.value_or(true) ? 1 : 0}, clock_.now(),
                  actor.kind == accounts::Principal::Kind::user ? Value{actor.id} : Value{nullptr}})
                .front()
                .integer("id");
        out.subscription = load(c, id);
        audit_.record(c, &actor, origin, "webhook_subscribed", fmt::format("webhook:{}", id), "ok",
                      *fields.url);
    });
    return out;
}

WebhookSubscription Webhooks::update(std::int64_t id, const SubscriptionFields& f,
                                     std::optional<int> expected_version,
                                     const accounts::Principal& actor,
                                     const accounts::RequestOrigin& origin) {
    check(actor);
    validate(f, false);
    // the scope is checked before the transaction; the version guards the write
    const auto scope = accounts::Scope::of(actor, grid_);
    const auto before = get(id, actor);
    if (expected_version && *expected_version != before.version)
        throw Error(ErrorCode::version_conflict);
    const auto node = f.node_id ? *f.node_id : before.node_id;
    if (!scope.may_grant(node, grid_))
        throw Error(ErrorCode::forbidden,
                    "该区域不在您的管辖范围内。 The area is outside your scope.", "node_id");
    WebhookSubscription out;
    db_.transact([&](store::Connection& c) {
        const auto r = c.run(
            "UPDATE webhook_subscriptions SET name = $1, url = $2, categories = $3, node_id = $4, "
            "actions = $5, active = $6, version = version + 1 WHERE id = $7 AND version = $8",
            {f.name.value_or(before.name), f.url.value_or(before.url),
             joined(f.categories.value_or(before.categories)), node ? Value{*node} : Value{nullptr},
             joined(f.actions.value_or(before.actions)),
             std::int64_t{f.active.value_or(before.active) ? 1 : 0}, id,
             std::int64_t{before.version}});
        if (r.affected != 1) throw Error(ErrorCode::version_conflict);
        out = load(c, id);
        audit_.record(c, &actor, origin, "webhook_changed", fmt::format("webhook:{}", id), "ok",
                      out.active ? "active" : "paused");
    });
    return out;
}

std::vector<WebhookSubscription> Webhooks::list(const accounts::Principal& viewer) {
    check(viewer);
    const auto scope = accounts::Scope::of(viewer, grid_);
    std::vector<WebhookSubscription> out;
    db_.read([&](store::Connection& c) {
        const auto rows = c.run(
            fmt::format("SELECT {} FROM webhook_subscriptions ORDER BY id", kSubscriptionColumns));
        for (const auto& row : rows.rows) {
            auto s = subscription_from(row);
            if (scope.may_grant(s.node_id, grid_)) out.push_back(std::move(s));
        }
    });
    return out;
}

WebhookSubscription Webhooks::get(std::int64_t id, const accounts::Principal& viewer) {
    check(viewer);
    WebhookSubscription s;
    db_.read([&](store::Connection& c) { s = load(c, id); });
    if (!accounts::Scope::of(viewer, grid_).may_grant(s.node_id, grid_))
        throw Error(ErrorCode::not_found, "没有这个订阅。 No such subscription.");
    return s;
}

std::vector<WebhookDelivery> Webhooks::deliveries(std::int64_t subscription_id,
                                                  const std::optional<std::string>& status,
                                                  int limit, const accounts::Principal& viewer) {
    (void)get(subscription_id, viewer);
    if (status && *status != "pending" && *status != "delivered" && *status != "failed")
        throw Error(ErrorCode::invalid_field, "The status is pending, delivered or failed.",
                    "status");
    std::vector<WebhookDelivery> out;
    db_.read([&](store::Connection& c) {
        const auto rows =
            status ? c.run(fmt::format("SELECT {} FROM webhook_outbox WHERE subscription_id = $1 "
                                       "AND status = $2 ORDER BY id DESC LIMIT $3",
                                       kDeliveryColumns),
                           {subscription_id, *status, std::int64_t{limit}})
                   : c.run(fmt::format("SELECT {} FROM webhook_outbox WHERE subscription_id = $1 "
                                       "ORDER BY id DESC LIMIT $2",
                                       kDeliveryColumns),
                           {subscription_id, std::int64_t{limit}});
        for (const auto& row : rows.rows) out.push_back(delivery_from(row));
    });
    return out;
}

WebhookDelivery Webhooks::retry(std::int64_t subscription_id, std::int64_t delivery_id,
                                const accounts::Principal& actor,
                                const accounts::RequestOrigin& origin) {
    (void)get(subscription_id, actor);
    WebhookDelivery out;
    db_.transact([&](store::Connection& c) {
        const auto r = c.run(
            "UPDATE webhook_outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, "
            "claimed_until = NULL WHERE id = $2 AND subscription_id = $3 AND status = 'failed'",
            {clock_.now(), delivery_id, subscription_id});
        if (r.affected != 1)
            throw Error(ErrorCode::conflict, "Only a failed delivery is sent again.", "status");
        out = delivery_from(
            c.run(fmt::format("SELECT {} FROM webhook_outbox WHERE id = $1", kDeliveryColumns),
                  {delivery_id})
                .front());
        audit_.record(c, &actor, origin, "webhook_retried",
                      fmt::format("webhook:{}", subscription_id), "ok",
                      fmt::format("delivery:{}", delivery_id));
    });
    return out;
}

std::string Webhooks::signature(const std::string& secret, std::int64_t unix_seconds,
                                const std::string& body) {
    return fmt::format("t={},v1={}", unix_seconds,
                       hmac_sha256_hex(secret, fmt::format("{}.{}", unix_seconds, body)));
}

std::string Webhooks::payload(const WebhookDelivery& d, const WebhookSubscription& s) {
    const Event e = events_.get(d.event_id, nullptr);
    json::object action;
    for (const auto& a : events_.timeline(d.event_id, nullptr)) {
        if (a.seq != d.action_seq) continue;
        action = {{"seq", a.seq},
                  {"action", a.action},
                  {"at", format_rfc3339(a.at)},
                  {"actor_kind", a.actor_kind},
                  {"actor_role", a.actor_role ? json::value(*a.actor_role) : nullptr},
                  {"from_status", a.from_status ? json::value(*a.from_status) : nullptr},
                  {"to_status", a.to_status},
                  {"note", a.note},
                  {"data", json::parse(a.data)},
                  {"hash", a.hash}};
    }
    json::array assignments;
    for (const auto& a : e.assignments) {
        assignments.push_back(json::object{{"id", a.id},
                                           {"department_id", a.department_id},
                                           {"department_name", a.department_name},
                                           {"status", a.status},
                                           {"due", format_rfc3339(a.due)}});
    }
    const auto category = e.category_code ? catalogue_.category(*e.category_code) : std::nullopt;
    // the case as it is now, without the reporter's personal data
    json::object event{{"id", e.id},
                       {"tracking_code", e.tracking_code},
                       {"channel", e.channel},
                       {"external_id", e.external_id ? json::value(*e.external_id) : nullptr},
                       {"title", e.title},
                       {"description", e.description},
                       {"category_code", e.category_code ? json::value(*e.category_code) : nullptr},
                       {"category_name", category ? json::value(category->name) : nullptr},
                       {"status", status_name(e.status)},
                       {"priority", e.priority ? json::value(*e.priority) : nullptr},
                       {"lon", e.location ? json::value(e.location->lon) : nullptr},
                       {"lat", e.location ? json::value(e.location->lat) : nullptr},
                       {"address", e.address ? json::value(*e.address) : nullptr},
                       {"node_id", e.node_id ? json::value(*e.node_id) : nullptr},
                       {"owner_node_id", e.owner_node_id ? json::value(*e.owner_node_id) : nullptr},
                       {"reported_at", format_rfc3339(e.reported_at)},
                       {"handle_due", opt_time(e.handle_due)},
                       {"closed_at", opt_time(e.closed_at)},
                       {"version", e.version},
                       {"assignments", std::move(assignments)}};
    return json::serialize(
        json::object{{"delivery_id", d.id},
                     {"attempt", d.attempts},
                     {"subscription", json::object{{"id", s.id}, {"name", s.name}}},
                     {"action", std::move(action)},
                     {"event", std::move(event)}});
}

Webhooks::Pass Webhooks::deliver_due(WebhookSender& sender, int batch) {
    Pass pass;
    thread_local std::mt19937_64 random{std::random_device{}()};
    for (;;) {
        // claim: whatever process updates a delivery first sends it; the next pending one of the
        // same event and subscriber waits until the one before it is done, to keep their order
        std::vector<WebhookDelivery> claimed;
        const Millis now = clock_.now();
        db_.transact([&](store::Connection& c) {
            const bool pg = c.dialect() == store::Dialect::postgres;
            const auto rows = c.run(
                fmt::format(
                    "UPDATE webhook_outbox SET claimed_until = $1, attempts = attempts + 1 WHERE "
                    "id "
                    "IN (SELECT o.id FROM webhook_outbox o WHERE o.status = 'pending' AND "
                    "o.next_attempt_at <= $2 AND (o.claimed_until IS NULL OR o.claimed_until < $2) "
                    "AND NOT EXISTS (SELECT 1 FROM webhook_outbox p WHERE p.subscription_id = "
                    "o.subscription_id AND p.event_id = o.event_id AND p.status = 'pending' AND "
                    "p.id < o.id) ORDER BY o.id LIMIT $3{}) AND status = 'pending' AND "
                    "(claimed_until IS NULL OR claimed_until < $2) RETURNING {}",
                    pg ? " FOR UPDATE SKIP LOCKED" : "", kDeliveryColumns),
                {now + policy_.claim_for, now, std::int64_t{batch}});
            for (const auto& row : rows.rows) claimed.push_back(delivery_from(row));
        });
        if (claimed.empty()) break;
        std::sort(claimed.begin(), claimed.end(),
                  [](const auto& a, const auto& b) { return a.id < b.id; });
        for (const auto& d : claimed) {
            WebhookSubscription s;
            std::string secret;
            db_.read([&](store::Connection& c) {
                s = load(c, d.subscription_id);
                secret =
                    cipher_.decrypt(c.run("SELECT secret FROM webhook_subscriptions WHERE id = $1",
                                          {d.subscription_id})
                                        .front()
                                        .text("secret"));
            });
            WebhookSender::Result result;
            if (!s.active) {
                result.error = "the subscription is paused";
            } else {
                const std::string body = payload(d, s);
                const std::int64_t t = clock_.now() / 1000;
                result = sender.post(s.url,
                                     {{"Content-Type", "application/json"},
                                      {"User-Agent", "gridgov-webhooks"},
                                      {"X-Gridgov-Delivery", std::to_string(d.id)},
                                      {"X-Gridgov-Signature", signature(secret, t, body)}},
                                     body, policy_.timeout);
            }
            const Millis done = clock_.now();
            const bool ok = result.status >= 200 && result.status < 300;
            const bool give_up = !ok && d.attempts >= policy_.max_attempts;
            // exponential backoff with a fifth of jitter, so that retries do not come in waves
            Millis delay = policy_.first_delay;
            for (int i = 1; i < d.attempts && delay < policy_.max_delay; ++i) delay *= 2;
            delay = std::min(delay, policy_.max_delay);
            delay += static_cast<Millis>(random() % static_cast<std::uint64_t>(delay / 5 + 1));
            const std::string error =
                ok ? std::string()
                   : (result.error.empty() ? fmt::format("HTTP {}", result.status) : result.error);
            db_.transact([&](store::Connection& c) {
                c.run(
                    "UPDATE webhook_outbox SET status = $1, last_status = $2, last_error = $3, "
                    "claimed_until = NULL, next_attempt_at = $4, delivered_at = $5 WHERE id = $6",
                    {std::string(ok        ? "delivered"
                                 : give_up ? "failed"
                                           : "pending"),
                     result.status ? Value{std::int64_t{result.status}} : Value{nullptr},
                     ok ? Value{nullptr} : Value{error.substr(0, 500)}, done + delay,
                     ok ? Value{done} : Value{nullptr}, d.id});
            });
            if (ok) {
                ++pass.delivered;
            } else if (give_up) {
                ++pass.failed;
            } else {
                ++pass.retrying;
            }
        }
        if (static_cast<int>(claimed.size()) < batch) break;
    }
    return pass;
}

}  // namespace gridgov::events
