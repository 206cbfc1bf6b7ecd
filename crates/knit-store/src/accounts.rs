//! Staff accounts in storage: users and their memberships, organisation approvals, sessions,
//! sign-in throttling, emailed links, two-factor state, the audit log, the jobs queue,
//! listing changes waiting for a place lead, and replies to problem reports.
//!
//! The rules live in `knit_domain` (how long a session lasts, whether a link still works,
//! who may review a listing change, how the audit chain is hashed). This API keeps the
//! records, and applies a rule itself only where the decision and the write must happen in
//! one transaction: a link used twice at once, a change reviewed twice at once, two
//! instances appending to the audit log at once.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use knit_domain::Service;
use knit_domain::account::{Actor, Email, Membership, OrganizationId, Role, UserId, UserStatus};
use knit_domain::audit::{AuditEvent, BrokenLink, ChainHead, NewAuditEvent};
use knit_domain::listing_change::{ListingChangeStatus, ReviewRefused};
use knit_domain::public_forms::PublicForm;
use knit_domain::session::{EmailedLink, LinkRefused, TOKEN_BYTES};
use knit_domain::totp::{TimeStep, TotpSecret};
use serde_json::Value;
use thiserror::Error;
use uuid::Uuid;

use crate::{Result, StoreError};

// --- users ---

/// A user to create: invited (no password yet) or active.
#[derive(Clone)]
pub struct NewUser {
    pub name: String,
    pub email: Email,
    pub status: UserStatus,
    /// An argon2id PHC string from `knit_domain::password::hash_password`; `None` until an
    /// invited user sets one.
    pub password_hash: Option<String>,
    pub memberships: Vec<Membership>,
    pub at: DateTime<Utc>,
}

/// A member of staff as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: Email,
    pub status: UserStatus,
    pub password_hash: Option<String>,
    pub memberships: Vec<Membership>,
    pub two_factor: TwoFactor,
    pub created_at: DateTime<Utc>,
}

// A stray `{:?}` must not put a name or a password hash in a log line.
impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("memberships", &self.memberships)
            .field("two_factor", &self.two_factor)
            .finish_non_exhaustive()
    }
}

/// Where a user's two-factor set-up stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwoFactor {
    Off,
    /// A secret has been shown to the user but no code from it has been typed back yet.
    Enrolling(TotpSecret),
    On {
        secret: TotpSecret,
        /// The step of the last code accepted; that step and earlier ones are refused.
        last_used_step: Option<TimeStep>,
    },
}

#[derive(Debug, Error)]
pub enum NewUserError {
    #[error("a user with this email already exists")]
    EmailTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A place lead's approval of a directory organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationApproval {
    pub organization: OrganizationId,
    pub approved_at: DateTime<Utc>,
    pub approved_by: UserId,
}

// --- sessions ---

/// Random bytes the caller drew from a secure source (`getrandom`) for a new session: its
/// id and its CSRF secret.
#[derive(Clone, Copy)]
pub struct SessionRandom {
    pub token: [u8; TOKEN_BYTES],
    pub csrf: [u8; TOKEN_BYTES],
}

/// A session to start.
pub struct NewSession<'a> {
    /// `None` for a visitor who has not signed in (the sign-in form still needs a CSRF
    /// secret).
    pub user: Option<UserId>,
    pub two_factor_passed: bool,
    /// The session this one replaces — the one from before sign-in — ended in the same
    /// transaction, so an id planted before sign-in is worth nothing after it.
    pub replaces: Option<&'a str>,
    pub random: SessionRandom,
    pub at: DateTime<Utc>,
}

/// What the browser is given: the session id (only its SHA-256 is stored) and the CSRF
/// secret for forms.
#[derive(Clone, PartialEq, Eq)]
pub struct StartedSession {
    pub token: String,
    pub csrf_secret: String,
}

impl fmt::Debug for StartedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StartedSession(<hidden>)")
    }
}

/// A live session as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    pub user: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub two_factor_passed: bool,
    pub csrf_secret: String,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user)
            .field("created_at", &self.created_at)
            .field("last_seen_at", &self.last_seen_at)
            .field("two_factor_passed", &self.two_factor_passed)
            .finish_non_exhaustive()
    }
}

