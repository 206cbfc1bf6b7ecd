//! The search engine of one Knit process: the directory index, the API catalogue and the
//! needs matcher, built from the store at start and kept current on every write.

use std::collections::HashSet;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
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
    /// The last directory change this engine has taken in.
    applied: AtomicU64,
}

/// How many services to read from the store at a time while building.
const BATCH: u32 = 2_000;

impl SearchEngine {
    pub fn new() -> SearchEngine {
        SearchEngine::default()
    }

    /// Reads the whole directory from the store, a batch at a time.
    pub async fn load(store: &dyn Store) -> knit_store::Result<SearchEngine> {
        let engine = SearchEngine::new();
        // Noted before reading, so a write made while loading is taken in again later.
        engine
            .applied
            .store(store.last_directory_change().await?, Ordering::SeqCst);
        let mut after = None;
        loop {
            let batch = store
                .services_after(after, BATCH, &ServiceFilter::default())
                .await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            engine.upsert_all(&batch);
        }
        Ok(engine)
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
