-- The local fund: rounds and their panels, applications (the applicant's details sealed),
-- panel votes, decisions and awards, payments and monitoring returns. Same tables as the
-- SQLite migration of the same name, in PostgreSQL's types; dates as 'YYYY-MM-DD' text and
-- money as whole pence.

CREATE TABLE fund_rounds (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    min_pence BIGINT NOT NULL CHECK (min_pence > 0),
    max_pence BIGINT NOT NULL CHECK (max_pence >= min_pence),
    fast_below_pence BIGINT,
    closes_at TIMESTAMPTZ NOT NULL,
    -- The criteria and their weights, as JSON: [{"key", "label", "weight"}].
    criteria TEXT NOT NULL,
    open_to_individuals BOOLEAN NOT NULL,
    open_to_unconstituted BOOLEAN NOT NULL,
    created_by UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX fund_rounds_by_closing ON fund_rounds (closes_at, id);

CREATE TABLE fund_panel_members (
    round_id UUID NOT NULL REFERENCES fund_rounds (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX fund_panel_members_by_user ON fund_panel_members (user_id);

-- Only ids, codes, amounts and dates in clear; who applied, how to reach and pay them and
-- their answers are in `sealed`, bound to the row. `group_id` names a group in the groups
-- register when there is one; no foreign key, as groups are kept apart.
CREATE TABLE fund_applications (
    id UUID PRIMARY KEY NOT NULL,
    round_id UUID NOT NULL REFERENCES fund_rounds (id) ON DELETE CASCADE,
    link_digest TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'awarded', 'declined')),
    kind TEXT NOT NULL CHECK (kind IN ('individual', 'unconstituted_group', 'constituted_group')),
    amount_pence BIGINT,
    route TEXT CHECK (route IN ('fast', 'panel')),
    group_id UUID,
    sealed BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    submitted_at TIMESTAMPTZ
);
CREATE INDEX fund_applications_by_round ON fund_applications (round_id, status, submitted_at);
CREATE INDEX fund_applications_by_group ON fund_applications (group_id);

-- One panel member's scores (JSON {criterion: 0..5}) or declared conflict, per application.
-- The conflict's reason is sealed: it may name the applicant.
CREATE TABLE fund_votes (
    application_id UUID NOT NULL REFERENCES fund_applications (id) ON DELETE CASCADE,
    member UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conflict BOOLEAN NOT NULL,
    scores TEXT,
    sealed BYTEA,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (application_id, member)
);

CREATE TABLE fund_decisions (
    application_id UUID PRIMARY KEY NOT NULL REFERENCES fund_applications (id) ON DELETE CASCADE,
    outcome TEXT NOT NULL CHECK (outcome IN ('awarded', 'declined')),
    amount_pence BIGINT,
    -- The reasons, sealed: they speak of the applicant.
    sealed BYTEA NOT NULL,
    decided_by UUID REFERENCES users (id) ON DELETE SET NULL,
    decided_at TIMESTAMPTZ NOT NULL,
    awarded_on TEXT,
    monitoring_due TEXT,
    monitoring_link_digest TEXT UNIQUE,
    monitoring_reminded_at TIMESTAMPTZ,
    monitoring_sealed BYTEA,
    monitoring_at TIMESTAMPTZ,
    group_id UUID
);
CREATE INDEX fund_decisions_by_monitoring ON fund_decisions (monitoring_due)
    WHERE outcome = 'awarded';
CREATE INDEX fund_decisions_awards ON fund_decisions (outcome, application_id);

CREATE TABLE fund_payments (
    id UUID PRIMARY KEY NOT NULL,
    application_id UUID NOT NULL REFERENCES fund_decisions (application_id) ON DELETE CASCADE,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    paid_on TEXT NOT NULL,
    reference TEXT NOT NULL,
    recorded_by UUID REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX fund_payments_by_award ON fund_payments (application_id, paid_on);
