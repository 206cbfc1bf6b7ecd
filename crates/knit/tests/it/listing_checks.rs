//! Listings that go unchecked: the food bank's listing was last checked seven months ago, so
//! Sam, who works there, is reminded once; the advice centre's was checked thirteen months
//! ago, so the place lead is told too. On SQLite and PostgreSQL.

use chrono::{Months, Utc};
use knit_domain::account::{Email, Membership, OrganizationId};
use knit_domain::totp::TotpSecret;
use knit_store::ServiceFilter;
use knit_web::directory::listing_checks::remind_due;
use knit_web::mail::MemoryMailer;
use knit_web::mail::queue;

use crate::staff_pages::{Browser, make_user};
use crate::support::{Backend, TestApp, backends};

async fn unchecked_listings_are_chased(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let store = app.store();
    let now = Utc::now();
    let today = knit_domain::opening::uk_local(now).date();

    // Every listing freshly checked, then two made old.
    let mut services = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .services_after(after, 500, &ServiceFilter::default())
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        services.extend(page);
    }
    for s in &mut services {
        s.assured_date = Some(today);
    }
    let food_bank = services
        .iter()
        .position(|s| s.name.contains("food bank") || s.name.contains("Food bank"))
        .unwrap_or(0);
    let other = services
        .iter()
        .position(|s| s.organization_id != services[food_bank].organization_id)
        .unwrap();
    services[food_bank].assured_date = today.checked_sub_months(Months::new(7));
    services[other].assured_date = today.checked_sub_months(Months::new(13));
    store.put_services(&services).await.unwrap();
    let (stale, flagged) = (services[food_bank].clone(), services[other].clone());

    let sam_secret = TotpSecret::from_random_bytes([51; 20]);
    make_user(
        &app,
        "Sam Okafor",
        "sam@example.org",
        vec![Membership::partner_staff(OrganizationId(
            stale.organization_id,
        ))],
        Some(&sam_secret),
    )
    .await;
    let lead_secret = TotpSecret::from_random_bytes([52; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&lead_secret),
    )
    .await;

    let pass = remind_due(store, today, now).await.unwrap();
    assert_eq!((pass.reminded, pass.flagged), (2, 1), "{pass:?}");
    let mailer = MemoryMailer::new();
    queue::run_due(store, &mailer, now).await.unwrap();
    let to_sam = mailer.sent_to(&Email::parse("sam@example.org").unwrap());
    assert_eq!(to_sam.len(), 1);
    assert!(to_sam[0].body.contains(&stale.name));
    assert!(
        !to_sam[0].body.contains(&flagged.name),
        "only Sam's own listings"
    );
    let to_priya = mailer.sent_to(&Email::parse("priya@example.org").unwrap());
    assert_eq!(to_priya.len(), 1);
    assert!(to_priya[0].body.contains(&flagged.name));

    // Once only, however often the check runs.
    let again = remind_due(store, today, now).await.unwrap();
    assert_eq!((again.reminded, again.flagged, again.emails), (0, 0, 0));

    // The pages say so too.
    let mut sam = Browser::new(&app, "198.51.100.51");
    sam.sign_in("sam@example.org", Some(&sam_secret)).await;
    let listings = sam.get("/staff/listings").await;
    assert!(
        listings.body.contains("Due for a check"),
        "{}",
        listings.body
    );
    assert_eq!(sam.get("/staff/listings/unchecked").await.status, 403);
    let mut priya = Browser::new(&app, "198.51.100.52");
    priya.sign_in("priya@example.org", Some(&lead_secret)).await;
    let unchecked = priya.get("/staff/listings/unchecked").await;
    assert_eq!(unchecked.status, 200);
    assert!(unchecked.body.contains(&flagged.name));
    assert!(
        !unchecked.body.contains(&stale.name),
        "seven months is not a year"
    );

    // Checked again, a listing starts a new cycle: six months on, Sam is reminded afresh.
    let mut confirmed = stale.clone();
    confirmed.assured_date = Some(today);
    store.put_services(&[confirmed]).await.unwrap();
    let later = today.checked_add_months(Months::new(7)).unwrap();
    let pass = remind_due(store, later, now).await.unwrap();
    assert!(pass.reminded >= 1, "{pass:?}");
}

#[tokio::test]
async fn listings_unchecked_for_six_and_twelve_months_are_chased_once() {
    for backend in backends() {
        unchecked_listings_are_chased(backend).await;
    }
}
