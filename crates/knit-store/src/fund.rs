//! The local fund in storage: rounds and their panels, applications made by a secret link
//! (only its digest is kept), panel votes, decisions, awards, payments and monitoring
//! returns.
//!
//! The rules live in `knit_domain::fund`; the store asks them inside the transaction that
//! writes (the deadline and the band when an application is submitted, the panel and the
//! conflicts when a vote or a decision is made, the award when a payment is recorded), with
//! the change's audit event in the same transaction. Who applied, how to reach and pay them,
//! their answers, a conflict's reason, a decision's reasons and the monitoring return are
//! sealed, bound to their row.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use knit_domain::account::UserId;
use knit_domain::fund::{
    ApplicantDetails, ApplicantKind, ApplicationStatus, AwardForExport, CastVote, Decision,
    DecisionError, Draft, Ineligible, MonitoringError, MonitoringReturn, Payment, PaymentError,
    Pence, Rankable, RoundPlan, Route, Tally, Vote, VoteError, tally,
};
use knit_domain::session::TOKEN_BYTES;
use thiserror::Error;
use uuid::Uuid;

use crate::accounts::NewJob;
use crate::casework::Stamp;
use crate::{Result, StoreError};

/// A round with its panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: Uuid,
    pub plan: RoundPlan,
    pub panel: Vec<UserId>,
    pub created_at: DateTime<Utc>,
}

/// A payment as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: Uuid,
    pub payment: Payment,
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
}

/// A decision as recorded, with what followed an award.
#[derive(Clone, PartialEq, Eq)]
pub struct DecisionRecord {
    pub awarded: Option<Pence>,
    pub reasons: String,
    pub decided_by: Option<UserId>,
    pub decided_at: DateTime<Utc>,
    pub awarded_on: Option<NaiveDate>,
    pub monitoring_due: Option<NaiveDate>,
    pub monitoring_reminded_at: Option<DateTime<Utc>>,
    pub monitoring: Option<MonitoringReturn>,
    pub monitoring_at: Option<DateTime<Utc>>,
    pub payments: Vec<PaymentRecord>,
}

impl DecisionRecord {
    pub fn paid(&self) -> Pence {
        Pence(self.payments.iter().map(|p| p.payment.amount.0).sum())
    }
}

impl fmt::Debug for DecisionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecisionRecord")
            .field("awarded", &self.awarded)
            .field("decided_at", &self.decided_at)
            .field("monitoring_due", &self.monitoring_due)
            .finish_non_exhaustive()
    }
}

/// An application with its votes and decision. Its `Debug` shows nothing of the applicant.
#[derive(Clone, PartialEq, Eq)]
pub struct Application {
    pub id: Uuid,
    pub round_id: Uuid,
    pub status: ApplicationStatus,
    pub draft: Draft,
    pub route: Option<Route>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub votes: Vec<CastVote>,
    pub decision: Option<DecisionRecord>,
}

impl fmt::Debug for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Application")
            .field("id", &self.id)
            .field("round_id", &self.round_id)
            .field("status", &self.status)
            .field("route", &self.route)
            .finish_non_exhaustive()
    }
}

impl Application {
    pub fn details(&self) -> &ApplicantDetails {
        &self.draft.details
    }

    pub fn kind(&self) -> ApplicantKind {
        self.draft.kind
    }

    /// What the panel page shows as who applied: the group's name, or the person's.
    pub fn applicant_name(&self) -> &str {
        let d = &self.draft.details;
        if self.draft.kind.is_group() && !d.group_name.is_empty() {
            &d.group_name
        } else {
            &d.name
        }
    }

    pub fn vote_of(&self, member: UserId) -> Option<&Vote> {
        self.votes
            .iter()
            .find(|v| v.member == member)
            .map(|v| &v.vote)
    }
}

/// An application beside its tally, for ranking.
#[derive(Debug, Clone)]
pub struct Scored {
    pub application: Application,
    pub tally: Tally,
}

impl Scored {
    pub fn of(round: &RoundPlan, application: Application) -> Scored {
        let tally = tally(&round.criteria, &application.votes);
        Scored { application, tally }
    }
}

impl Rankable for Scored {
    fn tally(&self) -> Tally {
        self.tally
    }
    fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.application.submitted_at
    }
    fn id(&self) -> Uuid {
        self.application.id
    }
}

/// Which application a public write is for: a new one in a round, or the one a secret link
/// names.
#[derive(Clone, Copy)]
pub enum ApplicationLink<'a> {
    New {
        round: Uuid,
        /// Random bytes from a secure source for the link.
        random: [u8; TOKEN_BYTES],
    },
    Existing(&'a str),
}

/// Saving an application as typed, and submitting it if `submit`.
pub struct ApplicationWrite<'a> {
    pub link: ApplicationLink<'a>,
    pub draft: Draft,
    pub submit: bool,
    pub stamp: Stamp,
    /// Emails to queue in the same transaction (a confirmation with the link), given the
    /// link's token.
    pub mail: Option<ApplicationMail<'a>>,
}

/// Writes an application's emails, given its link token and the application as written.
pub type ApplicationMail<'a> = &'a (dyn Fn(&str, &Application) -> Vec<NewJob> + Send + Sync);

/// Making a decision; an award gets a monitoring link from `random`.
pub struct NewDecision {
    pub application: Uuid,
    pub decision: Decision,
    pub random: [u8; TOKEN_BYTES],
    pub stamp: Stamp,
    /// Emails to queue in the same transaction (the decision, with the monitoring link).
    pub mail: Vec<NewJob>,
}

