//! Putting a running Knit together: a store, the search engine built from it, the router.

use std::sync::Arc;

use knit_store::Store;
use knit_web::{AppState, SearchEngine, Site};

pub async fn state(store: Arc<dyn Store>, site: Site) -> anyhow::Result<AppState> {
    let engine = SearchEngine::load(store.as_ref()).await?;
    Ok(AppState {
        store,
        engine: Arc::new(engine),
        site: Arc::new(site),
    })
}

/// Puts services into the store and the running search engine together, so search is
/// current the moment a write is done.
pub async fn put_services(
    state: &AppState,
    services: &[knit_domain::Service],
) -> anyhow::Result<knit_store::ImportSummary> {
    let summary = state.store.put_services(services).await?;
    state.engine.upsert_all(services);
    Ok(summary)
}

/// Loads Knit's demo town into a store.
pub async fn load_demo(store: &dyn Store) -> anyhow::Result<()> {
    store.put_services(&crate::demo::directory()).await?;
    store.put_postcodes(&crate::demo::postcodes()).await?;
    store.put_places(&crate::demo::places()).await?;
    Ok(())
}

pub fn demo_site() -> Site {
    Site {
        name: format!("Help in {}", crate::demo::TOWN),
        area: format!("{} and its villages", crate::demo::TOWN),
        ..Site::default()
    }
}
