//! Place insight in storage: searches that found nothing, and the figures behind the agency
//! map, the network's response and the impact report, each aggregated in SQL over an index
//! so a county's data is never read row by row. Nothing here names a person: the rows
//! are counts by need, area, organisation, month or state. Rules (areas, percentiles,
//! gaps, disclosure) are `knit_domain::insight` and `knit_domain::disclosure`.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use knit_domain::geo::LatLon;
use knit_domain::needs::NeedId;
use knit_domain::wards::Ward;
use knit_domain::wellbeing::{Measure, MeasureKind};
use uuid::Uuid;

use crate::Result;

/// Searches that found nothing, counted together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchMiss {
    /// `YYYY-MM`.
    pub month: String,
    /// Normalised by `knit_domain::insight::miss_words`.
    pub words: String,
    /// A postcode district or sector, a place's name, or empty.
    pub area: String,
    /// The need the matcher heard in the words, or empty.
    pub need: String,
    pub count: u64,
}

/// A period, start inclusive and end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// Referrals sent from one organisation (or from the place's coordinators, `None`) to
/// another in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub from: Option<Uuid>,
    pub to: Uuid,
    pub count: u64,
}

/// How many of an organisation's referrals took this many calendar days, from a
/// referral sent on this weekday, to the first answer or to the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseBucket {
    pub organization: Uuid,
    pub sent_on: Weekday,
    pub days: u32,
    pub count: u64,
}

/// Both kinds of response time for a period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseTimes {
    pub to_answer: Vec<ResponseBucket>,
    pub to_outcome: Vec<ResponseBucket>,
}

/// An organisation's referrals in a period by state and, when turned down, the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralStates {
    pub organization: Uuid,
    pub status: String,
    pub reason: Option<String>,
    pub count: u64,
}

/// Supply in one area for one need: the services meeting it, and how many of them carry a
/// notice on their listing (HSDS `alert`: full, a waiting list, closed for now), which is
/// how a listing says it has no room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplyCell {
    pub area: String,
    pub need: NeedId,
    pub organization: Uuid,
    pub services: u64,
    pub with_notice: u64,
}

/// A place a need is met, on a grid of about a kilometre.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyPlace {
    pub need: NeedId,
    pub position: LatLon,
}

/// A service meeting a need at a place, for areas placed by position (wards).
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedService {
    pub service: Uuid,
    pub organization: Uuid,
    pub need: NeedId,
    pub position: LatLon,
    /// Whether its listing carries a notice (see [`SupplyCell::with_notice`]).
    pub with_notice: bool,
}

/// A weekly schedule shape shared by this many services meeting a need in an area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleShape {
    pub area: String,
    pub need: NeedId,
    pub freq: Option<String>,
    pub byday: Option<String>,
    pub opens_at: Option<u16>,
    pub closes_at: Option<u16>,
    pub count: u64,
}

/// A count by need and area (area empty where it is not known).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedCount {
    pub need: NeedId,
    pub area: String,
    pub count: u64,
}

/// A count by month and need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthCount {
    pub month: String,
    pub need: NeedId,
    pub count: u64,
}

/// Casework needs by need and outcome (`None`: no outcome yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeCount {
    pub need: NeedId,
    pub outcome: Option<String>,
    pub count: u64,
}

/// A person's first and last measure of one kind in a period, without who they are.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasurePair {
    pub kind: MeasureKind,
    pub first: Measure,
    pub last: Measure,
}

/// Connectors' work in a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConversationTotals {
    pub conversations: u64,
    pub offers_of_help: u64,
    pub hand_offs: u64,
    pub connectors: u64,
}

/// Training attendance by organisation (as the booker gave it) and kind of session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingCount {
    pub organization: String,
    pub kind: String,
    pub attended: u64,
}

