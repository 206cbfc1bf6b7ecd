//! A place lead approves an organisation as a partner: Priya sees the food bank waiting,
//! approves it, and can withdraw approval; the decision is audited; partner staff cannot
//! approve anyone. On SQLite and PostgreSQL.

use knit_domain::account::{Membership, OrganizationId};
use knit_domain::totp::TotpSecret;
use knit_store::accounts::AuditFilter;

use crate::staff_pages::{Browser, make_user};
use crate::support::{Backend, TestApp, backends};

async fn a_place_lead_approves_an_organisation(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let store = app.store();
    let food_bank = store
        .organizations(0, 200)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "Kestle Valley Food Bank")
        .unwrap();
    let org = OrganizationId(food_bank.id);
    let lead_secret = TotpSecret::from_random_bytes([91; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&lead_secret),
    )
    .await;
    let sam_secret = TotpSecret::from_random_bytes([92; 20]);
    make_user(
        &app,
        "Sam Okafor",
        "sam@example.org",
        vec![Membership::organization_lead(org)],
        Some(&sam_secret),
    )
    .await;

    let mut priya = Browser::new(&app, "198.51.100.91");
    priya.sign_in("priya@example.org", Some(&lead_secret)).await;
    let page = priya.get("/staff/organisations").await;
    assert_eq!(page.status, 200);
    let waiting = &page.body[..page
        .body
        .find("<h2>Approved</h2>")
        .unwrap_or(page.body.len())];
    assert!(waiting.contains("Kestle Valley Food Bank"));

    // Sam, the food bank's own lead, cannot approve it.
    let mut sam = Browser::new(&app, "198.51.100.92");
    sam.sign_in("sam@example.org", Some(&sam_secret)).await;
    let path = format!("/staff/organisations/{}", food_bank.id);
    assert_eq!(
        sam.submit(&path, &[("decision", "approve")]).await.status,
        403
    );
    assert!(store.organization_approval(org).await.unwrap().is_none());

    let bad = priya.submit(&path, &[("decision", "maybe")]).await;
    assert_eq!(bad.status, 422);
    let approved = priya.submit(&path, &[("decision", "approve")]).await;
    assert_eq!(approved.status, 303);
    let approval = store.organization_approval(org).await.unwrap().unwrap();
    let page = priya.get("/staff/organisations").await;
    let approved_part = &page.body[page.body.find("<h2>Approved</h2>").unwrap()..];
    assert!(approved_part.contains("Kestle Valley Food Bank"));
    let audited = store
        .audit_events(
            0,
            1_000,
            &AuditFilter {
                action: Some("approve_organization".to_owned()),
                object_id: Some(food_bank.id.to_string()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, Some(approval.approved_by));

    let withdrawn = priya.submit(&path, &[("decision", "withdraw")]).await;
    assert_eq!(withdrawn.status, 303);
    assert!(store.organization_approval(org).await.unwrap().is_none());
}

#[tokio::test]
async fn a_place_lead_approves_and_withdraws_an_organisation() {
    for backend in backends() {
        a_place_lead_approves_an_organisation(backend).await;
    }
}
