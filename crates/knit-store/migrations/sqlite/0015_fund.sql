-- The local fund: rounds and their panels, applications (the applicant's details sealed),
-- panel votes, decisions and awards, payments and monitoring returns. Same tables as the
-- PostgreSQL migration of the same name; conventions as 0002 (uuid TEXT ids, RFC 3339 UTC
-- text times, INTEGER 0/1 flags), dates as 'YYYY-MM-DD' text and money as whole pence.

CREATE TABLE fund_rounds (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    min_pence INTEGER NOT NULL CHECK (min_pence > 0),
    max_pence INTEGER NOT NULL CHECK (max_pence >= min_pence),
    fast_below_pence INTEGER,
    closes_at TEXT NOT NULL,
    -- The criteria and their weights, as JSON: [{"key", "label", "weight"}].
    criteria TEXT NOT NULL,
    open_to_individuals INTEGER NOT NULL,
    open_to_unconstituted INTEGER NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX fund_rounds_by_closing ON fund_rounds (closes_at, id);

CREATE TABLE fund_panel_members (
    round_id TEXT NOT NULL REFERENCES fund_rounds (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX fund_panel_members_by_user ON fund_panel_members (user_id);

-- Only ids, codes, amounts and dates in clear; who applied, how to reach and pay them and
-- their answers are in `sealed`, bound to the row. `group_id` names a group in the groups
-- register when there is one; no foreign key, as groups are kept apart.
CREATE TABLE fund_applications (
    id TEXT PRIMARY KEY NOT NULL,
    round_id TEXT NOT NULL REFERENCES fund_rounds (id) ON DELETE CASCADE,
    link_digest TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'awarded', 'declined')),
    kind TEXT NOT NULL CHECK (kind IN ('individual', 'unconstituted_group', 'constituted_group')),
    amount_pence INTEGER,
    route TEXT CHECK (route IN ('fast', 'panel')),
    group_id TEXT,
    sealed BLOB NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT
);
CREATE INDEX fund_applications_by_round ON fund_applications (round_id, status, submitted_at);
CREATE INDEX fund_applications_by_group ON fund_applications (group_id);

-- One panel member's scores (JSON {criterion: 0..5}) or declared conflict, per application.
-- The conflict's reason is sealed: it may name the applicant.
CREATE TABLE fund_votes (
    application_id TEXT NOT NULL REFERENCES fund_applications (id) ON DELETE CASCADE,
    member TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conflict INTEGER NOT NULL,
    scores TEXT,
    sealed BLOB,
    at TEXT NOT NULL,
    PRIMARY KEY (application_id, member)
);

CREATE TABLE fund_decisions (
    application_id TEXT PRIMARY KEY NOT NULL REFERENCES fund_applications (id) ON DELETE CASCADE,
    outcome TEXT NOT NULL CHECK (outcome IN ('awarded', 'declined')),
    amount_pence INTEGER,
    -- The reasons, sealed: they speak of the applicant.
    sealed BLOB NOT NULL,
    decided_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    decided_at TEXT NOT NULL,
    awarded_on TEXT,
    monitoring_due TEXT,
    monitoring_link_digest TEXT UNIQUE,
    monitoring_reminded_at TEXT,
    monitoring_sealed BLOB,
    monitoring_at TEXT,
    group_id TEXT
);
CREATE INDEX fund_decisions_by_monitoring ON fund_decisions (monitoring_due)
    WHERE outcome = 'awarded';
CREATE INDEX fund_decisions_awards ON fund_decisions (outcome, application_id);

CREATE TABLE fund_payments (
    id TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL REFERENCES fund_decisions (application_id) ON DELETE CASCADE,
    amount_pence INTEGER NOT NULL CHECK (amount_pence > 0),
    paid_on TEXT NOT NULL,
    reference TEXT NOT NULL,
    recorded_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX fund_payments_by_award ON fund_payments (application_id, paid_on);
