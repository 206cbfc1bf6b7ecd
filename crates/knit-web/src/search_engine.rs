//! The search engine of one Knit process: the directory index, the API catalogue and the
//! needs matcher, built from the store at start and kept current on every write.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use knit_domain::Service;
use knit_search::catalogue::Catalogue;
use knit_search::{DirectoryIndex, Matcher};
use knit_store::{ServiceFilter, SharedStore, Store};
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct SearchEngine {
    pub(crate) index: RwLock<DirectoryIndex>,
    pub(crate) catalogue: RwLock<Catalogue>,
    pub(crate) matcher: Matcher,
    /// Searches that found nothing, waiting to be counted (`insight::misses`).
    pub(crate) misses: crate::insight::misses::MissLog,
    /// The last directory change this engine has taken in.
    applied: AtomicU64,
}

/// How many services to read from the store at a time while catching up.
const BATCH: u32 = 2_000;

/// How many services to read at a time while loading: small, since a few batches are in
/// flight at once and each service read whole is many times its share of the index.
const LOAD_BATCH: u32 = 500;

impl SearchEngine {
    pub fn new() -> SearchEngine {
        SearchEngine::default()
    }

    /// Reads the whole directory from the store a batch at a time, while two threads of
    /// their own build the directory index and the catalogue from the batches already
    /// read: reading (SQLite, then the JSON of each service) is about half of the work of
    /// starting, indexing and cataloguing the other half.
    pub async fn load(store: &dyn Store) -> knit_store::Result<SearchEngine> {
        // Noted before reading, so a write made while loading is taken in again later.
        let applied = store.last_directory_change().await?;
        let (to_index, index_batches) = tokio::sync::mpsc::channel::<Arc<Vec<Service>>>(1);
        let (to_catalogue, catalogue_batches) = tokio::sync::mpsc::channel(1);
        let index = tokio::task::spawn_blocking(move || {
            build(index_batches, DirectoryIndex::new(), DirectoryIndex::upsert)
        });
        let catalogue = tokio::task::spawn_blocking(move || {
            build(catalogue_batches, Catalogue::default(), Catalogue::upsert)
        });
        let mut after = None;
        loop {
            let batch = store
                .services_after(after, LOAD_BATCH, &ServiceFilter::default())
                .await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            let batch = Arc::new(batch);
            // A builder only stops early by panicking, which the join below reports.
            if to_index.send(Arc::clone(&batch)).await.is_err()
                || to_catalogue.send(batch).await.is_err()
            {
                break;
            }
        }
        drop((to_index, to_catalogue));
        let index = built(index.await);
        let catalogue = built(catalogue.await);
        Ok(SearchEngine {
            index: RwLock::new(index),
            catalogue: RwLock::new(catalogue),
            matcher: Matcher::default(),
            misses: Default::default(),
            applied: AtomicU64::new(applied),
        })
    }

    /// Counts searches that found nothing by the postcode areas of the insight `level`.
    pub fn counting_misses_by(mut self, level: knit_domain::insight::AreaLevel) -> SearchEngine {
        self.misses = crate::insight::misses::MissLog::counting_by(level);
        self
    }

    pub fn upsert_all(&self, services: &[Service]) {
        let mut index = self.index.write().expect("index lock");
        let mut catalogue = self.catalogue.write().expect("catalogue lock");
        for service in services {
            index.upsert(service);
            catalogue.upsert(service);
        }
    }

    pub fn remove(&self, id: Uuid) {
        self.index.write().expect("index lock").remove(id);
        self.catalogue.write().expect("catalogue lock").remove(id);
    }

    pub fn len(&self) -> usize {
        self.catalogue.read().expect("catalogue lock").len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Takes in every write made since the last catch-up, by this instance or another one
    /// (an import from the command line, a second server on the same PostgreSQL).
    /// Returns how many services changed.
    pub async fn catch_up(&self, store: &dyn Store) -> knit_store::Result<usize> {
        let mut changed = 0;
        loop {
            let after = self.applied.load(Ordering::SeqCst);
            let changes = store.directory_changes_after(after, BATCH).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let mut ids: Vec<Uuid> = changes.iter().map(|c| c.service_id).collect();
            let mut seen = HashSet::new();
            ids.retain(|id| seen.insert(*id));
            let services = store.services_by_id(&ids).await?;
            self.upsert_all(&services);
            let found: HashSet<Uuid> = services.iter().map(|s| s.id).collect();
            for gone in ids.iter().filter(|id| !found.contains(id)) {
                self.remove(*gone);
            }
            changed += ids.len();
            self.applied.store(last, Ordering::SeqCst);
        }
        Ok(changed)
    }

    /// Catches up every `every`, for as long as the process runs.
    pub async fn follow(self: std::sync::Arc<Self>, store: SharedStore, every: Duration) {
        loop {
            tokio::time::sleep(every).await;
            if let Err(e) = self.catch_up(store.as_ref()).await {
                tracing::warn!(error = %e, "could not take in directory changes; trying again");
            }
        }
    }

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}

/// A part built on a thread of its own; a panic there is a bug, so it is passed on.
fn built<T>(joined: Result<T, tokio::task::JoinError>) -> T {
    joined.unwrap_or_else(|e| panic!("building the search engine failed: {e}"))
}

/// Feeds every batch that arrives to one part of the engine, on a thread of its own.
fn build<T>(
    mut batches: tokio::sync::mpsc::Receiver<Arc<Vec<Service>>>,
    mut part: T,
    upsert: impl Fn(&mut T, &Service),
) -> T {
    while let Some(batch) = batches.blocking_recv() {
        for service in batch.iter() {
            upsert(&mut part, service);
        }
    }
    part
}
