-- Outgoing webhooks: other systems (a department's case system, the 12345 hotline) subscribe to
-- the actions of events by category and area; each matching action is queued in the outbox in
-- the same transaction as the action itself, so none is lost across crashes and restarts, then
-- delivered (signed, retried with backoff) by whichever gridgov process claims it first.

CREATE TABLE webhook_subscriptions (
    id {{pk}},
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,                 -- signs deliveries; encrypted
    categories TEXT,                      -- ",CG06,AQ0101," majors or minors; NULL: all
    node_id BIGINT REFERENCES grid_nodes(id),  -- the area (a subtree); NULL: everywhere
    actions TEXT,                         -- ",report,dispatch,"; NULL: every action
    active SMALLINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE webhook_outbox (
    id {{pk}},
    subscription_id BIGINT NOT NULL REFERENCES webhook_subscriptions(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    action_seq INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,                 -- a process is delivering it until then
    last_status INTEGER,                  -- the receiver's HTTP status
    last_error TEXT,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT,
    UNIQUE (subscription_id, event_id, action_seq)
);
CREATE INDEX webhook_outbox_due ON webhook_outbox(next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_outbox_subscription ON webhook_outbox(subscription_id, id);
