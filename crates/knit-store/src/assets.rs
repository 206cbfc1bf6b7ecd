//! Community assets and groups in storage: the asset register, booking requests and their
//! decisions, ideas for groups and the groups published from them.
//!
//! The rules live in `knit_domain::assets` and `knit_domain::groups`. The store applies the
//! slot rule (`check_slot`: not past, inside the availability, overlapping no approved
//! booking) inside the transaction that requests or approves, holding the asset's row on
//! PostgreSQL (SQLite's `BEGIN IMMEDIATE` already serialises writers), so two approvals of
//! the same slot at once end with exactly one approved. Emails are queued in the same
//! transaction; a person's offer, a requester's details and an idea's author are sealed.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use knit_domain::Service;
use knit_domain::account::{OrganizationId, UserId};
use knit_domain::assets::{
    AssetDetails, AssetKind, AssetPlan, Availability, BookingRequest, BookingStatus, Owner,
    PersonalOffer, Requester, Slot, SlotProblem,
};
use knit_domain::groups::{GroupIdea, GroupRecord, GroupStatus};
use thiserror::Error;
use uuid::Uuid;

use crate::Result;
use crate::StoreError;
use crate::accounts::NewJob;
use crate::casework::Stamp;

/// An asset as stored. A person's offer is opened only for staff reads
/// ([`AssetStore::asset`]); public lists leave it out.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    pub id: Uuid,
    pub kind: AssetKind,
    pub owner: Owner,
    pub details: AssetDetails,
    pub availability: Availability,
    /// Shown on the public site.
    pub public: bool,
    pub offer: Option<PersonalOffer>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Asset {
    /// The organisation that answers its booking requests; `None` for a person's offer,
    /// which place leads answer.
    pub fn organization(&self) -> Option<OrganizationId> {
        match self.owner {
            Owner::Organization(org) => Some(org),
            Owner::Person => None,
        }
    }
}

/// What the browse page and the staff list ask for.
#[derive(Debug, Clone, Default)]
pub struct AssetFilter {
    pub kind: Option<AssetKind>,
    pub free_only: bool,
    pub min_capacity: Option<u32>,
    pub accessible_only: bool,
    /// Only what the public may see.
    pub public_only: bool,
    /// Only this organisation's assets (`Some(None)`: only people's offers).
    pub owner: Option<Option<OrganizationId>>,
}

/// One occurrence of a booking request.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetBooking {
    pub id: Uuid,
    pub asset_id: Uuid,
    pub series_id: Uuid,
    pub slot: Slot,
    pub status: BookingStatus,
    pub people: u32,
    pub requester: Requester,
    pub reason: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Writes the emails for a request or a decision, given the asset and every occurrence.
pub type AssetMailFor<'a> = &'a (dyn Fn(&Asset, &[AssetBooking]) -> Vec<NewJob> + Send + Sync);

pub struct NewAssetBooking<'a> {
    pub asset_id: Uuid,
    pub request: BookingRequest,
    pub at: DateTime<Utc>,
    pub mail: AssetMailFor<'a>,
}

/// The owner's answer to a request: for every occurrence of its series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookingAnswer {
    Approve,
    Decline { reason: String },
}

pub struct BookingDecision<'a> {
    /// Any occurrence of the series.
    pub booking_id: Uuid,
    pub answer: BookingAnswer,
    pub stamp: Stamp,
    pub mail: AssetMailFor<'a>,
}

#[derive(Debug, Error)]
pub enum AssetBookingError {
    #[error("there is no such asset")]
    NoSuchAsset,
    #[error("there is no such booking")]
    NoSuchBooking,
    /// An occurrence (numbered from 1) breaks the slot rule.
    #[error("occurrence {occurrence}: {problem}")]
    Slot {
        occurrence: usize,
        problem: SlotProblem,
    },
    #[error("this request has been answered already")]
    AlreadyDecided,
    #[error("say why the request is declined")]
    ReasonRequired,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// An idea for a group, opened for coordinators and place leads.
#[derive(Debug, Clone, PartialEq)]
pub struct IdeaRecord {
    pub id: Uuid,
    pub idea: GroupIdea,
    pub taken: bool,
    pub at: DateTime<Utc>,
}

/// A group as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityGroup {
    pub id: Uuid,
    pub idea_id: Option<Uuid>,
    pub status: GroupStatus,
    pub record: GroupRecord,
    pub venue_booking: Option<Uuid>,
    pub service_id: Uuid,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Error)]
pub enum GroupError {
    #[error("there is no such group")]
    NoSuchGroup,
    #[error("there is no such idea")]
    NoSuchIdea,
    #[error("this idea has been taken up already")]
    IdeaTaken,
    #[error("this group is published already")]
    AlreadyPublished,
    #[error("there is no such venue booking")]
    NoSuchBooking,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[async_trait]
pub trait AssetStore: Send + Sync {
    // --- the register ---

