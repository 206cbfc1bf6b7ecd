//! Casework in storage: the coordinators' triage queue, people and everything on their
//! record, and referrals between organisations with every change of state.
//!
//! Every change is written together with its audit event and its line on the person's
//! timeline, in one transaction: a change is never kept without the trace of who made it.
//! Reads are audited by the pages, which know who is reading and why. Everything a person
//! said is sealed (AES-256-GCM, see [`crate::sealing`]) before it reaches the database;
//! the rules — who may move a referral where, what consent allows sharing — come from
//! `knit_domain` and are applied inside the transaction that writes.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use knit_domain::account::{OrganizationId, Role, UserId};
use knit_domain::casework::{
    CaseStatus, Consent, ConsentMethod, ConsentScope, IntakeDetails, IntakeId, IntakeSource,
    NeedOutcome, PersonDetails, PersonId, Priority, ReferralId, SharedDetails, StepKind,
};
use knit_domain::matcher_feedback::Correction;
use knit_domain::needs::NeedId;
use knit_domain::referral::{
    Chase, MoveRefused, ReferralMove, ReferralResult, ReferralStatus, RejectionReason, Side,
};
use knit_domain::wellbeing::{Measure, Stage};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::{Result, StoreError};

/// Who did something, as what, when and from where: what the audit event and the
/// timeline record for every change.
#[derive(Debug, Clone)]
pub struct Stamp {
    /// `None` for a member of the public (a call-back request) or the system (reminders).
    pub by: Option<UserId>,
    pub role: Option<Role>,
    pub at: DateTime<Utc>,
    pub address: Option<String>,
}

// --- the triage queue ---

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeStatus {
    Waiting,
    /// A coordinator opened a case from it.
    Opened,
    /// Closed without a case: a duplicate, or the person could not be reached.
    Closed,
    Erased,
}

