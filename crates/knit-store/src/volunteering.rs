//! Volunteering, activities and peer connection in storage: the roles organisations post,
//! the offers residents make ("I'm interested") with their outcomes and chases, hubs and
//! activities (one-off, repeating, or imported from a partner's calendar feed), people who
//! opted in to meet a peer, and the introductions between them.
//!
//! The rules live in `knit_domain::volunteering`, `activities` and `introductions`; the
//! store applies them inside the transaction that makes each change, with its audit event.
//! What a volunteer or a person told us is sealed per row and never logged.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use knit_domain::account::{OrganizationId, UserId};
use knit_domain::activities::{ActivityPlan, FeedEvent, HubPlan};
use knit_domain::casework::PersonId;
use knit_domain::geo::LatLon;
use knit_domain::introductions::{Answer, Answers, IntroductionRefused, PeerInterest, Side};
use knit_domain::volunteering::{
    AnswerRefused, InterestAnswer, InterestChase, InterestStatus, Opportunity, OpportunityPlan,
    ReplyTime, StrengthsProfile, VolunteerOffer,
};
use thiserror::Error;
use uuid::Uuid;

use crate::casework::Stamp;
use crate::{Result, StoreError};

pub struct NewOpportunity {
    pub plan: OpportunityPlan,
    pub organization_name: String,
    pub position: Option<LatLon>,
    pub stamp: Stamp,
}

/// Who is offering: a resident through the public form, or a person a coordinator refers.
pub struct NewInterest {
    pub opportunity: Uuid,
    pub offer: VolunteerOffer,
    /// The person on a coordinator's caseload, when a coordinator referred them.
    pub person: Option<PersonId>,
    pub stamp: Stamp,
}

/// One offer as an inbox lists it: no name, no contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterestSummary {
    pub id: Uuid,
    pub opportunity: Uuid,
    pub opportunity_title: String,
    pub organization: OrganizationId,
    pub person: Option<PersonId>,
    pub status: InterestStatus,
    pub chased: Option<InterestChase>,
    pub sent_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// One offer opened: with what the volunteer sent. Its `Debug` leaves that out.
#[derive(Clone, PartialEq, Eq)]
pub struct Interest {
    pub summary: InterestSummary,
    pub offer: VolunteerOffer,
    /// Why the role was not suitable, when that was the outcome.
    pub reason: Option<String>,
}

impl fmt::Debug for Interest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interest")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Error)]
pub enum InterestError {
    #[error("there is no such volunteer role")]
    NoSuchOpportunity,
    #[error("this role is no longer taking offers")]
    Closed,
    #[error("there is no such offer")]
    NoSuchInterest,
    #[error(transparent)]
    Refused(#[from] AnswerRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A hub as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hub {
    pub id: Uuid,
    pub plan: HubPlan,
}

/// An activity as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: Uuid,
    pub plan: ActivityPlan,
    /// The feed it was imported from, if any.
    pub feed: Option<String>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub hub: Option<Uuid>,
    pub organization: Option<OrganizationId>,
}

/// What importing a feed did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedImport {
    pub added: u32,
    pub updated: u32,
}

/// A person who opted in to meet a peer. Its `Debug` leaves out what about.
#[derive(Clone, PartialEq, Eq)]
pub struct PeerOptIn {
    pub person: PersonId,
    pub interest: PeerInterest,
    pub recorded_by: UserId,
    pub at: DateTime<Utc>,
}

impl fmt::Debug for PeerOptIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PeerOptIn")
            .field("person", &self.person)
            .finish_non_exhaustive()
    }
}

/// An introduction between two people who opted in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Introduction {
    pub id: Uuid,
    pub first: PersonId,
    pub second: PersonId,
    /// The coordinator who proposed it, named on it.
    pub coordinator: UserId,
    pub answers: Answers,
    pub proposed_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
}

impl Introduction {
    pub fn person(&self, side: Side) -> PersonId {
        match side {
            Side::First => self.first,
            Side::Second => self.second,
        }
    }

    pub fn side_of(&self, person: PersonId) -> Option<Side> {
        if person == self.first {
            Some(Side::First)
        } else if person == self.second {
            Some(Side::Second)
        } else {
            None
        }
    }
}

