//! Stories of people searching the directory.

use std::path::PathBuf;

use chrono::NaiveDate;
use knit_domain::directory::{
    CostOption, Frequency, Location, LocationType, Organization, Schedule, ServiceAtLocation,
    ServiceStatus,
};
use knit_domain::time_of_day::TimeOfDay;

use super::*;

fn need(id: &str) -> NeedId {
    NeedId::parse(id).unwrap()
}

/// A listing with just what a story needs; everything else empty.
fn listing(n: u128, name: &str, description: &str, needs: &[&str]) -> Service {
    let id = Uuid::from_u128(n);
    let organization_id = Uuid::from_u128(1000 + n);
    let mut service = Service {
        id,
        organization_id,
        name: name.to_owned(),
        alternate_name: None,
        description: Some(description.to_owned()),
        url: None,
        email: None,
        status: ServiceStatus::Active,
        interpretation_services: None,
        application_process: None,
        fees_description: None,
        eligibility_description: None,
        minimum_age: None,
        maximum_age: None,
        alert: None,
        assured_date: None,
        last_modified: None,
        phones: vec![],
        schedules: vec![],
        service_areas: vec![],
        service_at_locations: vec![],
        languages: vec![],
        cost_options: vec![],
        contacts: vec![],
        attributes: vec![],
        organization: Some(Organization {
            id: organization_id,
            name: "Kestleford Community Trust".into(),
            alternate_name: None,
            description: None,
            email: None,
            website: None,
            legal_status: None,
            year_incorporated: None,
            logo: None,
            uri: None,
        }),
    };
    let needs: Vec<NeedId> = needs.iter().map(|n| need(n)).collect();
    service.set_needs(&needs);
    service.set_way_in(WayIn::SelfRefer);
    service.set_delivery(&[Delivery::InPerson]);
    service
}

fn at(mut service: Service, lat: f64, lon: f64) -> Service {
    service.service_at_locations.push(ServiceAtLocation {
        id: Uuid::new_v4(),
        service_id: Some(service.id),
        location_id: None,
        description: None,
        location: Some(Location {
            id: Uuid::new_v4(),
            location_type: LocationType::Physical,
            url: None,
            name: None,
            description: None,
            transportation: None,
            latitude: Some(lat),
            longitude: Some(lon),
            confidential: false,
            addresses: vec![],
            accessibility: vec![],
        }),
    });
    service
}

fn weekly(byday: &str, opens: &str, closes: &str) -> Schedule {
    Schedule {
        id: Uuid::new_v4(),
        service_id: None,
        valid_from: None,
        valid_to: None,
        dtstart: None,
        until: None,
        freq: Some(Frequency::Weekly),
        interval: None,
        byday: Some(byday.into()),
        bymonthday: None,
        opens_at: Some(opens.parse::<TimeOfDay>().unwrap()),
        closes_at: Some(closes.parse::<TimeOfDay>().unwrap()),
        description: None,
        notes: None,
    }
}

fn words(words: &str) -> SearchQuery {
    SearchQuery {
        words: words.into(),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    }
}

fn ids(results: &SearchResults) -> Vec<u128> {
    results.hits.iter().map(|h| h.id.as_u128()).collect()
}