/// A session's last request is written at most this often: one page can bring several
/// requests a second, and every write costs a disk sync. The idle timeout then runs from at
/// most this long before the last request.
pub const SESSION_TOUCH_INTERVAL: TimeDelta = TimeDelta::seconds(60);

#[derive(Debug, Error)]
pub enum StartSessionError {
    /// Suspended, or invited and not yet active: checked in the same transaction as the
    /// insert, so a suspension racing a sign-in cannot leave a live session behind.
    #[error("this account cannot sign in")]
    NotActive,
    #[error("no such user")]
    UnknownUser,
    #[error(transparent)]
    Store(#[from] StoreError),
}

// --- sign-in throttling ---

/// Times of recent failed sign-ins, for `knit_domain::session::sign_in_allowed`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInFailures {
    /// For the account, from any address.
    pub account: Vec<DateTime<Utc>>,
    /// For the account, from the address asking.
    pub account_here: Vec<DateTime<Utc>>,
    /// From the address asking, for any account.
    pub address: Vec<DateTime<Utc>>,
}

// --- emailed links ---

/// A single-use link to send by email.
#[derive(Clone, Copy)]
pub struct NewLink {
    pub purpose: EmailedLink,
    pub user: UserId,
    /// Random bytes from a secure source; the link carries them as hex, the store keeps only
    /// their digest.
    pub random: [u8; TOKEN_BYTES],
    pub at: DateTime<Utc>,
}

#[derive(Debug, Error)]
pub enum LinkError {
    /// No link with this token and purpose, ever.
    #[error("this link is not recognised; ask for a new one")]
    Unknown,
    #[error(transparent)]
    Refused(#[from] LinkRefused),
    /// A suspended user's links stop working, as their sessions do.
    #[error("this account is suspended")]
    Suspended,
    #[error(transparent)]
    Store(#[from] StoreError),
}

// --- the audit log ---

/// Which events to read; every field narrows the choice. `verify` reads with the default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<UserId>,
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
}

/// What `verify_audit_log` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every event links to the one before, and the log ends where the store last wrote.
    Intact(ChainHead),
    /// The first broken link, as `knit_domain::audit::verify` names it.
    Broken(BrokenLink),
    /// The chain itself holds together, but ends somewhere other than the last event the
    /// store appended: events were removed from the end, or added outside Knit.
    EndMoved {
        recorded: ChainHead,
        found: ChainHead,
    },
}

impl fmt::Display for AuditCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditCheck::Intact(head) => write!(f, "the audit log is intact: {} events", head.seq),
            AuditCheck::Broken(broken) => write!(f, "the audit log is broken: {broken}"),
            AuditCheck::EndMoved { recorded, found } if found.seq > recorded.seq => write!(
                f,
                "the audit log is broken: event {} was added outside Knit (the last event \
                 Knit wrote is {})",
                recorded.seq + 1,
                recorded.seq
            ),
            AuditCheck::EndMoved { recorded, found } if found.seq == recorded.seq => write!(
                f,
                "the audit log is broken: event {} is not the event Knit wrote: it was replaced",
                found.seq
            ),
            AuditCheck::EndMoved { recorded, found } => write!(
                f,
                "the audit log is broken: event {} is missing: the log ends at event {} but \
                 Knit wrote up to event {}",
                found.seq + 1,
                found.seq,
                recorded.seq
            ),
        }
    }
}

/// Events read per page while verifying: bounded memory however long the log.
pub const AUDIT_VERIFY_PAGE: u32 = 1_000;

