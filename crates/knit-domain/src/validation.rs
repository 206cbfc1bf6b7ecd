//! What makes a listing acceptable, stated once for imports, forms and the API.

use std::fmt;

use crate::directory::{Delivery, Frequency, LocationType, Service, WayIn};

/// Text for one line — a name, an organisation — with every run of white space or control
/// characters (a line break typed or pasted into a form) made one space, so it can never
/// start a new line in an email's body or headers.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The most Knit keeps from one box of free text (what is going on, a note, a message, a
/// report, a reason): room for a person's story, not for a document, and a bound on what
/// any form can make the database hold.
pub const MAX_FREE_TEXT: usize = 2_000;

/// One thing wrong with a listing: where (a JSON path below the service) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// The oldest age Knit accepts as an age limit; anything higher is a typing slip.
pub const MAX_AGE: u16 = 130;

const WEEKDAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

/// Checks a service already tidied by [`tidy`]. An empty list means it may be stored.
pub fn check_service(service: &Service) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem = |path: String, reason: &str| {
        problems.push(Problem {
            path,
            reason: reason.to_owned(),
        })
    };

    if service.name.trim().is_empty() {
        problem("name".into(), "a service needs a name");
    }
    if let Some(org) = &service.organization {
        if org.id != service.organization_id {
            problem(
                "organization.id".into(),
                "does not match the service's organization_id",
            );
        }
        if org.name.trim().is_empty() {
            problem("organization.name".into(), "an organisation needs a name");
        }
    }
    for (field, age) in [
        ("minimum_age", service.minimum_age),
        ("maximum_age", service.maximum_age),
    ] {
        if age.is_some_and(|a| a > MAX_AGE) {
            problem(field.into(), "must be an age in years, 130 or under");
        }
    }
    if let (Some(min), Some(max)) = (service.minimum_age, service.maximum_age)
        && min > max
    {
        problem("maximum_age".into(), "is lower than minimum_age");
    }
    for (i, phone) in service.phones.iter().enumerate() {
        if !phone.number.chars().any(|c| c.is_ascii_digit()) {
            problem(format!("phones[{i}].number"), "a phone number needs digits");
        }
    }
    for (i, schedule) in service.schedules.iter().enumerate() {
        let at = |field: &str| format!("schedules[{i}].{field}");
        if let Some(byday) = &schedule.byday {
            let monthly = schedule.freq == Some(Frequency::Monthly);
            for day in byday.split(',') {
                let (ordinal, weekday) = day.split_at(day.len().saturating_sub(2));
                let ordinal_ok = ordinal.is_empty()
                    || (monthly && matches!(ordinal.parse::<i8>(), Ok(-5..=-1 | 1..=5)));
                if !WEEKDAYS.contains(&weekday) || !ordinal_ok {
                    problem(
                        at("byday"),
                        "must list days as MO,TU,WE,TH,FR,SA,SU (monthly: 1MO for the first Monday, -1FR for the last Friday)",
                    );
                    break;
                }
            }
        }
        if schedule.opens_at.is_some() != schedule.closes_at.is_some() {
            problem(
                at("closes_at"),
                "give both opens_at and closes_at, or neither",
            );
        }
        if let (Some(from), Some(to)) = (schedule.valid_from, schedule.valid_to)
            && from > to
        {
            problem(at("valid_to"), "is before valid_from");
        }
        if schedule.interval == Some(0) {
            problem(at("interval"), "must be 1 or more");
        }
    }
    for (i, sal) in service.service_at_locations.iter().enumerate() {
        let Some(location) = &sal.location else {
            continue;
        };
        let at = |field: &str| format!("service_at_locations[{i}].location.{field}");
        match (location.latitude, location.longitude) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    problem(at("latitude"), "must be between -90 and 90");
                }
                if !(-180.0..=180.0).contains(&lon) {
                    problem(at("longitude"), "must be between -180 and 180");
                }
            }
            (None, None) => {}
            _ => problem(
                at("longitude"),
                "give both latitude and longitude, or neither",
            ),
        }
        if location.location_type == LocationType::Virtual && location.url.is_none() {
            problem(at("url"), "an online location needs a web address");
        }
        for (j, address) in location.addresses.iter().enumerate() {
            for (field, value) in [
                ("address_1", &address.address_1),
                ("city", &address.city),
                ("postal_code", &address.postal_code),
                ("country", &address.country),
            ] {
                if value.trim().is_empty() {
                    problem(at(&format!("addresses[{j}].{field}")), "is required");
                }
            }
        }
    }
    for (i, attribute) in service.attributes.iter().enumerate() {
        if let Some(term) = &attribute.taxonomy_term
            && term.id != attribute.taxonomy_term_id
        {
            problem(
                format!("attributes[{i}].taxonomy_term.id"),
                "does not match taxonomy_term_id",
            );
        }
    }
    for (i, cost) in service.cost_options.iter().enumerate() {
        if cost.amount.is_some_and(|a| !a.is_finite() || a < 0.0) {
            problem(format!("cost_options[{i}].amount"), "must be zero or more");
        }
    }
    problems
}

