-- Community assets (spaces, vehicles, equipment, people's offers of skills and time), their
-- booking requests, ideas for groups and the groups themselves. Same tables as the
-- SQLite migration of the same name, in PostgreSQL's types.
-- A person's offer, a requester's details and an idea's
-- author are in `sealed` columns, as casework is (0004).

CREATE TABLE assets (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('space', 'vehicle', 'equipment', 'offer')),
    -- NULL: a person's offer, managed by place leads.
    owner_org UUID,
    -- The public facts (knit_domain::assets::AssetDetails) as JSON.
    details TEXT NOT NULL,
    -- A person's offer (knit_domain::assets::PersonalOffer), sealed.
    sealed BYTEA,
    -- Shown on the public site: always for an organisation's asset, by choice for an offer.
    public BOOLEAN NOT NULL,
    capacity BIGINT,
    accessible BOOLEAN NOT NULL,
    free BOOLEAN NOT NULL,
    -- Weekly windows and exceptions (knit_domain::assets::Availability) as JSON.
    availability TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX assets_by_kind ON assets (kind, id);
CREATE INDEX assets_by_owner ON assets (owner_org, id);

CREATE TABLE asset_bookings (
    id UUID PRIMARY KEY NOT NULL,
    asset_id UUID NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    -- Every occurrence of one request shares its series; a request that does not repeat is
    -- a series of one.
    series_id UUID NOT NULL,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('requested', 'approved', 'declined', 'cancelled')),
    people BIGINT NOT NULL,
    -- Who asked and what for (knit_domain::assets::Requester), sealed.
    sealed BYTEA NOT NULL,
    reason TEXT,
    requested_at TIMESTAMPTZ NOT NULL,
    decided_at TIMESTAMPTZ,
    decided_by UUID REFERENCES users (id) ON DELETE SET NULL,
    reminded_at TIMESTAMPTZ
);
CREATE INDEX asset_bookings_by_asset ON asset_bookings (asset_id, starts_at);
CREATE INDEX asset_bookings_by_series ON asset_bookings (series_id, starts_at);
CREATE INDEX asset_bookings_by_status ON asset_bookings (status, requested_at);

CREATE TABLE group_ideas (
    id UUID PRIMARY KEY NOT NULL,
    -- The resident's name, contact and idea (knit_domain::groups::GroupIdea), sealed.
    sealed BYTEA NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('new', 'taken')),
    created_at TIMESTAMPTZ NOT NULL,
    taken_by UUID REFERENCES users (id) ON DELETE SET NULL,
    taken_at TIMESTAMPTZ
);
CREATE INDEX group_ideas_by_status ON group_ideas (status, created_at);

CREATE TABLE community_groups (
    id UUID PRIMARY KEY NOT NULL,
    idea_id UUID REFERENCES group_ideas (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    -- The group's record (knit_domain::groups::GroupRecord) as JSON: public once published.
    record TEXT NOT NULL,
    venue_booking UUID REFERENCES asset_bookings (id) ON DELETE SET NULL,
    -- The directory service it is published as.
    service_id UUID NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    published_at TIMESTAMPTZ
);
CREATE INDEX community_groups_by_status ON community_groups (status, updated_at);
