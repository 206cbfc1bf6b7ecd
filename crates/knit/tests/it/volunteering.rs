//! Volunteering and peer connection, end to end over real HTTP on SQLite and PostgreSQL.
//!
//! Fran works at the Kestle Valley Food Bank and posts a delivery driver role. Rita, a
//! resident, finds it by searching near her postcode and says she's interested, without an
//! account. The food bank does not answer: on the third working day Fran is reminded, on the
//! fifth the place leads are told; then Fran gets in touch and Rita is placed, and the food
//! bank's "usually replies in" figure shows it. Nothing Rita sent reaches a log line or
//! another organisation.
//!
//! Cora, a coordinator, records that Ann, Bo and Cal would each like to meet someone who
//! loves gardening, and proposes Ann to Bo and Ann to Cal. Ann and Bo both say yes and only
//! then are named to each other; Cal says no and is never named on any introduction.

use chrono::{DateTime, TimeDelta, Utc};
use knit_domain::account::{Email, Membership, Role, UserId};
use knit_domain::casework::{ConsentMethod, PersonDetails, PersonId};
use knit_domain::totp::TotpSecret;
use knit_domain::volunteering::working_days_between;
use knit_store::casework::{NewCase, Stamp};
use knit_web::mail::MemoryMailer;
use knit_web::mail::queue;

use crate::staff_pages::{Browser, make_user, signed_in};
use crate::support::{Backend, TestApp, backends, captured_logs};

async fn deliver_by(app: &TestApp, at: DateTime<Utc>) -> MemoryMailer {
    let mailer = MemoryMailer::new();
    queue::run_due(app.store(), &mailer, at)
        .await
        .expect("the queue runs");
    mailer
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap()
}

/// The first moment at least `n` working days after `from`.
fn working_days_after(from: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    let mut t = from;
    while working_days_between(from.date_naive(), t.date_naive()) < n {
        t += TimeDelta::days(1);
    }
    t
}

async fn open_person(app: &TestApp, coordinator: UserId, name: &str) -> PersonId {
    open_person_at(app, coordinator, name, "").await
}

async fn open_person_at(
    app: &TestApp,
    coordinator: UserId,
    name: &str,
    postcode: &str,
) -> PersonId {
    app.store()
        .open_case(NewCase {
            from_intake: None,
            details: PersonDetails {
                name: name.to_owned(),
                postcode: postcode.to_owned(),
                ..PersonDetails::default()
            },
            coordinator,
            record_consent: ConsentMethod::Spoken,
            stamp: Stamp {
                by: Some(coordinator),
                role: Some(Role::Coordinator),
                at: Utc::now(),
                address: None,
            },
        })
        .await
        .expect("a case opens")
}

fn section<'a>(html: &'a str, heading: &str) -> &'a str {
    html.split(heading).nth(1).unwrap_or("")
}

