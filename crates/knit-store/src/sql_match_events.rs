//! [`MatchEventStore`] for both backends, written once and compiled into each backend
//! module with `#[path]`, as `sql_volunteering.rs` is. Recording a meeting locks the event's
//! session row first (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds
//! the database), so its checks and its writes see one state.

#![allow(clippy::duplicate_mod)]

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use knit_domain::access::ActionKind;
use knit_domain::account::OrganizationId;
use knit_domain::audit::{NewAuditEvent, Outcome};
use knit_domain::match_events::{
    BadEvent, ComingOrganisations, MeetingFacts, NamedRole, check_meeting,
};
use knit_domain::training::{SessionPlan, TrainingKind};
use knit_domain::volunteering::{InterestStatus, OpportunityPlan, VolunteerOffer};
use sqlx::{AssertSqlSafe, Database};
use uuid::Uuid;

use super::sql_accounts::{Columns, DbRow, append_audit_in, at, corrupt};
use super::sql_connectors::{
    SESSION_COLUMNS, booking_in, insert_session, session_from, session_in,
};
use super::sql_store::SqlStore;
use super::sql_volunteering::{from_json, offer_in};
use super::{DB, begin_read, begin_write, key};
use crate::Result;
use crate::casework::Stamp;
use crate::match_events::{
    Coming, EventsWhen, MatchEvent, MatchEventError, MatchEventStore, Meeting, MeetingRole,
    NewMeeting,
};
use crate::volunteering::NewInterest;

type Conn = <DB as Database>::Connection;

fn audit(stamp: &Stamp, object_type: &str, id: Uuid) -> NewAuditEvent {
    NewAuditEvent {
        at: stamp.at,
        actor: stamp.by,
        actor_role: stamp.role,
        action: ActionKind::RunMatchEvents.code().to_owned(),
        object_type: object_type.to_owned(),
        object_id: Some(id.to_string()),
        address: stamp.address.clone(),
        outcome: Outcome::Succeeded,
    }
}

const COMING_COLUMNS: &str = "m.session_id, m.organization_id, o.name \
     FROM match_event_organizations m LEFT JOIN organizations o ON o.id = m.organization_id";

/// The events `filter` picks from sessions `s` joined to events `e` (with `$1` and
/// `LIMIT $2`), in its order, with who is coming: two queries however many events.
async fn events_where(
    conn: &mut Conn,
    filter: &str,
    bound: DateTime<Utc>,
    limit: u32,
) -> Result<Vec<MatchEvent>> {
    let picked = format!(
        "training_sessions s JOIN match_events e ON e.session_id = s.id WHERE {filter} LIMIT $2"
    );
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {}, e.followed_up_at FROM {picked}",
        *SESSION_COLUMNS
    )))
    .bind(at(bound))
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    let coming = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COMING_COLUMNS} WHERE m.session_id IN (SELECT s.id FROM {picked}) \
         ORDER BY o.name, m.organization_id"
    )))
    .bind(at(bound))
    .bind(i64::from(limit))
    .fetch_all(&mut *conn)
    .await?;
    events_of(&rows, &coming)
}

/// Events from their session rows (with `followed_up_at` after the session's columns) and
/// the rows of who is coming to any of them.
fn events_of(rows: &[DbRow], coming: &[DbRow]) -> Result<Vec<MatchEvent>> {
    let mut who: Vec<(Uuid, Coming)> = Vec::with_capacity(coming.len());
    for row in coming {
        let mut c = Columns::new(row);
        let session = c.id()?;
        who.push((
            session,
            Coming {
                organization: OrganizationId(c.id()?),
                name: c.opt_text()?,
            },
        ));
    }
    rows.iter()
        .map(|row| {
            let mut c = Columns::new(row);
            let session = session_from(&mut c)?;
            let followed_up_at = c.opt_time()?;
            let coming = who
                .iter()
                .filter(|(s, _)| *s == session.id)
                .map(|(_, c)| c.clone())
                .collect();
            Ok(MatchEvent {
                session,
                coming,
                followed_up_at,
            })
        })
        .collect()
}

