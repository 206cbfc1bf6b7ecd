//! Activities and hubs, end to end over real HTTP on SQLite and PostgreSQL. Priya, the place
//! lead, opens a hub and lists a carers' coffee morning on the second Monday of each month
//! and a quiz on the last Friday; each activity's calendar, the hub's and the place's parse
//! back with their repeat rules intact. She imports a partner's feed from a server on this
//! machine: a good feed is stored (and importing it again updates, not duplicates); a
//! malformed feed, one too big and one too slow are each refused with a clear message, and
//! nothing of them is stored. The home page leads to volunteering, connectors and what's on.

use std::io::BufReader;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use knit_domain::account::Membership;
use knit_domain::activities::place_in_month;
use knit_domain::opening::uk_local;
use knit_domain::totp::TotpSecret;
use knit_store::volunteering::ActivityFilter;
use knit_web::volunteering::FeedLimits;

use crate::staff_pages::{Browser, make_user};
use crate::support::{Backend, TestApp, backends};

/// Every VEVENT's properties, parsed by the `ical` crate.
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

fn next(from: NaiveDate, fits: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut d = from;
    while !fits(d) {
        d = d + Days::new(1);
    }
    d
}

const GOOD_FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partner//EN\r\n\
BEGIN:VEVENT\r\nUID:walk@partner.example\r\nSUMMARY:Health walk\r\n\
DTSTART;TZID=Europe/London:20270111T100000\r\nDTEND;TZID=Europe/London:20270111T113000\r\n\
RRULE:FREQ=MONTHLY;BYDAY=2MO\r\nLOCATION:Park gates\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:choir@partner.example\r\nSUMMARY:Community choir\r\n\
DTSTART:20270105T190000Z\r\nDURATION:PT2H\r\nRRULE:FREQ=WEEKLY;BYDAY=TU\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

