//! The insight pages' figures, kept for a few minutes. Each is a sum over a year of a
//! county's referrals and searches and over its whole directory: hundreds of milliseconds
//! of database work that would otherwise be repeated, unchanged to within a referral or
//! two, on every view, download and reload, and on the public map by anyone who cares to
//! ask. Each instance works a set of figures out at most once every [`FRESH_FOR`] and
//! shows when it did. `knit serve` works the usual sets out at start and renews any set
//! someone looked at lately before it goes stale (`super::keep_fresh`), so a view does not
//! wait for the database.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use knit_domain::disclosure::Disclosure;

use super::map::MapFigures;
use super::network::NetworkFigures;

/// How long figures are shown before they are worked out again.
pub const FRESH_FOR: Duration = Duration::from_secs(5 * 60);
/// Figures nobody has looked at for this long are not renewed: an idle place does no work.
const WATCHED_FOR: Duration = Duration::from_secs(60 * 60);
/// Sets of figures kept at once for one page (one per distance asked for, and so on): the
/// oldest goes first.
const KEPT: usize = 16;

/// Figures and when they were worked out.
pub(crate) struct Worked<V> {
    pub figures: Arc<V>,
    pub at: DateTime<Utc>,
}

struct Slot<K, V> {
    key: K,
    made: Instant,
    at: DateTime<Utc>,
    figures: Arc<V>,
    /// When someone last looked at these figures.
    viewed: Instant,
}

/// Figures of one kind, by what they were asked for with.
pub(crate) struct Fresh<K, V> {
    slots: Mutex<Vec<Slot<K, V>>>,
    /// One piece of work at a time, so that a burst of views of a stale page works its
    /// figures out once, not once per view.
    working: tokio::sync::Mutex<()>,
    fresh_for: Duration,
    watched_for: Duration,
}

impl<K: PartialEq + Clone, V> Fresh<K, V> {
    fn new(fresh_for: Duration, watched_for: Duration) -> Fresh<K, V> {
        Fresh {
            slots: Mutex::new(Vec::new()),
            working: tokio::sync::Mutex::new(()),
            fresh_for,
            watched_for,
        }
    }

    /// Kept figures for `key` while fresh; `looked` marks them as seen by someone.
    fn kept(&self, key: &K, looked: bool) -> Option<Worked<V>> {
        let mut slots = self.slots.lock().ok()?;
        let slot = slots
            .iter_mut()
            .find(|s| s.key == *key && s.made.elapsed() < self.fresh_for)?;
        if looked {
            slot.viewed = Instant::now();
        }
        Some(Worked {
            figures: Arc::clone(&slot.figures),
            at: slot.at,
        })
    }

    /// The figures for `key`: kept ones while fresh, otherwise `work`'s.
    pub(crate) async fn get<E, Fut>(
        &self,
        key: K,
        work: impl FnOnce() -> Fut,
    ) -> Result<Worked<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(kept) = self.kept(&key, true) {
            return Ok(kept);
        }
        let _one_at_a_time = self.working.lock().await;
        // Another view may have worked them out while this one waited.
        if let Some(kept) = self.kept(&key, true) {
            return Ok(kept);
        }
        self.work_out(key, work, Some(Instant::now())).await
    }

    /// Works `key`'s figures out now, in place of any kept, as a renewal: nobody is looking.
    pub(crate) async fn renew<E, Fut>(&self, key: K, work: impl FnOnce() -> Fut) -> Result<(), E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let _one_at_a_time = self.working.lock().await;
        self.work_out(key, work, None).await.map(|_| ())
    }

    /// Works the figures out and keeps them. `viewed` is when someone looked, or `None` to
    /// keep the time of the figures they replace.
    async fn work_out<E, Fut>(
        &self,
        key: K,
        work: impl FnOnce() -> Fut,
        viewed: Option<Instant>,
    ) -> Result<Worked<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let at = Utc::now();
        let figures = Arc::new(work().await?);
        if let Ok(mut slots) = self.slots.lock() {
            let before = slots.iter().find(|s| s.key == key).map(|s| s.viewed);
            let viewed = viewed.or(before).unwrap_or_else(|| {
                // Worked out ahead of anyone asking: counts as just seen, so it is renewed
                // for a while and then, if nobody comes, left.
                Instant::now()
            });
            slots.retain(|s| s.key != key && s.made.elapsed() < self.fresh_for);
            if slots.len() >= KEPT {
                slots.remove(0);
            }
            slots.push(Slot {
                key,
                made: Instant::now(),
                at,
                figures: Arc::clone(&figures),
                viewed,
            });
        }
        Ok(Worked { figures, at })
    }

    /// The keys whose figures go stale within a fifth of their life and that someone looked
    /// at lately: what to renew now.
    pub(crate) fn due(&self) -> Vec<K> {
        let renew_after = self.fresh_for.mul_f64(0.8);
        self.slots
            .lock()
            .map(|slots| {
                slots
                    .iter()
                    .filter(|s| s.made.elapsed() >= renew_after)
                    .filter(|s| s.viewed.elapsed() < self.watched_for)
                    .map(|s| s.key.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn forget(&self) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.clear();
        }
    }
}

/// What the agency map was asked for: with casework or without, how figures are
/// disclosed, and the distance (as bits, to compare exactly).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MapKey {
    pub casework: bool,
    pub disclosure: Disclosure,
    pub within_km_bits: u64,
}

