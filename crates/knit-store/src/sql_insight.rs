//! [`InsightStore`] for both backends, written once and compiled into each backend module
//! with `#[path]`, like `sql_connectors.rs`. Every figure is a `GROUP BY` over an index;
//! the few fragments the two engines write differently (weekday, days between two times,
//! month of a time) are chosen by the including module's `NAME`. The figures of the
//! directory (supply, places, schedules) can have a row per service, so they are read as
//! a stream: a national directory's rows, gathered whole, held 300 MiB of a server's memory
//! long after the figures were made.

#![allow(clippy::duplicate_mod)]

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc, Weekday};
use futures_util::TryStreamExt;
use knit_domain::geo::LatLon;
use knit_domain::needs::NeedId;
use knit_domain::referral::ReferralStatus;
use knit_domain::training::BookingStatus;
use knit_domain::wards::Ward;
use knit_domain::wellbeing::Measure;
use sqlx::{AssertSqlSafe, QueryBuilder};
use uuid::Uuid;

use super::sql_accounts::{Columns, DbRow, at, corrupt};
use super::sql_casework::{context, unseal};
use super::sql_store::SqlStore;
use super::{DB, NAME, begin_write, key};
use crate::Result;
use crate::insight::{
    ConversationTotals, Flow, InsightStore, MeasurePair, MonthCount, NeedCount, OutcomeCount,
    Period, PlacedService, ReferralStates, ResponseBucket, ResponseTimes, ScheduleShape,
    SearchMiss, SupplyCell, SupplyPlace, SyntheticReferral, TrainingCount,
};

type Tx = sqlx::Transaction<'static, DB>;

fn sqlite() -> bool {
    NAME == "sqlite"
}

/// The weekday (0 Sunday … 6 Saturday) of a time column, in UTC.
fn weekday_of(column: &str) -> String {
    if sqlite() {
        format!("CAST(strftime('%w', {column}) AS BIGINT)")
    } else {
        format!("CAST(EXTRACT(DOW FROM {column} AT TIME ZONE 'UTC') AS BIGINT)")
    }
}

/// Calendar days between the UTC dates of two time columns.
fn days_between(from: &str, to: &str) -> String {
    if sqlite() {
        format!("CAST(julianday(substr({to}, 1, 10)) - julianday(substr({from}, 1, 10)) AS BIGINT)")
    } else {
        format!(
            "CAST((({to}) AT TIME ZONE 'UTC')::date - (({from}) AT TIME ZONE 'UTC')::date AS BIGINT)"
        )
    }
}

/// `YYYY-MM` of a time column, in UTC.
fn month_of_time(column: &str) -> String {
    if sqlite() {
        format!("substr({column}, 1, 7)")
    } else {
        format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM')")
    }
}

/// The area of an address's postcode: the district (outcode), or with `sector` the
/// sector. The inward code is always the last three characters.
fn area_of(sector: bool) -> &'static str {
    if sector {
        "(SUBSTR(UPPER(REPLACE(a.postal_code, ' ', '')), 1, \
          LENGTH(REPLACE(a.postal_code, ' ', '')) - 3) || ' ' || \
          SUBSTR(UPPER(REPLACE(a.postal_code, ' ', '')), \
          LENGTH(REPLACE(a.postal_code, ' ', '')) - 2, 1))"
    } else {
        "SUBSTR(UPPER(REPLACE(a.postal_code, ' ', '')), 1, \
         LENGTH(REPLACE(a.postal_code, ' ', '')) - 3)"
    }
}

/// Active services' needs at their public places with a postcode: `s`, `t` (the need's
/// term), `l` (the location) and `a` (its address).
const PLACED_NEEDS: &str = "FROM services s \
     JOIN attributes att ON att.service_id = s.id \
     JOIN taxonomy_terms t ON t.id = att.taxonomy_term_id \
     JOIN service_at_locations sal ON sal.service_id = s.id \
     JOIN locations l ON l.id = COALESCE(sal.embedded_location_id, sal.location_id) \
     JOIN addresses a ON a.location_id = l.id \
     WHERE (t.vocabulary = 'knit-needs' OR t.taxonomy = 'knit-needs') AND t.code IS NOT NULL \
     AND s.status = 'active' AND NOT l.confidential \
     AND LENGTH(REPLACE(a.postal_code, ' ', '')) >= 5";