/// A referral made up for scale tests (`knit bench insight`): no person behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntheticReferral {
    pub id: Uuid,
    pub service_id: Uuid,
    pub organization: Uuid,
    pub from_organization: Option<Uuid>,
    pub status: String,
    pub reason: Option<String>,
    pub sent_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait InsightStore: Send + Sync {
    // --- searches that found nothing ---

    /// Adds each batch of misses to the counts, in one transaction.
    async fn add_search_misses(&self, misses: &[SearchMiss]) -> Result<()>;

    /// Removes the counts of months before `first_kept` (`YYYY-MM`); returns how many rows.
    async fn purge_search_misses(&self, first_kept: &str) -> Result<u64>;

    /// Misses from `from_month` on, summed by words, area and need, largest first.
    async fn search_misses(&self, from_month: &str, limit: u32) -> Result<Vec<SearchMiss>>;

    /// Misses from `from_month` on, by the need the matcher heard and area (misses with no
    /// need heard are left out).
    async fn search_miss_needs(&self, from_month: &str) -> Result<Vec<NeedCount>>;

    // --- how the network responds ---

    async fn referral_flow(&self, period: Period) -> Result<Vec<Flow>>;

    /// Response times of referrals sent in the period, one organisation or all.
    async fn response_times(
        &self,
        period: Period,
        organization: Option<Uuid>,
    ) -> Result<ResponseTimes>;

    async fn referral_states(&self, period: Period) -> Result<Vec<ReferralStates>>;

    /// Referrals turned down for lack of capacity in the period, by the needs of the
    /// service they were sent to.
    async fn capacity_refusals(&self, period: Period) -> Result<Vec<NeedCount>>;

    // --- the agency map ---

    /// Active services by area (postcode district, or sector with `sector`), need and
    /// organisation.
    async fn supply(&self, sector: bool) -> Result<Vec<SupplyCell>>;

    /// Where each need is met, rounded to about a kilometre.
    async fn supply_places(&self) -> Result<Vec<SupplyPlace>>;

    /// The weekly schedules of services by area and need, grouped by their shape.
    async fn schedule_shapes(&self, sector: bool) -> Result<Vec<ScheduleShape>>;

    /// Each active service's needs at each of its public places with a position, for
    /// areas placed by position (wards, local authorities).
    async fn placed_services(&self) -> Result<Vec<PlacedService>>;

    /// Puts `wards` in place of every ward held, in one transaction; returns how many.
    async fn replace_wards(&self, wards: &[Ward]) -> Result<u64>;

    /// Every ward held, by code.
    async fn wards(&self) -> Result<Vec<Ward>>;

    /// The centre of each area named (district or sector centroids).
    async fn area_centres(&self, areas: &[String]) -> Result<Vec<(String, LatLon)>>;

    /// Needs raised in connectors' conversations in the period, by need and area as logged.
    async fn conversation_needs(&self, from: NaiveDate, until: NaiveDate)
    -> Result<Vec<NeedCount>>;

    /// Needs raised in casework in the period (no area: a person's address is sealed).
    async fn casework_needs(&self, period: Period) -> Result<Vec<NeedCount>>;

    /// Organisation names, for the ids given.
    async fn organization_names(&self, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>>;

    // --- impact ---

    /// People whose support was open at some time in the period.
    async fn people_supported(&self, period: Period) -> Result<u64>;

    async fn casework_needs_by_month(&self, period: Period) -> Result<Vec<MonthCount>>;

    async fn outcomes_by_need(&self, period: Period) -> Result<Vec<OutcomeCount>>;

    /// For each person and kind, their first measure and their last later one recorded in
    /// the period (people with one measure of a kind are left out).
    async fn measure_pairs(&self, period: Period) -> Result<Vec<MeasurePair>>;

    /// Connectors' conversations in the period, in one area (as logged) or all.
    async fn conversation_totals(
        &self,
        from: NaiveDate,
        until: NaiveDate,
        area: Option<&str>,
    ) -> Result<ConversationTotals>;

    async fn training_by_organization(&self, period: Period) -> Result<Vec<TrainingCount>>;

    /// For scale tests only: adds referrals in bulk, all for one made-up closed case with
    /// nothing sealed, in one transaction. Returns how many were added.
    async fn add_synthetic_referrals(&self, referrals: &[SyntheticReferral]) -> Result<u64>;
}