    async fn add_asset(&self, plan: &AssetPlan, stamp: Stamp) -> Result<Asset>;

    /// Replaces an asset's details (its owner stays). `None` when there is no such asset.
    async fn update_asset(&self, id: Uuid, plan: &AssetPlan, stamp: Stamp)
    -> Result<Option<Asset>>;

    /// One asset, with a person's offer opened.
    async fn asset(&self, id: Uuid) -> Result<Option<Asset>>;

    /// Assets matching `filter`, by title, at most `limit`; offers are not opened.
    async fn assets(&self, filter: &AssetFilter, limit: u32) -> Result<Vec<Asset>>;

    /// Assets with no booking request starting after `since` (nor any waiting), oldest
    /// first: the place leads' "find unused" view.
    async fn unused_assets(&self, since: DateTime<Utc>, limit: u32) -> Result<Vec<Asset>>;

    /// Approved bookings of these assets that end after `from` and start before `to`.
    async fn approved_slots(
        &self,
        assets: &[Uuid],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashMap<Uuid, Vec<Slot>>>;

    // --- bookings ---

    /// Records a request (every occurrence of it), each occurrence checked by
    /// `knit_domain::assets::check_slot` against the approved bookings in the same
    /// transaction; nothing is written if any fails.
    async fn request_booking(
        &self,
        new: NewAssetBooking<'_>,
    ) -> Result<Vec<AssetBooking>, AssetBookingError>;

    /// Approves or declines every occurrence of a request, in one transaction with its audit
    /// event and emails. An approval checks each occurrence again against the approved
    /// bookings, so of two requests for one slot only one can be approved.
    async fn decide_booking(
        &self,
        decision: BookingDecision<'_>,
    ) -> Result<Vec<AssetBooking>, AssetBookingError>;

    async fn asset_booking(&self, id: Uuid) -> Result<Option<AssetBooking>>;

    /// Every occurrence of the series `booking` belongs to, soonest first.
    async fn booking_series(&self, booking: Uuid) -> Result<Vec<AssetBooking>>;

    /// An asset's bookings ending after `from`, soonest first.
    async fn asset_bookings(&self, asset: Uuid, from: DateTime<Utc>) -> Result<Vec<AssetBooking>>;

    /// The first occurrence of each request still waiting for an answer, oldest first; only
    /// for assets matching `owner` when given (`Some(None)`: people's offers).
    async fn waiting_requests(
        &self,
        owner: Option<Option<OrganizationId>>,
        limit: u32,
    ) -> Result<Vec<AssetBooking>>;

    /// Waiting requests made before `before` whose owner has not been reminded.
    async fn requests_to_remind(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<AssetBooking>>;

    /// Notes that the owner was reminded of a series; false if it had been already.
    async fn mark_request_reminded(&self, series: Uuid, at: DateTime<Utc>) -> Result<bool>;

    // --- groups ---

    async fn record_group_idea(&self, idea: &GroupIdea, at: DateTime<Utc>) -> Result<Uuid>;

    /// Ideas not yet taken up, oldest first, opened.
    async fn group_ideas(&self, limit: u32) -> Result<Vec<IdeaRecord>>;

    async fn group_idea(&self, id: Uuid) -> Result<Option<IdeaRecord>>;

    /// Takes up an idea as a draft group, with its audit event.
    async fn take_group_idea(
        &self,
        idea: Uuid,
        record: &GroupRecord,
        stamp: Stamp,
    ) -> Result<CommunityGroup, GroupError>;

    /// Saves a group's record and venue. A published group's service is rewritten in the
    /// same transaction (`service`, built from the new record), so the listing and its
    /// capacity flags are never out of step with the group.
    async fn save_group(
        &self,
        id: Uuid,
        record: &GroupRecord,
        venue_booking: Option<Uuid>,
        service: &Service,
        stamp: Stamp,
    ) -> Result<CommunityGroup, GroupError>;

    /// Publishes a draft group as the directory service `service`, with its audit event, in
    /// one transaction.
    async fn publish_group(
        &self,
        id: Uuid,
        service: &Service,
        stamp: Stamp,
    ) -> Result<CommunityGroup, GroupError>;

    async fn community_group(&self, id: Uuid) -> Result<Option<CommunityGroup>>;

    /// Groups, newest change first; only published ones when `published_only`.
    async fn community_groups(
        &self,
        published_only: bool,
        limit: u32,
    ) -> Result<Vec<CommunityGroup>>;

    /// The user who decided a booking, for the audit trail on staff pages.
    async fn booking_decided_by(&self, booking: Uuid) -> Result<Option<UserId>>;
}
