//! [`ConnectorStore`] for both backends, written once and compiled into each backend module
//! with `#[path]`, as `sql_accounts.rs` is. The including module supplies `DB`, the id and
//! time column types and how transactions begin; the row reader and helpers come from
//! `sql_accounts.rs`. PostgreSQL locks the session row while seats are counted; SQLite's
//! `BEGIN IMMEDIATE` already serialises writers.

// Compiled once per backend on purpose, like `sql_store.rs`.
#![allow(clippy::duplicate_mod)]

use knit_domain::language::Language;
use std::sync::LazyLock;

use async_trait::async_trait;
use chrono::{DateTime, Months, NaiveDate, Utc};
use knit_domain::access::ActionKind;
use knit_domain::account::{Email, UserId};
use knit_domain::connector::{ConnectorCode, Conversation, SignUp, active_since};
use knit_domain::needs::NeedId;
use knit_domain::session::{token_digest, token_from_random};
use knit_domain::training::{
    BookingStatus, SessionPlan, TrainingKind, promote, refresher_is_due, seat_for,
};
use sqlx::{AssertSqlSafe, Database, QueryBuilder};
use uuid::Uuid;

use super::sql_accounts::{
    Columns, DbRow, append_audit_in, at, codes_in, corrupt, is_foreign_key_violation,
    is_unique_violation, locking,
};
use super::sql_casework::{audit_event, insert_intake};
use super::sql_store::SqlStore;
use super::{DB, begin_read, begin_write, key};
use crate::Result;
use crate::accounts::{JobState, NewJob};
use crate::casework::{Intake, NewIntake, Stamp};
use crate::connectors::{
    AttendanceError, Booking, BookingError, BookingMail, BookingNotice, BookingRef, Cancellation,
    Cancelled, ConnectorFigures, ConnectorRecord, ConnectorStore, EnrolError, MailFor, NewBooking,
    RefresherDue, SignUpRecord, TrainingSession,
};

type Conn = <DB as Database>::Connection;
type Tx = sqlx::Transaction<'static, DB>;

/// A session's columns with how full it is: the seats are counted by the domain's rule.
pub(super) static SESSION_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "s.id, s.title, s.kind, s.starts_at, s.ends_at, s.place, s.online_link, s.capacity, \
         s.trainer, \
         (SELECT COUNT(*) FROM training_bookings b WHERE b.session_id = s.id \
             AND b.status IN {seated}), \
         (SELECT COUNT(*) FROM training_bookings b WHERE b.session_id = s.id \
             AND b.status = '{waiting}')",
        seated = codes_in(
            BookingStatus::ALL,
            BookingStatus::holds_a_seat,
            BookingStatus::code
        ),
        waiting = BookingStatus::Waiting.code(),
    )
});

/// The kinds the training pages list, for SQL's `IN`.
pub(super) static TRAINING_KINDS: LazyLock<String> = LazyLock::new(|| {
    codes_in(
        TrainingKind::ALL,
        TrainingKind::is_training,
        TrainingKind::code,
    )
});

fn session_row(row: &DbRow) -> Result<TrainingSession> {
    session_from(&mut Columns::new(row))
}

/// A session read from [`SESSION_COLUMNS`], leaving `c` at the column after them.
pub(super) fn session_from(c: &mut Columns<'_>) -> Result<TrainingSession> {
    Ok(TrainingSession {
        id: c.id()?,
        title: c.text()?,
        kind: TrainingKind::from_code(&c.text()?)
            .ok_or_else(|| corrupt("a stored training kind"))?,
        starts_at: c.time()?,
        ends_at: c.time()?,
        place: c.opt_text()?,
        online_link: c.opt_text()?,
        capacity: c.count()?,
        trainer: c.text()?,
        seats_taken: c.count()?,
        waiting: c.count()?,
    })
}

const BOOKING_COLUMNS: &str =
    "id, session_id, name, email, organization, status, booked_at, invited_user, language";