/// An event with who is coming; `None` when the session is not a match event.
async fn event_in(conn: &mut Conn, id: Uuid) -> Result<Option<MatchEvent>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {}, e.followed_up_at FROM training_sessions s \
         JOIN match_events e ON e.session_id = s.id WHERE s.id = $1",
        *SESSION_COLUMNS
    )))
    .bind(key(id))
    .fetch_all(&mut *conn)
    .await?;
    let coming = sqlx::query(AssertSqlSafe(format!(
        "SELECT {COMING_COLUMNS} WHERE m.session_id = $1 ORDER BY o.name, m.organization_id"
    )))
    .bind(key(id))
    .fetch_all(&mut *conn)
    .await?;
    Ok(events_of(&rows, &coming)?.pop())
}

const MEETING_COLUMNS: &str = "m.id, m.booking_id, b.name, m.organization_id, m.interest_id, \
     i.opportunity_id, o.plan, i.status, m.recorded_at";

const MEETING_TABLES: &str = "match_event_meetings m \
     JOIN training_bookings b ON b.id = m.booking_id \
     LEFT JOIN volunteer_interests i ON i.id = m.interest_id \
     LEFT JOIN volunteer_opportunities o ON o.id = i.opportunity_id";

fn meeting_row(row: &DbRow) -> Result<Meeting> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let booking = c.id()?;
    let volunteer = c.text()?;
    let organization = OrganizationId(c.id()?);
    let interest = c.opt_id()?;
    let opportunity = c.opt_id()?;
    let plan = c.opt_text()?;
    let status = c.opt_text()?;
    let role = match (interest, opportunity, plan, status) {
        (Some(interest), Some(opportunity), Some(plan), Some(status)) => Some(MeetingRole {
            interest,
            opportunity,
            title: from_json::<OpportunityPlan>(&plan, "role")?.title,
            status: InterestStatus::from_code(&status)
                .ok_or_else(|| corrupt("a stored offer status"))?,
        }),
        (None, ..) => None,
        _ => return Err(corrupt("a meeting's offer without its role")),
    };
    Ok(Meeting {
        id,
        booking,
        volunteer,
        organization,
        role,
        recorded_at: c.time()?,
    })
}

