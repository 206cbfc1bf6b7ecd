//! Services to store: every field and every list filled in, so a round trip that drops or
//! reorders anything shows. Shared by the contract tests and the import benchmark.

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use knit_domain::Service;
use knit_domain::directory::{
    Accessibility, Address, Attribute, Contact, CostOption, Frequency, Language, Location,
    LocationType, Organization, Phone, Schedule, ServiceArea, ServiceAtLocation, ServiceStatus,
    TaxonomyTerm,
};
use knit_domain::needs::NeedId;
use knit_domain::time_of_day::TimeOfDay;
use knit_domain::validation::tidy;
use uuid::Uuid;

/// A stable id for the `what` of service `n`.
pub fn id(n: u32, what: &str) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!("knit-store-test/{n}/{what}").as_bytes(),
    )
}

pub fn organization(n: u32) -> Organization {
    Organization {
        id: id(n, "organization"),
        name: format!("Vale Community Trust {n}"),
        alternate_name: Some(format!("VCT{n}")),
        description: Some("Runs the community centre and its advice sessions.".into()),
        email: Some(format!("hello{n}@vct.example")),
        website: Some(format!("https://vct{n}.example")),
        legal_status: Some("Charity".into()),
        year_incorporated: Some(1987),
        logo: Some(format!("https://vct{n}.example/logo.png")),
        uri: Some(format!("https://vct{n}.example/about")),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn time(h: u16, m: u16) -> TimeOfDay {
    TimeOfDay::from_hm(h, m).expect("a real time")
}

pub fn modified(n: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap() + chrono::Duration::hours(i64::from(n))
}

pub fn phone(n: u32, what: &str, service_id: Option<Uuid>, contact_id: Option<Uuid>) -> Phone {
    Phone {
        id: id(n, what),
        service_id,
        contact_id,
        number: format!("01632 96{:04}", n % 10_000),
        extension: Some("12".into()),
        kind: Some("voice".into()),
        description: Some("Reception".into()),
    }
}

/// A location that service `n` and its neighbours may share: `place` picks which.
pub fn location(place: u32) -> Location {
    let location_id = id(place, "location");
    Location {
        id: location_id,
        location_type: LocationType::Physical,
        url: Some(format!("https://hall{place}.example")),
        name: Some(format!("Village Hall {place}")),
        description: Some("Step-free entrance at the side.".into()),
        transportation: Some("Bus 42 stops outside".into()),
        latitude: Some(53.303 + f64::from(place % 100) * 0.001),
        longitude: Some(-2.372 - f64::from(place % 100) * 0.001),
        confidential: place.is_multiple_of(7),
        addresses: vec![Address {
            id: id(place, "address"),
            location_id: Some(location_id),
            attention: Some("The caretaker".into()),
            address_1: format!("{place} Church Lane"),
            address_2: Some("Lower Green".into()),
            city: "Elmbridge Vale".into(),
            region: Some("North West".into()),
            state_province: "Cheshire".into(),
            postal_code: "EV1 1PS".into(),
            country: "GB".into(),
            address_type: "physical".into(),
        }],
        accessibility: vec![
            Accessibility {
                id: id(place, "access-ramp"),
                location_id: Some(location_id),
                description: Some("Ramp".into()),
                details: Some("A ramp at the side door".into()),
                url: Some(format!("https://hall{place}.example/access")),
            },
            Accessibility {
                id: id(place, "access-loop"),
                location_id: Some(location_id),
                description: Some("Hearing loop".into()),
                details: None,
                url: None,
            },
        ],
    }
}

pub fn term(code: &str) -> TaxonomyTerm {
    TaxonomyTerm {
        id: Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("https://open-eligibility.example/{code}").as_bytes(),
        ),
        code: Some(code.to_owned()),
        name: format!("Term {code}"),
        description: format!("People who {code}"),
        parent_id: Some(Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            b"https://open-eligibility.example",
        )),
        taxonomy: Some("open-eligibility".into()),
        taxonomy_id: Some(Uuid::new_v5(&Uuid::NAMESPACE_URL, b"open-eligibility")),
        vocabulary: Some("open-eligibility".into()),
        term_uri: Some(format!("https://open-eligibility.example/{code}")),
    }
}

