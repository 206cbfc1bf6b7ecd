//! [`VolunteeringStore`] for both backends, written once and compiled into each backend
//! module with `#[path]`, as `sql_connectors.rs` is. Each change that reads before it writes
//! locks its row first (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds
//! the database), and commits with its audit event.

#![allow(clippy::duplicate_mod)]

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use knit_domain::access::ActionKind;
use knit_domain::account::{OrganizationId, UserId};
use knit_domain::activities::{ActivityPlan, FeedEvent, HubPlan};
use knit_domain::audit::{NewAuditEvent, Outcome};
use knit_domain::casework::PersonId;
use knit_domain::geo::LatLon;
use knit_domain::introductions::{Answer, Answers, IntroductionRefused, PeerInterest, Side};
use knit_domain::volunteering::{
    InterestAnswer, InterestChase, InterestStatus, Opportunity, OpportunityPlan, ReplyTime,
    StrengthsProfile, VolunteerOffer, answer as answer_rule,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, Transaction};
use uuid::Uuid;

use super::sql_accounts::{Columns, DbRow, append_audit_in, at, corrupt, locking};
use super::sql_store::SqlStore;
use super::{DB, begin_read, begin_write, key};
use crate::Result;
use crate::casework::Stamp;
use crate::sealing::KeyRing;
use crate::volunteering::{
    Activity, ActivityFilter, FeedImport, Hub, Interest, InterestError, InterestSummary,
    Introduction, IntroductionError, NewInterest, NewOpportunity, PeerOptIn, VolunteeringStore,
};

type Tx = Transaction<'static, DB>;

fn seal<T: Serialize + ?Sized>(keys: &KeyRing, value: &T, context: &str) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).map_err(|e| corrupt(format!("{context} as JSON: {e}")))?;
    Ok(keys.seal(&json, context.as_bytes()))
}

fn unseal<T: DeserializeOwned>(keys: &KeyRing, sealed: &[u8], context: &str) -> Result<T> {
    let json = keys
        .open(sealed, context.as_bytes())
        .map_err(|e| corrupt(format!("{context}: {e}")))?;
    // Only where it failed, never the value: it is what a person told us.
    serde_json::from_slice(&json).map_err(|e| {
        corrupt(format!(
            "{context}: unreadable once opened (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| corrupt(format!("a plan as JSON: {e}")))
}

pub(super) fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("a stored {what}: {e}")))
}

fn audit(stamp: &Stamp, action: ActionKind, object_type: &str, id: Uuid) -> NewAuditEvent {
    NewAuditEvent {
        at: stamp.at,
        actor: stamp.by,
        actor_role: stamp.role,
        action: action.code().to_owned(),
        object_type: object_type.to_owned(),
        object_id: Some(id.to_string()),
        address: stamp.address.clone(),
        outcome: Outcome::Succeeded,
    }
}

// --- roles ---

const OPPORTUNITY_COLUMNS: &str = "id, organization_name, plan, lat, lon, open, posted_at";

fn opportunity_row(row: &DbRow) -> Result<Opportunity> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let organization_name = c.text()?;
    let plan: OpportunityPlan = from_json(&c.text()?, "role")?;
    let lat: Option<f64> = c.get()?;
    let lon: Option<f64> = c.get()?;
    Ok(Opportunity {
        id,
        organization_name,
        plan,
        position: match (lat, lon) {
            (Some(lat), Some(lon)) => LatLon::new(lat, lon).ok(),
            _ => None,
        },
        open: c.flag()?,
        posted_at: c.time()?,
    })
}

/// Ends a change to a role: the change counted, its audit event, then the role as it now
/// is, then the commit.
async fn audited_role(
    mut tx: Transaction<'static, DB>,
    stamp: &Stamp,
    id: Uuid,
) -> Result<Opportunity> {
    sqlx::query("UPDATE opportunity_changes SET version = version + 1 WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    append_audit_in(
        &mut tx,
        audit(
            stamp,
            ActionKind::ManageVolunteering,
            "volunteer_opportunity",
            id,
        ),
    )
    .await?;
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {OPPORTUNITY_COLUMNS} FROM volunteer_opportunities WHERE id = $1"
    )))
    .bind(key(id))
    .fetch_one(&mut *tx)
    .await?;
    let opportunity = opportunity_row(&row)?;
    tx.commit().await?;
    Ok(opportunity)
}

