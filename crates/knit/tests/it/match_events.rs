//! A volunteer match evening, end to end over real HTTP on SQLite and PostgreSQL.
//!
//! Priya, a place lead, plans an evening with the food bank and the community garden
//! coming. Rita, a resident, finds it under Volunteer and books a place without an
//! account. On the night Rita talks to the food bank about driving its van and to the
//! garden about nothing in particular; Priya records both meetings. The food bank finds
//! Rita's offer in its inbox, as any offer, and places her. A month after the evening the
//! place leads are sent how its meetings went, once, naming nobody.

use chrono::{TimeDelta, Utc};
use knit_domain::account::{Email, Membership};
use knit_store::match_events::EventsWhen;
use knit_web::mail::MemoryMailer;
use knit_web::mail::queue;
use knit_web::volunteering::match_events::send_follow_ups;

use crate::staff_pages::{Browser, signed_in};
use crate::support::{Backend, TestApp, backends};

fn email(address: &str) -> Email {
    Email::parse(address).unwrap()
}

async fn deliver_by(app: &TestApp, at: chrono::DateTime<Utc>) -> MemoryMailer {
    let mailer = MemoryMailer::new();
    queue::run_due(app.store(), &mailer, at)
        .await
        .expect("the queue runs");
    mailer
}

async fn a_match_evening_places_a_driver_and_follows_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let food_bank = knit::demo::staff::organization_id("foodbank");
    let garden = knit::demo::staff::organization_id("community-garden");
    let advice = knit::demo::staff::organization_id("advice");
    let (_, mut priya) = signed_in(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        61,
        "198.51.100.61",
    )
    .await;
    let (_, mut fran) = signed_in(
        &app,
        "Fran Baker",
        "fran@foodbank.example",
        vec![Membership::partner_staff(food_bank)],
        62,
        "198.51.100.62",
    )
    .await;

    // Priya plans the evening; forgetting who is coming keeps what she typed.
    let date = (Utc::now() + TimeDelta::days(20))
        .format("%Y-%m-%d")
        .to_string();
    let (food_bank_id, garden_id) = (food_bank.0.to_string(), garden.0.to_string());
    let mut form = vec![
        ("title", "Spring volunteer match evening"),
        ("date", date.as_str()),
        ("starts", "18:00"),
        ("ends", "20:00"),
        ("place", "Kestleford Town Hall"),
        ("capacity", "1"),
        ("trainer", "Kestleford Community Links"),
    ];
    let nobody = priya.submit("/staff/volunteering/events", &form).await;
    assert_eq!(nobody.status, 422, "{}", nobody.body);
    assert!(nobody.body.contains("Choose at least one organisation"));
    assert!(
        nobody
            .body
            .contains("value=\"Spring volunteer match evening\"")
    );
    form.push(("organizations", food_bank_id.as_str()));
    form.push(("organizations", garden_id.as_str()));
    let planned = priya.submit("/staff/volunteering/events", &form).await;
    assert_eq!(planned.status, 303, "{}", planned.body);
    let event_path = planned.location.expect("to the event's page");
    let id = event_path.trim_start_matches("/staff/volunteering/events/");
    // Only place leads run events.
    assert_eq!(fran.get("/staff/volunteering/events").await.status, 403);
    assert_eq!(fran.get(&event_path).await.status, 403);

    // Rita finds it under Volunteer, with who is coming, and not among the training.
    let (_, volunteer) = app.get_text("/volunteer").await;
    assert!(volunteer.contains("href=\"/volunteer/events\""));
    let (status, events) = app.get_text("/volunteer/events").await;
    assert_eq!(status, 200);
    assert!(
        events.contains("Spring volunteer match evening"),
        "{events}"
    );
    assert!(events.contains("Kestle Valley Food Bank") && events.contains("Northfield"));
    let (_, training) = app.get_text("/training").await;
    assert!(!training.contains("Spring volunteer match evening"));
    let (_, page) = app.get_text(&format!("/training/{id}")).await;
    assert!(page.contains("Host") && page.contains("Kestle Valley Food Bank"));
    assert!(
        !page.contains("name=\"organization\""),
        "volunteers are not asked for an organisation"
    );

    // She books the one place; Wes, after her, waits.
    let mut rita = Browser::new(&app, "203.0.113.61");
    let booked = rita
        .post(
            &format!("/training/{id}"),
            &[("name", "Rita Marsh"), ("email", "rita@example.org")],
        )
        .await;
    assert_eq!(booked.status, 200, "{}", booked.body);
    assert!(booked.body.contains("href=\"/volunteer/events\""));
    let mut wes = Browser::new(&app, "203.0.113.62");
    let waiting = wes
        .post(
            &format!("/training/{id}"),
            &[("name", "Wes Waite"), ("email", "wes@example.org")],
        )
        .await;
    assert_eq!(waiting.status, 200, "{}", waiting.body);
    let mail = deliver_by(&app, Utc::now()).await;
    let confirmation = mail.sent_to(&email("rita@example.org"));
    assert_eq!(confirmation.len(), 1);
    assert!(
        confirmation[0]
            .body
            .contains("Host: Kestleford Community Links")
    );

    // Priya records who met whom on the night.
    let bookings = app
        .store()
        .bookings(uuid::Uuid::parse_str(id).unwrap())
        .await
        .unwrap();
    let booking = |name: &str| {
        bookings
            .iter()
            .find(|b| b.name == name)
            .map(|b| b.id.to_string())
            .unwrap()
    };
    let (rita_booking, wes_booking) = (booking("Rita Marsh"), booking("Wes Waite"));
    let roles = app
        .store()
        .organization_opportunities(None, 50)
        .await
        .unwrap();
    let role = |title: &str| {
        roles
            .iter()
            .find(|r| r.plan.title == title)
            .map(|r| r.id.to_string())
            .unwrap()
    };
    let van = role("Van driver");
    let advice_id = advice.0.to_string();
    let meetings = format!("{event_path}/meetings");
    let page = priya.get(&event_path).await;
    assert!(page.body.contains("Rita Marsh"), "{}", page.body);
    assert!(
        !page.body.contains("Wes Waite"),
        "someone waiting for a place was not there to meet anyone"
    );
    let about_van = [
        ("booking", rita_booking.as_str()),
        ("organization", food_bank_id.as_str()),
        ("role", van.as_str()),
    ];
    let met = priya.submit(&meetings, &about_van).await;
    assert_eq!(met.status, 303, "{}", met.body);
    let twice = priya.submit(&meetings, &about_van).await;
    assert_eq!(twice.status, 422);
    assert!(twice.body.contains("already recorded"));
    let refusals = [
        (wes_booking.as_str(), food_bank_id.as_str(), "", "no seat"),
        (
            rita_booking.as_str(),
            advice_id.as_str(),
            "",
            "not down as coming",
        ),
        (
            rita_booking.as_str(),
            garden_id.as_str(),
            van.as_str(),
            "not one of the organisation",
        ),
        (rita_booking.as_str(), "", "", "Choose the organisation"),
    ];
    for (who, org, role, says) in refusals {
        let refused = priya
            .submit(
                &meetings,
                &[("booking", who), ("organization", org), ("role", role)],
            )
            .await;
        assert_eq!(refused.status, 422, "{says}: {}", refused.body);
        assert!(refused.body.contains(says), "{says}: {}", refused.body);
    }
    let chat = priya
        .submit(
            &meetings,
            &[("booking", &rita_booking), ("organization", &garden_id)],
        )
        .await;
    assert_eq!(chat.status, 303, "{}", chat.body);

    // The food bank has Rita's offer, as any offer, and places her.
    let offers = app.store().interests(Some(food_bank), 10).await.unwrap();
    let offer = offers
        .iter()
        .find(|o| o.opportunity_title == "Van driver")
        .expect("the offer the meeting made");
    let offer_path = format!("/staff/volunteering/offers/{}", offer.id);
    let opened = fran.get(&offer_path).await;
    assert_eq!(opened.status, 200);
    assert!(opened.body.contains("Rita Marsh") && opened.body.contains("rita@example.org"));
    assert!(
        opened
            .body
            .contains("We met at Spring volunteer match evening")
    );
    let placed = fran.submit(&offer_path, &[("outcome", "placed")]).await;
    assert_eq!(placed.status, 303);
    let page = priya.get(&event_path).await;
    assert!(page.body.contains("How the meetings stand so far"));
    let figures = page.body.split("Where it stands").nth(1).unwrap_or("");
    assert!(figures.contains("<td>Placed</td><td class=\"numeric\">1</td>"));
    assert!(figures.contains("<td>Talked without a role in mind</td><td class=\"numeric\">1</td>"));

    // A month after the evening the place leads hear how it went, once, naming nobody.
    let event = app
        .store()
        .match_event(uuid::Uuid::parse_str(id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let followed_up = || async {
        app.store()
            .match_event(event.session.id)
            .await
            .unwrap()
            .unwrap()
            .followed_up_at
    };
    // A day short of the month, only the demo's own evening (ten days on) is due.
    let early = send_follow_ups(app.store(), event.session.ends_at + TimeDelta::days(29))
        .await
        .unwrap();
    assert_eq!(early.events, 1);
    assert_eq!(followed_up().await, None);
    let month_on = event.session.ends_at + TimeDelta::days(30);
    let pass = send_follow_ups(app.store(), month_on).await.unwrap();
    assert_eq!(pass.events, 1);
    assert!(followed_up().await.is_some());
    assert_eq!(
        send_follow_ups(app.store(), month_on).await.unwrap().events,
        0
    );
    let mail = deliver_by(&app, month_on).await;
    let told: Vec<_> = mail
        .sent_to(&email("priya@example.org"))
        .into_iter()
        .filter(|m| m.subject.contains("Spring volunteer match evening"))
        .collect();
    assert_eq!(told.len(), 1, "{:?}", mail.sent());
    assert!(told[0].subject.contains("Spring volunteer match evening"));
    assert!(told[0].body.contains("2 meetings"));
    assert!(told[0].body.contains("- placed: 1"));
    assert!(told[0].body.contains(&event_path));
    assert!(!told[0].body.contains("Rita"));
    let listed = app
        .store()
        .match_events(EventsWhen::Past(month_on), 10)
        .await
        .unwrap();
    assert!(
        listed
            .iter()
            .any(|e| e.session.id == event.session.id && e.followed_up_at.is_some())
    );
}

#[tokio::test]
async fn a_match_evening_introduces_a_driver_to_the_food_bank_and_follows_up_a_month_on() {
    for backend in backends() {
        a_match_evening_places_a_driver_and_follows_up(backend).await;
    }
}
