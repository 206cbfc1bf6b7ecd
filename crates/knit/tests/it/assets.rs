//! Kelly's group, end to end over real HTTP on SQLite and PostgreSQL. Kelly wants to meet
//! people, so she tells Knit her idea for a group, without an account. Cara, a coordinator,
//! takes it up as a draft group. Kelly finds the Fairleigh Park hall free on a Thursday
//! evening and asks for four Thursdays (a slot in the past is refused first, with what she
//! typed kept); the hall's staff approve, she is emailed with a calendar, and another
//! organisation's staff cannot touch it. [The local fund's £400 fast-route award comes
//! here, on the `fund` branch.] Cara fills in the group and publishes it with one audited
//! action: search for "meet people lonely" finds it, and so does the Open Referral API. Cara
//! refers Ravi to it like any service. The group fills up and says "we're full", and the
//! listing shows it.

use chrono::{Days, TimeDelta, Utc};
use knit_domain::access::ActionKind;
use knit_domain::account::{Email, Membership, OrganizationId, Role};
use knit_domain::casework::{ConsentMethod, PersonDetails, SafeContact};
use knit_domain::totp::TotpSecret;
use knit_store::accounts::AuditFilter;
use knit_store::assets::AssetFilter;
use knit_store::casework::{NewCase, Stamp};
use knit_web::mail::MemoryMailer;
use knit_web::mail::queue;

use crate::staff_pages::{Browser, make_user};
use crate::support::{Backend, TestApp, backends};

/// The Thursday at least a week after today, as a form's date.
fn a_thursday_to_come() -> chrono::NaiveDate {
    knit::demo::assets::next_thursday_evening(Utc::now()).date() + Days::new(7)
}

