//! Local Connectors in storage: sign-ups, training sessions with their bookings and waiting
//! lists, trained connectors and their postcard codes, anonymous conversations, postcard
//! visits, and the figures place leads and connectors see.
//!
//! The rules live in `knit_domain::training` and `knit_domain::connector`; the store applies
//! the seat and promotion rules inside the transaction that books or cancels, and queues the
//! emails those changes send in the same transaction, so nobody is promoted without being
//! told and no reminder goes to someone who cancelled.

use std::fmt;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use knit_domain::account::{Email, UserId};
use knit_domain::connector::{ConnectorCode, Conversation, SignUp};
use knit_domain::needs::NeedId;
use knit_domain::session::TOKEN_BYTES;
use knit_domain::training::{Booker, BookingStatus, SessionPlan, TrainingKind};
use thiserror::Error;
use uuid::Uuid;

use crate::Result;
use crate::StoreError;
use crate::accounts::NewJob;

/// A sign-up to become a Local Connector, as kept for the place leads. Its `Debug` shows
/// only the id.
#[derive(Clone, PartialEq, Eq)]
pub struct SignUpRecord {
    pub id: Uuid,
    pub name: String,
    pub email: Email,
    pub phone: Option<String>,
    pub area: String,
    pub heard_from: Option<String>,
    pub at: DateTime<Utc>,
}

impl fmt::Debug for SignUpRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignUpRecord")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A training session with how full it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSession {
    pub id: Uuid,
    pub title: String,
    pub kind: TrainingKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub capacity: u32,
    pub trainer: String,
    /// Bookings holding a seat (booked or attended).
    pub seats_taken: u32,
    pub waiting: u32,
}

impl TrainingSession {
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.seats_taken)
    }
}

/// One booking. Its `Debug` leaves out the name and address.
#[derive(Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: Uuid,
    pub session_id: Uuid,
    pub name: String,
    pub email: Email,
    pub organization: Option<String>,
    pub status: BookingStatus,
    pub booked_at: DateTime<Utc>,
    pub invited_user: Option<UserId>,
    /// The language it was made in: its emails speak it.
    pub language: knit_domain::language::Language,
}

impl fmt::Debug for Booking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Booking")
            .field("id", &self.id)
            .field("session_id", &self.session_id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// A booking that has just been given a seat or a place on the waiting list, with the link
/// token that cancels it (only its digest is stored), for the emails to carry.
pub struct BookingNotice<'a> {
    pub booking: &'a Booking,
    pub session: &'a TrainingSession,
    pub cancel_token: &'a str,
    /// Whether the booking has just moved up from the waiting list.
    pub promoted: bool,
}

/// The emails to queue for a [`BookingNotice`]: one now, and a reminder for later when the
/// booking holds a seat. The store queues them in the transaction that made the change.
pub struct BookingMail {
    pub now: NewJob,
    pub reminder: Option<NewJob>,
}

/// Writes the emails for a booking or a promotion.
pub type MailFor<'a> = &'a (dyn Fn(&BookingNotice<'_>) -> BookingMail + Send + Sync);

pub struct NewBooking<'a> {
    pub session_id: Uuid,
    pub booker: Booker,
    /// Random bytes from a secure source for the cancel link.
    pub random: [u8; TOKEN_BYTES],
    pub at: DateTime<Utc>,
    pub mail: MailFor<'a>,
}

/// Which booking to cancel: through the emailed link, or by a place lead from the register.
#[derive(Clone, Copy)]
pub enum BookingRef<'a> {
    CancelToken(&'a str),
    Id(Uuid),
}

pub struct Cancellation<'a> {
    pub booking: BookingRef<'a>,
    /// Fresh random bytes for the cancel link of whoever is promoted: their old link (from
    /// the waiting-list email) stops working, the promotion email carries the new one.
    pub random: [u8; TOKEN_BYTES],
    pub at: DateTime<Utc>,
    pub mail: MailFor<'a>,
}

/// What a cancellation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cancelled {
    pub booking: Booking,
    /// The waiting booking that took the freed seat, if any.
    pub promoted: Option<Booking>,
}

#[derive(Debug, Error)]
pub enum BookingError {
    #[error("there is no such training session")]
    NoSuchSession,
    #[error("this session has already started")]
    SessionStarted,
    #[error("this email address already has a place on this session")]
    AlreadyBooked,
    #[error("this booking is not recognised; it may have been cancelled already")]
    NoSuchBooking,
    #[error("this booking was cancelled already")]
    AlreadyCancelled,
    #[error("attendance has been taken for this booking, so it cannot be cancelled")]
    AlreadyAttended,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Error)]
pub enum AttendanceError {
    #[error("this booking is not recognised")]
    NoSuchBooking,
    #[error("only someone with a seat can be marked present; this booking is {0:?}")]
    NoSeat(BookingStatus),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A trained connector as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorRecord {
    pub user: UserId,
    pub code: ConnectorCode,
    /// The last connector training (or refresher) they attended.
    pub trained_on: NaiveDate,
}

/// A trained connector whose refresher is due, for the place lead to invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefresherDue {
    pub user: UserId,
    /// The connector's name: staff, shown to place leads only.
    pub name: String,
    pub trained_on: NaiveDate,
}

