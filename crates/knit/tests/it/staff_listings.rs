//! Listing changes over real HTTP, on SQLite and PostgreSQL: Sam, a volunteer at the Kestle
//! Valley Food Bank, proposes a new description for one of its services; Priya, the place
//! lead, rejects one change and approves another; the public page and search show the
//! approved description at once. Olu, partner staff of another organisation, can neither
//! propose for the food bank nor see its pending changes.

use knit_domain::account::{Membership, OrganizationId};
use knit_domain::totp::TotpSecret;
use knit_store::ServiceFilter;
use knit_store::accounts::AuditFilter;
use uuid::Uuid;

use crate::staff_pages::{Browser, field_value, make_user};
use crate::support::{Backend, TestApp, backends};

/// A word no demo listing uses, so search finds it only in the approved description.
const NEW_WORD: &str = "kumquats";

async fn body(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.unwrap()
}

async fn audit_count(app: &TestApp, action: &str, object_id: &str) -> usize {
    let filter = AuditFilter {
        action: Some(action.to_owned()),
        ..AuditFilter::default()
    };
    let events = app.store().audit_events(0, 1000, &filter).await.unwrap();
    events
        .iter()
        .filter(|e| e.object_id.as_deref() == Some(object_id))
        .count()
}

/// The id of the pending change linked from the place lead's list for this service.
fn change_id(list: &str) -> String {
    let start = list
        .find("/staff/listing-changes/")
        .expect("a change is listed")
        + 23;
    list[start..start + 36].to_owned()
}

