//! Local Connectors, end to end over real HTTP on SQLite and PostgreSQL. Priya, the place
//! lead, schedules connector training with two places. Ann and Bo book them; Cy joins the
//! waiting list. Ann cancels through her emailed link, and Cy is promoted and told. The
//! calendar feeds parse back. On the day Priya takes the register on her phone: Bo is
//! present, becomes a trained connector and is invited to his account. Bo logs two
//! conversations and passes someone to a coordinator, prints postcards whose QR code reads
//! back to his code's address, and two visits come through it. The figures add up for Priya
//! and for Bo, and nothing Bo can open shows a person.

use std::io::BufReader;

use chrono::{Days, TimeDelta, Utc};
use knit_domain::account::{Email, Membership, UserStatus};
use knit_domain::audit::Outcome;
use knit_domain::casework::{IntakeSource, Priority};
use knit_domain::opening::uk_local;
use knit_domain::totp::TotpSecret;
use knit_store::accounts::AuditFilter;
use knit_web::mail::MemoryMailer;
use knit_web::mail::queue;

use crate::staff_pages::{Browser, PASSWORD, field_value, make_user};
use crate::support::{Backend, TestApp, backends};

/// Sends every email due by `at` to a mailer the test reads.
async fn deliver_by(app: &TestApp, at: chrono::DateTime<Utc>) -> MemoryMailer {
    let mailer = MemoryMailer::new();
    queue::run_due(app.store(), &mailer, at)
        .await
        .expect("the queue runs");
    mailer
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap()
}

/// The link in an email whose path contains `part`, as a path on the test server.
fn link_in(app: &TestApp, body: &str, part: &str) -> String {
    let link = body
        .split_whitespace()
        .find(|w| w.starts_with(&app.base_url) && w.contains(part))
        .unwrap_or_else(|| panic!("a link to {part}: {body}"));
    link.strip_prefix(&app.base_url).unwrap().to_owned()
}

/// Reads a QR code drawn by `staff::postcards::qr_svg` back into pixels, then decodes it.
fn decode_qr(svg: &str) -> String {
    let view_box = svg.split("viewBox=\"0 0 ").nth(1).unwrap();
    let size: u32 = view_box.split(' ').next().unwrap().parse().unwrap();
    let path = svg
        .split(" d=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    const SCALE: u32 = 8;
    let mut image = image::GrayImage::from_pixel(size * SCALE, size * SCALE, image::Luma([255]));
    let mut modules = 0;
    for square in path.split('M').filter(|s| !s.is_empty()) {
        let corner = square
            .strip_suffix("h1v1h-1z")
            .expect("one square per module");
        let (x, y) = corner.split_once(' ').unwrap();
        let (x, y): (u32, u32) = (x.parse().unwrap(), y.parse().unwrap());
        for dx in 0..SCALE {
            for dy in 0..SCALE {
                image.put_pixel(x * SCALE + dx, y * SCALE + dy, image::Luma([0]));
            }
        }
        modules += 1;
    }
    assert!(modules > 100, "a real code has many dark modules");
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the card");
    grids[0].decode().expect("the QR code decodes").1
}

/// Every VEVENT's properties in an iCalendar text, parsed by the `ical` crate.
fn events_in(text: &str) -> Vec<Vec<(String, String)>> {
    let calendars: Vec<_> = ical::IcalParser::new(BufReader::new(text.as_bytes()))
        .collect::<Result<_, _>>()
        .expect("the feed parses as iCalendar");
    assert_eq!(calendars.len(), 1);
    calendars[0]
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect()
        })
        .collect()
}

fn property<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    event
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{name} in {event:?}"))
}