fn booking_row(row: &DbRow) -> Result<Booking> {
    let mut c = Columns::new(row);
    Ok(Booking {
        id: c.id()?,
        session_id: c.id()?,
        name: c.text()?,
        email: Email::parse(&c.text()?).map_err(|e| corrupt(format!("a stored email: {e}")))?,
        organization: c.opt_text()?,
        status: BookingStatus::from_code(&c.text()?)
            .ok_or_else(|| corrupt("a stored booking status"))?,
        booked_at: c.time()?,
        invited_user: c.opt_id()?.map(UserId),
        // A code Knit does not speak (written by a later version) reads as English.
        language: Language::from_code(&c.text()?).unwrap_or_default(),
    })
}

pub(super) async fn session_in(
    conn: &mut Conn,
    id: Uuid,
    lock: bool,
) -> Result<Option<TrainingSession>> {
    if lock {
        // PostgreSQL: hold the session row, so seats are counted by one booking at a time.
        // SQLite's write transaction already holds the whole database.
        sqlx::query(AssertSqlSafe(format!(
            "SELECT id FROM training_sessions WHERE id = $1{}",
            locking(" FOR UPDATE")
        )))
        .bind(key(id))
        .fetch_optional(&mut *conn)
        .await?;
    }
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {} FROM training_sessions s WHERE s.id = $1",
        *SESSION_COLUMNS
    )))
    .bind(key(id))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(session_row).transpose()
}

/// Adds a session inside the caller's transaction: training, or a match event's.
pub(super) async fn insert_session(
    conn: &mut Conn,
    id: Uuid,
    plan: &SessionPlan,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO training_sessions (id, title, kind, starts_at, ends_at, place, \
         online_link, capacity, trainer, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(key(id))
    .bind(plan.title.as_str())
    .bind(plan.kind.code())
    .bind(at(plan.starts_at))
    .bind(at(plan.ends_at))
    .bind(plan.place.as_deref())
    .bind(plan.online_link.as_deref())
    .bind(i64::from(plan.capacity))
    .bind(plan.trainer.as_str())
    .bind(by.map(|u| key(u.0)))
    .bind(at(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub(super) async fn booking_in(conn: &mut Conn, id: Uuid) -> Result<Option<Booking>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {BOOKING_COLUMNS} FROM training_bookings WHERE id = $1"
    )))
    .bind(key(id))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(booking_row).transpose()
}