/// A service's listing carries a notice (HSDS `alert`).
const WITH_NOTICE: &str = "COALESCE(TRIM(s.alert), '') <> ''";

/// The terms of the needs a referral's service meets.
const SERVICE_NEEDS: &str = "JOIN attributes att ON att.service_id = r.service_id \
     JOIN taxonomy_terms t ON t.id = att.taxonomy_term_id \
     AND (t.vocabulary = 'knit-needs' OR t.taxonomy = 'knit-needs') AND t.code IS NOT NULL";

fn count_of(c: &mut Columns<'_>) -> Result<u64> {
    Ok(c.int()?.max(0) as u64)
}

fn need_of(code: &str) -> Option<NeedId> {
    NeedId::parse(code).ok()
}

fn weekday_from_sunday(n: i64) -> Result<Weekday> {
    Ok(match n {
        0 => Weekday::Sun,
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => return Err(corrupt("a weekday")),
    })
}

/// Keeps a referral's first answer and its outcome on the referral, as it moves: called in
/// the transaction that applies the move.
pub(super) async fn note_response(
    tx: &mut Tx,
    referral: Uuid,
    to: ReferralStatus,
    receiver: bool,
    when: DateTime<Utc>,
) -> Result<()> {
    let answer = receiver
        && matches!(
            to,
            ReferralStatus::Received | ReferralStatus::Accepted | ReferralStatus::Rejected
        );
    let outcome = matches!(
        to,
        ReferralStatus::Completed
            | ReferralStatus::Rejected
            | ReferralStatus::Failed
            | ReferralStatus::Cancelled
    );
    if answer {
        sqlx::query("UPDATE referrals SET answered_at = $2 WHERE id = $1 AND answered_at IS NULL")
            .bind(key(referral))
            .bind(at(when))
            .execute(&mut **tx)
            .await?;
    }
    if outcome {
        sqlx::query("UPDATE referrals SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
            .bind(key(referral))
            .bind(at(when))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

fn bucket_row(row: &DbRow) -> Result<ResponseBucket> {
    let mut c = Columns::new(row);
    Ok(ResponseBucket {
        organization: c.id()?,
        sent_on: weekday_from_sunday(c.int()?)?,
        days: u32::try_from(c.int()?.max(0)).unwrap_or(u32::MAX),
        count: count_of(&mut c)?,
    })
}

fn need_count_rows(rows: Vec<DbRow>) -> Result<Vec<NeedCount>> {
    let mut out = Vec::new();
    for row in rows {
        let mut c = Columns::new(&row);
        let need = c.text()?;
        let area = c.opt_text()?.unwrap_or_default();
        let count = count_of(&mut c)?;
        if let Some(need) = need_of(&need) {
            out.push(NeedCount { need, area, count });
        }
    }
    Ok(out)
}

#[async_trait]
impl InsightStore for SqlStore {
    async fn add_search_misses(&self, misses: &[SearchMiss]) -> Result<()> {
        if misses.is_empty() {
            return Ok(());
        }
        let mut tx = begin_write(&self.writer).await?;
        for miss in misses {
            sqlx::query(
                "INSERT INTO search_misses (month, words, area, need, count) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (month, words, area, need) \
                 DO UPDATE SET count = search_misses.count + excluded.count",
            )
            .bind(&miss.month)
            .bind(&miss.words)
            .bind(&miss.area)
            .bind(&miss.need)
            .bind(i64::try_from(miss.count).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn purge_search_misses(&self, first_kept: &str) -> Result<u64> {
        let mut tx = begin_write(&self.writer).await?;
        let done = sqlx::query("DELETE FROM search_misses WHERE month < $1")
            .bind(first_kept)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    async fn search_misses(&self, from_month: &str, limit: u32) -> Result<Vec<SearchMiss>> {
        let rows = sqlx::query(
            "SELECT words, area, need, CAST(SUM(count) AS BIGINT) FROM search_misses \
             WHERE month >= $1 GROUP BY words, area, need \
             ORDER BY 4 DESC, words, area, need LIMIT $2",
        )
        .bind(from_month)
        .bind(i64::from(limit))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(SearchMiss {
                    month: from_month.to_owned(),
                    words: c.text()?,
                    area: c.text()?,
                    need: c.text()?,
                    count: count_of(&mut c)?,
                })
            })
            .collect()
    }

    async fn search_miss_needs(&self, from_month: &str) -> Result<Vec<NeedCount>> {
        let rows = sqlx::query(
            "SELECT need, area, CAST(SUM(count) AS BIGINT) FROM search_misses \
             WHERE month >= $1 AND need <> '' GROUP BY need, area",
        )
        .bind(from_month)
        .fetch_all(&self.reader)
        .await?;
        need_count_rows(rows)
    }

    async fn referral_flow(&self, period: Period) -> Result<Vec<Flow>> {
        let rows = sqlx::query(
            "SELECT from_organization_id, organization_id, COUNT(*) FROM referrals \
             WHERE sent_at >= $1 AND sent_at < $2 \
             GROUP BY from_organization_id, organization_id",
        )
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(Flow {
                    from: c.opt_id()?,
                    to: c.id()?,
                    count: count_of(&mut c)?,
                })
            })
            .collect()
    }

    async fn response_times(
        &self,
        period: Period,
        organization: Option<Uuid>,
    ) -> Result<ResponseTimes> {
        let mut out = ResponseTimes::default();
        for column in ["answered_at", "closed_at"] {
            let mut q = QueryBuilder::<DB>::new(format!(
                "SELECT organization_id, {}, {}, COUNT(*) FROM referrals \
                 WHERE {column} IS NOT NULL AND sent_at >= ",
                weekday_of("sent_at"),
                days_between("sent_at", column),
            ));
            q.push_bind(at(period.from));
            q.push(" AND sent_at < ");
            q.push_bind(at(period.until));
            if let Some(org) = organization {
                q.push(" AND organization_id = ");
                q.push_bind(key(org));
            }
            q.push(" GROUP BY 1, 2, 3");
            let rows = q.build().fetch_all(&self.reader).await?;
            let buckets = rows.iter().map(bucket_row).collect::<Result<Vec<_>>>()?;
            if column == "answered_at" {
                out.to_answer = buckets;
            } else {
                out.to_outcome = buckets;
            }
        }
        Ok(out)
    }

    async fn referral_states(&self, period: Period) -> Result<Vec<ReferralStates>> {
        let rows = sqlx::query(
            "SELECT organization_id, status, reason, COUNT(*) FROM referrals \
             WHERE sent_at >= $1 AND sent_at < $2 \
             GROUP BY organization_id, status, reason",
        )
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(ReferralStates {
                    organization: c.id()?,
                    status: c.text()?,
                    reason: c.opt_text()?,
                    count: count_of(&mut c)?,
                })
            })
            .collect()
    }

    async fn capacity_refusals(&self, period: Period) -> Result<Vec<NeedCount>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT t.code, NULL, COUNT(*) FROM referrals r {SERVICE_NEEDS} \
             WHERE r.sent_at >= $1 AND r.sent_at < $2 AND r.reason = 'no_capacity' \
             GROUP BY t.code"
        )))
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        need_count_rows(rows)
    }

    async fn supply(&self, sector: bool) -> Result<Vec<SupplyCell>> {
        let area = area_of(sector);
        let mut rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {area}, t.code, s.organization_id, COUNT(DISTINCT s.id), \
             COUNT(DISTINCT CASE WHEN {WITH_NOTICE} THEN s.id END) {PLACED_NEEDS} \
             GROUP BY 1, 2, 3"
        )))
        .fetch(&self.reader);
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let mut c = Columns::new(&row);
            let area = c.text()?;
            let need = c.text()?;
            let organization = c.id()?;
            let services = count_of(&mut c)?;
            let with_notice = count_of(&mut c)?;
            if let Some(need) = need_of(&need) {
                out.push(SupplyCell {
                    area,
                    need,
                    organization,
                    services,
                    with_notice,
                });
            }
        }
        Ok(out)
    }

    async fn supply_places(&self) -> Result<Vec<SupplyPlace>> {
        let mut rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT DISTINCT t.code, CAST(ROUND(l.latitude * 100) AS BIGINT), \
             CAST(ROUND(l.longitude * 100) AS BIGINT) {PLACED_NEEDS} \
             AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL"
        )))
        .fetch(&self.reader);
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let mut c = Columns::new(&row);
            let need = c.text()?;
            let lat = c.int()? as f64 / 100.0;
            let lon = c.int()? as f64 / 100.0;
            if let (Some(need), Ok(position)) = (need_of(&need), LatLon::new(lat, lon)) {
                out.push(SupplyPlace { need, position });
            }
        }
        Ok(out)
    }

    async fn schedule_shapes(&self, sector: bool) -> Result<Vec<ScheduleShape>> {
        let area = area_of(sector);
        let mut rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT sa.area, sa.need, sc.freq, sc.byday, CAST(sc.opens_at AS BIGINT), \
             CAST(sc.closes_at AS BIGINT), COUNT(*) \
             FROM (SELECT DISTINCT {area} AS area, t.code AS need, s.id AS service_id \
                   {PLACED_NEEDS}) sa \
             JOIN schedules sc ON sc.service_id = sa.service_id \
             GROUP BY sa.area, sa.need, sc.freq, sc.byday, sc.opens_at, sc.closes_at"
        )))
        .fetch(&self.reader);
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let mut c = Columns::new(&row);
            let area = c.text()?;
            let need = c.text()?;
            let freq = c.opt_text()?;
            let byday = c.opt_text()?;
            let minutes = |n: Option<i64>| n.and_then(|n| u16::try_from(n).ok());
            let opens_at = minutes(c.opt_int()?);
            let closes_at = minutes(c.opt_int()?);
            let count = count_of(&mut c)?;
            if let Some(need) = need_of(&need) {
                out.push(ScheduleShape {
                    area,
                    need,
                    freq,
                    byday,
                    opens_at,
                    closes_at,
                    count,
                });
            }
        }
        Ok(out)
    }

    async fn placed_services(&self) -> Result<Vec<PlacedService>> {
        let mut rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT DISTINCT s.id, s.organization_id, t.code, l.latitude, l.longitude, \
             CAST(CASE WHEN {WITH_NOTICE} THEN 1 ELSE 0 END AS BIGINT) \
             FROM services s \
             JOIN attributes att ON att.service_id = s.id \
             JOIN taxonomy_terms t ON t.id = att.taxonomy_term_id \
             JOIN service_at_locations sal ON sal.service_id = s.id \
             JOIN locations l ON l.id = COALESCE(sal.embedded_location_id, sal.location_id) \
             WHERE (t.vocabulary = 'knit-needs' OR t.taxonomy = 'knit-needs') \
             AND t.code IS NOT NULL AND s.status = 'active' AND NOT l.confidential \
             AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL"
        )))
        .fetch(&self.reader);
        let mut out = Vec::new();
        while let Some(row) = rows.try_next().await? {
            let mut c = Columns::new(&row);
            let service = c.id()?;
            let organization = c.id()?;
            let need = c.text()?;
            let lat: f64 = c.get()?;
            let lon: f64 = c.get()?;
            let with_notice = c.int()? != 0;
            if let (Some(need), Ok(position)) = (need_of(&need), LatLon::new(lat, lon)) {
                out.push(PlacedService {
                    service,
                    organization,
                    need,
                    position,
                    with_notice,
                });
            }
        }
        Ok(out)
    }

    async fn replace_wards(&self, wards: &[Ward]) -> Result<u64> {
        let mut tx = begin_write(&self.writer).await?;
        sqlx::query("DELETE FROM wards").execute(&mut *tx).await?;
        for chunk in wards.chunks(500) {
            let mut q = QueryBuilder::<DB>::new(
                "INSERT INTO wards (code, name, authority_code, authority, latitude, longitude) ",
            );
            q.push_values(chunk, |mut b, w| {
                b.push_bind(w.code.clone())
                    .push_bind(w.name.clone())
                    .push_bind(w.authority_code.clone())
                    .push_bind(w.authority.clone())
                    .push_bind(w.centre.lat)
                    .push_bind(w.centre.lon);
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(wards.len() as u64)
    }

    async fn wards(&self) -> Result<Vec<Ward>> {
        let rows: Vec<(String, String, String, String, f64, f64)> = sqlx::query_as(
            "SELECT code, name, authority_code, authority, latitude, longitude FROM wards \
             ORDER BY code",
        )
        .fetch_all(&self.reader)
        .await?;
        rows.into_iter()
            .map(|(code, name, authority_code, authority, lat, lon)| {
                let centre = LatLon::new(lat, lon)
                    .map_err(|e| corrupt(format!("ward {code} has no usable centre: {e}")))?;
                Ok(Ward {
                    code,
                    name,
                    authority_code,
                    authority,
                    centre,
                })
            })
            .collect()
    }

    async fn area_centres(&self, areas: &[String]) -> Result<Vec<(String, LatLon)>> {
        let mut out = Vec::new();
        for chunk in areas.chunks(500) {
            let mut q = QueryBuilder::<DB>::new(
                "SELECT code, latitude, longitude FROM postcodes WHERE kind IN (1, 2) AND code IN (",
            );
            let mut list = q.separated(", ");
            for area in chunk {
                list.push_bind(area.clone());
            }
            q.push(")");
            let rows: Vec<(String, f64, f64)> = q.build_query_as().fetch_all(&self.reader).await?;
            for (code, lat, lon) in rows {
                if let Ok(position) = LatLon::new(lat, lon) {
                    out.push((code, position));
                }
            }
        }
        Ok(out)
    }

    async fn conversation_needs(
        &self,
        from: NaiveDate,
        until: NaiveDate,
    ) -> Result<Vec<NeedCount>> {
        let rows = sqlx::query(
            "SELECT n.need, c.area, COUNT(*) FROM connector_conversation_needs n \
             JOIN connector_conversations c ON c.id = n.conversation_id \
             WHERE c.on_date >= $1 AND c.on_date < $2 GROUP BY n.need, c.area",
        )
        .bind(from)
        .bind(until)
        .fetch_all(&self.reader)
        .await?;
        need_count_rows(rows)
    }

    async fn casework_needs(&self, period: Period) -> Result<Vec<NeedCount>> {
        let rows = sqlx::query(
            "SELECT need, NULL, COUNT(*) FROM person_needs \
             WHERE added_at >= $1 AND added_at < $2 GROUP BY need",
        )
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        need_count_rows(rows)
    }

    async fn organization_names(&self, ids: &[Uuid]) -> Result<Vec<(Uuid, String)>> {
        let mut out = Vec::new();
        for chunk in ids.chunks(500) {
            let mut q = QueryBuilder::<DB>::new("SELECT id, name FROM organizations WHERE id IN (");
            let mut list = q.separated(", ");
            for id in chunk {
                list.push_bind(key(*id));
            }
            q.push(")");
            for row in q.build().fetch_all(&self.reader).await? {
                let mut c = Columns::new(&row);
                out.push((c.id()?, c.text()?));
            }
        }
        Ok(out)
    }

    async fn people_supported(&self, period: Period) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM people WHERE opened_at < $2 \
             AND (closed_at IS NULL OR closed_at >= $1)",
        )
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_one(&self.reader)
        .await?;
        Ok(n.max(0) as u64)
    }

    async fn casework_needs_by_month(&self, period: Period) -> Result<Vec<MonthCount>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {}, need, COUNT(*) FROM person_needs \
             WHERE added_at >= $1 AND added_at < $2 GROUP BY 1, 2 ORDER BY 1",
            month_of_time("added_at")
        )))
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let mut c = Columns::new(&row);
            let month = c.text()?;
            let need = c.text()?;
            let count = count_of(&mut c)?;
            if let Some(need) = need_of(&need) {
                out.push(MonthCount { month, need, count });
            }
        }
        Ok(out)
    }

    async fn outcomes_by_need(&self, period: Period) -> Result<Vec<OutcomeCount>> {
        let rows = sqlx::query(
            "SELECT need, outcome, COUNT(*) FROM person_needs \
             WHERE added_at >= $1 AND added_at < $2 GROUP BY need, outcome",
        )
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        let mut out = Vec::new();
        for row in rows {
            let mut c = Columns::new(&row);
            let need = c.text()?;
            let outcome = c.opt_text()?;
            let count = count_of(&mut c)?;
            if let Some(need) = need_of(&need) {
                out.push(OutcomeCount {
                    need,
                    outcome,
                    count,
                });
            }
        }
        Ok(out)
    }

    async fn measure_pairs(&self, period: Period) -> Result<Vec<MeasurePair>> {
        let keys = self.keyring()?;
        let rows = sqlx::query(
            "SELECT id, person_id, kind, sealed FROM wellbeing_measures \
             WHERE recorded_at >= $1 AND recorded_at < $2 AND sealed IS NOT NULL \
             ORDER BY person_id, kind, recorded_at, id",
        )
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        let mut out: Vec<MeasurePair> = Vec::new();
        let mut current: Option<(Uuid, String, Measure, Option<Measure>)> = None;
        let finish = |current: Option<(Uuid, String, Measure, Option<Measure>)>,
                      out: &mut Vec<MeasurePair>| {
            if let Some((_, _, first, Some(last))) = current {
                out.push(MeasurePair {
                    kind: first.kind(),
                    first,
                    last,
                });
            }
        };
        for row in rows {
            let mut c = Columns::new(&row);
            let id = c.id()?;
            let person = c.id()?;
            let kind = c.text()?;
            let sealed: Vec<u8> = c.get()?;
            let measure: Measure = unseal(
                &keys,
                &sealed,
                &context("wellbeing_measures", &id.to_string(), None),
            )?;
            match &mut current {
                Some((p, k, _, last)) if *p == person && *k == kind => *last = Some(measure),
                _ => {
                    finish(current.take(), &mut out);
                    current = Some((person, kind, measure, None));
                }
            }
        }
        finish(current, &mut out);
        Ok(out)
    }

    async fn conversation_totals(
        &self,
        from: NaiveDate,
        until: NaiveDate,
        area: Option<&str>,
    ) -> Result<ConversationTotals> {
        let mut q = QueryBuilder::<DB>::new(
            "SELECT COUNT(*), CAST(COALESCE(SUM(offers), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN handed_off THEN 1 ELSE 0 END), 0) AS BIGINT), \
             COUNT(DISTINCT connector_id) FROM connector_conversations WHERE on_date >= ",
        );
        q.push_bind(from);
        q.push(" AND on_date < ");
        q.push_bind(until);
        if let Some(area) = area {
            q.push(" AND area = ");
            q.push_bind(area.to_owned());
        }
        let row = q.build().fetch_one(&self.reader).await?;
        let mut c = Columns::new(&row);
        Ok(ConversationTotals {
            conversations: count_of(&mut c)?,
            offers_of_help: count_of(&mut c)?,
            hand_offs: count_of(&mut c)?,
            connectors: count_of(&mut c)?,
        })
    }

    async fn training_by_organization(&self, period: Period) -> Result<Vec<TrainingCount>> {
        // Match events are booked as sessions too, but nobody trains at one.
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT COALESCE(b.organization, ''), s.kind, COUNT(*) FROM training_bookings b \
             JOIN training_sessions s ON s.id = b.session_id \
             WHERE b.status = '{attended}' AND s.kind IN {training} \
             AND s.starts_at >= $1 AND s.starts_at < $2 \
             GROUP BY 1, 2 ORDER BY 1, 2",
            attended = BookingStatus::Attended.code(),
            training = *super::sql_connectors::TRAINING_KINDS,
        )))
        .bind(at(period.from))
        .bind(at(period.until))
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let mut c = Columns::new(row);
                Ok(TrainingCount {
                    organization: c.text()?,
                    kind: c.text()?,
                    attended: count_of(&mut c)?,
                })
            })
            .collect()
    }

    async fn add_synthetic_referrals(&self, referrals: &[SyntheticReferral]) -> Result<u64> {
        let person = Uuid::from_u128(0x6b6e_6974_5359_4e54);
        let mut tx = begin_write(&self.writer).await?;
        let now = Utc::now();
        sqlx::query(
            "INSERT INTO people (id, status, coordinator, sealed, opened_at, closed_at, updated_at) \
             VALUES ($1, 'closed', NULL, NULL, $2, $2, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(key(person))
        .bind(at(now))
        .execute(&mut *tx)
        .await?;
        for chunk in referrals.chunks(500) {
            let mut q = QueryBuilder::<DB>::new(
                "INSERT INTO referrals (id, person_id, service_id, organization_id, status, reason, \
                 from_organization_id, sent_at, updated_at, answered_at, closed_at) ",
            );
            q.push_values(chunk, |mut b, r| {
                b.push_bind(key(r.id))
                    .push_bind(key(person))
                    .push_bind(key(r.service_id))
                    .push_bind(key(r.organization))
                    .push_bind(r.status.clone())
                    .push_bind(r.reason.clone())
                    .push_bind(r.from_organization.map(key))
                    .push_bind(at(r.sent_at))
                    .push_bind(at(r.sent_at))
                    .push_bind(r.answered_at.map(at))
                    .push_bind(r.closed_at.map(at));
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(referrals.len() as u64)
    }
}
