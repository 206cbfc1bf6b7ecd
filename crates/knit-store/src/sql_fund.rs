//! [`FundStore`] for both backends, written once and compiled into each backend module with
//! `#[path]`, like `sql_connectors.rs`. Each change locks the row it rests on first
//! (`FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already serialises writers),
//! asks the domain's rule with what it read, writes, and appends its audit event, all in
//! one transaction.

#![allow(clippy::duplicate_mod)]

use std::collections::{BTreeMap, HashMap};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use knit_domain::access::ActionKind;
use knit_domain::account::UserId;
use knit_domain::audit::{NewAuditEvent, Outcome};
use knit_domain::fund::{
    ApplicantDetails, ApplicantKind, ApplicationStatus, AwardForExport, CastVote, Criterion,
    Decision, DecisionError, Draft, ExportRecipient, MonitoringError, MonitoringReturn, Payment,
    Pence, RoundPlan, Route, Vote, VoteError, check_decision, check_draft, check_payment,
    check_submission, check_vote, monitoring_due,
};
use knit_domain::session::{token_digest, token_from_random};
use sqlx::{AssertSqlSafe, Transaction};
use uuid::Uuid;

use super::sql_accounts::{Columns, DbRow, append_audit_in, at, corrupt, locking};
use super::sql_connectors::insert_job;
use super::sql_store::SqlStore;
use super::{DB, begin_read, begin_write, key};
use crate::accounts::NewJob;
use crate::casework::Stamp;
use crate::fund::{
    Application, ApplicationLink, ApplicationWrite, DecisionRecord, FundError, FundStore,
    GroupAward, MonitoringDue, MonitoringRef, NewDecision, PaymentRecord, Round,
};
use crate::sealing::KeyRing;
use crate::{Result, StoreError};

type Tx = Transaction<'static, DB>;

// --- sealing: the same contexts `reseal_table` uses (`table:id`, `table:id:second`) ---

fn seal<T: serde::Serialize + ?Sized>(keys: &KeyRing, value: &T, context: &str) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).map_err(|e| corrupt(format!("{context} as JSON: {e}")))?;
    Ok(keys.seal(&json, context.as_bytes()))
}

fn unseal<T: serde::de::DeserializeOwned>(
    keys: &KeyRing,
    sealed: &[u8],
    context: &str,
) -> Result<T> {
    let json = keys
        .open(sealed, context.as_bytes())
        .map_err(|e| corrupt(format!("{context}: {e}")))?;
    // serde's message could quote what the applicant wrote: only where it failed is kept.
    serde_json::from_slice(&json).map_err(|e| {
        corrupt(format!(
            "{context}: unreadable once opened (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

fn application_context(id: Uuid) -> String {
    format!("fund_applications:{id}")
}

fn vote_context(application: Uuid, member: Uuid) -> String {
    format!("fund_votes:{application}:{member}")
}

fn decision_context(application: Uuid) -> String {
    format!("fund_decisions:{application}")
}

fn monitoring_context(application: Uuid) -> String {
    format!("fund_decisions.monitoring:{application}")
}

/// What is sealed with an application: the applicant's details and the group link.
#[derive(serde::Serialize, serde::Deserialize)]
struct SealedApplication {
    details: ApplicantDetails,
}

// --- small conversions ---

fn pence(value: i64) -> Result<Pence> {
    u64::try_from(value)
        .map(Pence)
        .map_err(|_| corrupt("a negative amount"))
}

fn stored_pence(amount: Pence) -> i64 {
    // Amounts are bounded by `MAX_AMOUNT`, far inside i64.
    amount.0 as i64
}

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn date_of(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt("a stored date"))
}

fn micros(time: DateTime<Utc>) -> DateTime<Utc> {
    time.trunc_subsecs(6)
}

fn audit_event(stamp: &Stamp, action: ActionKind, object_type: &str, id: Uuid) -> NewAuditEvent {
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

// --- rows ---

const ROUND_COLUMNS: &str = "id, title, description, min_pence, max_pence, fast_below_pence, \
     closes_at, criteria, open_to_individuals, open_to_unconstituted, created_at";

fn round_row(row: &DbRow) -> Result<Round> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let title = c.text()?;
    let description = c.text()?;
    let min = pence(c.int()?)?;
    let max = pence(c.int()?)?;
    let fast_route_below = c.opt_int()?.map(pence).transpose()?;
    let closes_at = c.time()?;
    let criteria: Vec<Criterion> = serde_json::from_str(&c.text()?)
        .map_err(|e| corrupt(format!("a round's criteria: {e}")))?;
    let open_to_individuals = c.flag()?;
    let open_to_unconstituted = c.flag()?;
    let created_at = c.time()?;
    Ok(Round {
        id,
        plan: RoundPlan {
            title,
            description,
            min,
            max,
            fast_route_below,
            closes_at,
            criteria,
            open_to_individuals,
            open_to_unconstituted,
        },
        panel: Vec::new(),
        created_at,
    })
}

async fn load_panel(tx: &mut Tx, round: &mut Round) -> Result<()> {
    let rows =
        sqlx::query("SELECT user_id FROM fund_panel_members WHERE round_id = $1 ORDER BY user_id")
            .bind(key(round.id))
            .fetch_all(&mut **tx)
            .await?;
    round.panel = rows
        .iter()
        .map(|r| Columns::new(r).id().map(UserId))
        .collect::<Result<_>>()?;
    Ok(())
}

async fn round_in(tx: &mut Tx, id: Uuid) -> Result<Option<Round>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {ROUND_COLUMNS} FROM fund_rounds WHERE id = $1"
    )))
    .bind(key(id))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut round = round_row(&row)?;
    load_panel(tx, &mut round).await?;
    Ok(Some(round))
}

