-- Casework: requests for help waiting in the coordinators' queue, the people coordinators
-- support, their consents, needs, plan steps, wellbeing measures and timeline, and
-- referrals with every change of state. Same conventions as 0001:
-- ids are uuid TEXT, times RFC 3339 UTC text, dates YYYY-MM-DD text.
--
-- Everything a person told us is in `sealed` columns: AES-256-GCM under a key kept in a
-- file outside the database (see knit_store::sealing), bound to its table, column and row.
-- The clear columns hold only ids, codes, times and dates: what queues, caseloads, inboxes,
-- reminders and counts need, and what survives an erasure.

CREATE TABLE intakes (
    id TEXT PRIMARY KEY NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('call_back', 'professional', 'connector', 'coordinator')),
    priority TEXT NOT NULL CHECK (priority IN ('urgent', 'soon', 'later')),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'opened', 'closed', 'erased')),
    sealed BLOB,
    created_at TEXT NOT NULL,
    created_by TEXT,
    person_id TEXT,
    decided_at TEXT,
    decided_by TEXT
);
-- The triage queue: waiting requests, urgent first, oldest first.
CREATE INDEX intakes_queue ON intakes (status, priority, created_at);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'erased')),
    coordinator TEXT,
    sealed BLOB,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX people_caseload ON people (coordinator, status);
-- Closed cases past their retention period, oldest first.
CREATE INDEX people_closed ON people (status, closed_at);

CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    scope TEXT NOT NULL CHECK (scope IN ('keep_record', 'share_with')),
    organization_id TEXT,
    -- the purpose, in words
    sealed BLOB,
    method TEXT NOT NULL,
    recorded_by TEXT,
    recorded_at TEXT NOT NULL,
    -- YYYY-MM-DD
    expires TEXT,
    withdrawn_at TEXT,
    withdrawn_by TEXT
);
CREATE INDEX consents_by_person ON consents (person_id, recorded_at);

CREATE TABLE person_needs (
    person_id TEXT NOT NULL REFERENCES people (id),
    need TEXT NOT NULL,
    priority TEXT NOT NULL CHECK (priority IN ('urgent', 'soon', 'later')),
    -- the coordinator's note on the need
    sealed BLOB,
    outcome TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY (person_id, need)
);

CREATE TABLE plan_steps (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL,
    -- what, where, who goes
    sealed BLOB,
    -- YYYY-MM-DD
    due TEXT,
    done_at TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT
);
CREATE INDEX plan_steps_by_person ON plan_steps (person_id, created_at);
-- Overdue follow-ups across a caseload.
CREATE INDEX plan_steps_open ON plan_steps (done_at, due);

CREATE TABLE wellbeing_measures (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    kind TEXT NOT NULL CHECK (kind IN ('ons4', 'swemwbs')),
    stage TEXT NOT NULL CHECK (stage IN ('start', 'review', 'end')),
    -- the answers
    sealed BLOB,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT
);
CREATE INDEX wellbeing_by_person ON wellbeing_measures (person_id, recorded_at);

CREATE TABLE case_events (
    person_id TEXT NOT NULL REFERENCES people (id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT,
    kind TEXT NOT NULL,
    -- what happened, in words
    sealed BLOB,
    PRIMARY KEY (person_id, seq)
);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES people (id),
    service_id TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    result TEXT,
    -- what the person agreed to share with the organisation; emptied when consent is
    -- withdrawn or the person erased
    sealed BLOB,
    referred_by TEXT,
    -- the organisation that referred onward, when it was one
    from_organization_id TEXT,
    parent_id TEXT REFERENCES referrals (id),
    sent_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- how far chasing an unanswered referral has gone: 'reminded', 'escalated'
    chased TEXT
);
-- An organisation's inbox, newest first.
CREATE INDEX referrals_inbox ON referrals (organization_id, status, sent_at);
CREATE INDEX referrals_by_person ON referrals (person_id, sent_at);
-- Unanswered referrals to chase.
CREATE INDEX referrals_waiting ON referrals (status, sent_at);

CREATE TABLE referral_events (
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT,
    side TEXT NOT NULL CHECK (side IN ('referrer', 'receiver', 'system')),
    -- a move's code, or 'message'
    kind TEXT NOT NULL,
    -- the status after this event
    status TEXT NOT NULL,
    -- a message or note, when there was one
    sealed BLOB,
    PRIMARY KEY (referral_id, seq)
);
