// Outgoing webhooks: other systems subscribe to the actions of events by category, area (a subtree
// of the grid tree) and kind of action. Matching actions are queued in an outbox in the same
// transaction as the action (event_service.cpp), so nothing acknowledged is lost; deliver_due()
// claims due deliveries in the database (several processes never send the same one at once),
// signs and sends them, and retries failures with exponential backoff. Delivery is at least once:
// receivers recognise a repeat by its delivery id. Thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "core/field_cipher.hpp"
#include "events/catalogue.hpp"
#include "events/event_service.hpp"
#include "grid/grid_service.hpp"
#include "store/database.hpp"

namespace gridgov::events {

struct WebhookSubscription {
    std::int64_t id = 0;
    std::string name;
    std::string url;
    std::vector<std::string> categories;  // majors or minors; empty: all
    std::optional<std::int64_t> node_id;  // the area; none: everywhere
    std::vector<std::string> actions;     // empty: every action
    bool active = true;
    Millis created_at = 0;
    int version = 1;
};

struct SubscriptionFields {
    std::optional<std::string> name, url;
    std::optional<std::vector<std::string>> categories;
    std::optional<std::optional<std::int64_t>> node_id;
    std::optional<std::vector<std::string>> actions;
    std::optional<bool> active;
};

struct WebhookDelivery {
    std::int64_t id = 0;
    std::int64_t subscription_id = 0;
    std::int64_t event_id = 0;
    int action_seq = 0;
    std::string status;  // pending, delivered, failed
    int attempts = 0;
    Millis next_attempt_at = 0;
    std::optional<int> last_status;
    std::optional<std::string> last_error;
    Millis created_at = 0;
    std::optional<Millis> delivered_at;
};

// Sends one delivery; implemented over HTTP(S) outside the domain (http/curl_sender).
class WebhookSender {
  public:
    struct Result {
        int status = 0;     // the HTTP status; 0 when no answer came
        std::string error;  // why, when no answer came
    };
    virtual ~WebhookSender() = default;
    virtual Result post(const std::string& url,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& body, std::chrono::milliseconds timeout) = 0;
};

struct RetryPolicy {
    Millis first_delay = 10 * kSecond;  // doubled after each failure …
    Millis max_delay = 6 * kHour;       // … up to this
    int max_attempts = 15;              // then the delivery is marked failed (about 2.5 days)
    Millis claim_for = 60 * kSecond;    // a claimed delivery another process may retake after
    std::chrono::milliseconds timeout{10'000};
};

class Webhooks {
  public:
    Webhooks(store::Database& db, accounts::AuditLog& audit, grid::GridService& grid,
             const Catalogue& catalogue, EventService& events, const FieldCipher& cipher,
             const Clock& clock, RetryPolicy policy = {});

    struct Created {
        WebhookSubscription subscription;
        std::string secret;  // signs the deliveries; shown once
    };
    Created subscribe(const SubscriptionFields& fields, const accounts::Principal& actor,
                      const accounts::RequestOrigin& origin);
    WebhookSubscription update(std::int64_t id, const SubscriptionFields& fields,
                               std::optional<int> expected_version,
                               const accounts::Principal& actor,
                               const accounts::RequestOrigin& origin);
    std::vector<WebhookSubscription> list(const accounts::Principal& viewer);
    WebhookSubscription get(std::int64_t id, const accounts::Principal& viewer);
    std::vector<WebhookDelivery> deliveries(std::int64_t subscription_id,
                                            const std::optional<std::string>& status, int limit,
                                            const accounts::Principal& viewer);
    // Sends a failed delivery again (from its first attempt's backoff).
    WebhookDelivery retry(std::int64_t subscription_id, std::int64_t delivery_id,
                          const accounts::Principal& actor, const accounts::RequestOrigin& origin);

    struct Pass {
        int delivered = 0;
        int retrying = 0;
        int failed = 0;  // gave up after the last attempt
    };
    // Claims up to `batch` due deliveries at a time and sends them, until none is due.
    Pass deliver_due(WebhookSender& sender, int batch = 50);

    // The body of a delivery and the headers that sign it: "X-Gridgov-Signature:
    // t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>".
    static std::string signature(const std::string& secret, std::int64_t unix_seconds,
                                 const std::string& body);

  private:
    void check(const accounts::Principal& actor) const;
    WebhookSubscription load(store::Connection& c, std::int64_t id) const;
    void validate(const SubscriptionFields& f, bool creating) const;
    std::string payload(const WebhookDelivery& d, const WebhookSubscription& s);

    store::Database& db_;
    accounts::AuditLog& audit_;
    grid::GridService& grid_;
    const Catalogue& catalogue_;
    EventService& events_;
    const FieldCipher& cipher_;
    const Clock& clock_;
    RetryPolicy policy_;
};

}  // namespace gridgov::events
