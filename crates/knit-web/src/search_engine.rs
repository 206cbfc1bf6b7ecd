//! The search engine of one Knit process: the directory index, the API catalogue and the
//! needs matcher, built from the store at start and kept current on every write.

use std::sync::RwLock;

use knit_domain::Service;
use knit_search::catalogue::Catalogue;
use knit_search::{DirectoryIndex, Matcher};
use knit_store::{ServiceFilter, Store};
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct SearchEngine {
    pub(crate) index: RwLock<DirectoryIndex>,
    pub(crate) catalogue: RwLock<Catalogue>,
    pub(crate) matcher: Matcher,
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

    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }
}
