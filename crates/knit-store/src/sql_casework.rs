//! [`CaseworkStore`] for both backends, written once and compiled into each backend module
//! with `#[path]`, like `sql_accounts.rs`.
//!
//! Each change locks the person's row first (`UPDATE people … RETURNING status`), which on
//! PostgreSQL orders concurrent changes to one person and on SQLite costs nothing more than
//! `BEGIN IMMEDIATE` already did; the change, its timeline line and its audit event then
//! commit together.

#![allow(clippy::duplicate_mod)]

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use knit_domain::access::ActionKind;
use knit_domain::account::{OrganizationId, UserId};
use knit_domain::audit::{NewAuditEvent, Outcome};
use knit_domain::casework::{
    CaseStatus, Consent, ConsentMethod, ConsentScope, IntakeDetails, IntakeId, IntakeSource,
    NeedOutcome, PersonDetails, PersonId, Priority, ReferralId, SharedDetails, StepKind,
    may_share_with,
};
use knit_domain::matcher_feedback::Correction;
use knit_domain::needs::NeedId;
use knit_domain::referral::{
    Chase, ReferralMove, ReferralResult, ReferralStatus, RejectionReason, Side,
};
use knit_domain::wellbeing::{Measure, Stage};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, Transaction};
use uuid::Uuid;

use super::sql_accounts::{Columns, DbRow, append_audit_in, at, codes_in, corrupt};
use super::sql_store::SqlStore;
use super::{DB, begin_read, begin_write, key};
use crate::casework::{
    CaseError, CaseNeed, CaseSummary, CaseloadFilter, CaseworkStore, CorrectionCount, Intake,
    IntakeStatus, NewCase, NewIntake, NewReferral, NewStep, PersonRecord, PlanStep, Referral,
    ReferralError, ReferralEvent, ReferralSide, ReferralToChase, Stamp, StepDetails, TimelineEntry,
    WellbeingRecord,
};
use crate::sealing::KeyRing;
use crate::{Result, StoreError};

type Tx = Transaction<'static, DB>;

// --- sealing ---

/// What a sealed value is bound to: its table and row. A value copied to another row or
/// table no longer opens.
pub(super) fn context(table: &str, id: &str, second: Option<&str>) -> String {
    match second {
        Some(second) => format!("{table}:{id}:{second}"),
        None => format!("{table}:{id}"),
    }
}

fn seal<T: Serialize + ?Sized>(keys: &KeyRing, value: &T, context: &str) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).map_err(|e| corrupt(format!("{context} as JSON: {e}")))?;
    Ok(keys.seal(&json, context.as_bytes()))
}

