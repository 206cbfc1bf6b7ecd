//! The store's logic, written once and compiled into each backend module (`sqlite` and
//! `postgres` include this file with `#[path]`). The including module supplies `DB`, the
//! column types for ids (`Key`) and times (`Stamp`) with their conversions, and how reads
//! and writes begin; the SQL text is the same for both.
//!
//! A service is stored as normalised rows, one table per HSDS table, each child row with
//! its place in the list; organisations, locations and taxonomy terms are shared between
//! the services that nest them. The rows are the truth. Reading the whole directory back
//! row by row costs about a microsecond a value through sqlx, some 200 values a listing,
//! too slow to start with a nation's directory; so each service also keeps its document,
//! the JSON of the service as assembled from the rows ([`fill`]: one query per table for
//! a batch of services), rewritten in the same transaction whenever the service or a
//! shared record it nests changes. Listings are read from documents.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use knit_domain::Service;
use knit_domain::directory::{
    Accessibility, Address, Attribute, Contact, CostOption, Frequency, Language, Location,
    LocationType, Organization, Phone, Schedule, ServiceArea, ServiceAtLocation, ServiceStatus,
    TaxonomyTerm,
};
use knit_domain::geo::LatLon;
use knit_domain::postcode::Postcode;
use knit_domain::time_of_day::TimeOfDay;
use sqlx::query_builder::Separated;
use sqlx::{Database, Decode, Pool, QueryBuilder, Row, Type};
use uuid::Uuid;

use super::{
    CHECKPOINT_ON_CLOSE, DB, Key, LOCK_CHANGES, NAME, Stamp, begin_read, begin_write, kept_time,
    key, stamp, time_of, uuid_of,
};
use crate::{
    DirectoryChange, ImportSummary, Place, PostcodePoint, ProblemReport, Result, ServiceFilter,
    ServiceImport, Store, StoreError,
};

type Conn = <DB as Database>::Connection;
type DbRow = <DB as Database>::Row;
type Values<'a> = Separated<'a, DB, &'static str>;

/// Bound values per statement: under SQLite's limit (32766) and PostgreSQL's (65535).
const MAX_PARAMS: usize = 30_000;

/// Ids per `IN (…)` list when reading a batch.
const MAX_IN: usize = 5_000;

pub(crate) struct SqlStore {
    pub(super) writer: Pool<DB>,
    pub(super) reader: Pool<DB>,
    /// The keys that seal personal data; none until the application loads its key file.
    pub(super) keys: std::sync::RwLock<Option<std::sync::Arc<crate::sealing::KeyRing>>>,
}

// --- writing rows ---

/// `INSERT INTO table (columns) VALUES (…), (…) tail`, as many rows per statement as the
/// parameter limit allows.
async fn insert_rows<T>(
    conn: &mut Conn,
    table: &str,
    columns: &[&str],
    tail: &str,
    rows: &[T],
    bind: impl Fn(&mut Values<'_>, &T),
) -> Result<()> {
    let per_statement = (MAX_PARAMS / columns.len()).max(1);
    let head = format!("INSERT INTO {table} ({}) ", columns.join(", "));
    for chunk in rows.chunks(per_statement) {
        let mut query = QueryBuilder::<DB>::new(&head);
        query.push_values(chunk, |mut values, row| bind(&mut values, row));
        query.push(tail);
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts rows keyed by `id` (the first column), replacing any row with the same id.
async fn upsert_rows<T>(
    conn: &mut Conn,
    table: &str,
    columns: &[&str],
    rows: &[T],
    bind: impl Fn(&mut Values<'_>, &T),
) -> Result<()> {
    let updates: Vec<String> = columns[1..]
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let tail = format!(
        " ON CONFLICT ({}) DO UPDATE SET {}",
        columns[0],
        updates.join(", ")
    );
    insert_rows(conn, table, columns, &tail, rows, bind).await
}

async fn delete_where_in(conn: &mut Conn, table: &str, column: &str, ids: &[Uuid]) -> Result<()> {
    for chunk in ids.chunks(MAX_IN) {
        let mut query = QueryBuilder::<DB>::new(format!("DELETE FROM {table} WHERE {column} IN ("));
        push_ids(&mut query, chunk);
        query.build().execute(&mut *conn).await?;
    }
    Ok(())
}

fn push_ids(query: &mut QueryBuilder<DB>, ids: &[Uuid]) {
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(key(*id));
    }
    query.push(")");
}

/// Rows of `select` whose `column` is one of `ids`, decoded by `decode`.
async fn select_in<T>(
    conn: &mut Conn,
    select: &str,
    column: &str,
    order: &str,
    ids: &[Uuid],
    decode: impl Fn(&DbRow) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(MAX_IN) {
        let mut query = QueryBuilder::<DB>::new(select);
        query.push(format_args!(" WHERE {column} IN ("));
        push_ids(&mut query, chunk);
        query.push(order);
        for row in query.build().fetch_all(&mut *conn).await? {
            out.push(decode(&row)?);
        }
    }
    Ok(out)
}

/// Keeps the last of several records with the same id, as if they were stored one after
/// another, in the order each id first appeared.
fn last_of_each<'a, T>(
    items: impl IntoIterator<Item = &'a T>,
    id: impl Fn(&T) -> Uuid,
) -> Vec<&'a T>
where
    T: 'a,
{
    let mut at: HashMap<Uuid, usize> = HashMap::new();
    let mut out: Vec<&T> = Vec::new();
    for item in items {
        match at.get(&id(item)) {
            Some(&i) => out[i] = item,
            None => {
                at.insert(id(item), out.len());
                out.push(item);
            }
        }
    }
    out
}

fn age(age: Option<u16>) -> Option<i32> {
    age.map(i32::from)
}

fn minutes(time: Option<TimeOfDay>) -> Option<i32> {
    time.map(|t| i32::from(t.minutes()))
}

// --- reading rows ---

/// Reads a row's columns left to right.
struct Columns<'r> {
    row: &'r DbRow,
    at: usize,
}

impl<'r> Columns<'r> {
    fn new(row: &'r DbRow) -> Columns<'r> {
        Columns { row, at: 0 }
    }

    fn get<T: Decode<'r, DB> + Type<DB>>(&mut self) -> Result<T> {
        let value = self.row.try_get(self.at)?;
        self.at += 1;
        Ok(value)
    }

    /// Passes over a column this reader does not need, such as a list position the query
    /// already ordered by.
    fn skip(&mut self) {
        self.at += 1;
    }

    fn id(&mut self) -> Result<Uuid> {
        Ok(uuid_of(self.get::<Key>()?))
    }

    fn opt_id(&mut self) -> Result<Option<Uuid>> {
        Ok(self.get::<Option<Key>>()?.map(uuid_of))
    }

    fn text(&mut self) -> Result<String> {
        self.get()
    }

    fn opt_text(&mut self) -> Result<Option<String>> {
        self.get()
    }

    fn opt_date(&mut self) -> Result<Option<NaiveDate>> {
        self.get()
    }

    fn opt_f64(&mut self) -> Result<Option<f64>> {
        self.get()
    }

    fn flag(&mut self) -> Result<bool> {
        self.get()
    }

    fn opt_u16(&mut self) -> Result<Option<u16>> {
        match self.get::<Option<i32>>()? {
            None => Ok(None),
            Some(n) => u16::try_from(n)
                .map(Some)
                .map_err(|_| corrupt("a small number", n)),
        }
    }

    fn position(&mut self) -> Result<i32> {
        self.get()
    }

    fn opt_time(&mut self) -> Result<Option<TimeOfDay>> {
        match self.get::<Option<i32>>()? {
            None => Ok(None),
            Some(n) => u16::try_from(n)
                .ok()
                .and_then(|m| TimeOfDay::from_hm(m / 60, m % 60))
                .map(Some)
                .ok_or_else(|| corrupt("a time of day", n)),
        }
    }

    fn opt_stamp(&mut self) -> Result<Option<DateTime<Utc>>> {
        self.get::<Option<Stamp>>()?.map(time_of).transpose()
    }

    fn stamp(&mut self) -> Result<DateTime<Utc>> {
        time_of(self.get::<Stamp>()?)
    }
}

fn corrupt(what: &str, value: impl std::fmt::Debug) -> StoreError {
    StoreError::Corrupt(format!("{value:?} is not {what}"))
}

fn group<T>(rows: Vec<(Uuid, T)>) -> HashMap<Uuid, Vec<T>> {
    let mut out: HashMap<Uuid, Vec<T>> = HashMap::new();
    for (owner, item) in rows {
        out.entry(owner).or_default().push(item);
    }
    out
}

// --- the tables ---

const ORGANIZATION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "name_lower",
    "alternate_name",
    "description",
    "email",
    "website",
    "legal_status",
    "year_incorporated",
    "logo",
    "uri",
];
const SELECT_ORGANIZATION: &str = "SELECT id, name, alternate_name, description, email, website, \
     legal_status, year_incorporated, logo, uri FROM organizations";