/// Folds blank optional text to absent, trims names, and makes the way in and the ways
/// of delivery explicit where a publisher left them out, so search and filters never guess.
pub fn tidy(service: &mut Service) {
    fn blank(field: &mut Option<String>) {
        if field.as_deref().is_some_and(|s| s.trim().is_empty()) {
            *field = None;
        }
    }
    service.name = service.name.trim().to_owned();
    for field in [
        &mut service.alternate_name,
        &mut service.description,
        &mut service.url,
        &mut service.email,
        &mut service.interpretation_services,
        &mut service.application_process,
        &mut service.fees_description,
        &mut service.eligibility_description,
        &mut service.alert,
    ] {
        blank(field);
    }
    if let Some(org) = &mut service.organization {
        for field in [
            &mut org.alternate_name,
            &mut org.description,
            &mut org.email,
            &mut org.website,
        ] {
            blank(field);
        }
    }
    for schedule in &mut service.schedules {
        blank(&mut schedule.description);
        blank(&mut schedule.byday);
        blank(&mut schedule.notes);
        if let Some(byday) = &mut schedule.byday {
            *byday = byday
                .split(',')
                .map(|d| d.trim().to_ascii_uppercase())
                .collect::<Vec<_>>()
                .join(",");
        }
    }
    for sal in &mut service.service_at_locations {
        if let Some(location) = &mut sal.location {
            blank(&mut location.name);
            blank(&mut location.description);
            blank(&mut location.url);
        }
    }
    if service.way_in().is_none() {
        let way_in = infer_way_in(service);
        service.set_way_in(way_in);
    }
    if service.delivery().is_empty() {
        let delivery = infer_delivery(service);
        service.set_delivery(&delivery);
    }
}

/// A publisher that says nothing explicit usually says it in the application process text.
fn infer_way_in(service: &Service) -> WayIn {
    let text = service
        .application_process
        .as_deref()
        .unwrap_or("")
        .to_lowercase();
    let says = |phrases: &[&str]| phrases.iter().any(|p| text.contains(p));
    if says(&[
        "must be referred",
        "referral from",
        "referral voucher",
        "by referral",
        "referral only",
        "need a referral",
        "needs a referral",
        "referred by",
        "gp referral",
    ]) {
        WayIn::ReferralNeeded
    } else if says(&[
        "drop in",
        "drop-in",
        "just turn up",
        "just come",
        "come along",
        "no need to book",
        "turn up",
    ]) {
        WayIn::DropIn
    } else {
        WayIn::SelfRefer
    }
}

fn infer_delivery(service: &Service) -> Vec<Delivery> {
    let types: Vec<LocationType> = service
        .service_at_locations
        .iter()
        .filter_map(|s| s.location.as_ref())
        .map(|l| l.location_type)
        .collect();
    let mut delivery = Vec::new();
    if types.contains(&LocationType::Physical) {
        delivery.push(Delivery::InPerson);
    } else if !service.phones.is_empty() {
        // With no place to visit, a listed phone line is how the help is given.
        delivery.push(Delivery::Phone);
    }
    if types.contains(&LocationType::Virtual) {
        delivery.push(Delivery::Online);
    }
    if delivery.is_empty() {
        delivery.push(if service.url.is_some() {
            Delivery::Online
        } else {
            Delivery::InPerson
        });
    }
    delivery
}

#[cfg(test)]
mod one_line_tests {
    use super::one_line;

    #[test]
    fn a_name_stays_on_one_line() {
        assert_eq!(
            one_line("  Ann\r\nBcc: x@evil.example\tLee "),
            "Ann Bcc: x@evil.example Lee"
        );
        assert_eq!(one_line("\u{0}\u{1b}"), "");
        assert_eq!(one_line("Ann Lee"), "Ann Lee");
    }
}