const APPLICATION_COLUMNS: &str = "a.id, a.round_id, a.status, a.kind, a.amount_pence, a.route, \
     a.group_id, a.sealed, a.created_at, a.updated_at, a.submitted_at";

fn application_row(keys: &KeyRing, row: &DbRow) -> Result<Application> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let round_id = c.id()?;
    let status = ApplicationStatus::from_code(&c.text()?)
        .ok_or_else(|| corrupt("a stored application status"))?;
    let kind =
        ApplicantKind::from_code(&c.text()?).ok_or_else(|| corrupt("a stored applicant kind"))?;
    let amount = c.opt_int()?.map(pence).transpose()?;
    let route = match c.opt_text()? {
        Some(code) => Some(Route::from_code(&code).ok_or_else(|| corrupt("a stored route"))?),
        None => None,
    };
    let group_id = c.opt_id()?;
    let sealed: Vec<u8> = c.get()?;
    let SealedApplication { details } = unseal(keys, &sealed, &application_context(id))?;
    Ok(Application {
        id,
        round_id,
        status,
        draft: Draft {
            kind,
            amount,
            details,
            group_id,
        },
        route,
        created_at: c.time()?,
        updated_at: c.time()?,
        submitted_at: c.opt_time()?,
        votes: Vec::new(),
        decision: None,
    })
}

fn vote_row(keys: &KeyRing, row: &DbRow) -> Result<(Uuid, CastVote)> {
    let mut c = Columns::new(row);
    let application = c.id()?;
    let member = c.id()?;
    let conflict = c.flag()?;
    let scores: Option<String> = c.opt_text()?;
    let sealed: Option<Vec<u8>> = c.get()?;
    let vote = if conflict {
        let reason: String = match sealed {
            Some(s) => unseal(keys, &s, &vote_context(application, member))?,
            None => String::new(),
        };
        Vote::Conflict { reason }
    } else {
        let scores: BTreeMap<String, u8> = serde_json::from_str(scores.as_deref().unwrap_or("{}"))
            .map_err(|e| corrupt(format!("stored scores: {e}")))?;
        Vote::Scores(scores)
    };
    Ok((
        application,
        CastVote {
            member: UserId(member),
            vote,
        },
    ))
}

const DECISION_COLUMNS: &str = "d.application_id, d.outcome, d.amount_pence, d.sealed, \
     d.decided_by, d.decided_at, d.awarded_on, d.monitoring_due, d.monitoring_reminded_at, \
     d.monitoring_sealed, d.monitoring_at";