fn bind_organization(v: &mut Values<'_>, o: &&Organization) {
    v.push_bind(key(o.id))
        .push_bind(o.name.as_str())
        .push_bind(o.name.to_lowercase())
        .push_bind(o.alternate_name.as_deref())
        .push_bind(o.description.as_deref())
        .push_bind(o.email.as_deref())
        .push_bind(o.website.as_deref())
        .push_bind(o.legal_status.as_deref())
        .push_bind(o.year_incorporated)
        .push_bind(o.logo.as_deref())
        .push_bind(o.uri.as_deref());
}

fn organization_row(row: &DbRow) -> Result<Organization> {
    let mut c = Columns::new(row);
    Ok(Organization {
        id: c.id()?,
        name: c.text()?,
        alternate_name: c.opt_text()?,
        description: c.opt_text()?,
        email: c.opt_text()?,
        website: c.opt_text()?,
        legal_status: c.opt_text()?,
        year_incorporated: c.get()?,
        logo: c.opt_text()?,
        uri: c.opt_text()?,
    })
}

const SERVICE_COLUMNS: &[&str] = &[
    "id",
    "organization_id",
    "embeds_organization",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "interpretation_services",
    "application_process",
    "fees_description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "alert",
    "assured_date",
    "last_modified",
];

/// A service to write, with its document.
type ServiceRow<'a> = (&'a Service, String);

fn bind_service(v: &mut Values<'_>, (s, document): &ServiceRow<'_>) {
    v.push_bind(key(s.id))
        .push_bind(key(s.organization_id))
        .push_bind(s.organization.is_some())
        .push_bind(s.name.as_str())
        .push_bind(s.alternate_name.as_deref())
        .push_bind(s.description.as_deref())
        .push_bind(s.url.as_deref())
        .push_bind(s.email.as_deref())
        .push_bind(s.status.as_str())
        .push_bind(s.interpretation_services.as_deref())
        .push_bind(s.application_process.as_deref())
        .push_bind(s.fees_description.as_deref())
        .push_bind(s.eligibility_description.as_deref())
        .push_bind(age(s.minimum_age))
        .push_bind(age(s.maximum_age))
        .push_bind(s.alert.as_deref())
        .push_bind(s.assured_date)
        .push_bind(s.last_modified.map(stamp))
        .push_bind(document.as_str());
}

/// The service as its document holds it: as the columns would give it back.
fn document(service: &Service) -> Result<String> {
    let text = match service.last_modified.map(kept_time) {
        Some(kept) if Some(kept) != service.last_modified => serde_json::to_string(&Service {
            last_modified: Some(kept),
            ..service.clone()
        }),
        _ => serde_json::to_string(service),
    };
    text.map_err(|e| StoreError::Corrupt(format!("a service could not be written as JSON: {e}")))
}

fn parse_document(text: &str) -> Result<Service> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Corrupt(format!("a stored service is not HSDS JSON: {e}")))
}

/// A service row, and whether its organisation is to be nested in it.
fn service_row(row: &DbRow) -> Result<(Service, bool)> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let organization_id = c.id()?;
    let embeds_organization = c.flag()?;
    let name = c.text()?;
    let alternate_name = c.opt_text()?;
    let description = c.opt_text()?;
    let url = c.opt_text()?;
    let email = c.opt_text()?;
    let status = c.text()?;
    let status =
        ServiceStatus::parse(&status).ok_or_else(|| corrupt("a service status", status))?;
    let service = Service {
        id,
        organization_id,
        name,
        alternate_name,
        description,
        url,
        email,
        status,
        interpretation_services: c.opt_text()?,
        application_process: c.opt_text()?,
        fees_description: c.opt_text()?,
        eligibility_description: c.opt_text()?,
        minimum_age: c.opt_u16()?,
        maximum_age: c.opt_u16()?,
        alert: c.opt_text()?,
        assured_date: c.opt_date()?,
        last_modified: c.opt_stamp()?,
        phones: Vec::new(),
        schedules: Vec::new(),
        service_areas: Vec::new(),
        service_at_locations: Vec::new(),
        languages: Vec::new(),
        cost_options: Vec::new(),
        contacts: Vec::new(),
        attributes: Vec::new(),
        organization: None,
    };
    Ok((service, embeds_organization))
}

/// A child row: the service (or location) it belongs to, its place in the list, the item.
type Child<'a, T> = (Uuid, i32, &'a T);

fn children<'a, T>(
    services: &[&'a Service],
    list: impl Fn(&'a Service) -> &'a [T],
) -> Vec<Child<'a, T>> {
    let mut out = Vec::new();
    for service in services {
        for (i, item) in list(service).iter().enumerate() {
            out.push((service.id, position(i), item));
        }
    }
    out
}

fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

const PHONE_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "stated_service_id",
    "contact_id",
    "number",
    "extension",
    "kind",
    "description",
];

fn bind_phone(v: &mut Values<'_>, (owner, at, p): &Child<'_, Phone>) {
    v.push_bind(key(*owner)).push_bind(*at);
    bind_phone_fields(v, p);
}

fn bind_phone_fields(v: &mut Values<'_>, p: &Phone) {
    v.push_bind(key(p.id))
        .push_bind(p.service_id.map(key))
        .push_bind(p.contact_id.map(key))
        .push_bind(p.number.as_str())
        .push_bind(p.extension.as_deref())
        .push_bind(p.kind.as_deref())
        .push_bind(p.description.as_deref());
}

fn phone_fields(c: &mut Columns<'_>) -> Result<Phone> {
    Ok(Phone {
        id: c.id()?,
        service_id: c.opt_id()?,
        contact_id: c.opt_id()?,
        number: c.text()?,
        extension: c.opt_text()?,
        kind: c.opt_text()?,
        description: c.opt_text()?,
    })
}

fn phone_row(row: &DbRow) -> Result<(Uuid, Phone)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    Ok((owner, phone_fields(&mut c)?))
}