/// A partner's server on this machine: a good feed, the same feed moved, a web page, a feed
/// too big and one that never finishes in time.
async fn partner_server() -> String {
    let big = format!(
        "BEGIN:VCALENDAR\r\n{}END:VCALENDAR\r\n",
        "X-PADDING:0123456789012345678901234567890123456789\r\n".repeat(4_000)
    );
    let app = Router::new()
        .route("/good.ics", get(|| async { GOOD_FEED }))
        .route(
            "/moved.ics",
            get(|| async { axum::response::Redirect::permanent("/good.ics") }),
        )
        .route(
            "/page.ics",
            get(|| async { "<html><body>Our events</body></html>" }),
        )
        .route("/big.ics", get(move || async move { big }))
        .route(
            "/slow.ics",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(5)).await;
                GOOD_FEED
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

async fn a_hub_lists_whats_on_and_imports_a_partners_feed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.state.volunteering.set_feed_limits(FeedLimits {
        max_bytes: 64 * 1024,
        timeout: Duration::from_secs(1),
        private_addresses: true,
    });
    let secret = TotpSecret::from_random_bytes([51; 20]);
    make_user(
        &app,
        "Priya Shah",
        "priya@example.org",
        vec![Membership::place_lead()],
        Some(&secret),
    )
    .await;
    let mut priya = Browser::new(&app, "198.51.100.51");
    priya.sign_in("priya@example.org", Some(&secret)).await;

    // The home page leads to volunteering, connector sign-up and what's on.
    let (_, home) = app.get_text("/").await;
    for link in [
        "href=\"/volunteer\"",
        "href=\"/become-a-connector\"",
        "href=\"/whats-on\"",
    ] {
        assert!(home.contains(link), "{link} on the home page");
    }

    // A hub, then two monthly activities there.
    let made = priya
        .submit(
            "/staff/hubs",
            &[
                ("name", "Northfield Hub"),
                ("address", "1 Mill Lane"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let hub_path = made.location.unwrap();
    let hub_id = hub_path.trim_start_matches("/hubs/").to_owned();
    let today = uk_local(chrono::Utc::now()).date();
    let second_monday = next(today, |d| {
        d.weekday() == Weekday::Mon && place_in_month(d).0 == 2
    });
    let last_friday = next(today, |d| {
        d.weekday() == Weekday::Fri && place_in_month(d).1 == -1
    });
    let wrong = priya
        .submit(
            "/staff/activities",
            &[
                ("title", "Carers coffee"),
                ("date", "2027-02-30"),
                ("starts", "10:00"),
                ("ends", "11:30"),
                ("repeat", "monthly"),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("Enter a date like"));
    assert!(
        wrong.body.contains("value=\"Carers coffee\""),
        "what was typed is kept"
    );
    let mut paths = Vec::new();
    for (title, date, repeat) in [
        ("Carers coffee", second_monday, "monthly"),
        ("Friday quiz", last_friday, "monthly_last"),
    ] {
        let date = date.format("%Y-%m-%d").to_string();
        let done = priya
            .submit(
                "/staff/activities",
                &[
                    ("title", title),
                    ("hub", hub_id.as_str()),
                    ("date", date.as_str()),
                    ("starts", "10:00"),
                    ("ends", "11:30"),
                    ("repeat", repeat),
                ],
            )
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        paths.push(done.location.unwrap());
    }

    // Each activity's calendar parses back with its rule intact, in UK time.
    for (path, rule) in paths
        .iter()
        .zip(["FREQ=MONTHLY;BYDAY=2MO", "FREQ=MONTHLY;BYDAY=-1FR"])
    {
        let (status, page) = app.get_text(path).await;
        assert_eq!(status, 200);
        assert!(page.contains("of each month"), "{page}");
        let (status, ics) = app.get_text(&format!("{path}/calendar.ics")).await;
        assert_eq!(status, 200);
        let events = events_in(&ics);
        assert_eq!(events.len(), 1);
        assert_eq!(property(&events[0], "RRULE"), rule);
        assert!(property(&events[0], "DTSTART").ends_with("T100000"));
        assert!(ics.contains("DTSTART;TZID=Europe/London:"));
        assert!(ics.contains("BEGIN:VTIMEZONE"));
    }
    let (_, hub_feed) = app.get_text(&format!("{hub_path}/calendar.ics")).await;
    assert_eq!(
        events_in(&hub_feed).len(),
        2,
        "the hub's feed has its two activities"
    );
    let (_, place_feed) = app.get_text("/whats-on.ics").await;
    let all = events_in(&place_feed);
    assert!(all.len() >= 6, "the demo's four and Priya's two");
    assert!(
        all.iter()
            .any(|e| property(e, "RRULE") == "FREQ=WEEKLY;BYDAY=TU")
    );
    let (_, hub_page) = app.get_text(&hub_path).await;
    assert!(hub_page.contains("Northfield Hub") && hub_page.contains("This week"));
    let (status, whats_on) = app.get_text("/whats-on").await;
    assert_eq!(status, 200);
    assert!(whats_on.contains("What's on this week") && whats_on.contains("Friday quiz"));

    // A partner's feed: refused whole when malformed, too big or too slow.
    let partner = partner_server().await;
    let count = || async {
        app.store()
            .activities(ActivityFilter::default())
            .await
            .unwrap()
            .len()
    };
    let before = count().await;
    for (file, words) in [
        ("page.ics", "not an iCalendar feed"),
        ("big.ics", "larger than 64 KB"),
        ("slow.ics", "took longer than 1 seconds"),
    ] {
        let url = format!("{partner}/{file}");
        let refused = priya
            .submit(
                "/staff/activities/import",
                &[("url", url.as_str()), ("hub", hub_id.as_str())],
            )
            .await;
        assert_eq!(refused.status, 422, "{file}: {}", refused.body);
        assert!(refused.body.contains(words), "{file}: {}", refused.body);
        assert!(refused.body.contains(&url), "the address typed is kept");
        assert_eq!(count().await, before, "nothing of {file} was stored");
    }
    // A running Knit never fetches from this machine or a private network, whether the
    // address names it by number or by name; the test turns that off only to serve feeds.
    app.state
        .volunteering
        .set_feed_limits(FeedLimits::default());
    let port = partner.rsplit(':').next().unwrap();
    for url in [
        format!("{partner}/good.ics"),
        format!("http://localhost:{port}/good.ics"),
        "http://169.254.169.254/latest/meta-data/".to_owned(),
    ] {
        let refused = priya
            .submit(
                "/staff/activities/import",
                &[("url", url.as_str()), ("hub", hub_id.as_str())],
            )
            .await;
        assert_eq!(refused.status, 422, "{url}: {}", refused.body);
        assert!(
            refused
                .body
                .contains("on a private network or this server itself"),
            "{url}: {}",
            refused.body
        );
        assert_eq!(count().await, before, "nothing of {url} was stored");
    }
    app.state.volunteering.set_feed_limits(FeedLimits {
        max_bytes: 64 * 1024,
        timeout: Duration::from_secs(1),
        private_addresses: true,
    });

    // The partner's feed has moved: the redirect is followed, and the feed is known by the
    // address typed, so importing it again updates.
    let url = format!("{partner}/moved.ics");
    for round in 0..2 {
        let imported = priya
            .submit(
                "/staff/activities/import",
                &[("url", url.as_str()), ("hub", hub_id.as_str())],
            )
            .await;
        assert_eq!(imported.status, 200, "{}", imported.body);
        let expected = if round == 0 {
            "2 new activities, 0 updated"
        } else {
            "0 new activities, 2 updated"
        };
        assert!(imported.body.contains(expected), "{}", imported.body);
    }
    assert_eq!(count().await, before + 2);
    let (_, hub_feed) = app.get_text(&format!("{hub_path}/calendar.ics")).await;
    let events = events_in(&hub_feed);
    assert_eq!(events.len(), 4);
    assert!(
        events
            .iter()
            .any(|e| property(e, "SUMMARY") == "Health walk"
                && property(e, "RRULE") == "FREQ=MONTHLY;BYDAY=2MO")
    );
    // A UTC start reads in UK time: 19:00 GMT in January.
    assert!(
        events
            .iter()
            .any(|e| property(e, "SUMMARY") == "Community choir"
                && property(e, "DTSTART") == "20270105T190000")
    );
}

#[tokio::test]
async fn a_hub_shows_whats_on_and_feeds_are_imported_within_bounds() {
    for backend in backends() {
        a_hub_lists_whats_on_and_imports_a_partners_feed(backend).await;
    }
}

/// Fran, at the food bank, adds the food bank's own activities and imports its feed; she
/// cannot add one for another organisation or for the place, nor a hub, and her page lists
/// only the food bank's activities.
async fn partner_staff_add_their_own_organisations_activities(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.state.volunteering.set_feed_limits(FeedLimits {
        private_addresses: true,
        ..FeedLimits::default()
    });
    let food_bank = knit::demo::staff::organization_id("foodbank");
    let harbour = knit::demo::staff::organization_id("harbour");
    let secret = TotpSecret::from_random_bytes([52; 20]);
    make_user(
        &app,
        "Fran Baker",
        "fran.activities@foodbank.example",
        vec![Membership::partner_staff(food_bank)],
        Some(&secret),
    )
    .await;
    let mut fran = Browser::new(&app, "198.51.100.52");
    fran.sign_in("fran.activities@foodbank.example", Some(&secret))
        .await;

    let page = fran.get("/staff/activities").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Your activities"));
    assert!(!page.body.contains("Add a hub"), "hubs are the place's");
    assert!(
        !page.body.contains("Not said"),
        "her activities are the food bank's"
    );

    let activity = |org: String, title: &str| {
        [
            ("organization", org),
            ("title", title.to_owned()),
            ("date", "2027-03-04".to_owned()),
            ("starts", "13:00".to_owned()),
            ("ends", "15:00".to_owned()),
            ("repeat", "weekly".to_owned()),
        ]
    };
    let mut add = async |org: String, title: &str| {
        let fields = activity(org, title);
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fran.submit("/staff/activities", &form).await.status
    };
    assert_eq!(
        add(food_bank.to_string(), "Food bank cooking club").await,
        303
    );
    assert_eq!(add(harbour.to_string(), "Harbour quiz night").await, 403);
    assert_eq!(
        add(String::new(), "Place-wide fair").await,
        403,
        "the place's own"
    );
    let hub = fran
        .submit(
            "/staff/hubs",
            &[("name", "Fran's hub"), ("address", "2 Quay")],
        )
        .await;
    assert_eq!(hub.status, 403);

    // Her list holds the food bank's activities only.
    let page = fran.get("/staff/activities").await.body;
    assert!(page.contains("Food bank cooking club"));
    let everyone = app
        .store()
        .activities(ActivityFilter::default())
        .await
        .unwrap();
    let someone_elses = everyone
        .iter()
        .find(|a| a.plan.organization != Some(food_bank))
        .expect("the demo has other activities");
    assert!(!page.contains(&someone_elses.plan.title));

    // She imports the food bank's feed; another organisation's is refused.
    let partner = partner_server().await;
    let url = format!("{partner}/good.ics");
    let org = food_bank.to_string();
    let imported = fran
        .submit(
            "/staff/activities/import",
            &[("url", url.as_str()), ("organization", org.as_str())],
        )
        .await;
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert!(imported.body.contains("2 new activities"));
    let other = harbour.to_string();
    let refused = fran
        .submit(
            "/staff/activities/import",
            &[("url", url.as_str()), ("organization", other.as_str())],
        )
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn partner_staff_add_activities_for_their_own_organisation_only() {
    for backend in backends() {
        partner_staff_add_their_own_organisations_activities(backend).await;
    }
}
