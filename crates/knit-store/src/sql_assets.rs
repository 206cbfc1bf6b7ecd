//! [`AssetStore`] for both backends, written once and compiled into each backend module with
//! `#[path]`, as `sql_connectors.rs` is. PostgreSQL holds the asset's row (`FOR UPDATE`)
//! while a request or an approval is checked against the approved bookings; SQLite's
//! `BEGIN IMMEDIATE` already serialises writers. Either way the check and the write are one
//! transaction, so no two approved bookings of one asset overlap.

// Compiled once per backend on purpose, like `sql_store.rs`.
#![allow(clippy::duplicate_mod)]

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use knit_domain::Service;
use knit_domain::access::ActionKind;
use knit_domain::account::{OrganizationId, UserId};
use knit_domain::assets::{
    AssetDetails, AssetKind, AssetPlan, Availability, BookingStatus, Owner, PersonalOffer,
    Requester, Slot, check_slot,
};
use knit_domain::audit::{NewAuditEvent, Outcome};
use knit_domain::groups::{GroupIdea, GroupRecord, GroupStatus};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{AssertSqlSafe, Database};
use uuid::Uuid;

use super::sql_accounts::{Columns, DbRow, append_audit_in, at, corrupt, locking};
use super::sql_connectors::insert_job;
use super::sql_store::{SqlStore, record_changes, write_services};
use super::{DB, begin_read, begin_write, key};
use crate::assets::{
    Asset, AssetBooking, AssetBookingError, AssetFilter, AssetStore, BookingAnswer,
    BookingDecision, CommunityGroup, GroupError, IdeaRecord, NewAssetBooking,
};
use crate::casework::Stamp;
use crate::sealing::KeyRing;
use crate::{Result, StoreError};

type Conn = <DB as Database>::Connection;

fn seal<T: Serialize + ?Sized>(keys: &KeyRing, value: &T, context: &str) -> Result<Vec<u8>> {
    let json = serde_json::to_vec(value).map_err(|e| corrupt(format!("{context} as JSON: {e}")))?;
    Ok(keys.seal(&json, context.as_bytes()))
}

fn unseal<T: DeserializeOwned>(keys: &KeyRing, sealed: &[u8], context: &str) -> Result<T> {
    let json = keys
        .open(sealed, context.as_bytes())
        .map_err(|e| corrupt(format!("{context}: {e}")))?;
    // Only where it failed goes into the error: the value is what a person said.
    serde_json::from_slice(&json).map_err(|e| {
        corrupt(format!(
            "{context}: unreadable once opened (line {}, column {})",
            e.line(),
            e.column()
        ))
    })
}

fn json<T: Serialize>(value: &T, what: &str) -> Result<String> {
    serde_json::to_string(value).map_err(|e| corrupt(format!("{what} as JSON: {e}")))
}

fn from_json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
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

// --- assets ---

const ASSET_COLUMNS: &str = "id, kind, owner_org, details, sealed, public, availability, \
                             created_at, updated_at";

fn asset_row(keys: Option<&KeyRing>, row: &DbRow) -> Result<Asset> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let kind = AssetKind::from_code(&c.text()?).ok_or_else(|| corrupt("a stored asset kind"))?;
    let owner = match c.opt_id()? {
        Some(org) => Owner::Organization(OrganizationId(org)),
        None => Owner::Person,
    };
    let details: AssetDetails = from_json(&c.text()?, "asset")?;
    let sealed: Option<Vec<u8>> = c.get()?;
    let public = c.flag()?;
    let availability: Availability = from_json(&c.text()?, "availability")?;
    let offer = match (keys, sealed) {
        (Some(keys), Some(sealed)) => Some(unseal::<PersonalOffer>(
            keys,
            &sealed,
            &format!("assets:{id}"),
        )?),
        _ => None,
    };
    Ok(Asset {
        id,
        kind,
        owner,
        details,
        availability,
        public,
        offer,
        created_at: c.time()?,
        updated_at: c.time()?,
    })
}

/// Binds an asset's columns after its id: kind, owner, details, sealed, public, capacity,
/// accessible, free, availability.
struct AssetValues {
    details: String,
    sealed: Option<Vec<u8>>,
    public: bool,
    availability: String,
}