const CONTACT_PHONE_COLUMNS: &[&str] = &[
    "service_id",
    "contact_position",
    "position",
    "id",
    "stated_service_id",
    "contact_id",
    "number",
    "extension",
    "kind",
    "description",
];

/// A phone of a contact: the service, the contact's place, the phone's place, the phone.
type ContactPhone<'a> = (Uuid, i32, i32, &'a Phone);

fn bind_contact_phone(v: &mut Values<'_>, (owner, contact, at, p): &ContactPhone<'_>) {
    v.push_bind(key(*owner)).push_bind(*contact).push_bind(*at);
    bind_phone_fields(v, p);
}

fn contact_phone_row(row: &DbRow) -> Result<((Uuid, i32), Phone)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    let contact = c.position()?;
    c.skip();
    Ok(((owner, contact), phone_fields(&mut c)?))
}

const SCHEDULE_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "stated_service_id",
    "valid_from",
    "valid_to",
    "dtstart",
    "until",
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "opens_at",
    "closes_at",
    "description",
    "notes",
];

fn bind_schedule(v: &mut Values<'_>, (owner, at, s): &Child<'_, Schedule>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(s.id))
        .push_bind(s.service_id.map(key))
        .push_bind(s.valid_from)
        .push_bind(s.valid_to)
        .push_bind(s.dtstart)
        .push_bind(s.until)
        .push_bind(s.freq.map(Frequency::as_str))
        .push_bind(age(s.interval))
        .push_bind(s.byday.as_deref())
        .push_bind(s.bymonthday.as_deref())
        .push_bind(minutes(s.opens_at))
        .push_bind(minutes(s.closes_at))
        .push_bind(s.description.as_deref())
        .push_bind(s.notes.as_deref());
}

fn schedule_row(row: &DbRow) -> Result<(Uuid, Schedule)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let id = c.id()?;
    let service_id = c.opt_id()?;
    let (valid_from, valid_to, dtstart, until) =
        (c.opt_date()?, c.opt_date()?, c.opt_date()?, c.opt_date()?);
    let freq = match c.opt_text()? {
        None => None,
        Some(f) => Some(Frequency::parse(&f).ok_or_else(|| corrupt("a frequency", f))?),
    };
    let schedule = Schedule {
        id,
        service_id,
        valid_from,
        valid_to,
        dtstart,
        until,
        freq,
        interval: c.opt_u16()?,
        byday: c.opt_text()?,
        bymonthday: c.opt_text()?,
        opens_at: c.opt_time()?,
        closes_at: c.opt_time()?,
        description: c.opt_text()?,
        notes: c.opt_text()?,
    };
    Ok((owner, schedule))
}

const SERVICE_AREA_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "stated_service_id",
    "name",
    "description",
    "uri",
];

fn bind_service_area(v: &mut Values<'_>, (owner, at, a): &Child<'_, ServiceArea>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(a.id))
        .push_bind(a.service_id.map(key))
        .push_bind(a.name.as_deref())
        .push_bind(a.description.as_deref())
        .push_bind(a.uri.as_deref());
}

fn service_area_row(row: &DbRow) -> Result<(Uuid, ServiceArea)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let area = ServiceArea {
        id: c.id()?,
        service_id: c.opt_id()?,
        name: c.opt_text()?,
        description: c.opt_text()?,
        uri: c.opt_text()?,
    };
    Ok((owner, area))
}

const SERVICE_AT_LOCATION_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "stated_service_id",
    "location_id",
    "embedded_location_id",
    "description",
];

fn bind_service_at_location(v: &mut Values<'_>, (owner, at, s): &Child<'_, ServiceAtLocation>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(s.id))
        .push_bind(s.service_id.map(key))
        .push_bind(s.location_id.map(key))
        .push_bind(s.location.as_ref().map(|l| key(l.id)))
        .push_bind(s.description.as_deref());
}

/// A place a service is offered at, and the id of the location to nest in it.
fn service_at_location_row(row: &DbRow) -> Result<(Uuid, (ServiceAtLocation, Option<Uuid>))> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let id = c.id()?;
    let service_id = c.opt_id()?;
    let location_id = c.opt_id()?;
    let embedded = c.opt_id()?;
    let description = c.opt_text()?;
    let sal = ServiceAtLocation {
        id,
        service_id,
        location_id,
        description,
        location: None,
    };
    Ok((owner, (sal, embedded)))
}

const LOCATION_COLUMNS: &[&str] = &[
    "id",
    "location_type",
    "url",
    "name",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "confidential",
];
const SELECT_LOCATION: &str = "SELECT id, location_type, url, name, description, transportation, \
     latitude, longitude, confidential FROM locations";

fn bind_location(v: &mut Values<'_>, l: &&Location) {
    v.push_bind(key(l.id))
        .push_bind(l.location_type.as_str())
        .push_bind(l.url.as_deref())
        .push_bind(l.name.as_deref())
        .push_bind(l.description.as_deref())
        .push_bind(l.transportation.as_deref())
        .push_bind(l.latitude)
        .push_bind(l.longitude)
        .push_bind(l.confidential);
}

fn location_row(row: &DbRow) -> Result<Location> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let kind = c.text()?;
    let location_type =
        LocationType::parse(&kind).ok_or_else(|| corrupt("a location type", kind))?;
    Ok(Location {
        id,
        location_type,
        url: c.opt_text()?,
        name: c.opt_text()?,
        description: c.opt_text()?,
        transportation: c.opt_text()?,
        latitude: c.opt_f64()?,
        longitude: c.opt_f64()?,
        confidential: c.flag()?,
        addresses: Vec::new(),
        accessibility: Vec::new(),
    })
}

const ADDRESS_COLUMNS: &[&str] = &[
    "location_id",
    "position",
    "id",
    "stated_location_id",
    "attention",
    "address_1",
    "address_2",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
    "address_type",
];

fn bind_address(v: &mut Values<'_>, (owner, at, a): &Child<'_, Address>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(a.id))
        .push_bind(a.location_id.map(key))
        .push_bind(a.attention.as_deref())
        .push_bind(a.address_1.as_str())
        .push_bind(a.address_2.as_deref())
        .push_bind(a.city.as_str())
        .push_bind(a.region.as_deref())
        .push_bind(a.state_province.as_str())
        .push_bind(a.postal_code.as_str())
        .push_bind(a.country.as_str())
        .push_bind(a.address_type.as_str());
}

fn address_row(row: &DbRow) -> Result<(Uuid, Address)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let address = Address {
        id: c.id()?,
        location_id: c.opt_id()?,
        attention: c.opt_text()?,
        address_1: c.text()?,
        address_2: c.opt_text()?,
        city: c.text()?,
        region: c.opt_text()?,
        state_province: c.text()?,
        postal_code: c.text()?,
        country: c.text()?,
        address_type: c.text()?,
    };
    Ok((owner, address))
}

const ACCESSIBILITY_COLUMNS: &[&str] = &[
    "location_id",
    "position",
    "id",
    "stated_location_id",
    "description",
    "details",
    "url",
];

fn bind_accessibility(v: &mut Values<'_>, (owner, at, a): &Child<'_, Accessibility>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(a.id))
        .push_bind(a.location_id.map(key))
        .push_bind(a.description.as_deref())
        .push_bind(a.details.as_deref())
        .push_bind(a.url.as_deref());
}

