//! Place insight, end to end over real HTTP on SQLite and PostgreSQL, from a small seeded
//! place whose figures were worked out by hand.
//!
//! Larder Trust and Pantry Project both run food support in EV1: an overlap. Pantry
//! Project's debt advice is in EV2, 8 km away, so people in EV1 asking about debt have
//! nothing within 5 km (a gap), and nor do people in EV2 asking about food. Ten people are
//! referred to Larder Trust's food bank on a Monday four weeks ago; it opens them 1, 1, 2,
//! 2, 2, 3, 3, 4, 7 and 8 days later — 1, 1, 2, 2, 2, 3, 3, 4, 5 and 6 working days, so a
//! median of 2 and a 90th percentile of 5 — completes seven ten days after sending (8
//! working days) and turns three down for lack of capacity on the day it opened them (4, 5
//! and 6 working days): outcomes' median and 90th percentile are both 8. Its public page
//! promises answers "within 2 working days". People search nine times for words nothing
//! matches near EV1; the place lead sees them as unmet demand, rounded to 10, while a
//! search made once never shows. Small counts are hidden unless the place lead asks for
//! exact figures, and no page, download or log line names anyone.

use std::sync::Arc;

use chrono::{Datelike, Days, TimeDelta, Utc};
use knit_domain::Service;
use knit_domain::account::{Membership, OrganizationId, Role, UserId};
use knit_domain::casework::{
    ConsentMethod, ConsentScope, PersonDetails, PersonId, Priority, SafeContact, SharedDetails,
    SharedPart,
};
use knit_domain::directory::{Frequency, Organization};
use knit_domain::disclosure::{Disclosure, Shown};
use knit_domain::geo::LatLon;
use knit_domain::insight::AreaLevel;
use knit_domain::needs::NeedId;
use knit_domain::postcode::Postcode;
use knit_domain::referral::{ReferralMove, ReferralResult, RejectionReason, Side};
use knit_domain::time_of_day::TimeOfDay;
use knit_domain::totp::TotpSecret;
use knit_domain::wards::Ward;
use knit_domain::wellbeing::{Measure, Ons4Answers, Stage};
use knit_store::casework::{NewCase, NewReferral, Stamp};
use knit_store::insight::SearchMiss;
use knit_store::{PostcodePoint, SharedStore};
use uuid::Uuid;

use crate::staff_pages::{Browser, make_user};
use crate::support::{Backend, TestApp, backends, captured_logs};

const LARDER: Uuid = Uuid::from_u128(0x1a4de4);
const PANTRY: Uuid = Uuid::from_u128(0x9a47);
const EV1: (f64, f64) = (51.370, -0.410);
/// About 8 km east of EV1.
const EV2: (f64, f64) = (51.370, -0.295);
const NAME: &str = "Marigold Insightperson";
const PHONE: &str = "07700 900456";

fn need(code: &str) -> NeedId {
    NeedId::parse(code).unwrap()
}

fn organization(id: Uuid, name: &str) -> Organization {
    Organization {
        id,
        name: name.to_owned(),
        alternate_name: None,
        description: None,
        email: None,
        website: None,
        legal_status: None,
        year_incorporated: None,
        logo: None,
        uri: None,
    }
}

/// A synthetic service made into one of ours: its organisation, need, postcode and place,
/// open Monday and Wednesday mornings (six hours a week).
fn service(
    template: &Service,
    id: u128,
    org: &Organization,
    meets: &str,
    postcode: &str,
    at: (f64, f64),
) -> Service {
    let mut s = template.clone();
    s.id = Uuid::from_u128(id);
    s.name = format!("{} {meets}", org.name);
    s.organization_id = org.id;
    s.organization = Some(org.clone());
    // Every nested record needs an id of its own.
    s.phones.clear();
    s.contacts.clear();
    s.languages.clear();
    s.cost_options.clear();
    s.service_areas.clear();
    s.set_needs(&[need(meets)]);
    for a in &mut s.attributes {
        a.id = Uuid::new_v5(&s.id, a.id.as_bytes());
        a.link_id = Some(s.id);
    }
    s.service_at_locations.truncate(1);
    let sal = &mut s.service_at_locations[0];
    sal.id = Uuid::from_u128(id + 1);
    sal.service_id = Some(s.id);
    let location = sal.location.as_mut().expect("a place");
    location.id = Uuid::from_u128(id + 2);
    sal.location_id = Some(location.id);
    location.latitude = Some(at.0);
    location.longitude = Some(at.1);
    location.confidential = false;
    location.addresses.truncate(1);
    location.accessibility.clear();
    let address = &mut location.addresses[0];
    address.id = Uuid::from_u128(id + 3);
    address.location_id = Some(location.id);
    address.postal_code = postcode.to_owned();
    let mut schedule = s.schedules.first().cloned().expect("a schedule");
    schedule.id = Uuid::from_u128(id + 4);
    schedule.service_id = Some(s.id);
    schedule.freq = Some(Frequency::Weekly);
    schedule.byday = Some("MO,WE".to_owned());
    schedule.opens_at = TimeOfDay::from_hm(9, 0);
    schedule.closes_at = TimeOfDay::from_hm(12, 0);
    schedule.bymonthday = None;
    schedule.interval = None;
    s.schedules = vec![schedule];
    s
}