async fn a_food_bank_driver_is_found_chased_and_placed(backend: Backend) {
    let logs = captured_logs();
    let app = TestApp::spawn(backend).await;
    let food_bank = knit::demo::staff::organization_id("foodbank");
    let (_, mut fran) = signed_in(
        &app,
        "Fran Baker",
        "fran@foodbank.example",
        vec![Membership::partner_staff(food_bank)],
        41,
        "198.51.100.41",
    )
    .await;
    let priya_secret = TotpSecret::from_random_bytes([42; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&priya_secret),
    )
    .await;
    let harbour = knit::demo::staff::organization_id("harbour");
    let (_, mut hal) = signed_in(
        &app,
        "Hal Other",
        "hal@harbour.example",
        vec![Membership::partner_staff(harbour)],
        43,
        "198.51.100.43",
    )
    .await;

    // Fran posts a role; a mistake comes back beside its field with what she typed.
    let org = food_bank.0.to_string();
    let mut form = vec![
        ("organization", org.as_str()),
        ("title", "Delivery driver for food parcels"),
        (
            "description",
            "Drive our van to take parcels to people at home.",
        ),
        ("place", "Kestleford Town Hall"),
        ("postcode", "KF1 1AA"),
        ("when", ""),
        ("skills", "driving, map reading"),
        ("driving_licence", "1"),
        ("suitable_for_recovering", "1"),
    ];
    let wrong = fran.submit("/staff/volunteering", &form).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("Enter when it happens"));
    assert!(
        wrong
            .body
            .contains("value=\"Delivery driver for food parcels\"")
    );
    form[5] = ("when", "Thursday afternoons");
    let posted = fran.submit("/staff/volunteering", &form).await;
    assert_eq!(posted.status, 303, "{}", posted.body);
    let role_path = posted.location.unwrap();
    assert!(role_path.starts_with("/volunteer/"));
    // Another organisation's staff cannot post for the food bank.
    let refused = hal.submit("/staff/volunteering", &form).await;
    assert_eq!(refused.status, 403);

    // Rita searches near her postcode, for someone recovering: the role is there.
    let (status, found) = app
        .get_text("/volunteer?q=drivers&near=KF1+1AA&within=10&recovering=1")
        .await;
    assert_eq!(status, 200, "{found}");
    assert!(
        found.contains("Delivery driver for food parcels"),
        "{found}"
    );
    assert!(
        !found.contains("Van driver"),
        "the demo van driver is not for someone recovering"
    );
    let (_, all_drivers) = app.get_text("/volunteer?q=driver&near=KF1+1AA").await;
    assert!(all_drivers.contains("Van driver") && all_drivers.contains("km away"));
    let (_, no_dbs) = app.get_text("/volunteer?q=driver&no_dbs=1").await;
    assert!(
        !no_dbs.contains("Van driver"),
        "the van driver needs a DBS check"
    );
    let (status, bad) = app.get_text("/volunteer?q=driver&near=ZZ99+9ZZ").await;
    assert_eq!(status, 400);
    assert!(
        bad.contains("ZZ99 9ZZ"),
        "the postcode typed is kept: {bad}"
    );

    // She says she's interested, without an account; a mistake keeps what she typed.
    let mut rita = Browser::new(&app, "203.0.113.41");
    let no_consent = rita
        .post(
            &role_path,
            &[
                ("name", "Rita Marsh"),
                ("contact", "rita@example.org"),
                ("message", "Free on Thursdays"),
            ],
        )
        .await;
    assert_eq!(no_consent.status, 422);
    assert!(no_consent.body.contains("Tick the box"));
    assert!(no_consent.body.contains("value=\"Rita Marsh\""));
    let offered = rita
        .post(
            &role_path,
            &[
                ("name", "Rita Marsh"),
                ("contact", "rita@example.org"),
                ("message", "Free on Thursdays"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(offered.status, 200, "{}", offered.body);
    assert!(offered.body.contains("Thank you for offering to help"));
    let cross_site = app
        .client
        .post(format!("{}{role_path}", app.base_url))
        .header("sec-fetch-site", "cross-site")
        .form(&[
            ("name", "Eve"),
            ("contact", "eve@example.org"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status().as_u16(), 403);

    // Fran is told by email, with a link and no name.
    let sent = app.store().interests(Some(food_bank), 10).await.unwrap();
    let offer = sent
        .iter()
        .find(|i| i.opportunity_title == "Delivery driver for food parcels")
        .expect("Rita's offer")
        .clone();
    let mail = deliver_by(&app, Utc::now()).await;
    let told = mail.sent_to(&email("fran@foodbank.example"));
    assert_eq!(told.len(), 1, "{:?}", mail.sent());
    assert!(
        told[0]
            .body
            .contains(&format!("/staff/volunteering/offers/{}", offer.id))
    );
    assert!(!told[0].body.contains("Rita"));

    // Nobody answers. Two working days on, nothing; on the third Fran is reminded, once.
    let chase = |at| knit_web::volunteering::chaser::chase_due(app.store(), at);
    let day2 = working_days_after(offer.sent_at, 2);
    assert_eq!(chase(day2).await.unwrap().reminded, 0);
    let day3 = working_days_after(offer.sent_at, 3);
    let pass = chase(day3).await.unwrap();
    assert_eq!((pass.reminded, pass.escalated), (1, 0));
    assert_eq!(chase(day3).await.unwrap().reminded, 0, "once per stage");
    let mail = deliver_by(&app, day3).await;
    let reminder = mail.sent_to(&email("fran@foodbank.example"));
    assert_eq!(reminder.len(), 1);
    assert!(reminder[0].subject.contains("waiting for you"));
    assert!(mail.sent_to(&email("priya@example.org")).is_empty());
    // On the fifth working day the place leads are told.
    let day5 = working_days_after(offer.sent_at, 5);
    let pass = chase(day5).await.unwrap();
    assert_eq!((pass.reminded, pass.escalated), (0, 1));
    let mail = deliver_by(&app, day5).await;
    let escalated = mail.sent_to(&email("priya@example.org"));
    assert_eq!(escalated.len(), 1, "{:?}", mail.sent());
    assert!(escalated[0].body.contains("5 working days"));
    assert!(!escalated[0].body.contains("Rita"));
    let inbox = fran.get("/staff/volunteering").await;
    assert!(inbox.body.contains("place leads told"), "{}", inbox.body);

    // Hal, at another organisation, cannot open Rita's offer; Fran can, and places her.
    let offer_path = format!("/staff/volunteering/offers/{}", offer.id);
    assert_eq!(hal.get(&offer_path).await.status, 403);
    let page = fran.get(&offer_path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Rita Marsh") && page.body.contains("rita@example.org"));
    let no_reason = fran
        .submit(&offer_path, &[("outcome", "not_suitable")])
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.body.contains("Say why"));
    let placed = fran.submit(&offer_path, &[("outcome", "placed")]).await;
    assert_eq!(placed.status, 303, "{}", placed.body);
    assert!(
        fran.get(&offer_path)
            .await
            .body
            .contains("<strong>Placed</strong>")
    );
    let again = fran.submit(&offer_path, &[("outcome", "withdrew")]).await;
    assert_eq!(again.status, 409, "an outcome is final");
    // Once answered there is nothing more to chase.
    let later = chase(working_days_after(offer.sent_at, 10)).await.unwrap();
    assert_eq!(later.reminded + later.escalated, 0);

    // The role's page says how quickly the food bank usually replies.
    let (_, role_page) = app.get_text(&role_path).await;
    assert!(role_page.contains("usually replies"), "{role_page}");

    // Rita has the job, so Fran closes the role: it leaves the public list and takes no
    // new offers (another food bank's staff may not close it); opened again, it is back.
    let role_id = role_path.trim_start_matches("/volunteer/");
    let close_path = format!("/staff/volunteering/roles/{role_id}");
    assert_eq!(hal.submit(&close_path, &[("open", "0")]).await.status, 403);
    let closed = fran.submit(&close_path, &[("open", "0")]).await;
    assert_eq!(closed.status, 303, "{}", closed.body);
    assert!(
        fran.get("/staff/volunteering")
            .await
            .body
            .contains("Closed")
    );
    let (_, listed) = app.get_text("/volunteer?q=drivers").await;
    assert!(
        !listed.contains("Delivery driver for food parcels"),
        "{listed}"
    );
    let mut sam = Browser::new(&app, "203.0.113.42");
    let late = sam
        .post(
            &role_path,
            &[
                ("name", "Sam Late"),
                ("contact", "sam@example.org"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert!(
        late.status >= 400,
        "a closed role takes no offers: {}",
        late.body
    );
    assert!(
        late.body.contains("no longer taking offers"),
        "{}",
        late.body
    );
    let reopened = fran.submit(&close_path, &[("open", "1")]).await;
    assert_eq!(reopened.status, 303);
    let (_, listed) = app.get_text("/volunteer?q=drivers").await;
    assert!(listed.contains("Delivery driver for food parcels"));
    assert_eq!(
        fran.submit(&close_path, &[("open", "maybe")]).await.status,
        400
    );

    // Nothing Rita sent reached a log line.
    let logs = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    for secret in ["Rita Marsh", "rita@example.org", "Free on Thursdays"] {
        assert!(!logs.contains(secret), "{secret:?} was logged");
    }
}

async fn people_are_introduced_only_when_both_say_yes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (cora, mut browser) = signed_in(
        &app,
        "Cora Lane",
        "cora@example.org",
        vec![Membership::coordinator()],
        44,
        "198.51.100.44",
    )
    .await;
    let ann = open_person(&app, cora.id, "Ann Green").await;
    let bo = open_person(&app, cora.id, "Bo Hill").await;
    let cal = open_person(&app, cora.id, "Cal Irons").await;

    // Each opts in, with Cora; without the box ticked nothing is recorded.
    let unticked = browser
        .submit(
            &format!("/staff/people/{}/peer", ann.0),
            &[("about", "loves gardening")],
        )
        .await;
    assert_eq!(unticked.status, 422);
    assert!(
        unticked.body.contains("loves gardening"),
        "what was typed is kept"
    );
    for person in [ann, bo, cal] {
        let done = browser
            .submit(
                &format!("/staff/people/{}/peer", person.0),
                &[
                    ("about", "loves gardening, new to the area"),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
    }

    // Cora proposes Ann to Bo and Ann to Cal; nobody is named yet.
    let propose = |first: PersonId, second: PersonId| {
        let (a, b) = (first.0.to_string(), second.0.to_string());
        async move { (a, b) }
    };
    let (a, b) = propose(ann, bo).await;
    let ann_bo = browser
        .submit("/staff/introductions", &[("first", &a), ("second", &b)])
        .await;
    assert_eq!(ann_bo.status, 303, "{}", ann_bo.body);
    let ann_bo = ann_bo.location.unwrap();
    let (a, c) = propose(ann, cal).await;
    let ann_cal = browser
        .submit("/staff/introductions", &[("first", &a), ("second", &c)])
        .await
        .location
        .unwrap();
    let twice = browser
        .submit("/staff/introductions", &[("first", &a), ("second", &b)])
        .await;
    assert_eq!(twice.status, 422, "one introduction under way per pair");
    let page = browser.get(&ann_bo).await;
    assert!(page.body.contains("Cora Lane"), "the coordinator is named");
    for name in ["Ann Green", "Bo Hill"] {
        assert!(
            !page.body.contains(name),
            "{name} is not named before both say yes"
        );
    }

    // Ann says yes to both; Bo says yes; Cal says no.
    for (intro, side, answer) in [
        (&ann_bo, "first", "yes"),
        (&ann_cal, "first", "yes"),
        (&ann_bo, "second", "yes"),
        (&ann_cal, "second", "no"),
    ] {
        let done = browser
            .submit(
                &format!("{intro}/answer"),
                &[("side", side), ("answer", answer)],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
    }
    let page = browser.get(&ann_bo).await;
    assert!(page.body.contains("Both said yes"));
    assert!(page.body.contains("Ann Green") && page.body.contains("Bo Hill"));
    let page = browser.get(&ann_cal).await;
    assert!(page.body.contains("Not going ahead"));
    assert!(page.body.contains("Someone who said no"));
    assert!(
        !page.body.contains("Cal Irons"),
        "Cal, who said no, is never named"
    );
    assert!(!page.body.contains(&cal.0.to_string()), "nor linked");
    let list = browser.get("/staff/introductions").await;
    let introductions = section(&list.body, "<h2>Introductions</h2>");
    assert!(introductions.contains("Ann Green and Bo Hill"));
    assert!(!introductions.contains("Cal Irons"));
    // A late answer changes nothing.
    let late = browser
        .submit(
            &format!("{ann_cal}/answer"),
            &[("side", "second"), ("answer", "yes")],
        )
        .await;
    assert_eq!(late.status, 409);

    // Bo asks to stop; it is stopped.
    let stopped = browser.submit(&format!("{ann_bo}/stop"), &[]).await;
    assert_eq!(stopped.status, 303);
    assert!(browser.get(&ann_bo).await.body.contains("Stopped"));

    // What they opted in about is sealed in the store, and opens to the same words.
    let opt_in = app.store().peer_opt_in(bo).await.unwrap().unwrap();
    assert_eq!(opt_in.interest.about, "loves gardening, new to the area");
    assert!(!format!("{opt_in:?}").contains("gardening"));
}

#[tokio::test]
async fn a_resident_offers_to_drive_for_the_food_bank_and_is_placed_after_chasing() {
    for backend in backends() {
        a_food_bank_driver_is_found_chased_and_placed(backend).await;
    }
}

#[tokio::test]
async fn two_people_agree_to_meet_and_one_who_declined_is_never_named() {
    for backend in backends() {
        people_are_introduced_only_when_both_say_yes(backend).await;
    }
}

async fn a_love_of_gardening_becomes_a_placement(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (cora, mut coordinator) = signed_in(
        &app,
        "Cora Lane",
        "cora@example.org",
        vec![Membership::coordinator()],
        45,
        "198.51.100.45",
    )
    .await;
    let garden = knit::demo::staff::organization_id("community-garden");
    let (_, mut gary) = signed_in(
        &app,
        "Gary Shed",
        "gary@garden.example",
        vec![Membership::partner_staff(garden)],
        46,
        "198.51.100.46",
    )
    .await;
    let gwen = open_person(&app, cora.id, "Gwen Rose").await;
    let strengths = format!("/staff/people/{}/strengths", gwen.0);

    // Cora records what Gwen loves, with her consent; without the box nothing is kept.
    let unticked = coordinator
        .submit(
            &strengths,
            &[
                ("passions", "gardening, birds"),
                ("availability", "Wednesdays"),
            ],
        )
        .await;
    assert_eq!(unticked.status, 422);
    assert!(unticked.body.contains("value=\"gardening, birds\""));
    let saved = coordinator
        .submit(
            &strengths,
            &[
                ("passions", "gardening, birds"),
                ("availability", "Wednesdays"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = coordinator.get(&strengths).await;
    assert!(
        page.body.contains("Garden volunteer"),
        "a role that fits is suggested: {}",
        page.body
    );

    // She refers Gwen to the garden's role, with Gwen's consent to share her details.
    let role = app
        .store()
        .organization_opportunities(Some(garden), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.plan.title == "Garden volunteer")
        .expect("the demo garden role");
    let role_id = role.id.to_string();
    let refer = format!("/staff/people/{}/volunteer", gwen.0);
    let no_consent = coordinator
        .submit(&refer, &[("opportunity", &role_id)])
        .await;
    assert_eq!(no_consent.status, 422);
    let referred = coordinator
        .submit(&refer, &[("opportunity", &role_id), ("consent", "yes")])
        .await;
    assert_eq!(referred.status, 303, "{}", referred.body);

    // The garden answers in its usual inbox, and the outcome comes back to Cora.
    let offer = app.store().person_interests(gwen).await.unwrap()[0].clone();
    let offer_path = format!("/staff/volunteering/offers/{}", offer.id);
    let opened = gary.get(&offer_path).await;
    assert_eq!(opened.status, 200);
    assert!(opened.body.contains("Gwen Rose") && opened.body.contains("by a coordinator"));
    let placed = gary.submit(&offer_path, &[("outcome", "placed")]).await;
    assert_eq!(placed.status, 303);
    let page = coordinator.get(&strengths).await;
    assert!(
        page.body
            .contains("Garden volunteer: <strong>Placed</strong>"),
        "{}",
        page.body
    );
    // What Gwen loves is sealed in the store and opens to the same words.
    let profile = app.store().strengths(gwen).await.unwrap().unwrap();
    assert_eq!(profile.passions, ["gardening", "birds"]);
    assert!(!format!("{profile:?}").contains("gardening"));
}

#[tokio::test]
async fn a_coordinator_refers_a_gardener_to_a_garden_role_and_hears_the_outcome() {
    for backend in backends() {
        a_love_of_gardening_becomes_a_placement(backend).await;
    }
}

/// Mo says what he is good at and cares about, and sees the roles and groups that fit,
/// nearest first; nothing he typed is kept, nor put in an address.
#[tokio::test]
async fn a_resident_offers_his_own_strengths_and_sees_what_fits_with_nothing_kept() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let head = app.store().audit_head().await.unwrap();
        let mut mo = Browser::new(&app, "203.0.113.51");
        let ask = |skills: &'static str, passions: &'static str, near: &'static str| {
            [("skills", skills), ("passions", passions), ("near", near)]
        };
        let sent = mo
            .post(
                "/volunteer/strengths",
                &ask("driving, gardening", "walks", "KF1 1AA"),
            )
            .await;
        let (status, page) = (sent.status, sent.body);
        assert_eq!(status, 200, "{page}");
        let roles = section(&page, "Roles that could suit you");
        assert!(
            roles.contains("Van driver") && roles.contains("km away"),
            "{roles}"
        );
        assert!(roles.contains("Garden volunteer"), "{roles}");
        let groups = section(&page, "Groups you could join or help");
        assert!(
            groups.contains("Fairleigh Friendship Walkers"),
            "walks finds the walkers: {groups}"
        );
        assert!(
            !groups.contains("knitting"),
            "a group that shares no word is not suggested: {groups}"
        );
        let sent = mo
            .post("/volunteer/strengths", &ask(" , ", "", "KF1 1AA"))
            .await;
        let (status, page) = (sent.status, sent.body);
        assert_eq!(status, 400);
        assert!(page.contains("Tell us at least one thing"), "{page}");
        assert!(
            page.contains("value=\"KF1 1AA\""),
            "what he typed is kept on the page"
        );
        let sent = mo
            .post("/volunteer/strengths", &ask("driving", "", "ZZ99 9ZZ"))
            .await;
        let (status, page) = (sent.status, sent.body);
        assert_eq!(status, 400, "{page}");
        assert_eq!(
            app.store().audit_head().await.unwrap(),
            head,
            "nothing was written"
        );
        let (_, volunteer) = app.get_text("/volunteer").await;
        assert!(volunteer.contains("href=\"/volunteer/strengths\""));
    }
}

/// What fits depends on when someone is free, for a resident asking and on a coordinator's
/// page alike; the coordinator's page also lists groups, and distances from the person's
/// postcode.
#[tokio::test]
async fn suggestions_fit_when_people_are_free_and_where_they_live() {
    for backend in backends() {
        let app = TestApp::spawn(backend).await;
        let mut mo = Browser::new(&app, "203.0.113.52");
        let ask = |free: &'static str| {
            [
                ("skills", "driving, packing"),
                ("passions", "walks"),
                ("availability", free),
            ]
        };
        let saturdays = mo.post("/volunteer/strengths", &ask("Saturdays")).await;
        assert_eq!(saturdays.status, 200);
        let roles = section(&saturdays.body, "Roles that could suit you");
        assert!(roles.contains("Warehouse helper"), "{roles}");
        assert!(
            !roles.contains("Van driver"),
            "the van goes out on weekdays: {roles}"
        );
        let groups = section(&saturdays.body, "Groups you could join or help");
        assert!(
            !groups.contains("Fairleigh Friendship Walkers"),
            "they walk on Mondays"
        );
        let mornings = mo
            .post("/volunteer/strengths", &ask("weekday mornings"))
            .await;
        assert!(section(&mornings.body, "Roles that could suit you").contains("Van driver"));
        assert!(
            section(&mornings.body, "Groups you could join or help")
                .contains("Fairleigh Friendship Walkers")
        );

        let (cora, mut coordinator) = signed_in(
            &app,
            "Cora Lane",
            "cora@example.org",
            vec![Membership::coordinator()],
            47,
            "198.51.100.47",
        )
        .await;
        let sid = open_person_at(&app, cora.id, "Sid Moss", "KF1 1AA").await;
        let strengths = format!("/staff/people/{}/strengths", sid.0);
        let record = |free: &'static str| {
            [
                ("skills", "driving"),
                ("passions", "walks"),
                ("availability", free),
                ("consent", "yes"),
            ]
        };
        let saved = coordinator.submit(&strengths, &record("mornings")).await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        let page = coordinator.get(&strengths).await.body;
        let roles = section(&page, "Roles that fit");
        assert!(
            roles.contains("Van driver") && roles.contains("km away"),
            "{roles}"
        );
        assert!(section(&page, "Groups that fit").contains("Fairleigh Friendship Walkers"));
        coordinator.submit(&strengths, &record("evenings")).await;
        let page = coordinator.get(&strengths).await.body;
        assert!(!section(&page, "Roles that fit").contains("Van driver"));
        assert!(section(&page, "Groups that fit").contains("No local group fits yet"));
    }
}
