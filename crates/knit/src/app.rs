//! Putting a running Knit together: a store, the search engine built from it, the router.

use std::sync::Arc;

use knit_store::Store;
use knit_web::{AppState, SearchEngine, Site};

pub async fn state(store: Arc<dyn Store>, site: Site) -> anyhow::Result<AppState> {
    let engine = SearchEngine::load(store.as_ref())
        .await?
        .counting_misses_by(site.insight_area);
    Ok(AppState {
        store,
        engine: Arc::new(engine),
        site: Arc::new(site),
        volunteering: Arc::new(knit_web::volunteering::VolunteeringState::new()),
        insight: Arc::default(),
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
    let now = chrono::Utc::now();
    for plan in crate::demo::training_sessions(now) {
        store.schedule_training(&plan, None, now).await?;
    }
    crate::demo::staff::add_demo_staff(store).await?;
    crate::demo::volunteering::add_demo_volunteering(store).await?;
    crate::demo::fund::add_demo_fund(store).await?;
    crate::demo::assets::add_demo_assets(store).await?;
    Ok(())
}

/// The demo connector and place lead, for `knit demo` only: active accounts with known
/// passwords (and for the lead a known two-factor secret), so the connector's and the
/// register's pages can be tried, and tested in a browser.
pub async fn add_demo_staff(store: &dyn Store) -> anyhow::Result<()> {
    use knit_domain::account::{Email, Membership, UserStatus};
    use knit_domain::connector::ConnectorCode;
    use knit_store::accounts::NewUser;
    let now = chrono::Utc::now();
    let user = store
        .create_user(NewUser {
            name: "Dee Demo".to_owned(),
            email: Email::parse(crate::demo::DEMO_CONNECTOR_EMAIL)?,
            status: UserStatus::Active,
            password_hash: Some(knit_domain::password::hash_password(
                crate::demo::DEMO_CONNECTOR_PASSWORD,
            )),
            memberships: vec![Membership::connector()],
            at: now,
        })
        .await?;
    let code = ConnectorCode::parse(crate::demo::DEMO_CONNECTOR_CODE)?;
    store
        .enrol_connector(user.id, &code, now.date_naive(), now)
        .await?;
    // A place lead to run training, with two-factor set up long ago.
    let lead = store
        .create_user(NewUser {
            name: "Lee Demo".to_owned(),
            email: Email::parse(crate::demo::DEMO_LEAD_EMAIL)?,
            status: UserStatus::Active,
            password_hash: Some(knit_domain::password::hash_password(
                crate::demo::DEMO_LEAD_PASSWORD,
            )),
            memberships: vec![Membership::place_lead()],
            at: now,
        })
        .await?;
    let secret =
        knit_domain::totp::TotpSecret::from_random_bytes(*crate::demo::DEMO_LEAD_TOTP_SECRET);
    store.set_totp_secret(lead.id, &secret).await?;
    store.confirm_totp(lead.id, 0).await?;
    Ok(())
}

pub fn demo_site() -> Site {
    Site {
        name: format!("Help in {}", crate::demo::TOWN),
        area: format!("{} and its villages", crate::demo::TOWN),
        // A number from Ofcom's range for drama: it rings nowhere.
        coordinator_contact: Some(
            "Call a coordinator on 01632 960 000, Monday to Friday, 9am to 5pm".into(),
        ),
        ..Site::default()
    }
}