pub(super) fn unseal<T: DeserializeOwned>(
    keys: &KeyRing,
    sealed: &[u8],
    context: &str,
) -> Result<T> {
    let json = keys
        .open(sealed, context.as_bytes())
        .map_err(|e| corrupt(format!("{context}: {e}")))?;
    // serde's message can quote the value it could not read, and the value is what a
    // person said: only where it failed goes into the error.
    serde_json::from_slice(&json).map_err(|e| {
        corrupt(format!(
            "{context}: unreadable once opened (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

fn unseal_opt<T: DeserializeOwned>(
    keys: &KeyRing,
    sealed: Option<Vec<u8>>,
    context: &str,
) -> Result<Option<T>> {
    sealed.map(|s| unseal(keys, &s, context)).transpose()
}

// --- small conversions ---

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn date_of(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| corrupt("a stored date"))
}

fn seq_value(seq: i64) -> Result<u64> {
    u64::try_from(seq).map_err(|_| corrupt("a negative sequence number"))
}

fn need_of(code: &str) -> Result<NeedId> {
    NeedId::parse(code).map_err(|_| corrupt(format!("an unknown need {code:?}")))
}

fn chase_code(chase: Chase) -> Option<&'static str> {
    match chase {
        Chase::Nothing => None,
        Chase::RemindOrganisation => Some("reminded"),
        Chase::EscalateToReferrer => Some("escalated"),
    }
}

fn chase_of(code: Option<&str>) -> Option<Chase> {
    match code {
        Some("reminded") => Some(Chase::RemindOrganisation),
        Some("escalated") => Some(Chase::EscalateToReferrer),
        _ => None,
    }
}

fn side_code(side: Option<Side>) -> &'static str {
    match side {
        Some(Side::Referrer) => "referrer",
        Some(Side::Receiver) => "receiver",
        None => "system",
    }
}

/// The audit event for a change made with `stamp`.
pub(super) fn audit_event(
    stamp: &Stamp,
    action: ActionKind,
    object_type: &str,
    id: Uuid,
) -> NewAuditEvent {
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

/// Locks the person's row for this transaction and says where the case stands.
async fn lock_person(
    tx: &mut Tx,
    id: PersonId,
    now: DateTime<Utc>,
) -> Result<CaseStatus, CaseError> {
    let row = sqlx::query("UPDATE people SET updated_at = $2 WHERE id = $1 RETURNING status")
        .bind(key(id.0))
        .bind(at(now))
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::from)?;
    let Some(row) = row else {
        return Err(CaseError::NotFound);
    };
    let code = Columns::new(&row).text()?;
    CaseStatus::from_code(&code).ok_or_else(|| corrupt("an unknown case status").into())
}

async fn lock_open_person(tx: &mut Tx, id: PersonId, now: DateTime<Utc>) -> Result<(), CaseError> {
    match lock_person(tx, id, now).await? {
        CaseStatus::Open => Ok(()),
        CaseStatus::Closed => Err(CaseError::Closed),
        CaseStatus::Erased => Err(CaseError::Erased),
    }
}

/// Adds a line to the person's timeline. The person's row is already locked.
async fn add_case_event(
    tx: &mut Tx,
    keys: &KeyRing,
    person: PersonId,
    kind: &str,
    text: &str,
    stamp: &Stamp,
) -> Result<()> {
    let row = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events WHERE person_id = $1")
        .bind(key(person.0))
        .fetch_one(&mut **tx)
        .await?;
    let seq: i64 = Columns::new(&row).int()?;
    let sealed = seal(
        keys,
        text,
        &context("case_events", &person.0.to_string(), Some(&seq.to_string())),
    )?;
    sqlx::query(
        "INSERT INTO case_events (person_id, seq, at, by_user, kind, sealed) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key(person.0))
    .bind(seq)
    .bind(at(stamp.at))
    .bind(stamp.by.map(|u| key(u.0)))
    .bind(kind)
    .bind(sealed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The timeline line and the audit event for a change to a person's record.
async fn record_change(
    tx: &mut Tx,
    keys: &KeyRing,
    person: PersonId,
    kind: &str,
    text: &str,
    action: ActionKind,
    stamp: &Stamp,
) -> Result<()> {
    add_case_event(tx, keys, person, kind, text, stamp).await?;
    append_audit_in(tx, audit_event(stamp, action, "person", person.0)).await?;
    Ok(())
}

// --- rows ---

const INTAKE_COLUMNS: &str =
    "id, source, priority, status, sealed, created_at, created_by, person_id";

fn intake_row(keys: &KeyRing, row: &DbRow) -> Result<Intake> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let source = IntakeSource::from_code(&c.text()?).ok_or_else(|| corrupt("an intake source"))?;
    let priority = Priority::from_code(&c.text()?).ok_or_else(|| corrupt("a priority"))?;
    let status = IntakeStatus::from_code(&c.text()?).ok_or_else(|| corrupt("an intake status"))?;
    let sealed: Option<Vec<u8>> = c.get()?;
    let details: Option<IntakeDetails> =
        unseal_opt(keys, sealed, &context("intakes", &id.to_string(), None))?;
    Ok(Intake {
        id: IntakeId(id),
        source,
        priority,
        status,
        details,
        created_at: c.time()?,
        created_by: c.opt_id()?.map(UserId),
        person: c.opt_id()?.map(PersonId),
    })
}

const CONSENT_COLUMNS: &str = "id, scope, organization_id, sealed, method, recorded_by, \
                               recorded_at, expires, withdrawn_at, withdrawn_by";

fn consent_row(keys: &KeyRing, row: &DbRow) -> Result<Consent> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let scope_code = c.text()?;
    let organization = c.opt_id()?;
    let sealed: Option<Vec<u8>> = c.get()?;
    let purpose: Option<String> =
        unseal_opt(keys, sealed, &context("consents", &id.to_string(), None))?;
    let scope = match (scope_code.as_str(), organization) {
        ("keep_record", _) => ConsentScope::KeepRecord,
        ("share_with", Some(org)) => ConsentScope::ShareWith {
            organization: OrganizationId(org),
            // An erased person's purposes are gone; the consent's shape stays for counts.
            purpose: purpose.unwrap_or_default(),
        },
        _ => return Err(corrupt("a consent's scope")),
    };
    let method = ConsentMethod::from_code(&c.text()?).ok_or_else(|| corrupt("a consent method"))?;
    Ok(Consent {
        id,
        scope,
        method,
        recorded_by: c.opt_id()?.map(UserId),
        recorded_at: c.time()?,
        expires: c.opt_text()?.as_deref().map(date_of).transpose()?,
        withdrawn_at: c.opt_time()?,
        withdrawn_by: c.opt_id()?.map(UserId),
    })
}

const REFERRAL_COLUMNS: &str = "id, person_id, service_id, organization_id, status, reason, \
                                result, sealed, referred_by, from_organization_id, parent_id, \
                                sent_at, updated_at, chased";

fn referral_row(keys: &KeyRing, row: &DbRow) -> Result<Referral> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let person = PersonId(c.id()?);
    let service_id = c.id()?;
    let organization = OrganizationId(c.id()?);
    let status = ReferralStatus::from_code(&c.text()?).ok_or_else(|| corrupt("a status"))?;
    let reason = c
        .opt_text()?
        .as_deref()
        .and_then(RejectionReason::from_code);
    let result = c.opt_text()?.as_deref().and_then(ReferralResult::from_code);
    let sealed: Option<Vec<u8>> = c.get()?;
    let shared: Option<SharedDetails> =
        unseal_opt(keys, sealed, &context("referrals", &id.to_string(), None))?;
    Ok(Referral {
        id: ReferralId(id),
        person,
        service_id,
        organization,
        status,
        reason,
        result,
        shared,
        referred_by: c.opt_id()?.map(UserId),
        from_organization: c.opt_id()?.map(OrganizationId),
        parent: c.opt_id()?.map(ReferralId),
        sent_at: c.time()?,
        updated_at: c.time()?,
        chased: chase_of(c.opt_text()?.as_deref()),
        events: Vec::new(),
    })
}

fn referral_event_row(keys: &KeyRing, referral: Uuid, row: &DbRow) -> Result<ReferralEvent> {
    let mut c = Columns::new(row);
    let seq = c.int()?;
    let at = c.time()?;
    let by = c.opt_id()?.map(UserId);
    let side = match c.text()?.as_str() {
        "referrer" => Some(ReferralSide::Referrer),
        "receiver" => Some(ReferralSide::Receiver),
        _ => None,
    };
    let kind = c.text()?;
    let status = ReferralStatus::from_code(&c.text()?).ok_or_else(|| corrupt("a status"))?;
    let sealed: Option<Vec<u8>> = c.get()?;
    let text = unseal_opt(
        keys,
        sealed,
        &context(
            "referral_events",
            &referral.to_string(),
            Some(&seq.to_string()),
        ),
    )?;
    Ok(ReferralEvent {
        seq: seq_value(seq)?,
        at,
        by,
        side,
        kind,
        status,
        text,
    })
}

async fn load_referral_events(tx: &mut Tx, keys: &KeyRing, referral: &mut Referral) -> Result<()> {
    let rows = sqlx::query(
        "SELECT seq, at, by_user, side, kind, status, sealed FROM referral_events \
         WHERE referral_id = $1 ORDER BY seq",
    )
    .bind(key(referral.id.0))
    .fetch_all(&mut **tx)
    .await?;
    referral.events = rows
        .iter()
        .map(|row| referral_event_row(keys, referral.id.0, row))
        .collect::<Result<_>>()?;
    Ok(())
}

/// One line of a referral's history, before it is numbered.
struct ReferralNote<'a> {
    side: Option<Side>,
    /// A move's code, `message`, or how far it was chased.
    kind: &'a str,
    /// The status after it.
    status: ReferralStatus,
    text: Option<&'a str>,
}

async fn add_referral_event(
    tx: &mut Tx,
    keys: &KeyRing,
    referral: ReferralId,
    note: ReferralNote<'_>,
    stamp: &Stamp,
) -> Result<()> {
    let row =
        sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM referral_events WHERE referral_id = $1")
            .bind(key(referral.0))
            .fetch_one(&mut **tx)
            .await?;
    let seq: i64 = Columns::new(&row).int()?;
    let sealed = note
        .text
        .map(|t| {
            seal(
                keys,
                t,
                &context(
                    "referral_events",
                    &referral.0.to_string(),
                    Some(&seq.to_string()),
                ),
            )
        })
        .transpose()?;
    sqlx::query(
        "INSERT INTO referral_events (referral_id, seq, at, by_user, side, kind, status, sealed) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(key(referral.0))
    .bind(seq)
    .bind(at(stamp.at))
    .bind(stamp.by.map(|u| key(u.0)))
    .bind(side_code(note.side))
    .bind(note.kind)
    .bind(note.status.code())
    .bind(sealed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn consents_of(tx: &mut Tx, keys: &KeyRing, person: PersonId) -> Result<Vec<Consent>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {CONSENT_COLUMNS} FROM consents WHERE person_id = $1 ORDER BY recorded_at, id"
    )))
    .bind(key(person.0))
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(|row| consent_row(keys, row)).collect()
}

/// Reads a referral, locking its row for the rest of the transaction on PostgreSQL.
async fn lock_referral(tx: &mut Tx, keys: &KeyRing, id: ReferralId) -> Result<Option<Referral>> {
    let lock = if super::NAME == "postgres" {
        " FOR UPDATE"
    } else {
        ""
    };
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = $1{lock}"
    )))
    .bind(key(id.0))
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|row| referral_row(keys, &row)).transpose()
}

async fn insert_consent(
    tx: &mut Tx,
    keys: &KeyRing,
    person: PersonId,
    scope: &ConsentScope,
    method: ConsentMethod,
    expires: Option<NaiveDate>,
    stamp: &Stamp,
) -> Result<Consent> {
    let id = Uuid::now_v7();
    let (scope_code, organization, purpose) = match scope {
        ConsentScope::KeepRecord => ("keep_record", None, None),
        ConsentScope::ShareWith {
            organization,
            purpose,
        } => ("share_with", Some(organization.0), Some(purpose.as_str())),
    };
    let sealed = purpose
        .map(|p| seal(keys, p, &context("consents", &id.to_string(), None)))
        .transpose()?;
    sqlx::query(
        "INSERT INTO consents (id, person_id, scope, organization_id, sealed, method, \
         recorded_by, recorded_at, expires) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(key(id))
    .bind(key(person.0))
    .bind(scope_code)
    .bind(organization.map(key))
    .bind(sealed)
    .bind(method.code())
    .bind(stamp.by.map(|u| key(u.0)))
    .bind(at(stamp.at))
    .bind(expires.map(date_text))
    .execute(&mut **tx)
    .await?;
    Ok(Consent {
        id,
        scope: scope.clone(),
        method,
        recorded_by: stamp.by,
        recorded_at: stamp.at.trunc_micros(),
        expires,
        withdrawn_at: None,
        withdrawn_by: None,
    })
}

trait TruncMicros {
    fn trunc_micros(self) -> Self;
}

impl TruncMicros for DateTime<Utc> {
    fn trunc_micros(self) -> Self {
        use chrono::SubsecRound;
        self.trunc_subsecs(6)
    }
}

/// Moves a locked referral on and records the move; the caller has checked nothing, the
/// state machine decides here.
#[allow(clippy::too_many_arguments)]
async fn apply_move(
    tx: &mut Tx,
    keys: &KeyRing,
    referral: &Referral,
    change: ReferralMove,
    side: Side,
    note: Option<&str>,
    stamp: &Stamp,
) -> Result<ReferralStatus, ReferralError> {
    let to = ReferralStatus::apply(Some(referral.status), change, side)?;
    let (reason, result) = match change {
        ReferralMove::Reject(reason) => (Some(reason.code()), None),
        ReferralMove::Complete(result) => (None, Some(result.code())),
        _ => (None, None),
    };
    sqlx::query(
        "UPDATE referrals SET status = $2, reason = COALESCE($3, reason), \
         result = COALESCE($4, result), updated_at = $5 WHERE id = $1",
    )
    .bind(key(referral.id.0))
    .bind(to.code())
    .bind(reason)
    .bind(result)
    .bind(at(stamp.at))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from)?;
    super::sql_insight::note_response(tx, referral.id.0, to, side == Side::Receiver, stamp.at)
        .await?;
    add_referral_event(
        tx,
        keys,
        referral.id,
        ReferralNote {
            side: Some(side),
            kind: change.code(),
            status: to,
            text: note.filter(|n| !n.trim().is_empty()),
        },
        stamp,
    )
    .await?;
    Ok(to)
}