fn accessibility_row(row: &DbRow) -> Result<(Uuid, Accessibility)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let accessibility = Accessibility {
        id: c.id()?,
        location_id: c.opt_id()?,
        description: c.opt_text()?,
        details: c.opt_text()?,
        url: c.opt_text()?,
    };
    Ok((owner, accessibility))
}

const LANGUAGE_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "stated_service_id",
    "name",
    "code",
    "note",
];

fn bind_language(v: &mut Values<'_>, (owner, at, l): &Child<'_, Language>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(l.id))
        .push_bind(l.service_id.map(key))
        .push_bind(l.name.as_deref())
        .push_bind(l.code.as_deref())
        .push_bind(l.note.as_deref());
}

fn language_row(row: &DbRow) -> Result<(Uuid, Language)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let language = Language {
        id: c.id()?,
        service_id: c.opt_id()?,
        name: c.opt_text()?,
        code: c.opt_text()?,
        note: c.opt_text()?,
    };
    Ok((owner, language))
}

const COST_OPTION_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "stated_service_id",
    "valid_from",
    "valid_to",
    "option",
    "currency",
    "amount",
    "amount_description",
];

fn bind_cost_option(v: &mut Values<'_>, (owner, at, o): &Child<'_, CostOption>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(o.id))
        .push_bind(o.service_id.map(key))
        .push_bind(o.valid_from)
        .push_bind(o.valid_to)
        .push_bind(o.option.as_deref())
        .push_bind(o.currency.as_deref())
        .push_bind(o.amount)
        .push_bind(o.amount_description.as_deref());
}

fn cost_option_row(row: &DbRow) -> Result<(Uuid, CostOption)> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let option = CostOption {
        id: c.id()?,
        service_id: c.opt_id()?,
        valid_from: c.opt_date()?,
        valid_to: c.opt_date()?,
        option: c.opt_text()?,
        currency: c.opt_text()?,
        amount: c.opt_f64()?,
        amount_description: c.opt_text()?,
    };
    Ok((owner, option))
}

const CONTACT_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "stated_service_id",
    "name",
    "title",
    "department",
    "email",
];

fn bind_contact(v: &mut Values<'_>, (owner, at, c): &Child<'_, Contact>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(c.id))
        .push_bind(c.service_id.map(key))
        .push_bind(c.name.as_deref())
        .push_bind(c.title.as_deref())
        .push_bind(c.department.as_deref())
        .push_bind(c.email.as_deref());
}

/// A contact (its phones still to come), and its place in the service's list.
fn contact_row(row: &DbRow) -> Result<(Uuid, (i32, Contact))> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    let at = c.position()?;
    let contact = Contact {
        id: c.id()?,
        service_id: c.opt_id()?,
        name: c.opt_text()?,
        title: c.opt_text()?,
        department: c.opt_text()?,
        email: c.opt_text()?,
        phones: Vec::new(),
    };
    Ok((owner, (at, contact)))
}

const ATTRIBUTE_COLUMNS: &[&str] = &[
    "service_id",
    "position",
    "id",
    "link_id",
    "link_type",
    "link_entity",
    "taxonomy_term_id",
    "value",
    "embeds_term",
];

fn bind_attribute(v: &mut Values<'_>, (owner, at, a): &Child<'_, Attribute>) {
    v.push_bind(key(*owner))
        .push_bind(*at)
        .push_bind(key(a.id))
        .push_bind(a.link_id.map(key))
        .push_bind(a.link_type.as_deref())
        .push_bind(a.link_entity.as_deref())
        .push_bind(key(a.taxonomy_term_id))
        .push_bind(a.value.as_deref())
        .push_bind(a.taxonomy_term.is_some());
}

/// An attribute, and whether its taxonomy term is to be nested in it.
fn attribute_row(row: &DbRow) -> Result<(Uuid, (Attribute, bool))> {
    let mut c = Columns::new(row);
    let owner = c.id()?;
    c.skip();
    let attribute = Attribute {
        id: c.id()?,
        link_id: c.opt_id()?,
        link_type: c.opt_text()?,
        link_entity: c.opt_text()?,
        taxonomy_term_id: c.id()?,
        value: c.opt_text()?,
        taxonomy_term: None,
    };
    Ok((owner, (attribute, c.flag()?)))
}

const TAXONOMY_TERM_COLUMNS: &[&str] = &[
    "id",
    "code",
    "name",
    "description",
    "parent_id",
    "taxonomy",
    "taxonomy_id",
    "vocabulary",
    "term_uri",
];
const SELECT_TAXONOMY_TERM: &str = "SELECT id, code, name, description, parent_id, taxonomy, \
     taxonomy_id, vocabulary, term_uri FROM taxonomy_terms";

fn bind_taxonomy_term(v: &mut Values<'_>, t: &&TaxonomyTerm) {
    v.push_bind(key(t.id))
        .push_bind(t.code.as_deref())
        .push_bind(t.name.as_str())
        .push_bind(t.description.as_str())
        .push_bind(t.parent_id.map(key))
        .push_bind(t.taxonomy.as_deref())
        .push_bind(t.taxonomy_id.map(key))
        .push_bind(t.vocabulary.as_deref())
        .push_bind(t.term_uri.as_deref());
}

fn taxonomy_term_row(row: &DbRow) -> Result<TaxonomyTerm> {
    let mut c = Columns::new(row);
    Ok(TaxonomyTerm {
        id: c.id()?,
        code: c.opt_text()?,
        name: c.text()?,
        description: c.text()?,
        parent_id: c.opt_id()?,
        taxonomy: c.opt_text()?,
        taxonomy_id: c.opt_id()?,
        vocabulary: c.opt_text()?,
        term_uri: c.opt_text()?,
    })
}

/// The tables holding a service's own lists, emptied when the service is replaced.
const SERVICE_CHILD_TABLES: &[&str] = &[
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations",
    "languages",
    "cost_options",
    "contact_phones",
    "contacts",
    "attributes",
];

fn select_children(table: &str, columns: &[&str]) -> String {
    format!("SELECT {} FROM {table}", columns.join(", "))
}

/// The rows of a service-owned table for a batch of services, in list order.
async fn by_service<T>(
    conn: &mut Conn,
    table: &str,
    columns: &[&str],
    ids: &[Uuid],
    decode: impl Fn(&DbRow) -> Result<T>,
) -> Result<Vec<T>> {
    let select = select_children(table, columns);
    select_in(
        conn,
        &select,
        "service_id",
        " ORDER BY service_id, position",
        ids,
        decode,
    )
    .await
}
const BY_LOCATION: &str = " ORDER BY location_id, position";

// --- writing a batch of services ---

async fn existing_services(conn: &mut Conn, ids: &[Uuid]) -> Result<HashSet<Uuid>> {
    let found = select_in(conn, "SELECT id FROM services", "id", "", ids, |row| {
        Columns::new(row).id()
    })
    .await?;
    Ok(found.into_iter().collect())
}

/// Shared records of a batch whose stored copy differs from the batch's.
#[derive(Default)]
struct Changed {
    organizations: Vec<Uuid>,
    terms: Vec<Uuid>,
    locations: Vec<Uuid>,
}

