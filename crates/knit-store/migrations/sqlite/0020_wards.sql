-- Electoral wards with their centres and local authorities (`knit import wards`), so the
-- agency map can count by ward or authority. Same table as the PostgreSQL migration of the
-- same name.
CREATE TABLE wards (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    authority_code TEXT NOT NULL,
    authority TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL
) WITHOUT ROWID;
