//! The demo directory has to hold up the way a real one would: every need met, every
//! listing valid, every address findable, and the awkward cases (helplines with no
//! address, online-only groups, a hidden refuge) all present.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;

use chrono::{Days, NaiveDate, NaiveTime};
use knit_domain::directory::{Delivery, Frequency, LocationType, ServiceStatus, WayIn};
use knit_domain::opening;
use knit_domain::postcode::Postcode;
use knit_domain::validation::{check_service, tidy};
use knit_domain::{NEEDS, Service};

use super::entry::as_of;
use super::{TOWN, centre, directory, places, postcodes};

fn is_phone_only(s: &Service) -> bool {
    s.service_at_locations.is_empty() && !s.phones.is_empty() && s.delivery() == [Delivery::Phone]
}

fn is_online_only(s: &Service) -> bool {
    !s.service_at_locations.is_empty()
        && s.service_at_locations
            .iter()
            .filter_map(|sal| sal.location.as_ref())
            .all(|l| l.location_type == LocationType::Virtual && l.url.is_some())
        && s.delivery() == [Delivery::Online]
}

#[test]
fn the_town_has_at_least_120_services() {
    let services = directory();
    assert!(services.len() >= 120, "only {} services", services.len());
    assert!(!TOWN.is_empty());
}

#[test]
fn every_need_is_met_by_at_least_two_services() {
    let mut count: BTreeMap<&str, usize> = NEEDS.iter().map(|n| (n.id.as_str(), 0)).collect();
    for service in directory() {
        assert!(
            !service.needs().is_empty(),
            "{} meets no need",
            service.name
        );
        for need in service.needs() {
            *count.get_mut(need.as_str()).expect("a known need") += 1;
        }
    }
    let thin: Vec<_> = count.iter().filter(|(_, n)| **n < 2).collect();
    assert!(
        thin.is_empty(),
        "needs met by fewer than two services: {thin:?}"
    );
}

#[test]
fn every_service_is_valid_and_already_tidy() {
    for service in directory() {
        let problems = check_service(&service);
        assert!(problems.is_empty(), "{}: {problems:?}", service.name);
        let mut tidied = service.clone();
        tidy(&mut tidied);
        assert_eq!(tidied.needs(), service.needs(), "{}", service.name);
        assert_eq!(tidied, service, "tidy changed {}", service.name);
        assert!(
            service.way_in().is_some() && !service.delivery().is_empty(),
            "{}",
            service.name
        );
    }
}

#[test]
fn ids_are_unique_and_the_same_on_every_run() {
    let services = directory();
    let mut ids = HashSet::new();
    for service in &services {
        assert!(
            ids.insert(service.id),
            "duplicate service id for {}",
            service.name
        );
        let nested = service
            .phones
            .iter()
            .map(|p| p.id)
            .chain(service.schedules.iter().map(|s| s.id))
            .chain(service.service_at_locations.iter().map(|s| s.id))
            .chain(service.cost_options.iter().map(|c| c.id))
            .chain(service.languages.iter().map(|l| l.id))
            .chain(service.attributes.iter().map(|a| a.id))
            .chain(service.service_areas.iter().map(|a| a.id));
        for id in nested {
            assert!(ids.insert(id), "duplicate nested id in {}", service.name);
        }
    }
    assert_eq!(services, directory());
    // Organisations and places are shared between services, always with one id per thing.
    let mut orgs = BTreeMap::new();
    for service in &services {
        let org = service.organization.as_ref().expect("nested organisation");
        assert_eq!(org.id, service.organization_id);
        assert_eq!(orgs.entry(org.id).or_insert(&org.name), &&org.name);
    }
}

#[test]
fn every_address_postcode_is_a_known_demo_postcode() {
    let known: BTreeSet<Postcode> = postcodes().into_iter().map(|p| p.postcode).collect();
    let mut addresses = 0;
    for service in directory() {
        for location in service
            .service_at_locations
            .iter()
            .filter_map(|s| s.location.as_ref())
        {
            for address in &location.addresses {
                let postcode =
                    Postcode::parse(&address.postal_code).expect("a well-formed postcode");
                assert!(
                    matches!(postcode, Postcode::Full(_)),
                    "{}",
                    address.postal_code
                );
                assert_eq!(
                    postcode.as_str(),
                    address.postal_code,
                    "written canonically"
                );
                assert!(
                    known.contains(&postcode),
                    "{} is not in postcodes()",
                    address.postal_code
                );
                addresses += 1;
            }
        }
    }
    assert!(addresses > 100);
    // Every postcode can fall back to its sector and district, and all are in the "KF" area.
    for postcode in &known {
        assert!(postcode.as_str().starts_with("KF"), "{postcode}");
        for coarser in postcode.fallbacks() {
            assert!(known.contains(&coarser), "{coarser} has no centroid");
        }
    }
}