fn asset_values(keys: &KeyRing, id: Uuid, plan: &AssetPlan) -> Result<AssetValues> {
    let sealed = plan
        .offer
        .as_ref()
        .map(|offer| seal(keys, offer, &format!("assets:{id}")))
        .transpose()?;
    let public = plan.offer.as_ref().is_none_or(|o| o.show_publicly);
    Ok(AssetValues {
        details: json(&plan.details, "an asset")?,
        sealed,
        public,
        availability: json(&plan.availability, "an availability")?,
    })
}

async fn asset_in(
    conn: &mut Conn,
    keys: Option<&KeyRing>,
    id: Uuid,
    lock: bool,
) -> Result<Option<Asset>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {ASSET_COLUMNS} FROM assets WHERE id = $1{}",
        if lock { locking(" FOR UPDATE") } else { "" }
    )))
    .bind(key(id))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(|r| asset_row(keys, r)).transpose()
}

// --- bookings ---

const BOOKING_COLUMNS: &str = "id, asset_id, series_id, starts_at, ends_at, status, people, \
                               sealed, reason, requested_at, decided_at";

fn booking_row(keys: &KeyRing, row: &DbRow) -> Result<AssetBooking> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let asset_id = c.id()?;
    let series_id = c.id()?;
    let slot = Slot {
        starts_at: c.time()?,
        ends_at: c.time()?,
    };
    let status =
        BookingStatus::from_code(&c.text()?).ok_or_else(|| corrupt("a stored booking status"))?;
    let people = c.count()?;
    let sealed: Vec<u8> = c.get()?;
    let requester: Requester = unseal(keys, &sealed, &format!("asset_bookings:{id}"))?;
    Ok(AssetBooking {
        id,
        asset_id,
        series_id,
        slot,
        status,
        people,
        requester,
        reason: c.opt_text()?,
        requested_at: c.time()?,
        decided_at: c.opt_time()?,
    })
}

async fn series_in(conn: &mut Conn, keys: &KeyRing, series: Uuid) -> Result<Vec<AssetBooking>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {BOOKING_COLUMNS} FROM asset_bookings WHERE series_id = $1 \
         ORDER BY starts_at, id"
    )))
    .bind(key(series))
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(|r| booking_row(keys, r)).collect()
}

/// Approved bookings of `asset` overlapping `[from, to)`, leaving out one series.
async fn approved_in(
    conn: &mut Conn,
    asset: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except_series: Option<Uuid>,
) -> Result<Vec<Slot>> {
    let rows = sqlx::query(
        "SELECT starts_at, ends_at, series_id FROM asset_bookings WHERE asset_id = $1 \
         AND status = $2 AND ends_at > $3 AND starts_at < $4",
    )
    .bind(key(asset))
    .bind(BookingStatus::Approved.code())
    .bind(at(from))
    .bind(at(to))
    .fetch_all(&mut *conn)
    .await?;
    let mut slots = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut c = Columns::new(row);
        let slot = Slot {
            starts_at: c.time()?,
            ends_at: c.time()?,
        };
        if Some(c.id()?) != except_series {
            slots.push(slot);
        }
    }
    Ok(slots)
}

fn span(slots: &[Slot]) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let from = slots.iter().map(|s| s.starts_at).min()?;
    let to = slots.iter().map(|s| s.ends_at).max()?;
    Some((from, to))
}

/// Checks every occurrence against the rule; numbered from 1 in the error.
fn check_all(
    availability: &Availability,
    slots: &[Slot],
    now: DateTime<Utc>,
    taken: &[Slot],
) -> Result<(), AssetBookingError> {
    for (i, slot) in slots.iter().enumerate() {
        // Occurrences of one request must not overlap each other either.
        let earlier = &slots[..i];
        let mut all: Vec<Slot> = taken.to_vec();
        all.extend_from_slice(earlier);
        check_slot(availability, slot, now, &all).map_err(|problem| AssetBookingError::Slot {
            occurrence: i + 1,
            problem,
        })?;
    }
    Ok(())
}

// --- groups ---

const GROUP_COLUMNS: &str = "id, idea_id, status, record, venue_booking, service_id, updated_at";

