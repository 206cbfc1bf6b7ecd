-- Electoral wards with their centres and local authorities (`knit import wards`), so the
-- agency map can count by ward or authority. Same table as the SQLite migration of the
-- same name.
CREATE TABLE wards (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    authority_code TEXT NOT NULL,
    authority TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL
);
