// API keys for other systems (12345 hotline, 数字城管, department systems). A key looks like
// "ggk_<prefix>_<secret>"; the prefix is public and listed, the whole key is stored only as its
// SHA-256. Each key acts with a role and a scope, and can be revoked. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/audit_log.hpp"
#include "accounts/principal.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace gridgov::accounts {

struct ApiKey {
    std::int64_t id = 0;
    std::string prefix;
    std::string name;
    Role role = Role::center;
    std::optional<std::int64_t> scope_node_id;
    Millis created_at = 0;
    std::optional<Millis> last_used_at;
    std::optional<Millis> revoked_at;
};

struct IssuedKey {
    ApiKey key;
    std::string secret;  // the whole key, shown once
};

class ApiKeyService {
  public:
    ApiKeyService(store::Database& db, AuditLog& audit, const Clock& clock,
                  const NodeAncestry& tree)
        : db_(db), audit_(audit), clock_(clock), tree_(tree) {}

    // An administrator issues, lists and revokes the keys within their own scope: a key's scope
    // must lie in the issuer's subtree (a city-wide key only from a city-wide administrator).
    // A null actor is the command line (gridgov api-key), which may do everything.
    IssuedKey issue(const std::string& name, Role role, std::optional<std::int64_t> scope,
                    const Principal* actor, const RequestOrigin& origin);
    void revoke(std::int64_t id, const Principal* actor, const RequestOrigin& origin);
    std::vector<ApiKey> list(const Principal* viewer);
    // Throws Error(unauthenticated) for a malformed, unknown or revoked key.
    Principal resolve(const std::string& key);

  private:
    store::Database& db_;
    AuditLog& audit_;
    const Clock& clock_;
    const NodeAncestry& tree_;
};

}  // namespace gridgov::accounts
