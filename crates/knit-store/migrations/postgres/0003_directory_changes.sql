-- Every write to a service leaves a numbered change, so every running instance (and one
-- started while an import runs elsewhere) can bring its search index up to date. Writers
-- lock the table while they add changes, so numbers become visible in order.
CREATE TABLE directory_changes (
    seq BIGSERIAL PRIMARY KEY,
    service_id UUID NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL
);
