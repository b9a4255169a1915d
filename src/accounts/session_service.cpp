#include "accounts/session_service.hpp"

#include <mutex>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace gridgov::accounts {

namespace {
// last_seen_at is written at most this often, so that reads do not become writes
constexpr Millis kTouchEvery = 30 * kSecond;
constexpr std::size_t kMaxCached = 100'000;

constexpr const char* kResolveSql =
    "SELECT s.last_seen_at, s.expires_at, s.revoked_at, u.id, u.login, u.name, u.role, "
    "u.scope_node_id, u.department_id, u.active "
    "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";
}  // namespace

OpenedSession SessionService::open(std::int64_t user_id, const RequestOrigin& origin) {
    OpenedSession s;
    s.token = random_token(32);
    const Millis now = clock_.now();
    s.expires_at = now + policy_.absolute_ms;
    db_.transact([&](store::Connection& c) {
        c.run(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, ip, "
            "user_agent) VALUES ($1, $2, $3, $3, $4, $5, $6)",
            {sha256_hex(s.token), user_id, now, s.expires_at, origin.ip,
             origin.user_agent.substr(0, 256)});
    });
    return s;
}

std::optional<Principal> SessionService::from_cache(const std::string& hash, Millis now) const {
    std::shared_lock lock(cache_mutex_);
    const auto it = cache_.find(hash);
    if (it == cache_.end()) return std::nullopt;
    const Cached& c = it->second;
    // fresh, not expired, and no touch of last_seen_at due: otherwise ask the database
    if (now < c.fetched_at || now - c.fetched_at >= kCacheFor || now >= c.expires_at ||
        now - c.last_seen_at >= kTouchEvery) {
        return std::nullopt;
    }
    return c.principal;
}

void SessionService::forget_all() {
    std::unique_lock lock(cache_mutex_);
    cache_.clear();
}

Principal SessionService::resolve(const std::string& token) {
    if (token.empty() || token.size() > 128) throw Error(ErrorCode::unauthenticated);
    const std::string hash = sha256_hex(token);
    const Millis now = clock_.now();
    if (auto cached = from_cache(hash, now)) return *cached;
    Principal p;
    Millis last_seen = 0;
    Millis expires_at = 0;
    db_.read([&](store::Connection& c) {
        const auto r = c.run(kResolveSql, {hash});
        if (r.empty()) throw Error(ErrorCode::unauthenticated);
        const auto& row = r.front();
        if (!row.is_null("revoked_at") || row.integer("active") == 0) {
            throw Error(ErrorCode::unauthenticated);
        }
        last_seen = row.integer("last_seen_at");
        expires_at = row.integer("expires_at");
        if (now >= expires_at || now - last_seen >= policy_.idle_ms) {
            throw Error(ErrorCode::session_expired);
        }
        p.kind = Principal::Kind::user;
        p.id = row.integer("id");
        p.login = row.text("login");
        p.name = row.text("name");
        p.role = parse_role(row.text("role")).value_or(Role::volunteer);
        p.scope_node_id = row.opt_integer("scope_node_id");
        p.department_id = row.opt_integer("department_id");
    });
    if (now - last_seen >= kTouchEvery) {
        db_.transact([&](store::Connection& c) {
            c.run("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", {now, hash});
        });
        last_seen = now;
    }
    std::unique_lock lock(cache_mutex_);
    if (cache_.size() >= kMaxCached) cache_.clear();
    cache_[hash] = Cached{p, last_seen, expires_at, now};
    return p;
}

void SessionService::close(const std::string& token, const Principal& who,
                           const RequestOrigin& origin) {
    const Millis now = clock_.now();
    const std::string hash = sha256_hex(token);
    {
        std::unique_lock lock(cache_mutex_);
        cache_.erase(hash);
    }
    db_.transact([&](store::Connection& c) {
        c.run("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
              {now, hash});
        audit_.record(c, &who, origin, "logout", "user:" + who.login, "ok");
    });
}

}  // namespace gridgov::accounts
