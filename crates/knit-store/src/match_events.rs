//! Volunteer match events in storage: the event (a training session of kind
//! `MatchEvent`, booked through [`ConnectorStore`](crate::connectors::ConnectorStore) like
//! any session), the organisations coming, who met whom, and the follow-up a month on.
//!
//! The rules live in `knit_domain::match_events`. A meeting that names a role makes the
//! offer to volunteer for it in the same transaction, with both audit events, so the
//! organisation's inbox, the chaser and the follow-up all see one thing.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use knit_domain::account::OrganizationId;
use knit_domain::match_events::{BadEvent, ComingOrganisations, MeetingPlan, MeetingRefused};
use knit_domain::training::SessionPlan;
use knit_domain::volunteering::InterestStatus;
use thiserror::Error;
use uuid::Uuid;

use crate::casework::Stamp;
use crate::connectors::TrainingSession;
use crate::volunteering::InterestError;
use crate::{Result, StoreError};

/// An organisation coming to an event, named as the directory names it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coming {
    pub organization: OrganizationId,
    /// `None` once the organisation has left the directory.
    pub name: Option<String>,
}

/// An event: its session, who is coming, and whether its follow-up has gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchEvent {
    pub session: TrainingSession,
    pub coming: Vec<Coming>,
    pub followed_up_at: Option<DateTime<Utc>>,
}

impl MatchEvent {
    /// The names of the organisations coming that are still in the directory: what the
    /// public pages list.
    pub fn listed_names(&self) -> Vec<String> {
        self.coming.iter().filter_map(|c| c.name.clone()).collect()
    }
}

/// Which events to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventsWhen {
    /// Ending after this time, soonest first.
    Upcoming(DateTime<Utc>),
    /// Ended by this time, latest first.
    Past(DateTime<Utc>),
}

/// A meeting to record: the place lead's plan, and what the offer it makes says.
pub struct NewMeeting {
    pub event: Uuid,
    pub plan: MeetingPlan,
    /// The offer's message when the meeting names a role ("We met at … on …").
    pub offer_message: String,
    pub stamp: Stamp,
}

/// One meeting as the event's page lists it. Its `Debug` leaves out the volunteer's name.
#[derive(Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: Uuid,
    pub booking: Uuid,
    /// The volunteer as they booked.
    pub volunteer: String,
    pub organization: OrganizationId,
    pub role: Option<MeetingRole>,
    pub recorded_at: DateTime<Utc>,
}

/// The role a meeting was about, and where the offer it made stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRole {
    pub interest: Uuid,
    pub opportunity: Uuid,
    pub title: String,
    pub status: InterestStatus,
}

impl Meeting {
    /// Where the offer the meeting made stands; `None` when it named no role.
    pub fn offer_status(&self) -> Option<InterestStatus> {
        self.role.as_ref().map(|r| r.status)
    }
}

impl fmt::Debug for Meeting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Meeting")
            .field("id", &self.id)
            .field("organization", &self.organization)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Error)]
pub enum MatchEventError {
    #[error("there is no such match event")]
    NoSuchEvent,
    #[error(transparent)]
    BadEvent(#[from] BadEvent),
    #[error(transparent)]
    Refused(#[from] MeetingRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<InterestError> for MatchEventError {
    fn from(e: InterestError) -> MatchEventError {
        match e {
            InterestError::NoSuchOpportunity => MeetingRefused::RoleNotTheirs.into(),
            InterestError::Closed => MeetingRefused::RoleClosed.into(),
            InterestError::Store(e) => e.into(),
            // An offer just made has no answer to refuse.
            other => StoreError::Corrupt(format!("a meeting's offer: {other}")).into(),
        }
    }
}

#[async_trait]
pub trait MatchEventStore: Send + Sync {
    /// Plans an event: its session and the organisations coming, with its audit event, in
    /// one transaction. An organisation not in the directory refuses the whole plan.
    async fn plan_match_event(
        &self,
        plan: &SessionPlan,
        coming: &ComingOrganisations,
        stamp: Stamp,
    ) -> Result<MatchEvent, MatchEventError>;

    /// One event; `None` for a session that is not a match event.
    async fn match_event(&self, id: Uuid) -> Result<Option<MatchEvent>>;

    async fn match_events(&self, when: EventsWhen, limit: u32) -> Result<Vec<MatchEvent>>;

    /// Records who met whom, by `knit_domain::match_events::check_meeting`; a meeting
    /// about a role makes the offer to volunteer for it, all in one transaction.
    async fn record_meeting(&self, new: NewMeeting) -> Result<Meeting, MatchEventError>;

    /// The event's meetings, in the order they were recorded.
    async fn meetings(&self, event: Uuid) -> Result<Vec<Meeting>>;

    /// Events that ended by `due_by` whose follow-up has not gone, oldest first.
    async fn match_events_to_follow_up(
        &self,
        due_by: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<MatchEvent>>;

    /// Notes the follow-up as gone; `false` when another instance noted it first.
    async fn mark_followed_up(&self, event: Uuid, at: DateTime<Utc>) -> Result<bool>;
}
