//! Property tests for everything that reads what people and other systems type: the HSDS
//! reader, postcodes, times, dates, days of the week and positions. Whatever comes in,
//! none of them panics; what they accept, they write back in a form they read again to the
//! same value. Run with the other unit tests (a few seconds); the stable-Rust stand-in for
//! fuzzing.

use std::str::FromStr;

use chrono::{NaiveDate, Weekday};
use proptest::prelude::*;

use crate::geo::LatLon;
use crate::hsds::{self, HsdsError};
use crate::opening::{parse_byday, parse_weekday};
use crate::postcode::Postcode;
use crate::time_of_day::TimeOfDay;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any JSON value, a few levels deep, with keys HSDS uses among random ones, so records get
/// past the first field and fail (or not) deep inside.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let key = prop_oneof![
        Just("id".to_owned()),
        Just("name".to_owned()),
        Just("status".to_owned()),
        Just("organization".to_owned()),
        Just("phones".to_owned()),
        Just("schedules".to_owned()),
        Just("service_at_locations".to_owned()),
        Just("location".to_owned()),
        Just("latitude".to_owned()),
        Just("opens_at".to_owned()),
        Just("byday".to_owned()),
        "[a-z_]{1,12}",
    ];
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>().prop_map(|x| serde_json::json!(x)),
        Just(serde_json::json!("1f0e8e6a-0b7c-4b9e-9a39-3c3f2f1d6a01")),
        Just(serde_json::json!("active")),
        Just(serde_json::json!("09:30")),
        ".{0,20}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every place in a JSON value where a value sits, as pointers (`/organization/name`).
fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                pointers(
                    item,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
    out.push(at);
}

