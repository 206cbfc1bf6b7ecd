//! [`AccountStore`] for both backends, written once and compiled into each backend module
//! with `#[path]`, as `sql_store.rs` is: the including module supplies `DB`, the id and time
//! column types with their conversions, and how reads and writes begin. The SQL text is the
//! same for both, apart from PostgreSQL's row-locking clauses, which SQLite does without
//! because its writes are serialised by `BEGIN IMMEDIATE`.

// Compiled once per backend on purpose, like `sql_store.rs`.
#![allow(clippy::duplicate_mod)]

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use knit_domain::Service;
use knit_domain::account::{Actor, Email, Membership, OrganizationId, Role, UserId, UserStatus};
use knit_domain::audit::{AuditEvent, ChainHash, ChainHead, NewAuditEvent, Outcome, chain};
use knit_domain::listing_change::{ListingChangeStatus, Review, review};
use knit_domain::public_forms::PublicForm;
use knit_domain::session::{
    ABSOLUTE_TIMEOUT, EmailedLink, IDLE_TIMEOUT, link_usable, session_is_live, token_digest,
    token_from_random,
};
use knit_domain::totp::{TimeStep, TotpSecret};
use sqlx::{AssertSqlSafe, Database, Decode, QueryBuilder, Row, Type};
use uuid::Uuid;

use super::sql_store::{SqlStore, record_changes, write_services};
use super::{
    DB, Key, LOCK_ADDRESS, NAME, Stamp, begin_read, begin_write, key, stamp, time_of, uuid_of,
};
use crate::accounts::{
    AccountStore, AuditFilter, JOB_LEASE, Job, JobFate, JobId, JobState, LinkError, ListingChange,
    ListingChangeError, ListingReview, NewJob, NewLink, NewListingChange, NewProblemNote,
    NewSession, NewUser, NewUserError, OrganizationApproval, ProblemNote, ProblemNoteKind,
    SESSION_TOUCH_INTERVAL, Session, SignInFailures, StartSessionError, StartedSession, TwoFactor,
    User, job_fate,
};
use crate::sealing::KeyRing;
use crate::{Result, StoreError};

pub(super) type DbRow = <DB as Database>::Row;

const POSTGRES: bool = matches!(NAME.as_bytes(), b"postgres");

/// A row-locking clause on PostgreSQL; nothing on SQLite, whose write transactions already
/// hold the whole database.
pub(super) fn locking(clause: &str) -> &str {
    if POSTGRES { clause } else { "" }
}

/// Both backends keep microseconds; SQLite would keep more, and then a time would read back
/// differently on the two.
fn micros(time: DateTime<Utc>) -> DateTime<Utc> {
    time.trunc_subsecs(6)
}

pub(super) fn at(time: DateTime<Utc>) -> Stamp {
    stamp(micros(time))
}

/// Place-wide memberships are keyed by the nil uuid (see the migration).
fn scope(membership: &Membership) -> Key {
    key(membership.organization().map_or(Uuid::nil(), |o| o.0))
}

pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

pub(super) fn is_foreign_key_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_foreign_key_violation())
}

fn step_value(step: TimeStep) -> Result<i64> {
    i64::try_from(step).map_err(|_| StoreError::Conflict("a TOTP step beyond any date".into()))
}

pub(super) fn corrupt(what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(what.to_string())
}

fn link_purpose(link: EmailedLink) -> &'static str {
    match link {
        EmailedLink::PasswordReset => "password_reset",
        EmailedLink::Invitation => "invitation",
    }
}

/// Reads a row's columns left to right.
pub(super) struct Columns<'r> {
    row: &'r DbRow,
    at: usize,
}

impl<'r> Columns<'r> {
    pub(super) fn new(row: &'r DbRow) -> Columns<'r> {
        Columns { row, at: 0 }
    }

    pub(super) fn get<T: Decode<'r, DB> + Type<DB>>(&mut self) -> Result<T> {
        let value = self.row.try_get(self.at)?;
        self.at += 1;
        Ok(value)
    }

    pub(super) fn id(&mut self) -> Result<Uuid> {
        Ok(uuid_of(self.get::<Key>()?))
    }

    pub(super) fn opt_id(&mut self) -> Result<Option<Uuid>> {
        Ok(self.get::<Option<Key>>()?.map(uuid_of))
    }

    pub(super) fn text(&mut self) -> Result<String> {
        self.get()
    }

    pub(super) fn opt_text(&mut self) -> Result<Option<String>> {
        self.get()
    }

    pub(super) fn time(&mut self) -> Result<DateTime<Utc>> {
        time_of(self.get::<Stamp>()?)
    }

    pub(super) fn opt_time(&mut self) -> Result<Option<DateTime<Utc>>> {
        self.get::<Option<Stamp>>()?.map(time_of).transpose()
    }

    pub(super) fn flag(&mut self) -> Result<bool> {
        self.get()
    }

    pub(super) fn int(&mut self) -> Result<i64> {
        self.get()
    }

    pub(super) fn opt_int(&mut self) -> Result<Option<i64>> {
        self.get()
    }

    pub(super) fn count(&mut self) -> Result<u32> {
        u32::try_from(self.int()?).map_err(|_| corrupt("a stored count is out of range"))
    }

    pub(super) fn role(&mut self) -> Result<Role> {
        Role::from_code(&self.text()?).map_err(corrupt)
    }

    pub(super) fn opt_role(&mut self) -> Result<Option<Role>> {
        self.opt_text()?
            .map(|code| Role::from_code(&code).map_err(corrupt))
            .transpose()
    }

    fn service(&mut self) -> Result<Service> {
        parse_service(&self.text()?)
    }

    fn opt_service(&mut self) -> Result<Option<Service>> {
        self.opt_text()?.as_deref().map(parse_service).transpose()
    }
}

fn service_json(service: &Service) -> Result<String> {
    serde_json::to_string(service).map_err(|e| corrupt(format!("a service as JSON: {e}")))
}

fn parse_service(text: &str) -> Result<Service> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("a stored service is not HSDS: {e}")))
}

// --- users ---

const USER_COLUMNS: &str = "u.id, u.name, u.email, u.status, u.password_hash, u.totp_secret, \
                            u.totp_confirmed, u.totp_last_step, u.created_at";

/// A user row, without memberships yet.
/// How a sealed TOTP secret is written in `users.totp_secret`: this prefix, then the sealed
/// bytes in hex. A value without it is a secret stored before sealing (plain base32), read
/// as it is and sealed by the next `knit keys rotate`.
const SEALED_SECRET: &str = "sealed:";