/// Stops a person's unfinished referrals — to one organisation, or to all — through the
/// state machine, so each one's history says it was stopped and why: a draft is
/// discarded, anything sent is cancelled. Returns how many were stopped.
async fn stop_referrals(
    tx: &mut Tx,
    keys: &KeyRing,
    person: PersonId,
    organization: Option<OrganizationId>,
    why: &str,
    stamp: &Stamp,
) -> Result<u32, CaseError> {
    let mut query = format!(
        "SELECT id FROM referrals WHERE person_id = $1 AND status IN {open}",
        open = &*OPEN_REFERRAL_STATUSES
    );
    if organization.is_some() {
        query.push_str(" AND organization_id = $2");
    }
    let mut query = sqlx::query(AssertSqlSafe(query)).bind(key(person.0));
    if let Some(org) = organization {
        query = query.bind(key(org.0));
    }
    let rows = query.fetch_all(&mut **tx).await.map_err(StoreError::from)?;
    let mut stopped = 0;
    for row in &rows {
        let referral_id = ReferralId(Columns::new(row).id()?);
        let Some(referral) = lock_referral(tx, keys, referral_id).await? else {
            continue;
        };
        let change = if referral.status == ReferralStatus::Draft {
            ReferralMove::Discard
        } else {
            ReferralMove::Cancel
        };
        match apply_move(
            tx,
            keys,
            &referral,
            change,
            Side::Referrer,
            Some(why),
            stamp,
        )
        .await
        {
            Ok(_) => stopped += 1,
            Err(ReferralError::Store(e)) => return Err(e.into()),
            Err(_) => {}
        }
    }
    Ok(stopped)
}

/// Puts a request in the coordinators' queue, with its audit event, inside `tx`.
pub(super) async fn insert_intake(tx: &mut Tx, keys: &KeyRing, new: NewIntake) -> Result<Intake> {
    let id = Uuid::now_v7();
    let sealed = seal(
        keys,
        &new.details,
        &context("intakes", &id.to_string(), None),
    )?;
    sqlx::query(
        "INSERT INTO intakes (id, source, priority, status, sealed, created_at, created_by) \
             VALUES ($1, $2, $3, 'waiting', $4, $5, $6)",
    )
    .bind(key(id))
    .bind(new.source.code())
    .bind(new.priority.code())
    .bind(sealed)
    .bind(at(new.stamp.at))
    .bind(new.stamp.by.map(|u| key(u.0)))
    .execute(&mut **tx)
    .await?;
    let action = match new.source {
        IntakeSource::CallBack => ActionKind::RequestCallBack,
        IntakeSource::Professional => ActionKind::ReferAsProfessional,
        IntakeSource::Connector => ActionKind::HandOffToCoordinator,
        IntakeSource::Coordinator => ActionKind::TriageIntakes,
    };
    append_audit_in(tx, audit_event(&new.stamp, action, "intake", id)).await?;
    Ok(Intake {
        id: IntakeId(id),
        source: new.source,
        priority: new.priority,
        status: IntakeStatus::Waiting,
        details: Some(new.details),
        created_at: new.stamp.at.trunc_micros(),
        created_by: new.stamp.by,
        person: None,
    })
}

/// Records a consent and its line on the person's timeline, inside `tx`.
async fn consent_in(
    tx: &mut Tx,
    keys: &KeyRing,
    id: PersonId,
    scope: &ConsentScope,
    method: ConsentMethod,
    expires: Option<NaiveDate>,
    stamp: &Stamp,
) -> Result<Consent> {
    let consent = insert_consent(tx, keys, id, scope, method, expires, stamp).await?;
    let text = match scope {
        ConsentScope::KeepRecord => "Agreed that we keep a record".to_owned(),
        ConsentScope::ShareWith { purpose, .. } => {
            format!("Agreed to share with an organisation: {purpose}")
        }
    };
    record_change(
        tx,
        keys,
        id,
        "consent",
        &text,
        ActionKind::EditPerson,
        stamp,
    )
    .await?;
    Ok(consent)
}

/// `('a', 'b')`: the stored codes of the referral statuses `which` holds for, so that SQL
/// asks what the domain's state machine says rather than a list of its own.
fn statuses_where(which: fn(ReferralStatus) -> bool) -> String {
    codes_in(&ReferralStatus::ALL, which, ReferralStatus::code)
}

/// Referrals still open: any not in a terminal state.
static OPEN_REFERRAL_STATUSES: LazyLock<String> =
    LazyLock::new(|| statuses_where(|s| !s.is_terminal()));
/// Referrals sent and not yet answered: what the chaser chases.
static AWAITING_ANSWER: LazyLock<String> =
    LazyLock::new(|| statuses_where(ReferralStatus::awaits_answer));

impl SqlStore {
    pub(super) fn keyring(&self) -> Result<Arc<KeyRing>> {
        self.keys
            .read()
            .map_err(|_| corrupt("the key ring lock"))?
            .clone()
            .ok_or(StoreError::NoKeys)
    }

