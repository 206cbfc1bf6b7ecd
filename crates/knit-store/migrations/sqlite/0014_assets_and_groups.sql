-- Community assets (spaces, vehicles, equipment, people's offers of skills and time), their
-- booking requests, ideas for groups and the groups themselves. Same tables as the
-- PostgreSQL migration of the same name; conventions as 0002 (uuid TEXT ids, RFC 3339 UTC
-- text times, INTEGER 0/1 flags). A person's offer, a requester's details and an idea's
-- author are in `sealed` columns, as casework is (0004).

CREATE TABLE assets (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('space', 'vehicle', 'equipment', 'offer')),
    -- NULL: a person's offer, managed by place leads.
    owner_org TEXT,
    -- The public facts (knit_domain::assets::AssetDetails) as JSON.
    details TEXT NOT NULL,
    -- A person's offer (knit_domain::assets::PersonalOffer), sealed.
    sealed BLOB,
    -- Shown on the public site: always for an organisation's asset, by choice for an offer.
    public INTEGER NOT NULL,
    capacity INTEGER,
    accessible INTEGER NOT NULL,
    free INTEGER NOT NULL,
    -- Weekly windows and exceptions (knit_domain::assets::Availability) as JSON.
    availability TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX assets_by_kind ON assets (kind, id);
CREATE INDEX assets_by_owner ON assets (owner_org, id);

CREATE TABLE asset_bookings (
    id TEXT PRIMARY KEY NOT NULL,
    asset_id TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    -- Every occurrence of one request shares its series; a request that does not repeat is
    -- a series of one.
    series_id TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'declined', 'cancelled')),
    people INTEGER NOT NULL,
    -- Who asked and what for (knit_domain::assets::Requester), sealed.
    sealed BLOB NOT NULL,
    reason TEXT,
    requested_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    reminded_at TEXT
);
CREATE INDEX asset_bookings_by_asset ON asset_bookings (asset_id, starts_at);
CREATE INDEX asset_bookings_by_series ON asset_bookings (series_id, starts_at);
CREATE INDEX asset_bookings_by_status ON asset_bookings (status, requested_at);

CREATE TABLE group_ideas (
    id TEXT PRIMARY KEY NOT NULL,
    -- The resident's name, contact and idea (knit_domain::groups::GroupIdea), sealed.
    sealed BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'taken')),
    created_at TEXT NOT NULL,
    taken_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    taken_at TEXT
);
CREATE INDEX group_ideas_by_status ON group_ideas (status, created_at);

CREATE TABLE community_groups (
    id TEXT PRIMARY KEY NOT NULL,
    idea_id TEXT REFERENCES group_ideas (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    -- The group's record (knit_domain::groups::GroupRecord) as JSON: public once published.
    record TEXT NOT NULL,
    venue_booking TEXT REFERENCES asset_bookings (id) ON DELETE SET NULL,
    -- The directory service it is published as.
    service_id TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    published_at TEXT
);
CREATE INDEX community_groups_by_status ON community_groups (status, updated_at);