// --- offers ---

const INTEREST_COLUMNS: &str = "i.id, i.opportunity_id, o.plan, i.organization_id, i.person_id, \
     i.status, i.chased, i.sent_at, i.answered_at";

fn interest_row(row: &DbRow) -> Result<InterestSummary> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let opportunity = c.id()?;
    let plan: OpportunityPlan = from_json(&c.text()?, "role")?;
    Ok(InterestSummary {
        id,
        opportunity,
        opportunity_title: plan.title,
        organization: OrganizationId(c.id()?),
        person: c.opt_id()?.map(PersonId),
        status: InterestStatus::from_code(&c.text()?)
            .ok_or_else(|| corrupt("a stored offer status"))?,
        chased: InterestChase::from_code(c.opt_text()?.as_deref()),
        sent_at: c.time()?,
        answered_at: c.opt_time()?,
    })
}

async fn interest_in(tx: &mut Tx, id: Uuid, lock: bool) -> Result<Option<InterestSummary>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {INTEREST_COLUMNS} FROM volunteer_interests i \
         JOIN volunteer_opportunities o ON o.id = i.opportunity_id WHERE i.id = $1{}",
        if lock {
            locking(" FOR UPDATE OF i")
        } else {
            ""
        }
    )))
    .bind(key(id))
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(interest_row).transpose()
}

/// Makes an offer to volunteer inside the caller's transaction, with its audit event: from
/// the public form, a coordinator's referral, or a meeting at a match event.
pub(super) async fn offer_in(
    tx: &mut Tx,
    keys: &KeyRing,
    new: &NewInterest,
) -> Result<InterestSummary, InterestError> {
    let id = Uuid::now_v7();
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {OPPORTUNITY_COLUMNS}, organization_id FROM volunteer_opportunities \
         WHERE id = $1"
    )))
    .bind(key(new.opportunity))
    .fetch_optional(&mut **tx)
    .await
    .map_err(crate::StoreError::from)?
    .ok_or(InterestError::NoSuchOpportunity)?;
    let opportunity = opportunity_row(&row)?;
    if !opportunity.open {
        return Err(InterestError::Closed);
    }
    let sealed = seal(keys, &new.offer, &offer_context(id))?;
    sqlx::query(
        "INSERT INTO volunteer_interests (id, opportunity_id, organization_id, sealed, \
         person_id, referred_by, status, sent_at, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(key(id))
    .bind(key(opportunity.id))
    .bind(key(opportunity.plan.organization.0))
    .bind(sealed)
    .bind(new.person.map(|p| key(p.0)))
    .bind(new.stamp.by.map(|u| key(u.0)))
    .bind(InterestStatus::Waiting.code())
    .bind(at(new.stamp.at))
    .execute(&mut **tx)
    .await
    .map_err(crate::StoreError::from)?;
    append_audit_in(
        tx,
        audit(
            &new.stamp,
            ActionKind::ExpressInterest,
            "volunteer_interest",
            id,
        ),
    )
    .await?;
    Ok(interest_in(tx, id, false)
        .await?
        .ok_or_else(|| corrupt("an offer just made"))?)
}

fn offer_context(id: Uuid) -> String {
    format!("volunteer_interests:{id}")
}

fn reason_context(id: Uuid) -> String {
    format!("volunteer_interests:{id}:reason")
}

// --- activities ---

const ACTIVITY_COLUMNS: &str = "id, plan, feed, changed_at";

fn activity_row(row: &DbRow) -> Result<Activity> {
    let mut c = Columns::new(row);
    Ok(Activity {
        id: c.id()?,
        plan: from_json(&c.text()?, "activity")?,
        feed: c.opt_text()?,
        changed_at: c.time()?,
    })
}

fn hub_row(row: &DbRow) -> Result<Hub> {
    let mut c = Columns::new(row);
    Ok(Hub {
        id: c.id()?,
        plan: HubPlan {
            name: c.text()?,
            address: c.text()?,
            description: c.text()?,
        },
    })
}

// --- peers ---

fn opt_in_context(person: PersonId) -> String {
    format!("peer_opt_ins:{}", person.0)
}