async fn changed_shared(
    conn: &mut Conn,
    organizations: &[&Organization],
    terms: &[&TaxonomyTerm],
    locations: &[&Location],
) -> Result<Changed> {
    fn differing<T: PartialEq>(
        new: &[&T],
        id: impl Fn(&T) -> Uuid,
        stored: &HashMap<Uuid, T>,
    ) -> Vec<Uuid> {
        new.iter()
            .filter(|n| stored.get(&id(n)).is_some_and(|old| old != **n))
            .map(|n| id(n))
            .collect()
    }
    let ids = |ids: &mut dyn Iterator<Item = Uuid>| ids.collect::<Vec<_>>();
    let organization_ids = ids(&mut organizations.iter().map(|o| o.id));
    let stored: HashMap<Uuid, Organization> = select_in(
        conn,
        SELECT_ORGANIZATION,
        "id",
        "",
        &organization_ids,
        organization_row,
    )
    .await?
    .into_iter()
    .map(|o| (o.id, o))
    .collect();
    let organizations = differing(organizations, |o| o.id, &stored);
    let term_ids = ids(&mut terms.iter().map(|t| t.id));
    let stored: HashMap<Uuid, TaxonomyTerm> = select_in(
        conn,
        SELECT_TAXONOMY_TERM,
        "id",
        "",
        &term_ids,
        taxonomy_term_row,
    )
    .await?
    .into_iter()
    .map(|t| (t.id, t))
    .collect();
    let terms = differing(terms, |t| t.id, &stored);
    let location_ids = ids(&mut locations.iter().map(|l| l.id));
    let stored = locations_by_id(conn, &location_ids).await?;
    let locations = differing(locations, |l| l.id, &stored);
    Ok(Changed {
        organizations,
        terms,
        locations,
    })
}

/// Rewrites the documents of services outside the batch (`written`) that nest a shared
/// record which changed: they are assembled again from the rows.
async fn refresh_documents(conn: &mut Conn, changed: &Changed, written: &[Uuid]) -> Result<()> {
    let written: HashSet<Uuid> = written.iter().copied().collect();
    let mut affected: Vec<Uuid> = Vec::new();
    let nesting = |row: &DbRow| {
        let mut c = Columns::new(row);
        Ok((c.id()?, c.flag()?))
    };
    let by_organization = select_in(
        conn,
        "SELECT id, embeds_organization FROM services",
        "organization_id",
        "",
        &changed.organizations,
        nesting,
    )
    .await?;
    let by_term = select_in(
        conn,
        "SELECT service_id, embeds_term FROM attributes",
        "taxonomy_term_id",
        "",
        &changed.terms,
        nesting,
    )
    .await?;
    let by_location = select_in(
        conn,
        "SELECT service_id, TRUE FROM service_at_locations",
        "embedded_location_id",
        "",
        &changed.locations,
        nesting,
    )
    .await?;
    for (id, nests) in by_organization
        .into_iter()
        .chain(by_term)
        .chain(by_location)
    {
        if nests && !written.contains(&id) {
            affected.push(id);
        }
    }
    let affected = distinct(affected.into_iter());
    let select = select_service_rows();
    for chunk in affected.chunks(1_000) {
        let rows = select_in(conn, &select, "id", "", chunk, service_row).await?;
        for service in fill(conn, rows).await? {
            sqlx::query("UPDATE services SET document = $1 WHERE id = $2")
                .bind(document(&service)?)
                .bind(key(service.id))
                .execute(&mut *conn)
                .await?;
        }
    }
    if !affected.is_empty() {
        tracing::debug!(
            services = affected.len(),
            "refreshed documents of services sharing changed records"
        );
    }
    Ok(())
}

/// The copies of shared records a batch keeps (the last of each), for writing documents
/// that agree with the rows when two services in one batch nest different copies.
struct Kept<'a> {
    organizations: HashMap<Uuid, &'a Organization>,
    terms: HashMap<Uuid, &'a TaxonomyTerm>,
    locations: HashMap<Uuid, &'a Location>,
}

impl<'a> Kept<'a> {
    fn new(
        organizations: &[&'a Organization],
        terms: &[&'a TaxonomyTerm],
        locations: &[&'a Location],
    ) -> Kept<'a> {
        Kept {
            organizations: organizations.iter().map(|o| (o.id, *o)).collect(),
            terms: terms.iter().map(|t| (t.id, *t)).collect(),
            locations: locations.iter().map(|l| (l.id, *l)).collect(),
        }
    }

    /// The service with the kept copies nested in it; borrowed when it already has them.
    fn nested_in<'s>(&self, service: &'s Service) -> Cow<'s, Service> {
        fn differs<T: PartialEq>(kept: Option<&&T>, copy: &T) -> bool {
            kept.is_some_and(|k| *k != copy)
        }
        let organization_differs = service
            .organization
            .as_ref()
            .is_some_and(|o| differs(self.organizations.get(&o.id), o));
        let term_differs = service.attributes.iter().any(|a| {
            a.taxonomy_term
                .as_ref()
                .is_some_and(|t| differs(self.terms.get(&t.id), t))
        });
        let location_differs = service.service_at_locations.iter().any(|sal| {
            sal.location
                .as_ref()
                .is_some_and(|l| differs(self.locations.get(&l.id), l))
        });
        if !(organization_differs || term_differs || location_differs) {
            return Cow::Borrowed(service);
        }
        let mut service = service.clone();
        if let Some(o) = &mut service.organization
            && let Some(kept) = self.organizations.get(&o.id)
        {
            *o = (*kept).clone();
        }
        for attribute in &mut service.attributes {
            if let Some(t) = &mut attribute.taxonomy_term
                && let Some(kept) = self.terms.get(&t.id)
            {
                *t = (*kept).clone();
            }
        }
        for sal in &mut service.service_at_locations {
            if let Some(l) = &mut sal.location
                && let Some(kept) = self.locations.get(&l.id)
            {
                *l = (*kept).clone();
            }
        }
        Cow::Owned(service)
    }
}

