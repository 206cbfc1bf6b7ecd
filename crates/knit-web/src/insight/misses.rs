//! Searches that found nothing, counted as unmet demand. The search notes each miss in
//! memory ([`MissLog::note`], no I/O, so the results page is not slowed); a background job
//! ([`run`]) writes the counts through the store in one batch every little while, and once
//! a day removes counts older than twelve months. Only normalised words
//! (`knit_domain::insight::miss_words`), an area (a postcode district or sector, or a
//! place's name) and the need the matcher heard are kept: no person, address or session.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use knit_domain::insight::{AreaLevel, first_kept_month, miss_words, month_of};
use knit_domain::postcode::Postcode;
use knit_store::insight::SearchMiss;
use knit_store::{SharedStore, Store};

use crate::search_engine::SearchEngine;

/// Distinct misses held between writes; beyond this, new ones wait for the next write.
const MAX_PENDING: usize = 20_000;
/// How often `knit serve` writes the counts.
pub const WRITE_EVERY: Duration = Duration::from_secs(30);
/// How often old counts are removed.
const PURGE_EVERY: Duration = Duration::from_secs(24 * 60 * 60);

type MissKey = (String, String, String, String);

/// Misses noted since the last write.
#[derive(Debug, Default)]
pub struct MissLog {
    pending: Mutex<HashMap<MissKey, u64>>,
    /// The areas misses are counted by: a postcode's, at the insight level's grain.
    level: AreaLevel,
}

impl MissLog {
    /// Misses counted by the postcode areas of the insight `level`.
    pub fn counting_by(level: AreaLevel) -> MissLog {
        MissLog {
            pending: Mutex::default(),
            level: level.of_postcodes(),
        }
    }

    /// Notes one search that found nothing. `near` is what was typed in "near"; `need` the
    /// matcher's strongest need, if any.
    pub fn note(&self, words: &str, near: Option<&str>, need: Option<&str>, now: DateTime<Utc>) {
        let Some(words) = miss_words(words) else {
            return;
        };
        let area = near
            .map(|near| area_of(near, self.level))
            .unwrap_or_default();
        let key = (
            month_of(now.date_naive()),
            words,
            area,
            need.unwrap_or("").to_owned(),
        );
        let Ok(mut pending) = self.pending.lock() else {
            return;
        };
        if pending.len() >= MAX_PENDING && !pending.contains_key(&key) {
            return;
        }
        *pending.entry(key).or_default() += 1;
    }

    /// Everything noted so far, emptied.
    pub fn take(&self) -> Vec<SearchMiss> {
        let Ok(mut pending) = self.pending.lock() else {
            return Vec::new();
        };
        pending
            .drain()
            .map(|((month, words, area, need), count)| SearchMiss {
                month,
                words,
                area,
                need,
                count,
            })
            .collect()
    }

    fn put_back(&self, misses: Vec<SearchMiss>) {
        if let Ok(mut pending) = self.pending.lock() {
            for m in misses {
                *pending
                    .entry((m.month, m.words, m.area, m.need))
                    .or_default() += m.count;
            }
        }
    }
}

/// The area of what was typed in "near": a postcode's district or sector (never the full
/// postcode), a place's name as the directory knows places, or nothing for a position.
fn area_of(near: &str, level: AreaLevel) -> String {
    let near = near.trim();
    if let Ok(postcode) = Postcode::parse(near) {
        return level.area_of(&postcode).unwrap_or_default();
    }
    if near.chars().any(|c| c.is_ascii_digit() || c == '@') {
        return String::new();
    }
    // A town or village: kept as typed, tidied, and short.
    near.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(40)
        .collect::<String>()
        .to_lowercase()
}

/// Writes what was noted; on failure the counts are kept for the next try.
pub async fn write(store: &dyn Store, engine: &SearchEngine) -> knit_store::Result<usize> {
    let misses = engine.misses.take();
    let n = misses.len();
    if let Err(e) = store.add_search_misses(&misses).await {
        engine.misses.put_back(misses);
        return Err(e);
    }
    Ok(n)
}

/// Removes counts older than twelve months.
pub async fn purge(store: &dyn Store, now: DateTime<Utc>) -> knit_store::Result<u64> {
    store
        .purge_search_misses(&first_kept_month(now.date_naive()))
        .await
}

/// The background job of `knit serve`.
pub async fn run(store: SharedStore, engine: std::sync::Arc<SearchEngine>) {
    let mut since_purge = PURGE_EVERY;
    loop {
        if let Err(e) = write(store.as_ref(), &engine).await {
            tracing::warn!(error = %e, "could not write search misses");
        }
        if since_purge >= PURGE_EVERY {
            since_purge = Duration::ZERO;
            match purge(store.as_ref(), Utc::now()).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "old search misses removed"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not remove old search misses"),
            }
        }
        tokio::time::sleep(WRITE_EVERY).await;
        since_purge += WRITE_EVERY;
    }
}