async fn kellys_group(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut kelly = Browser::new(&app, "198.51.100.21");

    // Kelly's idea, first too long, then as she means it.
    let long = "x".repeat(knit_domain::validation::MAX_FREE_TEXT + 1);
    let page = kelly
        .post(
            "/start-a-group",
            &[
                ("name", "Kelly Jones"),
                ("contact", "07700 900321"),
                ("idea", &long),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.body.contains("Kelly Jones"), "what she typed is kept");
    let page = kelly
        .post(
            "/start-a-group",
            &[
                ("name", "Kelly Jones"),
                ("contact", "07700 900321"),
                (
                    "idea",
                    "A friendly evening to meet people, for anyone who feels lonely",
                ),
            ],
        )
        .await;
    assert_eq!(page.status, 200, "{}", page.body);

    // Cara the coordinator takes it up.
    let cara_secret = TotpSecret::from_random_bytes([31; 20]);
    let cara = make_user(
        &app,
        "Cara Coordinator",
        "cara@example.org",
        vec![Membership::coordinator()],
        Some(&cara_secret),
    )
    .await;
    let mut cara_browser = Browser::new(&app, "198.51.100.22");
    cara_browser
        .sign_in("cara@example.org", Some(&cara_secret))
        .await;
    let ideas = cara_browser.get("/staff/groups").await;
    assert_eq!(ideas.status, 200);
    assert!(
        ideas.body.contains("Kelly Jones"),
        "the idea reached the coordinators"
    );
    let idea = app
        .store()
        .group_ideas(10)
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.idea.name == "Kelly Jones")
        .expect("Kelly's idea is kept");
    let taken = cara_browser
        .submit(&format!("/staff/group-ideas/{}/take", idea.id), &[])
        .await;
    assert_eq!(taken.status, 303, "{}", taken.body);
    let group_page = taken.location.clone().expect("to the draft group");
    assert!(group_page.starts_with("/staff/groups/"));
    let group_id = group_page.trim_start_matches("/staff/groups/").to_owned();

    // Kelly looks for a hall free on a Thursday evening.
    let thursday = a_thursday_to_come();
    let (status, found) = app
        .get_text(&format!(
            "/assets?kind=space&date={thursday}&from=19:00&to=21:00&accessible=on"
        ))
        .await;
    assert_eq!(status, 200);
    assert!(found.contains("Fairleigh Park community hall"), "{found}");
    let (_, wednesday) = app
        .get_text(&format!(
            "/assets?kind=space&date={}&from=19:00&to=21:00",
            thursday - Days::new(1)
        ))
        .await;
    assert!(
        !wednesday.contains("Fairleigh Park community hall"),
        "not open on Wednesdays"
    );
    let hall = app
        .store()
        .assets(&AssetFilter::default(), 50)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.details.title == "Fairleigh Park community hall")
        .unwrap();
    let (status, hall_page) = app.get_text(&format!("/assets/{}", hall.id)).await;
    assert_eq!(status, 200);
    assert!(hall_page.contains("Thursdays, 18:00 to 22:00"));

    // Kelly reads the site in Welsh from here: her request's emails, even the answer the
    // hall's staff give on their English pages, are in Welsh.
    assert_eq!(kelly.get("/?lang=cy").await.status, 200);
    // A date gone by is refused, keeping what she typed; then four Thursdays from the next.
    let request = |date: String| {
        vec![
            ("name", "Kelly Jones".to_owned()),
            ("phone", "07700 900321".to_owned()),
            ("email", "kelly@example.org".to_owned()),
            ("purpose", "Thursday Friends: a social evening".to_owned()),
            ("people", "12".to_owned()),
            ("date", date),
            ("from", "19:00".to_owned()),
            ("to", "21:00".to_owned()),
            ("repeat", "weekly".to_owned()),
            ("count", "4".to_owned()),
        ]
    };
    let as_pairs = |v: &[(&'static str, String)]| -> Vec<(&'static str, String)> { v.to_vec() };
    let past = as_pairs(&request((thursday - Days::new(28)).to_string()));
    let past: Vec<(&str, &str)> = past.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = kelly
        .post(&format!("/assets/{}/request", hall.id), &past)
        .await;
    assert_eq!(page.status, 409, "{}", page.body);
    assert!(page.body.contains("wedi mynd heibio"), "{}", page.body);
    assert!(page.body.contains("Thursday Friends: a social evening"));
    let good = as_pairs(&request(thursday.to_string()));
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = kelly
        .post(&format!("/assets/{}/request", hall.id), &good)
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Mae eich cais wedi"), "{}", page.body);
    let waiting = app.store().waiting_requests(None, 50).await.unwrap();
    let kellys = waiting
        .iter()
        .find(|b| b.requester.name == "Kelly Jones")
        .expect("the request waits");
    let series = app.store().booking_series(kellys.id).await.unwrap();
    assert_eq!(series.len(), 4, "each of four Thursdays");

    // Another organisation's staff cannot answer it; the hall's own staff approve.
    let fairleigh = OrganizationId(hall.organization().unwrap().0);
    let other_secret = TotpSecret::from_random_bytes([33; 20]);
    make_user(
        &app,
        "Oscar Other",
        "oscar@example.org",
        vec![Membership::partner_staff(OrganizationId(
            uuid::Uuid::from_u128(0xabc),
        ))],
        Some(&other_secret),
    )
    .await;
    let mut oscar = Browser::new(&app, "198.51.100.23");
    oscar
        .sign_in("oscar@example.org", Some(&other_secret))
        .await;
    let refused = oscar
        .get(&format!("/staff/asset-bookings/{}", kellys.id))
        .await;
    assert_eq!(refused.status, 403);
    assert!(!refused.body.contains("Kelly"));
    let hall_secret = TotpSecret::from_random_bytes([34; 20]);
    make_user(
        &app,
        "Hana Hall",
        "hana@example.org",
        vec![Membership::partner_staff(fairleigh)],
        Some(&hall_secret),
    )
    .await;
    let mut hana = Browser::new(&app, "198.51.100.24");
    hana.sign_in("hana@example.org", Some(&hall_secret)).await;
    let list = hana.get("/staff/assets").await;
    assert!(list.body.contains("Fairleigh Park community hall"));
    let request_page = hana
        .get(&format!("/staff/asset-bookings/{}", kellys.id))
        .await;
    assert_eq!(request_page.status, 200);
    assert!(request_page.body.contains("Kelly Jones"));
    let declined_without = hana
        .submit(
            &format!("/staff/asset-bookings/{}", kellys.id),
            &[("decision", "decline"), ("reason", "")],
        )
        .await;
    assert_eq!(declined_without.status, 422);
    let approved = hana
        .submit(
            &format!("/staff/asset-bookings/{}", kellys.id),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    let after = app.store().booking_series(kellys.id).await.unwrap();
    assert!(
        after
            .iter()
            .all(|b| b.status == knit_domain::assets::BookingStatus::Approved)
    );

    // Kelly's emails: the request, then the approval with its calendar.
    let mailer = MemoryMailer::new();
    queue::run_due(app.store(), &mailer, Utc::now() + TimeDelta::minutes(1))
        .await
        .unwrap();
    let to_kelly = mailer.sent_to(&Email::parse("kelly@example.org").unwrap());
    assert_eq!(to_kelly.len(), 2, "{to_kelly:?}");
    assert!(
        to_kelly.iter().any(|m| m
            .subject
            .starts_with("Mae eich cais gennym: Fairleigh Park")),
        "{to_kelly:?}"
    );
    let approval = to_kelly
        .iter()
        .find(|m| m.subject.contains("wedi'i chymeradwyo"))
        .expect("an approval, in Welsh");
    assert!(approval.body.starts_with("Helo Kelly Jones,"));
    assert!(
        approval.body.contains("Telerau llogi:"),
        "{}",
        approval.body
    );
    let calendar = approval
        .body
        .split_whitespace()
        .find(|w| w.contains("/calendar.ics"))
        .unwrap();
    let path = calendar.strip_prefix(&app.base_url).unwrap_or(calendar);
    let (status, ics) = app.get_text(path).await;
    assert_eq!(status, 200);
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 4);
    assert!(!ics.contains("Kelly"), "the calendar names nobody");
    // The owner's side heard of the request (the hall had no staff account yet when Kelly
    // asked, so the place leads did), without Kelly's name.
    let to_owners: Vec<_> = mailer
        .sent()
        .into_iter()
        .filter(|m| m.to.as_str() != "kelly@example.org")
        .collect();
    assert!(!to_owners.is_empty());
    assert!(to_owners.iter().all(|m| !m.body.contains("Kelly")));
    // The evening is taken now: the browse no longer offers it.
    let (_, found) = app
        .get_text(&format!(
            "/assets?kind=space&date={thursday}&from=19:00&to=21:00"
        ))
        .await;
    assert!(!found.contains("Fairleigh Park community hall"));

    // Kelly applies on her phone for £400 from the local fund's fast route; a panel of two
    // decides (one declares a conflict) and the award is made.
    crate::fund::kelly_gets_a_grant(&app).await;

    // Cara fills in the group, with its venue, and publishes it.
    let first = after[0].id.to_string();
    let saved = cara_browser
        .submit(
            &group_page,
            &[
                ("name", "Thursday Friends"),
                (
                    "purpose",
                    "A friendly evening to meet people and make friends, if you feel lonely",
                ),
                ("who_for", "Anyone over 18"),
                ("needs", "loneliness, social-groups"),
                ("meeting_pattern", "Thursdays, 7pm to 9pm"),
                ("venue_booking", &first),
                ("contact", "thursdayfriends@example.org"),
                ("members", "9"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, before) = app.get_text("/search?q=meet+people+lonely").await;
    assert!(
        !before.contains("Thursday Friends"),
        "a draft is not listed"
    );
    let published = cara_browser
        .submit(&format!("{group_page}/publish"), &[])
        .await;
    assert_eq!(published.status, 303, "{}", published.body);
    let group = app
        .store()
        .community_group(group_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let events = app
        .store()
        .audit_events(
            0,
            500,
            &AuditFilter {
                actor: None,
                action: Some(ActionKind::ManageGroups.code().to_owned()),
                object_type: Some("service".to_owned()),
                object_id: Some(group.service_id.to_string()),
            },
        )
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "publishing is one audited action");
    let (_, results) = app.get_text("/search?q=meet+people+lonely").await;
    assert!(results.contains("Thursday Friends"), "{results}");
    let (status, api) = app
        .get_json(&format!("/api/services/{}", group.service_id))
        .await;
    assert_eq!(status, 200);
    assert_eq!(api["name"], "Thursday Friends");
    let (status, public) = app.get_text(&format!("/groups/{group_id}")).await;
    assert_eq!(status, 200);
    assert!(
        public.contains("Fairleigh Park community hall"),
        "the venue is linked"
    );
    assert!(
        !public.contains("07700 900321"),
        "Kelly's own number is not published"
    );

    // Cara refers Ravi to the group, like any service.
    let ravi = app
        .store()
        .open_case(NewCase {
            from_intake: None,
            details: PersonDetails {
                name: "Ravi Patel".to_owned(),
                phone: "07700 900444".to_owned(),
                safe_contact: SafeContact {
                    safe_to_call: true,
                    ..SafeContact::default()
                },
                ..PersonDetails::default()
            },
            coordinator: cara.id,
            record_consent: ConsentMethod::Spoken,
            stamp: Stamp {
                by: Some(cara.id),
                role: Some(Role::Coordinator),
                at: Utc::now(),
                address: None,
            },
        })
        .await
        .unwrap();
    let service = group.service_id.to_string();
    let referred = cara_browser
        .submit(
            &format!("/staff/people/{}/refer", ravi.0),
            &[
                ("service", &service),
                ("share", "contact"),
                ("agreed", "yes"),
            ],
        )
        .await;
    assert_eq!(referred.status, 303, "{}", referred.body);
    let record = cara_browser.get(&format!("/staff/people/{}", ravi.0)).await;
    assert!(
        record.body.contains("Thursday Friends"),
        "the referral is on Ravi's record"
    );

    // Nine joined; the group is full now, and its listing says so.
    let full = cara_browser
        .submit(
            &group_page,
            &[
                ("name", "Thursday Friends"),
                (
                    "purpose",
                    "A friendly evening to meet people and make friends, if you feel lonely",
                ),
                ("needs", "loneliness, social-groups"),
                ("meeting_pattern", "Thursdays, 7pm to 9pm"),
                ("venue_booking", &first),
                ("contact", "thursdayfriends@example.org"),
                ("members", "20"),
                ("full", "on"),
            ],
        )
        .await;
    assert_eq!(full.status, 303, "{}", full.body);
    let (_, listing) = app
        .get_text(&format!("/services/{}", group.service_id))
        .await;
    assert!(
        listing.contains("full at the moment: ask to join the waiting list"),
        "{listing}"
    );
    let (_, public) = app.get_text(&format!("/groups/{group_id}")).await;
    assert!(public.contains("full at the moment"));

    // From the group's page Kelly applies for a grant for the group; once it is awarded the
    // page says so.
    let round = app
        .store()
        .fund_rounds(Some(Utc::now()), 5)
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("an open round");
    let apply_link = format!("/fund/{}?group={group_id}", round.id);
    assert!(
        public.contains(&apply_link),
        "the group's page offers the open round"
    );
    let mut kelly = Browser::new(&app, "203.0.113.47");
    // She applies on the Welsh site: the fund's emails to her will be Welsh.
    assert_eq!(kelly.get("/?lang=cy").await.status, 200);
    let form_page = kelly.get(&apply_link).await;
    assert_eq!(form_page.status, 200, "{}", form_page.body);
    assert!(
        form_page
            .body
            .contains(&format!("name=\"group_id\" value=\"{group_id}\""))
    );
    let mut form = crate::fund::kelly_form_for("300", "Hall hire £300");
    form.push(("group_id", group_id.clone()));
    form.push(("action", "submit".into()));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let sent = kelly.post(&format!("/fund/{}", round.id), &form).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let application = app
        .store()
        .panel_applications(round.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.draft.group_id.map(|g| g.to_string()) == Some(group_id.clone()))
        .expect("the application for the group");
    assert_eq!(
        application.draft.details.language,
        knit_domain::language::Language::Welsh
    );
    app.store()
        .decide(knit_store::fund::NewDecision {
            application: application.id,
            decision: knit_domain::fund::Decision::Award {
                amount: knit_domain::fund::Pence::pounds(300),
                reasons: "Starts a group".into(),
            },
            random: [0x47; 32],
            stamp: Stamp {
                by: Some(cara.id),
                role: Some(Role::Coordinator),
                at: Utc::now(),
                address: None,
            },
            mail: Vec::new(),
        })
        .await
        .unwrap();
    let (_, public) = app.get_text(&format!("/groups/{group_id}")).await;
    assert!(public.contains("Funded by the local fund"), "{public}");
    assert!(public.contains("£300"));
    let (_, results) = app.get_text("/search?q=meet+people+lonely").await;
    assert!(
        results.contains("Thursday Friends"),
        "still found, and marked full"
    );
}

#[tokio::test]
async fn kelly_starts_a_group_from_an_idea_to_a_full_listing() {
    for backend in backends() {
        kellys_group(backend).await;
    }
}
