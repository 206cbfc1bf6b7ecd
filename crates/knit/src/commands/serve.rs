//! `knit serve` and `knit demo`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use knit_web::Site;
use tokio::net::TcpListener;

use super::open_store;
use crate::app;
use crate::cli::Global;
use crate::config;

pub async fn serve(global: &Global, bind: &str, site: Site) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    if site.insight_area.needs_wards() && store.wards().await?.is_empty() {
        anyhow::bail!(
            "insight is set to count by {} (KNIT_INSIGHT_AREA), but no wards are held: \
             run `knit import wards CENTRES.csv NAMES.csv` first",
            site.insight_area.label()
        );
    }
    let state = app::state(store, site).await?;
    run(global, state, bind, "").await
}

pub async fn demo(global: &Global, bind: &str) -> anyhow::Result<()> {
    let (_, url) = config::demo_database(&global.data_dir)?;
    let store = knit_store::open(&url)
        .await
        .context("could not create the demo database")?;
    super::use_keys(global, store.as_ref())?;
    app::load_demo(store.as_ref()).await?;
    app::add_demo_staff(store.as_ref()).await?;
    crate::demo::insight::seed(store.as_ref()).await?;
    println!(
        "Demo connector (for this demo only): {} / {}",
        crate::demo::DEMO_CONNECTOR_EMAIL,
        crate::demo::DEMO_CONNECTOR_PASSWORD
    );
    println!(
        "Demo place lead (for this demo only): {} / {}, two-factor secret {}",
        crate::demo::DEMO_LEAD_EMAIL,
        crate::demo::DEMO_LEAD_PASSWORD,
        knit_domain::totp::TotpSecret::from_random_bytes(*crate::demo::DEMO_LEAD_TOTP_SECRET)
            .to_base32()
    );
    let site = knit_web::Site {
        trusted_proxies: global.trusted_proxies.clone(),
        ..app::demo_site()
    };
    let state = app::state(store, site).await?;
    run(global, state, bind, &demo_staff_notice()).await
}

/// How often a server takes in directory writes made elsewhere (an import, another
/// instance): a few seconds' delay is invisible to someone searching.
const FOLLOW_CHANGES_EVERY: Duration = Duration::from_secs(2);

/// The demo staff accounts, to print once the address is known.
fn demo_staff_notice() -> String {
    use crate::demo::staff::{DEMO_STAFF, DEMO_STAFF_PASSWORD};
    let mut out = format!(
        "Demo staff (for this demo only), password \"{DEMO_STAFF_PASSWORD}\", two-factor secret:"
    );
    for staff in DEMO_STAFF {
        out.push_str(&format!(
            "\n  {:<38} {}",
            staff.email,
            staff.secret().to_base32()
        ));
    }
    out
}

/// `notice` is printed after the address, when not empty.
async fn run(
    global: &Global,
    state: knit_web::AppState,
    bind: &str,
    notice: &str,
) -> anyhow::Result<()> {
    let mailer = knit_web::mail::from_env(&global.data_dir).context("could not set up email")?;
    // Background jobs, stopped before the database is closed at the end.
    let jobs = [
        tokio::spawn(knit_web::mail::queue::run(state.store.clone(), mailer)),
        tokio::spawn(knit_web::directory::listing_checks::run(
            state.store.clone(),
        )),
        tokio::spawn(knit_web::referrals::chaser::run(
            state.store.clone(),
            state.site.chase,
        )),
        tokio::spawn(knit_web::insight::misses::run(
            state.store.clone(),
            Arc::clone(&state.engine),
        )),
        tokio::spawn(knit_web::insight::keep_fresh(state.clone())),
        tokio::spawn(knit_web::volunteering::chaser::run(state.store.clone())),
        tokio::spawn(knit_web::fund::reminders::run(
            state.store.clone(),
            state.site.name.clone(),
        )),
        tokio::spawn(knit_web::assets::reminders::run(state.store.clone())),
        tokio::spawn(Arc::clone(&state.engine).follow(state.store.clone(), FOLLOW_CHANGES_EVERY)),
    ];
    let listener = TcpListener::bind(bind)
        .await
        .with_context(|| format!("could not listen on {bind}"))?;
    let address = listener.local_addr()?;
    println!(
        "Knit is running at http://{address}/ with {} services. Press Ctrl+C to stop.",
        state.engine.len()
    );
    if !notice.is_empty() {
        println!("{notice}");
    }
    tracing::info!(%address, services = state.engine.len(), "serving");
    let store = state.store.clone();
    let app = knit_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")?;
    for job in &jobs {
        job.abort();
    }
    store
        .close()
        .await
        .context("the server stopped, but the database did not close cleanly")
}
