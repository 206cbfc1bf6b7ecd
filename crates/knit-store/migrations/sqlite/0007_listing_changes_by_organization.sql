-- What happened to an organisation's proposals, newest first, for its staff.
CREATE INDEX listing_changes_by_organization ON listing_changes (organization_id, proposed_at);
