// Login sessions: a random 256-bit token goes to the browser (in an HttpOnly cookie) and only its
// SHA-256 is stored. A session ends after `idle_ms` without a request, `absolute_ms` after login
// whatever the activity, at logout, or when the user's rights change. Thread-safe.
#pragma once

#include <string>

#include "core/clock.hpp"
#include "people/audit_log.hpp"
#include "people/principal.hpp"
#include "store/database.hpp"

namespace gridgov::people {

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

  private:
    store::Database& db_;
    AuditLog& audit_;
    const Clock& clock_;
    SessionPolicy policy_;
};

}  // namespace gridgov::people