fn group_row(row: &DbRow) -> Result<CommunityGroup> {
    let mut c = Columns::new(row);
    Ok(CommunityGroup {
        id: c.id()?,
        idea_id: c.opt_id()?,
        status: GroupStatus::from_code(&c.text()?)
            .ok_or_else(|| corrupt("a stored group status"))?,
        record: from_json(&c.text()?, "group")?,
        venue_booking: c.opt_id()?,
        service_id: c.id()?,
        updated_at: c.time()?,
    })
}

async fn group_in(conn: &mut Conn, id: Uuid, lock: bool) -> Result<Option<CommunityGroup>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM community_groups WHERE id = $1{}",
        if lock { locking(" FOR UPDATE") } else { "" }
    )))
    .bind(key(id))
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(group_row).transpose()
}

fn idea_row(keys: &KeyRing, row: &DbRow) -> Result<IdeaRecord> {
    let mut c = Columns::new(row);
    let id = c.id()?;
    let sealed: Vec<u8> = c.get()?;
    let idea: GroupIdea = unseal(keys, &sealed, &format!("group_ideas:{id}"))?;
    let taken = c.text()? == "taken";
    Ok(IdeaRecord {
        id,
        idea,
        taken,
        at: c.time()?,
    })
}

async fn venue_exists(conn: &mut Conn, booking: Option<Uuid>) -> Result<bool> {
    let Some(booking) = booking else {
        return Ok(true);
    };
    let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM asset_bookings WHERE id = $1")
        .bind(key(booking))
        .fetch_one(&mut *conn)
        .await?;
    Ok(found > 0)
}

#[async_trait]
impl AssetStore for SqlStore {
    async fn add_asset(&self, plan: &AssetPlan, stamp: Stamp) -> Result<Asset> {
        let keys = self.keyring()?;
        let id = Uuid::now_v7();
        let v = asset_values(&keys, id, plan)?;
        let owner = match plan.owner {
            Owner::Organization(org) => Some(key(org.0)),
            Owner::Person => None,
        };
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query(
            "INSERT INTO assets (id, kind, owner_org, details, sealed, public, capacity, \
             accessible, free, availability, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(key(id))
        .bind(plan.kind.code())
        .bind(owner)
        .bind(v.details)
        .bind(v.sealed)
        .bind(v.public)
        .bind(plan.details.capacity.map(i64::from))
        .bind(plan.details.accessible)
        .bind(plan.details.price().is_free())
        .bind(v.availability)
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await?;
        append_audit_in(&mut tx, audit(&stamp, ActionKind::ManageAsset, "asset", id)).await?;
        let asset = asset_in(&mut tx, Some(&keys), id, false)
            .await?
            .ok_or_else(|| corrupt("an asset just added"))?;
        tx.commit().await?;
        Ok(asset)
    }

    async fn update_asset(
        &self,
        id: Uuid,
        plan: &AssetPlan,
        stamp: Stamp,
    ) -> Result<Option<Asset>> {
        let keys = self.keyring()?;
        let v = asset_values(&keys, id, plan)?;
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query(
            "UPDATE assets SET kind = $2, details = $3, sealed = $4, public = $5, \
             capacity = $6, accessible = $7, free = $8, availability = $9, updated_at = $10 \
             WHERE id = $1",
        )
        .bind(key(id))
        .bind(plan.kind.code())
        .bind(v.details)
        .bind(v.sealed)
        .bind(v.public)
        .bind(plan.details.capacity.map(i64::from))
        .bind(plan.details.accessible)
        .bind(plan.details.price().is_free())
        .bind(v.availability)
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        append_audit_in(&mut tx, audit(&stamp, ActionKind::ManageAsset, "asset", id)).await?;
        let asset = asset_in(&mut tx, Some(&keys), id, false).await?;
        tx.commit().await?;
        Ok(asset)
    }

    async fn asset(&self, id: Uuid) -> Result<Option<Asset>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let asset = asset_in(&mut tx, Some(&keys), id, false).await?;
        tx.commit().await?;
        Ok(asset)
    }