    async fn read_referral(
        &self,
        tx: &mut Tx,
        keys: &KeyRing,
        id: ReferralId,
    ) -> Result<Option<Referral>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = $1"
        )))
        .bind(key(id.0))
        .fetch_optional(&mut **tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut referral = referral_row(keys, &row)?;
        load_referral_events(tx, keys, &mut referral).await?;
        Ok(Some(referral))
    }

    /// Reseals staff's TOTP secrets under the primary key, sealing any stored before sealing.
    async fn reseal_totp_secrets(&self, keys: &KeyRing) -> Result<u64> {
        let mut tx = begin_write(&self.writer).await?;
        let rows = sqlx::query("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")
            .fetch_all(&mut *tx)
            .await?;
        let mut done = 0;
        for row in &rows {
            let mut c = Columns::new(row);
            let id = c.id()?;
            let stored = c.text()?;
            if super::sql_accounts::totp_sealed_under_primary(keys, &stored) {
                continue;
            }
            let secret = super::sql_accounts::open_totp(Some(keys), id, &stored)?;
            sqlx::query("UPDATE users SET totp_secret = $2 WHERE id = $1")
                .bind(key(id))
                .bind(super::sql_accounts::seal_totp(keys, id, &secret))
                .execute(&mut *tx)
                .await?;
            done += 1;
        }
        tx.commit().await?;
        Ok(done)
    }

    /// Reseals one table's sealed column: rows whose value was sealed under an old key.
    async fn reseal_table(
        &self,
        keys: &KeyRing,
        table: &str,
        first: &str,
        second: Option<&str>,
    ) -> Result<u64> {
        let bound = |id: &str, second: Option<&str>| context(table, id, second);
        self.reseal_column(keys, table, first, second, "sealed", &bound)
            .await
    }

    /// Reseals one sealed column of a table, each value bound to the context `bound` names
    /// for its row: how a column other than `sealed`, or a context of its own, is kept
    /// readable through a key rotation.
    async fn reseal_column(
        &self,
        keys: &KeyRing,
        table: &str,
        first: &str,
        second: Option<&str>,
        column: &str,
        bound: &(dyn Fn(&str, Option<&str>) -> String + Sync),
    ) -> Result<u64> {
        let select = match second {
            Some(second) => format!(
                "SELECT {first}, CAST({second} AS TEXT), {column} FROM {table} \
                 WHERE {column} IS NOT NULL"
            ),
            None => format!("SELECT {first}, {column} FROM {table} WHERE {column} IS NOT NULL"),
        };
        let mut tx = begin_write(&self.writer).await?;
        let rows = sqlx::query(AssertSqlSafe(select))
            .fetch_all(&mut *tx)
            .await?;
        let mut done = 0;
        for row in &rows {
            let mut c = Columns::new(row);
            let id = c.id()?;
            let second_value = match second {
                Some(_) => Some(c.text()?),
                None => None,
            };
            let sealed: Vec<u8> = c.get()?;
            if !keys.needs_reseal(&sealed) {
                continue;
            }
            let ctx = bound(&id.to_string(), second_value.as_deref());
            let plain = keys
                .open(&sealed, ctx.as_bytes())
                .map_err(|e| corrupt(format!("{ctx}: {e}")))?;
            let resealed = keys.seal(&plain, ctx.as_bytes());
            let update = match second {
                Some(second) => format!(
                    "UPDATE {table} SET {column} = $1 WHERE {first} = $2 \
                     AND CAST({second} AS TEXT) = $3"
                ),
                None => format!("UPDATE {table} SET {column} = $1 WHERE {first} = $2"),
            };
            let mut query = sqlx::query(AssertSqlSafe(update))
                .bind(resealed)
                .bind(key(id));
            if let Some(second_value) = second_value {
                query = query.bind(second_value);
            }
            query.execute(&mut *tx).await?;
            done += 1;
        }
        tx.commit().await?;
        Ok(done)
    }
}

#[async_trait]
impl CaseworkStore for SqlStore {
    // --- the triage queue ---

