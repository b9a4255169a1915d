-- Events (事件): one row per case, from every channel, with where it was routed, who owns it, its
-- deadlines and its state; the assignments of a case to departments (one case may summon several,
-- 吹哨报到); and the append-only actions of each case, chained by hashes so tampering shows.

CREATE TABLE events (
    id {{pk}},
    tracking_code TEXT NOT NULL UNIQUE,   -- short code the reporter follows the case with
    channel TEXT NOT NULL CHECK (channel IN ('grid_worker', 'resident', 'patrol', 'hotline_12345',
                                             'digital_city', 'department', 'open311')),
    external_id TEXT,                     -- the id in the channel's own system; unique per channel
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category_code TEXT REFERENCES event_categories(code),
    status TEXT NOT NULL CHECK (status IN ('reported', 'accepted', 'dispatched', 'in_progress',
                                           'handled', 'closed', 'evaluated', 'cancelled')),
    priority SMALLINT,
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    address TEXT,
    node_id BIGINT REFERENCES grid_nodes(id),   -- the deepest node holding the place
    node_path TEXT NOT NULL,                    -- its path, "/1/5/17/", for scopes and subtrees
    owner_node_id BIGINT REFERENCES grid_nodes(id),  -- the centre that owns the case
    reporter_user_id BIGINT REFERENCES users(id),
    reporter_name TEXT,
    reporter_phone TEXT,                  -- encrypted
    resolved_on_spot SMALLINT NOT NULL DEFAULT 0,
    duplicate_of BIGINT REFERENCES events(id),
    cancel_reason TEXT CHECK (cancel_reason IN ('duplicate', 'invalid', 'out_of_scope')),
    rework_count INTEGER NOT NULL DEFAULT 0,
    satisfaction TEXT CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
    reported_at BIGINT NOT NULL,
    accept_due BIGINT,
    dispatch_due BIGINT,
    handle_due BIGINT,
    accepted_at BIGINT,
    dispatched_at BIGINT,
    handled_at BIGINT,
    closed_at BIGINT,
    evaluated_at BIGINT,
    updated_at BIGINT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX events_channel_external ON events(channel, external_id)
    WHERE external_id IS NOT NULL;
CREATE INDEX events_path ON events(node_path {{text_pattern_ops}});
CREATE INDEX events_status ON events(status, handle_due);
CREATE INDEX events_reported ON events(reported_at);
CREATE INDEX events_category ON events(category_code, reported_at);

CREATE TABLE event_assignments (
    id {{pk}},
    event_id BIGINT NOT NULL REFERENCES events(id),
    department_id BIGINT NOT NULL REFERENCES departments(id),
    status TEXT NOT NULL CHECK (status IN ('dispatched', 'in_progress', 'handled', 'returned')),
    due BIGINT NOT NULL,
    dispatched_at BIGINT NOT NULL,
    signed_at BIGINT,
    handled_at BIGINT,
    UNIQUE (event_id, department_id)
);
CREATE INDEX event_assignments_department ON event_assignments(department_id, status);

CREATE TABLE event_actions (
    id {{pk}},
    event_id BIGINT NOT NULL REFERENCES events(id),
    seq INTEGER NOT NULL,                 -- 1, 2, 3 … within the event
    action TEXT NOT NULL,
    actor_id BIGINT,                      -- a user, or NULL for the public and the system
    actor_kind TEXT NOT NULL,             -- user, api_key, public, system
    actor_role TEXT,
    actor_name TEXT,
    at BIGINT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    assignment_id BIGINT REFERENCES event_assignments(id),
    note TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL DEFAULT '{}',      -- JSON: the action's details (category, departments …)
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (event_id, seq)
);

-- A retried submission with the same Idempotency-Key returns the first result.
CREATE TABLE idempotency_keys (
    owner TEXT NOT NULL,                  -- user:12, key:3, or public
    idem_key TEXT NOT NULL,
    event_id BIGINT NOT NULL REFERENCES events(id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (owner, idem_key)
);