pub(super) async fn write_services(
    conn: &mut Conn,
    services: &[&Service],
) -> Result<ImportSummary> {
    let ids: Vec<Uuid> = services.iter().map(|s| s.id).collect();
    let existing = existing_services(conn, &ids).await?;
    let replaced: Vec<Uuid> = ids
        .iter()
        .copied()
        .filter(|id| existing.contains(id))
        .collect();
    // Organisations, locations and terms are shared between services: the last copy in the
    // batch is kept, and other services nesting a copy that changed get new documents.
    let organizations = last_of_each(
        services.iter().filter_map(|s| s.organization.as_ref()),
        |o| o.id,
    );
    let terms = last_of_each(
        services
            .iter()
            .flat_map(|s| &s.attributes)
            .filter_map(|a| a.taxonomy_term.as_ref()),
        |t| t.id,
    );
    let locations = last_of_each(
        services
            .iter()
            .flat_map(|s| &s.service_at_locations)
            .filter_map(|sal| sal.location.as_ref()),
        |l| l.id,
    );
    let changed = changed_shared(conn, &organizations, &terms, &locations).await?;

    // Every old list goes before any new row, so an id may move between services in one
    // batch.
    for table in SERVICE_CHILD_TABLES {
        delete_where_in(conn, table, "service_id", &replaced).await?;
    }

    upsert_rows(
        conn,
        "organizations",
        ORGANIZATION_COLUMNS,
        &organizations,
        bind_organization,
    )
    .await?;

    upsert_rows(
        conn,
        "taxonomy_terms",
        TAXONOMY_TERM_COLUMNS,
        &terms,
        bind_taxonomy_term,
    )
    .await?;

    upsert_rows(
        conn,
        "locations",
        LOCATION_COLUMNS,
        &locations,
        bind_location,
    )
    .await?;
    let location_ids: Vec<Uuid> = locations.iter().map(|l| l.id).collect();
    delete_where_in(conn, "addresses", "location_id", &location_ids).await?;
    delete_where_in(conn, "accessibility", "location_id", &location_ids).await?;
    let addresses: Vec<Child<'_, Address>> = locations
        .iter()
        .flat_map(|l| {
            l.addresses
                .iter()
                .enumerate()
                .map(move |(i, a)| (l.id, position(i), a))
        })
        .collect();
    insert_rows(
        conn,
        "addresses",
        ADDRESS_COLUMNS,
        "",
        &addresses,
        bind_address,
    )
    .await?;
    let accessibility: Vec<Child<'_, Accessibility>> = locations
        .iter()
        .flat_map(|l| {
            l.accessibility
                .iter()
                .enumerate()
                .map(move |(i, a)| (l.id, position(i), a))
        })
        .collect();
    insert_rows(
        conn,
        "accessibility",
        ACCESSIBILITY_COLUMNS,
        "",
        &accessibility,
        bind_accessibility,
    )
    .await?;

    let kept = Kept::new(&organizations, &terms, &locations);
    let rows: Vec<ServiceRow<'_>> = services
        .iter()
        .map(|s| Ok((*s, document(&kept.nested_in(s))?)))
        .collect::<Result<_>>()?;
    let columns = [SERVICE_COLUMNS, &["document"]].concat();
    upsert_rows(conn, "services", &columns, &rows, bind_service).await?;

    let phones = children(services, |s| &s.phones);
    insert_rows(conn, "phones", PHONE_COLUMNS, "", &phones, bind_phone).await?;
    let schedules = children(services, |s| &s.schedules);
    insert_rows(
        conn,
        "schedules",
        SCHEDULE_COLUMNS,
        "",
        &schedules,
        bind_schedule,
    )
    .await?;
    let areas = children(services, |s| &s.service_areas);
    insert_rows(
        conn,
        "service_areas",
        SERVICE_AREA_COLUMNS,
        "",
        &areas,
        bind_service_area,
    )
    .await?;
    let sals = children(services, |s| &s.service_at_locations);
    insert_rows(
        conn,
        "service_at_locations",
        SERVICE_AT_LOCATION_COLUMNS,
        "",
        &sals,
        bind_service_at_location,
    )
    .await?;
    let languages = children(services, |s| &s.languages);
    insert_rows(
        conn,
        "languages",
        LANGUAGE_COLUMNS,
        "",
        &languages,
        bind_language,
    )
    .await?;
    let costs = children(services, |s| &s.cost_options);
    insert_rows(
        conn,
        "cost_options",
        COST_OPTION_COLUMNS,
        "",
        &costs,
        bind_cost_option,
    )
    .await?;
    let contacts = children(services, |s| &s.contacts);
    insert_rows(
        conn,
        "contacts",
        CONTACT_COLUMNS,
        "",
        &contacts,
        bind_contact,
    )
    .await?;
    let contact_phones: Vec<ContactPhone<'_>> = contacts
        .iter()
        .flat_map(|(owner, at, contact)| {
            contact
                .phones
                .iter()
                .enumerate()
                .map(move |(i, p)| (*owner, *at, position(i), p))
        })
        .collect();
    insert_rows(
        conn,
        "contact_phones",
        CONTACT_PHONE_COLUMNS,
        "",
        &contact_phones,
        bind_contact_phone,
    )
    .await?;
    let attributes = children(services, |s| &s.attributes);
    insert_rows(
        conn,
        "attributes",
        ATTRIBUTE_COLUMNS,
        "",
        &attributes,
        bind_attribute,
    )
    .await?;

    refresh_documents(conn, &changed, &ids).await?;

    Ok(ImportSummary {
        added: (ids.len() - replaced.len()) as u64,
        updated: replaced.len() as u64,
    })
}

// --- reading a batch of services ---

/// Nests each service's lists, organisation, locations and terms into it: one query per
/// table for the whole batch.
async fn fill(conn: &mut Conn, rows: Vec<(Service, bool)>) -> Result<Vec<Service>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = rows.iter().map(|(s, _)| s.id).collect();
    let mut phones = group(by_service(conn, "phones", PHONE_COLUMNS, &ids, phone_row).await?);
    let mut schedules =
        group(by_service(conn, "schedules", SCHEDULE_COLUMNS, &ids, schedule_row).await?);
    let mut areas = group(
        by_service(
            conn,
            "service_areas",
            SERVICE_AREA_COLUMNS,
            &ids,
            service_area_row,
        )
        .await?,
    );
    let mut languages =
        group(by_service(conn, "languages", LANGUAGE_COLUMNS, &ids, language_row).await?);
    let mut costs = group(
        by_service(
            conn,
            "cost_options",
            COST_OPTION_COLUMNS,
            &ids,
            cost_option_row,
        )
        .await?,
    );
    let mut contacts =
        group(by_service(conn, "contacts", CONTACT_COLUMNS, &ids, contact_row).await?);
    let mut contact_phones: HashMap<(Uuid, i32), Vec<Phone>> = HashMap::new();
    let rows_of_contact_phones = select_in(
        conn,
        &select_children("contact_phones", CONTACT_PHONE_COLUMNS),
        "service_id",
        " ORDER BY service_id, contact_position, position",
        &ids,
        contact_phone_row,
    )
    .await?;
    for (contact, phone) in rows_of_contact_phones {
        contact_phones.entry(contact).or_default().push(phone);
    }

    let mut sals = group(
        by_service(
            conn,
            "service_at_locations",
            SERVICE_AT_LOCATION_COLUMNS,
            &ids,
            service_at_location_row,
        )
        .await?,
    );
    let location_ids = distinct(
        sals.values()
            .flatten()
            .filter_map(|(_, embedded)| *embedded),
    );
    let locations = locations_by_id(conn, &location_ids).await?;

    let mut attributes =
        group(by_service(conn, "attributes", ATTRIBUTE_COLUMNS, &ids, attribute_row).await?);
    let term_ids = distinct(
        attributes
            .values()
            .flatten()
            .filter(|(_, embeds)| *embeds)
            .map(|(a, _)| a.taxonomy_term_id),
    );
    let terms: HashMap<Uuid, TaxonomyTerm> = select_in(
        conn,
        SELECT_TAXONOMY_TERM,
        "id",
        "",
        &term_ids,
        taxonomy_term_row,
    )
    .await?
    .into_iter()
    .map(|t| (t.id, t))
    .collect();

    let organization_ids = distinct(
        rows.iter()
            .filter(|(_, embeds)| *embeds)
            .map(|(s, _)| s.organization_id),
    );
    let organizations: HashMap<Uuid, Organization> = select_in(
        conn,
        SELECT_ORGANIZATION,
        "id",
        "",
        &organization_ids,
        organization_row,
    )
    .await?
    .into_iter()
    .map(|o| (o.id, o))
    .collect();

    let mut out = Vec::with_capacity(rows.len());
    for (mut service, embeds_organization) in rows {
        let id = service.id;
        service.phones = phones.remove(&id).unwrap_or_default();
        service.schedules = schedules.remove(&id).unwrap_or_default();
        service.service_areas = areas.remove(&id).unwrap_or_default();
        service.languages = languages.remove(&id).unwrap_or_default();
        service.cost_options = costs.remove(&id).unwrap_or_default();
        service.contacts = contacts
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|(at, mut contact)| {
                contact.phones = contact_phones.remove(&(id, at)).unwrap_or_default();
                contact
            })
            .collect();
        service.service_at_locations = sals
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|(mut sal, embedded)| {
                if let Some(location_id) = embedded {
                    let location = locations.get(&location_id).ok_or(StoreError::Corrupt(
                        "a service names a location that is not stored".into(),
                    ))?;
                    sal.location = Some(location.clone());
                }
                Ok(sal)
            })
            .collect::<Result<_>>()?;
        service.attributes = attributes
            .remove(&id)
            .unwrap_or_default()
            .into_iter()
            .map(|(mut attribute, embeds)| {
                if embeds {
                    let term =
                        terms
                            .get(&attribute.taxonomy_term_id)
                            .ok_or(StoreError::Corrupt(
                                "an attribute names a taxonomy term that is not stored".into(),
                            ))?;
                    attribute.taxonomy_term = Some(term.clone());
                }
                Ok(attribute)
            })
            .collect::<Result<_>>()?;
        if embeds_organization {
            let organization =
                organizations
                    .get(&service.organization_id)
                    .ok_or(StoreError::Corrupt(
                        "a service names an organisation that is not stored".into(),
                    ))?;
            service.organization = Some(organization.clone());
        }
        out.push(service);
    }
    Ok(out)
}