/// Queues a job inside the caller's transaction; returns its id.
pub(super) async fn insert_job(conn: &mut Conn, job: &NewJob, now: DateTime<Utc>) -> Result<Uuid> {
    let id = Uuid::new_v4();
    let payload = serde_json::to_string(&job.payload)
        .map_err(|e| corrupt(format!("a job's payload as JSON: {e}")))?;
    sqlx::query(
        "INSERT INTO jobs (id, kind, payload, state, run_at, attempts, max_attempts, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(key(id))
    .bind(job.kind.as_str())
    .bind(payload)
    .bind(JobState::Queued.code())
    .bind(at(job.run_at))
    .bind(0_i64)
    .bind(i64::from(job.max_attempts.max(1)))
    .bind(at(now))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Queues a booking's emails and notes its reminder, in the caller's transaction.
async fn queue_mail(
    conn: &mut Conn,
    booking: &Booking,
    session_id: Uuid,
    token: &str,
    promoted: bool,
    mail: MailFor<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    let session = session_in(conn, session_id, false)
        .await?
        .ok_or_else(|| corrupt("a booking's session vanished"))?;
    let BookingMail {
        now: first,
        reminder,
    } = mail(&BookingNotice {
        booking,
        session: &session,
        cancel_token: token,
        promoted,
    });
    insert_job(conn, &first, now).await?;
    if let Some(reminder) = reminder.filter(|_| booking.status.holds_a_seat()) {
        let job = insert_job(conn, &reminder, now).await?;
        sqlx::query("UPDATE training_bookings SET reminder_job = $2 WHERE id = $1")
            .bind(key(booking.id))
            .bind(key(job))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn month_of(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

#[async_trait]
impl ConnectorStore for SqlStore {
    async fn record_sign_up(&self, sign_up: &SignUp, now: DateTime<Utc>) -> Result<Uuid> {
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO connector_sign_ups (id, name, email, phone, area, heard_from, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key(id))
        .bind(sign_up.name.as_str())
        .bind(sign_up.email.as_str())
        .bind(sign_up.phone.as_deref())
        .bind(sign_up.area.as_str())
        .bind(sign_up.heard_from.as_deref())
        .bind(at(now))
        .execute(&self.writer)
        .await?;
        Ok(id)
    }

    async fn count_sign_ups(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM connector_sign_ups")
            .fetch_one(&self.reader)
            .await?;
        Ok(n as u64)
    }

    async fn recent_sign_ups(&self, limit: u32) -> Result<Vec<SignUpRecord>> {
        let rows = sqlx::query(
            "SELECT id, name, email, phone, area, heard_from, created_at \
             FROM connector_sign_ups ORDER BY created_at DESC, id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(SignUpRecord {
                    id: c.id()?,
                    name: c.text()?,
                    email: Email::parse(&c.text()?)
                        .map_err(|e| corrupt(format!("a stored email: {e}")))?,
                    phone: c.opt_text()?,
                    area: c.text()?,
                    heard_from: c.opt_text()?,
                    at: c.time()?,
                })
            })
            .collect()
    }

    async fn schedule_training(
        &self,
        plan: &SessionPlan,
        by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> Result<TrainingSession> {
        let id = Uuid::now_v7();
        let mut tx = begin_write(&self.writer).await?;
        insert_session(&mut tx, id, plan, by, now).await?;
        let session = session_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("a session just scheduled"))?;
        tx.commit().await?;
        Ok(session)
    }

    async fn training_session(&self, id: Uuid) -> Result<Option<TrainingSession>> {
        let mut tx = begin_read(&self.reader).await?;
        let session = session_in(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(session)
    }

    async fn upcoming_training(
        &self,
        from: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<TrainingSession>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {} FROM training_sessions s WHERE s.ends_at > $1 \
             AND s.kind IN {} ORDER BY s.starts_at, s.id LIMIT $2",
            *SESSION_COLUMNS, *TRAINING_KINDS
        )))
        .bind(at(from))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(session_row).collect()
    }

    async fn book_training(&self, new: NewBooking<'_>) -> Result<(Booking, String), BookingError> {
        let mut tx = begin_write(&self.writer).await?;
        let session = session_in(&mut tx, new.session_id, true)
            .await?
            .ok_or(BookingError::NoSuchSession)?;
        if session.starts_at <= new.at {
            return Err(BookingError::SessionStarted);
        }
        let status = seat_for(session.capacity, session.seats_taken);
        let token = token_from_random(new.random);
        let id = Uuid::now_v7();
        let inserted = sqlx::query(
            "INSERT INTO training_bookings (id, session_id, name, email, organization, status, \
             booked_at, changed_at, cancel_digest, language) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)",
        )
        .bind(key(id))
        .bind(key(session.id))
        .bind(new.booker.name.as_str())
        .bind(new.booker.email.as_str())
        .bind(new.booker.organization.as_deref())
        .bind(status.code())
        .bind(at(new.at))
        .bind(token_digest(&token))
        .bind(new.booker.language.code())
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(BookingError::AlreadyBooked),
            other => other.map_err(crate::StoreError::from)?,
        };
        let booking = booking_in(&mut tx, id)
            .await?
            .ok_or_else(|| corrupt("a booking just made"))?;
        queue_mail(
            &mut tx, &booking, session.id, &token, false, new.mail, new.at,
        )
        .await?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok((booking, token))
    }

    async fn cancel_booking(&self, cancel: Cancellation<'_>) -> Result<Cancelled, BookingError> {
        let mut tx = begin_write(&self.writer).await?;
        let found = match cancel.booking {
            BookingRef::Id(id) => sqlx::query_scalar::<_, super::Key>(
                "SELECT session_id FROM training_bookings WHERE id = $1",
            )
            .bind(key(id))
            .fetch_optional(&mut *tx)
            .await
            .map(|s| s.map(|s| (id, s))),
            BookingRef::CancelToken(token) => sqlx::query_as::<_, (super::Key, super::Key)>(
                "SELECT id, session_id FROM training_bookings WHERE cancel_digest = $1",
            )
            .bind(token_digest(token))
            .fetch_optional(&mut *tx)
            .await
            .map(|s| s.map(|(b, s)| (super::uuid_of(b), s))),
        }
        .map_err(crate::StoreError::from)?;
        let Some((booking_id, session_id)) = found else {
            return Err(BookingError::NoSuchBooking);
        };
        let session = session_in(&mut tx, super::uuid_of(session_id), true)
            .await?
            .ok_or_else(|| corrupt("a booking's session vanished"))?;
        let booking = booking_in(&mut tx, booking_id)
            .await?
            .ok_or(BookingError::NoSuchBooking)?;
        match booking.status {
            BookingStatus::Cancelled => return Err(BookingError::AlreadyCancelled),
            BookingStatus::Attended => return Err(BookingError::AlreadyAttended),
            BookingStatus::Confirmed | BookingStatus::Waiting => {}
        }
        sqlx::query("UPDATE training_bookings SET status = $2, changed_at = $3 WHERE id = $1")
            .bind(key(booking.id))
            .bind(BookingStatus::Cancelled.code())
            .bind(at(cancel.at))
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::from)?;
        // The reminder, if it has not gone yet, is withdrawn with the booking.
        sqlx::query(
            "DELETE FROM jobs WHERE state = $2 AND id = \
             (SELECT reminder_job FROM training_bookings WHERE id = $1)",
        )
        .bind(key(booking.id))
        .bind(JobState::Queued.code())
        .execute(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?;
        let mut promoted = None;
        let freed = booking.status == BookingStatus::Confirmed && session.starts_at > cancel.at;
        if freed {
            let waiting = sqlx::query_as::<_, (super::Key, super::Stamp)>(
                "SELECT id, booked_at FROM training_bookings WHERE session_id = $1 \
                 AND status = $2 ORDER BY booked_at, id",
            )
            .bind(key(session.id))
            .bind(BookingStatus::Waiting.code())
            .fetch_all(&mut *tx)
            .await
            .map_err(crate::StoreError::from)?;
            let mut queue = Vec::with_capacity(waiting.len());
            for (id, stamp) in waiting {
                queue.push((super::uuid_of(id), super::time_of(stamp)?));
            }
            if let Some(next) = promote(&queue) {
                let token = token_from_random(cancel.random);
                sqlx::query(
                    "UPDATE training_bookings SET status = $2, changed_at = $3, \
                     cancel_digest = $4 WHERE id = $1",
                )
                .bind(key(next))
                .bind(BookingStatus::Confirmed.code())
                .bind(at(cancel.at))
                .bind(token_digest(&token))
                .execute(&mut *tx)
                .await
                .map_err(crate::StoreError::from)?;
                let moved_up = booking_in(&mut tx, next)
                    .await?
                    .ok_or_else(|| corrupt("a promoted booking vanished"))?;
                queue_mail(
                    &mut tx,
                    &moved_up,
                    session.id,
                    &token,
                    true,
                    cancel.mail,
                    cancel.at,
                )
                .await?;
                promoted = Some(moved_up);
            }
        }
        let booking = booking_in(&mut tx, booking.id)
            .await?
            .ok_or(BookingError::NoSuchBooking)?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(Cancelled { booking, promoted })
    }

    async fn bookings(&self, session: Uuid) -> Result<Vec<Booking>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BOOKING_COLUMNS} FROM training_bookings WHERE session_id = $1 \
             ORDER BY CASE status WHEN 'attended' THEN 0 WHEN 'confirmed' THEN 0 \
                 WHEN 'waiting' THEN 1 ELSE 2 END, booked_at, id"
        )))
        .bind(key(session))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(booking_row).collect()
    }

    async fn booking(&self, id: Uuid) -> Result<Option<Booking>> {
        let mut conn = self.reader.acquire().await?;
        booking_in(&mut conn, id).await
    }

    async fn mark_attendance(
        &self,
        booking: Uuid,
        present: bool,
        now: DateTime<Utc>,
    ) -> Result<Booking, AttendanceError> {
        let mut tx = begin_write(&self.writer).await?;
        let found = booking_in(&mut tx, booking)
            .await?
            .ok_or(AttendanceError::NoSuchBooking)?;
        if !found.status.holds_a_seat() {
            return Err(AttendanceError::NoSeat(found.status));
        }
        let status = if present {
            BookingStatus::Attended
        } else {
            BookingStatus::Confirmed
        };
        sqlx::query("UPDATE training_bookings SET status = $2, changed_at = $3 WHERE id = $1")
            .bind(key(booking))
            .bind(status.code())
            .bind(at(now))
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::from)?;
        let updated = booking_in(&mut tx, booking)
            .await?
            .ok_or(AttendanceError::NoSuchBooking)?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(updated)
    }

    async fn set_booking_invited_user(&self, booking: Uuid, user: UserId) -> Result<()> {
        sqlx::query("UPDATE training_bookings SET invited_user = $2 WHERE id = $1")
            .bind(key(booking))
            .bind(key(user.0))
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn enrol_connector(
        &self,
        user: UserId,
        code: &ConnectorCode,
        trained_on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<ConnectorRecord, EnrolError> {
        let mut tx = begin_write(&self.writer).await?;
        let existing = sqlx::query_as::<_, (String, NaiveDate)>(AssertSqlSafe(format!(
            "SELECT code, trained_on FROM connectors WHERE user_id = $1{}",
            locking(" FOR UPDATE")
        )))
        .bind(key(user.0))
        .fetch_optional(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?;
        let record = match existing {
            Some((kept, last)) => {
                let code = ConnectorCode::parse(&kept).map_err(corrupt)?;
                let trained_on = last.max(trained_on);
                sqlx::query("UPDATE connectors SET trained_on = $2 WHERE user_id = $1")
                    .bind(key(user.0))
                    .bind(trained_on)
                    .execute(&mut *tx)
                    .await
                    .map_err(crate::StoreError::from)?;
                ConnectorRecord {
                    user,
                    code,
                    trained_on,
                }
            }
            None => {
                let inserted = sqlx::query(
                    "INSERT INTO connectors (user_id, code, trained_on, created_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(key(user.0))
                .bind(code.as_str())
                .bind(trained_on)
                .bind(at(now))
                .execute(&mut *tx)
                .await;
                match inserted {
                    Err(e) if is_unique_violation(&e) => return Err(EnrolError::CodeTaken),
                    Err(e) if is_foreign_key_violation(&e) => return Err(EnrolError::NoSuchUser),
                    other => other.map_err(crate::StoreError::from)?,
                };
                ConnectorRecord {
                    user,
                    code: code.clone(),
                    trained_on,
                }
            }
        };
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(record)
    }

    async fn connector(&self, user: UserId) -> Result<Option<ConnectorRecord>> {
        let row = sqlx::query_as::<_, (String, NaiveDate)>(
            "SELECT code, trained_on FROM connectors WHERE user_id = $1",
        )
        .bind(key(user.0))
        .fetch_optional(&self.reader)
        .await?;
        row.map(|(code, trained_on)| {
            Ok(ConnectorRecord {
                user,
                code: ConnectorCode::parse(&code).map_err(corrupt)?,
                trained_on,
            })
        })
        .transpose()
    }

    async fn refreshers_due(&self, today: NaiveDate) -> Result<Vec<RefresherDue>> {
        // A few days' margin round the month arithmetic; the rule itself decides below.
        let roughly = today
            .checked_sub_months(Months::new(knit_domain::training::REFRESHER_MONTHS))
            .and_then(|d| d.checked_add_days(chrono::Days::new(3)))
            .unwrap_or(NaiveDate::MIN);
        let rows = sqlx::query_as::<_, (super::Key, String, NaiveDate)>(
            "SELECT c.user_id, u.name, c.trained_on FROM connectors c \
             JOIN users u ON u.id = c.user_id \
             WHERE u.status <> 'suspended' AND c.trained_on <= $1 \
             ORDER BY c.trained_on, c.user_id",
        )
        .bind(roughly)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|(_, _, trained_on)| refresher_is_due(*trained_on, today))
            .map(|(user, name, trained_on)| RefresherDue {
                user: UserId(super::uuid_of(user)),
                name,
                trained_on,
            })
            .collect())
    }

    async fn count_postcard_visit(&self, code: &ConnectorCode, day: NaiveDate) -> Result<bool> {
        let counted = sqlx::query(
            "INSERT INTO postcard_visits (code, day, visits) \
             SELECT code, $2, 1 FROM connectors WHERE code = $1 \
             ON CONFLICT (code, day) DO UPDATE SET visits = postcard_visits.visits + 1",
        )
        .bind(code.as_str())
        .bind(day)
        .execute(&self.writer)
        .await?;
        Ok(counted.rows_affected() > 0)
    }

    async fn log_conversation(
        &self,
        connector: UserId,
        conversation: &Conversation,
        stamp: &Stamp,
    ) -> Result<Uuid> {
        let mut tx = begin_write(&self.writer).await?;
        let id = insert_conversation(&mut tx, connector, conversation, stamp).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn hand_off(
        &self,
        connector: UserId,
        intake: NewIntake,
        conversation: &Conversation,
    ) -> Result<(Intake, Uuid)> {
        let keys = self.keyring()?;
        let stamp = intake.stamp.clone();
        let mut tx = begin_write(&self.writer).await?;
        let intake = insert_intake(&mut tx, &keys, intake).await?;
        let id = insert_conversation(&mut tx, connector, conversation, &stamp).await?;
        tx.commit().await?;
        Ok((intake, id))
    }

    async fn connector_figures(
        &self,
        connector: Option<UserId>,
        today: NaiveDate,
    ) -> Result<ConnectorFigures> {
        let mut tx = begin_read(&self.reader).await?;
        let only = |q: &mut QueryBuilder<DB>, column: &str| {
            if let Some(user) = connector {
                q.push(format!(" AND {column} = "));
                q.push_bind(key(user.0));
            }
        };
        let mut figures = ConnectorFigures::default();

        let mut q = QueryBuilder::<DB>::new(
            "SELECT c.trained_on FROM connectors c JOIN users u ON u.id = c.user_id \
             WHERE u.status <> 'suspended'",
        );
        only(&mut q, "c.user_id");
        let trained: Vec<NaiveDate> = q.build_query_scalar().fetch_all(&mut *tx).await?;
        figures.trained = trained.len() as u64;
        figures.refresher_due = trained
            .iter()
            .filter(|t| refresher_is_due(**t, today))
            .count() as u64;

        let active_from =
            active_since(today.and_time(chrono::NaiveTime::MIN).and_utc()).date_naive();
        let year_ago = today
            .checked_sub_months(Months::new(12))
            .unwrap_or(NaiveDate::MIN);
        let mut q = QueryBuilder::<DB>::new("SELECT COUNT(*), ");
        q.push("CAST(COALESCE(SUM(CASE WHEN on_date >= ");
        q.push_bind(year_ago);
        q.push(" THEN 1 ELSE 0 END), 0) AS BIGINT), ");
        q.push("CAST(COALESCE(SUM(offers), 0) AS BIGINT), ");
        q.push("CAST(COALESCE(SUM(CASE WHEN handed_off THEN 1 ELSE 0 END), 0) AS BIGINT), ");
        q.push("COUNT(DISTINCT CASE WHEN on_date >= ");
        q.push_bind(active_from);
        q.push(" THEN connector_id END) FROM connector_conversations WHERE 1 = 1");
        only(&mut q, "connector_id");
        let row = q.build().fetch_one(&mut *tx).await?;
        let mut c = Columns::new(&row);
        let mut count = || c.int().map(|n| n.max(0) as u64);
        figures.conversations = count()?;
        figures.conversations_last_year = count()?;
        figures.offers_of_help = count()?;
        figures.hand_offs = count()?;
        figures.active = count()?;

        let mut q = QueryBuilder::<DB>::new(
            "SELECT CAST(COALESCE(SUM(v.visits), 0) AS BIGINT) FROM postcard_visits v \
             JOIN connectors c ON c.code = v.code WHERE 1 = 1",
        );
        only(&mut q, "c.user_id");
        let visits: i64 = q.build_query_scalar().fetch_one(&mut *tx).await?;
        figures.postcard_visits = visits.max(0) as u64;

        let mut q = QueryBuilder::<DB>::new(
            "SELECT month, need, COUNT(*) FROM connector_conversation_needs WHERE month >= ",
        );
        q.push_bind(month_of(year_ago));
        only(&mut q, "connector_id");
        q.push(" GROUP BY month, need ORDER BY month DESC, need");
        for row in q.build().fetch_all(&mut *tx).await? {
            let mut c = Columns::new(&row);
            let month = c.text()?;
            let need = NeedId::parse(&c.text()?).map_err(corrupt)?;
            let n = c.int()?.max(0) as u64;
            figures.needs_by_month.push((month, need, n));
        }
        tx.commit().await?;
        Ok(figures)
    }
}

/// Keeps an anonymous conversation, the needs heard in it and its audit event, inside `tx`.
async fn insert_conversation(
    tx: &mut Tx,
    connector: UserId,
    conversation: &Conversation,
    stamp: &Stamp,
) -> Result<Uuid> {
    let now = stamp.at;
    let id = Uuid::now_v7();
    let done: Vec<&str> = conversation.done.iter().map(|d| d.code()).collect();
    let offers = conversation
        .done
        .iter()
        .filter(|d| d.is_offer_of_help())
        .count();
    let handed_off = conversation
        .done
        .contains(&knit_domain::connector::WhatWasDone::PassedToCoordinator);
    sqlx::query(
        "INSERT INTO connector_conversations (id, connector_id, on_date, area, done, offers, \
             handed_off, service_id, logged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(key(id))
    .bind(key(connector.0))
    .bind(conversation.on)
    .bind(conversation.area.as_str())
    .bind(done.join(","))
    .bind(offers as i64)
    .bind(handed_off)
    .bind(conversation.service.map(key))
    .bind(at(now))
    .execute(&mut **tx)
    .await?;
    for need in &conversation.needs {
        sqlx::query(
            "INSERT INTO connector_conversation_needs (conversation_id, need, connector_id, \
                 month) VALUES ($1, $2, $3, $4)",
        )
        .bind(key(id))
        .bind(need.as_str())
        .bind(key(connector.0))
        .bind(month_of(conversation.on))
        .execute(&mut **tx)
        .await?;
    }
    append_audit_in(
        tx,
        audit_event(stamp, ActionKind::LogConversation, "conversation", id),
    )
    .await?;
    Ok(id)
}