#[test]
fn everything_is_within_15_km_of_the_town_centre() {
    let centre = centre();
    let near = |lat: f64, lon: f64, what: &str| {
        let km = centre.distance_km(knit_domain::geo::LatLon { lat, lon });
        assert!(km <= 15.0, "{what} is {km:.1} km from the centre");
    };
    for service in directory() {
        for location in service
            .service_at_locations
            .iter()
            .filter_map(|s| s.location.as_ref())
        {
            match (location.latitude, location.longitude) {
                (Some(lat), Some(lon)) => near(lat, lon, &service.name),
                _ => assert_eq!(
                    location.location_type,
                    LocationType::Virtual,
                    "{}",
                    service.name
                ),
            }
        }
    }
    for place in places() {
        near(place.position.lat, place.position.lon, &place.name);
    }
    for point in postcodes() {
        near(
            point.position.lat,
            point.position.lon,
            point.postcode.as_str(),
        );
    }
    assert!(places().iter().any(|p| p.name == TOWN));
}

#[test]
fn the_awkward_cases_a_real_directory_has_are_all_here() {
    let services = directory();
    let count = |f: &dyn Fn(&Service) -> bool| services.iter().filter(|s| f(s)).count();

    assert!(
        count(&is_phone_only) >= 3,
        "phone-only: {}",
        count(&is_phone_only)
    );
    assert!(
        count(&is_online_only) >= 3,
        "online-only: {}",
        count(&is_online_only)
    );
    assert!(
        count(&|s| s
            .service_at_locations
            .iter()
            .any(|sal| sal.location.as_ref().is_some_and(|l| l.confidential)))
            >= 1
    );
    assert!(count(&|s| s.status == ServiceStatus::TemporarilyClosed) >= 1);
    assert!(count(&|s| s.status == ServiceStatus::TemporarilyClosed && s.alert.is_some()) >= 1);

    assert!(
        count(&|s| s.is_free()) > services.len() / 2,
        "most help is free"
    );
    assert!(count(&|s| !s.is_free()) >= 10, "some services charge");
    assert!(count(&|s| s.minimum_age.is_some()) >= 10);
    assert!(count(&|s| s.maximum_age.is_some()) >= 5);
    for way_in in [WayIn::DropIn, WayIn::SelfRefer, WayIn::ReferralNeeded] {
        assert!(count(&|s| s.way_in() == Some(way_in)) >= 10, "{way_in:?}");
    }
    for delivery in [Delivery::InPerson, Delivery::Phone, Delivery::Online] {
        assert!(
            count(&|s| s.delivery().contains(&delivery)) >= 10,
            "{delivery:?}"
        );
    }
    assert!(count(&|s| s.languages.iter().any(|l| l.code.as_deref() != Some("en"))) >= 5);

    let schedules: Vec<_> = services.iter().flat_map(|s| &s.schedules).collect();
    let fortnightly =
        |s: &&&knit_domain::directory::Schedule| s.interval == Some(2) && s.dtstart.is_some();
    assert!(schedules.iter().filter(fortnightly).count() >= 3);
    let monthly = |s: &&&knit_domain::directory::Schedule| {
        s.freq == Some(Frequency::Monthly) && s.byday.as_deref().is_some_and(|d| d.len() > 2)
    };
    assert!(schedules.iter().filter(monthly).count() >= 5);
    assert!(
        schedules
            .iter()
            .filter(|s| s.valid_from.is_some() && s.valid_to.is_some())
            .count()
            >= 3
    );
    assert!(
        schedules
            .iter()
            .filter(|s| s.closes_at < s.opens_at)
            .count()
            >= 2,
        "overnight"
    );
    assert!(schedules.iter().all(|s| s.description.is_some()));
}

#[test]
fn most_listings_were_checked_recently_and_a_few_have_gone_stale() {
    let services = directory();
    let older_than = |days: u64| {
        let cutoff: NaiveDate = as_of() - Days::new(days);
        services
            .iter()
            .filter(|s| s.assured_date.expect("every listing has a date") < cutoff)
            .count()
    };
    assert!(older_than(183) >= 3, "some listings over six months old");
    assert!(older_than(365) >= 2, "some listings over a year old");
    assert!(
        older_than(183) * 10 < services.len(),
        "most listings are recent"
    );
    assert!(services.iter().all(|s| s.assured_date <= Some(as_of())));
}

#[test]
fn phones_web_and_email_addresses_can_never_reach_anyone_real() {
    // Ofcom's numbers for drama: 01632 960xxx, 07700 900xxx and 0808 157 0xxx.
    let drama = |n: &str| {
        let digits: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
        digits.len() == 11
            && (digits.starts_with("01632960")
                || digits.starts_with("07700900")
                || digits.starts_with("08081570"))
    };
    let reserved = |url: &str| {
        let host = url
            .trim_start_matches("https://")
            .split('/')
            .next()
            .unwrap_or("");
        host.ends_with(".example")
    };
    for service in directory() {
        for phone in &service.phones {
            assert!(drama(&phone.number), "{}: {}", service.name, phone.number);
        }
        let org = service.organization.as_ref().expect("organisation");
        let urls = service.url.iter().chain(&org.website).chain(
            service
                .service_at_locations
                .iter()
                .filter_map(|s| s.location.as_ref()?.url.as_ref()),
        );
        for url in urls {
            assert!(reserved(url), "{}: {url}", service.name);
        }
        for email in service.email.iter().chain(&org.email) {
            assert!(email.ends_with(".example"), "{}: {email}", service.name);
        }
    }
}

