-- Who may read an audit record: each record keeps the kind of its actor (a user or an API key, so
-- that a key and a user with the same id are never taken for each other) and the path of the
-- actor's scope node at the time (NULL for a city-wide actor or nobody), so that an administrator
-- scoped to a subtree reads what was done by the accounts of that subtree only.
ALTER TABLE audit_log ADD COLUMN actor_kind TEXT;
ALTER TABLE audit_log ADD COLUMN scope_path TEXT;
CREATE INDEX audit_log_scope ON audit_log(scope_path, id);