/// Reads the whole audit log in pages, checks it with `knit_domain::audit::verify` as it
/// streams (on a blocking thread, never holding more than a few pages), and compares where
/// it ends with the head the store recorded. For `knit audit verify`.
pub async fn verify_audit_log(store: &dyn AccountStore) -> Result<AuditCheck> {
    let recorded = store.audit_head().await?;
    let (pages, mut events) = tokio::sync::mpsc::channel::<Vec<AuditEvent>>(2);
    let checking = tokio::task::spawn_blocking(move || {
        knit_domain::audit::verify(std::iter::from_fn(|| events.blocking_recv()).flatten())
    });
    let mut after = 0;
    let filter = AuditFilter::default();
    loop {
        let page = store
            .audit_events(after, AUDIT_VERIFY_PAGE, &filter)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        let full = page.len() == AUDIT_VERIFY_PAGE as usize;
        // The checker stops at the first broken link; later pages are then not needed.
        if pages.send(page).await.is_err() || !full {
            break;
        }
    }
    drop(pages);
    let verdict = checking
        .await
        .map_err(|e| StoreError::Corrupt(format!("the audit check stopped: {e}")))?;
    Ok(match verdict {
        Err(broken) => AuditCheck::Broken(broken),
        Ok(found) if found != recorded => AuditCheck::EndMoved { recorded, found },
        Ok(found) => AuditCheck::Intact(found),
    })
}

// --- jobs ---

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub Uuid);

/// Work to do later, such as sending an email.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What kind of work, for the worker to dispatch on (`"email"`).
    pub kind: String,
    /// Whatever the worker needs. May hold personal data (an address to mail), so it is
    /// kept in the database and never logged.
    pub payload: Value,
    pub run_at: DateTime<Utc>,
    /// Tries before the job is given up as dead.
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Queued,
    Running,
    Done,
    Dead,
}

impl JobState {
    pub fn code(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
        }
    }

    pub fn from_code(code: &str) -> Option<JobState> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Dead,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: Value,
    pub state: JobState,
    pub run_at: DateTime<Utc>,
    /// Tries so far, counting the one under way.
    pub attempts: u32,
    pub max_attempts: u32,
    pub last_error: Option<String>,
}

/// What became of a job that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobFate {
    RetryAt(DateTime<Utc>),
    Dead,
}

/// A running job whose worker has not finished it within this long is taken to have died
/// with its worker (a restart, a crash) and is claimed again.
pub const JOB_LEASE: TimeDelta = TimeDelta::minutes(10);
/// Wait before the first retry; each later retry waits twice as long as the one before.
pub const JOB_FIRST_RETRY: TimeDelta = TimeDelta::seconds(30);
/// The longest wait between tries.
pub const JOB_MAX_RETRY: TimeDelta = TimeDelta::hours(6);

/// How long to wait before trying a job again after its `attempts`-th try failed:
/// exponential backoff from [`JOB_FIRST_RETRY`], capped at [`JOB_MAX_RETRY`].
pub fn job_retry_delay(attempts: u32) -> TimeDelta {
    let doublings = attempts.saturating_sub(1).min(20);
    let delay = JOB_FIRST_RETRY * (1_i32 << doublings);
    delay.min(JOB_MAX_RETRY)
}

/// What happens after a try fails: wait and try again, or give up after the last try.
pub fn job_fate(attempts: u32, max_attempts: u32, now: DateTime<Utc>) -> JobFate {
    if attempts >= max_attempts {
        JobFate::Dead
    } else {
        JobFate::RetryAt(now + job_retry_delay(attempts))
    }
}

// --- listing changes ---