proptest! {
    #![proptest_config(config())]

    /// A good service with one value anywhere in it replaced by anything: read, or refused
    /// with the path of the record (and usually of the field) that is wrong.
    #[test]
    fn one_bad_value_anywhere_in_a_service_is_found(
        seed in 0u64..1_000, place in any::<prop::sample::Index>(), value in json(),
    ) {
        let service = crate::synthetic::services(1, seed).next().unwrap();
        let mut record = serde_json::to_value(&service).unwrap();
        let mut places = Vec::new();
        pointers(&record, String::new(), &mut places);
        let pointer = place.get(&places).clone();
        match record.pointer_mut(&pointer) {
            Some(slot) => *slot = value,
            None => prop_assert!(false, "{pointer} is in the record"),
        }
        let text = serde_json::Value::Array(vec![record]).to_string();
        match hsds::parse_services(&text) {
            Ok(services) => prop_assert_eq!(services.len(), 1),
            Err(HsdsError::BadRecords { shown, .. }) => {
                for problem in shown {
                    prop_assert!(problem.path.starts_with("$[0]"), "{}", problem.path);
                    prop_assert!(!problem.reason.is_empty());
                }
            }
            Err(HsdsError::Framing(_)) if pointer.is_empty() => {}
            Err(other) => prop_assert!(false, "{other} for a change at {pointer}"),
        }
    }

    /// Any JSON at all is read or refused with a reason; a refused record names where.
    #[test]
    fn the_hsds_reader_never_panics_and_names_a_path(records in prop::collection::vec(json(), 0..4)) {
        let text = serde_json::Value::Array(records.clone()).to_string();
        match hsds::parse_services(&text) {
            Ok(services) => {
                prop_assert_eq!(services.len(), records.len());
                // What it accepts, it writes back and reads again the same.
                let again = hsds::parse_services(&hsds::write_services(&services)).unwrap();
                prop_assert_eq!(again, services);
            }
            Err(HsdsError::BadRecords { shown, total }) => {
                prop_assert!(!shown.is_empty() && total >= shown.len());
                for problem in shown {
                    prop_assert!(problem.path.starts_with("$["), "{}", problem.path);
                    prop_assert!(!problem.reason.is_empty());
                }
            }
            Err(other) => prop_assert!(false, "an array is read as an array: {other}"),
        }
    }

    /// Bytes that are neither an array of records nor records one per line are refused
    /// with a reason, never a panic. (One JSON object alone is a file of one record.)
    #[test]
    fn the_hsds_reader_refuses_anything_else(text in ".{0,200}", value in json()) {
        let _ = hsds::parse_services(&text);
        if !value.is_array() && !value.is_object() {
            prop_assert!(matches!(
                hsds::parse_services(&value.to_string()),
                Err(HsdsError::Framing(_))
            ));
        }
    }

    #[test]
    fn postcodes_are_read_or_refused_and_round_trip(text in "[ A-Za-z0-9]{0,10}|.{0,12}") {
        if let Ok(postcode) = Postcode::parse(&text) {
            let written = postcode.to_string();
            prop_assert_eq!(Postcode::parse(&written), Ok(postcode.clone()));
            prop_assert_eq!(written.to_ascii_uppercase(), written.clone());
            prop_assert!(written.len() <= 8);
        }
    }

    /// Every real postcode shape is accepted in any case and spacing.
    #[test]
    fn full_postcodes_are_accepted_however_typed(
        area in "[A-Z]{1,2}", district in "[0-9][0-9A-Z]?", sector in "[0-9]", unit in "[A-Z]{2}",
        lower in any::<bool>(), spaced in any::<bool>(),
    ) {
        let canonical = format!("{area}{district} {sector}{unit}");
        let mut typed = if spaced { canonical.clone() } else { canonical.replace(' ', "") };
        if lower {
            typed = typed.to_lowercase();
        }
        prop_assert_eq!(Postcode::parse(&typed), Ok(Postcode::Full(canonical)));
    }

    #[test]
    fn times_of_day_are_read_or_refused_and_round_trip(text in "[0-9:]{0,9}|.{0,10}") {
        if let Ok(time) = TimeOfDay::from_str(&text) {
            prop_assert!(time.minutes() < 24 * 60);
            prop_assert_eq!(TimeOfDay::from_str(&time.to_string()), Ok(time));
        }
    }

    #[test]
    fn every_minute_of_the_day_round_trips(minutes in 0u16..24 * 60) {
        let time = TimeOfDay::from_hm(minutes / 60, minutes % 60).unwrap();
        prop_assert_eq!(TimeOfDay::from_str(&time.to_string()), Ok(time));
        prop_assert_eq!(time.minutes(), minutes);
    }

    /// Dates on the forms are ISO `YYYY-MM-DD`: what is accepted prints back as typed.
    #[test]
    fn iso_dates_round_trip(days in -100_000i64..100_000, text in "[0-9-]{0,12}") {
        let date = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::TimeDelta::days(days);
        let written = date.format("%Y-%m-%d").to_string();
        prop_assert_eq!(NaiveDate::parse_from_str(&written, "%Y-%m-%d"), Ok(date));
        if let Ok(read) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            prop_assert_eq!(
                NaiveDate::parse_from_str(&read.format("%Y-%m-%d").to_string(), "%Y-%m-%d"),
                Ok(read)
            );
        }
    }

    #[test]
    fn weekdays_are_read_in_any_spelling(day in 0u8..7, form in 0usize..3, upper in any::<bool>(),
                                        noise in ".{0,12}") {
        let weekday = Weekday::try_from(day).unwrap();
        let names = [
            ["MO", "mon", "monday"], ["TU", "tue", "tuesday"], ["WE", "wed", "wednesday"],
            ["TH", "thu", "thursday"], ["FR", "fri", "friday"], ["SA", "sat", "saturday"],
            ["SU", "sun", "sunday"],
        ];
        let written = names[usize::from(day)][form];
        let typed = if upper { written.to_uppercase() } else { written.to_lowercase() };
        prop_assert_eq!(parse_weekday(&format!(" {typed} ")), Some(weekday));
        let _ = parse_weekday(&noise);
    }

    /// `BYDAY` lists: never a panic, and each entry read back is a day with an ordinal the
    /// rules allow.
    #[test]
    fn byday_lists_never_fail_a_search(text in "([+-]?[0-9]?(MO|TU|WE|TH|FR|SA|SU|XX),?){0,6}|.{0,30}") {
        for by in parse_byday(&text) {
            if let Some(n) = by.ordinal {
                prop_assert!((-5..=5).contains(&n) && n != 0);
            }
        }
    }

    #[test]
    fn positions_are_read_or_refused_and_round_trip(lat in -90.0f64..=90.0, lon in -180.0f64..=180.0,
                                                   text in ".{0,30}") {
        let read = LatLon::parse(&format!("{lat}, {lon}")).unwrap();
        prop_assert_eq!(read, LatLon::new(lat, lon).unwrap());
        if let Ok(point) = LatLon::parse(&text) {
            prop_assert!(point.lat.is_finite() && point.lon.is_finite());
            prop_assert!((-90.0..=90.0).contains(&point.lat) && (-180.0..=180.0).contains(&point.lon));
        }
    }
}