const INTRODUCTION_COLUMNS: &str = "id, first_person, second_person, coordinator, first_answer, \
     second_answer, stopped, proposed_at, changed_at";

fn introduction_row(row: &DbRow) -> Result<Introduction> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let first = PersonId(c.id()?);
    let second = PersonId(c.id()?);
    let coordinator = UserId(c.id()?);
    let answer = |code: String| Answer::from_code(&code).ok_or_else(|| corrupt("a stored answer"));
    let first_answer = answer(c.text()?)?;
    let second_answer = answer(c.text()?)?;
    Ok(Introduction {
        id,
        first,
        second,
        coordinator,
        answers: Answers {
            first: first_answer,
            second: second_answer,
            stopped: c.flag()?,
        },
        proposed_at: c.time()?,
        changed_at: c.time()?,
    })
}

async fn introduction_in(tx: &mut Tx, id: Uuid, lock: bool) -> Result<Option<Introduction>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {INTRODUCTION_COLUMNS} FROM introductions WHERE id = $1{}",
        if lock { locking(" FOR UPDATE") } else { "" }
    )))
    .bind(key(id))
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(introduction_row).transpose()
}

async fn write_answers(
    tx: &mut Tx,
    intro: &Introduction,
    answers: Answers,
    now: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "UPDATE introductions SET first_answer = $2, second_answer = $3, stopped = $4, \
         changed_at = $5 WHERE id = $1",
    )
    .bind(key(intro.id))
    .bind(answers.first.code())
    .bind(answers.second.code())
    .bind(answers.stopped)
    .bind(at(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[async_trait]
impl VolunteeringStore for SqlStore {
    async fn post_opportunity(&self, new: NewOpportunity) -> Result<Opportunity> {
        let id = Uuid::now_v7();
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query(
            "INSERT INTO volunteer_opportunities (id, organization_id, organization_name, plan, \
             lat, lon, open, posted_by, posted_at, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(key(id))
        .bind(key(new.plan.organization.0))
        .bind(new.organization_name.as_str())
        .bind(json(&new.plan)?)
        .bind(new.position.map(|p| p.lat))
        .bind(new.position.map(|p| p.lon))
        .bind(true)
        .bind(new.stamp.by.map(|u| key(u.0)))
        .bind(at(new.stamp.at))
        .execute(&mut *tx)
        .await?;
        audited_role(tx, &new.stamp, id).await
    }

    async fn opportunity(&self, id: Uuid) -> Result<Option<Opportunity>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {OPPORTUNITY_COLUMNS} FROM volunteer_opportunities WHERE id = $1"
        )))
        .bind(key(id))
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(opportunity_row).transpose()
    }

    async fn set_opportunity_open(
        &self,
        id: Uuid,
        open: bool,
        stamp: Stamp,
    ) -> Result<Option<Opportunity>> {
        let mut tx = begin_write(&self.writer).await?;
        let changed = sqlx::query(
            "UPDATE volunteer_opportunities SET open = $1, changed_at = $2 WHERE id = $3",
        )
        .bind(open)
        .bind(at(stamp.at))
        .bind(key(id))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(None);
        }
        audited_role(tx, &stamp, id).await.map(Some)
    }

    async fn open_opportunities(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<Opportunity>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {OPPORTUNITY_COLUMNS} FROM volunteer_opportunities \
             WHERE open = $1 AND ($2 IS NULL OR id > $2) ORDER BY id LIMIT $3"
        )))
        .bind(true)
        .bind(after.map(key))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(opportunity_row).collect()
    }

    async fn opportunities_version(&self) -> Result<String> {
        let version =
            sqlx::query_scalar::<_, i64>("SELECT version FROM opportunity_changes WHERE id = 1")
                .fetch_one(&self.reader)
                .await?;
        Ok(version.to_string())
    }

    async fn organization_opportunities(
        &self,
        organization: Option<OrganizationId>,
        limit: u32,
    ) -> Result<Vec<Opportunity>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {OPPORTUNITY_COLUMNS} FROM volunteer_opportunities \
             WHERE ($1 IS NULL OR organization_id = $1) ORDER BY posted_at DESC, id DESC LIMIT $2"
        )))
        .bind(organization.map(|o| key(o.0)))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(opportunity_row).collect()
    }

    async fn express_interest(&self, new: NewInterest) -> Result<InterestSummary, InterestError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        let summary = offer_in(&mut tx, &keys, &new).await?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(summary)
    }

    async fn interests(
        &self,
        organization: Option<OrganizationId>,
        limit: u32,
    ) -> Result<Vec<InterestSummary>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INTEREST_COLUMNS} FROM volunteer_interests i \
             JOIN volunteer_opportunities o ON o.id = i.opportunity_id \
             WHERE ($1 IS NULL OR i.organization_id = $1) \
             ORDER BY i.sent_at DESC, i.id DESC LIMIT $2"
        )))
        .bind(organization.map(|o| key(o.0)))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(interest_row).collect()
    }

    async fn person_interests(&self, person: PersonId) -> Result<Vec<InterestSummary>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INTEREST_COLUMNS} FROM volunteer_interests i \
             JOIN volunteer_opportunities o ON o.id = i.opportunity_id \
             WHERE i.person_id = $1 ORDER BY i.sent_at DESC, i.id DESC"
        )))
        .bind(key(person.0))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(interest_row).collect()
    }

    async fn interest(&self, id: Uuid) -> Result<Option<Interest>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let Some(summary) = interest_in(&mut tx, id, false).await? else {
            return Ok(None);
        };
        let row = sqlx::query("SELECT sealed, reason FROM volunteer_interests WHERE id = $1")
            .bind(key(id))
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut c = Columns::new(&row);
        let sealed: Vec<u8> = c.get()?;
        let reason: Option<Vec<u8>> = c.get()?;
        let offer: VolunteerOffer = unseal(&keys, &sealed, &offer_context(id))?;
        let reason = reason
            .map(|r| unseal::<String>(&keys, &r, &reason_context(id)))
            .transpose()?;
        Ok(Some(Interest {
            summary,
            offer,
            reason,
        }))
    }

    async fn answer_interest(
        &self,
        id: Uuid,
        answer: &InterestAnswer,
        stamp: Stamp,
    ) -> Result<InterestSummary, InterestError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        let current = interest_in(&mut tx, id, true)
            .await?
            .ok_or(InterestError::NoSuchInterest)?;
        let next = answer_rule(current.status, answer)?;
        let reason = match answer {
            InterestAnswer::NotSuitable(reason) => Some(seal(&keys, reason, &reason_context(id))?),
            _ => None,
        };
        sqlx::query(
            "UPDATE volunteer_interests SET status = $2, reason = COALESCE($3, reason), \
             answered_at = COALESCE(answered_at, $4), changed_at = $4 WHERE id = $1",
        )
        .bind(key(id))
        .bind(next.code())
        .bind(reason)
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?;
        append_audit_in(
            &mut tx,
            audit(
                &stamp,
                ActionKind::ManageVolunteering,
                "volunteer_interest",
                id,
            ),
        )
        .await?;
        let summary = interest_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("an offer just answered"))?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(summary)
    }

    async fn interests_to_chase(
        &self,
        sent_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<InterestSummary>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INTEREST_COLUMNS} FROM volunteer_interests i \
             JOIN volunteer_opportunities o ON o.id = i.opportunity_id \
             WHERE i.status = $1 AND i.sent_at <= $2 \
             AND (i.chased IS NULL OR i.chased <> $3) \
             ORDER BY i.sent_at, i.id LIMIT $4"
        )))
        .bind(InterestStatus::Waiting.code())
        .bind(at(sent_before))
        .bind("escalated")
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(interest_row).collect()
    }

    async fn mark_interest_chased(
        &self,
        id: Uuid,
        chase: InterestChase,
        at_time: DateTime<Utc>,
    ) -> Result<bool> {
        let Some(code) = chase.code() else {
            return Ok(false);
        };
        // Only forward: nothing, then reminded, then escalated; one instance wins each stage.
        let earlier: &[&str] = match chase {
            InterestChase::EscalateToPlaceLeads => &["reminded"],
            _ => &[],
        };
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "UPDATE volunteer_interests SET chased = $2, changed_at = $3 \
             WHERE id = $1 AND status = $4 AND (chased IS NULL OR chased = $5)",
        )
        .bind(key(id))
        .bind(code)
        .bind(at(at_time))
        .bind(InterestStatus::Waiting.code())
        .bind(earlier.first().copied().unwrap_or(""))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(done == 1)
    }

    async fn reply_times(
        &self,
        organization: OrganizationId,
        since: DateTime<Utc>,
    ) -> Result<Vec<ReplyTime>> {
        let rows = sqlx::query(
            "SELECT sent_at, answered_at FROM volunteer_interests \
             WHERE organization_id = $1 AND sent_at >= $2",
        )
        .bind(key(organization.0))
        .bind(at(since))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(ReplyTime {
                    sent: c.time()?,
                    answered: c.opt_time()?,
                })
            })
            .collect()
    }

    async fn set_strengths(
        &self,
        person: PersonId,
        profile: &StrengthsProfile,
        stamp: Stamp,
    ) -> Result<()> {
        let keys = self.keyring()?;
        let context = format!("strengths_profiles:{}", person.0);
        let sealed = seal(&keys, profile, &context)?;
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query(
            "INSERT INTO strengths_profiles (person_id, sealed, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (person_id) DO UPDATE SET \
             sealed = excluded.sealed, recorded_by = excluded.recorded_by, \
             recorded_at = excluded.recorded_at",
        )
        .bind(key(person.0))
        .bind(sealed)
        .bind(stamp.by.map(|u| key(u.0)))
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await?;
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::EditPerson, "strengths", person.0),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn strengths(&self, person: PersonId) -> Result<Option<StrengthsProfile>> {
        let keys = self.keyring()?;
        let sealed: Option<Vec<u8>> =
            sqlx::query_scalar("SELECT sealed FROM strengths_profiles WHERE person_id = $1")
                .bind(key(person.0))
                .fetch_optional(&self.reader)
                .await?;
        sealed
            .map(|s| unseal(&keys, &s, &format!("strengths_profiles:{}", person.0)))
            .transpose()
    }

    async fn add_hub(&self, plan: &HubPlan, stamp: Stamp) -> Result<Hub> {
        let id = Uuid::now_v7();
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query(
            "INSERT INTO activity_hubs (id, name, address, description, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(key(id))
        .bind(plan.name.as_str())
        .bind(plan.address.as_str())
        .bind(plan.description.as_str())
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await?;
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::ManageActivities, "hub", id),
        )
        .await?;
        tx.commit().await?;
        Ok(Hub {
            id,
            plan: plan.clone(),
        })
    }

    async fn hub(&self, id: Uuid) -> Result<Option<Hub>> {
        let row =
            sqlx::query("SELECT id, name, address, description FROM activity_hubs WHERE id = $1")
                .bind(key(id))
                .fetch_optional(&self.reader)
                .await?;
        row.as_ref().map(hub_row).transpose()
    }

    async fn hubs(&self) -> Result<Vec<Hub>> {
        let rows = sqlx::query(
            "SELECT id, name, address, description FROM activity_hubs ORDER BY name, id",
        )
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(hub_row).collect()
    }

    async fn add_activity(&self, plan: &ActivityPlan, stamp: Stamp) -> Result<Activity> {
        let id = Uuid::now_v7();
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query(
            "INSERT INTO activities (id, organization_id, hub_id, plan, created_at, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(key(id))
        .bind(plan.organization.map(|o| key(o.0)))
        .bind(plan.hub.map(key))
        .bind(json(plan)?)
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await?;
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::ManageActivities, "activity", id),
        )
        .await?;
        tx.commit().await?;
        Ok(Activity {
            id,
            plan: plan.clone(),
            feed: None,
            changed_at: stamp.at,
        })
    }

    async fn activity(&self, id: Uuid) -> Result<Option<Activity>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities WHERE id = $1"
        )))
        .bind(key(id))
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(activity_row).transpose()
    }

    async fn activities(&self, filter: ActivityFilter) -> Result<Vec<Activity>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities \
             WHERE ($1 IS NULL OR hub_id = $1) AND ($2 IS NULL OR organization_id = $2) \
             ORDER BY created_at, id LIMIT 5000"
        )))
        .bind(filter.hub.map(key))
        .bind(filter.organization.map(|o| key(o.0)))
        .fetch_all(&self.reader)
        .await?;
        let mut activities: Vec<Activity> = rows.iter().map(activity_row).collect::<Result<_>>()?;
        activities.sort_by(|a, b| a.plan.title.cmp(&b.plan.title).then(a.id.cmp(&b.id)));
        Ok(activities)
    }

    async fn import_activities(
        &self,
        feed: &str,
        events: &[FeedEvent],
        stamp: Stamp,
    ) -> Result<FeedImport> {
        let mut tx = begin_write(&self.writer).await?;
        let mut done = FeedImport::default();
        for event in events {
            let existing: Option<super::Key> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT id FROM activities WHERE feed = $1 AND feed_uid = $2{}",
                locking(" FOR UPDATE")
            )))
            .bind(feed)
            .bind(event.uid.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            match existing {
                Some(id) => {
                    sqlx::query(
                        "UPDATE activities SET plan = $2, organization_id = $3, hub_id = $4, \
                         changed_at = $5 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(json(&event.plan)?)
                    .bind(event.plan.organization.map(|o| key(o.0)))
                    .bind(event.plan.hub.map(key))
                    .bind(at(stamp.at))
                    .execute(&mut *tx)
                    .await?;
                    done.updated += 1;
                }
                None => {
                    sqlx::query(
                        "INSERT INTO activities (id, organization_id, hub_id, plan, feed, \
                         feed_uid, created_at, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
                    )
                    .bind(key(Uuid::now_v7()))
                    .bind(event.plan.organization.map(|o| key(o.0)))
                    .bind(event.plan.hub.map(key))
                    .bind(json(&event.plan)?)
                    .bind(feed)
                    .bind(event.uid.as_str())
                    .bind(at(stamp.at))
                    .execute(&mut *tx)
                    .await?;
                    done.added += 1;
                }
            }
        }
        // The feed is named by its address, which is not personal: one event for the import.
        append_audit_in(
            &mut tx,
            audit(
                &stamp,
                ActionKind::ManageActivities,
                "activity_feed",
                Uuid::new_v5(&Uuid::NAMESPACE_URL, feed.as_bytes()),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn record_peer_opt_in(
        &self,
        person: PersonId,
        interest: &PeerInterest,
        stamp: Stamp,
    ) -> Result<()> {
        let keys = self.keyring()?;
        let by = stamp
            .by
            .ok_or_else(|| corrupt("an opt-in recorded by nobody"))?;
        let sealed = seal(&keys, interest, &opt_in_context(person))?;
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query(
            "INSERT INTO peer_opt_ins (person_id, sealed, recorded_by, opted_in_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (person_id) DO UPDATE SET \
             sealed = excluded.sealed, recorded_by = excluded.recorded_by, \
             opted_in_at = excluded.opted_in_at, withdrawn_at = NULL",
        )
        .bind(key(person.0))
        .bind(sealed)
        .bind(key(by.0))
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await?;
        append_audit_in(
            &mut tx,
            audit(
                &stamp,
                ActionKind::ArrangeIntroductions,
                "peer_opt_in",
                person.0,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn withdraw_peer_opt_in(&self, person: PersonId, stamp: Stamp) -> Result<bool> {
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "UPDATE peer_opt_ins SET withdrawn_at = $2 WHERE person_id = $1 AND withdrawn_at IS NULL",
        )
        .bind(key(person.0))
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 1 {
            append_audit_in(
                &mut tx,
                audit(
                    &stamp,
                    ActionKind::ArrangeIntroductions,
                    "peer_opt_in",
                    person.0,
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(done == 1)
    }

    async fn peer_opt_in(&self, person: PersonId) -> Result<Option<PeerOptIn>> {
        let keys = self.keyring()?;
        let row = sqlx::query(
            "SELECT person_id, sealed, recorded_by, opted_in_at FROM peer_opt_ins \
             WHERE person_id = $1 AND withdrawn_at IS NULL",
        )
        .bind(key(person.0))
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(|r| opt_in_row(&keys, r)).transpose()
    }

    async fn peer_opt_ins(&self, limit: u32) -> Result<Vec<PeerOptIn>> {
        let keys = self.keyring()?;
        let rows = sqlx::query(
            "SELECT person_id, sealed, recorded_by, opted_in_at FROM peer_opt_ins \
             WHERE withdrawn_at IS NULL ORDER BY opted_in_at, person_id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| opt_in_row(&keys, r)).collect()
    }

    async fn propose_introduction(
        &self,
        first: PersonId,
        second: PersonId,
        stamp: Stamp,
    ) -> Result<Introduction, IntroductionError> {
        if first == second {
            return Err(IntroductionRefused::SamePerson.into());
        }
        let coordinator = stamp
            .by
            .ok_or_else(|| corrupt("an introduction proposed by nobody"))?;
        let mut tx = begin_write(&self.writer).await?;
        // Holding both opt-ins orders concurrent proposals for either person.
        let opted = sqlx::query(
            "UPDATE peer_opt_ins SET person_id = person_id \
             WHERE person_id IN ($1, $2) AND withdrawn_at IS NULL",
        )
        .bind(key(first.0))
        .bind(key(second.0))
        .execute(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?
        .rows_affected();
        if opted != 2 {
            return Err(IntroductionRefused::NotOptedIn.into());
        }
        let open: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM introductions WHERE \
             ((first_person = $1 AND second_person = $2) OR (first_person = $2 AND second_person = $1)) \
             AND stopped = $3 AND first_answer <> 'no' AND second_answer <> 'no'",
        )
        .bind(key(first.0))
        .bind(key(second.0))
        .bind(false)
        .fetch_one(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?;
        if open > 0 {
            return Err(IntroductionRefused::AlreadyProposed.into());
        }
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO introductions (id, first_person, second_person, coordinator, \
             first_answer, second_answer, stopped, proposed_at, changed_at) \
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $7)",
        )
        .bind(key(id))
        .bind(key(first.0))
        .bind(key(second.0))
        .bind(key(coordinator.0))
        .bind(Answer::Waiting.code())
        .bind(false)
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(crate::StoreError::from)?;
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::ArrangeIntroductions, "introduction", id),
        )
        .await?;
        let intro = introduction_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("an introduction just proposed"))?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(intro)
    }

    async fn introduction(&self, id: Uuid) -> Result<Option<Introduction>> {
        let mut tx = begin_read(&self.reader).await?;
        let intro = introduction_in(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(intro)
    }

    async fn introductions(
        &self,
        person: Option<PersonId>,
        limit: u32,
    ) -> Result<Vec<Introduction>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INTRODUCTION_COLUMNS} FROM introductions \
             WHERE ($1 IS NULL OR first_person = $1 OR second_person = $1) \
             ORDER BY proposed_at DESC, id DESC LIMIT $2"
        )))
        .bind(person.map(|p| key(p.0)))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(introduction_row).collect()
    }

    async fn answer_introduction(
        &self,
        id: Uuid,
        side: Side,
        answer: Answer,
        stamp: Stamp,
    ) -> Result<Introduction, IntroductionError> {
        let mut tx = begin_write(&self.writer).await?;
        let intro = introduction_in(&mut tx, id, true)
            .await?
            .ok_or(IntroductionError::NoSuchIntroduction)?;
        let answers = intro.answers.answer(side, answer)?;
        write_answers(&mut tx, &intro, answers, stamp.at).await?;
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::ArrangeIntroductions, "introduction", id),
        )
        .await?;
        let intro = introduction_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("an introduction just answered"))?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(intro)
    }

    async fn stop_introduction(
        &self,
        id: Uuid,
        stamp: Stamp,
    ) -> Result<Introduction, IntroductionError> {
        let mut tx = begin_write(&self.writer).await?;
        let intro = introduction_in(&mut tx, id, true)
            .await?
            .ok_or(IntroductionError::NoSuchIntroduction)?;
        let answers = intro.answers.stop()?;
        write_answers(&mut tx, &intro, answers, stamp.at).await?;
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::ArrangeIntroductions, "introduction", id),
        )
        .await?;
        let intro = introduction_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("an introduction just stopped"))?;
        tx.commit().await.map_err(crate::StoreError::from)?;
        Ok(intro)
    }
}

fn opt_in_row(keys: &KeyRing, row: &DbRow) -> Result<PeerOptIn> {
    let mut c = Columns::new(row);
    let person = PersonId(c.id()?);
    let sealed: Vec<u8> = c.get()?;
    Ok(PeerOptIn {
        person,
        interest: unseal(keys, &sealed, &opt_in_context(person))?,
        recorded_by: UserId(c.id()?),
        at: c.time()?,
    })
}