async fn seed_directory(store: SharedStore) {
    let template = knit_domain::synthetic::services(50, 15)
        .find(|s| {
            !s.schedules.is_empty()
                && s.service_at_locations.first().is_some_and(|sal| {
                    sal.location
                        .as_ref()
                        .is_some_and(|l| !l.addresses.is_empty())
                })
        })
        .expect("a synthetic service with a place and times");
    let larder = organization(LARDER, "Larder Trust");
    let pantry = organization(PANTRY, "Pantry Project");
    // Pantry Project's food service says on its listing that it is full.
    let mut pantry_food = service(&template, 0x200, &pantry, "food", "EV1 2BB", EV1);
    pantry_food.alert = Some("Full at the moment: ask to join the waiting list".to_owned());
    let mut larder_food = service(&template, 0x100, &larder, "food", "EV1 1AA", EV1);
    larder_food.alert = Some("  ".to_owned());
    store
        .put_services(&[
            larder_food,
            pantry_food,
            service(&template, 0x300, &pantry, "debt", "EV2 1CC", EV2),
        ])
        .await
        .expect("the directory is stored");
    let point = |code: &str, (lat, lon): (f64, f64)| PostcodePoint {
        postcode: Postcode::parse(code).unwrap(),
        position: LatLon::new(lat, lon).unwrap(),
    };
    store
        .put_postcodes(&[point("EV1", EV1), point("EV2", EV2), point("EV1 1AA", EV1)])
        .await
        .expect("postcodes are stored");
}

/// The Monday at least four weeks before today, at 10:00 UTC.
fn a_monday() -> chrono::DateTime<Utc> {
    let mut day = Utc::now().date_naive() - Days::new(28);
    while day.weekday() != chrono::Weekday::Mon {
        day = day - Days::new(1);
    }
    day.and_hms_opt(10, 0, 0).unwrap().and_utc()
}

