-- Reminders that a listing needs checking, each sent once: per service, per date it was
-- last checked (a new check starts a new cycle), per stage ('reminder' to the organisation
-- at 6 months, 'flag' to place leads at 12). '' stands for "never checked".
CREATE TABLE listing_reminders (
    service_id UUID NOT NULL,
    checked_on TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('reminder', 'flag')),
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service_id, checked_on, stage)
);
