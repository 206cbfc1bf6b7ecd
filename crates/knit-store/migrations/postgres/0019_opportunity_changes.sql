-- A counter of changes to volunteer roles, bumped in the transaction of each change, so
-- every instance can tell its search of roles is stale with one read. The count and the
-- latest change time it replaces would miss a change stamped earlier than the latest (by
-- another instance's clock, say). Same table as the SQLite migration of the same name.
CREATE TABLE opportunity_changes (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO opportunity_changes (id, version)
SELECT 1, COUNT(*) FROM volunteer_opportunities;
