-- How many requests one address made lately, for limiting the public forms that reach
-- staff (a call back, a professional's referral) without a cookie or an account.
CREATE INDEX audit_events_by_address ON audit_events (address, action, at);
