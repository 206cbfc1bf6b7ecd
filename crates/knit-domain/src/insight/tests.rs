use std::collections::BTreeSet;

use chrono::{NaiveDate, Weekday};

use super::*;
use crate::referral::working_days_between;

fn need(code: &str) -> NeedId {
    NeedId::parse(code).expect("a need")
}

#[test]
fn areas_are_districts_sectors_or_placed_by_position_never_the_full_postcode() {
    let full = Postcode::parse("ev1 1ps").unwrap();
    assert_eq!(AreaLevel::District.area_of(&full).as_deref(), Some("EV1"));
    assert_eq!(AreaLevel::Sector.area_of(&full).as_deref(), Some("EV1 1"));
    assert_eq!(
        AreaLevel::District.area_of_text("EV11PS").as_deref(),
        Some("EV1")
    );
    assert_eq!(AreaLevel::parse("Sector"), Some(AreaLevel::Sector));
    assert_eq!(AreaLevel::parse("ward"), Some(AreaLevel::Ward));
    assert_eq!(
        AreaLevel::parse(" Authority "),
        Some(AreaLevel::LocalAuthority)
    );
    assert_eq!(AreaLevel::parse("county"), None);
    assert_eq!(
        AreaLevel::Ward.area_of(&full),
        None,
        "a ward is placed by position"
    );
    assert_eq!(AreaLevel::Ward.of_postcodes(), AreaLevel::District);
    assert_eq!(AreaLevel::Sector.of_postcodes(), AreaLevel::Sector);
}

#[test]
fn miss_words_drop_numbers_addresses_and_emails() {
    assert_eq!(
        miss_words("Help with RENT arrears!! 07700 900123 at 12 High St").as_deref(),
        Some("help with rent arrears at high")
    );
    assert_eq!(miss_words("mary@example.org"), None);
    assert_eq!(miss_words("EV1 1PS"), None);
    assert_eq!(miss_words("  "), None);
}

#[test]
fn misses_are_kept_twelve_months() {
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    assert_eq!(first_kept_month(today), "2026-01");
}

#[test]
fn working_days_from_weekday_and_days_match_the_referral_rule() {
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    for offset in 0..7 {
        let from = start + chrono::Days::new(offset);
        for days in 0..30u32 {
            let to = from + chrono::Days::new(u64::from(days));
            assert_eq!(
                working_days(from.weekday(), days),
                working_days_between(from, to),
                "{from} + {days}"
            );
        }
    }
    // Sent on a Friday, answered on the Monday: one working day.
    assert_eq!(working_days(Weekday::Fri, 3), 1);
}

#[test]
fn percentiles_are_nearest_rank() {
    let mut h = Histogram::default();
    for (v, n) in [(1, 4), (2, 3), (5, 2), (9, 1)] {
        h.add(v, n);
    }
    assert_eq!(h.n(), 10);
    assert_eq!(h.median(), Some(2));
    assert_eq!(h.percentile(90), Some(5));
    assert_eq!(h.percentile(100), Some(9));
    assert_eq!(Histogram::default().median(), None);
}

#[test]
fn a_promise_needs_enough_answers() {
    let mut h = Histogram::default();
    h.add(0, 5);
    h.add(3, 4);
    assert_eq!(response_promise(&h), None);
    h.add(3, 1);
    // Median 0 (same day) is promised as "within 1 working day".
    assert_eq!(response_promise(&h), Some(1));
    h.add(3, 5);
    assert_eq!(response_promise(&h), Some(3));
    assert_eq!(
        promise_text(3),
        "Usually answers referrals within 3 working days"
    );
}

#[test]
fn gaps_found_through_the_cells_are_those_found_by_comparing_every_place() {
    // A small generator, so the test is the same on every run.
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let needs: Vec<NeedId> = ["food", "debt", "housing-advice"]
        .into_iter()
        .map(need)
        .collect();
    for (lat0, spread) in [(51.4, 0.6), (60.2, 0.8), (-33.9, 0.5), (84.0, 3.0)] {
        let mut point = || {
            LatLon::new(
                (lat0 + (next() - 0.5) * spread).clamp(-89.9, 89.9),
                (next() - 0.5) * spread * 3.0,
            )
            .unwrap()
        };
        let areas: Vec<AreaPoint> = (0..60)
            .map(|i| AreaPoint {
                area: format!("A{i}"),
                position: point(),
            })
            .collect();
        let supply: Vec<SupplyPoint> = (0..90)
            .map(|i| SupplyPoint {
                need: needs[i % needs.len()],
                position: point(),
            })
            .collect();
        let asked: BTreeSet<NeedId> = needs.iter().copied().collect();
        for within in [0.5, 3.0, 8.0, 25.0] {
            let mut by_comparing = Vec::new();
            for area in &areas {
                for n in &asked {
                    if !supply
                        .iter()
                        .any(|s| s.need == *n && s.position.distance_km(area.position) <= within)
                    {
                        by_comparing.push(Gap {
                            area: area.area.clone(),
                            need: *n,
                        });
                    }
                }
            }
            by_comparing.sort();
            assert_eq!(
                gaps(&areas, &asked, &supply, within),
                by_comparing,
                "around latitude {lat0}, within {within} km"
            );
        }
    }
}

#[test]
fn a_need_with_no_service_near_an_area_is_a_gap() {
    let here = LatLon::new(51.37, -0.41).unwrap();
    let far = LatLon::new(52.5, -1.9).unwrap();
    let areas = vec![
        AreaPoint {
            area: "EV1".into(),
            position: here,
        },
        AreaPoint {
            area: "FAR1".into(),
            position: far,
        },
    ];
    let needs: BTreeSet<NeedId> = [need("food"), need("debt")].into_iter().collect();
    let supply = vec![
        SupplyPoint {
            need: need("food"),
            position: here,
        },
        SupplyPoint {
            need: need("debt"),
            position: far,
        },
    ];
    let found = gaps(&areas, &needs, &supply, 5.0);
    assert_eq!(
        found,
        vec![
            Gap {
                area: "EV1".into(),
                need: need("debt")
            },
            Gap {
                area: "FAR1".into(),
                need: need("food")
            },
        ]
    );
}

#[test]
fn two_organisations_meeting_a_need_in_an_area_overlap() {
    let rows = vec![
        ("EV1".to_owned(), need("food"), "Larder"),
        ("EV1".to_owned(), need("food"), "Pantry"),
        ("EV1".to_owned(), need("food"), "Larder"),
        ("EV1".to_owned(), need("debt"), "Larder"),
        ("EV2".to_owned(), need("food"), "Pantry"),
    ];
    let found = overlaps(&rows);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].area, "EV1");
    assert_eq!(found[0].need, need("food"));
    assert_eq!(found[0].organizations, vec!["Larder", "Pantry"]);
}

#[test]
fn weekly_hours_count_each_named_day() {
    assert_eq!(
        weekly_minutes(Some("WEEKLY"), Some("MO,WE,FR"), Some(540), Some(720)),
        540
    );
    assert_eq!(
        weekly_minutes(Some("MONTHLY"), Some("1TU"), Some(540), Some(720)),
        0
    );
    assert_eq!(
        weekly_minutes(Some("weekly"), Some("TU"), None, Some(720)),
        0
    );
}
