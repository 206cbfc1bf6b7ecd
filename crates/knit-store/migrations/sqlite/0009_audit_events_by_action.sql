-- Place leads filter the audit log by what was done, newest first.
CREATE INDEX audit_events_by_action ON audit_events (action, seq);
