//! "Report a problem with this page", answered: a resident reports that the food bank's
//! opening times are wrong; the food bank's staff and the place lead are emailed (without the
//! report's words); Sam at the food bank replies and resolves it. Olu, at another
//! organisation, can neither see nor answer it. On SQLite and PostgreSQL.

use chrono::Utc;
use knit_domain::account::{Email, Membership, OrganizationId};
use knit_domain::totp::TotpSecret;
use knit_store::ServiceFilter;
use knit_web::mail::MemoryMailer;
use knit_web::mail::queue;

use crate::staff_pages::{Browser, make_user};
use crate::support::{Backend, TestApp, backends};

const REPORT: &str = "The food bank now opens on Thursdays, not Tuesdays";

async fn a_reported_problem_is_answered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let store = app.store();
    let orgs = store.organizations(0, 200).await.unwrap();
    let food_bank = orgs
        .iter()
        .find(|o| o.name == "Kestle Valley Food Bank")
        .expect("the demo food bank");
    let other = orgs.iter().find(|o| o.id != food_bank.id).unwrap();
    let filter = ServiceFilter {
        organization_id: Some(food_bank.id),
        ..ServiceFilter::default()
    };
    let service = store.services_after(None, 1, &filter).await.unwrap()[0].clone();

    let sam_secret = TotpSecret::from_random_bytes([41; 20]);
    make_user(
        &app,
        "Sam Okafor",
        "sam@example.org",
        vec![Membership::partner_staff(OrganizationId(food_bank.id))],
        Some(&sam_secret),
    )
    .await;
    let lead_secret = TotpSecret::from_random_bytes([42; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&lead_secret),
    )
    .await;
    let olu_secret = TotpSecret::from_random_bytes([43; 20]);
    make_user(
        &app,
        "Olu Bello",
        "olu@example.org",
        vec![Membership::partner_staff(OrganizationId(other.id))],
        Some(&olu_secret),
    )
    .await;

    // A resident reports the problem from the public page.
    let reported = app
        .client
        .post(format!("{}/services/{}/report", app.base_url, service.id))
        .form(&[("what", REPORT)])
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), 200);

    // Sam and Priya hear of it; Olu does not. The email does not quote the report.
    let mailer = MemoryMailer::new();
    queue::run_due(store, &mailer, Utc::now()).await.unwrap();
    for (to, expected) in [
        ("sam@example.org", 1),
        ("priya@example.org", 1),
        ("olu@example.org", 0),
    ] {
        let sent = mailer.sent_to(&Email::parse(to).unwrap());
        assert_eq!(sent.len(), expected, "{to}");
        for message in sent {
            assert!(message.subject.contains(&service.name));
            assert!(
                !message.body.contains("Thursdays"),
                "the words stay behind sign-in"
            );
        }
    }

    let mut olu = Browser::new(&app, "198.51.100.43");
    olu.sign_in("olu@example.org", Some(&olu_secret)).await;
    let list = olu.get("/staff/problems").await;
    assert_eq!(list.status, 200);
    assert!(!list.body.contains(REPORT), "not Olu's organisation");
    let report_id = store.problem_reports().await.unwrap()[0].id;
    let path = format!("/staff/problems/{report_id}");
    assert_eq!(olu.get(&path).await.status, 403);
    let refused = olu
        .submit(&path, &[("kind", "resolution"), ("body", "Done")])
        .await;
    assert_eq!(refused.status, 403);

    let mut sam = Browser::new(&app, "198.51.100.41");
    sam.sign_in("sam@example.org", Some(&sam_secret)).await;
    assert!(sam.get("/staff").await.body.contains("/staff/problems"));
    let list = sam.get("/staff/problems").await;
    assert!(list.body.contains(REPORT), "{}", list.body);
    let empty = sam.submit(&path, &[("kind", "reply"), ("body", " ")]).await;
    assert_eq!(empty.status, 422);
    let replied = sam
        .submit(
            &path,
            &[("kind", "reply"), ("body", "Checking with the volunteers")],
        )
        .await;
    assert_eq!(replied.status, 303);
    assert!(!store.problem_reports().await.unwrap()[0].resolved);
    let resolved = sam
        .submit(
            &path,
            &[
                ("kind", "resolution"),
                ("body", "Listing changed to Thursdays"),
            ],
        )
        .await;
    assert_eq!(resolved.status, 303);
    assert!(store.problem_reports().await.unwrap()[0].resolved);
    let page = sam.get(&path).await;
    assert!(page.body.contains("Checking with the volunteers"));
    assert!(page.body.contains("resolved"));

    // The place lead sees it among the resolved ones.
    let mut priya = Browser::new(&app, "198.51.100.42");
    priya.sign_in("priya@example.org", Some(&lead_secret)).await;
    let list = priya.get("/staff/problems").await;
    assert!(list.body.contains("Resolved"));
    assert!(list.body.contains(&service.name));
}

#[tokio::test]
async fn a_problem_reported_from_a_public_page_is_answered_by_its_organisation() {
    for backend in backends() {
        a_reported_problem_is_answered(backend).await;
    }
}