/// A small town's directory.
fn town() -> DirectoryIndex {
    let centre = (53.30, -2.37);
    let mut food_bank = at(
        listing(
            1,
            "Kestleford Foodbank",
            "Emergency food parcels for people in crisis.",
            &["food", "crisis-support"],
        ),
        centre.0,
        centre.1,
    );
    food_bank.schedules = vec![weekly("TU", "10:00", "12:30")];
    let mut pantry = at(
        listing(
            2,
            "Community Pantry",
            "Low-cost groceries each week for members.",
            &["food"],
        ),
        53.32,
        -2.34,
    );
    pantry.cost_options.push(CostOption {
        id: Uuid::new_v4(),
        service_id: None,
        valid_from: None,
        valid_to: None,
        option: None,
        currency: Some("GBP".into()),
        amount: Some(3.5),
        amount_description: None,
    });
    pantry.schedules = vec![weekly("FR", "12:00", "14:00")];
    let mut money = listing(
        3,
        "Money Matters",
        "Free, confidential advice on arrears, bailiffs and priority bills, by phone.",
        &["debt"],
    );
    money.set_delivery(&[Delivery::Phone]);
    money.schedules = vec![weekly("MO,TU,WE,TH,FR", "09:00", "17:00")];
    let mut counselling = at(
        listing(
            4,
            "Talking Space",
            "Counselling for adults with anxiety or low mood.",
            &["mental-health"],
        ),
        53.25,
        -2.38,
    );
    counselling.minimum_age = Some(18);
    counselling.set_way_in(WayIn::ReferralNeeded);
    let mut toddlers = at(
        listing(
            5,
            "Little Acorns Stay and Play",
            "Songs, toys and a cuppa for babies and toddlers.",
            &["early-years"],
        ),
        53.31,
        -2.36,
    );
    toddlers.maximum_age = Some(5);
    toddlers.set_way_in(WayIn::DropIn);
    toddlers.schedules = vec![weekly("WE", "09:30", "11:00")];
    let walks = at(
        listing(
            6,
            "Health Walks",
            "Gentle guided walks for all abilities, free.",
            &["physical-activity"],
        ),
        53.60,
        -2.10,
    );
    let mut gone = listing(
        7,
        "Old Foodbank Hall",
        "Food parcels, closed for good.",
        &["food"],
    );
    gone.status = ServiceStatus::Defunct;
    DirectoryIndex::from_services(&[food_bank, pantry, money, counselling, toddlers, walks, gone])
}

#[test]
fn a_food_bank_search_finds_the_food_bank_first_and_says_why() {
    let index = town();
    assert_eq!(index.len(), 6, "the defunct service is not listed");
    let results = index.search(&words("food bank"));
    assert_eq!(ids(&results)[0], 1);
    assert!(
        ids(&results).contains(&2),
        "the pantry meets the food need too"
    );
    assert!(!ids(&results).contains(&7));
    let reasons = &results.hits[0].reasons;
    let said = |word: &str| {
        reasons
            .iter()
            .any(|r| matches!(r, Reason::Words(w) if w.iter().any(|x| x == word)))
    };
    assert!(said("foodbank") && said("food"), "{reasons:?}");
    assert!(reasons.contains(&Reason::Need(need("food"))));
}

#[test]
fn debt_finds_money_advice_that_never_says_debt() {
    let results = town().search(&words("help with debt"));
    assert_eq!(ids(&results), [3]);
    assert_eq!(results.hits[0].reasons, [Reason::Need(need("debt"))]);
}

#[test]
fn a_matcher_hint_finds_what_the_words_miss() {
    let index = town();
    assert_eq!(index.search(&words("skint")).total, 0);
    let hinted = SearchQuery {
        need_hints: vec![(need("debt"), 0.9)],
        ..words("skint")
    };
    assert_eq!(ids(&index.search(&hinted)), [3]);
}

#[test]
fn typing_slips_and_other_forms_of_a_word_still_find_it() {
    let index = town();
    assert_eq!(ids(&index.search(&words("foodbnak")))[0], 1);
    let counsellor = index.search(&words("counsellor"));
    assert_eq!(
        ids(&counsellor).first(),
        Some(&4),
        "counsellor reaches counselling"
    );
    let walking = index.search(&words("walking"));
    assert_eq!(ids(&walking).first(), Some(&6));
    assert_eq!(
        walking.hits[0].reasons[0],
        Reason::Words(vec!["walks".into()])
    );
}

