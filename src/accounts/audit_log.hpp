// The audit log: logins and their failures, logouts, permission denials and every change made by
// an administrator, each with who, when, from where and the outcome. Append-only. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "accounts/principal.hpp"
#include "accounts/scope.hpp"
#include "core/clock.hpp"
#include "store/database.hpp"

namespace gridgov::accounts {

struct AuditRecord {
    std::int64_t id = 0;
    Millis at = 0;
    std::optional<std::int64_t> actor_id;
    std::string actor;
    std::string action;
    std::string target;
    std::string outcome;
    std::string ip;
    std::string request_id;
    std::string detail;
    std::string actor_kind;  // "user", "api_key" or empty (nobody)
};

struct AuditFilter {
    std::optional<std::string> action;
    std::optional<std::int64_t> actor_id;
    std::optional<Millis> since;
    std::optional<Millis> until;
};

class AuditLog {
  public:
    AuditLog(store::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
    // The tree that gives an actor's scope its path (the grid tree, once it is loaded).
    void attach_tree(const NodeAncestry* tree) { tree_ = tree; }

    // Inside the caller's transaction, so the record lands with the change it describes.
    void record(store::Connection& c, const Principal* actor, const RequestOrigin& origin,
                std::string_view action, std::string_view target, std::string_view outcome,
                std::string_view detail = {});
    // In a transaction of its own (failed logins, denials: nothing else is written). Called while
    // this thread has a transaction open (a denial found inside it), the record is written once
    // that transaction has ended, never inside it: the denial lands even though the change rolls
    // back.
    void record(const Principal* actor, const RequestOrigin& origin, std::string_view action,
                std::string_view target, std::string_view outcome, std::string_view detail = {});

    // The records the viewer may read: forbidden unless they reach the audit area; a scoped
    // viewer reads the records of the actors of their subtree.
    std::vector<AuditRecord> list(const AuditFilter& filter, const Scope& viewer, int limit,
                                  int offset, std::int64_t* total);

  private:
    store::Database& db_;
    const Clock& clock_;
    const NodeAncestry* tree_ = nullptr;
};

}  // namespace gridgov::accounts
