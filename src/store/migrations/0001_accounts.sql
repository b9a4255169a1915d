-- Accounts, sessions, API keys and the audit log.
-- {{pk}} is an auto-numbered BIGINT primary key on either database; times are milliseconds since
-- the Unix epoch (UTC); flags are SMALLINT 0/1 so that both databases read them alike.

CREATE TABLE users (
    id {{pk}},
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    phone_enc TEXT,                    -- encrypted at rest (core/field_cipher)
    role TEXT NOT NULL CHECK (role IN ('admin', 'center', 'leader', 'grid_worker', 'grid_head',
                                       'dept_handler', 'volunteer')),
    scope_node_id BIGINT,              -- node of the grid tree; NULL is the whole tree
    department_id BIGINT,
    password_hash TEXT NOT NULL,
    active SMALLINT NOT NULL DEFAULT 1,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE sessions (
    id {{pk}},
    token_hash TEXT NOT NULL UNIQUE,   -- SHA-256 of the cookie's token; the token is never stored
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,        -- the absolute end, whatever the activity
    revoked_at BIGINT,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_keys (
    id {{pk}},
    prefix TEXT NOT NULL UNIQUE,       -- public part of the key, shown in lists
    secret_hash TEXT NOT NULL,         -- SHA-256 of the whole key
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    scope_node_id BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE audit_log (
    id {{pk}},
    at BIGINT NOT NULL,
    actor_id BIGINT,
    actor TEXT,                        -- login or API key prefix at the time
    action TEXT NOT NULL,              -- login, login_failed, logout, denied, user_created ...
    target TEXT,
    outcome TEXT NOT NULL,             -- ok, failed, denied
    ip TEXT,
    request_id TEXT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_actor ON audit_log(actor_id, at);