fn decision_row(keys: &KeyRing, row: &DbRow) -> Result<(Uuid, DecisionRecord)> {
    let mut c = Columns::new(row);
    let application = c.id()?;
    let outcome = c.text()?;
    let amount = c.opt_int()?.map(pence).transpose()?;
    let sealed: Vec<u8> = c.get()?;
    let reasons: String = unseal(keys, &sealed, &decision_context(application))?;
    let decided_by = c.opt_id()?.map(UserId);
    let decided_at = c.time()?;
    let awarded_on = c.opt_text()?.as_deref().map(date_of).transpose()?;
    let due = c.opt_text()?.as_deref().map(date_of).transpose()?;
    let reminded = c.opt_time()?;
    let monitoring_sealed: Option<Vec<u8>> = c.get()?;
    let monitoring = monitoring_sealed
        .map(|s| unseal(keys, &s, &monitoring_context(application)))
        .transpose()?;
    let monitoring_at = c.opt_time()?;
    Ok((
        application,
        DecisionRecord {
            awarded: if outcome == "awarded" { amount } else { None },
            reasons,
            decided_by,
            decided_at,
            awarded_on,
            monitoring_due: due,
            monitoring_reminded_at: reminded,
            monitoring,
            monitoring_at,
            payments: Vec::new(),
        },
    ))
}

const PAYMENT_COLUMNS: &str =
    "p.application_id, p.id, p.amount_pence, p.paid_on, p.reference, p.recorded_by, p.recorded_at";

fn payment_row(row: &DbRow) -> Result<(Uuid, PaymentRecord)> {
    let mut c = Columns::new(row);
    let application = c.id()?;
    Ok((
        application,
        PaymentRecord {
            id: c.id()?,
            payment: Payment {
                amount: pence(c.int()?)?,
                paid_on: date_of(&c.text()?)?,
                reference: c.text()?,
            },
            recorded_by: c.opt_id()?.map(UserId),
            recorded_at: c.time()?,
        },
    ))
}

/// Reads applications with their votes, decisions and payments; `filter` is the WHERE
/// clause over `a`, binding `$1` to `value`.
async fn applications_where(
    tx: &mut Tx,
    keys: &KeyRing,
    filter: &str,
    value: Uuid,
    lock: bool,
) -> Result<Vec<Application>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {APPLICATION_COLUMNS} FROM fund_applications a WHERE {filter} \
         ORDER BY a.submitted_at, a.id{}",
        if lock { locking(" FOR UPDATE") } else { "" }
    )))
    .bind(key(value))
    .fetch_all(&mut **tx)
    .await?;
    let mut apps: Vec<Application> = rows
        .iter()
        .map(|r| application_row(keys, r))
        .collect::<Result<_>>()?;
    if apps.is_empty() {
        return Ok(apps);
    }
    let index: HashMap<Uuid, usize> = apps.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let votes = sqlx::query(AssertSqlSafe(format!(
        "SELECT v.application_id, v.member, v.conflict, v.scores, v.sealed \
         FROM fund_votes v JOIN fund_applications a ON a.id = v.application_id \
         WHERE {filter} ORDER BY v.application_id, v.at, v.member"
    )))
    .bind(key(value))
    .fetch_all(&mut **tx)
    .await?;
    for row in &votes {
        let (app, vote) = vote_row(keys, row)?;
        if let Some(i) = index.get(&app) {
            apps[*i].votes.push(vote);
        }
    }
    let decisions = sqlx::query(AssertSqlSafe(format!(
        "SELECT {DECISION_COLUMNS} FROM fund_decisions d \
         JOIN fund_applications a ON a.id = d.application_id WHERE {filter}"
    )))
    .bind(key(value))
    .fetch_all(&mut **tx)
    .await?;
    for row in &decisions {
        let (app, decision) = decision_row(keys, row)?;
        if let Some(i) = index.get(&app) {
            apps[*i].decision = Some(decision);
        }
    }
    let payments = sqlx::query(AssertSqlSafe(format!(
        "SELECT {PAYMENT_COLUMNS} FROM fund_payments p \
         JOIN fund_applications a ON a.id = p.application_id WHERE {filter} \
         ORDER BY p.paid_on, p.recorded_at, p.id"
    )))
    .bind(key(value))
    .fetch_all(&mut **tx)
    .await?;
    for row in &payments {
        let (app, payment) = payment_row(row)?;
        if let Some(decision) = index.get(&app).and_then(|i| apps[*i].decision.as_mut()) {
            decision.payments.push(payment);
        }
    }
    Ok(apps)
}

async fn application_in(
    tx: &mut Tx,
    keys: &KeyRing,
    id: Uuid,
    lock: bool,
) -> Result<Option<Application>> {
    Ok(applications_where(tx, keys, "a.id = $1", id, lock)
        .await?
        .into_iter()
        .next())
}

async fn application_id_by_digest(
    tx: &mut Tx,
    column: &str,
    table: &str,
    digest: &str,
) -> Result<Option<Uuid>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {column} FROM {table} WHERE {} = $1",
        if table == "fund_applications" {
            "link_digest"
        } else {
            "monitoring_link_digest"
        }
    )))
    .bind(digest)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Columns::new(&r).id()).transpose()
}

