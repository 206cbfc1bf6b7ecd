//! The insight pages' counts, kept for a few minutes. Each is a sum over a year of a
//! county's referrals and searches and over its whole directory: hundreds of milliseconds
//! of database work that would otherwise be repeated, unchanged to within a referral or
//! two, on every view, download and reload, and on the public map by anyone who cares to
//! ask. Each instance reads the counts at most once every [`FRESH_FOR`] and shows when it
//! did. What a view asks for beyond that (another distance, exact figures) is made from the
//! kept counts in memory ([`Counted`]), so it never waits for the database either. `knit
//! serve` reads the counts at start and renews them before they go stale
//! (`super::keep_fresh`): after the first second no view waits for the database.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use knit_domain::disclosure::Disclosure;

use super::map::{MapCounts, MapFigures};
use super::network::{NetworkCounts, NetworkFigures};

/// How long counts are shown before they are read again.
pub const FRESH_FOR: Duration = Duration::from_secs(5 * 60);
/// Sets of counts kept at once for one page: the oldest goes first.
const KEPT: usize = 16;
/// Figures made from one set of counts and kept with it (one per distance and disclosure
/// asked for): the oldest goes first.
const MADE: usize = 16;

/// What was worked out (counts, or the figures made from them) and when its counts were
/// read from the database.
pub(crate) struct Worked<V> {
    pub figures: Arc<V>,
    pub at: DateTime<Utc>,
}

struct Slot<K, V> {
    key: K,
    made: Instant,
    at: DateTime<Utc>,
    figures: Arc<V>,
}

/// Counts of one kind, by what they were asked for with.
pub(crate) struct Fresh<K, V> {
    slots: Mutex<Vec<Slot<K, V>>>,
    /// One piece of work at a time, so that a burst of views of a stale page reads its
    /// counts once, not once per view.
    working: tokio::sync::Mutex<()>,
    fresh_for: Duration,
}

impl<K: PartialEq + Clone, V> Fresh<K, V> {
    fn new(fresh_for: Duration) -> Fresh<K, V> {
        Fresh {
            slots: Mutex::new(Vec::new()),
            working: tokio::sync::Mutex::new(()),
            fresh_for,
        }
    }

    /// Kept counts for `key` while fresh.
    fn kept(&self, key: &K) -> Option<Worked<V>> {
        let slots = self.slots.lock().ok()?;
        let slot = slots
            .iter()
            .find(|s| s.key == *key && s.made.elapsed() < self.fresh_for)?;
        Some(Worked {
            figures: Arc::clone(&slot.figures),
            at: slot.at,
        })
    }

    /// The counts for `key`: kept ones while fresh, otherwise `work`'s.
    pub(crate) async fn get<E, Fut>(
        &self,
        key: K,
        work: impl FnOnce() -> Fut,
    ) -> Result<Worked<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(kept) = self.kept(&key) {
            return Ok(kept);
        }
        let _one_at_a_time = self.working.lock().await;
        // Another view may have read them while this one waited.
        if let Some(kept) = self.kept(&key) {
            return Ok(kept);
        }
        self.work_out(key, work).await
    }

    /// Reads `key`'s counts now, in place of any kept, as a renewal.
    pub(crate) async fn renew<E, Fut>(&self, key: K, work: impl FnOnce() -> Fut) -> Result<(), E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let _one_at_a_time = self.working.lock().await;
        self.work_out(key, work).await.map(|_| ())
    }

    async fn work_out<E, Fut>(&self, key: K, work: impl FnOnce() -> Fut) -> Result<Worked<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let at = Utc::now();
        let figures = Arc::new(work().await?);
        if let Ok(mut slots) = self.slots.lock() {
            slots.retain(|s| s.key != key && s.made.elapsed() < self.fresh_for);
            if slots.len() >= KEPT {
                slots.remove(0);
            }
            slots.push(Slot {
                key,
                made: Instant::now(),
                at,
                figures: Arc::clone(&figures),
            });
        }
        Ok(Worked { figures, at })
    }

    /// Those of `keys` with no counts kept, or near the end of their life: what
    /// `keep_fresh` reads again now so that no view has to.
    pub(crate) fn due(&self, keys: &[K]) -> Vec<K> {
        let renew_after = self.fresh_for.mul_f64(0.8);
        let Ok(slots) = self.slots.lock() else {
            return keys.to_vec();
        };
        keys.iter()
            .filter(|key| {
                !slots
                    .iter()
                    .any(|s| s.key == **key && s.made.elapsed() < renew_after)
            })
            .cloned()
            .collect()
    }

    /// Drops every kept set, so the next view reads the database again.
    fn forget(&self) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.clear();
        }
    }
}

impl<C, K: PartialEq, V> Worked<Counted<C, K, V>> {
    /// The figures for `key` made from these counts (once), dated by the counts.
    pub(crate) fn made(&self, key: K, make: impl FnOnce(&C) -> V) -> Worked<V> {
        Worked {
            figures: self.figures.figures(key, make),
            at: self.at,
        }
    }
}

/// Counts read from the database, with the figures made from them for each way a view
/// asked for them (`K`: a distance, a disclosure). The figures go with their counts, so
/// renewed counts start with none and nothing shown is older than the counts.
pub(crate) struct Counted<C, K, V> {
    pub counts: C,
    made: Mutex<Vec<(K, Arc<V>)>>,
}

impl<C, K: PartialEq, V> Counted<C, K, V> {
    pub(crate) fn new(counts: C) -> Counted<C, K, V> {
        Counted {
            counts,
            made: Mutex::new(Vec::new()),
        }
    }

