//! `knit serve` and `knit demo`.

use anyhow::Context;
use knit_web::Site;
use tokio::net::TcpListener;

use super::open_store;
use crate::app;
use crate::cli::Global;
use crate::config;

pub async fn serve(global: &Global, bind: &str, site: Site) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let state = app::state(store, site).await?;
    run(state, bind).await
}

pub async fn demo(global: &Global, bind: &str) -> anyhow::Result<()> {
    let (_, url) = config::demo_database(&global.data_dir)?;
    let store = knit_store::open(&url)
        .await
        .context("could not create the demo database")?;
    app::load_demo(store.as_ref()).await?;
    let state = app::state(store, app::demo_site()).await?;
    run(state, bind).await
}

async fn run(state: knit_web::AppState, bind: &str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(bind)
        .await
        .with_context(|| format!("could not listen on {bind}"))?;
    let address = listener.local_addr()?;
    println!(
        "Knit is running at http://{address}/ with {} services. Press Ctrl+C to stop.",
        state.engine.len()
    );
    tracing::info!(%address, services = state.engine.len(), "serving");
    axum::serve(listener, knit_web::router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")
}