async fn put_panel(tx: &mut Tx, round: Uuid, panel: &[UserId]) -> Result<(), FundError> {
    sqlx::query("DELETE FROM fund_panel_members WHERE round_id = $1")
        .bind(key(round))
        .execute(&mut **tx)
        .await?;
    for member in panel {
        let exists = sqlx::query("SELECT id FROM users WHERE id = $1")
            .bind(key(member.0))
            .fetch_optional(&mut **tx)
            .await?;
        if exists.is_none() {
            return Err(FundError::NoSuchMember);
        }
        sqlx::query(
            "INSERT INTO fund_panel_members (round_id, user_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(key(round))
        .bind(key(member.0))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl FundStore for SqlStore {
    async fn create_round(
        &self,
        plan: &RoundPlan,
        panel: &[UserId],
        stamp: Stamp,
    ) -> Result<Round, FundError> {
        let id = Uuid::now_v7();
        let criteria = serde_json::to_string(&plan.criteria)
            .map_err(|e| corrupt(format!("criteria as JSON: {e}")))?;
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query(
            "INSERT INTO fund_rounds (id, title, description, min_pence, max_pence, \
             fast_below_pence, closes_at, criteria, open_to_individuals, open_to_unconstituted, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(key(id))
        .bind(plan.title.as_str())
        .bind(plan.description.as_str())
        .bind(stored_pence(plan.min))
        .bind(stored_pence(plan.max))
        .bind(plan.fast_route_below.map(stored_pence))
        .bind(at(micros(plan.closes_at)))
        .bind(criteria)
        .bind(plan.open_to_individuals)
        .bind(plan.open_to_unconstituted)
        .bind(stamp.by.map(|u| key(u.0)))
        .bind(at(micros(stamp.at)))
        .execute(&mut *tx)
        .await?;
        put_panel(&mut tx, id, panel).await?;
        append_audit_in(
            &mut tx,
            audit_event(&stamp, ActionKind::ManageFunds, "fund_round", id),
        )
        .await?;
        let round = round_in(&mut tx, id)
            .await?
            .ok_or_else(|| corrupt("a round vanished as it was made"))?;
        tx.commit().await?;
        Ok(round)
    }

    async fn set_panel(
        &self,
        round: Uuid,
        panel: &[UserId],
        stamp: Stamp,
    ) -> Result<(), FundError> {
        let mut tx = begin_write(&self.writer).await?;
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT id FROM fund_rounds WHERE id = $1{}",
            locking(" FOR UPDATE")
        )))
        .bind(key(round))
        .fetch_optional(&mut *tx)
        .await?;
        if found.is_none() {
            return Err(FundError::NoSuchRound);
        }
        put_panel(&mut tx, round, panel).await?;
        append_audit_in(
            &mut tx,
            audit_event(&stamp, ActionKind::ManageFunds, "fund_panel", round),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn fund_round(&self, id: Uuid) -> Result<Option<Round>> {
        let mut tx = begin_read(&self.reader).await?;
        let round = round_in(&mut tx, id).await?;
        tx.commit().await?;
        Ok(round)
    }

    async fn fund_rounds(&self, open_at: Option<DateTime<Utc>>, limit: u32) -> Result<Vec<Round>> {
        let mut tx = begin_read(&self.reader).await?;
        let rows = match open_at {
            Some(now) => {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT {ROUND_COLUMNS} FROM fund_rounds WHERE closes_at > $1 \
                     ORDER BY closes_at, id LIMIT $2"
                )))
                .bind(at(now))
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?
            }
            None => {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT {ROUND_COLUMNS} FROM fund_rounds ORDER BY created_at DESC, id DESC \
                     LIMIT $1"
                )))
                .bind(i64::from(limit))
                .fetch_all(&mut *tx)
                .await?
            }
        };
        let mut rounds: Vec<Round> = rows.iter().map(round_row).collect::<Result<_>>()?;
        for round in &mut rounds {
            load_panel(&mut tx, round).await?;
        }
        tx.commit().await?;
        Ok(rounds)
    }

    async fn write_application(
        &self,
        write: ApplicationWrite<'_>,
    ) -> Result<(Application, String), FundError> {
        let keys = self.keyring()?;
        let now = micros(write.stamp.at);
        let mut tx = begin_write(&self.writer).await?;
        let (id, round_id, token, is_new) = match write.link {
            ApplicationLink::New { round, random } => {
                (Uuid::now_v7(), round, token_from_random(random), true)
            }
            ApplicationLink::Existing(token) => {
                let digest = token_digest(token);
                let row = sqlx::query(AssertSqlSafe(format!(
                    "SELECT id, round_id, status FROM fund_applications WHERE link_digest = $1{}",
                    locking(" FOR UPDATE")
                )))
                .bind(digest)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = row else {
                    return Err(FundError::NoSuchApplication);
                };
                let mut c = Columns::new(&row);
                let (id, round) = (c.id()?, c.id()?);
                let status = ApplicationStatus::from_code(&c.text()?)
                    .ok_or_else(|| corrupt("a stored application status"))?;
                if !status.editable() {
                    return Err(FundError::NotEditable);
                }
                (id, round, token.to_owned(), false)
            }
        };
        let round = round_in(&mut tx, round_id)
            .await?
            .ok_or(FundError::NoSuchRound)?;
        // The rules, asked with what the transaction holds: nothing is written if they refuse.
        let route = if write.submit {
            Some(check_submission(&round.plan, &write.draft, now)?)
        } else {
            check_draft(&round.plan, now)?;
            None
        };
        let status = if write.submit {
            ApplicationStatus::Submitted
        } else {
            ApplicationStatus::Draft
        };
        let sealed = seal(
            &keys,
            &SealedApplication {
                details: write.draft.details.clone(),
            },
            &application_context(id),
        )?;
        let amount = write.draft.amount.map(stored_pence);
        let submitted_at = write.submit.then(|| at(now));
        if is_new {
            sqlx::query(
                "INSERT INTO fund_applications (id, round_id, link_digest, status, kind, \
                 amount_pence, route, group_id, sealed, created_at, updated_at, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)",
            )
            .bind(key(id))
            .bind(key(round_id))
            .bind(token_digest(&token))
            .bind(status.code())
            .bind(write.draft.kind.code())
            .bind(amount)
            .bind(route.map(Route::code))
            .bind(write.draft.group_id.map(key))
            .bind(sealed)
            .bind(at(now))
            .bind(submitted_at)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE fund_applications SET status = $2, kind = $3, amount_pence = $4, \
                 route = $5, group_id = $6, sealed = $7, updated_at = $8, submitted_at = $9 \
                 WHERE id = $1",
            )
            .bind(key(id))
            .bind(status.code())
            .bind(write.draft.kind.code())
            .bind(amount)
            .bind(route.map(Route::code))
            .bind(write.draft.group_id.map(key))
            .bind(sealed)
            .bind(at(now))
            .bind(submitted_at)
            .execute(&mut *tx)
            .await?;
        }
        append_audit_in(
            &mut tx,
            audit_event(
                &write.stamp,
                ActionKind::ApplyToFund,
                "fund_application",
                id,
            ),
        )
        .await?;
        let application = application_in(&mut tx, &keys, id, false)
            .await?
            .ok_or_else(|| corrupt("an application vanished as it was written"))?;
        if let Some(mail) = write.mail {
            for job in mail(&token, &application) {
                insert_job(&mut tx, &job, now).await?;
            }
        }
        tx.commit().await?;
        Ok((application, token))
    }

    async fn application_by_link(&self, token: &str) -> Result<Option<Application>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let found = match application_id_by_digest(
            &mut tx,
            "id",
            "fund_applications",
            &token_digest(token),
        )
        .await?
        {
            Some(id) => application_in(&mut tx, &keys, id, false).await?,
            None => None,
        };
        tx.commit().await?;
        Ok(found)
    }

    async fn fund_application(&self, id: Uuid) -> Result<Option<Application>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let found = application_in(&mut tx, &keys, id, false).await?;
        tx.commit().await?;
        Ok(found)
    }

    async fn panel_applications(&self, round: Uuid) -> Result<Vec<Application>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let apps = applications_where(
            &mut tx,
            &keys,
            "a.round_id = $1 AND a.status <> 'draft'",
            round,
            false,
        )
        .await?;
        tx.commit().await?;
        Ok(apps)
    }

    async fn cast_vote(
        &self,
        application: Uuid,
        member: UserId,
        vote: &Vote,
        stamp: Stamp,
    ) -> Result<(), FundError> {
        let keys = self.keyring()?;
        let now = micros(stamp.at);
        let mut tx = begin_write(&self.writer).await?;
        let app = application_in(&mut tx, &keys, application, true)
            .await?
            .ok_or(FundError::NoSuchApplication)?;
        let round = round_in(&mut tx, app.round_id)
            .await?
            .ok_or(FundError::NoSuchRound)?;
        if !round.panel.contains(&member) {
            return Err(VoteError::NotOnPanel.into());
        }
        match app.status {
            ApplicationStatus::Draft => return Err(VoteError::NotSubmitted.into()),
            ApplicationStatus::Awarded | ApplicationStatus::Declined => {
                return Err(VoteError::Decided.into());
            }
            ApplicationStatus::Submitted => {}
        }
        check_vote(&round.plan.criteria, vote)?;
        let (conflict, scores, sealed) = match vote {
            Vote::Scores(scores) => (
                false,
                Some(
                    serde_json::to_string(scores)
                        .map_err(|e| corrupt(format!("scores as JSON: {e}")))?,
                ),
                None,
            ),
            Vote::Conflict { reason } => (
                true,
                None,
                Some(seal(
                    &keys,
                    reason.trim(),
                    &vote_context(application, member.0),
                )?),
            ),
        };
        sqlx::query(
            "INSERT INTO fund_votes (application_id, member, conflict, scores, sealed, at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id, member) DO UPDATE \
             SET conflict = excluded.conflict, scores = excluded.scores, \
             sealed = excluded.sealed, at = excluded.at",
        )
        .bind(key(application))
        .bind(key(member.0))
        .bind(conflict)
        .bind(scores)
        .bind(sealed)
        .bind(at(now))
        .execute(&mut *tx)
        .await?;
        append_audit_in(
            &mut tx,
            audit_event(
                &stamp,
                ActionKind::ScoreFundApplications,
                if conflict {
                    "fund_conflict"
                } else {
                    "fund_scores"
                },
                application,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn decide(&self, new: NewDecision) -> Result<Application, FundError> {
        let keys = self.keyring()?;
        let now = micros(new.stamp.at);
        let mut tx = begin_write(&self.writer).await?;
        let app = application_in(&mut tx, &keys, new.application, true)
            .await?
            .ok_or(FundError::NoSuchApplication)?;
        let round = round_in(&mut tx, app.round_id)
            .await?
            .ok_or(FundError::NoSuchRound)?;
        let decider = new.stamp.by.ok_or(DecisionError::NoOutcome)?;
        let requested = app.draft.amount.unwrap_or_default();
        let route = app.route.unwrap_or(Route::Panel);
        check_decision(
            &round.plan,
            app.status,
            route,
            requested,
            &app.votes,
            decider,
            &new.decision,
        )?;
        let (outcome, status, amount) = match &new.decision {
            Decision::Award { amount, .. } => {
                ("awarded", ApplicationStatus::Awarded, Some(*amount))
            }
            Decision::Decline { .. } => ("declined", ApplicationStatus::Declined, None),
        };
        let today = knit_domain::opening::uk_local(now).date();
        let (awarded_on, due, link) = match amount {
            Some(_) => (
                Some(date_text(today)),
                Some(date_text(monitoring_due(today))),
                Some(token_digest(&token_from_random(new.random))),
            ),
            None => (None, None, None),
        };
        let sealed = seal(
            &keys,
            new.decision.reasons().trim(),
            &decision_context(app.id),
        )?;
        sqlx::query(
            "INSERT INTO fund_decisions (application_id, outcome, amount_pence, sealed, \
             decided_by, decided_at, awarded_on, monitoring_due, monitoring_link_digest, group_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(key(app.id))
        .bind(outcome)
        .bind(amount.map(stored_pence))
        .bind(sealed)
        .bind(key(decider.0))
        .bind(at(now))
        .bind(awarded_on)
        .bind(due)
        .bind(link)
        .bind(app.draft.group_id.map(key))
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE fund_applications SET status = $2, updated_at = $3 WHERE id = $1")
            .bind(key(app.id))
            .bind(status.code())
            .bind(at(now))
            .execute(&mut *tx)
            .await?;
        append_audit_in(
            &mut tx,
            audit_event(
                &new.stamp,
                ActionKind::ManageFunds,
                if amount.is_some() {
                    "fund_award"
                } else {
                    "fund_decline"
                },
                app.id,
            ),
        )
        .await?;
        for job in &new.mail {
            insert_job(&mut tx, job, now).await?;
        }
        let decided = application_in(&mut tx, &keys, app.id, false)
            .await?
            .ok_or_else(|| corrupt("an application vanished as it was decided"))?;
        tx.commit().await?;
        Ok(decided)
    }

    async fn record_payment(
        &self,
        application: Uuid,
        payment: &Payment,
        stamp: Stamp,
    ) -> Result<PaymentRecord, FundError> {
        let now = micros(stamp.at);
        let mut tx = begin_write(&self.writer).await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT amount_pence FROM fund_decisions WHERE application_id = $1 \
             AND outcome = 'awarded'{}",
            locking(" FOR UPDATE")
        )))
        .bind(key(application))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(knit_domain::fund::PaymentError::NotAwarded.into());
        };
        let awarded = pence(Columns::new(&row).int()?)?;
        let paid: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(amount_pence), 0) AS BIGINT) FROM fund_payments \
             WHERE application_id = $1",
        )
        .bind(key(application))
        .fetch_one(&mut *tx)
        .await?;
        check_payment(awarded, pence(paid)?, payment)?;
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO fund_payments (id, application_id, amount_pence, paid_on, reference, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key(id))
        .bind(key(application))
        .bind(stored_pence(payment.amount))
        .bind(date_text(payment.paid_on))
        .bind(payment.reference.as_str())
        .bind(stamp.by.map(|u| key(u.0)))
        .bind(at(now))
        .execute(&mut *tx)
        .await?;
        append_audit_in(
            &mut tx,
            audit_event(&stamp, ActionKind::ManageFunds, "fund_payment", application),
        )
        .await?;
        tx.commit().await?;
        Ok(PaymentRecord {
            id,
            payment: payment.clone(),
            recorded_by: stamp.by,
            recorded_at: now,
        })
    }

    async fn submit_monitoring(
        &self,
        award: MonitoringRef<'_>,
        report: &MonitoringReturn,
        stamp: Stamp,
    ) -> Result<Uuid, FundError> {
        let keys = self.keyring()?;
        let now = micros(stamp.at);
        let mut tx = begin_write(&self.writer).await?;
        let (filter, value) = match award {
            MonitoringRef::Link(token) => ("monitoring_link_digest = $1", token_digest(token)),
            MonitoringRef::Application(id) => ("application_id = $1", id.hyphenated().to_string()),
        };
        let query = format!(
            "SELECT application_id, monitoring_at FROM fund_decisions \
             WHERE {filter} AND outcome = 'awarded'{}",
            locking(" FOR UPDATE")
        );
        let row = match award {
            MonitoringRef::Link(_) => {
                sqlx::query(AssertSqlSafe(query))
                    .bind(value)
                    .fetch_optional(&mut *tx)
                    .await?
            }
            MonitoringRef::Application(id) => {
                sqlx::query(AssertSqlSafe(query))
                    .bind(key(id))
                    .fetch_optional(&mut *tx)
                    .await?
            }
        };
        let Some(row) = row else {
            return Err(FundError::NoSuchApplication);
        };
        let mut c = Columns::new(&row);
        let id = c.id()?;
        if c.opt_time()?.is_some() {
            return Err(MonitoringError::AlreadySent.into());
        }
        let sealed = seal(&keys, report, &monitoring_context(id))?;
        sqlx::query(
            "UPDATE fund_decisions SET monitoring_sealed = $2, monitoring_at = $3 \
             WHERE application_id = $1",
        )
        .bind(key(id))
        .bind(sealed)
        .bind(at(now))
        .execute(&mut *tx)
        .await?;
        let action = if stamp.by.is_some() {
            ActionKind::ManageFunds
        } else {
            ActionKind::ApplyToFund
        };
        append_audit_in(&mut tx, audit_event(&stamp, action, "fund_monitoring", id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn award_by_monitoring_link(&self, token: &str) -> Result<Option<Application>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let found = match application_id_by_digest(
            &mut tx,
            "application_id",
            "fund_decisions",
            &token_digest(token),
        )
        .await?
        {
            Some(id) => application_in(&mut tx, &keys, id, false).await?,
            None => None,
        };
        tx.commit().await?;
        Ok(found)
    }

    async fn monitoring_due(&self, today: NaiveDate, limit: u32) -> Result<Vec<MonitoringDue>> {
        let keys = self.keyring()?;
        let rows = sqlx::query(
            "SELECT a.id, r.title, d.monitoring_due, a.sealed FROM fund_decisions d \
             JOIN fund_applications a ON a.id = d.application_id \
             JOIN fund_rounds r ON r.id = a.round_id \
             WHERE d.outcome = 'awarded' AND d.monitoring_due <= $1 \
             AND d.monitoring_reminded_at IS NULL AND d.monitoring_at IS NULL \
             ORDER BY d.monitoring_due, a.id LIMIT $2",
        )
        .bind(date_text(today))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                let id = c.id()?;
                let round_title = c.text()?;
                let due = date_of(&c.text()?)?;
                let sealed: Vec<u8> = c.get()?;
                let SealedApplication { details } =
                    unseal(&keys, &sealed, &application_context(id))?;
                Ok(MonitoringDue {
                    application_id: id,
                    round_title,
                    due,
                    details,
                })
            })
            .collect()
    }

    async fn mark_monitoring_reminded(
        &self,
        application: Uuid,
        random: [u8; knit_domain::session::TOKEN_BYTES],
        reminders: &[NewJob],
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let now = micros(now);
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "UPDATE fund_decisions SET monitoring_reminded_at = $2, monitoring_link_digest = $3 \
             WHERE application_id = $1 AND monitoring_reminded_at IS NULL \
             AND monitoring_at IS NULL",
        )
        .bind(key(application))
        .bind(at(now))
        .bind(token_digest(&token_from_random(random)))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        for job in reminders {
            insert_job(&mut tx, job, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    async fn group_awards(&self, group: Uuid) -> Result<Vec<GroupAward>> {
        let rows = sqlx::query(
            "SELECT r.title, d.amount_pence, d.awarded_on FROM fund_decisions d \
             JOIN fund_applications a ON a.id = d.application_id \
             JOIN fund_rounds r ON r.id = a.round_id \
             WHERE d.group_id = $1 AND d.outcome = 'awarded' \
             ORDER BY d.awarded_on, a.id",
        )
        .bind(key(group))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(GroupAward {
                    round_title: c.text()?,
                    amount: pence(c.opt_int()?.unwrap_or(0))?,
                    awarded_on: date_of(&c.opt_text()?.unwrap_or_default())?,
                })
            })
            .collect()
    }

    async fn awards_for_export(
        &self,
        after: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<AwardForExport>> {
        let keys = self.keyring()?;
        let select = "SELECT a.id, a.round_id, r.title, a.amount_pence, d.amount_pence, \
             (SELECT CAST(COALESCE(SUM(p.amount_pence), 0) AS BIGINT) FROM fund_payments p \
                 WHERE p.application_id = a.id), \
             d.awarded_on, d.decided_at, \
             (SELECT MAX(p.recorded_at) FROM fund_payments p WHERE p.application_id = a.id), \
             a.kind, a.sealed \
             FROM fund_decisions d JOIN fund_applications a ON a.id = d.application_id \
             JOIN fund_rounds r ON r.id = a.round_id WHERE d.outcome = 'awarded'";
        let rows = match after {
            Some(after) => {
                sqlx::query(AssertSqlSafe(format!(
                    "{select} AND a.id > $1 ORDER BY a.id LIMIT $2"
                )))
                .bind(key(after))
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?
            }
            None => {
                sqlx::query(AssertSqlSafe(format!("{select} ORDER BY a.id LIMIT $1")))
                    .bind(i64::from(limit))
                    .fetch_all(&self.reader)
                    .await?
            }
        };
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                let id = c.id()?;
                let round_id = c.id()?;
                let round_title = c.text()?;
                let requested = pence(c.opt_int()?.unwrap_or(0))?;
                let awarded = pence(c.opt_int()?.unwrap_or(0))?;
                let paid = pence(c.int()?)?;
                let awarded_on = date_of(&c.opt_text()?.unwrap_or_default())?;
                let decided_at = c.time()?;
                let last_paid = c.opt_time()?;
                let kind = ApplicantKind::from_code(&c.text()?)
                    .ok_or_else(|| corrupt("a stored applicant kind"))?;
                let sealed: Vec<u8> = c.get()?;
                let SealedApplication { details } =
                    unseal(&keys, &sealed, &application_context(id))?;
                Ok(AwardForExport {
                    application_id: id,
                    round_id,
                    round_title,
                    requested,
                    awarded,
                    paid,
                    awarded_on,
                    modified_at: last_paid.map_or(decided_at, |p| p.max(decided_at)),
                    recipient: ExportRecipient::of(
                        kind,
                        &details.group_name,
                        &details.charity_number,
                        &details.company_number,
                    ),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()
    }
}
