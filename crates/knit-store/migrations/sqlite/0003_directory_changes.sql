-- Every write to a service leaves a numbered change, so every running instance (and one
-- started while an import runs elsewhere) can bring its search index up to date.
CREATE TABLE directory_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    service_id TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
