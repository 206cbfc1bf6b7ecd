//! The compact way the demo services are written, and how each becomes a full HSDS
//! [`Service`]. An entry names only what makes its service different; everything else
//! (ids, nested places, taxonomy links, schedule wording) is worked out here, the same
//! way on every run, so ids and dates never change between runs.

use chrono::{DateTime, Days, NaiveDate, Utc};
use knit_domain::directory::{
    Accessibility, Address, CostOption, Delivery, Frequency, Language, Location, LocationType,
    Organization, Phone, Schedule, ServiceArea, ServiceAtLocation, ServiceStatus, WayIn,
};
use knit_domain::opening;
use knit_domain::time_of_day::TimeOfDay;
use knit_domain::{NeedId, Service};
use uuid::Uuid;

use super::organisations::{Org, org};
use super::places::{CONFIDENTIAL_VENUES, COUNTY, Venue, venue};

/// The day the demo directory was last checked through. Listing dates count back from it,
/// so the data is the same whatever the date today.
pub(super) fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).expect("a real date")
}

/// The namespace of every demo id: UUIDv5 of the demo's own URL.
pub(super) fn namespace() -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        b"https://knit.example/demo/kestleford",
    )
}

/// Written where an entry has no phone at all, not even its organisation's.
pub(super) const NO_PHONE: &str = "none";

/// One service, written compactly.
pub(super) struct Entry {
    pub name: &'static str,
    /// The key of the organisation in `organisations::ORGS`.
    pub org: &'static str,
    pub description: &'static str,
    /// Ids from the `knit-needs` taxonomy.
    pub needs: &'static [&'static str],
    pub way_in: WayIn,
    /// Left empty, the ways of delivery follow from where the service happens: in person at
    /// a venue, online at a web address, and by phone when it is neither.
    pub delivery: &'static [Delivery],
    /// Keys of venues in `places::VENUES`.
    pub at: &'static [&'static str],
    /// The web address of an online location (video group, chat, course), or "".
    pub online: &'static str,
    /// "" for the organisation's number, [`NO_PHONE`] for none.
    pub phone: &'static str,
    /// A number to text, or "".
    pub text: &'static str,
    /// The page on the organisation's website, such as "/foodbank".
    pub page: &'static str,
    pub times: &'static [When],
    pub min_age: Option<u16>,
    pub max_age: Option<u16>,
    pub who: &'static str,
    pub how: &'static str,
    pub fees: &'static str,
    /// Prices in pounds, each with what it buys.
    pub prices: &'static [(&'static str, f64)],
    /// ISO 639 codes of the languages the service works in.
    pub languages: &'static [&'static str],
    pub status: ServiceStatus,
    pub alert: &'static str,
    /// How long ago the listing was confirmed; `None` spreads it over recent months.
    pub checked_days_ago: Option<u64>,
    /// The area served, or "" for the whole valley.
    pub area: &'static str,
}

/// What an entry is when it says nothing else.
pub(super) const BASE: Entry = Entry {
    name: "",
    org: "",
    description: "",
    needs: &[],
    way_in: WayIn::SelfRefer,
    delivery: &[],
    at: &[],
    online: "",
    phone: "",
    text: "",
    page: "",
    times: &[],
    min_age: None,
    max_age: None,
    who: "",
    how: "",
    fees: "Free",
    prices: &[],
    languages: &["en"],
    status: ServiceStatus::Active,
    alert: "",
    checked_days_ago: None,
    area: "",
};

