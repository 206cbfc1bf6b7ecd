-- Volunteering, activities and peer connection. Same conventions as 0004: ids are uuid
-- TEXT, times RFC 3339 UTC text, INTEGER 0/1 flags.
--
-- A role's words are public and kept as the JSON of its plan. What a volunteer or a person
-- told us is in `sealed` columns (see knit_store::sealing), bound to its table and row; the
-- clear columns hold only ids, codes and times: what the chaser, the inboxes and the
-- "usually replies in" figure need.

CREATE TABLE volunteer_opportunities (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL,
    organization_name TEXT NOT NULL,
    plan TEXT NOT NULL,
    lat REAL,
    lon REAL,
    open INTEGER NOT NULL,
    posted_by TEXT,
    posted_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX volunteer_opportunities_by_organization
    ON volunteer_opportunities (organization_id, posted_at);
CREATE INDEX volunteer_opportunities_changed ON volunteer_opportunities (changed_at);

CREATE TABLE volunteer_interests (
    id TEXT PRIMARY KEY NOT NULL,
    opportunity_id TEXT NOT NULL REFERENCES volunteer_opportunities (id),
    organization_id TEXT NOT NULL,
    sealed BLOB NOT NULL,
    person_id TEXT,
    referred_by TEXT,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'contacted', 'placed', 'not_suitable', 'withdrew')),
    reason BLOB,
    chased TEXT CHECK (chased IN ('reminded', 'escalated')),
    sent_at TEXT NOT NULL,
    answered_at TEXT,
    changed_at TEXT NOT NULL
);
-- The chaser: unanswered offers, oldest first.
CREATE INDEX volunteer_interests_waiting ON volunteer_interests (status, sent_at);
-- An organisation's inbox and its "usually replies in" figure.
CREATE INDEX volunteer_interests_by_organization ON volunteer_interests (organization_id, sent_at);
CREATE INDEX volunteer_interests_by_person ON volunteer_interests (person_id);

CREATE TABLE activity_hubs (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    description TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT,
    hub_id TEXT REFERENCES activity_hubs (id),
    plan TEXT NOT NULL,
    feed TEXT,
    feed_uid TEXT,
    created_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX activities_by_hub ON activities (hub_id);
CREATE INDEX activities_by_organization ON activities (organization_id);
-- Importing a feed again updates its events rather than adding them twice.
CREATE UNIQUE INDEX activities_from_feed ON activities (feed, feed_uid);

CREATE TABLE peer_opt_ins (
    person_id TEXT PRIMARY KEY NOT NULL REFERENCES people (id),
    sealed BLOB NOT NULL,
    recorded_by TEXT NOT NULL,
    opted_in_at TEXT NOT NULL,
    withdrawn_at TEXT
);

CREATE TABLE introductions (
    id TEXT PRIMARY KEY NOT NULL,
    first_person TEXT NOT NULL REFERENCES people (id),
    second_person TEXT NOT NULL REFERENCES people (id),
    coordinator TEXT NOT NULL,
    first_answer TEXT NOT NULL CHECK (first_answer IN ('waiting', 'yes', 'no')),
    second_answer TEXT NOT NULL CHECK (second_answer IN ('waiting', 'yes', 'no')),
    stopped INTEGER NOT NULL,
    proposed_at TEXT NOT NULL,
    changed_at TEXT NOT NULL
);
CREATE INDEX introductions_first ON introductions (first_person);
CREATE INDEX introductions_second ON introductions (second_person);

-- A person's strengths (skills, passions, what they'd give, when they're free), sealed.
CREATE TABLE strengths_profiles (
    person_id TEXT PRIMARY KEY NOT NULL REFERENCES people (id),
    sealed BLOB NOT NULL,
    recorded_by TEXT,
    recorded_at TEXT NOT NULL
);