/// A partner's suggested change to one of their organisation's listings.
#[derive(Debug, Clone, PartialEq)]
pub struct NewListingChange {
    pub organization: OrganizationId,
    /// The whole service as it should read after the change (its id names the listing).
    pub proposed: Service,
    pub proposed_by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListingChange {
    pub id: Uuid,
    pub organization: OrganizationId,
    pub service_id: Uuid,
    pub proposed: Service,
    pub proposed_by: UserId,
    pub proposed_at: DateTime<Utc>,
    pub status: ListingChangeStatus,
    pub decided_by: Option<UserId>,
    pub decided_as: Option<Role>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What to apply to the directory with `Store::put_services` once approved: the
    /// proposal, or the reviewer's edited version of it.
    pub approved: Option<Service>,
}

/// A place lead's decision on a listing change.
#[derive(Debug, Clone, PartialEq)]
pub enum ListingReview {
    Approve,
    /// Approve a corrected version (same listing) instead of the proposal.
    ApproveWithEdits(Box<Service>),
    Reject {
        reason: String,
    },
}

#[derive(Debug, Error)]
pub enum ListingChangeError {
    #[error("the listing belongs to another organisation")]
    WrongOrganization,
    #[error("the edited listing is not the one the change is about")]
    EditedAnotherListing,
    #[error("no such listing change")]
    NotFound,
    #[error(transparent)]
    Refused(#[from] ReviewRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

// --- problem reports ---

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemNoteKind {
    /// An answer to whoever reported the problem, or a note between staff.
    Reply,
    /// The problem is dealt with; the report is marked resolved in the same transaction.
    Resolution,
}

impl ProblemNoteKind {
    pub fn code(self) -> &'static str {
        match self {
            ProblemNoteKind::Reply => "reply",
            ProblemNoteKind::Resolution => "resolution",
        }
    }

    pub fn from_code(code: &str) -> Option<ProblemNoteKind> {
        [ProblemNoteKind::Reply, ProblemNoteKind::Resolution]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProblemNote {
    pub report_id: Uuid,
    pub author: UserId,
    pub author_role: Role,
    pub kind: ProblemNoteKind,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemNote {
    pub id: Uuid,
    pub report_id: Uuid,
    pub author: UserId,
    pub author_role: Role,
    pub kind: ProblemNoteKind,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// Staff accounts and what hangs off them, on either backend. Times are passed in by the
/// caller (so the rules can be tested at any moment) and kept to the microsecond.
#[async_trait]
pub trait AccountStore: Send + Sync {
    // --- users ---

    async fn create_user(&self, user: NewUser) -> Result<User, NewUserError>;

    async fn user(&self, id: UserId) -> Result<Option<User>>;

    /// The user with this email, whatever its case.
    async fn user_by_email(&self, email: &Email) -> Result<Option<User>>;

    /// Users in email order, a page at a time.
    async fn users(&self, offset: u64, limit: u32) -> Result<Vec<User>>;

    async fn count_users(&self) -> Result<u64>;

    /// Partner staff of one organisation, in email order.
    async fn organization_members(&self, organization: OrganizationId) -> Result<Vec<User>>;

    /// [`StoreError::NotFound`] when there is no such user.
    async fn set_password_hash(&self, user: UserId, password_hash: &str) -> Result<()>;

    /// Changes a user's status. Suspending ends every session of theirs in the same
    /// transaction; returns how many sessions ended.
    async fn set_user_status(&self, user: UserId, status: UserStatus) -> Result<u64>;

    /// Adds a membership, or changes its organisation-lead flag if the user already holds
    /// that role there.
    async fn add_membership(&self, user: UserId, membership: Membership) -> Result<()>;

    /// Returns whether the user held it.
    async fn remove_membership(&self, user: UserId, membership: Membership) -> Result<bool>;

    // --- two-factor ---

    /// Starts (or restarts) enrolment with a new secret; two-factor is not on until
    /// [`AccountStore::confirm_totp`]. Unused recovery codes are kept.
    async fn set_totp_secret(&self, user: UserId, secret: &TotpSecret) -> Result<()>;

    /// Turns two-factor on once the user has typed a code from the new secret, accepted at
    /// `step`. Returns false if no enrolment was under way.
    async fn confirm_totp(&self, user: UserId, step: TimeStep) -> Result<bool>;

    /// Records the step of a code just accepted by `knit_domain::totp::check_code`, only if
    /// it is later than the last one: false means the code was used already (perhaps at this
    /// very moment by another request) and must be refused.
    async fn record_totp_step(&self, user: UserId, step: TimeStep) -> Result<bool>;

    /// Turns two-factor off and forgets the secret and recovery codes.
    async fn clear_two_factor(&self, user: UserId) -> Result<()>;

    /// Replaces the user's recovery codes with these hashes
    /// (`knit_domain::totp::hash_recovery_code`).
    async fn set_recovery_codes(&self, user: UserId, hashes: &[String]) -> Result<()>;

    /// Hashes of the codes not used yet, for `knit_domain::totp::verify_recovery_code`.
    async fn unused_recovery_codes(&self, user: UserId) -> Result<Vec<String>>;

    /// Marks a code used. False if it was already used (or never issued): refuse it.
    async fn use_recovery_code(&self, user: UserId, hash: &str, at: DateTime<Utc>) -> Result<bool>;

    // --- organisations ---

    /// Records (or records again) that a place lead approved an organisation.
    async fn approve_organization(
        &self,
        organization: OrganizationId,
        by: UserId,
        at: DateTime<Utc>,
    ) -> Result<OrganizationApproval>;

    async fn organization_approval(
        &self,
        organization: OrganizationId,
    ) -> Result<Option<OrganizationApproval>>;

    /// Returns whether it was approved.
    async fn withdraw_organization_approval(&self, organization: OrganizationId) -> Result<bool>;

    // --- sessions ---

    async fn start_session(
        &self,
        session: NewSession<'_>,
    ) -> Result<StartedSession, StartSessionError>;

    /// The session with this id if it is live at `now` (by `knit_domain::session` rules);
    /// `None` if unknown, ended or expired.
    async fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Session>>;

    /// Notes a request at `now`, so the idle timeout starts again (written at most every
    /// [`SESSION_TOUCH_INTERVAL`]). False if there is no such live session: an expired one
    /// is not brought back.
    async fn touch_session(&self, token: &str, now: DateTime<Utc>) -> Result<bool>;

    async fn pass_two_factor(&self, token: &str) -> Result<bool>;

    /// Signing out. Returns whether there was such a session.
    async fn end_session(&self, token: &str) -> Result<bool>;

    /// Ends all of a user's sessions (a password change, "sign out everywhere").
    async fn end_user_sessions(&self, user: UserId) -> Result<u64>;

    /// Deletes sessions that are expired at `now`. Returns how many.
    async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64>;

    // --- sign-in throttling ---

    /// Notes a failed sign-in for the account typed (any text, lower-cased here: failures
    /// for emails with no account count too) from an address.
    async fn record_sign_in_failure(
        &self,
        account: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<()>;

    /// Failures for this account (from anywhere, and from this address) and from this address
    /// since `since`.
    async fn sign_in_failures(
        &self,
        account: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<SignInFailures>;

    /// After a successful sign-in: forgets the account's failures from `from` (the address
    /// that signed in; others' guesses stay counted against their own addresses), or from
    /// everywhere after a password set through an emailed link. Never the address's
    /// failures for other accounts, or an attacker could reset their count by signing in to
    /// an account of their own.
    async fn clear_sign_in_failures(&self, account: &str, from: Option<&str>) -> Result<u64>;

    /// Forgets failures older than `before`.
    async fn purge_sign_in_failures(&self, before: DateTime<Utc>) -> Result<u64>;

    // --- emailed links ---

    /// Stores a link's digest and returns the token to put in the email.
    async fn create_link(&self, link: NewLink) -> Result<String>;

    /// Uses a link, once: in one transaction it is checked with
    /// `knit_domain::session::link_usable` and marked used, with every other unused link of
    /// the same purpose for the same user. A suspended user's links are refused.
    async fn consume_link(
        &self,
        token: &str,
        purpose: EmailedLink,
        now: DateTime<Utc>,
    ) -> Result<UserId, LinkError>;

    /// Whose a link is, if it could be used now, without using it: so a form can check what
    /// was typed before [`AccountStore::set_password_with_link`] spends the link.
    async fn peek_link(
        &self,
        token: &str,
        purpose: EmailedLink,
        now: DateTime<Utc>,
    ) -> Result<UserId, LinkError>;

    /// Sets a new password through a reset link or an invitation, in one transaction: the
    /// link is used as by [`AccountStore::consume_link`], the hash (argon2id PHC) stored, an
    /// invited user made active, and every session of the user ended, so whoever knew the
    /// old password is signed out.
    async fn set_password_with_link(
        &self,
        token: &str,
        purpose: EmailedLink,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<UserId, LinkError>;

    /// Forgets links that are used or expired at `now`. Returns how many.
    async fn purge_spent_links(&self, now: DateTime<Utc>) -> Result<u64>;

    // --- the audit log (append-only: there is no way to change or remove an event) ---

    /// Chains the event to the head and writes both in one serialised transaction, so
    /// concurrent appends from several instances never fork the chain.
    async fn append_audit(&self, event: NewAuditEvent) -> Result<AuditEvent>;

    /// Up to `limit` events after sequence number `after`, in order.
    async fn audit_events(
        &self,
        after: u64,
        limit: u32,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEvent>>;

    /// The last event appended, as the store recorded it ([`ChainHead::GENESIS`] if none).
    async fn audit_head(&self) -> Result<ChainHead>;

    /// Up to `limit` events matching `filter` numbered below `before`, newest first: how
    /// place leads read the log, however long it has grown.
    async fn audit_events_before(
        &self,
        before: u64,
        limit: u32,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEvent>>;

    /// Records a send through a public form from `address` if `allowed` (the domain's rule,
    /// given how many that address sent through the form since `since`) takes it: counted
    /// and recorded in one transaction, serialised per address, so requests arriving
    /// together cannot exceed the limit on any number of instances. Sends older than `since`
    /// are forgotten, since an address is personal data. Returns whether it was taken.
    async fn admit_public_send(
        &self,
        form: PublicForm,
        address: &str,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
        allowed: fn(u64) -> bool,
    ) -> Result<bool>;

    /// How many sends through `form` `address` made since `since`, without recording one:
    /// for a form that says "not now" before the visitor puts their mistakes right.
    async fn recent_public_sends(
        &self,
        form: PublicForm,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<u64>;

    // --- jobs ---

    async fn enqueue_job(&self, job: NewJob) -> Result<JobId>;

    /// Claims the next due job (or one whose worker's lease ran out), so no other worker
    /// gets it, and counts the attempt.
    async fn claim_next_job(&self, now: DateTime<Utc>) -> Result<Option<Job>>;

    /// Marks a job done and forgets its payload: an email's address and link are not kept
    /// once it has gone. Returns false if the job was not running (its lease ran out and
    /// another worker has it, or it was finished already).
    async fn complete_job(&self, id: JobId, now: DateTime<Utc>) -> Result<bool>;

    /// Records a failed try: queued again after a backoff ([`job_fate`]) or, after the last
    /// try, dead. [`StoreError::NotFound`] if the job is not running.
    async fn fail_job(&self, id: JobId, error: &str, now: DateTime<Utc>) -> Result<JobFate>;

    async fn job(&self, id: JobId) -> Result<Option<Job>>;

    /// Forgets jobs done or dead before `before`. Returns how many.
    async fn purge_finished_jobs(&self, before: DateTime<Utc>) -> Result<u64>;

    // --- listing changes ---

    async fn propose_listing_change(
        &self,
        change: NewListingChange,
    ) -> Result<ListingChange, ListingChangeError>;

    async fn listing_change(&self, id: Uuid) -> Result<Option<ListingChange>>;

    /// Changes waiting for a decision, oldest first; of one organisation, or all.
    async fn pending_listing_changes(
        &self,
        organization: Option<OrganizationId>,
    ) -> Result<Vec<ListingChange>>;

    /// One organisation's changes, waiting or decided, newest first: what its staff see
    /// of what happened to their proposals.
    async fn listing_changes_of(
        &self,
        organization: OrganizationId,
        limit: u32,
    ) -> Result<Vec<ListingChange>>;

    /// Decides a change by `knit_domain::listing_change::review`, in one transaction, so a
    /// change is decided once however many place leads press the button.
    async fn review_listing_change(
        &self,
        id: Uuid,
        reviewer: &Actor,
        review: ListingReview,
        at: DateTime<Utc>,
    ) -> Result<ListingChange, ListingChangeError>;

    // --- problem reports ---

    /// A reply to a problem report or its resolution. [`StoreError::NotFound`] when there is
    /// no such report.
    async fn add_problem_note(&self, note: NewProblemNote) -> Result<ProblemNote>;

    /// A report's notes, oldest first.
    async fn problem_notes(&self, report_id: Uuid) -> Result<Vec<ProblemNote>>;
}