/// How often a session repeats.
#[derive(Clone, Copy)]
pub(super) enum Every {
    Week,
    /// Every other week, counting from the first session (a date, `YYYY-MM-DD`).
    Fortnight(&'static str),
    /// `days` is a monthly RRULE BYDAY such as `2TU` or `-1FR`.
    Month,
    /// Weekly between two dates (`YYYY-MM-DD`), such as a winter warm space.
    Season(&'static str, &'static str),
}

/// One regular opening. A closing time before the opening time runs overnight; no times
/// at all means open all day.
#[derive(Clone, Copy)]
pub(super) struct When {
    pub days: &'static str,
    pub opens: &'static str,
    pub closes: &'static str,
    pub every: Every,
}

/// Open around the clock on these days: no hours, which HSDS reads as all day.
pub(super) const fn all_day(days: &'static str) -> When {
    When {
        days,
        opens: "",
        closes: "",
        every: Every::Week,
    }
}

pub(super) const fn weekly(days: &'static str, opens: &'static str, closes: &'static str) -> When {
    When {
        days,
        opens,
        closes,
        every: Every::Week,
    }
}

pub(super) const fn fortnightly(
    day: &'static str,
    first: &'static str,
    opens: &'static str,
    closes: &'static str,
) -> When {
    When {
        days: day,
        opens,
        closes,
        every: Every::Fortnight(first),
    }
}

pub(super) const fn monthly(day: &'static str, opens: &'static str, closes: &'static str) -> When {
    When {
        days: day,
        opens,
        closes,
        every: Every::Month,
    }
}

pub(super) const fn seasonal(
    days: &'static str,
    opens: &'static str,
    closes: &'static str,
    from: &'static str,
    to: &'static str,
) -> When {
    When {
        days,
        opens,
        closes,
        every: Every::Season(from, to),
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .unwrap_or_else(|_| panic!("demo date \"{s}\" is not YYYY-MM-DD"))
}

fn time(s: &str) -> TimeOfDay {
    s.parse()
        .unwrap_or_else(|_| panic!("demo time \"{s}\" is not HH:MM"))
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

pub(super) fn organization(org: &Org) -> Organization {
    Organization {
        id: Uuid::new_v5(&namespace(), format!("organization/{}", org.key).as_bytes()),
        name: org.name.to_owned(),
        alternate_name: None,
        description: Some(org.description.to_owned()),
        email: Some(format!("hello@{}", org.host)),
        website: Some(format!("https://{}", org.host)),
        legal_status: Some(org.legal_status.to_owned()),
        year_incorporated: Some(org.founded),
        logo: None,
        uri: None,
    }
}

fn physical_location(venue: &Venue) -> Location {
    let id = Uuid::new_v5(&namespace(), format!("location/{}", venue.key).as_bytes());
    Location {
        id,
        location_type: LocationType::Physical,
        url: None,
        name: Some(venue.name.to_owned()),
        description: None,
        transportation: text(venue.transport),
        latitude: Some(venue.lat),
        longitude: Some(venue.lon),
        confidential: CONFIDENTIAL_VENUES.contains(&venue.key),
        addresses: vec![Address {
            id: Uuid::new_v5(&id, b"address"),
            location_id: Some(id),
            attention: None,
            address_1: venue.street.to_owned(),
            address_2: text(venue.locality),
            city: venue.city.to_owned(),
            region: None,
            state_province: COUNTY.to_owned(),
            postal_code: venue.postcode.to_owned(),
            country: "GB".to_owned(),
            address_type: "physical".to_owned(),
        }],
        accessibility: vec![Accessibility {
            id: Uuid::new_v5(&id, b"accessibility"),
            location_id: Some(id),
            description: Some(venue.access.to_owned()),
            details: None,
            url: None,
        }],
    }
}

fn online_location(service_name: &str, url: &str) -> Location {
    Location {
        id: Uuid::new_v5(&namespace(), format!("online/{url}").as_bytes()),
        location_type: LocationType::Virtual,
        url: Some(url.to_owned()),
        name: Some(format!("{service_name} (online)")),
        description: None,
        transportation: None,
        latitude: None,
        longitude: None,
        confidential: false,
        addresses: vec![],
        accessibility: vec![],
    }
}

fn schedule(service_id: Uuid, index: usize, when: &When) -> Schedule {
    let (freq, interval, dtstart, valid) = match when.every {
        Every::Week => (Frequency::Weekly, None, None, None),
        Every::Fortnight(first) => (Frequency::Weekly, Some(2), Some(date(first)), None),
        Every::Month => (Frequency::Monthly, None, None, None),
        Every::Season(from, to) => (Frequency::Weekly, None, None, Some((date(from), date(to)))),
    };
    let hours = |t: &str| (!t.is_empty()).then(|| time(t));
    let mut schedule = Schedule {
        id: Uuid::new_v5(&service_id, format!("schedule/{index}").as_bytes()),
        service_id: Some(service_id),
        valid_from: valid.map(|(from, _)| from),
        valid_to: valid.map(|(_, to)| to),
        dtstart,
        until: None,
        freq: Some(freq),
        interval,
        byday: Some(when.days.to_owned()),
        bymonthday: None,
        opens_at: hours(when.opens),
        closes_at: hours(when.closes),
        description: None,
        notes: None,
    };
    // Worded by the same rule the pages use, so the stored text never disagrees with them.
    schedule.description = Some(opening::plain_english(&schedule));
    schedule
}

fn language_name(code: &str) -> &'static str {
    match code {
        "en" => "English",
        "pl" => "Polish",
        "uk" => "Ukrainian",
        "ar" => "Arabic",
        "ro" => "Romanian",
        "pt" => "Portuguese",
        "ne" => "Nepali",
        "fa" => "Persian",
        "ku" => "Kurdish",
        "bfi" => "British Sign Language",
        _ => panic!("the demo uses a language code \"{code}\" it has no name for"),
    }
}

/// Spreads "last checked" dates over the recent past so the directory looks lived in:
/// every listing without its own age was checked within the last five months.
fn recent_days_ago(index: usize) -> u64 {
    (index as u64 * 37) % 150 + 2
}

impl Entry {
    pub(super) fn id(&self) -> Uuid {
        Uuid::new_v5(&namespace(), format!("service/{}", self.name).as_bytes())
    }

    /// The full HSDS service; `index` is the entry's place in the directory.
    pub(super) fn to_service(&self, index: usize) -> Service {
        let id = self.id();
        let org = org(self.org);
        let organization = organization(org);
        let checked = as_of()
            - Days::new(
                self.checked_days_ago
                    .unwrap_or_else(|| recent_days_ago(index)),
            );
        let last_modified: DateTime<Utc> = checked
            .and_hms_opt(10, 0, 0)
            .expect("a real time")
            .and_utc();

        let mut phones = Vec::new();
        let voice = match self.phone {
            "" => org.phone,
            NO_PHONE => "",
            own => own,
        };
        for (number, kind) in [(voice, "voice"), (self.text, "text")] {
            if !number.is_empty() {
                phones.push(Phone {
                    id: Uuid::new_v5(&id, format!("phone/{number}/{kind}").as_bytes()),
                    service_id: Some(id),
                    contact_id: None,
                    number: number.to_owned(),
                    extension: None,
                    kind: Some(kind.to_owned()),
                    description: None,
                });
            }
        }

        let mut locations: Vec<Location> = self
            .at
            .iter()
            .map(|key| physical_location(venue(key)))
            .collect();
        if !self.online.is_empty() {
            locations.push(online_location(self.name, self.online));
        }
        let service_at_locations = locations
            .into_iter()
            .map(|location| ServiceAtLocation {
                id: Uuid::new_v5(&id, location.id.as_bytes()),
                service_id: Some(id),
                location_id: Some(location.id),
                description: None,
                location: Some(location),
            })
            .collect();

        let mut service = Service {
            id,
            organization_id: organization.id,
            name: self.name.to_owned(),
            alternate_name: None,
            description: Some(self.description.to_owned()),
            url: Some(format!("https://{}{}", org.host, self.page)),
            email: Some(format!("hello@{}", org.host)),
            status: self.status,
            interpretation_services: None,
            application_process: text(self.how),
            fees_description: text(self.fees),
            eligibility_description: text(self.who),
            minimum_age: self.min_age,
            maximum_age: self.max_age,
            alert: text(self.alert),
            assured_date: Some(checked),
            last_modified: Some(last_modified),
            phones,
            schedules: self
                .times
                .iter()
                .enumerate()
                .map(|(i, when)| schedule(id, i, when))
                .collect(),
            service_areas: vec![ServiceArea {
                id: Uuid::new_v5(&id, b"service-area"),
                service_id: Some(id),
                name: Some(
                    if self.area.is_empty() {
                        "Kestle Valley"
                    } else {
                        self.area
                    }
                    .to_owned(),
                ),
                description: None,
                uri: None,
            }],
            service_at_locations,
            languages: self
                .languages
                .iter()
                .map(|code| Language {
                    id: Uuid::new_v5(&id, format!("language/{code}").as_bytes()),
                    service_id: Some(id),
                    name: Some(language_name(code).to_owned()),
                    code: Some((*code).to_owned()),
                    note: None,
                })
                .collect(),
            cost_options: self
                .prices
                .iter()
                .enumerate()
                .map(|(i, (what, pounds))| CostOption {
                    id: Uuid::new_v5(&id, format!("cost/{i}").as_bytes()),
                    service_id: Some(id),
                    valid_from: None,
                    valid_to: None,
                    option: Some((*what).to_owned()),
                    currency: Some("GBP".to_owned()),
                    amount: Some(*pounds),
                    amount_description: None,
                })
                .collect(),
            contacts: vec![],
            attributes: vec![],
            organization: Some(organization),
        };
        let needs: Vec<NeedId> = self
            .needs
            .iter()
            .map(|n| {
                NeedId::parse(n).unwrap_or_else(|e| panic!("demo service \"{}\": {e}", self.name))
            })
            .collect();
        service.set_needs(&needs);
        service.set_way_in(self.way_in);
        service.set_delivery(&self.delivery());
        service
    }

    fn delivery(&self) -> Vec<Delivery> {
        if !self.delivery.is_empty() {
            return self.delivery.to_vec();
        }
        let mut delivery = Vec::new();
        if !self.at.is_empty() {
            delivery.push(Delivery::InPerson);
        }
        if !self.online.is_empty() {
            delivery.push(Delivery::Online);
        }
        if delivery.is_empty() {
            delivery.push(Delivery::Phone);
        }
        delivery
    }
}