/// Ten people referred to the Larder's food bank, answered as the module says; each has a
/// debt need and two ONS4 measures, eight of them better by three points.
async fn seed_casework(app: &TestApp, coordinator: UserId) -> Vec<PersonId> {
    let store = app.store();
    let stamp = |at| Stamp {
        by: Some(coordinator),
        role: Some(Role::Coordinator),
        at,
        address: None,
    };
    let sent = a_monday();
    let answered_after = [1u64, 1, 2, 2, 2, 3, 3, 4, 7, 8];
    let mut people = Vec::new();
    for (i, days) in answered_after.into_iter().enumerate() {
        let details = PersonDetails {
            name: NAME.to_owned(),
            phone: PHONE.to_owned(),
            safe_contact: SafeContact {
                safe_to_call: true,
                ..SafeContact::default()
            },
            ..PersonDetails::default()
        };
        let person = store
            .open_case(NewCase {
                from_intake: None,
                details: details.clone(),
                coordinator,
                record_consent: ConsentMethod::Spoken,
                stamp: stamp(sent - TimeDelta::hours(1)),
            })
            .await
            .unwrap();
        store
            .set_need(person, need("debt"), Priority::Soon, "", stamp(sent))
            .await
            .unwrap();
        store
            .record_consent(
                person,
                ConsentScope::ShareWith {
                    organization: OrganizationId(LARDER),
                    purpose: "food".to_owned(),
                },
                ConsentMethod::Spoken,
                None,
                stamp(sent),
            )
            .await
            .unwrap();
        let referral = store
            .send_referral(NewReferral {
                person,
                service_id: Uuid::from_u128(0x100),
                organization: OrganizationId(LARDER),
                shared: SharedDetails::of(&details, &[SharedPart::Contact], &[need("food")], ""),
                parent: None,
                from_organization: None,
                timeline_text: "Referred".to_owned(),
                stamp: stamp(sent),
                consent_given: None,
            })
            .await
            .unwrap();
        let opened = sent + TimeDelta::days(days as i64) + TimeDelta::hours(1);
        let receive = |m, at| store.move_referral(referral.id, m, Side::Receiver, None, stamp(at));
        receive(ReferralMove::Open, opened).await.unwrap();
        if i < 7 {
            receive(ReferralMove::Accept, opened + TimeDelta::minutes(5))
                .await
                .unwrap();
            receive(ReferralMove::Start, opened + TimeDelta::minutes(6))
                .await
                .unwrap();
            receive(
                ReferralMove::Complete(ReferralResult::NeedMet),
                sent + TimeDelta::days(10),
            )
            .await
            .unwrap();
        } else {
            receive(
                ReferralMove::Reject(RejectionReason::NoCapacity),
                opened + TimeDelta::minutes(30),
            )
            .await
            .unwrap();
        }
        let before = Ons4Answers::new([4, 5, 5, 6]).unwrap();
        let after = if i < 8 {
            Ons4Answers::new([7, 6, 6, 4]).unwrap()
        } else {
            before
        };
        store
            .record_measure(person, Stage::Start, Measure::Ons4(before), stamp(sent))
            .await
            .unwrap();
        store
            .record_measure(
                person,
                Stage::End,
                Measure::Ons4(after),
                stamp(sent + TimeDelta::days(12)),
            )
            .await
            .unwrap();
        people.push(person);
    }
    people
}

/// The CSV row whose first field is `first`.
fn row<'a>(csv: &'a str, first: &str) -> Vec<&'a str> {
    csv.lines()
        .find(|l| l.starts_with(first))
        .unwrap_or_else(|| panic!("a row for {first} in {csv}"))
        .split(',')
        .collect()
}