impl IntakeStatus {
    pub fn code(self) -> &'static str {
        match self {
            IntakeStatus::Waiting => "waiting",
            IntakeStatus::Opened => "opened",
            IntakeStatus::Closed => "closed",
            IntakeStatus::Erased => "erased",
        }
    }

    pub fn from_code(code: &str) -> Option<IntakeStatus> {
        [
            IntakeStatus::Waiting,
            IntakeStatus::Opened,
            IntakeStatus::Closed,
            IntakeStatus::Erased,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

pub struct NewIntake {
    pub source: IntakeSource,
    pub priority: Priority,
    /// Already checked with `knit_domain::casework::check_intake`.
    pub details: IntakeDetails,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Intake {
    pub id: IntakeId,
    pub source: IntakeSource,
    pub priority: Priority,
    pub status: IntakeStatus,
    /// `None` once erased.
    pub details: Option<IntakeDetails>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<UserId>,
    pub person: Option<PersonId>,
}

// --- people ---

/// A new case, opened from a request in the queue or by a coordinator directly. The
/// person's consent to keep a record is recorded with it: no record exists without one.
pub struct NewCase {
    pub from_intake: Option<IntakeId>,
    pub details: PersonDetails,
    pub coordinator: UserId,
    pub record_consent: ConsentMethod,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseNeed {
    pub need: NeedId,
    pub priority: Priority,
    pub note: String,
    pub outcome: Option<NeedOutcome>,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StepDetails {
    /// What the step is: "Go with Mary to the housing office".
    pub what: String,
    /// Where, for going with them.
    pub place: String,
    /// Who goes, or who acts.
    pub who: String,
}

pub struct NewStep {
    pub kind: StepKind,
    pub details: StepDetails,
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanStep {
    pub id: Uuid,
    pub kind: StepKind,
    pub details: StepDetails,
    pub due: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl PlanStep {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.done_at.is_none() && self.due.is_some_and(|d| d < today)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WellbeingRecord {
    pub id: Uuid,
    pub stage: Stage,
    pub measure: Measure,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: Option<UserId>,
    pub kind: String,
    pub text: String,
}

/// Everything held about a person, as a coordinator's page and a subject-access export
/// show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonRecord {
    pub id: PersonId,
    pub status: CaseStatus,
    pub coordinator: Option<UserId>,
    /// `None` once erased.
    pub details: Option<PersonDetails>,
    pub opened_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub consents: Vec<Consent>,
    pub needs: Vec<CaseNeed>,
    pub steps: Vec<PlanStep>,
    pub measures: Vec<WellbeingRecord>,
    pub referrals: Vec<Referral>,
    pub timeline: Vec<TimelineEntry>,
    pub intakes: Vec<Intake>,
}

impl PersonRecord {
    /// The subject-access export: everything held, as JSON, the same from the staff page
    /// and from `knit person export`.
    pub fn to_export_json(&self) -> serde_json::Result<String> {
        serde_json::to_string_pretty(self)
    }
}

/// A line of a coordinator's caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSummary {
    pub id: PersonId,
    pub name: String,
    pub status: CaseStatus,
    pub coordinator: Option<UserId>,
    pub urgent_needs: u32,
    pub needs: Vec<NeedId>,
    pub overdue_steps: u32,
    pub next_due: Option<NaiveDate>,
    pub open_referrals: u32,
    pub opened_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct CaseloadFilter {
    /// Only this coordinator's people; all coordinators' when `None`.
    pub coordinator: Option<UserId>,
    pub include_closed: bool,
    pub need: Option<NeedId>,
}

// --- referrals ---

pub struct NewReferral {
    pub person: PersonId,
    pub service_id: Uuid,
    pub organization: OrganizationId,
    /// What the person agreed to share, built by `SharedDetails::of`.
    pub shared: SharedDetails,
    /// Set when an organisation refers onward a referral it received.
    pub parent: Option<ReferralId>,
    pub from_organization: Option<OrganizationId>,
    /// What the timeline says ("Referred to Kestle Debt Advice").
    pub timeline_text: String,
    /// Consent the person gave just now to share with the organisation, for this
    /// referral: recorded in the referral's own transaction, so there is never a consent
    /// without its referral or a referral refused for the want of one just given.
    pub consent_given: Option<ConsentGiven>,
    pub stamp: Stamp,
}

/// Consent to share with a referral's organisation, given as it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentGiven {
    pub purpose: String,
    pub method: ConsentMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralEvent {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: Option<UserId>,
    /// `None` for the system (a reminder).
    pub side: Option<ReferralSide>,
    /// A move's code, `message`, or `reminded`/`escalated`.
    pub kind: String,
    pub status: ReferralStatus,
    pub text: Option<String>,
}

/// [`Side`] with serde, for exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralSide {
    Referrer,
    Receiver,
}

impl From<Side> for ReferralSide {
    fn from(side: Side) -> ReferralSide {
        match side {
            Side::Referrer => ReferralSide::Referrer,
            Side::Receiver => ReferralSide::Receiver,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Referral {
    pub id: ReferralId,
    pub person: PersonId,
    pub service_id: Uuid,
    pub organization: OrganizationId,
    pub status: ReferralStatus,
    pub reason: Option<RejectionReason>,
    pub result: Option<ReferralResult>,
    /// `None` after consent was withdrawn or the person erased.
    pub shared: Option<SharedDetails>,
    pub referred_by: Option<UserId>,
    pub from_organization: Option<OrganizationId>,
    pub parent: Option<ReferralId>,
    pub sent_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub chased: Option<Chase>,
    pub events: Vec<ReferralEvent>,
}

#[derive(Debug, Error)]
pub enum ReferralError {
    #[error("no such referral")]
    NotFound,
    #[error("the person has not agreed to share anything with this organisation")]
    NoConsent,
    #[error("this case is closed; reopen it first")]
    CaseClosed,
    #[error(transparent)]
    Refused(#[from] MoveRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Error)]
pub enum CaseError {
    #[error("no such person")]
    NotFound,
    #[error("this request has already been dealt with")]
    IntakeTaken,
    #[error("this case is closed; reopen it first")]
    Closed,
    #[error("this case is already open")]
    AlreadyOpen,
    #[error("this record has been erased")]
    Erased,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A referral the chaser should act on: the organisation to remind, or the referrer to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralToChase {
    pub id: ReferralId,
    pub organization: OrganizationId,
    pub referred_by: Option<UserId>,
    pub status: ReferralStatus,
    pub sent_at: DateTime<Utc>,
    pub chased: Option<Chase>,
}

#[async_trait]
pub trait CaseworkStore: Send + Sync {
    // The triage queue.
    async fn create_intake(&self, new: NewIntake) -> Result<Intake>;
    async fn intake(&self, id: IntakeId) -> Result<Option<Intake>>;
    /// Waiting requests, urgent first, then oldest first.
    async fn waiting_intakes(&self, limit: u32) -> Result<Vec<Intake>>;
    async fn close_intake(&self, id: IntakeId, stamp: Stamp) -> Result<(), CaseError>;

    // People.
    async fn open_case(&self, new: NewCase) -> Result<PersonId, CaseError>;
    async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>>;
    async fn caseload(&self, filter: &CaseloadFilter, today: NaiveDate)
    -> Result<Vec<CaseSummary>>;
    async fn update_person(
        &self,
        id: PersonId,
        details: PersonDetails,
        stamp: Stamp,
    ) -> Result<(), CaseError>;
    async fn record_consent(
        &self,
        id: PersonId,
        scope: ConsentScope,
        method: ConsentMethod,
        expires: Option<NaiveDate>,
        stamp: Stamp,
    ) -> Result<Consent, CaseError>;
    /// Withdraws a consent. Withdrawing consent to share with an organisation also
    /// cancels that organisation's unfinished referrals for the person and removes what
    /// they were shown, in the same transaction; returns how many referrals it stopped.
    async fn withdraw_consent(
        &self,
        id: PersonId,
        consent: Uuid,
        stamp: Stamp,
    ) -> Result<u32, CaseError>;
    /// Adds a need, or changes its priority and note.
    async fn set_need(
        &self,
        id: PersonId,
        need: NeedId,
        priority: Priority,
        note: &str,
        stamp: Stamp,
    ) -> Result<(), CaseError>;
    async fn remove_need(&self, id: PersonId, need: NeedId, stamp: Stamp) -> Result<(), CaseError>;
    async fn add_step(&self, id: PersonId, step: NewStep, stamp: Stamp) -> Result<Uuid, CaseError>;
    async fn complete_step(&self, id: PersonId, step: Uuid, stamp: Stamp) -> Result<(), CaseError>;
    async fn record_measure(
        &self,
        id: PersonId,
        stage: Stage,
        measure: Measure,
        stamp: Stamp,
    ) -> Result<Uuid, CaseError>;
    /// Closes the case with an outcome for each need.
    async fn close_case(
        &self,
        id: PersonId,
        outcomes: &[(NeedId, NeedOutcome)],
        stamp: Stamp,
    ) -> Result<(), CaseError>;
    async fn reopen_case(&self, id: PersonId, stamp: Stamp) -> Result<(), CaseError>;
    /// Removes everything personal about someone: their details, notes, consents' purposes,
    /// what referrals shared, messages, timeline texts, wellbeing answers and the requests
    /// they sent. Ids, codes, dates and counts stay, as do audit events (which hold only
    /// ids), so reports still add up and nobody can be identified.
    async fn erase_person(&self, id: PersonId, stamp: Stamp) -> Result<(), CaseError>;
    /// Closed cases closed before `closed_before`, oldest first.
    async fn closed_cases_before(
        &self,
        closed_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<(PersonId, DateTime<Utc>)>>;

    // Referrals.
    /// Sends a referral; refused unless a consent in force allows sharing with the
    /// organisation, and never on a closed case.
    async fn send_referral(&self, new: NewReferral) -> Result<Referral, ReferralError>;
    async fn referral(&self, id: ReferralId) -> Result<Option<Referral>>;
    /// Moves a referral on, if the state machine allows that side to.
    async fn move_referral(
        &self,
        id: ReferralId,
        change: ReferralMove,
        side: Side,
        note: Option<&str>,
        stamp: Stamp,
    ) -> Result<Referral, ReferralError>;
    async fn message_on_referral(
        &self,
        id: ReferralId,
        side: Side,
        text: &str,
        stamp: Stamp,
    ) -> Result<(), ReferralError>;
    /// An organisation's referrals, newest first; finished ones only when asked.
    async fn referral_inbox(
        &self,
        organization: OrganizationId,
        include_finished: bool,
        limit: u32,
    ) -> Result<Vec<Referral>>;
    /// Unanswered referrals sent before `sent_before` that have not been chased as far as
    /// `stage` yet.
    async fn referrals_to_chase(
        &self,
        sent_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ReferralToChase>>;
    /// Records that a referral was chased this far; false if someone else already did.
    async fn mark_chased(&self, id: ReferralId, chase: Chase, at: DateTime<Utc>) -> Result<bool>;

    /// Counts what coordinators did with the needs Knit suggested, one per need and
    /// correction, in the month of `at`. Nothing about the person or their words is kept.
    async fn count_corrections(
        &self,
        corrections: &[(NeedId, Correction)],
        at: DateTime<Utc>,
    ) -> Result<()>;
    /// Every count of corrections since the month of `since`, summed per need: where the
    /// matcher is weak.
    async fn correction_counts(&self, since: DateTime<Utc>) -> Result<Vec<CorrectionCount>>;

    /// The keys that seal personal data, loaded from the key file by the application.
    /// Until this is called every casework method fails with [`StoreError::NoKeys`].
    fn use_keys(&self, keys: std::sync::Arc<crate::sealing::KeyRing>);

    /// Seals every sealed value again under the primary key, after `knit keys rotate`.
    /// Returns how many values were resealed.
    async fn reseal_all(&self) -> Result<u64>;
}

/// How often coordinators kept, removed or added one need against Knit's suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionCount {
    pub need: NeedId,
    pub kept: u64,
    pub removed: u64,
    pub added: u64,
}
