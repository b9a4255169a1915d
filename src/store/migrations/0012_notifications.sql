-- Notifications of staff: who must act on an event now (a department given a task, a centre whose
-- case is near or past its deadline, escalated to it, returned to it, flagged by a leader …).
-- Written in the same transaction as the action they tell of; their text comes from that action.

CREATE TABLE notifications (
    id {{pk}},
    user_id BIGINT NOT NULL REFERENCES users(id),
    event_id BIGINT NOT NULL REFERENCES events(id),
    action_seq INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT,
    UNIQUE (user_id, event_id, action_seq)
);
CREATE INDEX notifications_unread ON notifications(user_id, read_at, id);