/// Service `n`: every field set, two of most lists, a location shared with service `n + 1`
/// (by `n / 2`), a term and an organisation shared with its neighbours; tidied, as stored.
pub fn rich_service(n: u32) -> Service {
    let service_id = id(n, "service");
    let sid = Some(service_id);
    let contact_id = id(n, "contact");
    let organization = organization(n / 3);
    let shared_term = term("veterans");
    let own_term = term(&format!("local-{}", n % 5));
    let mut service = Service {
        id: service_id,
        organization_id: organization.id,
        name: format!("Warm Welcome Café {n}"),
        alternate_name: Some("The Café".into()),
        description: Some(format!("A warm space with soup and company, number {n}.")),
        url: Some(format!("https://cafe{n}.example")),
        email: Some(format!("cafe{n}@vct.example")),
        status: if n.is_multiple_of(11) {
            ServiceStatus::TemporarilyClosed
        } else {
            ServiceStatus::Active
        },
        interpretation_services: Some("Polish and Urdu on request".into()),
        application_process: Some("Just turn up.".into()),
        fees_description: Some("Free; donations welcome".into()),
        eligibility_description: Some("Anyone over 16".into()),
        minimum_age: Some(16),
        maximum_age: Some(120),
        alert: Some("Closed on bank holidays".into()),
        assured_date: Some(date(2025, 10, 14)),
        last_modified: Some(modified(n)),
        phones: vec![
            phone(n, "phone-1", sid, None),
            phone(n, "phone-2", sid, None),
        ],
        schedules: vec![
            Schedule {
                id: id(n, "schedule-1"),
                service_id: sid,
                valid_from: Some(date(2025, 1, 1)),
                valid_to: Some(date(2026, 12, 31)),
                dtstart: Some(date(2025, 1, 7)),
                until: Some(date(2026, 12, 29)),
                freq: Some(Frequency::Weekly),
                interval: Some(1),
                byday: Some("TU,TH".into()),
                bymonthday: None,
                opens_at: Some(time(10, 0)),
                closes_at: Some(time(12, 30)),
                description: Some("Tuesdays and Thursdays, 10am to 12:30pm".into()),
                notes: Some("Quieter after 11".into()),
            },
            Schedule {
                id: id(n, "schedule-2"),
                service_id: sid,
                valid_from: None,
                valid_to: None,
                dtstart: None,
                until: None,
                freq: Some(Frequency::Monthly),
                interval: Some(2),
                byday: Some("2SA".into()),
                bymonthday: Some("14".into()),
                opens_at: Some(time(18, 0)),
                closes_at: Some(time(23, 59)),
                description: None,
                notes: None,
            },
        ],
        service_areas: vec![ServiceArea {
            id: id(n, "area"),
            service_id: sid,
            name: Some("Elmbridge Vale and villages".into()),
            description: Some("Within 10 km of the market square".into()),
            uri: Some("https://areas.example/ev".into()),
        }],
        service_at_locations: vec![
            ServiceAtLocation {
                id: id(n, "sal-1"),
                service_id: sid,
                location_id: Some(id(n / 2, "location")),
                description: Some("Main hall".into()),
                location: Some(location(n / 2)),
            },
            ServiceAtLocation {
                id: id(n, "sal-2"),
                service_id: sid,
                location_id: Some(id(n, "online")),
                description: None,
                location: Some(Location {
                    id: id(n, "online"),
                    location_type: LocationType::Virtual,
                    url: Some(format!("https://meet.example/cafe{n}")),
                    name: Some("Online café".into()),
                    description: None,
                    transportation: None,
                    latitude: None,
                    longitude: None,
                    confidential: false,
                    addresses: Vec::new(),
                    accessibility: Vec::new(),
                }),
            },
        ],
        languages: vec![
            Language {
                id: id(n, "language-en"),
                service_id: sid,
                name: Some("English".into()),
                code: Some("en".into()),
                note: None,
            },
            Language {
                id: id(n, "language-cy"),
                service_id: sid,
                name: Some("Welsh".into()),
                code: Some("cy".into()),
                note: Some("Tuesdays only".into()),
            },
        ],
        cost_options: vec![CostOption {
            id: id(n, "cost"),
            service_id: sid,
            valid_from: Some(date(2025, 4, 1)),
            valid_to: Some(date(2026, 3, 31)),
            option: Some("Lunch".into()),
            currency: Some("GBP".into()),
            amount: Some(2.5),
            amount_description: Some("Pay what you can".into()),
        }],
        contacts: vec![Contact {
            id: contact_id,
            service_id: sid,
            name: Some("Sam Patel".into()),
            title: Some("Café lead".into()),
            department: Some("Community".into()),
            email: Some(format!("sam{n}@vct.example")),
            phones: vec![phone(n, "contact-phone", None, Some(contact_id))],
        }],
        attributes: vec![
            Attribute {
                id: id(n, "attribute-shared"),
                link_id: sid,
                link_type: Some("eligibility".into()),
                link_entity: Some("service".into()),
                taxonomy_term_id: shared_term.id,
                value: Some("yes".into()),
                taxonomy_term: Some(shared_term),
            },
            Attribute {
                id: id(n, "attribute-own"),
                link_id: sid,
                link_type: None,
                link_entity: None,
                taxonomy_term_id: own_term.id,
                value: None,
                taxonomy_term: Some(own_term),
            },
            Attribute {
                id: id(n, "attribute-bare"),
                link_id: None,
                link_type: None,
                link_entity: None,
                // A term the record names but does not carry.
                taxonomy_term_id: id(n, "unknown-term"),
                value: None,
                taxonomy_term: None,
            },
        ],
        organization: Some(organization),
    };
    service.set_needs(&[
        NeedId::parse("food").expect("a need"),
        NeedId::parse("loneliness").expect("a need"),
    ]);
    tidy(&mut service);
    service
}

/// `count` services numbered from `first`.
pub fn town(first: u32, count: u32) -> Vec<Service> {
    (first..first + count).map(rich_service).collect()
}