#[async_trait]
impl MatchEventStore for SqlStore {
    async fn plan_match_event(
        &self,
        plan: &SessionPlan,
        coming: &ComingOrganisations,
        stamp: Stamp,
    ) -> Result<MatchEvent, MatchEventError> {
        if plan.kind != TrainingKind::MatchEvent {
            return Err(corrupt("a match event planned as another kind of session").into());
        }
        let id = Uuid::now_v7();
        let mut tx = begin_write(&self.writer).await?;
        for org in coming.ids() {
            let listed =
                sqlx::query_scalar::<_, super::Key>("SELECT id FROM organizations WHERE id = $1")
                    .bind(key(org.0))
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(crate::StoreError::from)?;
            if listed.is_none() {
                return Err(BadEvent::UnknownOrganisation.into());
            }
        }
        insert_session(&mut tx, id, plan, stamp.by, stamp.at).await?;
        sqlx::query("INSERT INTO match_events (session_id) VALUES ($1)")
            .bind(key(id))
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::from)?;
        for org in coming.ids() {
            sqlx::query(
                "INSERT INTO match_event_organizations (session_id, organization_id) \
                 VALUES ($1, $2)",
            )
            .bind(key(id))
            .bind(key(org.0))
            .execute(&mut *tx)
            .await
            .map_err(crate::StoreError::from)?;
        }
        append_audit_in(&mut tx, audit(&stamp, "match_event", id)).await?;
        let event = event_in(&mut tx, id)
            .await?
            .ok_or_else(|| corrupt("a match event just planned"))?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(event)
    }

    async fn match_event(&self, id: Uuid) -> Result<Option<MatchEvent>> {
        let mut tx = begin_read(&self.reader).await?;
        let event = event_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn match_events(&self, when: EventsWhen, limit: u32) -> Result<Vec<MatchEvent>> {
        let (filter, bound) = match when {
            EventsWhen::Upcoming(from) => ("s.ends_at > $1 ORDER BY s.starts_at, s.id", from),
            EventsWhen::Past(by) => ("s.ends_at <= $1 ORDER BY s.starts_at DESC, s.id DESC", by),
        };
        let mut tx = begin_read(&self.reader).await?;
        let events = events_where(&mut tx, filter, bound, limit).await?;
        tx.commit().await?;
        Ok(events)
    }

    async fn record_meeting(&self, new: NewMeeting) -> Result<Meeting, MatchEventError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        let session = session_in(&mut tx, new.event, true)
            .await?
            .filter(|s| s.kind == TrainingKind::MatchEvent)
            .ok_or(MatchEventError::NoSuchEvent)?;
        let plan = new.plan;
        let booking = booking_in(&mut tx, plan.booking)
            .await?
            .filter(|b| b.session_id == session.id);
        let coming = sqlx::query_scalar::<_, super::Key>(
            "SELECT organization_id FROM match_event_organizations \
             WHERE session_id = $1 AND organization_id = $2",
        )
        .bind(key(session.id))
        .bind(key(plan.organization.0))
        .fetch_optional(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?
        .is_some();
        let role = match plan.role {
            None => None,
            Some(role) => sqlx::query(
                "SELECT organization_id, open FROM volunteer_opportunities WHERE id = $1",
            )
            .bind(key(role))
            .fetch_optional(&mut *tx)
            .await
            .map_err(crate::StoreError::from)?
            .map(|row| {
                let mut c = Columns::new(&row);
                Ok::<_, crate::StoreError>(NamedRole {
                    organization: OrganizationId(c.id()?),
                    open: c.flag()?,
                })
            })
            .transpose()?,
        };
        let met_before = sqlx::query_scalar::<_, super::Key>(
            "SELECT id FROM match_event_meetings WHERE booking_id = $1 AND organization_id = $2",
        )
        .bind(key(plan.booking))
        .bind(key(plan.organization.0))
        .fetch_optional(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?
        .is_some();
        let facts = MeetingFacts {
            booking: booking.as_ref().map(|b| b.status),
            coming,
            role,
            met_before,
        };
        check_meeting(&plan, facts)?;
        let booking = booking.ok_or_else(|| corrupt("a checked meeting's booking"))?;
        let interest = match plan.role {
            None => None,
            Some(opportunity) => Some(
                offer_in(
                    &mut tx,
                    &keys,
                    &NewInterest {
                        opportunity,
                        offer: VolunteerOffer {
                            name: booking.name.clone(),
                            contact: booking.email.as_str().to_owned(),
                            message: new.offer_message.clone(),
                        },
                        person: None,
                        stamp: new.stamp.clone(),
                    },
                )
                .await?,
            ),
        };
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO match_event_meetings (id, session_id, booking_id, organization_id, \
             interest_id, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key(id))
        .bind(key(session.id))
        .bind(key(booking.id))
        .bind(key(plan.organization.0))
        .bind(interest.as_ref().map(|i| key(i.id)))
        .bind(new.stamp.by.map(|u| key(u.0)))
        .bind(at(new.stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?;
        append_audit_in(&mut tx, audit(&new.stamp, "match_event_meeting", id)).await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {MEETING_COLUMNS} FROM {MEETING_TABLES} WHERE m.id = $1"
        )))
        .bind(key(id))
        .fetch_one(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?;
        let meeting = meeting_row(&row)?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(meeting)
    }

    async fn meetings(&self, event: Uuid) -> Result<Vec<Meeting>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {MEETING_COLUMNS} FROM {MEETING_TABLES} WHERE m.session_id = $1 \
             ORDER BY m.recorded_at, m.id"
        )))
        .bind(key(event))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(meeting_row).collect()
    }

    async fn match_events_to_follow_up(
        &self,
        due_by: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<MatchEvent>> {
        let mut tx = begin_read(&self.reader).await?;
        let events = events_where(
            &mut tx,
            "e.followed_up_at IS NULL AND s.ends_at <= $1 ORDER BY s.ends_at, s.id",
            due_by,
            limit,
        )
        .await?;
        tx.commit().await?;
        Ok(events)
    }

    async fn mark_followed_up(&self, event: Uuid, when: DateTime<Utc>) -> Result<bool> {
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "UPDATE match_events SET followed_up_at = $2 \
             WHERE session_id = $1 AND followed_up_at IS NULL",
        )
        .bind(key(event))
        .bind(at(when))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        tx.commit().await?;
        Ok(done)
    }
}