async fn partner_staff_propose_and_a_place_lead_decides(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let store = app.store();
    let food_bank = store
        .organizations(0, 200)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "Kestle Valley Food Bank")
        .expect("the demo food bank");
    let filter = ServiceFilter {
        organization_id: Some(food_bank.id),
        ..ServiceFilter::default()
    };
    let service = store.services_after(None, 1, &filter).await.unwrap()[0].clone();
    let old_description = service.description.clone().expect("a description");
    let org = OrganizationId(food_bank.id);
    let service_path = format!("/services/{}", service.id);
    let edit_path = format!("/staff/listings/{}/edit", service.id);

    let secret = TotpSecret::from_random_bytes([31; 20]);
    let sam = make_user(
        &app,
        "Sam Okafor",
        "sam@example.org",
        vec![Membership::partner_staff(org)],
        Some(&secret),
    )
    .await;
    let mut sam_browser = Browser::new(&app, "198.51.100.31");
    sam_browser.sign_in("sam@example.org", Some(&secret)).await;
    let staff = sam_browser.get("/staff").await;
    assert!(staff.body.contains("/staff/listings"), "{}", staff.body);
    assert!(!staff.body.contains("/staff/listing-changes"));

    // Sam sees the food bank's listings and opens the form, prefilled.
    let listings = sam_browser.get("/staff/listings").await;
    assert_eq!(listings.status, 200);
    assert!(listings.body.contains(&edit_path), "{}", listings.body);
    let form = sam_browser.get(&edit_path).await;
    assert_eq!(form.status, 200);
    assert!(field_value(&form.body, "name").is_some_and(|n| n.contains(&service.name[..3])));

    // A forged form changes nothing; an empty name is sent back.
    let forged = sam_browser
        .post(&edit_path, &[("name", "X"), ("csrf", "nonsense")])
        .await;
    assert_eq!(forged.status, 403);
    let no_name = sam_browser.submit(&edit_path, &[("name", " ")]).await;
    assert_eq!(no_name.status, 422);
    assert!(no_name.body.contains("Enter the service"));

    let first = format!("Food parcels on Tuesdays; we also have {NEW_WORD}.");
    let proposed = sam_browser
        .submit(
            &edit_path,
            &[
                ("name", service.name.as_str()),
                ("description", first.as_str()),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(proposed.status, 200, "{}", proposed.body);
    let pending = store.pending_listing_changes(Some(org)).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].proposed_by, sam.id);

    // Nothing public changes yet.
    let public = body(&app, &service_path).await;
    assert!(!public.contains(NEW_WORD));
    let search = body(&app, &format!("/search?q={NEW_WORD}")).await;
    assert!(!search.contains(&service.name));

    // Olu, of another organisation, may not propose for the food bank nor see its changes.
    let other_secret = TotpSecret::from_random_bytes([32; 20]);
    let other = OrganizationId(Uuid::from_u128(0x0eee));
    make_user(
        &app,
        "Olu Adeyemi",
        "olu@example.org",
        vec![Membership::partner_staff(other)],
        Some(&other_secret),
    )
    .await;
    let mut olu = Browser::new(&app, "198.51.100.32");
    olu.sign_in("olu@example.org", Some(&other_secret)).await;
    assert_eq!(olu.get(&edit_path).await.status, 403);
    let refused = olu.submit(&edit_path, &[("name", "Olu's food bank")]).await;
    assert_eq!(refused.status, 403);
    assert_eq!(olu.get("/staff/listing-changes").await.status, 403);
    let olu_listings = olu.get("/staff/listings").await;
    assert!(!olu_listings.body.contains(&edit_path));
    assert_eq!(
        store
            .pending_listing_changes(Some(org))
            .await
            .unwrap()
            .len(),
        1
    );

    // Priya sees the change with what differs, old and new.
    let lead_secret = TotpSecret::from_random_bytes([33; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&lead_secret),
    )
    .await;
    let mut priya = Browser::new(&app, "198.51.100.33");
    priya.sign_in("priya@example.org", Some(&lead_secret)).await;
    let list = priya.get("/staff/listing-changes").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Kestle Valley Food Bank"));
    assert!(list.body.contains("Sam Okafor"));
    assert!(list.body.contains(NEW_WORD), "the new description is shown");
    assert!(list.body.contains("Description"));
    let first_id = change_id(&list.body);
    let change_path = format!("/staff/listing-changes/{first_id}");
    let page = priya.get(&change_path).await;
    assert_eq!(page.status, 200);

    // A rejection needs a reason, and leaves the directory as it was.
    let no_reason = priya
        .submit(&change_path, &[("decision", "reject"), ("reason", "  ")])
        .await;
    assert_eq!(no_reason.status, 422);
    let rejected = priya
        .submit(
            &change_path,
            &[("decision", "reject"), ("reason", "We open on Fridays")],
        )
        .await;
    assert_eq!(rejected.status, 303);
    let unchanged = store.service(service.id).await.unwrap().unwrap();
    assert_eq!(
        unchanged.description.as_deref(),
        Some(old_description.as_str())
    );
    let again = priya.submit(&change_path, &[("decision", "approve")]).await;
    assert_eq!(again.status, 409, "a change is decided once");
    // Sam sees what became of his proposal, and why.
    let mine = sam_browser.get("/staff/listings").await;
    assert!(
        mine.body.contains("Not approved: We open on Fridays"),
        "{}",
        mine.body
    );
    assert!(!body(&app, &service_path).await.contains(NEW_WORD));

    // Sam proposes again; Priya approves it, and it is public at once.
    let second = format!("Food parcels on Fridays; we also have {NEW_WORD}.");
    let proposed = sam_browser
        .submit(
            &edit_path,
            &[
                ("name", service.name.as_str()),
                ("description", second.as_str()),
            ],
        )
        .await;
    assert_eq!(proposed.status, 200);
    let list = priya.get("/staff/listing-changes").await;
    let second_id = change_id(&list.body);
    assert_ne!(second_id, first_id);
    let approved = priya
        .submit(
            &format!("/staff/listing-changes/{second_id}"),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303);
    let stored = store.service(service.id).await.unwrap().unwrap();
    assert_eq!(stored.description.as_deref(), Some(second.as_str()));
    assert_eq!(stored.assured_date, Some(chrono::Utc::now().date_naive()));
    let public = body(&app, &service_path).await;
    assert!(public.contains(NEW_WORD), "the public page shows it");
    let search = body(&app, &format!("/search?q={NEW_WORD}")).await;
    assert!(search.contains(&service.name), "search finds it at once");
    assert!(
        store
            .pending_listing_changes(None)
            .await
            .unwrap()
            .is_empty()
    );

    // A third proposal is approved with the place lead's own correction, which is what the
    // directory then shows; the form she corrects starts from the proposal.
    let third = "Food parcels on Fridays and Saturdays.";
    let proposed = sam_browser
        .submit(&edit_path, &[("name", "Fud bank"), ("description", third)])
        .await;
    assert_eq!(proposed.status, 200);
    let list = priya.get("/staff/listing-changes").await;
    let third_id = change_id(&list.body);
    let third_path = format!("/staff/listing-changes/{third_id}");
    let page = priya.get(&third_path).await;
    assert_eq!(field_value(&page.body, "name").as_deref(), Some("Fud bank"));
    let edited = priya
        .submit(
            &third_path,
            &[
                ("decision", "approve_with_edits"),
                ("name", service.name.as_str()),
                ("description", third),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let stored = store.service(service.id).await.unwrap().unwrap();
    assert_eq!(stored.name, service.name, "the corrected name is kept");
    assert_eq!(stored.description.as_deref(), Some(third));
    assert!(
        body(&app, &service_path)
            .await
            .contains("Fridays and Saturdays")
    );
    let decided = store
        .listing_change(third_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(decided.status.code(), "approved_with_edits");

    // Every proposal and decision is in the audit log, and so are Olu's refusals.
    assert_eq!(
        audit_count(&app, "approve_listing_edit", &third_id).await,
        1
    );
    assert_eq!(
        audit_count(&app, "suggest_listing_edit", &first_id).await,
        1
    );
    assert_eq!(
        audit_count(&app, "suggest_listing_edit", &second_id).await,
        1
    );
    assert_eq!(
        audit_count(&app, "approve_listing_edit", &first_id).await,
        1
    );
    assert_eq!(
        audit_count(&app, "approve_listing_edit", &second_id).await,
        1
    );
    let filter = AuditFilter {
        action: Some("suggest_listing_edit".to_owned()),
        ..AuditFilter::default()
    };
    let refusals = store
        .audit_events(0, 1000, &filter)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == knit_domain::audit::Outcome::Denied)
        .count();
    assert_eq!(refusals, 2, "Olu's two refusals");
}

#[tokio::test]
async fn partner_staff_propose_listing_changes_that_place_leads_decide() {
    for backend in backends() {
        partner_staff_propose_and_a_place_lead_decides(backend).await;
    }
}
