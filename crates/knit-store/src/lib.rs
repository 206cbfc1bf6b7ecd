//! Knit's persistence: one [`Store`] API over SQLite (the default, one file) and
//! PostgreSQL (for several instances), with a migrations folder for each backend.
//!
//! The database is the one source of truth. Everything a page shows is read through
//! this API, and every multi-step change happens in one transaction.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use knit_domain::Service;
use knit_domain::directory::Organization;
use knit_domain::geo::LatLon;
use knit_domain::postcode::Postcode;
use uuid::Uuid;

pub mod accounts;
pub mod assets;
pub mod backup;
pub mod casework;
pub mod connectors;
mod error;
pub mod fund;
pub mod insight;
pub mod match_events;
mod open;
mod postgres;
pub mod sealing;
mod sqlite;
pub mod volunteering;

pub use accounts::AccountStore;
pub use assets::AssetStore;
pub use casework::CaseworkStore;
pub use connectors::ConnectorStore;
pub use error::StoreError;
pub use fund::FundStore;
pub use insight::InsightStore;
pub use match_events::MatchEventStore;
pub use open::{drop_postgres_schema, open, open_postgres_isolated};
pub use volunteering::VolunteeringStore;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: u64,
    pub updated: u64,
}

/// An import under way (see [`Store::begin_import`]). Dropping it without committing
/// leaves the database as it was.
#[async_trait]
pub trait ServiceImport: Send {
    /// Adds or replaces a batch of services by id, as [`Store::put_services`] does. Other
    /// writers wait until the import ends.
    async fn put(&mut self, services: &[Service]) -> Result<()>;

    /// Keeps everything put, and says what the whole import did.
    async fn commit(self: Box<Self>) -> Result<ImportSummary>;
}

/// A postcode, or a sector or district centroid, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct PostcodePoint {
    pub postcode: Postcode,
    pub position: LatLon,
}

/// A named place (a town, village or neighbourhood) people may search near.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub position: LatLon,
}

/// "Report a problem with this page", kept for the place leads.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemReport {
    pub id: Uuid,
    pub service_id: Uuid,
    pub what: String,
    pub reported_at: DateTime<Utc>,
    pub resolved: bool,
}

/// One numbered write to a service: it was added, replaced or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectoryChange {
    pub seq: u64,
    pub service_id: Uuid,
}

/// Filters for reading services page by page (API listings and exports).
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    pub organization_id: Option<Uuid>,
    pub modified_after: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait Store:
    AccountStore
    + AssetStore
    + CaseworkStore
    + ConnectorStore
    + InsightStore
    + MatchEventStore
    + VolunteeringStore
    + FundStore
    + Send
    + Sync
    + 'static
{
    // --- the directory ---

    /// Adds or replaces each service (and its organisation) by id, all in one transaction:
    /// either every service is stored or none is.
    async fn put_services(&self, services: &[Service]) -> Result<ImportSummary>;

    /// Starts an import too large to hold at once: services go in a batch at a time, all
    /// in one transaction, and none is kept unless [`ServiceImport::commit`] is called.
    async fn begin_import(&self) -> Result<Box<dyn ServiceImport>>;

    /// One fully nested service, including confidential places: callers showing it to the
    /// public use [`Service::public_view`].
    async fn service(&self, id: Uuid) -> Result<Option<Service>>;

    /// Fully nested services with these ids, in the order of `ids`; unknown ids are skipped.
    async fn services_by_id(&self, ids: &[Uuid]) -> Result<Vec<Service>>;

    /// Up to `limit` services in id order, starting after `after`: the way to walk the whole
    /// directory without holding it all at once.
    async fn services_after(
        &self,
        after: Option<Uuid>,
        limit: u32,
        filter: &ServiceFilter,
    ) -> Result<Vec<Service>>;

    async fn count_services(&self, filter: &ServiceFilter) -> Result<u64>;

    /// Removes a service and everything nested in it (its locations and organisation stay,
    /// as other services may share them). Returns whether there was such a service.
    async fn delete_service(&self, id: Uuid) -> Result<bool>;

    /// Writes to services after change number `after`, oldest first: how each running
    /// instance keeps its search index current with writes made elsewhere.
    async fn directory_changes_after(&self, after: u64, limit: u32)
    -> Result<Vec<DirectoryChange>>;

    /// The number of the latest change, 0 if there is none.
    async fn last_directory_change(&self) -> Result<u64>;

    /// Finishes with the database before the process ends: every connection is closed,
    /// waited for, and on SQLite the write-ahead log is folded into the file first. A
    /// command that ends without it leaves SQLite's log for the next start to read.
    async fn close(&self) -> Result<()>;

    /// Assembles every service again from its rows and rewrites each stored document that
    /// differs (each service keeps its whole JSON for fast reading). Returns how many
    /// differed: 0 unless a document went stale, or an upgrade changed how services are
    /// written.
    async fn refresh_documents(&self) -> Result<u64>;

    async fn organization(&self, id: Uuid) -> Result<Option<Organization>>;

    /// Organisations in name order, a page at a time (offset and limit).
    async fn organizations(&self, offset: u64, limit: u32) -> Result<Vec<Organization>>;

    async fn count_organizations(&self) -> Result<u64>;

    // --- places ---

    /// Adds or replaces postcodes in one transaction; returns how many were written.
    async fn put_postcodes(&self, points: &[PostcodePoint]) -> Result<u64>;

    /// The position of exactly this postcode, sector or district, if known.
    async fn postcode(&self, postcode: &Postcode) -> Result<Option<LatLon>>;

    async fn put_places(&self, places: &[Place]) -> Result<()>;

    /// A place whose name matches, ignoring case.
    async fn place(&self, name: &str) -> Result<Option<Place>>;

    // --- feedback ---

    /// Keeps a report about a listed service; [`StoreError::NotFound`] when there is no such
    /// service.
    async fn report_problem(&self, service_id: Uuid, what: &str) -> Result<ProblemReport>;

    /// Every report, oldest first.
    async fn problem_reports(&self) -> Result<Vec<ProblemReport>>;

    /// Marks a report dealt with. Returns whether there was such a report.
    async fn resolve_problem(&self, id: Uuid) -> Result<bool>;

    /// Records that a reminder to check a listing was sent, for the date it was last
    /// checked (`None`: never) and the stage (`reminder` or `flag`). False if it had been
    /// already, by this instance or another: then it is not sent again.
    async fn record_listing_reminder(
        &self,
        service_id: Uuid,
        checked_on: Option<chrono::NaiveDate>,
        stage: &str,
        at: DateTime<Utc>,
    ) -> Result<bool>;

    // --- the database itself ---

    /// "sqlite" or "postgres".
    fn backend_name(&self) -> &'static str;

    /// Whether the database answers: for health checks.
    async fn ping(&self) -> Result<()>;
}

/// A store shared across tasks, as [`open`] returns it.
pub type SharedStore = Arc<dyn Store>;