#[test]
fn the_refuge_address_never_reaches_the_public() {
    let refuge = directory()
        .into_iter()
        .find(|s| s.name == "Harbour House refuge")
        .expect("the refuge");
    let hidden = refuge.service_at_locations[0]
        .location
        .as_ref()
        .expect("a location");
    assert!(hidden.confidential);
    let public = serde_json::to_string(&refuge.public_view()).expect("json");
    assert!(!public.contains(&hidden.addresses[0].postal_code));
    assert!(!public.contains(&hidden.addresses[0].address_1));
    assert_eq!(refuge.public_locations().count(), 0);
}

#[test]
fn the_directory_survives_a_json_round_trip() {
    let services = directory();
    let json = serde_json::to_string(&services).expect("serialises");
    let back: Vec<Service> = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, services);
}

#[test]
fn opening_times_mean_what_the_listings_say() {
    let services = directory();
    let find = |name: &str| {
        services
            .iter()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("a date");
    let at = |h: u32| NaiveTime::from_hms_opt(h, 0, 0).expect("a time");
    for schedule in services.iter().flat_map(|s| &s.schedules) {
        assert_eq!(
            schedule.description.as_deref(),
            Some(opening::plain_english(schedule).as_str())
        );
    }

    // Fortnightly on Fridays from 6 November.
    let wyke = &find("Food bank: Wyke Carrow Chapel (fortnightly)").schedules[0];
    let open = |d: &str, h: u32| opening::schedule_open_at(wyke, day(d), at(h));
    assert!(open("2026-11-06", 15) && open("2026-11-20", 15) && !open("2026-11-13", 15));
    // The first Tuesday of the month.
    let cafe = &find("Bereavement café").schedules[0];
    let open = |d: &str, h: u32| opening::schedule_open_at(cafe, day(d), at(h));
    assert!(open("2026-11-03", 15) && !open("2026-11-10", 15));
    // Winter only.
    let warm = &find("Warm Welcome at Brindcombe Village Hall").schedules;
    assert!(opening::is_open_at(warm, day("2026-12-02"), at(11)));
    assert!(!opening::is_open_at(warm, day("2027-04-07"), at(11)));
    // Overnight, and around the clock.
    let line = &find("Kestle Valley Listening Line").schedules;
    assert!(
        opening::is_open_at(line, day("2026-11-03"), at(23))
            && !opening::is_open_at(line, day("2026-11-03"), at(12))
    );
    let refuge = &find("Harbour House refuge").schedules;
    assert!(opening::is_open_at(refuge, day("2026-12-25"), at(3)));
}

/// The invented "KF" area must not exist in the real UK, or a demo address could point at
/// someone's home. Checked against the real outcode list when the shared data is present.
#[test]
fn the_demo_postcode_area_is_not_a_real_one() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let file = shared.join("data/postcodes/outcode_centroids.csv");
    let Ok(csv) = std::fs::read_to_string(&file) else {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{} is missing",
            file.display()
        );
        eprintln!(
            "skipping: {} is not here (the shared folder is absent)",
            file.display()
        );
        return;
    };
    let real_areas: BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').nth(1))
        .collect();
    assert!(real_areas.contains("SN"), "the outcode file looks wrong");
    assert!(!real_areas.contains("KF"), "KF is a real postcode area");
}

#[test]
fn every_organisation_and_venue_is_used_and_every_address_names_a_known_place() {
    let services = directory();
    let org_names: BTreeSet<&str> = services
        .iter()
        .filter_map(|s| s.organization.as_ref())
        .map(|o| o.name.as_str())
        .collect();
    for org in super::organisations::ORGS {
        assert!(org_names.contains(org.name), "{} runs nothing", org.name);
    }
    let locations: Vec<_> = services
        .iter()
        .flat_map(|s| &s.service_at_locations)
        .filter_map(|s| s.location.as_ref())
        .collect();
    for venue in super::places::VENUES {
        assert!(
            locations
                .iter()
                .any(|l| l.name.as_deref() == Some(venue.name)),
            "{} is unused",
            venue.name
        );
    }
    let place_names: BTreeSet<String> = places().into_iter().map(|p| p.name).collect();
    for address in locations.iter().flat_map(|l| &l.addresses) {
        assert!(
            place_names.contains(&address.city),
            "{} is not a demo place",
            address.city
        );
    }
}

#[test]
fn descriptions_are_short_plain_sentences() {
    for service in directory() {
        let description = service
            .description
            .as_deref()
            .expect("every service is described");
        // A sentence ends at a full stop, ! or ? followed by a space, or at the very end.
        let ends: usize = [". ", "! ", "? "]
            .iter()
            .map(|end| description.matches(end).count())
            .sum();
        let sentences = ends + 1;
        assert!(
            (1..=3).contains(&sentences) && description.ends_with(['.', '!', '?']),
            "{}: {sentences} sentences",
            service.name
        );
        assert!(
            description.len() <= 400,
            "{} is {} characters long",
            service.name,
            description.len()
        );
    }
}
