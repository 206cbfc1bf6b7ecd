-- Place insight (issue 15).
--
-- Searches that found nothing, counted by normalised words, area (a postcode district or
-- sector, never a full postcode), the need the matcher heard, and month: no person, no
-- address, no session. Kept twelve months (knit_web::insight::misses purges them).
CREATE TABLE search_misses (
    month TEXT NOT NULL,
    words TEXT NOT NULL,
    area TEXT NOT NULL,
    need TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (month, words, area, need)
) WITHOUT ROWID;

-- When the organisation first answered a referral (opened, accepted or turned it down) and
-- when it reached an outcome (completed, turned down, could not contact, cancelled), kept
-- on the referral so response times are one range scan. Filled from the history.
ALTER TABLE referrals ADD COLUMN answered_at TEXT;
ALTER TABLE referrals ADD COLUMN closed_at TEXT;
UPDATE referrals SET
    answered_at = (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = referrals.id
        AND e.side = 'receiver' AND e.status IN ('received', 'accepted', 'rejected')),
    closed_at = (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = referrals.id
        AND e.status IN ('completed', 'rejected', 'failed', 'cancelled'));
-- Every figure about the network's response reads this index alone.
CREATE INDEX referrals_response ON referrals (sent_at, organization_id, from_organization_id,
    status, reason, answered_at, closed_at, service_id);
-- One organisation's response promise, on its public service pages.
CREATE INDEX referrals_promise ON referrals (organization_id, sent_at, answered_at);

-- Needs raised in casework, by when they were raised.
CREATE INDEX person_needs_by_time ON person_needs (added_at, need, outcome);
-- People supported in a period.
CREATE INDEX people_by_opened ON people (opened_at, closed_at);
-- Conversations by area, for the agency map's demand.
CREATE INDEX connector_conversations_by_area ON connector_conversations (area, on_date);