fn totp_context(user: Uuid) -> String {
    format!("users:{user}:totp_secret")
}

pub(super) fn seal_totp(keys: &KeyRing, user: Uuid, secret: &TotpSecret) -> String {
    let sealed = keys.seal(secret.to_base32().as_bytes(), totp_context(user).as_bytes());
    format!("{SEALED_SECRET}{}", hex::encode(sealed))
}

/// Whether a stored secret is sealed under the primary key already, so resealing skips it.
pub(super) fn totp_sealed_under_primary(keys: &KeyRing, stored: &str) -> bool {
    stored
        .strip_prefix(SEALED_SECRET)
        .and_then(|hex_text| hex::decode(hex_text).ok())
        .is_some_and(|sealed| !keys.needs_reseal(&sealed))
}

/// The TOTP secret as stored, opened with the keys when it is sealed.
pub(super) fn open_totp(keys: Option<&KeyRing>, user: Uuid, stored: &str) -> Result<TotpSecret> {
    let base32 = match stored.strip_prefix(SEALED_SECRET) {
        None => stored.to_owned(),
        Some(hex_text) => {
            let keys = keys.ok_or(StoreError::NoKeys)?;
            let sealed = hex::decode(hex_text).map_err(|_| corrupt("a sealed TOTP secret"))?;
            keys.open_string(&sealed, totp_context(user).as_bytes())
                .map_err(|e| corrupt(format!("a TOTP secret: {e}")))?
        }
    };
    TotpSecret::from_base32(&base32).map_err(corrupt)
}

fn user_row(row: &DbRow, keys: Option<&KeyRing>) -> Result<User> {
    let mut c = Columns::new(row);
    let id = UserId(c.id()?);
    let name = c.text()?;
    let email = Email::parse(&c.text()?).map_err(|e| corrupt(format!("a stored email: {e}")))?;
    let status = UserStatus::from_code(&c.text()?).map_err(corrupt)?;
    let password_hash = c.opt_text()?;
    let secret = c.opt_text()?;
    let confirmed = c.flag()?;
    let last_step = c.opt_int()?;
    let created_at = c.time()?;
    let two_factor = match secret {
        None => TwoFactor::Off,
        Some(text) => {
            let secret = open_totp(keys, id.0, &text)?;
            if confirmed {
                TwoFactor::On {
                    secret,
                    last_used_step: last_step.map(|s| s as TimeStep),
                }
            } else {
                TwoFactor::Enrolling(secret)
            }
        }
    };
    Ok(User {
        id,
        name,
        email,
        status,
        password_hash,
        memberships: Vec::new(),
        two_factor,
        created_at,
    })
}

/// Ids per `IN (…)` list: well under either backend's limit on bound values.
const MAX_IN: usize = 5_000;

/// Fills in each user's memberships, a query per few thousand users.
async fn with_memberships(
    conn: &mut <DB as Database>::Connection,
    mut users: Vec<User>,
) -> Result<Vec<User>> {
    let mut held: HashMap<Uuid, Vec<Membership>> = HashMap::new();
    for chunk in users.chunks(MAX_IN) {
        let mut query = QueryBuilder::<DB>::new(
            "SELECT user_id, role, scope, organization_lead FROM memberships WHERE user_id IN (",
        );
        let mut list = query.separated(", ");
        for user in chunk {
            list.push_bind(key(user.id.0));
        }
        query.push(") ORDER BY user_id, role, scope");
        for row in query.build().fetch_all(&mut *conn).await? {
            let mut c = Columns::new(&row);
            let user = c.id()?;
            let role = c.role()?;
            let scope = c.id()?;
            let lead = c.flag()?;
            let organization = (!scope.is_nil()).then_some(OrganizationId(scope));
            let membership = Membership::new(role, organization, lead).map_err(corrupt)?;
            held.entry(user).or_default().push(membership);
        }
    }
    for user in &mut users {
        user.memberships = held.remove(&user.id.0).unwrap_or_default();
    }
    Ok(users)
}

async fn insert_membership(
    conn: &mut <DB as Database>::Connection,
    user: UserId,
    membership: &Membership,
) -> Result<()> {
    let done = sqlx::query(
        "INSERT INTO memberships (user_id, role, scope, organization_lead) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, role, scope) DO UPDATE SET \
         organization_lead = excluded.organization_lead",
    )
    .bind(key(user.0))
    .bind(membership.role().code())
    .bind(scope(membership))
    .bind(membership.is_organization_lead())
    .execute(conn)
    .await;
    match done {
        Err(e) if is_foreign_key_violation(&e) => Err(StoreError::NotFound("user")),
        other => other.map(|_| ()).map_err(StoreError::from),
    }
}

// --- sessions, links, audit, jobs, listing changes, notes: row readers ---

fn session_row(row: &DbRow) -> Result<Session> {
    let mut c = Columns::new(row);
    Ok(Session {
        user: c.opt_id()?.map(UserId),
        created_at: c.time()?,
        last_seen_at: c.time()?,
        two_factor_passed: c.flag()?,
        csrf_secret: c.text()?,
    })
}

const AUDIT_COLUMNS: &str = "seq, at, actor, actor_role, action, object_type, object_id, \
                             address, outcome, prev_hash, hash";

fn audit_row(row: &DbRow) -> Result<AuditEvent> {
    let mut c = Columns::new(row);
    let seq = c.int()?;
    Ok(AuditEvent {
        seq: u64::try_from(seq).map_err(|_| corrupt("a negative audit sequence number"))?,
        at: c.time()?,
        actor: c.opt_id()?.map(UserId),
        actor_role: c.opt_role()?,
        action: c.text()?,
        object_type: c.text()?,
        object_id: c.opt_text()?,
        address: c.opt_text()?,
        outcome: Outcome::from_code(&c.text()?).map_err(corrupt)?,
        prev_hash: ChainHash::from_hex(&c.text()?).map_err(corrupt)?,
        hash: ChainHash::from_hex(&c.text()?).map_err(corrupt)?,
    })
}

fn head_row(row: &DbRow) -> Result<ChainHead> {
    let mut c = Columns::new(row);
    let seq = c.int()?;
    Ok(ChainHead {
        seq: u64::try_from(seq).map_err(|_| corrupt("a negative audit head"))?,
        hash: ChainHash::from_hex(&c.text()?).map_err(corrupt)?,
    })
}

const JOB_COLUMNS: &str = "id, kind, payload, state, run_at, attempts, max_attempts, last_error";