    async fn assets(&self, filter: &AssetFilter, limit: u32) -> Result<Vec<Asset>> {
        let mut sql = format!("SELECT {ASSET_COLUMNS} FROM assets WHERE 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if filter.kind.is_some() {
            sql.push_str(&format!(" AND kind = ${}", next()));
        }
        if filter.free_only {
            sql.push_str(" AND free = TRUE");
        }
        if filter.min_capacity.is_some() {
            sql.push_str(&format!(" AND capacity >= ${}", next()));
        }
        if filter.accessible_only {
            sql.push_str(" AND accessible = TRUE");
        }
        if filter.public_only {
            sql.push_str(" AND public = TRUE");
        }
        match filter.owner {
            Some(Some(_)) => sql.push_str(&format!(" AND owner_org = ${}", next())),
            Some(None) => sql.push_str(" AND owner_org IS NULL"),
            None => {}
        }
        sql.push_str(&format!(" ORDER BY created_at, id LIMIT ${}", next()));
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let Some(kind) = filter.kind {
            query = query.bind(kind.code());
        }
        if let Some(cap) = filter.min_capacity {
            query = query.bind(i64::from(cap));
        }
        if let Some(Some(org)) = filter.owner {
            query = query.bind(key(org.0));
        }
        let rows = query.bind(i64::from(limit)).fetch_all(&self.reader).await?;
        let mut assets: Vec<Asset> = rows
            .iter()
            .map(|r| asset_row(None, r))
            .collect::<Result<_>>()?;
        assets.sort_by(|a, b| a.details.title.cmp(&b.details.title));
        Ok(assets)
    }

