-- The directory in the Open Referral HSDS 3.0 vocabulary, one table per HSDS table; the
-- same shape as the SQLite schema, in PostgreSQL's own types (uuid, date, timestamptz).
-- Child rows keep their place in the service (`position`) so lists read back in order,
-- keyed by (owner, position). Each child also keeps the owner id exactly as the record
-- gave it (`stated_*`), which may be absent.

CREATE TABLE organizations (
    id UUID PRIMARY KEY NOT NULL,
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
);
CREATE INDEX organizations_by_name ON organizations (name_lower, id);

CREATE TABLE services (
    id UUID PRIMARY KEY NOT NULL,
    organization_id UUID NOT NULL,
    -- whether the record carried its organisation nested inside it
    embeds_organization BOOLEAN NOT NULL,
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
    assured_date DATE,
    last_modified TIMESTAMPTZ,
    -- The whole service as HSDS JSON, assembled from the rows above and the shared
    -- organisation, locations and terms, rewritten whenever any of them changes: reading
    -- the directory is then one value per service.
    document TEXT NOT NULL
);
CREATE INDEX services_by_organization ON services (organization_id, id);
CREATE INDEX services_by_last_modified ON services (last_modified);

CREATE TABLE locations (
    id UUID PRIMARY KEY NOT NULL,
    location_type TEXT NOT NULL,
    url TEXT,
    name TEXT,
    description TEXT,
    transportation TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    confidential BOOLEAN NOT NULL
);

CREATE TABLE addresses (
    location_id UUID NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_location_id UUID,
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
);

CREATE TABLE accessibility (
    location_id UUID NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_location_id UUID,
    description TEXT,
    details TEXT,
    url TEXT,
    PRIMARY KEY (location_id, position)
);

CREATE TABLE taxonomy_terms (
    id UUID PRIMARY KEY NOT NULL,
    code TEXT,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    parent_id UUID,
    taxonomy TEXT,
    taxonomy_id UUID,
    vocabulary TEXT,
    term_uri TEXT
);

CREATE TABLE phones (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    contact_id UUID,
    number TEXT NOT NULL,
    extension TEXT,
    kind TEXT,
    description TEXT,
    PRIMARY KEY (service_id, position)
);

CREATE TABLE schedules (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    valid_from DATE,
    valid_to DATE,
    dtstart DATE,
    until DATE,
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
);

CREATE TABLE service_areas (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    name TEXT,
    description TEXT,
    uri TEXT,
    PRIMARY KEY (service_id, position)
);

CREATE TABLE service_at_locations (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    -- the location id as the record gave it
    location_id UUID,
    -- the location the record carried nested inside it, if any
    embedded_location_id UUID REFERENCES locations (id),
    description TEXT,
    PRIMARY KEY (service_id, position)
);
CREATE INDEX service_at_locations_by_location ON service_at_locations (embedded_location_id);

CREATE TABLE languages (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    name TEXT,
    code TEXT,
    note TEXT,
    PRIMARY KEY (service_id, position)
);

CREATE TABLE cost_options (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    valid_from DATE,
    valid_to DATE,
    option TEXT,
    currency TEXT,
    amount DOUBLE PRECISION,
    amount_description TEXT,
    PRIMARY KEY (service_id, position)
);

CREATE TABLE contacts (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    name TEXT,
    title TEXT,
    department TEXT,
    email TEXT,
    PRIMARY KEY (service_id, position)
);

CREATE TABLE contact_phones (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    contact_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    stated_service_id UUID,
    contact_id UUID,
    number TEXT NOT NULL,
    extension TEXT,
    kind TEXT,
    description TEXT,
    PRIMARY KEY (service_id, contact_position, position)
);

CREATE TABLE attributes (
    service_id UUID NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    id UUID NOT NULL UNIQUE,
    link_id UUID,
    link_type TEXT,
    link_entity TEXT,
    taxonomy_term_id UUID NOT NULL,
    value TEXT,
    -- whether the record carried the term nested inside it
    embeds_term BOOLEAN NOT NULL,
    PRIMARY KEY (service_id, position)
);
CREATE INDEX attributes_by_term ON attributes (taxonomy_term_id);

-- Postcodes and their sector and district centroids; kind 0 full, 1 sector, 2 district.
CREATE TABLE postcodes (
    code TEXT PRIMARY KEY NOT NULL,
    kind SMALLINT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL
);

CREATE TABLE places (
    name_lower TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL
);

-- Kept when a service goes, so the place leads still see what was said about it.
CREATE TABLE problem_reports (
    id UUID PRIMARY KEY NOT NULL,
    service_id UUID NOT NULL,
    what TEXT NOT NULL,
    reported_at TIMESTAMPTZ NOT NULL,
    resolved BOOLEAN NOT NULL
);
CREATE INDEX problem_reports_by_time ON problem_reports (reported_at, id);
