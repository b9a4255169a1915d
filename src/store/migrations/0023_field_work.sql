-- A grid worker's day in the field (巡查走访): patrols with the track the phone recorded, check-ins
-- at places and visits to households, places and people with their notes and findings (a finding
-- may become an event), and each worker's last known position. What a phone sends late (it was
-- offline) keeps the time it happened; a resend with the same key is the same record.
CREATE TABLE patrols (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    node_id BIGINT REFERENCES grid_nodes(id),      -- where it started
    node_path TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    points INTEGER NOT NULL DEFAULT 0,
    distance_m DOUBLE PRECISION NOT NULL DEFAULT 0,
    last_at BIGINT,                                -- the latest point
    last_lon DOUBLE PRECISION,
    last_lat DOUBLE PRECISION,
    client_key TEXT UNIQUE,                        -- the phone's Idempotency-Key
    recorded_at BIGINT NOT NULL
);
CREATE INDEX patrols_user ON patrols(user_id, started_at);
CREATE INDEX patrols_path ON patrols(node_path {{text_pattern_ops}}, started_at);

CREATE TABLE patrol_points (
    patrol_id BIGINT NOT NULL REFERENCES patrols(id),
    at BIGINT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    accuracy_m DOUBLE PRECISION,
    PRIMARY KEY (patrol_id, at)
);

CREATE TABLE field_visits (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    patrol_id BIGINT REFERENCES patrols(id),
    kind TEXT NOT NULL CHECK (kind IN ('check_in', 'household', 'place', 'person')),
    target_id BIGINT,                              -- the household, key place or person
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    node_id BIGINT REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL,
    at BIGINT NOT NULL,                            -- when it happened
    notes TEXT NOT NULL DEFAULT '',
    findings TEXT NOT NULL DEFAULT '',
    event_id BIGINT REFERENCES events(id),         -- the finding reported as an event
    client_key TEXT UNIQUE,
    recorded_at BIGINT NOT NULL                    -- when the server got it
);
CREATE INDEX field_visits_user ON field_visits(user_id, at);
CREATE INDEX field_visits_path ON field_visits(node_path {{text_pattern_ops}}, at);
CREATE INDEX field_visits_target ON field_visits(kind, target_id);

CREATE TABLE worker_positions (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    at BIGINT NOT NULL,
    node_id BIGINT REFERENCES grid_nodes(id),
    node_path TEXT NOT NULL
);
CREATE INDEX worker_positions_path ON worker_positions(node_path {{text_pattern_ops}});
