-- The directory in the Open Referral HSDS 3.0 vocabulary, one table per HSDS table.
-- Ids are lowercase hyphenated uuids as TEXT; timestamps are RFC 3339 text in UTC with
-- nine fractional digits, so text order is time order; dates are YYYY-MM-DD text.
-- Child rows keep their place in the service (`position`) so lists read back in order,
-- and are keyed by (owner, position) WITHOUT ROWID so a batch of services reads as a
-- few range scans. Each child also keeps the owner id exactly as the record gave it
-- (`stated_*`), which may be absent.

CREATE TABLE organizations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    name_lower TEXT NOT NULL,
    alternate_name TEXT,
    description TEXT,
    email TEXT,
    website TEXT,
    legal_status TEXT,
    year_incorporated INTEGER,
    logo TEXT,
    uri TEXT
) WITHOUT ROWID;
CREATE INDEX organizations_by_name ON organizations (name_lower, id);

CREATE TABLE services (
    id TEXT PRIMARY KEY NOT NULL,
    organization_id TEXT NOT NULL,
    -- whether the record carried its organisation nested inside it
    embeds_organization INTEGER NOT NULL,
    name TEXT NOT NULL,
    alternate_name TEXT,
    description TEXT,
    url TEXT,
    email TEXT,
    status TEXT NOT NULL,
    interpretation_services TEXT,
    application_process TEXT,
    fees_description TEXT,
    eligibility_description TEXT,
    minimum_age INTEGER,
    maximum_age INTEGER,
    alert TEXT,
    assured_date TEXT,
    last_modified TEXT,
    -- The whole service as HSDS JSON, assembled from the rows above and the shared
    -- organisation, locations and terms, rewritten whenever any of them changes: reading
    -- the directory is then one value per service.
    document TEXT NOT NULL
);
CREATE INDEX services_by_organization ON services (organization_id, id);
CREATE INDEX services_by_last_modified ON services (last_modified);

CREATE TABLE locations (
    id TEXT PRIMARY KEY NOT NULL,
    location_type TEXT NOT NULL,
    url TEXT,
    name TEXT,
    description TEXT,
    transportation TEXT,
    latitude REAL,
    longitude REAL,
    confidential INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE addresses (
    location_id TEXT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_location_id TEXT,
    attention TEXT,
    address_1 TEXT NOT NULL,
    address_2 TEXT,
    city TEXT NOT NULL,
    region TEXT,
    state_province TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    country TEXT NOT NULL,
    address_type TEXT NOT NULL,
    PRIMARY KEY (location_id, position)
) WITHOUT ROWID;

CREATE TABLE accessibility (
    location_id TEXT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_location_id TEXT,
    description TEXT,
    details TEXT,
    url TEXT,
    PRIMARY KEY (location_id, position)
) WITHOUT ROWID;

CREATE TABLE taxonomy_terms (
    id TEXT PRIMARY KEY NOT NULL,
    code TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    parent_id TEXT,
    taxonomy TEXT,
    taxonomy_id TEXT,
    vocabulary TEXT,
    term_uri TEXT
) WITHOUT ROWID;

CREATE TABLE phones (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    contact_id TEXT,
    number TEXT NOT NULL,
    extension TEXT,
    kind TEXT,
    description TEXT,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;

CREATE TABLE schedules (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    valid_from TEXT,
    valid_to TEXT,
    dtstart TEXT,
    until TEXT,
    freq TEXT,
    interval INTEGER,
    byday TEXT,
    bymonthday TEXT,
    -- minutes after midnight
    opens_at INTEGER,
    closes_at INTEGER,
    description TEXT,
    notes TEXT,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;

CREATE TABLE service_areas (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    name TEXT,
    description TEXT,
    uri TEXT,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;

CREATE TABLE service_at_locations (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    -- the location id as the record gave it
    location_id TEXT,
    -- the location the record carried nested inside it, if any
    embedded_location_id TEXT REFERENCES locations (id),
    description TEXT,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;
CREATE INDEX service_at_locations_by_location ON service_at_locations (embedded_location_id);

CREATE TABLE languages (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    name TEXT,
    code TEXT,
    note TEXT,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;

CREATE TABLE cost_options (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    valid_from TEXT,
    valid_to TEXT,
    option TEXT,
    currency TEXT,
    amount REAL,
    amount_description TEXT,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;

CREATE TABLE contacts (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    name TEXT,
    title TEXT,
    department TEXT,
    email TEXT,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;

CREATE TABLE contact_phones (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    contact_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    stated_service_id TEXT,
    contact_id TEXT,
    number TEXT NOT NULL,
    extension TEXT,
    kind TEXT,
    description TEXT,
    PRIMARY KEY (service_id, contact_position, position)
) WITHOUT ROWID;

CREATE TABLE attributes (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    link_id TEXT,
    link_type TEXT,
    link_entity TEXT,
    taxonomy_term_id TEXT NOT NULL,
    value TEXT,
    -- whether the record carried the term nested inside it
    embeds_term INTEGER NOT NULL,
    PRIMARY KEY (service_id, position)
) WITHOUT ROWID;
CREATE INDEX attributes_by_term ON attributes (taxonomy_term_id);

-- Postcodes and their sector and district centroids; kind 0 full, 1 sector, 2 district.
CREATE TABLE postcodes (
    code TEXT PRIMARY KEY NOT NULL,
    kind INTEGER NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE places (
    name_lower TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL
) WITHOUT ROWID;

-- Kept when a service goes, so the place leads still see what was said about it.
CREATE TABLE problem_reports (
    id TEXT PRIMARY KEY NOT NULL,
    service_id TEXT NOT NULL,
    what TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    resolved INTEGER NOT NULL
);
CREATE INDEX problem_reports_by_time ON problem_reports (reported_at, id);