/// Every insight page's kept figures.
pub struct KeptFigures {
    pub(crate) map: Fresh<MapKey, MapFigures>,
    pub(crate) network: Fresh<Disclosure, NetworkFigures>,
}

impl Default for KeptFigures {
    fn default() -> KeptFigures {
        KeptFigures::fresh_for(FRESH_FOR)
    }
}

impl KeptFigures {
    /// Figures kept for `fresh_for`; `Duration::ZERO` works them out on every view.
    pub fn fresh_for(fresh_for: Duration) -> KeptFigures {
        KeptFigures {
            map: Fresh::new(fresh_for, WATCHED_FOR),
            network: Fresh::new(fresh_for, WATCHED_FOR),
        }
    }

    /// Drops every kept figure, so the next view works them out again.
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
    async fn figures_are_worked_out_once_while_fresh_and_again_when_stale() {
        let calls = AtomicU32::new(0);
        let kept = Fresh::new(Duration::from_secs(60), WATCHED_FOR);
        assert_eq!(count(&kept, 1, &calls).await, 1);
        assert_eq!(count(&kept, 1, &calls).await, 1, "kept while fresh");
        assert_eq!(count(&kept, 2, &calls).await, 2, "another key is its own");
        kept.forget();
        assert_eq!(
            count(&kept, 1, &calls).await,
            3,
            "forgotten, worked out again"
        );

        let stale_at_once = Fresh::new(Duration::ZERO, WATCHED_FOR);
        assert_eq!(count(&stale_at_once, 1, &calls).await, 4);
        assert_eq!(count(&stale_at_once, 1, &calls).await, 5);
    }

    #[tokio::test]
    async fn a_failure_is_not_kept_and_old_keys_make_way() {
        let kept: Fresh<u8, u32> = Fresh::new(Duration::from_secs(60), WATCHED_FOR);
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
    async fn figures_looked_at_are_renewed_before_they_go_stale_and_others_left() {
        let calls = AtomicU32::new(0);
        let kept: Fresh<u8, u32> =
            Fresh::new(Duration::from_millis(600), Duration::from_millis(1200));
        assert_eq!(count(&kept, 1, &calls).await, 1);
        assert!(kept.due().is_empty(), "fresh figures are not due");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            kept.due(),
            vec![1],
            "near the end of their life, and looked at"
        );
        kept.renew(1, || async {
            Ok::<u32, ()>(calls.fetch_add(1, Ordering::SeqCst) + 1)
        })
        .await
        .unwrap();
        assert!(kept.due().is_empty());
        assert_eq!(
            count(&kept, 1, &calls).await,
            2,
            "a view gets the renewed figures"
        );
        // Nobody looks again: after a while they are no longer renewed.
        tokio::time::sleep(Duration::from_millis(1300)).await;
        kept.renew(1, || async { Ok::<u32, ()>(0) }).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(
            kept.due().is_empty(),
            "renewal alone does not keep them watched"
        );
    }
}
