-- Volunteer match events. Same tables as the SQLite migration of the same name, in
-- PostgreSQL's types. An event is a training session of a new kind, so its seats, waiting
-- list, reminders and register are training's.
ALTER TABLE training_sessions DROP CONSTRAINT training_sessions_kind_check;
ALTER TABLE training_sessions ADD CONSTRAINT training_sessions_kind_check
    CHECK (kind IN ('connector', 'refresher', 'joint', 'match_event'));

-- What is the event's own: when the place leads were told how its meetings went.
CREATE TABLE match_events (
    session_id UUID PRIMARY KEY NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
    followed_up_at TIMESTAMPTZ
);
CREATE INDEX match_events_to_follow_up ON match_events (followed_up_at);

-- The organisations coming to meet volunteers.
CREATE TABLE match_event_organizations (
    session_id UUID NOT NULL REFERENCES match_events (session_id) ON DELETE CASCADE,
    organization_id UUID NOT NULL,
    PRIMARY KEY (session_id, organization_id)
);

-- Who met whom. A meeting about a role made an offer to volunteer for it (`interest_id`),
-- whose outcome is the meeting's follow-up. The volunteer's name is the booking's.
CREATE TABLE match_event_meetings (
    id UUID PRIMARY KEY NOT NULL,
    session_id UUID NOT NULL REFERENCES match_events (session_id) ON DELETE CASCADE,
    booking_id UUID NOT NULL REFERENCES training_bookings (id) ON DELETE CASCADE,
    organization_id UUID NOT NULL,
    interest_id UUID REFERENCES volunteer_interests (id),
    recorded_by UUID,
    recorded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (booking_id, organization_id)
);
CREATE INDEX match_event_meetings_by_event ON match_event_meetings (session_id, recorded_at);
