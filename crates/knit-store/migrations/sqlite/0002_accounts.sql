-- Staff accounts and what hangs off them: memberships, organisation approvals, sessions,
-- sign-in failures, emailed links, recovery codes, the audit log, jobs, listing changes and
-- notes on problem reports. Same conventions as 0001: ids are lowercase hyphenated uuid
-- TEXT, times RFC 3339 UTC text with nine fractional digits (text order is time order),
-- flags INTEGER 0/1. The directory's tables are not altered.

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    -- The lower-cased shadow of the email: unique whatever the case, without a collation
    -- that would differ between backends.
    email_lower TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'suspended')),
    password_hash TEXT,
    -- base32; set while enrolling, kept once confirmed
    totp_secret TEXT,
    totp_confirmed INTEGER NOT NULL DEFAULT 0,
    -- the RFC 6238 step of the last code accepted, so no code works twice
    totp_last_step INTEGER,
    created_at TEXT NOT NULL
);

-- One row per role a user holds; place-wide roles have the nil uuid as their scope, so
-- the primary key works the same on both backends (NULLs are never equal).
CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    organization_lead INTEGER NOT NULL,
    PRIMARY KEY (user_id, role, scope)
) WITHOUT ROWID;
CREATE INDEX memberships_by_scope ON memberships (scope, role, user_id);

CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- Keyed by the directory's organisation id, without a foreign key: an organisation can be
-- approved before its listings are imported, and imports replace organisations.
CREATE TABLE organization_approvals (
    organization_id TEXT PRIMARY KEY NOT NULL,
    approved_at TEXT NOT NULL,
    approved_by TEXT NOT NULL REFERENCES users (id)
) WITHOUT ROWID;

CREATE TABLE sessions (
    -- SHA-256 of the session id, hex; the id itself is never stored
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    two_factor_passed INTEGER NOT NULL,
    csrf_secret TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_last_seen ON sessions (last_seen_at);
CREATE INDEX sessions_by_created ON sessions (created_at);

CREATE TABLE sign_in_failures (
    id TEXT PRIMARY KEY NOT NULL,
    -- the account as typed, lower-cased; it may name no account
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);

CREATE TABLE emailed_links (
    token_hash TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
) WITHOUT ROWID;
CREATE INDEX emailed_links_by_user ON emailed_links (user_id, purpose);
CREATE INDEX emailed_links_by_expiry ON emailed_links (expires_at);

-- The audit log: append-only, each event carrying the hash of the one before.
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor TEXT,
    actor_role TEXT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT,
    address TEXT,
    outcome TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_by_actor ON audit_events (actor, seq);
CREATE INDEX audit_events_by_object ON audit_events (object_type, object_id, seq);

-- The chain head, one row: every append locks it, so appends queue instead of forking the
-- chain, and a log cut short at the end shows against it.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Defence in depth: the API has no way to change or remove an event, and the database
-- refuses to as well.
CREATE TRIGGER audit_events_refuse_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_events_refuse_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'dead')),
    run_at TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    locked_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    -- when it was done, or given up as dead
    finished_at TEXT
);
CREATE INDEX jobs_due ON jobs (state, run_at, id);
CREATE INDEX jobs_finished ON jobs (finished_at);

CREATE TABLE listing_changes (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    -- the whole proposed service as HSDS JSON
    proposed TEXT NOT NULL,
    proposed_by TEXT NOT NULL REFERENCES users (id),
    proposed_at TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    decided_by TEXT REFERENCES users (id),
    decided_as TEXT,
    decided_at TEXT,
    -- what to apply once approved: the proposal, or the reviewer's edited version
    approved TEXT
);
CREATE INDEX listing_changes_by_status ON listing_changes (status, organization_id, proposed_at);
CREATE INDEX listing_changes_by_service ON listing_changes (service_id, proposed_at);

CREATE TABLE problem_notes (
    id TEXT PRIMARY KEY NOT NULL,
    report_id TEXT NOT NULL REFERENCES problem_reports (id) ON DELETE CASCADE,
    author TEXT NOT NULL REFERENCES users (id),
    author_role TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX problem_notes_by_report ON problem_notes (report_id, at);