    /// The figures for `key`, made by `make` the first time they are asked for.
    pub(crate) fn figures(&self, key: K, make: impl FnOnce(&C) -> V) -> Arc<V> {
        if let Some(made) = self.made.lock().ok().and_then(|made| {
            made.iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| Arc::clone(v))
        }) {
            return made;
        }
        let figures = Arc::new(make(&self.counts));
        if let Ok(mut made) = self.made.lock()
            && !made.iter().any(|(k, _)| *k == key)
        {
            if made.len() >= MADE {
                made.remove(0);
            }
            made.push((key, Arc::clone(&figures)));
        }
        figures
    }
}

/// What the agency map's figures were asked for with beyond its counts: with casework or
/// without, how figures are disclosed, and the distance (as bits, to compare exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MapKey {
    pub casework: bool,
    pub disclosure: Disclosure,
    pub within_km_bits: u64,
}

/// Every insight page's kept counts, one set a page: the public and staff maps share theirs.
pub struct KeptFigures {
    pub(crate) map: Fresh<(), Counted<MapCounts, MapKey, MapFigures>>,
    pub(crate) network: Fresh<(), Counted<NetworkCounts, Disclosure, NetworkFigures>>,
}

impl Default for KeptFigures {
    fn default() -> KeptFigures {
        KeptFigures::fresh_for(FRESH_FOR)
    }
}

impl KeptFigures {
    /// Counts kept for `fresh_for`; `Duration::ZERO` reads them on every view.
    pub fn fresh_for(fresh_for: Duration) -> KeptFigures {
        KeptFigures {
            map: Fresh::new(fresh_for),
            network: Fresh::new(fresh_for),
        }
    }

    /// Drops every kept count, so the next view reads the database again.
    pub fn forget(&self) {
        self.map.forget();
        self.network.forget();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    async fn count(fresh: &Fresh<u8, u32>, key: u8, calls: &AtomicU32) -> u32 {
        let worked = fresh
            .get(key, || async {
                Ok::<u32, ()>(calls.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap();
        *worked.figures
    }

    #[tokio::test]
    async fn counts_are_read_once_while_fresh_and_again_when_stale() {
        let calls = AtomicU32::new(0);
        let kept = Fresh::new(Duration::from_secs(60));
        assert_eq!(count(&kept, 1, &calls).await, 1);
        assert_eq!(count(&kept, 1, &calls).await, 1, "kept while fresh");
        assert_eq!(count(&kept, 2, &calls).await, 2, "another key is its own");
        kept.forget();
        assert_eq!(count(&kept, 1, &calls).await, 3, "forgotten, read again");

        let stale_at_once = Fresh::new(Duration::ZERO);
        assert_eq!(count(&stale_at_once, 1, &calls).await, 4);
        assert_eq!(count(&stale_at_once, 1, &calls).await, 5);
    }

    #[tokio::test]
    async fn a_failure_is_not_kept_and_old_keys_make_way() {
        let kept: Fresh<u8, u32> = Fresh::new(Duration::from_secs(60));
        let failed = kept
            .get(1, || async { Err::<u32, &str>("database down") })
            .await;
        assert!(failed.is_err());
        let calls = AtomicU32::new(0);
        assert_eq!(count(&kept, 1, &calls).await, 1, "the failure was not kept");
        for key in 2..=(KEPT as u8 + 1) {
            count(&kept, key, &calls).await;
        }
        assert_eq!(kept.slots.lock().unwrap().len(), KEPT);
        let before = calls.load(Ordering::SeqCst);
        count(&kept, 1, &calls).await;
        assert_eq!(
            calls.load(Ordering::SeqCst),
            before + 1,
            "the oldest key made way"
        );
    }

    #[tokio::test]
    async fn the_usual_counts_are_due_when_missing_or_near_stale_looked_at_or_not() {
        let calls = AtomicU32::new(0);
        let kept: Fresh<u8, u32> = Fresh::new(Duration::from_millis(600));
        assert_eq!(kept.due(&[1, 2]), vec![1, 2], "nothing read yet");
        assert_eq!(count(&kept, 1, &calls).await, 1);
        assert_eq!(kept.due(&[1, 2]), vec![2], "fresh counts are not due");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(kept.due(&[1]), vec![1], "near the end of their life");
        kept.renew(1, || async {
            Ok::<u32, ()>(calls.fetch_add(1, Ordering::SeqCst) + 1)
        })
        .await
        .unwrap();
        assert!(kept.due(&[1]).is_empty());
        assert_eq!(
            count(&kept, 1, &calls).await,
            2,
            "a view gets the renewed counts"
        );
    }

    #[test]
    fn figures_are_made_once_per_key_from_their_counts() {
        let counted: Counted<u32, u8, u32> = Counted::new(10);
        let made = AtomicU32::new(0);
        let make = |key: u8| {
            counted.figures(key, |c| {
                made.fetch_add(1, Ordering::SeqCst);
                c + u32::from(key)
            })
        };
        assert_eq!(*make(1), 11);
        assert_eq!(*make(1), 11);
        assert_eq!(made.load(Ordering::SeqCst), 1, "made once for a key");
        assert_eq!(*make(2), 12, "another key is made from the same counts");
        for key in 3..=(MADE as u8 + 2) {
            make(key);
        }
        let before = made.load(Ordering::SeqCst);
        make(1);
        assert_eq!(
            made.load(Ordering::SeqCst),
            before + 1,
            "the oldest made way"
        );
    }
}