async fn a_town_trains_connectors_and_counts_what_they_do(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let priya_secret = TotpSecret::from_random_bytes([31; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&priya_secret),
    )
    .await;
    let mut priya = Browser::new(&app, "198.51.100.30");
    priya
        .sign_in("priya@example.org", Some(&priya_secret))
        .await;

    // Priya schedules connector training in three days' time, with two places. A mistake
    // comes back beside its field with everything she typed.
    let day = uk_local(Utc::now()).date() + Days::new(3);
    let date = day.format("%Y-%m-%d").to_string();
    let mut form = vec![
        ("title", "Local Connector training, Northfield"),
        ("kind", "connector"),
        ("date", date.as_str()),
        ("starts", "18:30"),
        ("ends", "19:30"),
        ("place", "Northfield Community Centre"),
        ("online_link", ""),
        ("capacity", "none"),
        ("trainer", "Jo Bright"),
    ];
    let wrong = priya.submit("/staff/training", &form).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    assert!(wrong.body.contains("Enter how many people can come"));
    assert!(wrong.body.contains("id=\"capacity-error\""));
    assert!(
        wrong
            .body
            .contains("value=\"Local Connector training, Northfield\"")
    );
    form[7] = ("capacity", "2");
    let scheduled = priya.submit("/staff/training", &form).await;
    assert_eq!(scheduled.status, 303, "{}", scheduled.body);
    let register_path = scheduled.location.unwrap();
    let session_id = register_path
        .trim_start_matches("/staff/training/")
        .to_owned();

    // The public list shows it; anyone books without an account.
    let (status, list) = app.get_text("/training").await;
    assert_eq!(status, 200);
    assert!(list.contains("Local Connector training, Northfield"));
    assert!(list.contains("2 places left"));
    let session_path = format!("/training/{session_id}");
    let (status, page) = app.get_text(&session_path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Book a place"));
    let mut public = Browser::new(&app, "203.0.113.5");
    let no_email = public
        .post(&session_path, &[("name", "Ann Lee"), ("email", "ann@")])
        .await;
    assert_eq!(no_email.status, 422);
    assert!(no_email.body.contains("Enter your email address"));
    assert!(
        no_email.body.contains("value=\"Ann Lee\""),
        "the name typed is kept"
    );
    // Cy books on the Welsh site: everything her booking sends, then and later, is Welsh.
    let mut welsh = Browser::new(&app, "203.0.113.6");
    assert_eq!(welsh.get("/?lang=cy").await.status, 200);
    for (name, address, expected) in [
        ("Ann Lee", "ann@example.org", "You are booked"),
        ("Bo Diaz", "bo@example.org", "You are booked"),
        ("Cy Evans", "cy@example.org", "Rydych chi ar y rhestr aros"),
    ] {
        let browser = if name == "Cy Evans" {
            &mut welsh
        } else {
            &mut public
        };
        let booked = browser
            .post(&session_path, &[("name", name), ("email", address)])
            .await;
        assert_eq!(booked.status, 200, "{}", booked.body);
        assert!(booked.body.contains(expected), "{name}: {}", booked.body);
        assert!(!booked.body.contains(address), "no address shown back");
    }
    let twice = public
        .post(
            &session_path,
            &[("name", "Ann Lee"), ("email", "ann@example.org")],
        )
        .await;
    assert_eq!(twice.status, 409);
    assert!(twice.body.contains("already has a place"));
    let from_elsewhere = app
        .client
        .post(format!("{}{session_path}", app.base_url))
        .header("sec-fetch-site", "cross-site")
        .form(&[("name", "Eve"), ("email", "eve@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(from_elsewhere.status().as_u16(), 403);

    // Confirmations go out through the jobs queue.
    let now = Utc::now();
    let mail = deliver_by(&app, now).await;
    let ann_mail = &mail.sent_to(&email("ann@example.org"))[0];
    assert!(ann_mail.subject.starts_with("You are booked"));
    assert!(ann_mail.body.contains("Northfield Community Centre"));
    let cy_mail = &mail.sent_to(&email("cy@example.org"))[0];
    assert!(
        cy_mail
            .subject
            .starts_with("Rydych chi ar y rhestr aros: Local Connector training"),
        "{}",
        cy_mail.subject
    );
    assert!(
        cy_mail.body.starts_with("Helo Cy Evans,"),
        "{}",
        cy_mail.body
    );
    assert!(cy_mail.body.contains("Pryd: Dydd "), "{}", cy_mail.body);
    assert!(!cy_mail.body.contains("Where:"));
    assert_eq!(mail.sent().len(), 3, "reminders wait for the day before");

    // Ann cannot come: her link asks first, then cancels, and Cy is promoted and told.
    let cancel = link_in(&app, &ann_mail.body, "/bookings/");
    assert!(cancel.starts_with("/bookings/") && cancel.ends_with("/cancel"));
    let (status, ask) = app.get_text(&cancel).await;
    assert_eq!(status, 200);
    assert!(ask.contains("Cancel my booking"));
    let done = public.post(&cancel, &[]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Your booking is cancelled"));
    let again = public.post(&cancel, &[]).await;
    assert_eq!(again.status, 409, "a second cancel says so");
    let mail = deliver_by(&app, Utc::now()).await;
    let promoted = mail.sent_to(&email("cy@example.org"));
    assert_eq!(promoted.len(), 1, "{:?}", mail.sent());
    assert!(
        promoted[0]
            .subject
            .starts_with("Mae lle wedi dod yn rhydd i chi"),
        "Cy hears in Welsh, though Ann cancelled in English: {}",
        promoted[0].subject
    );
    assert!(promoted[0].body.contains("/cancel"));
    assert!(mail.sent_to(&email("ann@example.org")).is_empty());

    // The calendar feeds parse back, for the session and for all sessions to come.
    let (status, ics) = app
        .get_text(&format!("/training/{session_id}/calendar.ics"))
        .await;
    assert_eq!(status, 200);
    let events = events_in(&ics);
    assert_eq!(events.len(), 1);
    assert_eq!(
        property(&events[0], "SUMMARY"),
        "Local Connector training\\, Northfield"
    );
    let session = app
        .store()
        .training_session(session_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        property(&events[0], "DTSTART"),
        session.starts_at.format("%Y%m%dT%H%M%SZ").to_string()
    );
    assert_eq!(
        property(&events[0], "LOCATION"),
        "Northfield Community Centre"
    );
    let (_, feed) = app.get_text("/training.ics").await;
    let all = events_in(&feed);
    assert_eq!(all.len(), 4, "the three demo sessions and Priya's");
    assert!(
        all.iter()
            .any(|e| property(e, "UID") == format!("training-{session_id}@127.0.0.1"))
    );

    // The day before, Bo and Cy are reminded; Ann, who cancelled, is not.
    let mail = deliver_by(&app, session.starts_at - TimeDelta::hours(23)).await;
    let reminded: Vec<String> = mail.sent().iter().map(|m| m.to.to_string()).collect();
    assert_eq!(reminded.len(), 2, "{reminded:?}");
    assert!(
        mail.sent_to(&email("bo@example.org"))[0]
            .subject
            .starts_with("Reminder")
    );
    let cy_reminder = &mail.sent_to(&email("cy@example.org"))[0];
    assert!(
        cy_reminder.subject.starts_with("Nodyn atgoffa"),
        "{}",
        cy_reminder.subject
    );
    assert!(cy_reminder.body.contains("sesiwn hyfforddi"));
    assert!(mail.sent_to(&email("ann@example.org")).is_empty());

    // On the day, the register: Bo is present.
    let register = priya.get(&register_path).await;
    assert_eq!(register.status, 200);
    assert!(register.body.contains("Bo Diaz") && register.body.contains("Cy Evans"));
    let bo_booking = app
        .store()
        .bookings(session.id)
        .await
        .unwrap()
        .into_iter()
        .find(|b| b.email.as_str() == "bo@example.org")
        .unwrap();
    let bo_id = bo_booking.id.to_string();
    let marked = priya
        .submit(
            &format!("{register_path}/attendance"),
            &[("booking", &bo_id), ("present", "yes")],
        )
        .await;
    assert_eq!(marked.status, 303, "{}", marked.body);
    let register = priya.get(&register_path).await;
    assert!(
        register.body.contains("1</strong> present"),
        "{}",
        register.body
    );
    assert!(register.body.contains("connector account set up"));

    // Bo is a trained connector, invited by email to his account.
    let bo = app
        .store()
        .user_by_email(&email("bo@example.org"))
        .await
        .unwrap()
        .expect("Bo's account");
    assert_eq!(bo.status, UserStatus::Invited);
    assert_eq!(bo.memberships, vec![Membership::connector()]);
    let record = app.store().connector(bo.id).await.unwrap().expect("a code");
    assert_eq!(record.trained_on, day);
    let mail = deliver_by(&app, Utc::now()).await;
    let invitation = &mail.sent_to(&email("bo@example.org"))[0];
    assert_eq!(invitation.subject, "You are invited to Knit");
    let accept = link_in(&app, &invitation.body, "/staff/invitations/");
    let mut bo_browser = Browser::new(&app, "198.51.100.31");
    let form = bo_browser.get(&accept).await;
    let csrf = field_value(&form.body, "csrf").expect("the form's token");
    let accepted = bo_browser
        .post(
            &accept,
            &[
                ("password", PASSWORD),
                ("confirm", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    bo_browser.sign_in("bo@example.org", None).await;

    // Bo's phone page says what not to write, and logs a conversation in one post.
    let phone = bo_browser.get("/staff/conversations").await;
    assert_eq!(phone.status, 200);
    assert!(phone.body.contains("No names or personal details"));
    let logged = bo_browser
        .submit(
            "/staff/conversations",
            &[
                ("on", ""),
                ("area", "Northfield"),
                ("needs", "food"),
                ("needs", "debt"),
                ("done", "listened"),
                ("done", "gave_postcard"),
            ],
        )
        .await;
    assert_eq!(logged.status, 303, "{}", logged.body);
    assert_eq!(
        logged.location.as_deref(),
        Some("/staff/conversations?saved")
    );
    // An address where "roughly where" goes is refused, and what he ticked is kept.
    let too_precise = bo_browser
        .submit(
            "/staff/conversations",
            &[
                ("area", "14 Mill Lane KF1 2AB"),
                ("needs", "loneliness"),
                ("done", "listened"),
            ],
        )
        .await;
    assert_eq!(too_precise.status, 422);
    assert!(too_precise.body.contains("not an address"));
    assert!(too_precise.body.contains("value=\"loneliness\" checked"));
    // Pointing to a service names it from the directory.
    let service = app
        .store()
        .services_after(None, 1, &Default::default())
        .await
        .unwrap()
        .remove(0);
    let pointed = bo_browser
        .submit(
            "/staff/conversations",
            &[
                ("area", "Old Town"),
                ("needs", "food"),
                ("done", "pointed_to_service"),
                ("service", &service.name.to_uppercase()),
            ],
        )
        .await;
    assert_eq!(pointed.status, 303, "{}", pointed.body);
    let nowhere = bo_browser
        .submit(
            "/staff/conversations",
            &[
                ("area", "Old Town"),
                ("done", "pointed_to_service"),
                ("service", ""),
            ],
        )
        .await;
    assert_eq!(nowhere.status, 422);

    // Bo passes someone to a coordinator: only with their consent, and only with a safe
    // way to reach them. Nothing he typed comes back to him.
    let form = bo_browser.get("/staff/hand-off").await;
    assert_eq!(form.status, 200);
    let mut hand_off = vec![
        ("name", "Mary Jones"),
        ("phone", "07700 900123"),
        ("safe_to_call", "yes"),
        ("safe_times", "after 6pm"),
        ("what_is_going_on", "behind with the rent"),
        ("urgent", "yes"),
        ("area", "Old Town"),
        ("needs", "debt"),
    ];
    let no_consent = bo_browser.submit("/staff/hand-off", &hand_off).await;
    assert_eq!(no_consent.status, 422);
    assert!(
        no_consent.body.contains("id=\"consent-error\""),
        "{}",
        no_consent.body
    );
    assert!(
        no_consent.body.contains("value=\"Mary Jones\""),
        "what he typed is kept"
    );
    hand_off.push(("consent", "yes"));
    let passed = bo_browser.submit("/staff/hand-off", &hand_off).await;
    assert_eq!(passed.status, 303, "{}", passed.body);
    assert_eq!(
        passed.location.as_deref(),
        Some("/staff/conversations?handed-off")
    );
    let after = bo_browser.get("/staff/conversations?handed-off").await;
    assert!(after.body.contains("Passed to a coordinator"));
    assert!(!after.body.contains("Mary") && !after.body.contains("07700"));
    let queue = app.store().waiting_intakes(10).await.unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].source, IntakeSource::Connector);
    assert_eq!(queue[0].priority, Priority::Urgent);
    assert_eq!(queue[0].created_by, Some(bo.id));
    let details = queue[0].details.as_ref().expect("the coordinators read it");
    assert_eq!(details.name, "Mary Jones");
    assert!(details.safe_contact.safe_to_call);
    // The coordinators' queue is not Bo's to read.
    assert_eq!(bo_browser.get("/staff/intakes").await.status, 403);

    // Bo's postcards carry a QR code for his code's address, and visits through it count.
    let postcards = bo_browser.get("/staff/postcards").await;
    assert_eq!(postcards.status, 200);
    let svg_start = postcards.body.find("<svg").expect("a QR code");
    let svg_end = postcards.body[svg_start..].find("</svg>").unwrap() + svg_start + 6;
    let decoded = decode_qr(&postcards.body[svg_start..svg_end]);
    assert_eq!(decoded, format!("{}/c/{}", app.base_url, record.code));
    for _ in 0..2 {
        let visit = app
            .get(&format!("/c/{}", record.code.as_str().to_lowercase()))
            .await;
        assert_eq!(visit.status().as_u16(), 303);
        assert_eq!(visit.headers()["location"], "/tell-us");
        assert!(visit.headers().get("set-cookie").is_none());
    }
    assert_eq!(app.get("/c/nonsense").await.status().as_u16(), 404);

    // The figures: Bo's own, and the town's for Priya.
    let figures = app
        .store()
        .connector_figures(None, uk_local(Utc::now()).date())
        .await
        .unwrap();
    assert_eq!(figures.trained, 1);
    assert_eq!(figures.active, 1);
    assert_eq!(figures.conversations, 3);
    assert_eq!(
        figures.offers_of_help, 3,
        "a postcard, a service and a hand-off"
    );
    assert_eq!(figures.hand_offs, 1);
    assert_eq!(figures.postcard_visits, 2);
    let own = bo_browser.get("/staff/my-figures").await;
    assert_eq!(own.status, 200);
    assert!(
        own.body.contains("<strong>3</strong> conversations in all"),
        "{}",
        own.body
    );
    assert!(
        own.body
            .contains("<strong>2</strong> visits through postcards")
    );
    assert!(
        own.body
            .contains("<strong>1</strong> passed to a coordinator")
    );
    assert!(own.body.contains(record.code.as_str()));
    let town = priya.get("/staff/connectors/figures").await;
    assert_eq!(town.status, 200);
    assert!(
        town.body.contains("<strong>1</strong> connectors trained"),
        "{}",
        town.body
    );
    assert!(
        town.body
            .contains("<strong>3.0</strong> conversations per connector per year")
    );
    assert!(
        town.body
            .contains("<strong>1</strong> passed to a coordinator")
    );
    assert!(town.body.contains("<strong>3</strong> offers of help"));
    assert!(town.body.contains("Food support: 2"), "{}", town.body);
    assert!(
        town.body
            .contains("Nobody: every connector trained in the last twelve months")
    );
    assert!(town.body.contains("Debt advice: 2"));

    // Bo sees no register, no names and nobody else's figures; Priya has no phone page.
    for path in [
        register_path.as_str(),
        "/staff/training",
        "/staff/connectors/figures",
    ] {
        let refused = bo_browser.get(path).await;
        assert_eq!(refused.status, 403, "{path}");
    }
    assert_eq!(priya.get("/staff/conversations").await.status, 403);
    // Nothing Bo wrote or anyone booked with reaches the audit log as a name or an address.
    let events = app
        .store()
        .audit_events(0, 10_000, &AuditFilter::default())
        .await
        .unwrap();
    let text = format!("{events:?}");
    for private in [
        "Bo Diaz",
        "bo@example.org",
        "Cy Evans",
        "Northfield",
        "Mary Jones",
        "07700 900123",
    ] {
        assert!(!text.contains(private), "{private} in the audit log");
    }
    let logged: Vec<_> = events
        .iter()
        .filter(|e| e.action == "log_conversation" && e.object_type == "conversation")
        .collect();
    assert_eq!(logged.len(), 3, "each conversation is audited");
    assert!(
        logged.iter().all(|e| e.outcome == Outcome::Succeeded),
        "each written with its conversation"
    );
    // Priya's reading of the register, which names people, is in the log; so is each change.
    let training: Vec<_> = events
        .iter()
        .filter(|e| e.action == "manage_training" && e.outcome == Outcome::Allowed)
        .collect();
    assert!(training.iter().any(|e| e.object_type == "page"));
    assert!(
        training
            .iter()
            .any(|e| e.object_type == "training_booking" && e.object_id == Some(bo_id.clone()))
    );
    assert!(training.iter().any(|e| e.object_type == "training_session"));
}

#[tokio::test]
async fn a_town_trains_connectors_and_counts_what_they_do_on_every_backend() {
    for backend in backends() {
        a_town_trains_connectors_and_counts_what_they_do(backend).await;
    }
}

async fn joint_training_records_which_organisations_came(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let secret = TotpSecret::from_random_bytes([32; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&secret),
    )
    .await;
    let mut priya = Browser::new(&app, "198.51.100.40");
    priya.sign_in("priya@example.org", Some(&secret)).await;
    let joint = app
        .store()
        .upcoming_training(Utc::now(), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.kind == knit_domain::training::TrainingKind::Joint)
        .expect("the demo's joint training");
    let path = format!("/training/{}", joint.id);
    let mut public = Browser::new(&app, "203.0.113.6");
    let no_org = public
        .post(&path, &[("name", "Dana"), ("email", "dana@example.org")])
        .await;
    assert_eq!(no_org.status, 422);
    assert!(no_org.body.contains("Enter the organisation you work for"));
    for (name, address, org) in [
        ("Dana", "dana@example.org", "Kestle Valley Food Bank"),
        ("Eli", "eli@example.org", "Kestleford Citizens Advice"),
        ("Fen", "fen@example.org", "Kestle Valley Food Bank"),
    ] {
        let booked = public
            .post(
                &path,
                &[("name", name), ("email", address), ("organization", org)],
            )
            .await;
        assert_eq!(booked.status, 200, "{}", booked.body);
    }
    let register_path = format!("/staff/training/{}", joint.id);
    for booking in app.store().bookings(joint.id).await.unwrap() {
        let id = booking.id.to_string();
        let marked = priya
            .submit(
                &format!("{register_path}/attendance"),
                &[("booking", &id), ("present", "yes")],
            )
            .await;
        assert_eq!(marked.status, 303, "{}", marked.body);
    }
    let register = priya.get(&register_path).await;
    let attended = register
        .body
        .split("Organisations that attended")
        .nth(1)
        .expect("the organisations that came");
    assert_eq!(attended.matches("Kestle Valley Food Bank").count(), 1);
    assert!(attended.contains("Kestleford Citizens Advice"));
    // Joint training makes nobody a connector.
    assert!(
        app.store()
            .user_by_email(&email("dana@example.org"))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn joint_training_records_which_organisations_came_on_every_backend() {
    for backend in backends() {
        joint_training_records_which_organisations_came(backend).await;
    }
}

async fn a_resident_signs_up_and_books_training_from_the_thank_you_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, about) = app.get_text("/become-a-connector").await;
    assert_eq!(status, 200);
    assert!(about.contains("What a connector doesn&#39;t do"));
    let mut sam = Browser::new(&app, "203.0.113.7");
    let mut form = vec![
        ("name", "Sam Green"),
        ("email", "sam@example.org"),
        ("phone", "call me"),
        ("area", "Old Town"),
        ("heard_from", "a postcard in the library"),
    ];
    let wrong = sam.post("/become-a-connector", &form).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Enter a UK phone number"));
    assert!(
        wrong.body.contains("value=\"Sam Green\"") && wrong.body.contains("value=\"Old Town\"")
    );
    form[2] = ("phone", "");
    let thanks = sam.post("/become-a-connector", &form).await;
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert!(thanks.body.contains("Thank you for signing up, Sam Green"));
    // The demo's connector training is one button away, with Sam's details in the form.
    let session = app
        .store()
        .upcoming_training(Utc::now(), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.kind == knit_domain::training::TrainingKind::Connector)
        .unwrap();
    let action = format!("action=\"/training/{}\"", session.id);
    assert!(thanks.body.contains(&action), "{}", thanks.body);
    assert!(
        thanks
            .body
            .contains("name=\"email\" value=\"sam@example.org\"")
    );
    let joint = app
        .store()
        .upcoming_training(Utc::now(), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.kind == knit_domain::training::TrainingKind::Joint)
        .unwrap();
    assert!(
        !thanks.body.contains(&joint.id.to_string()),
        "only connector training is offered"
    );
    let booked = sam
        .post(
            &format!("/training/{}", session.id),
            &[("name", "Sam Green"), ("email", "sam@example.org")],
        )
        .await;
    assert!(booked.body.contains("You are booked"), "{}", booked.body);

    // The place lead sees who signed up, to welcome them.
    let secret = TotpSecret::from_random_bytes([33; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&secret),
    )
    .await;
    let mut priya = Browser::new(&app, "198.51.100.41");
    priya.sign_in("priya@example.org", Some(&secret)).await;
    let training = priya.get("/staff/training").await;
    assert_eq!(training.status, 200);
    assert!(
        training.body.contains("1 signed up in all"),
        "{}",
        training.body
    );
    assert!(
        training.body.contains("Sam Green") && training.body.contains("heard from: a postcard")
    );
}

#[tokio::test]
async fn a_resident_signs_up_and_books_training_from_the_thank_you_page_on_every_backend() {
    for backend in backends() {
        a_resident_signs_up_and_books_training_from_the_thank_you_page(backend).await;
    }
}