    async fn unused_assets(&self, since: DateTime<Utc>, limit: u32) -> Result<Vec<Asset>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ASSET_COLUMNS} FROM assets a WHERE NOT EXISTS (SELECT 1 FROM \
             asset_bookings b WHERE b.asset_id = a.id AND (b.status = $2 OR (b.status = $3 \
             AND b.starts_at > $1))) ORDER BY a.created_at, a.id LIMIT $4"
        )))
        .bind(at(since))
        .bind(BookingStatus::Requested.code())
        .bind(BookingStatus::Approved.code())
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| asset_row(None, r)).collect()
    }

    async fn approved_slots(
        &self,
        assets: &[Uuid],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<HashMap<Uuid, Vec<Slot>>> {
        let mut out: HashMap<Uuid, Vec<Slot>> = HashMap::new();
        for chunk in assets.chunks(500) {
            let mut builder = sqlx::QueryBuilder::<DB>::new(
                "SELECT asset_id, starts_at, ends_at FROM asset_bookings WHERE status = ",
            );
            builder.push_bind(BookingStatus::Approved.code());
            builder.push(" AND ends_at > ").push_bind(at(from));
            builder.push(" AND starts_at < ").push_bind(at(to));
            builder.push(" AND asset_id IN (");
            {
                let mut list = builder.separated(", ");
                for id in chunk {
                    list.push_bind(key(*id));
                }
            }
            builder.push(")");
            for row in builder.build().fetch_all(&self.reader).await? {
                let mut c = Columns::new(&row);
                let asset = c.id()?;
                out.entry(asset).or_default().push(Slot {
                    starts_at: c.time()?,
                    ends_at: c.time()?,
                });
            }
        }
        Ok(out)
    }

    async fn request_booking(
        &self,
        new: NewAssetBooking<'_>,
    ) -> Result<Vec<AssetBooking>, AssetBookingError> {
        let keys = self.keyring()?;
        let slots = new.request.slots();
        let mut tx = begin_write(&self.writer).await?;
        let asset = asset_in(&mut tx, None, new.asset_id, true)
            .await?
            .ok_or(AssetBookingError::NoSuchAsset)?;
        if !asset.public {
            return Err(AssetBookingError::NoSuchAsset);
        }
        let (from, to) = span(&slots).ok_or(AssetBookingError::NoSuchBooking)?;
        let taken = approved_in(&mut tx, asset.id, from, to, None).await?;
        check_all(&asset.availability, &slots, new.at, &taken)?;
        let series = Uuid::now_v7();
        for slot in &slots {
            let id = Uuid::now_v7();
            let sealed = seal(
                &keys,
                &new.request.requester,
                &format!("asset_bookings:{id}"),
            )?;
            sqlx::query(
                "INSERT INTO asset_bookings (id, asset_id, series_id, starts_at, ends_at, \
                 status, people, sealed, requested_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(key(id))
            .bind(key(asset.id))
            .bind(key(series))
            .bind(at(slot.starts_at))
            .bind(at(slot.ends_at))
            .bind(BookingStatus::Requested.code())
            .bind(i64::from(new.request.requester.people))
            .bind(sealed)
            .bind(at(new.at))
            .execute(&mut *tx)
            .await
            .map_err(StoreError::from)?;
        }
        let bookings = series_in(&mut tx, &keys, series).await?;
        for job in (new.mail)(&asset, &bookings) {
            insert_job(&mut tx, &job, new.at).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(bookings)
    }

    async fn decide_booking(
        &self,
        decision: BookingDecision<'_>,
    ) -> Result<Vec<AssetBooking>, AssetBookingError> {
        let keys = self.keyring()?;
        if let BookingAnswer::Decline { reason } = &decision.answer
            && reason.trim().is_empty()
        {
            return Err(AssetBookingError::ReasonRequired);
        }
        let now = decision.stamp.at;
        let mut tx = begin_write(&self.writer).await?;
        let found: Option<(super::Key, super::Key)> =
            sqlx::query_as("SELECT asset_id, series_id FROM asset_bookings WHERE id = $1")
                .bind(key(decision.booking_id))
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::from)?;
        let Some((asset_id, series)) = found else {
            return Err(AssetBookingError::NoSuchBooking);
        };
        let (asset_id, series) = (super::uuid_of(asset_id), super::uuid_of(series));
        // Held first, so approvals of the same asset are checked one at a time.
        let asset = asset_in(&mut tx, None, asset_id, true)
            .await?
            .ok_or(AssetBookingError::NoSuchAsset)?;
        let occurrences = series_in(&mut tx, &keys, series).await?;
        if occurrences
            .iter()
            .any(|b| b.status != BookingStatus::Requested)
        {
            return Err(AssetBookingError::AlreadyDecided);
        }
        let (status, reason) = match &decision.answer {
            BookingAnswer::Approve => {
                let slots: Vec<Slot> = occurrences.iter().map(|b| b.slot).collect();
                let (from, to) = span(&slots).ok_or(AssetBookingError::NoSuchBooking)?;
                let taken = approved_in(&mut tx, asset.id, from, to, Some(series)).await?;
                check_all(&asset.availability, &slots, now, &taken)?;
                (BookingStatus::Approved, None)
            }
            BookingAnswer::Decline { reason } => (
                BookingStatus::Declined,
                Some(knit_domain::validation::one_line(reason)),
            ),
        };
        sqlx::query(
            "UPDATE asset_bookings SET status = $2, reason = $3, decided_at = $4, \
             decided_by = $5 WHERE series_id = $1 AND status = $6",
        )
        .bind(key(series))
        .bind(status.code())
        .bind(reason)
        .bind(at(now))
        .bind(decision.stamp.by.map(|u| key(u.0)))
        .bind(BookingStatus::Requested.code())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        append_audit_in(
            &mut tx,
            audit(
                &decision.stamp,
                ActionKind::ManageAsset,
                "asset_booking",
                series,
            ),
        )
        .await?;
        let bookings = series_in(&mut tx, &keys, series).await?;
        for job in (decision.mail)(&asset, &bookings) {
            insert_job(&mut tx, &job, now).await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        Ok(bookings)
    }

    async fn asset_booking(&self, id: Uuid) -> Result<Option<AssetBooking>> {
        let keys = self.keyring()?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BOOKING_COLUMNS} FROM asset_bookings WHERE id = $1"
        )))
        .bind(key(id))
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(|r| booking_row(&keys, r)).transpose()
    }

    async fn booking_series(&self, booking: Uuid) -> Result<Vec<AssetBooking>> {
        let keys = self.keyring()?;
        let mut tx = begin_read(&self.reader).await?;
        let series: Option<super::Key> =
            sqlx::query_scalar("SELECT series_id FROM asset_bookings WHERE id = $1")
                .bind(key(booking))
                .fetch_optional(&mut *tx)
                .await?;
        let out = match series {
            Some(series) => series_in(&mut tx, &keys, super::uuid_of(series)).await?,
            None => Vec::new(),
        };
        tx.commit().await?;
        Ok(out)
    }

    async fn asset_bookings(&self, asset: Uuid, from: DateTime<Utc>) -> Result<Vec<AssetBooking>> {
        let keys = self.keyring()?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BOOKING_COLUMNS} FROM asset_bookings WHERE asset_id = $1 AND ends_at > $2 \
             ORDER BY starts_at, id LIMIT 500"
        )))
        .bind(key(asset))
        .bind(at(from))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| booking_row(&keys, r)).collect()
    }

    async fn waiting_requests(
        &self,
        owner: Option<Option<OrganizationId>>,
        limit: u32,
    ) -> Result<Vec<AssetBooking>> {
        let keys = self.keyring()?;
        let columns = BOOKING_COLUMNS
            .split(", ")
            .map(|c| format!("b.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let owner_clause = match owner {
            Some(Some(_)) => " AND a.owner_org = $3",
            Some(None) => " AND a.owner_org IS NULL",
            None => "",
        };
        let sql = format!(
            "SELECT {columns} FROM asset_bookings b JOIN assets a ON a.id = b.asset_id \
             WHERE b.status = $1{owner_clause} AND b.starts_at = (SELECT MIN(o.starts_at) \
             FROM asset_bookings o WHERE o.series_id = b.series_id) \
             ORDER BY b.requested_at, b.id LIMIT $2"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(BookingStatus::Requested.code())
            .bind(i64::from(limit));
        if let Some(Some(org)) = owner {
            query = query.bind(key(org.0));
        }
        let rows = query.fetch_all(&self.reader).await?;
        rows.iter().map(|r| booking_row(&keys, r)).collect()
    }

    async fn requests_to_remind(
        &self,
        before: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<AssetBooking>> {
        let keys = self.keyring()?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BOOKING_COLUMNS} FROM asset_bookings b WHERE status = $1 \
             AND requested_at < $2 AND reminded_at IS NULL AND starts_at = \
             (SELECT MIN(o.starts_at) FROM asset_bookings o WHERE o.series_id = b.series_id) \
             ORDER BY requested_at, id LIMIT $3"
        )))
        .bind(BookingStatus::Requested.code())
        .bind(at(before))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| booking_row(&keys, r)).collect()
    }

    async fn mark_request_reminded(&self, series: Uuid, now: DateTime<Utc>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE asset_bookings SET reminded_at = $2 WHERE series_id = $1 \
             AND reminded_at IS NULL",
        )
        .bind(key(series))
        .bind(at(now))
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn record_group_idea(&self, idea: &GroupIdea, now: DateTime<Utc>) -> Result<Uuid> {
        let keys = self.keyring()?;
        let id = Uuid::now_v7();
        let sealed = seal(&keys, idea, &format!("group_ideas:{id}"))?;
        sqlx::query(
            "INSERT INTO group_ideas (id, sealed, status, created_at) VALUES ($1, $2, 'new', $3)",
        )
        .bind(key(id))
        .bind(sealed)
        .bind(at(now))
        .execute(&self.writer)
        .await?;
        Ok(id)
    }

    async fn group_ideas(&self, limit: u32) -> Result<Vec<IdeaRecord>> {
        let keys = self.keyring()?;
        let rows = sqlx::query(
            "SELECT id, sealed, status, created_at FROM group_ideas WHERE status = 'new' \
             ORDER BY created_at, id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(|r| idea_row(&keys, r)).collect()
    }

    async fn group_idea(&self, id: Uuid) -> Result<Option<IdeaRecord>> {
        let keys = self.keyring()?;
        let row =
            sqlx::query("SELECT id, sealed, status, created_at FROM group_ideas WHERE id = $1")
                .bind(key(id))
                .fetch_optional(&self.reader)
                .await?;
        row.as_ref().map(|r| idea_row(&keys, r)).transpose()
    }

    async fn take_group_idea(
        &self,
        idea: Uuid,
        record: &GroupRecord,
        stamp: Stamp,
    ) -> Result<CommunityGroup, GroupError> {
        let mut tx = begin_write(&self.writer).await?;
        let taken = sqlx::query(
            "UPDATE group_ideas SET status = 'taken', taken_by = $2, taken_at = $3 \
             WHERE id = $1 AND status = 'new'",
        )
        .bind(key(idea))
        .bind(stamp.by.map(|u| key(u.0)))
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        if taken.rows_affected() == 0 {
            let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM group_ideas WHERE id = $1")
                .bind(key(idea))
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::from)?;
            return Err(if exists > 0 {
                GroupError::IdeaTaken
            } else {
                GroupError::NoSuchIdea
            });
        }
        let id = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO community_groups (id, idea_id, status, record, service_id, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(key(id))
        .bind(key(idea))
        .bind(GroupStatus::Draft.code())
        .bind(json(record, "a group")?)
        .bind(key(Uuid::new_v4()))
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::ManageGroups, "group", id),
        )
        .await?;
        let group = group_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("a group just made"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(group)
    }

    async fn save_group(
        &self,
        id: Uuid,
        record: &GroupRecord,
        venue_booking: Option<Uuid>,
        service: &Service,
        stamp: Stamp,
    ) -> Result<CommunityGroup, GroupError> {
        let mut tx = begin_write(&self.writer).await?;
        let group = group_in(&mut tx, id, true)
            .await?
            .ok_or(GroupError::NoSuchGroup)?;
        if !venue_exists(&mut tx, venue_booking).await? {
            return Err(GroupError::NoSuchBooking);
        }
        sqlx::query(
            "UPDATE community_groups SET record = $2, venue_booking = $3, updated_at = $4 \
             WHERE id = $1",
        )
        .bind(key(id))
        .bind(json(record, "a group")?)
        .bind(venue_booking.map(key))
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        if group.status == GroupStatus::Published {
            if service.id != group.service_id {
                return Err(corrupt("a group's service under another id").into());
            }
            write_services(&mut tx, &[service]).await?;
            record_changes(&mut tx, &[service.id]).await?;
        }
        append_audit_in(
            &mut tx,
            audit(&stamp, ActionKind::ManageGroups, "group", id),
        )
        .await?;
        let saved = group_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("a group just saved"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(saved)
    }

    async fn publish_group(
        &self,
        id: Uuid,
        service: &Service,
        stamp: Stamp,
    ) -> Result<CommunityGroup, GroupError> {
        let mut tx = begin_write(&self.writer).await?;
        let group = group_in(&mut tx, id, true)
            .await?
            .ok_or(GroupError::NoSuchGroup)?;
        if group.status == GroupStatus::Published {
            return Err(GroupError::AlreadyPublished);
        }
        if service.id != group.service_id {
            return Err(corrupt("a group's service under another id").into());
        }
        write_services(&mut tx, &[service]).await?;
        record_changes(&mut tx, &[service.id]).await?;
        sqlx::query(
            "UPDATE community_groups SET status = $2, published_at = $3, updated_at = $3 \
             WHERE id = $1",
        )
        .bind(key(id))
        .bind(GroupStatus::Published.code())
        .bind(at(stamp.at))
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from)?;
        append_audit_in(
            &mut tx,
            // Published: the group became this directory service.
            audit(&stamp, ActionKind::ManageGroups, "service", service.id),
        )
        .await?;
        let published = group_in(&mut tx, id, false)
            .await?
            .ok_or_else(|| corrupt("a group just published"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(published)
    }

    async fn community_group(&self, id: Uuid) -> Result<Option<CommunityGroup>> {
        let mut tx = begin_read(&self.reader).await?;
        let group = group_in(&mut tx, id, false).await?;
        tx.commit().await?;
        Ok(group)
    }

    async fn community_groups(
        &self,
        published_only: bool,
        limit: u32,
    ) -> Result<Vec<CommunityGroup>> {
        let filter = if published_only {
            " WHERE status = 'published'"
        } else {
            ""
        };
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {GROUP_COLUMNS} FROM community_groups{filter} \
             ORDER BY updated_at DESC, id LIMIT $1"
        )))
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter().map(group_row).collect()
    }

    async fn booking_decided_by(&self, booking: Uuid) -> Result<Option<UserId>> {
        let by: Option<Option<super::Key>> =
            sqlx::query_scalar("SELECT decided_by FROM asset_bookings WHERE id = $1")
                .bind(key(booking))
                .fetch_optional(&self.reader)
                .await?;
        Ok(by.flatten().map(|k| UserId(super::uuid_of(k))))
    }
}
