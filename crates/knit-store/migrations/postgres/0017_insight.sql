-- Place insight (issue 15). See the SQLite migration of the same number for the why.
CREATE TABLE search_misses (
    month TEXT NOT NULL,
    words TEXT NOT NULL,
    area TEXT NOT NULL,
    need TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (month, words, area, need)
);

ALTER TABLE referrals ADD COLUMN answered_at TIMESTAMPTZ;
ALTER TABLE referrals ADD COLUMN closed_at TIMESTAMPTZ;
UPDATE referrals SET
    answered_at = (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = referrals.id
        AND e.side = 'receiver' AND e.status IN ('received', 'accepted', 'rejected')),
    closed_at = (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = referrals.id
        AND e.status IN ('completed', 'rejected', 'failed', 'cancelled'));
CREATE INDEX referrals_response ON referrals (sent_at, organization_id, from_organization_id,
    status, reason, answered_at, closed_at, service_id);
-- One organisation's response promise, on its public service pages.
CREATE INDEX referrals_promise ON referrals (organization_id, sent_at, answered_at);

CREATE INDEX person_needs_by_time ON person_needs (added_at, need, outcome);
CREATE INDEX people_by_opened ON people (opened_at, closed_at);
CREATE INDEX connector_conversations_by_area ON connector_conversations (area, on_date);