/// Whose monitoring return: by the award's link, or by staff for an application.
#[derive(Clone, Copy)]
pub enum MonitoringRef<'a> {
    Link(&'a str),
    Application(Uuid),
}

/// An award whose monitoring return is due and has not been asked for yet.
#[derive(Clone)]
pub struct MonitoringDue {
    pub application_id: Uuid,
    pub round_title: String,
    pub due: NaiveDate,
    pub details: ApplicantDetails,
}

impl fmt::Debug for MonitoringDue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MonitoringDue")
            .field("application_id", &self.application_id)
            .field("due", &self.due)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Error)]
pub enum FundError {
    #[error("there is no such fund round")]
    NoSuchRound,
    #[error("there is no such application; the link may be wrong")]
    NoSuchApplication,
    #[error("this application has been submitted, so it can no longer be changed")]
    NotEditable,
    #[error("{0}")]
    Ineligible(#[from] Ineligible),
    #[error("{0}")]
    Vote(#[from] VoteError),
    #[error("{0}")]
    Decision(#[from] DecisionError),
    #[error("{0}")]
    Payment(#[from] PaymentError),
    #[error("{0}")]
    Monitoring(#[from] MonitoringError),
    #[error("only staff with an account can sit on a panel")]
    NoSuchMember,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for FundError {
    fn from(e: sqlx::Error) -> FundError {
        FundError::Store(e.into())
    }
}

#[async_trait]
pub trait FundStore: Send + Sync {
    // --- rounds ---

    /// Sets up a round (the plan checked by the caller with `RoundPlan::check`) and its panel.
    async fn create_round(
        &self,
        plan: &RoundPlan,
        panel: &[UserId],
        stamp: Stamp,
    ) -> Result<Round, FundError>;

    /// Replaces a round's panel.
    async fn set_panel(&self, round: Uuid, panel: &[UserId], stamp: Stamp)
    -> Result<(), FundError>;

    async fn fund_round(&self, id: Uuid) -> Result<Option<Round>>;

    /// Rounds still open at `open_at`, soonest closing first; with `None`, every round,
    /// newest first. At most `limit`.
    async fn fund_rounds(&self, open_at: Option<DateTime<Utc>>, limit: u32) -> Result<Vec<Round>>;

    // --- applications ---

    /// Saves an application as typed, as a draft or submitted: the deadline, and on submitting
    /// every eligibility check (`knit_domain::fund::check_submission`), are asked in the
    /// transaction, so nothing is half-written. Returns the application and its link token.
    async fn write_application(
        &self,
        write: ApplicationWrite<'_>,
    ) -> Result<(Application, String), FundError>;

    async fn application_by_link(&self, token: &str) -> Result<Option<Application>>;

    async fn fund_application(&self, id: Uuid) -> Result<Option<Application>>;

    /// Every submitted (or decided) application of a round, with votes and decisions, in
    /// submission order: the panel page ranks them.
    async fn panel_applications(&self, round: Uuid) -> Result<Vec<Application>>;

    // --- the panel ---

    /// A panel member's scores or declared conflict, replacing any earlier vote of theirs.
    /// Refused unless they sit on the round's panel and the application awaits a panel
    /// decision.
    async fn cast_vote(
        &self,
        application: Uuid,
        member: UserId,
        vote: &Vote,
        stamp: Stamp,
    ) -> Result<(), FundError>;

    /// Decides an application (`knit_domain::fund::check_decision` in the transaction).
    /// An award's monitoring return falls due six months on, by a link made from
    /// `random`.
    async fn decide(&self, decision: NewDecision) -> Result<Application, FundError>;

    /// Records a payment on an award; the total paid never passes the award.
    async fn record_payment(
        &self,
        application: Uuid,
        payment: &Payment,
        stamp: Stamp,
    ) -> Result<PaymentRecord, FundError>;

    /// Keeps an award's monitoring return; one per award.
    async fn submit_monitoring(
        &self,
        award: MonitoringRef<'_>,
        report: &MonitoringReturn,
        stamp: Stamp,
    ) -> Result<Uuid, FundError>;

    /// The award a monitoring link names.
    async fn award_by_monitoring_link(&self, token: &str) -> Result<Option<Application>>;

    /// Awards whose return is due by `today`, not yet sent nor asked for, at most `limit`.
    async fn monitoring_due(&self, today: NaiveDate, limit: u32) -> Result<Vec<MonitoringDue>>;

    /// Records that an award's reminder is queued, with the reminder itself, in one
    /// transaction; the monitoring link becomes one made from `random` (the caller's
    /// reminders carry it: `token_from_random(random)`), as only digests are kept. False if
    /// it had been already (by this instance or another).
    async fn mark_monitoring_reminded(
        &self,
        application: Uuid,
        random: [u8; TOKEN_BYTES],
        reminders: &[NewJob],
        at: DateTime<Utc>,
    ) -> Result<bool>;

    // --- export ---

    /// Awards in application-id order after `after`, at most `limit`, as 360Giving may be
    /// told them.
    async fn awards_for_export(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<AwardForExport>>;

    /// The awards made to a group in the groups register, oldest first: what its public
    /// page says it was given. Amounts and rounds only, as the 360Giving export publishes.
    async fn group_awards(&self, group: Uuid) -> Result<Vec<GroupAward>>;
}

/// An award to a group, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupAward {
    pub round_title: String,
    pub amount: Pence,
    pub awarded_on: NaiveDate,
}