#[derive(Debug, Error)]
pub enum EnrolError {
    /// Another connector has this code; draw another.
    #[error("this code is taken")]
    CodeTaken,
    #[error("no such user")]
    NoSuchUser,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The figures, for the whole place or for one connector.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConnectorFigures {
    /// Connectors who have trained (for one connector: 1 if they have).
    pub trained: u64,
    /// Trained connectors whose refresher is due.
    pub refresher_due: u64,
    /// Connectors with a conversation in the last 90 days.
    pub active: u64,
    pub conversations: u64,
    pub conversations_last_year: u64,
    /// Everything done beyond listening: postcards, services pointed to, hand-offs.
    pub offers_of_help: u64,
    pub hand_offs: u64,
    pub postcard_visits: u64,
    /// Needs raised, by month (`YYYY-MM`), newest month first, then by need.
    pub needs_by_month: Vec<(String, NeedId, u64)>,
}

#[async_trait]
pub trait ConnectorStore: Send + Sync {
    // --- signing up ---

    /// Keeps a sign-up to become a Local Connector; returns its id.
    async fn record_sign_up(&self, sign_up: &SignUp, at: DateTime<Utc>) -> Result<Uuid>;

    async fn count_sign_ups(&self) -> Result<u64>;

    /// The latest sign-ups, newest first, at most `limit`.
    async fn recent_sign_ups(&self, limit: u32) -> Result<Vec<SignUpRecord>>;

    // --- training sessions ---

    async fn schedule_training(
        &self,
        plan: &SessionPlan,
        by: Option<UserId>,
        at: DateTime<Utc>,
    ) -> Result<TrainingSession>;

    async fn training_session(&self, id: Uuid) -> Result<Option<TrainingSession>>;

    /// Sessions ending after `from`, soonest first, at most `limit`.
    async fn upcoming_training(
        &self,
        from: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<TrainingSession>>;

    /// Books a place: a seat if one is free, else the waiting list, decided by
    /// `knit_domain::training::seat_for` in the same transaction as the insert, with the
    /// emails queued there too. Returns the booking and its cancel token.
    async fn book_training(
        &self,
        booking: NewBooking<'_>,
    ) -> Result<(Booking, String), BookingError>;

    /// Cancels a booking; if it held a seat, the longest-waiting booking takes it
    /// (`knit_domain::training::promote`) and is emailed, and the cancelled booking's queued
    /// reminder is withdrawn: all in one transaction.
    async fn cancel_booking(&self, cancel: Cancellation<'_>) -> Result<Cancelled, BookingError>;

    /// Every booking of a session, seats first, each group in booking order.
    async fn bookings(&self, session: Uuid) -> Result<Vec<Booking>>;

    async fn booking(&self, id: Uuid) -> Result<Option<Booking>>;

    /// Marks a seated booking present (or not, to undo a slip of the finger).
    async fn mark_attendance(
        &self,
        booking: Uuid,
        present: bool,
        at: DateTime<Utc>,
    ) -> Result<Booking, AttendanceError>;

    /// Notes the account invited after attending.
    async fn set_booking_invited_user(&self, booking: Uuid, user: UserId) -> Result<()>;

    // --- connectors ---

    /// Records that `user` trained as a connector on `trained_on`. A new connector gets
    /// `code`; one already enrolled keeps theirs and has their training date moved on.
    async fn enrol_connector(
        &self,
        user: UserId,
        code: &ConnectorCode,
        trained_on: NaiveDate,
        at: DateTime<Utc>,
    ) -> Result<ConnectorRecord, EnrolError>;

    async fn connector(&self, user: UserId) -> Result<Option<ConnectorRecord>>;

    /// Connectors (not suspended) whose refresher is due by `today`
    /// (`knit_domain::training::refresher_is_due`), longest trained first.
    async fn refreshers_due(&self, today: NaiveDate) -> Result<Vec<RefresherDue>>;

    /// Counts one visit through a postcard code on `day`. Returns false, counting nothing,
    /// when no connector has this code.
    async fn count_postcard_visit(&self, code: &ConnectorCode, day: NaiveDate) -> Result<bool>;

    /// Keeps an anonymous conversation that `connector` logged, with its audit event (under
    /// `stamp`); returns its id.
    async fn log_conversation(
        &self,
        connector: UserId,
        conversation: &Conversation,
        stamp: &crate::casework::Stamp,
    ) -> Result<Uuid>;

    /// A connector passes a person to the coordinators: the request joins their queue and
    /// the conversation is kept as a hand-off, in one transaction with the audit events of
    /// both, so there is never one without the other. Returns the request and the
    /// conversation's id.
    async fn hand_off(
        &self,
        connector: UserId,
        intake: crate::casework::NewIntake,
        conversation: &Conversation,
    ) -> Result<(crate::casework::Intake, Uuid)>;

    /// The figures for the whole place (`None`) or one connector, as of `today`.
    async fn connector_figures(
        &self,
        connector: Option<UserId>,
        today: NaiveDate,
    ) -> Result<ConnectorFigures>;
}
