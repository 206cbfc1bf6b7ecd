-- Casework: requests for help waiting in the coordinators' queue, the people coordinators
-- support, their consents, needs, plan steps, wellbeing measures and timeline, and
-- referrals with every change of state. Same tables as the SQLite
-- migration of the same name, in PostgreSQL's types; dates stay YYYY-MM-DD text on both.
--
-- Everything a person told us is in `sealed` columns: AES-256-GCM under a key kept in a
-- file outside the database (see knit_store::sealing), bound to its table, column and row.
-- The clear columns hold only ids, codes, times and dates: what queues, caseloads, inboxes,
-- reminders and counts need, and what survives an erasure.

CREATE TABLE intakes (
    id UUID PRIMARY KEY NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('call_back', 'professional', 'connector', 'coordinator')),
    priority TEXT NOT NULL CHECK (priority IN ('urgent', 'soon', 'later')),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'opened', 'closed', 'erased')),
    sealed BYTEA,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID,
    person_id UUID,
    decided_at TIMESTAMPTZ,
    decided_by UUID
);
-- The triage queue: waiting requests, urgent first, oldest first.
CREATE INDEX intakes_queue ON intakes (status, priority, created_at);

CREATE TABLE people (
    id UUID PRIMARY KEY NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'erased')),
    coordinator UUID,
    sealed BYTEA,
    opened_at TIMESTAMPTZ NOT NULL,
    closed_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_caseload ON people (coordinator, status);
-- Closed cases past their retention period, oldest first.
CREATE INDEX people_closed ON people (status, closed_at);

CREATE TABLE consents (
    id UUID PRIMARY KEY NOT NULL,
    person_id UUID NOT NULL REFERENCES people (id),
    scope TEXT NOT NULL CHECK (scope IN ('keep_record', 'share_with')),
    organization_id UUID,
    -- the purpose, in words
    sealed BYTEA,
    method TEXT NOT NULL,
    recorded_by UUID,
    recorded_at TIMESTAMPTZ NOT NULL,
    -- YYYY-MM-DD
    expires TEXT,
    withdrawn_at TIMESTAMPTZ,
    withdrawn_by UUID
);
CREATE INDEX consents_by_person ON consents (person_id, recorded_at);

CREATE TABLE person_needs (
    person_id UUID NOT NULL REFERENCES people (id),
    need TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('urgent', 'soon', 'later')),
    -- the coordinator's note on the need
    sealed BYTEA,
    outcome TEXT,
    added_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (person_id, need)
);

CREATE TABLE plan_steps (
    id UUID PRIMARY KEY NOT NULL,
    person_id UUID NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    -- what, where, who goes
    sealed BYTEA,
    -- YYYY-MM-DD
    due TEXT,
    done_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    created_by UUID
);
CREATE INDEX plan_steps_by_person ON plan_steps (person_id, created_at);
-- Overdue follow-ups across a caseload.
CREATE INDEX plan_steps_open ON plan_steps (done_at, due);

CREATE TABLE wellbeing_measures (
    id UUID PRIMARY KEY NOT NULL,
    person_id UUID NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('ons4', 'swemwbs')),
    stage TEXT NOT NULL CHECK (stage IN ('start', 'review', 'end')),
    -- the answers
    sealed BYTEA,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by UUID
);
CREATE INDEX wellbeing_by_person ON wellbeing_measures (person_id, recorded_at);

CREATE TABLE case_events (
    person_id UUID NOT NULL REFERENCES people (id),
    seq BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    by_user UUID,
    kind TEXT NOT NULL,
    -- what happened, in words
    sealed BYTEA,
    PRIMARY KEY (person_id, seq)
);

CREATE TABLE referrals (
    id UUID PRIMARY KEY NOT NULL,
    person_id UUID NOT NULL REFERENCES people (id),
    service_id UUID NOT NULL,
    organization_id UUID NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    result TEXT,
    -- what the person agreed to share with the organisation; emptied when consent is
    -- withdrawn or the person erased
    sealed BYTEA,
    referred_by UUID,
    -- the organisation that referred onward, when it was one
    from_organization_id UUID,
    parent_id UUID REFERENCES referrals (id),
    sent_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    -- how far chasing an unanswered referral has gone: 'reminded', 'escalated'
    chased TEXT
);
-- An organisation's inbox, newest first.
CREATE INDEX referrals_inbox ON referrals (organization_id, status, sent_at);
CREATE INDEX referrals_by_person ON referrals (person_id, sent_at);
-- Unanswered referrals to chase.
CREATE INDEX referrals_waiting ON referrals (status, sent_at);

CREATE TABLE referral_events (
    referral_id UUID NOT NULL REFERENCES referrals (id),
    seq BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    by_user UUID,
    side TEXT NOT NULL CHECK (side IN ('referrer', 'receiver', 'system')),
    -- a move's code, or 'message'
    kind TEXT NOT NULL,
    -- the status after this event
    status TEXT NOT NULL,
    -- a message or note, when there was one
    sealed BYTEA,
    PRIMARY KEY (referral_id, seq)
);
