// Login sessions: a random 256-bit token goes to the browser (in an HttpOnly cookie) and only its
// SHA-256 is stored. A session ends after `idle_ms` without a request, `absolute_ms` after login
// whatever the activity, at logout, or when the user's rights change. Thread-safe.
// Resolved sessions are cached in memory for a moment (kCacheFor), so an authenticated request
// does not always read the database; logout and forget_all() clear the cache at once in this
// process, and a revocation made by another process is seen within kCacheFor.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace gridgov::accounts {

struct SessionPolicy {
    Millis idle_ms = 30 * kMinute;
    Millis absolute_ms = 12 * kHour;
};

struct OpenedSession {
    std::string token;  // give to the client once; never stored
    Millis expires_at = 0;
};

class SessionService {
  public:
    SessionService(store::Database& db, AuditLog& audit, const Clock& clock, SessionPolicy policy)
        : db_(db), audit_(audit), clock_(clock), policy_(policy) {}

    OpenedSession open(std::int64_t user_id, const RequestOrigin& origin);
    // The principal behind a token. Throws Error(unauthenticated) for an unknown or revoked token
    // and Error(session_expired) for one past its idle or absolute limit.
    Principal resolve(const std::string& token);
    // Ends the session; unknown tokens are ignored. Audited as logout.
    void close(const std::string& token, const Principal& who, const RequestOrigin& origin);

    const SessionPolicy& policy() const { return policy_; }
    // Drops every cached session (after sessions were revoked in the database).
    void forget_all();

    static constexpr Millis kCacheFor = 2 * kSecond;

  private:
    struct Cached {
        Principal principal;
        Millis last_seen_at = 0;  // as stored
        Millis expires_at = 0;
        Millis fetched_at = 0;
    };
    std::optional<Principal> from_cache(const std::string& hash, Millis now) const;

    mutable std::shared_mutex cache_mutex_;
    std::unordered_map<std::string, Cached> cache_;
    store::Database& db_;
    AuditLog& audit_;
    const Clock& clock_;
    SessionPolicy policy_;
};

}  // namespace gridgov::accounts