fn distinct(ids: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

async fn locations_by_id(conn: &mut Conn, ids: &[Uuid]) -> Result<HashMap<Uuid, Location>> {
    let mut locations: HashMap<Uuid, Location> =
        select_in(conn, SELECT_LOCATION, "id", "", ids, location_row)
            .await?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
    let addresses = select_in(
        conn,
        &select_children("addresses", ADDRESS_COLUMNS),
        "location_id",
        BY_LOCATION,
        ids,
        address_row,
    )
    .await?;
    for (owner, address) in addresses {
        if let Some(location) = locations.get_mut(&owner) {
            location.addresses.push(address);
        }
    }
    let accessibility = select_in(
        conn,
        &select_children("accessibility", ACCESSIBILITY_COLUMNS),
        "location_id",
        BY_LOCATION,
        ids,
        accessibility_row,
    )
    .await?;
    for (owner, item) in accessibility {
        if let Some(location) = locations.get_mut(&owner) {
            location.accessibility.push(item);
        }
    }
    Ok(locations)
}

fn push_filter(query: &mut QueryBuilder<DB>, filter: &ServiceFilter) {
    if let Some(organization) = filter.organization_id {
        query
            .push(" AND organization_id = ")
            .push_bind(key(organization));
    }
    if let Some(after) = filter.modified_after {
        query.push(" AND last_modified > ").push_bind(stamp(after));
    }
}

/// The columns of the services table that [`service_row`] reads.
fn select_service_rows() -> String {
    format!("SELECT {} FROM services", SERVICE_COLUMNS.join(", "))
}

/// Postcode kinds as the `postcodes.kind` column holds them.
fn postcode_kind(postcode: &Postcode) -> i16 {
    match postcode {
        Postcode::Full(_) => 0,
        Postcode::Sector(_) => 1,
        Postcode::District(_) => 2,
    }
}

fn problem_report_row(row: &DbRow) -> Result<ProblemReport> {
    let mut c = Columns::new(row);
    Ok(ProblemReport {
        id: c.id()?,
        service_id: c.id()?,
        what: c.text()?,
        reported_at: c.stamp()?,
        resolved: c.flag()?,
    })
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Numbers a change for each service written, in the writing transaction.
pub(super) async fn record_changes(tx: &mut Conn, ids: &[Uuid]) -> Result<()> {
    if let Some(lock) = LOCK_CHANGES {
        sqlx::query(lock).execute(&mut *tx).await?;
    }
    let now = Utc::now();
    insert_rows(
        tx,
        "directory_changes",
        &["service_id", "changed_at"],
        "",
        ids,
        |values, id| {
            values.push_bind(key(*id)).push_bind(stamp(now));
        },
    )
    .await
}

/// An import's open transaction and what it has done so far.
struct Import {
    tx: sqlx::Transaction<'static, DB>,
    summary: ImportSummary,
}

#[async_trait]
impl ServiceImport for Import {
    async fn put(&mut self, services: &[Service]) -> Result<()> {
        let batch = last_of_each(services, |s| s.id);
        let done = write_services(&mut self.tx, &batch).await?;
        let ids: Vec<Uuid> = batch.iter().map(|s| s.id).collect();
        record_changes(&mut self.tx, &ids).await?;
        self.summary.added += done.added;
        self.summary.updated += done.updated;
        Ok(())
    }

    async fn commit(self: Box<Self>) -> Result<ImportSummary> {
        self.tx.commit().await?;
        tracing::debug!(
            added = self.summary.added,
            updated = self.summary.updated,
            "stored services"
        );
        Ok(self.summary)
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn put_services(&self, services: &[Service]) -> Result<ImportSummary> {
        let mut import = self.begin_import().await?;
        import.put(services).await?;
        import.commit().await
    }

    async fn begin_import(&self) -> Result<Box<dyn ServiceImport>> {
        Ok(Box::new(Import {
            tx: begin_write(&self.writer).await?,
            summary: ImportSummary::default(),
        }))
    }

    async fn service(&self, id: Uuid) -> Result<Option<Service>> {
        Ok(self.services_by_id(&[id]).await?.into_iter().next())
    }

    async fn services_by_id(&self, ids: &[Uuid]) -> Result<Vec<Service>> {
        let mut tx = begin_read(&self.reader).await?;
        let documents = select_in(
            &mut tx,
            "SELECT document FROM services",
            "id",
            "",
            ids,
            |row| parse_document(row.try_get::<&str, _>(0)?),
        )
        .await?;
        tx.commit().await?;
        let mut found: HashMap<Uuid, Service> = documents.into_iter().map(|s| (s.id, s)).collect();
        // In the order asked for; an id asked for twice is given twice.
        let mut wanted: HashMap<Uuid, usize> = HashMap::new();
        for id in ids {
            *wanted.entry(*id).or_default() += 1;
        }
        let mut out = Vec::with_capacity(found.len());
        for id in ids {
            let left = wanted.get_mut(id).expect("counted above");
            *left -= 1;
            let service = if *left == 0 {
                found.remove(id)
            } else {
                found.get(id).cloned()
            };
            out.extend(service);
        }
        Ok(out)
    }

    async fn services_after(
        &self,
        after: Option<Uuid>,
        limit: u32,
        filter: &ServiceFilter,
    ) -> Result<Vec<Service>> {
        let mut query = QueryBuilder::<DB>::new("SELECT document FROM services WHERE 1 = 1");
        if let Some(after) = after {
            query.push(" AND id > ").push_bind(key(after));
        }
        push_filter(&mut query, filter);
        query
            .push(" ORDER BY id LIMIT ")
            .push_bind(i64::from(limit));
        let rows = query.build().fetch_all(&self.reader).await?;
        rows.iter()
            .map(|row| parse_document(row.try_get::<&str, _>(0)?))
            .collect()
    }

    async fn count_services(&self, filter: &ServiceFilter) -> Result<u64> {
        let mut query = QueryBuilder::<DB>::new("SELECT COUNT(*) FROM services WHERE 1 = 1");
        push_filter(&mut query, filter);
        let n: i64 = query.build_query_scalar().fetch_one(&self.reader).await?;
        Ok(count(n))
    }

    async fn refresh_documents(&self) -> Result<u64> {
        let mut tx = begin_write(&self.writer).await?;
        let mut differed = 0;
        let mut after: Option<Uuid> = None;
        loop {
            let mut query = QueryBuilder::<DB>::new(select_service_rows());
            if let Some(after) = after {
                query.push(" WHERE id > ").push_bind(key(after));
            }
            query.push(" ORDER BY id LIMIT 1000");
            let rows = query
                .build()
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(service_row)
                .collect::<Result<Vec<_>>>()?;
            let Some((last, _)) = rows.last() else { break };
            after = Some(last.id);
            let ids: Vec<Uuid> = rows.iter().map(|(s, _)| s.id).collect();
            let stored: HashMap<Uuid, Service> = select_in(
                &mut tx,
                "SELECT document FROM services",
                "id",
                "",
                &ids,
                |row| parse_document(row.try_get::<&str, _>(0)?),
            )
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
            for service in fill(&mut tx, rows).await? {
                if stored.get(&service.id) != Some(&service) {
                    differed += 1;
                    sqlx::query("UPDATE services SET document = $1 WHERE id = $2")
                        .bind(document(&service)?)
                        .bind(key(service.id))
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(differed)
    }

    async fn delete_service(&self, id: Uuid) -> Result<bool> {
        let mut tx = begin_write(&self.writer).await?;
        // The lists go with the service through ON DELETE CASCADE.
        let done = sqlx::query("DELETE FROM services WHERE id = $1")
            .bind(key(id))
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() > 0 {
            record_changes(&mut tx, &[id]).await?;
        }
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    async fn directory_changes_after(
        &self,
        after: u64,
        limit: u32,
    ) -> Result<Vec<DirectoryChange>> {
        let rows = sqlx::query(
            "SELECT seq, service_id FROM directory_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(i64::try_from(after).unwrap_or(i64::MAX))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DirectoryChange {
                    seq: count(row.try_get::<i64, _>(0)?),
                    service_id: uuid_of(row.try_get::<Key, _>(1)?),
                })
            })
            .collect()
    }

    async fn close(&self) -> Result<()> {
        if let Some(checkpoint) = CHECKPOINT_ON_CLOSE {
            sqlx::query(checkpoint).execute(&self.writer).await?;
        }
        self.writer.close().await;
        self.reader.close().await;
        Ok(())
    }

    async fn last_directory_change(&self) -> Result<u64> {
        let last: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM directory_changes")
            .fetch_one(&self.reader)
            .await?;
        Ok(last.map_or(0, count))
    }

    async fn organization(&self, id: Uuid) -> Result<Option<Organization>> {
        let mut conn = self.reader.acquire().await?;
        Ok(select_in(
            &mut conn,
            SELECT_ORGANIZATION,
            "id",
            "",
            &[id],
            organization_row,
        )
        .await?
        .into_iter()
        .next())
    }

    async fn organizations(&self, offset: u64, limit: u32) -> Result<Vec<Organization>> {
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let mut query = QueryBuilder::<DB>::new(SELECT_ORGANIZATION);
        query
            .push(" ORDER BY name_lower, id LIMIT ")
            .push_bind(i64::from(limit))
            .push(" OFFSET ")
            .push_bind(offset);
        query
            .build()
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(organization_row)
            .collect()
    }

    async fn count_organizations(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
            .fetch_one(&self.reader)
            .await?;
        Ok(count(n))
    }

    async fn put_postcodes(&self, points: &[PostcodePoint]) -> Result<u64> {
        let points = last_of_each(points, |p| {
            // Postcodes have no uuid; any stable key that tells them apart will do here.
            Uuid::new_v5(&Uuid::NAMESPACE_OID, p.postcode.as_str().as_bytes())
        });
        let mut tx = begin_write(&self.writer).await?;
        upsert_rows(
            &mut tx,
            "postcodes",
            &["code", "kind", "latitude", "longitude"],
            &points,
            |v, p| {
                v.push_bind(p.postcode.as_str())
                    .push_bind(postcode_kind(&p.postcode))
                    .push_bind(p.position.lat)
                    .push_bind(p.position.lon);
            },
        )
        .await?;
        tx.commit().await?;
        Ok(points.len() as u64)
    }

    async fn postcode(&self, postcode: &Postcode) -> Result<Option<LatLon>> {
        let found: Option<(f64, f64)> =
            sqlx::query_as("SELECT latitude, longitude FROM postcodes WHERE code = $1")
                .bind(postcode.as_str())
                .fetch_optional(&self.reader)
                .await?;
        Ok(found.map(|(lat, lon)| LatLon { lat, lon }))
    }

    async fn put_places(&self, places: &[Place]) -> Result<()> {
        let places = last_of_each(places, |p| {
            Uuid::new_v5(
                &Uuid::NAMESPACE_OID,
                p.name.trim().to_lowercase().as_bytes(),
            )
        });
        let mut tx = begin_write(&self.writer).await?;
        upsert_rows(
            &mut tx,
            "places",
            &["name_lower", "name", "latitude", "longitude"],
            &places,
            |v, p| {
                v.push_bind(p.name.trim().to_lowercase())
                    .push_bind(p.name.as_str())
                    .push_bind(p.position.lat)
                    .push_bind(p.position.lon);
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn place(&self, name: &str) -> Result<Option<Place>> {
        let found: Option<(String, f64, f64)> =
            sqlx::query_as("SELECT name, latitude, longitude FROM places WHERE name_lower = $1")
                .bind(name.trim().to_lowercase())
                .fetch_optional(&self.reader)
                .await?;
        Ok(found.map(|(name, lat, lon)| Place {
            name,
            position: LatLon { lat, lon },
        }))
    }

    async fn report_problem(&self, service_id: Uuid, what: &str) -> Result<ProblemReport> {
        let report = ProblemReport {
            // Time-ordered, so reports made in the same microsecond still list in order.
            id: Uuid::now_v7(),
            service_id,
            what: what.to_owned(),
            // Microseconds, which both backends keep, so the report reads back the same.
            reported_at: Utc::now().trunc_subsecs(6),
            resolved: false,
        };
        let mut tx = begin_write(&self.writer).await?;
        let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM services WHERE id = $1")
            .bind(key(service_id))
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound("service"));
        }
        sqlx::query(
            "INSERT INTO problem_reports (id, service_id, what, reported_at, resolved) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(key(report.id))
        .bind(key(report.service_id))
        .bind(report.what.as_str())
        .bind(stamp(report.reported_at))
        .bind(report.resolved)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    async fn problem_reports(&self) -> Result<Vec<ProblemReport>> {
        sqlx::query(
            "SELECT id, service_id, what, reported_at, resolved FROM problem_reports \
             ORDER BY reported_at, id",
        )
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(problem_report_row)
        .collect()
    }

    async fn resolve_problem(&self, id: Uuid) -> Result<bool> {
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query("UPDATE problem_reports SET resolved = $1 WHERE id = $2")
            .bind(true)
            .bind(key(id))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    async fn record_listing_reminder(
        &self,
        service_id: Uuid,
        checked_on: Option<chrono::NaiveDate>,
        stage: &str,
        at: DateTime<Utc>,
    ) -> Result<bool> {
        let checked_on = checked_on.map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "INSERT INTO listing_reminders (service_id, checked_on, stage, sent_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(key(service_id))
        .bind(checked_on)
        .bind(stage)
        .bind(stamp(at))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() == 1)
    }

    fn backend_name(&self) -> &'static str {
        NAME
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }
}
