-- Local Connectors: sign-ups, training sessions and their bookings, trained connectors and
-- their postcard codes, anonymous conversation logs, postcard visits. Same tables as the
-- SQLite migration of the same name, in PostgreSQL's types.

-- People who asked to become a Local Connector, before any training.
CREATE TABLE connector_sign_ups (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    area TEXT NOT NULL,
    heard_from TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX connector_sign_ups_by_time ON connector_sign_ups (created_at);

CREATE TABLE training_sessions (
    id UUID PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('connector', 'refresher', 'joint')),
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ NOT NULL,
    place TEXT,
    online_link TEXT,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    trainer TEXT NOT NULL,
    created_by UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX training_sessions_by_start ON training_sessions (starts_at, id);

CREATE TABLE training_bookings (
    id UUID PRIMARY KEY NOT NULL,
    session_id UUID NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organization TEXT,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled', 'attended')),
    booked_at TIMESTAMPTZ NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    -- SHA-256 of the cancel link's token; the token itself is only in the email
    cancel_digest TEXT NOT NULL UNIQUE,
    -- the queued reminder email, removed if the booking is cancelled first
    reminder_job UUID,
    -- the account invited after attending connector training
    invited_user UUID REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX training_bookings_by_session ON training_bookings (session_id, status, booked_at, id);
-- One live booking per address per session.
CREATE UNIQUE INDEX training_bookings_one_per_email ON training_bookings (session_id, email)
    WHERE status <> 'cancelled';

-- Trained connectors: their postcard code and when they last trained.
CREATE TABLE connectors (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE,
    trained_on DATE NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- A conversation as a connector logged it: no name, no contact, nothing about a person.
CREATE TABLE connector_conversations (
    id UUID PRIMARY KEY NOT NULL,
    connector_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    on_date DATE NOT NULL,
    area TEXT NOT NULL,
    -- what was done, as codes separated by commas
    done TEXT NOT NULL,
    -- how many of those were offers of help (everything beyond listening)
    offers BIGINT NOT NULL,
    handed_off BOOLEAN NOT NULL,
    service_id UUID,
    logged_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX connector_conversations_by_date ON connector_conversations (on_date, connector_id);
CREATE INDEX connector_conversations_by_connector ON connector_conversations (connector_id, on_date);

-- The needs each conversation touched, with its month, for "needs raised by month".
CREATE TABLE connector_conversation_needs (
    conversation_id UUID NOT NULL REFERENCES connector_conversations (id) ON DELETE CASCADE,
    need TEXT NOT NULL,
    connector_id UUID NOT NULL,
    -- 'YYYY-MM'
    month TEXT NOT NULL,
    PRIMARY KEY (conversation_id, need)
);
CREATE INDEX connector_conversation_needs_by_month ON connector_conversation_needs (month, need);
CREATE INDEX connector_conversation_needs_by_connector ON connector_conversation_needs (connector_id, month);

-- Visits through a postcard's code, counted per code and day: no cookie, no address.
CREATE TABLE postcard_visits (
    code TEXT NOT NULL,
    day DATE NOT NULL,
    visits BIGINT NOT NULL,
    PRIMARY KEY (code, day)
);
