-- Files attached to events: photos of the problem and of the result, documents. Each came with an
-- "attach" action in the event's chain (its SHA-256 is in the action's data, so a changed file
-- shows). The bytes are in `content`, or in a file under the configured directory (`stored_path`).

CREATE TABLE event_attachments (
    id {{pk}},
    event_id BIGINT NOT NULL REFERENCES events(id),
    action_seq INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    byte_size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    from_reporter SMALLINT NOT NULL DEFAULT 0,
    public_visible SMALLINT NOT NULL DEFAULT 0,
    content {{blob}},
    stored_path TEXT,
    uploaded_at BIGINT NOT NULL,
    CHECK ((content IS NULL) <> (stored_path IS NULL))
);
CREATE INDEX event_attachments_event ON event_attachments(event_id);