fn job_row(row: &DbRow) -> Result<Job> {
    let mut c = Columns::new(row);
    Ok(Job {
        id: JobId(c.id()?),
        kind: c.text()?,
        payload: serde_json::from_str(&c.text()?)
            .map_err(|e| corrupt(format!("a job's payload is not JSON: {e}")))?,
        state: {
            let code = c.text()?;
            JobState::from_code(&code).ok_or_else(|| corrupt("an unknown job state"))?
        },
        run_at: c.time()?,
        attempts: c.count()?,
        max_attempts: c.count()?,
        last_error: c.opt_text()?,
    })
}

const LISTING_CHANGE_COLUMNS: &str = "id, organization_id, service_id, proposed, proposed_by, \
     proposed_at, status, reason, decided_by, decided_as, decided_at, approved";

fn listing_change_row(row: &DbRow) -> Result<ListingChange> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let organization = OrganizationId(c.id()?);
    let service_id = c.id()?;
    let proposed = c.service()?;
    let proposed_by = UserId(c.id()?);
    let proposed_at = c.time()?;
    let status = c.text()?;
    let reason = c.opt_text()?;
    let status = match (status.as_str(), reason) {
        ("pending", _) => ListingChangeStatus::Pending,
        ("approved", _) => ListingChangeStatus::Approved,
        ("approved_with_edits", _) => ListingChangeStatus::ApprovedWithEdits,
        ("rejected", Some(reason)) => ListingChangeStatus::Rejected { reason },
        _ => return Err(corrupt("an unknown listing change status")),
    };
    Ok(ListingChange {
        id,
        organization,
        service_id,
        proposed,
        proposed_by,
        proposed_at,
        status,
        decided_by: c.opt_id()?.map(UserId),
        decided_as: c.opt_role()?,
        decided_at: c.opt_time()?,
        approved: c.opt_service()?,
    })
}

fn problem_note_row(row: &DbRow) -> Result<ProblemNote> {
    let mut c = Columns::new(row);
    Ok(ProblemNote {
        id: c.id()?,
        report_id: c.id()?,
        author: UserId(c.id()?),
        author_role: c.role()?,
        kind: {
            let code = c.text()?;
            ProblemNoteKind::from_code(&code).ok_or_else(|| corrupt("an unknown note kind"))?
        },
        body: c.text()?,
        at: c.time()?,
    })
}

fn approval_row(row: &DbRow) -> Result<OrganizationApproval> {
    let mut c = Columns::new(row);
    Ok(OrganizationApproval {
        organization: OrganizationId(c.id()?),
        approved_at: c.time()?,
        approved_by: UserId(c.id()?),
    })
}

fn status_of(change: &ListingChangeStatus) -> (&'static str, Option<&str>) {
    match change {
        ListingChangeStatus::Rejected { reason } => (change.code(), Some(reason.as_str())),
        other => (other.code(), None),
    }
}

/// Uses an emailed link inside the caller's write transaction: checks it with
/// `knit_domain::session::link_usable`, refuses a suspended user's, and marks it used with
/// every other unused link of the same kind for the same user.
/// Checks a link can be used now and whose it is, locking that user's row so uses of
/// their links queue; uses nothing.
async fn check_link(
    conn: &mut <DB as Database>::Connection,
    token: &str,
    purpose: EmailedLink,
    now: DateTime<Utc>,
) -> Result<UserId, LinkError> {
    let digest = token_digest(token);
    let owner: Option<Key> = sqlx::query_scalar(
        "SELECT user_id FROM emailed_links WHERE token_hash = $1 AND purpose = $2",
    )
    .bind(digest.as_str())
    .bind(link_purpose(purpose))
    .fetch_optional(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    let Some(owner) = owner else {
        return Err(LinkError::Unknown);
    };
    let user = UserId(uuid_of(owner));
    // Locking the user's row queues every use of that user's links, so of two clicks at once
    // the second reads the link as the first left it.
    let status: String = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT status FROM users WHERE id = $1{}",
        locking(" FOR UPDATE")
    )))
    .bind(key(user.0))
    .fetch_one(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    let (issued, used): (Stamp, Option<Stamp>) =
        sqlx::query_as("SELECT created_at, used_at FROM emailed_links WHERE token_hash = $1")
            .bind(digest.as_str())
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::from)?;
    link_usable(
        purpose,
        time_of(issued)?,
        used.map(time_of).transpose()?,
        now,
    )?;
    if status == UserStatus::Suspended.code() {
        return Err(LinkError::Suspended);
    }
    Ok(user)
}

/// Checks a link and uses it, with every other unused link of its kind for that user.
async fn use_link(
    conn: &mut <DB as Database>::Connection,
    token: &str,
    purpose: EmailedLink,
    now: DateTime<Utc>,
) -> Result<UserId, LinkError> {
    let user = check_link(&mut *conn, token, purpose, now).await?;
    // Only the newest email should work, and once one has, none should.
    sqlx::query(
        "UPDATE emailed_links SET used_at = $3 \
         WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
    )
    .bind(key(user.0))
    .bind(link_purpose(purpose))
    .bind(at(now))
    .execute(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    Ok(user)
}

/// A page of the audit log from one sequence number, forwards (`>`, ascending) or
/// backwards (`<`, `DESC`), with the filter's conditions.
async fn audit_page(
    reader: &sqlx::Pool<DB>,
    comparison: &str,
    from: u64,
    order: &str,
    limit: u32,
    filter: &AuditFilter,
) -> Result<Vec<AuditEvent>> {
    let mut query = QueryBuilder::<DB>::new(format!(
        "SELECT {AUDIT_COLUMNS} FROM audit_events WHERE seq {comparison} "
    ));
    query.push_bind(i64::try_from(from).unwrap_or(i64::MAX));
    if let Some(actor) = filter.actor {
        query.push(" AND actor = ").push_bind(key(actor.0));
    }
    if let Some(action) = &filter.action {
        query.push(" AND action = ").push_bind(action.clone());
    }
    if let Some(object_type) = &filter.object_type {
        query
            .push(" AND object_type = ")
            .push_bind(object_type.clone());
    }
    if let Some(object_id) = &filter.object_id {
        query.push(" AND object_id = ").push_bind(object_id.clone());
    }
    query
        .push(format!(" ORDER BY seq{order} LIMIT "))
        .push_bind(i64::from(limit));
    query
        .build()
        .fetch_all(reader)
        .await?
        .iter()
        .map(audit_row)
        .collect()
}

/// `('a', 'b')`: the codes of the values a domain rule picks, for SQL's `IN`, so a status
/// list in a query is the rule itself and not a copy of it.
pub(super) fn codes_in<T: Copy>(
    all: &[T],
    which: impl Fn(T) -> bool,
    code: impl Fn(T) -> &'static str,
) -> String {
    let codes: Vec<String> = all
        .iter()
        .copied()
        .filter(|v| which(*v))
        .map(|v| format!("'{}'", code(v)))
        .collect();
    format!("({})", codes.join(", "))
}

/// Appends an audit event inside `tx`, so a change and the record of it commit together.
pub(super) async fn append_audit_in(
    tx: &mut sqlx::Transaction<'static, DB>,
    new: NewAuditEvent,
) -> Result<AuditEvent> {
    // Updating the head row first takes its lock on PostgreSQL (SQLite's write is
    // already exclusive): a concurrent append waits here, then reads the head this one
    // leaves behind.
    let head = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let head = head_row(&head)?;
    let event = chain(&head, new);
    let seq = i64::try_from(event.seq).map_err(|_| corrupt("the audit log is full"))?;
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO audit_events ({AUDIT_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )))
    .bind(seq)
    .bind(stamp(event.at))
    .bind(event.actor.map(|u| key(u.0)))
    .bind(event.actor_role.map(Role::code))
    .bind(event.action.as_str())
    .bind(event.object_type.as_str())
    .bind(event.object_id.as_deref())
    .bind(event.address.as_deref())
    .bind(event.outcome.code())
    .bind(event.prev_hash.to_hex())
    .bind(event.hash.to_hex())
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(seq)
        .bind(event.hash.to_hex())
        .execute(&mut **tx)
        .await?;
    Ok(event)
}