#[test]
fn a_parent_filters_by_age_day_and_way_in() {
    let index = town();
    let browse = |query: SearchQuery| {
        ids(&index.search(&SearchQuery {
            page: 1,
            per_page: 10,
            ..query
        }))
    };
    let for_a_toddler = browse(SearchQuery {
        age: Some(3),
        ..SearchQuery::default()
    });
    assert!(
        for_a_toddler.contains(&5) && !for_a_toddler.contains(&4),
        "{for_a_toddler:?}"
    );
    assert_eq!(
        browse(SearchQuery {
            age: Some(30),
            day: Some(Weekday::Wed),
            ..SearchQuery::default()
        }),
        [3]
    );
    assert_eq!(
        browse(SearchQuery {
            way_in: Some(WayIn::DropIn),
            ..SearchQuery::default()
        }),
        [5]
    );
    assert_eq!(
        browse(SearchQuery {
            delivery: Some(Delivery::Phone),
            ..SearchQuery::default()
        }),
        [3]
    );
    let free_food = browse(SearchQuery {
        needs: vec![need("food")],
        free_only: true,
        ..SearchQuery::default()
    });
    assert_eq!(free_food, [1]);
    let mut food_or_debt = browse(SearchQuery {
        needs: vec![need("food"), need("debt")],
        ..SearchQuery::default()
    });
    food_or_debt.sort_unstable();
    assert_eq!(food_or_debt, [1, 2, 3]);
}

#[test]
fn open_now_means_open_at_this_moment() {
    let index = town();
    // Tuesday 25 November 2025 at 11am: the foodbank and the phone line are open.
    let tuesday = NaiveDate::from_ymd_opt(2025, 11, 25).unwrap();
    let query = |hour| SearchQuery {
        open_at: Some((tuesday, NaiveTime::from_hms_opt(hour, 0, 0).unwrap())),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    let mut open = ids(&index.search(&query(11)));
    open.sort_unstable();
    assert_eq!(open, [1, 3]);
    assert_eq!(ids(&index.search(&query(16))), [3]);
    assert!(index.search(&query(20)).hits.is_empty());
}

#[test]
fn near_me_ranks_by_distance_and_within_leaves_out_the_far_away() {
    let index = town();
    let here = LatLon::new(53.30, -2.37).unwrap();
    let query = SearchQuery {
        near: Some(here),
        page: 1,
        per_page: 10,
        ..SearchQuery::default()
    };
    let results = index.search(&query);
    assert_eq!(ids(&results)[0], 1, "the foodbank is on the spot");
    assert_eq!(results.hits[0].distance_km.map(|d| d < 0.1), Some(true));
    let walks = results.hits.iter().find(|h| h.id.as_u128() == 6).unwrap();
    assert!(walks.distance_km.unwrap() > 30.0);
    assert_eq!(
        results.hits.last().map(|h| h.id.as_u128()),
        Some(6),
        "the far walk comes last"
    );
    let phone = results.hits.iter().find(|h| h.id.as_u128() == 3).unwrap();
    assert_eq!(phone.distance_km, None, "a phone line has no distance");

    let within = index.search(&SearchQuery {
        within_km: Some(10.0),
        ..query.clone()
    });
    assert!(!ids(&within).contains(&6));
    assert!(
        ids(&within).contains(&3),
        "services that need no visit stay in"
    );

    // Words and distance together: relevance first, gently discounted by distance.
    let food_near = index.search(&SearchQuery {
        words: "food".into(),
        ..query
    });
    assert_eq!(ids(&food_near)[..2], [1, 2]);
}

#[test]
fn results_come_a_page_at_a_time_with_the_total() {
    let index = town();
    let page = |page| {
        index.search(&SearchQuery {
            page,
            per_page: 2,
            ..SearchQuery::default()
        })
    };
    let (first, second, fourth) = (page(1), page(2), page(4));
    assert_eq!(first.total, 6);
    assert_eq!(first.hits.len(), 2);
    assert_eq!(second.hits.len(), 2);
    assert!(fourth.hits.is_empty());
    let mut seen: Vec<u128> = [ids(&first), ids(&second), ids(&page(3))].concat();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 6, "no service on two pages");
}