    async fn create_intake(&self, new: NewIntake) -> Result<Intake> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        let intake = insert_intake(&mut tx, &keys, new).await?;
        tx.commit().await?;
        Ok(intake)
    }

    async fn intake(&self, id: IntakeId) -> Result<Option<Intake>> {
        let keys = self.keyring()?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INTAKE_COLUMNS} FROM intakes WHERE id = $1"
        )))
        .bind(key(id.0))
        .fetch_optional(&self.reader)
        .await?;
        row.map(|row| intake_row(&keys, &row)).transpose()
    }

    async fn waiting_intakes(&self, limit: u32) -> Result<Vec<Intake>> {
        let keys = self.keyring()?;
        // Priority codes do not sort by urgency as text, so the order is spelled out.
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INTAKE_COLUMNS} FROM intakes WHERE status = 'waiting' \
             ORDER BY CASE priority WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END, \
             created_at LIMIT $1"
        )))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|row| intake_row(&keys, row)).collect()
    }

    async fn close_intake(&self, id: IntakeId, stamp: Stamp) -> Result<(), CaseError> {
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "UPDATE intakes SET status = 'closed', decided_at = $2, decided_by = $3 \
             WHERE id = $1 AND status = 'waiting'",
        )
        .bind(key(id.0))
        .bind(at(stamp.at))
        .bind(stamp.by.map(|u| key(u.0)))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        if done.rows_affected() == 0 {
            return Err(CaseError::IntakeTaken);
        }
        append_audit_in(
            &mut tx,
            audit_event(&stamp, ActionKind::TriageIntakes, "intake", id.0),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    // --- people ---

    async fn open_case(&self, new: NewCase) -> Result<PersonId, CaseError> {
        let keys = self.keyring()?;
        let id = PersonId(Uuid::now_v7());
        let sealed = seal(
            &keys,
            &new.details,
            &context("people", &id.0.to_string(), None),
        )?;
        let mut tx = begin_write(&self.writer).await?;
        if let Some(intake) = new.from_intake {
            let taken = sqlx::query(
                "UPDATE intakes SET status = 'opened', person_id = $2, decided_at = $3, \
                 decided_by = $4 WHERE id = $1 AND status = 'waiting'",
            )
            .bind(key(intake.0))
            .bind(key(id.0))
            .bind(at(new.stamp.at))
            .bind(new.stamp.by.map(|u| key(u.0)))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
            if taken.rows_affected() == 0 {
                return Err(CaseError::IntakeTaken);
            }
        }
        sqlx::query(
            "INSERT INTO people (id, status, coordinator, sealed, opened_at, updated_at) \
             VALUES ($1, 'open', $2, $3, $4, $4)",
        )
        .bind(key(id.0))
        .bind(key(new.coordinator.0))
        .bind(sealed)
        .bind(at(new.stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        insert_consent(
            &mut tx,
            &keys,
            id,
            &ConsentScope::KeepRecord,
            new.record_consent,
            None,
            &new.stamp,
        )
        .await?;
        let text = if new.from_intake.is_some() {
            "Case opened from a request for help"
        } else {
            "Case opened"
        };
        record_change(
            &mut tx,
            &keys,
            id,
            "opened",
            text,
            ActionKind::EditPerson,
            &new.stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    async fn person(&self, id: PersonId) -> Result<Option<PersonRecord>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let row = sqlx::query(
            "SELECT id, status, coordinator, sealed, opened_at, closed_at FROM people \
             WHERE id = $1",
        )
        .bind(key(id.0))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut c = Columns::new(&row);
        c.id()?;
        let status = CaseStatus::from_code(&c.text()?).ok_or_else(|| corrupt("a case status"))?;
        let coordinator = c.opt_id()?.map(UserId);
        let sealed: Option<Vec<u8>> = c.get()?;
        let details = unseal_opt(&keys, sealed, &context("people", &id.0.to_string(), None))?;
        let opened_at = c.time()?;
        let closed_at = c.opt_time()?;
        let person_key = key(id.0);

        let consents = consents_of(&mut tx, &keys, id).await?;

        let rows = sqlx::query(
            "SELECT need, priority, sealed, outcome, added_at FROM person_needs \
             WHERE person_id = $1 ORDER BY CASE priority WHEN 'urgent' THEN 0 \
             WHEN 'soon' THEN 1 ELSE 2 END, added_at, need",
        )
        .bind(person_key)
        .fetch_all(&mut *tx)
        .await?;
        let mut needs = Vec::new();
        for row in &rows {
            let mut c = Columns::new(row);
            let need_code = c.text()?;
            let need = need_of(&need_code)?;
            let priority = Priority::from_code(&c.text()?).ok_or_else(|| corrupt("a priority"))?;
            let sealed: Option<Vec<u8>> = c.get()?;
            let note: Option<String> = unseal_opt(
                &keys,
                sealed,
                &context("person_needs", &id.0.to_string(), Some(&need_code)),
            )?;
            needs.push(CaseNeed {
                need,
                priority,
                note: note.unwrap_or_default(),
                outcome: c.opt_text()?.as_deref().and_then(NeedOutcome::from_code),
                added_at: c.time()?,
            });
        }

        let rows = sqlx::query(
            "SELECT id, kind, sealed, due, done_at, created_at FROM plan_steps \
             WHERE person_id = $1 ORDER BY created_at, id",
        )
        .bind(person_key)
        .fetch_all(&mut *tx)
        .await?;
        let mut steps = Vec::new();
        for row in &rows {
            let mut c = Columns::new(row);
            let step_id = c.id()?;
            let kind = StepKind::from_code(&c.text()?).ok_or_else(|| corrupt("a step kind"))?;
            let sealed: Option<Vec<u8>> = c.get()?;
            let details: Option<StepDetails> = unseal_opt(
                &keys,
                sealed,
                &context("plan_steps", &step_id.to_string(), None),
            )?;
            steps.push(PlanStep {
                id: step_id,
                kind,
                details: details.unwrap_or_default(),
                due: c.opt_text()?.as_deref().map(date_of).transpose()?,
                done_at: c.opt_time()?,
                created_at: c.time()?,
            });
        }

        let rows = sqlx::query(
            "SELECT id, stage, sealed, recorded_at FROM wellbeing_measures \
             WHERE person_id = $1 AND sealed IS NOT NULL ORDER BY recorded_at, id",
        )
        .bind(person_key)
        .fetch_all(&mut *tx)
        .await?;
        let mut measures = Vec::new();
        for row in &rows {
            let mut c = Columns::new(row);
            let measure_id = c.id()?;
            let stage = Stage::from_code(&c.text()?).map_err(corrupt)?;
            let sealed: Vec<u8> = c.get()?;
            let measure: Measure = unseal(
                &keys,
                &sealed,
                &context("wellbeing_measures", &measure_id.to_string(), None),
            )?;
            measures.push(WellbeingRecord {
                id: measure_id,
                stage,
                measure,
                recorded_at: c.time()?,
            });
        }

        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE person_id = $1 ORDER BY sent_at, id"
        )))
        .bind(person_key)
        .fetch_all(&mut *tx)
        .await?;
        let mut referrals = Vec::new();
        for row in &rows {
            let mut referral = referral_row(&keys, row)?;
            load_referral_events(&mut tx, &keys, &mut referral).await?;
            referrals.push(referral);
        }

        let rows = sqlx::query(
            "SELECT seq, at, by_user, kind, sealed FROM case_events WHERE person_id = $1 \
             ORDER BY seq",
        )
        .bind(person_key)
        .fetch_all(&mut *tx)
        .await?;
        let mut timeline = Vec::new();
        for row in &rows {
            let mut c = Columns::new(row);
            let seq = c.int()?;
            let at = c.time()?;
            let by = c.opt_id()?.map(UserId);
            let kind = c.text()?;
            let sealed: Option<Vec<u8>> = c.get()?;
            let text: Option<String> = unseal_opt(
                &keys,
                sealed,
                &context("case_events", &id.0.to_string(), Some(&seq.to_string())),
            )?;
            timeline.push(TimelineEntry {
                seq: seq_value(seq)?,
                at,
                by,
                kind,
                text: text.unwrap_or_default(),
            });
        }

        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {INTAKE_COLUMNS} FROM intakes WHERE person_id = $1 ORDER BY created_at"
        )))
        .bind(person_key)
        .fetch_all(&mut *tx)
        .await?;
        let intakes = rows
            .iter()
            .map(|row| intake_row(&keys, row))
            .collect::<Result<_>>()?;
        tx.commit().await?;

        Ok(Some(PersonRecord {
            id,
            status,
            coordinator,
            details,
            opened_at,
            closed_at,
            consents,
            needs,
            steps,
            measures,
            referrals,
            timeline,
            intakes,
        }))
    }

    async fn caseload(
        &self,
        filter: &CaseloadFilter,
        today: NaiveDate,
    ) -> Result<Vec<CaseSummary>> {
        let keys = self.keyring()?;
        let statuses = if filter.include_closed {
            "('open', 'closed')"
        } else {
            "('open')"
        };
        let coordinator = if filter.coordinator.is_some() {
            " AND coordinator = $1"
        } else {
            ""
        };
        let people = format!("SELECT id FROM people WHERE status IN {statuses}{coordinator}");
        let bind_coordinator = filter.coordinator.map(|u| key(u.0));
        let mut tx = begin_read(&self.reader).await?;

        let mut query = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, status, coordinator, sealed, opened_at FROM people \
             WHERE status IN {statuses}{coordinator}"
        )));
        if let Some(k) = bind_coordinator {
            query = query.bind(k);
        }
        let rows = query.fetch_all(&mut *tx).await?;
        let mut summaries: Vec<CaseSummary> = Vec::with_capacity(rows.len());
        let mut index: HashMap<Uuid, usize> = HashMap::new();
        for row in &rows {
            let mut c = Columns::new(row);
            let id = c.id()?;
            let status = CaseStatus::from_code(&c.text()?).ok_or_else(|| corrupt("a status"))?;
            let coordinator = c.opt_id()?.map(UserId);
            let sealed: Option<Vec<u8>> = c.get()?;
            let details: Option<PersonDetails> =
                unseal_opt(&keys, sealed, &context("people", &id.to_string(), None))?;
            index.insert(id, summaries.len());
            summaries.push(CaseSummary {
                id: PersonId(id),
                name: details
                    .map(|d| d.display_name().to_owned())
                    .unwrap_or_default(),
                status,
                coordinator,
                urgent_needs: 0,
                needs: Vec::new(),
                overdue_steps: 0,
                next_due: None,
                open_referrals: 0,
                opened_at: c.time()?,
            });
        }

        let mut query = sqlx::query(AssertSqlSafe(format!(
            "SELECT person_id, need, priority FROM person_needs \
             WHERE outcome IS NULL AND person_id IN ({people}) ORDER BY added_at, need"
        )));
        if let Some(k) = bind_coordinator {
            query = query.bind(k);
        }
        for row in query.fetch_all(&mut *tx).await? {
            let mut c = Columns::new(&row);
            let person = c.id()?;
            let need = need_of(&c.text()?)?;
            let urgent = c.text()? == Priority::Urgent.code();
            if let Some(s) = index.get(&person).map(|i| &mut summaries[*i]) {
                s.needs.push(need);
                s.urgent_needs += u32::from(urgent);
            }
        }

        let mut query = sqlx::query(AssertSqlSafe(format!(
            "SELECT person_id, due FROM plan_steps \
             WHERE done_at IS NULL AND due IS NOT NULL AND person_id IN ({people})"
        )));
        if let Some(k) = bind_coordinator {
            query = query.bind(k);
        }
        for row in query.fetch_all(&mut *tx).await? {
            let mut c = Columns::new(&row);
            let person = c.id()?;
            let due = date_of(&c.text()?)?;
            if let Some(s) = index.get(&person).map(|i| &mut summaries[*i]) {
                s.overdue_steps += u32::from(due < today);
                s.next_due = Some(s.next_due.map_or(due, |d| d.min(due)));
            }
        }

        let mut query = sqlx::query(AssertSqlSafe(format!(
            "SELECT person_id, COUNT(*) FROM referrals \
             WHERE status IN {open} AND person_id IN ({people}) \
             GROUP BY person_id",
            open = &*OPEN_REFERRAL_STATUSES
        )));
        if let Some(k) = bind_coordinator {
            query = query.bind(k);
        }
        for row in query.fetch_all(&mut *tx).await? {
            let mut c = Columns::new(&row);
            let person = c.id()?;
            let count = c.count()?;
            if let Some(s) = index.get(&person).map(|i| &mut summaries[*i]) {
                s.open_referrals = count;
            }
        }
        tx.commit().await?;

        if let Some(need) = filter.need {
            summaries.retain(|s| s.needs.contains(&need));
        }
        // Urgent needs first, then overdue follow-ups, then what falls due soonest.
        summaries.sort_by(|a, b| {
            (a.status != CaseStatus::Open)
                .cmp(&(b.status != CaseStatus::Open))
                .then(b.urgent_needs.min(1).cmp(&a.urgent_needs.min(1)))
                .then(b.overdue_steps.min(1).cmp(&a.overdue_steps.min(1)))
                .then(
                    a.next_due
                        .unwrap_or(NaiveDate::MAX)
                        .cmp(&b.next_due.unwrap_or(NaiveDate::MAX)),
                )
                .then(a.opened_at.cmp(&b.opened_at))
        });
        Ok(summaries)
    }

    async fn update_person(
        &self,
        id: PersonId,
        details: PersonDetails,
        stamp: Stamp,
    ) -> Result<(), CaseError> {
        let keys = self.keyring()?;
        let sealed = seal(&keys, &details, &context("people", &id.0.to_string(), None))?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        sqlx::query("UPDATE people SET sealed = $2 WHERE id = $1")
            .bind(key(id.0))
            .bind(sealed)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        record_change(
            &mut tx,
            &keys,
            id,
            "details",
            "Details updated",
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn record_consent(
        &self,
        id: PersonId,
        scope: ConsentScope,
        method: ConsentMethod,
        expires: Option<NaiveDate>,
        stamp: Stamp,
    ) -> Result<Consent, CaseError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        let consent = consent_in(&mut tx, &keys, id, &scope, method, expires, &stamp).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(consent)
    }

    async fn withdraw_consent(
        &self,
        id: PersonId,
        consent: Uuid,
        stamp: Stamp,
    ) -> Result<u32, CaseError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        // A closed case's consents can still be withdrawn: that is the person's right.
        if lock_person(&mut tx, id, stamp.at).await? == CaseStatus::Erased {
            return Err(CaseError::Erased);
        }
        let done = sqlx::query(
            "UPDATE consents SET withdrawn_at = $3, withdrawn_by = $4 \
             WHERE id = $1 AND person_id = $2 AND withdrawn_at IS NULL",
        )
        .bind(key(consent))
        .bind(key(id.0))
        .bind(at(stamp.at))
        .bind(stamp.by.map(|u| key(u.0)))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        if done.rows_affected() == 0 {
            return Err(CaseError::NotFound);
        }
        let consents = consents_of(&mut tx, &keys, id).await?;
        let withdrawn = consents
            .iter()
            .find(|c| c.id == consent)
            .ok_or(CaseError::NotFound)?;
        let mut stopped = 0;
        if let ConsentScope::ShareWith { organization, .. } = &withdrawn.scope
            && !may_share_with(&consents, *organization, stamp.at)
        {
            stopped = stop_referrals(
                &mut tx,
                &keys,
                id,
                Some(*organization),
                "Consent to share was withdrawn",
                &stamp,
            )
            .await?;
            // What the organisation was shown goes too, finished referrals included.
            sqlx::query(
                "UPDATE referrals SET sealed = NULL WHERE person_id = $1 AND organization_id = $2",
            )
            .bind(key(id.0))
            .bind(key(organization.0))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        }
        let text = if stopped > 0 {
            format!("Withdrew a consent; {stopped} referral(s) stopped")
        } else {
            "Withdrew a consent".to_owned()
        };
        record_change(
            &mut tx,
            &keys,
            id,
            "consent_withdrawn",
            &text,
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(stopped)
    }

    async fn set_need(
        &self,
        id: PersonId,
        need: NeedId,
        priority: Priority,
        note: &str,
        stamp: Stamp,
    ) -> Result<(), CaseError> {
        let keys = self.keyring()?;
        let need_code = need.as_str();
        let sealed = seal(
            &keys,
            note.trim(),
            &context("person_needs", &id.0.to_string(), Some(need_code)),
        )?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        let updated = sqlx::query(
            "UPDATE person_needs SET priority = $3, sealed = $4, outcome = NULL \
             WHERE person_id = $1 AND need = $2",
        )
        .bind(key(id.0))
        .bind(need_code)
        .bind(priority.code())
        .bind(&sealed)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO person_needs (person_id, need, priority, sealed, added_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(key(id.0))
            .bind(need_code)
            .bind(priority.code())
            .bind(&sealed)
            .bind(at(stamp.at))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        }
        let text = format!(
            "Need: {} ({})",
            need.need().label,
            priority.label().to_lowercase()
        );
        record_change(
            &mut tx,
            &keys,
            id,
            "need",
            &text,
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn remove_need(&self, id: PersonId, need: NeedId, stamp: Stamp) -> Result<(), CaseError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        let done = sqlx::query("DELETE FROM person_needs WHERE person_id = $1 AND need = $2")
            .bind(key(id.0))
            .bind(need.as_str())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        if done.rows_affected() == 0 {
            return Err(CaseError::NotFound);
        }
        let text = format!("Need removed: {}", need.need().label);
        record_change(
            &mut tx,
            &keys,
            id,
            "need_removed",
            &text,
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn add_step(&self, id: PersonId, step: NewStep, stamp: Stamp) -> Result<Uuid, CaseError> {
        let keys = self.keyring()?;
        let step_id = Uuid::now_v7();
        let sealed = seal(
            &keys,
            &step.details,
            &context("plan_steps", &step_id.to_string(), None),
        )?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        sqlx::query(
            "INSERT INTO plan_steps (id, person_id, kind, sealed, due, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key(step_id))
        .bind(key(id.0))
        .bind(step.kind.code())
        .bind(sealed)
        .bind(step.due.map(date_text))
        .bind(at(stamp.at))
        .bind(stamp.by.map(|u| key(u.0)))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let text = match step.due {
            Some(due) => format!(
                "{}: {} (by {})",
                step.kind.label(),
                step.details.what,
                due.format("%-d %B %Y")
            ),
            None => format!("{}: {}", step.kind.label(), step.details.what),
        };
        record_change(
            &mut tx,
            &keys,
            id,
            "step",
            &text,
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(step_id)
    }

    async fn complete_step(&self, id: PersonId, step: Uuid, stamp: Stamp) -> Result<(), CaseError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        let row = sqlx::query(
            "UPDATE plan_steps SET done_at = $3 WHERE id = $1 AND person_id = $2 \
             AND done_at IS NULL RETURNING kind, sealed",
        )
        .bind(key(step))
        .bind(key(id.0))
        .bind(at(stamp.at))
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let Some(row) = row else {
            return Err(CaseError::NotFound);
        };
        let mut c = Columns::new(&row);
        let kind = StepKind::from_code(&c.text()?).ok_or_else(|| corrupt("a step kind"))?;
        let sealed: Vec<u8> = c.get()?;
        let details: StepDetails = unseal(
            &keys,
            &sealed,
            &context("plan_steps", &step.to_string(), None),
        )?;
        let text = format!("Done — {}: {}", kind.label(), details.what);
        record_change(
            &mut tx,
            &keys,
            id,
            "step_done",
            &text,
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn record_measure(
        &self,
        id: PersonId,
        stage: Stage,
        measure: Measure,
        stamp: Stamp,
    ) -> Result<Uuid, CaseError> {
        let keys = self.keyring()?;
        let measure_id = Uuid::now_v7();
        let sealed = seal(
            &keys,
            &measure,
            &context("wellbeing_measures", &measure_id.to_string(), None),
        )?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        sqlx::query(
            "INSERT INTO wellbeing_measures (id, person_id, kind, stage, sealed, recorded_at, \
             recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key(measure_id))
        .bind(key(id.0))
        .bind(measure.kind().code())
        .bind(stage.code())
        .bind(sealed)
        .bind(at(stamp.at))
        .bind(stamp.by.map(|u| key(u.0)))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let text = format!(
            "Wellbeing measured ({}): {}",
            stage.code(),
            measure.summary()
        );
        record_change(
            &mut tx,
            &keys,
            id,
            "measure",
            &text,
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(measure_id)
    }

    async fn close_case(
        &self,
        id: PersonId,
        outcomes: &[(NeedId, NeedOutcome)],
        stamp: Stamp,
    ) -> Result<(), CaseError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        lock_open_person(&mut tx, id, stamp.at).await?;
        for (need, outcome) in outcomes {
            sqlx::query("UPDATE person_needs SET outcome = $3 WHERE person_id = $1 AND need = $2")
                .bind(key(id.0))
                .bind(need.as_str())
                .bind(outcome.code())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        sqlx::query("UPDATE people SET status = 'closed', closed_at = $2 WHERE id = $1")
            .bind(key(id.0))
            .bind(at(stamp.at))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        let summary: Vec<String> = outcomes
            .iter()
            .map(|(need, outcome)| {
                format!("{}: {}", need.need().label, outcome.label().to_lowercase())
            })
            .collect();
        let text = format!("Case closed. {}", summary.join("; "));
        record_change(
            &mut tx,
            &keys,
            id,
            "closed",
            text.trim(),
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn reopen_case(&self, id: PersonId, stamp: Stamp) -> Result<(), CaseError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        match lock_person(&mut tx, id, stamp.at).await? {
            CaseStatus::Closed => {}
            CaseStatus::Open => return Err(CaseError::AlreadyOpen),
            CaseStatus::Erased => return Err(CaseError::Erased),
        }
        sqlx::query("UPDATE people SET status = 'open', closed_at = NULL WHERE id = $1")
            .bind(key(id.0))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        record_change(
            &mut tx,
            &keys,
            id,
            "reopened",
            "Case reopened",
            ActionKind::EditPerson,
            &stamp,
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn erase_person(&self, id: PersonId, stamp: Stamp) -> Result<(), CaseError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        if lock_person(&mut tx, id, stamp.at).await? == CaseStatus::Erased {
            return Err(CaseError::Erased);
        }
        // Unfinished referrals stop first, each with its own history line: nobody can act
        // for a person who is no longer there. The notes are emptied below with the rest.
        stop_referrals(&mut tx, &keys, id, None, "The record was erased", &stamp).await?;
        let person = key(id.0);
        let statements = [
            "UPDATE people SET sealed = NULL, status = 'erased', \
             closed_at = COALESCE(closed_at, updated_at) WHERE id = $1",
            "UPDATE intakes SET sealed = NULL, status = 'erased' WHERE person_id = $1",
            "UPDATE consents SET sealed = NULL WHERE person_id = $1",
            "UPDATE person_needs SET sealed = NULL WHERE person_id = $1",
            "UPDATE plan_steps SET sealed = NULL WHERE person_id = $1",
            "UPDATE wellbeing_measures SET sealed = NULL WHERE person_id = $1",
            "UPDATE case_events SET sealed = NULL WHERE person_id = $1",
            "UPDATE referral_events SET sealed = NULL WHERE referral_id IN \
             (SELECT id FROM referrals WHERE person_id = $1)",
            "UPDATE referrals SET sealed = NULL WHERE person_id = $1",
            // What they opted in to meet a peer about, and their strengths.
            "DELETE FROM peer_opt_ins WHERE person_id = $1",
            "DELETE FROM strengths_profiles WHERE person_id = $1",
        ];
        for statement in statements {
            sqlx::query(statement)
                .bind(person)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        sqlx::query(
            "INSERT INTO case_events (person_id, seq, at, by_user, kind, sealed) \
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, 'erased', NULL FROM case_events \
             WHERE person_id = $1",
        )
        .bind(person)
        .bind(at(stamp.at))
        .bind(stamp.by.map(|u| key(u.0)))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        append_audit_in(
            &mut tx,
            audit_event(&stamp, ActionKind::ErasePerson, "person", id.0),
        )
        .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn closed_cases_before(
        &self,
        closed_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<(PersonId, DateTime<Utc>)>> {
        let rows = sqlx::query(
            "SELECT id, closed_at FROM people WHERE status = 'closed' AND closed_at < $1 \
             ORDER BY closed_at LIMIT $2",
        )
        .bind(at(closed_before))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok((PersonId(c.id()?), c.time()?))
            })
            .collect()
    }

    // --- referrals ---

    async fn send_referral(&self, new: NewReferral) -> Result<Referral, ReferralError> {
        let keys = self.keyring()?;
        let id = ReferralId(Uuid::now_v7());
        let status = ReferralStatus::apply(None, ReferralMove::Send, Side::Referrer)?;
        let sealed = seal(
            &keys,
            &new.shared,
            &context("referrals", &id.0.to_string(), None),
        )?;
        let mut tx = begin_write(&self.writer).await?;
        match lock_person(&mut tx, new.person, new.stamp.at).await {
            Ok(CaseStatus::Open) => {}
            Ok(_) => return Err(ReferralError::CaseClosed),
            Err(CaseError::NotFound) => return Err(ReferralError::NotFound),
            Err(CaseError::Store(e)) => return Err(e.into()),
            Err(_) => return Err(ReferralError::CaseClosed),
        }
        if let Some(given) = &new.consent_given {
            let scope = ConsentScope::ShareWith {
                organization: new.organization,
                purpose: given.purpose.clone(),
            };
            consent_in(
                &mut tx,
                &keys,
                new.person,
                &scope,
                given.method,
                None,
                &new.stamp,
            )
            .await?;
        }
        let consents = consents_of(&mut tx, &keys, new.person).await?;
        if !may_share_with(&consents, new.organization, new.stamp.at) {
            return Err(ReferralError::NoConsent);
        }
        sqlx::query(
            "INSERT INTO referrals (id, person_id, service_id, organization_id, status, sealed, \
             referred_by, from_organization_id, parent_id, sent_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
        )
        .bind(key(id.0))
        .bind(key(new.person.0))
        .bind(key(new.service_id))
        .bind(key(new.organization.0))
        .bind(status.code())
        .bind(sealed)
        .bind(new.stamp.by.map(|u| key(u.0)))
        .bind(new.from_organization.map(|o| key(o.0)))
        .bind(new.parent.map(|p| key(p.0)))
        .bind(at(new.stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let side = if new.from_organization.is_some() {
            Side::Receiver
        } else {
            Side::Referrer
        };
        let message = Some(new.shared.message.as_str()).filter(|m| !m.is_empty());
        add_referral_event(
            &mut tx,
            &keys,
            id,
            ReferralNote {
                side: Some(side),
                kind: ReferralMove::Send.code(),
                status,
                text: message,
            },
            &new.stamp,
        )
        .await?;
        let action = if new.parent.is_some() {
            ActionKind::ReferOnward
        } else {
            ActionKind::ReferPerson
        };
        add_case_event(
            &mut tx,
            &keys,
            new.person,
            "referral",
            &new.timeline_text,
            &new.stamp,
        )
        .await?;
        append_audit_in(&mut tx, audit_event(&new.stamp, action, "referral", id.0)).await?;
        let referral = self
            .read_referral(&mut tx, &keys, id)
            .await?
            .ok_or(ReferralError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(referral)
    }

    async fn referral(&self, id: ReferralId) -> Result<Option<Referral>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let referral = self.read_referral(&mut tx, &keys, id).await?;
        tx.commit().await?;
        Ok(referral)
    }

    async fn move_referral(
        &self,
        id: ReferralId,
        change: ReferralMove,
        side: Side,
        note: Option<&str>,
        stamp: Stamp,
    ) -> Result<Referral, ReferralError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        // The person's row first, then the referral's: the order every change takes, so
        // two changes never wait for each other; it also orders the timeline lines.
        let person = sqlx::query("SELECT person_id FROM referrals WHERE id = $1")
            .bind(key(id.0))
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::from)?
            .ok_or(ReferralError::NotFound)?;
        let person = PersonId(Columns::new(&person).id()?);
        match lock_person(&mut tx, person, stamp.at).await {
            Ok(_) => {}
            Err(CaseError::Store(e)) => return Err(e.into()),
            Err(_) => return Err(ReferralError::NotFound),
        }
        let referral = lock_referral(&mut tx, &keys, id)
            .await?
            .ok_or(ReferralError::NotFound)?;
        let to = apply_move(&mut tx, &keys, &referral, change, side, note, &stamp).await?;
        let action = match side {
            Side::Referrer => ActionKind::ReferPerson,
            Side::Receiver => ActionKind::WorkReferralInbox,
        };
        // The person's timeline hears of every answer; opening is only a receipt.
        if change != ReferralMove::Open {
            let mut text = format!("Referral {}", to.label());
            if let ReferralMove::Reject(reason) = change {
                text = format!("{text}: {}", reason.label());
            }
            if let ReferralMove::Complete(result) = change {
                text = format!("{text}: {}", result.label());
            }
            add_case_event(&mut tx, &keys, referral.person, "referral", &text, &stamp).await?;
        }
        append_audit_in(&mut tx, audit_event(&stamp, action, "referral", id.0)).await?;
        let referral = self
            .read_referral(&mut tx, &keys, id)
            .await?
            .ok_or(ReferralError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(referral)
    }

    async fn message_on_referral(
        &self,
        id: ReferralId,
        side: Side,
        text: &str,
        stamp: Stamp,
    ) -> Result<(), ReferralError> {
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        let referral = lock_referral(&mut tx, &keys, id)
            .await?
            .ok_or(ReferralError::NotFound)?;
        add_referral_event(
            &mut tx,
            &keys,
            id,
            ReferralNote {
                side: Some(side),
                kind: "message",
                status: referral.status,
                text: Some(text.trim()),
            },
            &stamp,
        )
        .await?;
        let action = match side {
            Side::Referrer => ActionKind::ReferPerson,
            Side::Receiver => ActionKind::WorkReferralInbox,
        };
        append_audit_in(&mut tx, audit_event(&stamp, action, "referral", id.0)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    async fn referral_inbox(
        &self,
        organization: OrganizationId,
        include_finished: bool,
        limit: u32,
    ) -> Result<Vec<Referral>> {
        let keys = self.keyring()?;
        let finished = if include_finished {
            String::new()
        } else {
            format!(" AND status IN {}", &*OPEN_REFERRAL_STATUSES)
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE organization_id = $1{finished} \
             ORDER BY sent_at DESC, id LIMIT $2"
        )))
        .bind(key(organization.0))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|row| referral_row(&keys, row)).collect()
    }

    async fn referrals_to_chase(
        &self,
        sent_before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<ReferralToChase>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, organization_id, referred_by, status, sent_at, chased FROM referrals \
             WHERE status IN {awaiting} AND sent_at < $1 \
             AND (chased IS NULL OR chased <> 'escalated') ORDER BY sent_at LIMIT $2",
            awaiting = &*AWAITING_ANSWER
        )))
        .bind(at(sent_before))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(ReferralToChase {
                    id: ReferralId(c.id()?),
                    organization: OrganizationId(c.id()?),
                    referred_by: c.opt_id()?.map(UserId),
                    status: ReferralStatus::from_code(&c.text()?)
                        .ok_or_else(|| corrupt("a status"))?,
                    sent_at: c.time()?,
                    chased: chase_of(c.opt_text()?.as_deref()),
                })
            })
            .collect()
    }

    async fn mark_chased(&self, id: ReferralId, chase: Chase, now: DateTime<Utc>) -> Result<bool> {
        let Some(code) = chase_code(chase) else {
            return Ok(false);
        };
        let keys = self.keyring()?;
        let mut tx = begin_write(&self.writer).await?;
        // Only forwards: a reminder never follows an escalation, and nothing is sent twice.
        let allowed_before = match chase {
            Chase::RemindOrganisation => "chased IS NULL",
            _ => "(chased IS NULL OR chased = 'reminded')",
        };
        let row = sqlx::query(AssertSqlSafe(format!(
            "UPDATE referrals SET chased = $2 WHERE id = $1 AND {allowed_before} \
             AND status IN {awaiting} RETURNING status",
            awaiting = &*AWAITING_ANSWER
        )))
        .bind(key(id.0))
        .bind(code)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let status = ReferralStatus::from_code(&Columns::new(&row).text()?)
            .ok_or_else(|| corrupt("a status"))?;
        let stamp = Stamp {
            by: None,
            role: None,
            at: now,
            address: None,
        };
        add_referral_event(
            &mut tx,
            &keys,
            id,
            ReferralNote {
                side: None,
                kind: code,
                status,
                text: None,
            },
            &stamp,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn count_corrections(
        &self,
        corrections: &[(NeedId, Correction)],
        at: DateTime<Utc>,
    ) -> Result<()> {
        let month = at.format("%Y-%m").to_string();
        let mut tx = begin_write(&self.writer).await?;
        for (need, correction) in corrections {
            sqlx::query(
                "INSERT INTO matcher_corrections (need, correction, month, count) \
                 VALUES ($1, $2, $3, 1) ON CONFLICT (need, correction, month) \
                 DO UPDATE SET count = matcher_corrections.count + 1",
            )
            .bind(need.as_str())
            .bind(correction.code())
            .bind(&month)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn correction_counts(&self, since: DateTime<Utc>) -> Result<Vec<CorrectionCount>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT need, correction, CAST(SUM(count) AS BIGINT) FROM matcher_corrections \
             WHERE month >= $1 \
             GROUP BY need, correction ORDER BY need",
        )
        .bind(since.format("%Y-%m").to_string())
        .fetch_all(&self.reader)
        .await?;
        let mut counts: Vec<CorrectionCount> = Vec::new();
        for (need, correction, count) in rows {
            let need = NeedId::parse(&need).map_err(|_| corrupt("a need in the corrections"))?;
            let correction =
                Correction::from_code(&correction).ok_or_else(|| corrupt("a correction's kind"))?;
            let count = u64::try_from(count).unwrap_or(0);
            let entry = match counts.iter_mut().find(|c| c.need == need) {
                Some(entry) => entry,
                None => {
                    counts.push(CorrectionCount {
                        need,
                        kept: 0,
                        removed: 0,
                        added: 0,
                    });
                    counts.last_mut().expect("just pushed")
                }
            };
            match correction {
                Correction::Kept => entry.kept += count,
                Correction::Removed => entry.removed += count,
                Correction::Added => entry.added += count,
            }
        }
        Ok(counts)
    }

    fn use_keys(&self, keys: Arc<KeyRing>) {
        if let Ok(mut slot) = self.keys.write() {
            *slot = Some(keys);
        }
    }

    async fn reseal_all(&self) -> Result<u64> {
        let keys = self.keyring()?;
        let mut total = 0;
        for table in [
            "intakes",
            "people",
            "consents",
            "plan_steps",
            "wellbeing_measures",
            "referrals",
            "fund_applications",
            "assets",
            "asset_bookings",
            "group_ideas",
            "volunteer_interests",
        ] {
            total += self.reseal_table(&keys, table, "id", None).await?;
        }
        for table in ["fund_decisions"] {
            total += self
                .reseal_table(&keys, table, "application_id", None)
                .await?;
        }
        for table in ["peer_opt_ins", "strengths_profiles"] {
            total += self.reseal_table(&keys, table, "person_id", None).await?;
        }
        // Columns sealed beside `sealed`, each bound to a context of its own.
        let monitoring = |id: &str, _: Option<&str>| format!("fund_decisions.monitoring:{id}");
        total += self
            .reseal_column(
                &keys,
                "fund_decisions",
                "application_id",
                None,
                "monitoring_sealed",
                &monitoring,
            )
            .await?;
        let reason = |id: &str, _: Option<&str>| format!("volunteer_interests:{id}:reason");
        total += self
            .reseal_column(&keys, "volunteer_interests", "id", None, "reason", &reason)
            .await?;
        total += self
            .reseal_table(&keys, "person_needs", "person_id", Some("need"))
            .await?;
        total += self
            .reseal_table(&keys, "case_events", "person_id", Some("seq"))
            .await?;
        total += self
            .reseal_table(&keys, "referral_events", "referral_id", Some("seq"))
            .await?;
        total += self
            .reseal_table(&keys, "fund_votes", "application_id", Some("member"))
            .await?;
        total += self.reseal_totp_secrets(&keys).await?;
        Ok(total)
    }
}