#[async_trait]
impl AccountStore for SqlStore {
    // --- users ---

    async fn create_user(&self, new: NewUser) -> Result<User, NewUserError> {
        let id = UserId(Uuid::new_v4());
        let created_at = micros(new.at);
        let mut tx = begin_write(&self.writer).await?;
        let inserted = sqlx::query(
            "INSERT INTO users (id, name, email, email_lower, status, password_hash, \
             totp_confirmed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(key(id.0))
        .bind(new.name.as_str())
        .bind(new.email.as_str())
        .bind(new.email.as_str().to_lowercase())
        .bind(new.status.code())
        .bind(new.password_hash.as_deref())
        .bind(false)
        .bind(stamp(created_at))
        .execute(&mut *tx)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(NewUserError::EmailTaken),
            other => other.map_err(StoreError::from)?,
        };
        let mut memberships: Vec<Membership> = Vec::new();
        for membership in &new.memberships {
            insert_membership(&mut tx, id, membership).await?;
            // Read back as stored: one per role and organisation, the last flag winning.
            match memberships.iter_mut().find(|m| {
                m.role() == membership.role() && m.organization() == membership.organization()
            }) {
                Some(held) => *held = *membership,
                None => memberships.push(*membership),
            }
        }
        tx.commit().await.map_err(StoreError::from)?;
        tracing::debug!(user = %id, "user created");
        let mut user = User {
            id,
            name: new.name,
            email: new.email,
            status: new.status,
            password_hash: new.password_hash,
            memberships,
            two_factor: TwoFactor::Off,
            created_at,
        };
        user.memberships
            .sort_by_key(|m| (m.role().code(), m.organization().map(|o| o.0)));
        Ok(user)
    }