#[derive(Debug, Error)]
pub enum IntroductionError {
    #[error("there is no such introduction")]
    NoSuchIntroduction,
    #[error(transparent)]
    Refused(#[from] IntroductionRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[async_trait]
pub trait VolunteeringStore: Send + Sync {
    // --- roles ---

    /// Posts a role, with its audit event.
    async fn post_opportunity(&self, new: NewOpportunity) -> Result<Opportunity>;

    async fn opportunity(&self, id: Uuid) -> Result<Option<Opportunity>>;

    /// Closes a role to new offers, or opens it again, with its audit event: the role as it
    /// now is, or `None` when there is no such role. Offers already made stay to be
    /// answered.
    async fn set_opportunity_open(
        &self,
        id: Uuid,
        open: bool,
        stamp: Stamp,
    ) -> Result<Option<Opportunity>>;

    /// Open roles in id order after `after`, a page at a time: what search is built from.
    async fn open_opportunities(&self, after: Option<Uuid>, limit: u32)
    -> Result<Vec<Opportunity>>;

    /// A number that changes whenever a role is posted or changed, by any instance: how
    /// each process knows its search of roles is stale.
    async fn opportunities_version(&self) -> Result<String>;

    /// An organisation's roles (every organisation's with `None`), newest first.
    async fn organization_opportunities(
        &self,
        organization: Option<OrganizationId>,
        limit: u32,
    ) -> Result<Vec<Opportunity>>;

    // --- offers ---

    /// Keeps an offer, its details sealed, with its audit event.
    async fn express_interest(&self, new: NewInterest) -> Result<InterestSummary, InterestError>;

    /// Offers to an organisation (every organisation's with `None`), newest first.
    async fn interests(
        &self,
        organization: Option<OrganizationId>,
        limit: u32,
    ) -> Result<Vec<InterestSummary>>;

    /// Offers made for a person on a caseload, newest first.
    async fn person_interests(&self, person: PersonId) -> Result<Vec<InterestSummary>>;

    /// One offer, opened.
    async fn interest(&self, id: Uuid) -> Result<Option<Interest>>;

    /// The organisation's answer, applied by the rule in `knit_domain::volunteering::answer`.
    async fn answer_interest(
        &self,
        id: Uuid,
        answer: &InterestAnswer,
        stamp: Stamp,
    ) -> Result<InterestSummary, InterestError>;

    /// Unanswered offers sent at or before `sent_before`, oldest first.
    async fn interests_to_chase(
        &self,
        sent_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<InterestSummary>>;

    /// Records a chase before it is sent; false if this stage (or a later one) was recorded
    /// already, by this instance or another.
    async fn mark_interest_chased(
        &self,
        id: Uuid,
        chase: InterestChase,
        at: DateTime<Utc>,
    ) -> Result<bool>;

    /// When each offer to the organisation sent since `since` was sent and first answered.
    async fn reply_times(
        &self,
        organization: OrganizationId,
        since: DateTime<Utc>,
    ) -> Result<Vec<ReplyTime>>;

    /// Records (or replaces) a person's strengths, sealed, with its audit event.
    async fn set_strengths(
        &self,
        person: PersonId,
        profile: &StrengthsProfile,
        stamp: Stamp,
    ) -> Result<()>;

    async fn strengths(&self, person: PersonId) -> Result<Option<StrengthsProfile>>;

    // --- hubs and activities ---

    async fn add_hub(&self, plan: &HubPlan, stamp: Stamp) -> Result<Hub>;

    async fn hub(&self, id: Uuid) -> Result<Option<Hub>>;

    /// Every hub, by name.
    async fn hubs(&self) -> Result<Vec<Hub>>;

    async fn add_activity(&self, plan: &ActivityPlan, stamp: Stamp) -> Result<Activity>;

    async fn activity(&self, id: Uuid) -> Result<Option<Activity>>;

    /// Activities at a hub, of an organisation, or all, by title.
    async fn activities(&self, filter: ActivityFilter) -> Result<Vec<Activity>>;

    /// Stores every event of a feed in one transaction, replacing those imported from the
    /// same feed before (by their uid), with one audit event.
    async fn import_activities(
        &self,
        feed: &str,
        events: &[FeedEvent],
        stamp: Stamp,
    ) -> Result<FeedImport>;

    // --- peer connection ---

    /// Records (or renews) a person's opt-in, sealed.
    async fn record_peer_opt_in(
        &self,
        person: PersonId,
        interest: &PeerInterest,
        stamp: Stamp,
    ) -> Result<()>;

    /// The person no longer wants to be introduced. True if they had opted in.
    async fn withdraw_peer_opt_in(&self, person: PersonId, stamp: Stamp) -> Result<bool>;

    async fn peer_opt_in(&self, person: PersonId) -> Result<Option<PeerOptIn>>;

    /// Everyone opted in now, oldest first.
    async fn peer_opt_ins(&self, limit: u32) -> Result<Vec<PeerOptIn>>;

    /// Proposes an introduction; both must be opted in, and not already have one under way.
    async fn propose_introduction(
        &self,
        first: PersonId,
        second: PersonId,
        stamp: Stamp,
    ) -> Result<Introduction, IntroductionError>;

    async fn introduction(&self, id: Uuid) -> Result<Option<Introduction>>;

    /// Introductions involving `person` (all with `None`), newest first.
    async fn introductions(
        &self,
        person: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<Introduction>>;

    async fn answer_introduction(
        &self,
        id: Uuid,
        side: Side,
        answer: Answer,
        stamp: Stamp,
    ) -> Result<Introduction, IntroductionError>;

    async fn stop_introduction(
        &self,
        id: Uuid,
        stamp: Stamp,
    ) -> Result<Introduction, IntroductionError>;
}