#[test]
fn an_edit_replaces_the_old_listing_and_removal_forgets_it() {
    let mut index = town();
    let mut renamed = listing(
        2,
        "Kestleford Community Larder",
        "Cheap groceries each week.",
        &["food"],
    );
    renamed.set_delivery(&[Delivery::InPerson]);
    index.upsert(&renamed);
    assert_eq!(index.len(), 6);
    assert!(
        !ids(&index.search(&words("members"))).contains(&2),
        "the old words are gone"
    );
    assert_eq!(ids(&index.search(&words("larder"))), [2]);

    index.remove(Uuid::from_u128(2));
    assert_eq!(index.len(), 5);
    assert!(index.search(&words("larder")).hits.is_empty());

    let mut closed = listing(1, "Kestleford Foodbank", "Food parcels.", &["food"]);
    closed.status = ServiceStatus::Inactive;
    index.upsert(&closed);
    assert_eq!(index.len(), 4, "an inactive service leaves the index");
}

#[test]
fn many_edits_compact_the_index_without_losing_anything() {
    let mut index = DirectoryIndex::new();
    let services: Vec<Service> = knit_domain::synthetic::services(400, 3).collect();
    for service in &services {
        index.upsert(service);
    }
    let listed = services.iter().filter(|s| s.status.is_listed()).count();
    for service in services.iter().take(300) {
        index.remove(service.id);
    }
    for service in services.iter().take(300) {
        index.upsert(service);
    }
    assert_eq!(index.len(), listed);
    let everything = index.search(&SearchQuery {
        page: 1,
        per_page: 1000,
        ..SearchQuery::default()
    });
    assert_eq!(everything.total, listed);
    let target = services.iter().find(|s| s.status.is_listed()).unwrap();
    let found = index.search(&words(&target.name));
    assert!(ids(&found).contains(&target.id.as_u128()));
}

/// The shared folder beside the project, or None (with a message) when it is absent
/// outside CI.
fn shared() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if path.is_dir() {
        return Some(path);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{} is missing, and CI needs it", path.display());
    }
    eprintln!("skipping: {} is not there", path.display());
    None
}

fn elmbridge(shared: &std::path::Path) -> DirectoryIndex {
    let json = std::fs::read_to_string(shared.join("data/elmbridge/services.json")).unwrap();
    let mut services: Vec<Service> = serde_json::from_str(&json).unwrap();
    for service in &mut services {
        knit_domain::validation::tidy(service);
    }
    DirectoryIndex::from_services(&services)
}

#[test]
fn elmbridge_relevance_on_the_development_queries() {
    let Some(shared) = shared() else { return };
    let index = elmbridge(&shared);
    let text = std::fs::read_to_string(shared.join("eval/queries-dev.jsonl")).unwrap();
    let queries = relevance::parse_judged_queries(&text).unwrap();
    let scores = relevance::evaluate(&index, &queries, |_| Vec::new());
    for (id, score) in &scores {
        eprintln!("{id}: nDCG@10 {score:.3}");
    }
    let mean = relevance::mean(&scores);
    eprintln!("mean nDCG@10 over {} queries: {mean:.3}", scores.len());
    assert!(mean >= 0.87, "nDCG@10 {mean:.3}");
}

#[test]
fn elmbridge_food_bank_comes_first() {
    let Some(shared) = shared() else { return };
    let index = elmbridge(&shared);
    let results = index.search(&words("food bank"));
    assert!(results.total > 0);
    let json = std::fs::read_to_string(shared.join("data/elmbridge/services.json")).unwrap();
    let services: Vec<Service> = serde_json::from_str(&json).unwrap();
    let top = services
        .iter()
        .find(|s| s.id == results.hits[0].id)
        .unwrap();
    assert!(top.name.starts_with("Foodbank"), "{} came first", top.name);
}