    async fn user(&self, id: UserId) -> Result<Option<User>> {
        let keys = self.keyring().ok();
        let mut tx = begin_read(&self.reader).await?;
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
        )))
        .bind(key(id.0))
        .fetch_optional(&mut *tx)
        .await?;
        let users = found
            .iter()
            .map(|row| user_row(row, keys.as_deref()))
            .collect::<Result<Vec<_>>>()?;
        let users = with_memberships(&mut tx, users).await?;
        tx.commit().await?;
        Ok(users.into_iter().next())
    }

    async fn user_by_email(&self, email: &Email) -> Result<Option<User>> {
        let keys = self.keyring().ok();
        let mut tx = begin_read(&self.reader).await?;
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.email_lower = $1"
        )))
        .bind(email.as_str().to_lowercase())
        .fetch_optional(&mut *tx)
        .await?;
        let users = found
            .iter()
            .map(|row| user_row(row, keys.as_deref()))
            .collect::<Result<Vec<_>>>()?;
        let users = with_memberships(&mut tx, users).await?;
        tx.commit().await?;
        Ok(users.into_iter().next())
    }

    async fn users(&self, offset: u64, limit: u32) -> Result<Vec<User>> {
        let keys = self.keyring().ok();
        let mut tx = begin_read(&self.reader).await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.email_lower LIMIT $1 OFFSET $2"
        )))
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&mut *tx)
        .await?;
        let users = rows
            .iter()
            .map(|row| user_row(row, keys.as_deref()))
            .collect::<Result<Vec<_>>>()?;
        let users = with_memberships(&mut tx, users).await?;
        tx.commit().await?;
        Ok(users)
    }

    async fn count_users(&self) -> Result<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&self.reader)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn organization_members(&self, organization: OrganizationId) -> Result<Vec<User>> {
        let keys = self.keyring().ok();
        let mut tx = begin_read(&self.reader).await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {USER_COLUMNS} FROM users u JOIN memberships m ON m.user_id = u.id \
             WHERE m.scope = $1 AND m.role = $2 ORDER BY u.email_lower"
        )))
        .bind(key(organization.0))
        .bind(Role::PartnerStaff.code())
        .fetch_all(&mut *tx)
        .await?;
        let users = rows
            .iter()
            .map(|row| user_row(row, keys.as_deref()))
            .collect::<Result<Vec<_>>>()?;
        let users = with_memberships(&mut tx, users).await?;
        tx.commit().await?;
        Ok(users)
    }

    async fn set_password_hash(&self, user: UserId, password_hash: &str) -> Result<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
            .bind(key(user.0))
            .bind(password_hash)
            .execute(&self.writer)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }

    async fn set_user_status(&self, user: UserId, status: UserStatus) -> Result<u64> {
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query("UPDATE users SET status = $2 WHERE id = $1")
            .bind(key(user.0))
            .bind(status.code())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        let ended = if status == UserStatus::Active {
            0
        } else {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(key(user.0))
                .execute(&mut *tx)
                .await?
                .rows_affected()
        };
        tx.commit().await?;
        tracing::info!(user = %user, status = status.code(), sessions_ended = ended, "user status set");
        Ok(ended)
    }

    async fn add_membership(&self, user: UserId, membership: Membership) -> Result<()> {
        let mut tx = begin_write(&self.writer).await?;
        insert_membership(&mut tx, user, &membership).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn remove_membership(&self, user: UserId, membership: Membership) -> Result<bool> {
        let done =
            sqlx::query("DELETE FROM memberships WHERE user_id = $1 AND role = $2 AND scope = $3")
                .bind(key(user.0))
                .bind(membership.role().code())
                .bind(scope(&membership))
                .execute(&self.writer)
                .await?;
        Ok(done.rows_affected() > 0)
    }

    // --- two-factor ---

    async fn set_totp_secret(&self, user: UserId, secret: &TotpSecret) -> Result<()> {
        // Whoever holds the secret can make the codes: it is sealed like casework notes.
        let keys = self.keyring()?;
        let sealed = seal_totp(&keys, user.0, secret);
        let done = sqlx::query(
            "UPDATE users SET totp_secret = $2, totp_confirmed = $3, totp_last_step = NULL \
             WHERE id = $1",
        )
        .bind(key(user.0))
        .bind(sealed)
        .bind(false)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }

    async fn confirm_totp(&self, user: UserId, step: TimeStep) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE users SET totp_confirmed = $2, totp_last_step = $3 \
             WHERE id = $1 AND totp_secret IS NOT NULL AND totp_confirmed = $4",
        )
        .bind(key(user.0))
        .bind(true)
        .bind(step_value(step)?)
        .bind(false)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn record_totp_step(&self, user: UserId, step: TimeStep) -> Result<bool> {
        // One statement: of two requests with the same code at once, one updates the row and
        // the other finds the step already taken.
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_confirmed = $3 \
             AND (totp_last_step IS NULL OR totp_last_step < $2)",
        )
        .bind(key(user.0))
        .bind(step_value(step)?)
        .bind(true)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn clear_two_factor(&self, user: UserId) -> Result<()> {
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "UPDATE users SET totp_secret = NULL, totp_confirmed = $2, totp_last_step = NULL \
             WHERE id = $1",
        )
        .bind(key(user.0))
        .bind(false)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(key(user.0))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_recovery_codes(&self, user: UserId, hashes: &[String]) -> Result<()> {
        let mut tx = begin_write(&self.writer).await?;
        let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM users WHERE id = $1")
            .bind(key(user.0))
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound("user"));
        }
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(key(user.0))
            .execute(&mut *tx)
            .await?;
        for hash in hashes {
            sqlx::query(
                "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2) \
                 ON CONFLICT (user_id, code_hash) DO NOTHING",
            )
            .bind(key(user.0))
            .bind(hash.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn unused_recovery_codes(&self, user: UserId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL \
             ORDER BY code_hash",
        )
        .bind(key(user.0))
        .fetch_all(&self.reader)
        .await?)
    }

    async fn use_recovery_code(
        &self,
        user: UserId,
        hash: &str,
        when: DateTime<Utc>,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
        )
        .bind(key(user.0))
        .bind(hash)
        .bind(at(when))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    // --- organisations ---

    async fn approve_organization(
        &self,
        organization: OrganizationId,
        by: UserId,
        when: DateTime<Utc>,
    ) -> Result<OrganizationApproval> {
        let done = sqlx::query(
            "INSERT INTO organization_approvals (organization_id, approved_at, approved_by) \
             VALUES ($1, $2, $3) ON CONFLICT (organization_id) DO UPDATE SET \
             approved_at = excluded.approved_at, approved_by = excluded.approved_by",
        )
        .bind(key(organization.0))
        .bind(at(when))
        .bind(key(by.0))
        .execute(&self.writer)
        .await;
        match done {
            Err(e) if is_foreign_key_violation(&e) => return Err(StoreError::NotFound("user")),
            other => other?,
        };
        Ok(OrganizationApproval {
            organization,
            approved_at: micros(when),
            approved_by: by,
        })
    }

    async fn organization_approval(
        &self,
        organization: OrganizationId,
    ) -> Result<Option<OrganizationApproval>> {
        sqlx::query(
            "SELECT organization_id, approved_at, approved_by FROM organization_approvals \
             WHERE organization_id = $1",
        )
        .bind(key(organization.0))
        .fetch_optional(&self.reader)
        .await?
        .as_ref()
        .map(approval_row)
        .transpose()
    }

    async fn withdraw_organization_approval(&self, organization: OrganizationId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM organization_approvals WHERE organization_id = $1")
            .bind(key(organization.0))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    // --- sessions ---

    async fn start_session(
        &self,
        new: NewSession<'_>,
    ) -> Result<StartedSession, StartSessionError> {
        let started = StartedSession {
            token: token_from_random(new.random.token),
            csrf_secret: token_from_random(new.random.csrf),
        };
        let mut tx = begin_write(&self.writer).await?;
        if let Some(old) = new.replaces {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_digest(old))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        }
        if let Some(user) = new.user {
            // FOR SHARE waits for a suspension under way to commit, and a suspension waits
            // for this: either way the suspension's DELETE sees this session or this sees
            // the suspension.
            let status: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT status FROM users WHERE id = $1{}",
                locking(" FOR SHARE")
            )))
            .bind(key(user.0))
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::from)?;
            match status.as_deref() {
                None => return Err(StartSessionError::UnknownUser),
                Some(code) if code != UserStatus::Active.code() => {
                    return Err(StartSessionError::NotActive);
                }
                Some(_) => {}
            }
        }
        let when = at(new.at);
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, \
             two_factor_passed, csrf_secret) VALUES ($1, $2, $3, $3, $4, $5)",
        )
        .bind(token_digest(&started.token))
        .bind(new.user.map(|u| key(u.0)))
        .bind(when)
        .bind(new.two_factor_passed)
        .bind(started.csrf_secret.as_str())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(started)
    }

    async fn session(&self, token: &str, now: DateTime<Utc>) -> Result<Option<Session>> {
        let found = sqlx::query(
            "SELECT user_id, created_at, last_seen_at, two_factor_passed, csrf_secret \
             FROM sessions WHERE token_hash = $1",
        )
        .bind(token_digest(token))
        .fetch_optional(&self.reader)
        .await?;
        let Some(row) = found else { return Ok(None) };
        let session = session_row(&row)?;
        Ok(session_is_live(session.created_at, session.last_seen_at, now).then_some(session))
    }

    async fn touch_session(&self, token: &str, now: DateTime<Utc>) -> Result<bool> {
        let digest = token_digest(token);
        let found: Option<(Stamp, Stamp)> =
            sqlx::query_as("SELECT created_at, last_seen_at FROM sessions WHERE token_hash = $1")
                .bind(digest.as_str())
                .fetch_optional(&self.reader)
                .await?;
        let Some((created_at, last_seen_at)) = found else {
            return Ok(false);
        };
        let (created_at, last_seen_at) = (time_of(created_at)?, time_of(last_seen_at)?);
        if !session_is_live(created_at, last_seen_at, now) {
            return Ok(false);
        }
        if now - last_seen_at < SESSION_TOUCH_INTERVAL {
            return Ok(true);
        }
        // The cutoffs repeat the check above inside the write, from the domain's timeouts,
        // so a session that expired or ended meanwhile is not brought back.
        let done = sqlx::query(
            "UPDATE sessions SET last_seen_at = $2 \
             WHERE token_hash = $1 AND last_seen_at > $3 AND last_seen_at < $2 \
             AND created_at > $4",
        )
        .bind(digest.as_str())
        .bind(at(now))
        .bind(stamp(now - IDLE_TIMEOUT))
        .bind(stamp(now - ABSOLUTE_TIMEOUT))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn pass_two_factor(&self, token: &str) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET two_factor_passed = $2 \
             WHERE token_hash = $1 AND user_id IS NOT NULL",
        )
        .bind(token_digest(token))
        .bind(true)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn end_session(&self, token: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_digest(token))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn end_user_sessions(&self, user: UserId) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(key(user.0))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    async fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at <= $1 OR created_at <= $2")
            .bind(stamp(now - IDLE_TIMEOUT))
            .bind(stamp(now - ABSOLUTE_TIMEOUT))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    // --- sign-in throttling ---

    async fn record_sign_in_failure(
        &self,
        account: &str,
        address: &str,
        when: DateTime<Utc>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sign_in_failures (id, account, address, at) VALUES ($1, $2, $3, $4)",
        )
        .bind(key(Uuid::new_v4()))
        .bind(account.trim().to_lowercase())
        .bind(address)
        .bind(at(when))
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn sign_in_failures(
        &self,
        account: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<SignInFailures> {
        let mut tx = begin_read(&self.reader).await?;
        let times = |rows: Vec<Stamp>| rows.into_iter().map(time_of).collect::<Result<_>>();
        let rows: Vec<(Stamp, String)> = sqlx::query_as(
            "SELECT at, address FROM sign_in_failures WHERE account = $1 AND at >= $2 ORDER BY at",
        )
        .bind(account.trim().to_lowercase())
        .bind(stamp(since))
        .fetch_all(&mut *tx)
        .await?;
        let address_flags: Vec<bool> = rows.iter().map(|(_, from)| from == address).collect();
        let account_rows: Vec<Stamp> = rows.into_iter().map(|(at, _)| at).collect();
        let address_rows: Vec<Stamp> = sqlx::query_scalar(
            "SELECT at FROM sign_in_failures WHERE address = $1 AND at >= $2 ORDER BY at",
        )
        .bind(address)
        .bind(stamp(since))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let address_rows: Vec<DateTime<Utc>> = times(address_rows)?;
        let account_rows: Vec<DateTime<Utc>> = times(account_rows)?;
        let account_here = account_rows
            .iter()
            .zip(&address_flags)
            .filter(|(_, here)| **here)
            .map(|(at, _)| *at)
            .collect();
        Ok(SignInFailures {
            account: account_rows,
            account_here,
            address: address_rows,
        })
    }

    async fn clear_sign_in_failures(&self, account: &str, from: Option<&str>) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM sign_in_failures WHERE account = $1 AND ($2 IS NULL OR address = $2)",
        )
        .bind(account.trim().to_lowercase())
        .bind(from)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    async fn purge_sign_in_failures(&self, before: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(stamp(before))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    // --- emailed links ---

    async fn create_link(&self, link: NewLink) -> Result<String> {
        let token = token_from_random(link.random);
        let issued = micros(link.at);
        let done = sqlx::query(
            "INSERT INTO emailed_links (token_hash, purpose, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_digest(&token))
        .bind(link_purpose(link.purpose))
        .bind(key(link.user.0))
        .bind(stamp(issued))
        .bind(stamp(issued + link.purpose.lifetime()))
        .execute(&self.writer)
        .await;
        match done {
            Err(e) if is_foreign_key_violation(&e) => return Err(StoreError::NotFound("user")),
            other => other?,
        };
        Ok(token)
    }

    async fn consume_link(
        &self,
        token: &str,
        purpose: EmailedLink,
        now: DateTime<Utc>,
    ) -> Result<UserId, LinkError> {
        let mut tx = begin_write(&self.writer).await?;
        let user = use_link(&mut tx, token, purpose, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(user)
    }

    async fn peek_link(
        &self,
        token: &str,
        purpose: EmailedLink,
        now: DateTime<Utc>,
    ) -> Result<UserId, LinkError> {
        let mut tx = begin_write(&self.writer).await?;
        let user = check_link(&mut tx, token, purpose, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(user)
    }

    async fn set_password_with_link(
        &self,
        token: &str,
        purpose: EmailedLink,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<UserId, LinkError> {
        let mut tx = begin_write(&self.writer).await?;
        let user = use_link(&mut tx, token, purpose, now).await?;
        sqlx::query("UPDATE users SET password_hash = $2, status = $3 WHERE id = $1")
            .bind(key(user.0))
            .bind(password_hash)
            .bind(UserStatus::Active.code())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(key(user.0))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        tx.commit().await.map_err(StoreError::from)?;
        tracing::info!(user = %user, "password set through an emailed link");
        Ok(user)
    }

    async fn purge_spent_links(&self, now: DateTime<Utc>) -> Result<u64> {
        let done =
            sqlx::query("DELETE FROM emailed_links WHERE used_at IS NOT NULL OR expires_at <= $1")
                .bind(stamp(now))
                .execute(&self.writer)
                .await?;
        Ok(done.rows_affected())
    }

    // --- the audit log ---

    async fn append_audit(&self, new: NewAuditEvent) -> Result<AuditEvent> {
        let mut tx = begin_write(&self.writer).await?;
        let event = append_audit_in(&mut tx, new).await?;
        tx.commit().await?;
        Ok(event)
    }

    async fn audit_events(
        &self,
        after: u64,
        limit: u32,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEvent>> {
        audit_page(&self.reader, ">", after, "", limit, filter).await
    }

    async fn audit_events_before(
        &self,
        before: u64,
        limit: u32,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEvent>> {
        audit_page(&self.reader, "<", before, " DESC", limit, filter).await
    }

    async fn audit_head(&self) -> Result<ChainHead> {
        let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.reader)
            .await?;
        head_row(&row)
    }

    async fn admit_public_send(
        &self,
        form: PublicForm,
        address: &str,
        since: DateTime<Utc>,
        at: DateTime<Utc>,
        allowed: fn(u64) -> bool,
    ) -> Result<bool> {
        let mut tx = begin_write(&self.writer).await?;
        if let Some(lock) = LOCK_ADDRESS {
            sqlx::query(lock).bind(address).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM public_sends WHERE at < $1")
            .bind(stamp(since))
            .execute(&mut *tx)
            .await?;
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM public_sends WHERE address = $1 AND form = $2",
        )
        .bind(address)
        .bind(form.code())
        .fetch_one(&mut *tx)
        .await?;
        if !allowed(u64::try_from(recent).unwrap_or(u64::MAX)) {
            tx.commit().await?;
            return Ok(false);
        }
        sqlx::query("INSERT INTO public_sends (id, form, address, at) VALUES ($1, $2, $3, $4)")
            .bind(key(Uuid::new_v4()))
            .bind(form.code())
            .bind(address)
            .bind(stamp(at))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn recent_public_sends(
        &self,
        form: PublicForm,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<u64> {
        let recent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM public_sends WHERE address = $1 AND form = $2 AND at >= $3",
        )
        .bind(address)
        .bind(form.code())
        .bind(stamp(since))
        .fetch_one(&self.reader)
        .await?;
        Ok(u64::try_from(recent).unwrap_or(0))
    }

    // --- jobs ---

    async fn enqueue_job(&self, job: NewJob) -> Result<JobId> {
        let id = JobId(Uuid::new_v4());
        let payload = serde_json::to_string(&job.payload)
            .map_err(|e| corrupt(format!("a job's payload as JSON: {e}")))?;
        sqlx::query(
            "INSERT INTO jobs (id, kind, payload, state, run_at, attempts, max_attempts, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(key(id.0))
        .bind(job.kind.as_str())
        .bind(payload)
        .bind(JobState::Queued.code())
        .bind(at(job.run_at))
        .bind(0_i64)
        .bind(i64::from(job.max_attempts.max(1)))
        .bind(at(Utc::now()))
        .execute(&self.writer)
        .await?;
        Ok(id)
    }

    async fn claim_next_job(&self, now: DateTime<Utc>) -> Result<Option<Job>> {
        let mut tx = begin_write(&self.writer).await?;
        // SKIP LOCKED: workers on PostgreSQL pass over a job another is claiming instead of
        // queueing behind it; on SQLite, BEGIN IMMEDIATE lets one claim at a time.
        let claimed = sqlx::query(AssertSqlSafe(format!(
            "UPDATE jobs SET state = $3, attempts = attempts + 1, locked_at = $1 \
             WHERE id = (SELECT id FROM jobs \
                 WHERE (state = $4 AND run_at <= $1) \
                    OR (state = $3 AND locked_at <= $2 AND attempts < max_attempts) \
                 ORDER BY run_at, id LIMIT 1{}) \
             RETURNING {JOB_COLUMNS}",
            locking(" FOR UPDATE SKIP LOCKED")
        )))
        .bind(at(now))
        .bind(at(now - JOB_LEASE))
        .bind(JobState::Running.code())
        .bind(JobState::Queued.code())
        .fetch_optional(&mut *tx)
        .await?;
        tx.commit().await?;
        claimed.as_ref().map(job_row).transpose()
    }

    async fn complete_job(&self, id: JobId, now: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET state = $2, locked_at = NULL, finished_at = $4, payload = $5 \
             WHERE id = $1 AND state = $3",
        )
        .bind(key(id.0))
        .bind(JobState::Done.code())
        .bind(JobState::Running.code())
        .bind(at(now))
        .bind("null")
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn fail_job(&self, id: JobId, error: &str, now: DateTime<Utc>) -> Result<JobFate> {
        let mut tx = begin_write(&self.writer).await?;
        let found: Option<(i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT attempts, max_attempts FROM jobs WHERE id = $1 AND state = $2{}",
            locking(" FOR UPDATE")
        )))
        .bind(key(id.0))
        .bind(JobState::Running.code())
        .fetch_optional(&mut *tx)
        .await?;
        let Some((attempts, max_attempts)) = found else {
            return Err(StoreError::NotFound("running job"));
        };
        let as_count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        let fate = job_fate(as_count(attempts), as_count(max_attempts), micros(now));
        let (state, run_at) = match fate {
            JobFate::RetryAt(when) => (JobState::Queued, Some(when)),
            JobFate::Dead => (JobState::Dead, None),
        };
        sqlx::query(
            "UPDATE jobs SET state = $2, run_at = COALESCE($3, run_at), last_error = $4, \
             locked_at = NULL, finished_at = $5 WHERE id = $1",
        )
        .bind(key(id.0))
        .bind(state.code())
        .bind(run_at.map(at))
        .bind(error)
        .bind((fate == JobFate::Dead).then(|| at(now)))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(fate)
    }

    async fn job(&self, id: JobId) -> Result<Option<Job>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1"
        )))
        .bind(key(id.0))
        .fetch_optional(&self.reader)
        .await?
        .as_ref()
        .map(job_row)
        .transpose()
    }

    async fn purge_finished_jobs(&self, before: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM jobs WHERE finished_at < $1")
            .bind(stamp(before))
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    // --- listing changes ---

    async fn propose_listing_change(
        &self,
        change: NewListingChange,
    ) -> Result<ListingChange, ListingChangeError> {
        if change.proposed.organization_id != change.organization.0 {
            return Err(ListingChangeError::WrongOrganization);
        }
        let stored = ListingChange {
            id: Uuid::new_v4(),
            organization: change.organization,
            service_id: change.proposed.id,
            proposed_by: change.proposed_by,
            proposed_at: micros(change.at),
            status: ListingChangeStatus::Pending,
            decided_by: None,
            decided_as: None,
            decided_at: None,
            approved: None,
            proposed: change.proposed,
        };
        let done = sqlx::query(
            "INSERT INTO listing_changes (id, organization_id, service_id, proposed, \
             proposed_by, proposed_at, status) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key(stored.id))
        .bind(key(stored.organization.0))
        .bind(key(stored.service_id))
        .bind(service_json(&stored.proposed)?)
        .bind(key(stored.proposed_by.0))
        .bind(stamp(stored.proposed_at))
        .bind(stored.status.code())
        .execute(&self.writer)
        .await;
        match done {
            Err(e) if is_foreign_key_violation(&e) => {
                return Err(StoreError::NotFound("user").into());
            }
            other => other.map_err(StoreError::from)?,
        };
        // Read back through JSON, so the caller holds what a later read will give.
        Ok(ListingChange {
            proposed: parse_service(&service_json(&stored.proposed)?)?,
            ..stored
        })
    }

    async fn listing_change(&self, id: Uuid) -> Result<Option<ListingChange>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {LISTING_CHANGE_COLUMNS} FROM listing_changes WHERE id = $1"
        )))
        .bind(key(id))
        .fetch_optional(&self.reader)
        .await?
        .as_ref()
        .map(listing_change_row)
        .transpose()
    }

    async fn pending_listing_changes(
        &self,
        organization: Option<OrganizationId>,
    ) -> Result<Vec<ListingChange>> {
        let mut query = QueryBuilder::<DB>::new(format!(
            "SELECT {LISTING_CHANGE_COLUMNS} FROM listing_changes WHERE status = "
        ));
        query.push_bind(ListingChangeStatus::Pending.code());
        if let Some(organization) = organization {
            query
                .push(" AND organization_id = ")
                .push_bind(key(organization.0));
        }
        query.push(" ORDER BY proposed_at, id");
        query
            .build()
            .fetch_all(&self.reader)
            .await?
            .iter()
            .map(listing_change_row)
            .collect()
    }

    async fn listing_changes_of(
        &self,
        organization: OrganizationId,
        limit: u32,
    ) -> Result<Vec<ListingChange>> {
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {LISTING_CHANGE_COLUMNS} FROM listing_changes WHERE organization_id = $1 \
             ORDER BY proposed_at DESC, id LIMIT $2"
        )))
        .bind(key(organization.0))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(listing_change_row)
        .collect()
    }

    async fn review_listing_change(
        &self,
        id: Uuid,
        reviewer: &Actor,
        decision: ListingReview,
        when: DateTime<Utc>,
    ) -> Result<ListingChange, ListingChangeError> {
        let mut tx = begin_write(&self.writer).await?;
        let found = sqlx::query(AssertSqlSafe(format!(
            "SELECT {LISTING_CHANGE_COLUMNS} FROM listing_changes WHERE id = $1{}",
            locking(" FOR UPDATE")
        )))
        .bind(key(id))
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        let Some(row) = found else {
            return Err(ListingChangeError::NotFound);
        };
        let change = listing_change_row(&row)?;
        let (asked, approved) = match decision {
            ListingReview::Approve => (Review::Approve, Some(change.proposed.clone())),
            ListingReview::ApproveWithEdits(edited) => {
                if edited.id != change.service_id {
                    return Err(ListingChangeError::EditedAnotherListing);
                }
                if edited.organization_id != change.organization.0 {
                    return Err(ListingChangeError::WrongOrganization);
                }
                (Review::ApproveWithEdits, Some(*edited))
            }
            ListingReview::Reject { reason } => (Review::Reject { reason }, None),
        };
        let decided_at = micros(when);
        // Approval is the check: the listing was confirmed right on the day it was approved.
        let approved = approved.map(|mut service| {
            service.assured_date = Some(decided_at.date_naive());
            service.last_modified = Some(decided_at);
            service
        });
        let (status, role) = review(&change.status, reviewer, asked)?;
        let decided_by = reviewer.user_id();
        let (code, reason) = status_of(&status);
        sqlx::query(
            "UPDATE listing_changes SET status = $2, reason = $3, decided_by = $4, \
             decided_as = $5, decided_at = $6, approved = $7 WHERE id = $1 AND status = $8",
        )
        .bind(key(id))
        .bind(code)
        .bind(reason)
        .bind(decided_by.map(|u| key(u.0)))
        .bind(role.code())
        .bind(stamp(decided_at))
        .bind(approved.as_ref().map(service_json).transpose()?)
        .bind(ListingChangeStatus::Pending.code())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        // The directory changes in the same transaction as the decision: an approval is
        // never recorded without the listing it approved, nor the listing without it.
        if let Some(service) = &approved {
            write_services(&mut tx, &[service]).await?;
            record_changes(&mut tx, &[service.id]).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        tracing::info!(change = %id, status = code, "listing change decided");
        Ok(ListingChange {
            status,
            decided_by,
            decided_as: Some(role),
            decided_at: Some(decided_at),
            approved: approved
                .map(|s| parse_service(&service_json(&s)?))
                .transpose()?,
            ..change
        })
    }

    // --- problem reports ---

    async fn add_problem_note(&self, new: NewProblemNote) -> Result<ProblemNote> {
        let note = ProblemNote {
            id: Uuid::new_v4(),
            report_id: new.report_id,
            author: new.author,
            author_role: new.author_role,
            kind: new.kind,
            body: new.body,
            at: micros(new.at),
        };
        let mut tx = begin_write(&self.writer).await?;
        let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM problem_reports WHERE id = $1")
            .bind(key(note.report_id))
            .fetch_optional(&mut *tx)
            .await?;
        if known.is_none() {
            return Err(StoreError::NotFound("problem report"));
        }
        let done = sqlx::query(
            "INSERT INTO problem_notes (id, report_id, author, author_role, kind, body, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(key(note.id))
        .bind(key(note.report_id))
        .bind(key(note.author.0))
        .bind(note.author_role.code())
        .bind(note.kind.code())
        .bind(note.body.as_str())
        .bind(stamp(note.at))
        .execute(&mut *tx)
        .await;
        match done {
            Err(e) if is_foreign_key_violation(&e) => return Err(StoreError::NotFound("user")),
            other => other?,
        };
        if note.kind == ProblemNoteKind::Resolution {
            sqlx::query("UPDATE problem_reports SET resolved = $1 WHERE id = $2")
                .bind(true)
                .bind(key(note.report_id))
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(note)
    }

    async fn problem_notes(&self, report_id: Uuid) -> Result<Vec<ProblemNote>> {
        sqlx::query(
            "SELECT id, report_id, author, author_role, kind, body, at FROM problem_notes \
             WHERE report_id = $1 ORDER BY at, id",
        )
        .bind(key(report_id))
        .fetch_all(&self.reader)
        .await?
        .iter()
        .map(problem_note_row)
        .collect()
    }
}
