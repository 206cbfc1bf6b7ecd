-- no-transaction
-- Volunteer match events. Same tables as the PostgreSQL migration of the same name;
-- conventions as 0016.
--
-- An event is a training session of a new kind, so its seats, waiting list, reminders and
-- register are training's. SQLite cannot change a CHECK constraint in place, so
-- training_sessions is rebuilt with the new kind, as SQLite's documentation sets out for
-- any change ALTER TABLE cannot make. Foreign keys must be off while the old table is
-- dropped, or dropping it would delete every booking with it; that setting cannot change
-- inside a transaction, so this migration runs outside sqlx's and opens its own. Each
-- statement can run again, should a crash come between this commit and sqlx noting it.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

DROP TABLE IF EXISTS training_sessions_rebuilt;
CREATE TABLE training_sessions_rebuilt (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('connector', 'refresher', 'joint', 'match_event')),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    place TEXT,
    online_link TEXT,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    trainer TEXT NOT NULL,
    created_by TEXT REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
INSERT INTO training_sessions_rebuilt (id, title, kind, starts_at, ends_at, place,
    online_link, capacity, trainer, created_by, created_at)
SELECT id, title, kind, starts_at, ends_at, place, online_link, capacity, trainer,
    created_by, created_at
FROM training_sessions;
DROP TABLE training_sessions;
ALTER TABLE training_sessions_rebuilt RENAME TO training_sessions;
CREATE INDEX training_sessions_by_start ON training_sessions (starts_at, id);

-- What is the event's own: when the place leads were told how its meetings went.
CREATE TABLE IF NOT EXISTS match_events (
    session_id TEXT PRIMARY KEY NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    followed_up_at TEXT
);
CREATE INDEX IF NOT EXISTS match_events_to_follow_up ON match_events (followed_up_at);

-- The organisations coming to meet volunteers.
CREATE TABLE IF NOT EXISTS match_event_organizations (
    session_id TEXT NOT NULL REFERENCES match_events (session_id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    PRIMARY KEY (session_id, organization_id)
);

-- Who met whom. A meeting about a role made an offer to volunteer for it (`interest_id`),
-- whose outcome is the meeting's follow-up. The volunteer's name is the booking's.
CREATE TABLE IF NOT EXISTS match_event_meetings (
    id TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES match_events (session_id) ON DELETE CASCADE,
    booking_id TEXT NOT NULL REFERENCES training_bookings (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    interest_id TEXT REFERENCES volunteer_interests (id),
    recorded_by TEXT,
    recorded_at TEXT NOT NULL,
    UNIQUE (booking_id, organization_id)
);
CREATE INDEX IF NOT EXISTS match_event_meetings_by_event
    ON match_event_meetings (session_id, recorded_at);

COMMIT;
PRAGMA foreign_keys = ON;