async fn a_place_sees_who_does_what_where_and_how_the_network_responds(backend: Backend) {
    let logs = captured_logs();
    let app = TestApp::spawn_with(backend, |store| Box::pin(seed_directory(store))).await;
    let secret = TotpSecret::from_random_bytes([47; 20]);
    let priya = make_user(
        &app,
        "Priya Shah",
        "priya.insight@example.org",
        vec![Membership::place_lead(), Membership::coordinator()],
        Some(&secret),
    )
    .await;
    seed_casework(&app, priya.id).await;
    let mut lead = Browser::new(&app, "198.51.100.60");
    lead.sign_in("priya.insight@example.org", Some(&secret))
        .await;

    // Searches nothing matches, near a full postcode and with a phone number typed in:
    // counted by words and district, nothing else.
    for _ in 0..9 {
        let (status, _) = app
            .get_text("/search?q=wibble+frobnicate+07700900999&near=EV1+1AA")
            .await;
        assert_eq!(status, 200);
    }
    app.get_text("/search?q=zorblaxian&near=EV1+1AA").await;
    // A search that finds something is not a miss.
    app.get_text("/search?q=food").await;
    let written = knit_web::insight::misses::write(app.store(), &app.state.engine)
        .await
        .unwrap();
    assert_eq!(written, 2, "two distinct misses");
    let month = Utc::now().format("%Y-%m").to_string();
    let misses = app.store().search_misses(&month, 10).await.unwrap();
    assert_eq!(misses[0].words, "wibble frobnicate");
    assert_eq!(misses[0].area, "EV1");
    assert_eq!(misses[0].count, 9);
    assert!(misses.iter().all(|m| !m.area.contains("1AA")));
    asked_about_debt_in_ev1(app.store()).await;

    // The agency map finds the overlap and the gaps.
    let map = lead.get("/staff/insight/map").await;
    assert_eq!(map.status, 200, "{}", map.body);
    let csv = app
        .client
        .get(format!("{}/insight/map.csv", app.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(
        csv.headers()["content-type"].to_str().unwrap(),
        "text/csv; charset=utf-8"
    );
    let public_csv = csv.text().await.unwrap();
    assert!(public_csv.starts_with("kind,need,area,measure,value\r\n"));
    assert!(
        public_csv.contains("overlap,Food support,EV1,\"Larder Trust, Pantry Project\",2"),
        "{public_csv}"
    );
    assert!(public_csv.contains("gap,Debt advice,EV1,"), "{public_csv}");
    // One of the two food services says it is full; a blank notice is no notice.
    assert!(
        public_csv
            .contains("supply,Food support,all,\"services with a notice (full, waiting list)\",1"),
        "{public_csv}"
    );
    assert!(
        public_csv
            .contains("supply,Debt advice,all,\"services with a notice (full, waiting list)\",0")
    );
    // Publicly nobody asked for food; place leads also count the referrals turned down.
    assert!(
        !public_csv.contains("gap,Food support,EV2,"),
        "{public_csv}"
    );
    assert!(!public_csv.contains("gap,Food support,EV1,"));
    // The public map shares its counts with the staff map, and shows nothing of casework:
    // food was asked for only there, so publicly it is no demand at all.
    assert!(!public_csv.contains("demand,Food support,"), "{public_csv}");
    assert!(!public_csv.contains("needs raised in casework"));
    assert!(!public_csv.contains("gap,Debt advice,EV2,"));
    // Two food services in EV1, each open six hours a week.
    assert!(public_csv.contains("supply,Food support,EV1,services,2"));
    assert!(public_csv.contains("supply,Food support,all,hours open a week,12"));
    // The public map has nothing from casework.
    assert!(!public_csv.contains("casework"));
    assert!(!public_csv.contains("capacity"));
    let (status, public_map) = app.get_text("/insight/map").await;
    assert_eq!(status, 200);
    assert!(!public_map.contains("Raised in casework"));
    assert!(public_map.contains("<title id=\"supply-title\">"));
    // Staff see casework demand, published by the one disclosure rule: needs by source
    // (searches, conversations, casework, turned down for lack of capacity) with totals.
    let staff_csv = lead.get("/staff/insight/map.csv").await.body;
    let expected = Disclosure::Controlled.table(&[vec![12, 0, 10, 0], vec![0, 0, 0, 3]]);
    let sources = [
        "searches that found nothing",
        "needs raised in conversations",
        "needs raised in casework",
        "referrals turned down for lack of capacity",
    ];
    for (i, label) in ["Debt advice", "Food support"].into_iter().enumerate() {
        for (j, source) in sources.iter().enumerate() {
            let line = format!("demand,{label},all,{source},{}", expected.cells[i][j]);
            assert!(staff_csv.contains(&line), "{line} in {staff_csv}");
        }
    }
    // The three turned down are hidden, and so is enough else that totals cannot give
    // them away.
    assert_eq!(expected.cells[1][3], Shown::Suppressed);
    assert!(staff_csv.contains("referrals turned down for lack of capacity,[c]"));
    assert!(staff_csv.contains("gap,Food support,EV2,"), "{staff_csv}");
    assert!(!staff_csv.contains("gap,Food support,EV1,"));
    let exact_csv = lead.get("/staff/insight/map.csv?exact=1").await.body;
    assert!(exact_csv.contains("demand,Debt advice,all,searches that found nothing,12"));
    assert!(
        exact_csv.contains("demand,Food support,all,referrals turned down for lack of capacity,3")
    );
    // Searches that found nothing: the nine are shown (as 10), the single one never.
    assert!(map.body.contains("wibble frobnicate"));
    assert!(!map.body.contains("zorblaxian"));

    // How the network responds, matching the hand-worked figures.
    let network = lead.get("/staff/insight/network.csv").await.body;
    assert_eq!(
        row(&network, "Larder Trust"),
        vec!["Larder Trust", "10", "2", "5", "8", "8", "–", "–"],
        "the shares rest on small counts, so are not published"
    );
    let exact = lead.get("/staff/insight/network.csv?exact=1").await.body;
    assert_eq!(
        row(&exact, "Larder Trust"),
        vec!["Larder Trust", "10", "2", "5", "8", "8", "70%", "30%"]
    );
    // Every pair of organisations, with a header row, and a total that is their sum.
    let pairs = lead
        .get("/staff/insight/network-flows.csv?exact=1")
        .await
        .body;
    let mut lines = pairs.trim_start_matches('\u{feff}').lines();
    assert_eq!(lines.next(), Some("from,to,referrals"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect();
    let (total, pairs_listed) = rows.split_last().expect("a total row");
    assert_eq!(total[0], "All referrals");
    assert!(pairs_listed.iter().any(|r| r[1] == "Larder Trust"));
    let sum: u64 = pairs_listed
        .iter()
        .map(|r| r[2].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total[2], sum.to_string());
    let page = lead.get("/staff/insight/network").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("/staff/insight/network-flows.csv"));
    assert!(
        page.body.contains("These figures were worked out at"),
        "kept figures say when they were worked out"
    );
    assert!(page.body.contains("No capacity"));
    assert!(
        page.body.contains("[c]"),
        "three turned down is a small count"
    );

    // The Larder's public page carries its promise; Pantry has too few referrals for one.
    let (_, larder_page) = app
        .get_text(&format!("/services/{}", Uuid::from_u128(0x100)))
        .await;
    assert!(
        larder_page.contains("Usually answers referrals within 2 working days"),
        "{larder_page}"
    );
    let (_, pantry_page) = app
        .get_text(&format!("/services/{}", Uuid::from_u128(0x200)))
        .await;
    assert!(!pantry_page.contains("Usually answers referrals"));

    // Impact: ten people, eight better by a meaningful amount.
    let impact = lead.get("/staff/insight/impact").await;
    assert_eq!(impact.status, 200, "{}", impact.body);
    assert!(impact.body.contains("<strong>10</strong>"));
    let exact_impact = lead.get("/staff/insight/impact?exact=1").await.body;
    assert!(exact_impact.contains("80%"), "eight of ten better");
    let bad = lead.get("/staff/insight/impact?from=yesterday").await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("must be a date"));

    // Exact figures are a place lead's: a coordinator gets the published ones.
    let coordinator_secret = TotpSecret::from_random_bytes([48; 20]);
    make_user(
        &app,
        "Cole Ordinator",
        "cole.insight@example.org",
        vec![Membership::coordinator()],
        Some(&coordinator_secret),
    )
    .await;
    let mut cole = Browser::new(&app, "198.51.100.61");
    cole.sign_in("cole.insight@example.org", Some(&coordinator_secret))
        .await;
    assert_eq!(cole.get("/staff/insight/network.csv").await.status, 403);

    // Nothing personal anywhere: pages, downloads, logs.
    for page in [
        map.body,
        public_map,
        public_csv,
        staff_csv,
        exact_csv,
        network,
        exact,
        page.body,
        impact.body,
        exact_impact,
    ] {
        assert!(!page.contains(NAME));
        assert!(!page.contains(PHONE));
        assert!(!page.contains("07700900999"));
        assert!(!page.contains("EV1 1AA"));
    }
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).to_string();
    assert!(!logged.contains(NAME));
    assert!(!logged.contains("07700900999"));
}

/// Two wards of Evenley hold EV1 and EV2; a ward of Otherham, 20 km off, holds nothing.
async fn seed_wards(store: SharedStore) {
    seed_directory(Arc::clone(&store)).await;
    let ward = |code: &str, name: &str, authority: &str, (lat, lon): (f64, f64)| Ward {
        code: code.to_owned(),
        name: name.to_owned(),
        authority_code: format!("E06{:06}", authority.len()),
        authority: authority.to_owned(),
        centre: LatLon::new(lat, lon).unwrap(),
    };
    let wards = [
        ward("E05900001", "Abbey", "Evenley", EV1),
        ward("E05900002", "Eastfield", "Evenley", EV2),
        ward("E05900003", "Abbey", "Otherham", (51.55, -0.41)),
    ];
    assert_eq!(store.replace_wards(&wards).await.unwrap(), 3);
    // Importing again replaces, never adds.
    assert_eq!(store.replace_wards(&wards).await.unwrap(), 3);
    assert_eq!(store.wards().await.unwrap(), wards.to_vec());
    asked_about_debt_in_ev1(store.as_ref()).await;
}

/// People asked about debt in EV1 a dozen times this month, and found nothing.
async fn asked_about_debt_in_ev1(store: &dyn knit_store::Store) {
    store
        .add_search_misses(&[SearchMiss {
            month: Utc::now().format("%Y-%m").to_string(),
            words: "debt help".to_owned(),
            area: "EV1".to_owned(),
            need: "debt".to_owned(),
            count: 12,
        }])
        .await
        .unwrap();
}

async fn map_csv_counting_by(backend: Backend, level: AreaLevel) -> String {
    let app = TestApp::spawn_configured(
        backend,
        |site| knit_web::Site {
            insight_area: level,
            ..site
        },
        |store| Box::pin(seed_wards(store)),
    )
    .await;
    let (status, page) = app.get_text("/insight/map").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Evenley"), "the areas are named on the page");
    // A search that found nothing is still counted by its postcode's district.
    app.get_text("/search?q=zorblaxian+wibble&near=EV1+1AA")
        .await;
    knit_web::insight::misses::write(app.store(), &app.state.engine)
        .await
        .unwrap();
    let month = Utc::now().format("%Y-%m").to_string();
    let misses = app.store().search_misses(&month, 10).await.unwrap();
    assert!(
        misses
            .iter()
            .any(|m| m.words == "zorblaxian wibble" && m.area == "EV1")
    );
    app.get_text("/insight/map.csv").await.1
}

async fn the_agency_map_counts_by_ward_or_local_authority(backend: Backend) {
    let by_ward = map_csv_counting_by(backend, AreaLevel::Ward).await;
    assert!(
        by_ward.contains("supply,Food support,Abbey (Evenley),services,2"),
        "{by_ward}"
    );
    assert!(by_ward.contains("supply,Debt advice,Eastfield (Evenley),services,1"));
    assert!(
        by_ward
            .contains("supply,Food support,all,\"services with a notice (full, waiting list)\",1"),
        "placed by ward, the notice still counts: {by_ward}"
    );
    assert!(
        by_ward.contains("overlap,Food support,Abbey (Evenley),\"Larder Trust, Pantry Project\",2"),
        "{by_ward}"
    );
    // Debt advice is 8 km from Abbey's centre: a gap there, as in EV1.
    assert!(
        by_ward.contains("gap,Debt advice,Abbey (Evenley),"),
        "{by_ward}"
    );
    assert!(!by_ward.contains("gap,Debt advice,Eastfield (Evenley),"));
    assert!(
        !by_ward.contains("Otherham"),
        "a ward with nothing is not listed"
    );
    assert!(
        !by_ward.contains(",EV1,"),
        "no postcode areas at ward level"
    );

    let by_authority = map_csv_counting_by(backend, AreaLevel::LocalAuthority).await;
    assert!(
        by_authority.contains("supply,Food support,Evenley,services,2"),
        "{by_authority}"
    );
    assert!(by_authority.contains("supply,Debt advice,Evenley,services,1"));
    assert!(by_authority.contains("overlap,Food support,Evenley,"));
    // Evenley's centre lies between its wards, 4 km from each service: no gap.
    assert!(!by_authority.contains("gap,"), "{by_authority}");
}

#[tokio::test]
async fn the_agency_map_counts_by_ward_or_local_authority_on_every_backend() {
    for backend in backends() {
        the_agency_map_counts_by_ward_or_local_authority(backend).await;
    }
}

#[tokio::test]
async fn a_place_sees_who_does_what_where_and_how_the_network_responds_on_every_backend() {
    for backend in backends() {
        a_place_sees_who_does_what_where_and_how_the_network_responds(backend).await;
    }
}

/// `knit bench insight` on each backend, at a county's size: run with
/// `cargo test -p knit --test it bench_insight -- --ignored --nocapture`
/// (`KNIT_BENCH_SCALE=0.1` for a tenth of the county).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: minutes of data generation"]
async fn bench_insight_at_county_scale() {
    let scale: f64 = std::env::var("KNIT_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    for backend in backends() {
        println!("--- {backend:?}");
        let app = TestApp::spawn_with(backend, |_| Box::pin(async {})).await;
        knit::bench_insight(
            std::sync::Arc::clone(&app.state.store),
            (10_000.0 * scale) as usize,
            (200_000.0 * scale) as usize,
            (1_000_000.0 * scale) as u64,
            5,
        )
        .await
        .expect("the benchmark runs");
    }
}
