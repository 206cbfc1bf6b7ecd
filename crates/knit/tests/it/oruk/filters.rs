//! Filters must return exactly what they promise, and combine with AND (a MUST in the HSDS
//! API reference). Each filter value is picked from the publisher's own data, every result is
//! checked against the full service it names, and pairs of filters must give the intersection.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use serde_json::Value;

use super::checker::{Collection, Items, PostcodeProbe, Run, SERVICE_AT_LOCATIONS, SERVICES};

/// Everything the unfiltered walk found, in full, keyed by id.
pub struct Directory {
    pub services: Items,
    pub terms: Items,
    pub service_at_locations: Items,
}

type Predicate<'d> = Box<dyn Fn(&Value) -> bool + 'd>;

/// One query parameter and the rule a full service must meet to be in its results.
struct Filter<'d> {
    param: &'static str,
    value: String,
    holds: Predicate<'d>,
    /// Whether every service meeting the rule must be returned too. Free-text search is
    /// left to the publisher's judgement (stemming, typos), so it is only checked for recall
    /// of one obvious hit.
    complete: bool,
}

pub async fn check_service_filters(run: &mut Run<'_>, directory: &Directory) {
    if directory.services.is_empty() {
        run.violate(
            "GET /services",
            "no services listed, so no filter can be checked",
        );
        return;
    }
    let filters = pick_filters(directory);
    let mut results: Vec<BTreeSet<String>> = Vec::new();
    for filter in &filters {
        let query = [(filter.param, filter.value.clone())];
        let found = walk_ids(run, &SERVICES, &query).await;
        let label = label(&SERVICES, &query);
        for id in &found {
            match directory.services.get(id) {
                None => run.violate(
                    &label,
                    format!("returned {id}, which /services does not list"),
                ),
                Some(service) if !(filter.holds)(service) => {
                    run.violate(
                        &label,
                        format!("returned {id}, which does not satisfy the filter"),
                    );
                }
                Some(_) => {}
            }
        }
        if filter.complete {
            for (id, service) in &directory.services {
                if (filter.holds)(service) && !found.contains(id) {
                    run.violate(&label, format!("left out {id}, which satisfies the filter"));
                }
            }
        }
        results.push(found);
    }
    if let Some((probe_id, word)) = search_probe(directory) {
        let query = [("search", word.clone())];
        let found = walk_ids(run, &SERVICES, &query).await;
        if !found.contains(&probe_id) {
            let message = format!("does not find {probe_id}, whose name contains {word:?}");
            run.violate(&label(&SERVICES, &query), message);
        }
    }
    check_and_combination(run, &filters, &results).await;
}

/// For pairs of filters, the two together must return the intersection of each alone. Day
/// and time filters are not paired with each other: a publisher may fairly require one
/// schedule to meet both, which is stricter than the intersection.
async fn check_and_combination(
    run: &mut Run<'_>,
    filters: &[Filter<'_>],
    results: &[BTreeSet<String>],
) {
    let schedule_params = ["day", "start_time", "end_time"];
    let n = filters.len();
    for i in 0..n {
        let j = (i + 1) % n;
        let k = (i + 2) % n;
        for other in [j, k] {
            let (a, b) = (&filters[i], &filters[other]);
            let both_schedule =
                schedule_params.contains(&a.param) && schedule_params.contains(&b.param);
            if i == other || both_schedule {
                continue;
            }
            let query = [(a.param, a.value.clone()), (b.param, b.value.clone())];
            let found = walk_ids(run, &SERVICES, &query).await;
            let expected: BTreeSet<String> =
                results[i].intersection(&results[other]).cloned().collect();
            if found != expected {
                let message = format!(
                    "is not the intersection of the two filters alone: {} results, expected {} \
                     (extra {:?}, missing {:?})",
                    found.len(),
                    expected.len(),
                    found.difference(&expected).collect::<Vec<_>>(),
                    expected.difference(&found).collect::<Vec<_>>()
                );
                run.violate(&label(&SERVICES, &query), message);
            }
        }
    }
}

/// `/service_at_locations?postcode=&proximity=` returns exactly the places within
/// `proximity` metres of the postcode centroid, and combines with a taxonomy filter by AND.
pub async fn check_postcode_proximity(
    run: &mut Run<'_>,
    directory: &Directory,
    probe: &PostcodeProbe,
) {
    let near = [
        ("postcode", probe.postcode.clone()),
        ("proximity", format!("{}", probe.proximity_metres.round())),
    ];
    let label_near = label(&SERVICE_AT_LOCATIONS, &near);
    let Some(listed) = run.walk_pages(&SERVICE_AT_LOCATIONS, &near).await else {
        return;
    };
    if listed.is_empty() {
        let message = "found nothing, so proximity cannot be judged; probe a postcode with \
                       places nearby";
        run.violate(&label_near, message);
    }
    // Allow for the publisher's own centroid and distance formula differing by a hair.
    let (inner, outer) = (
        probe.proximity_metres * 0.995 - 1.0,
        probe.proximity_metres * 1.005 + 1.0,
    );
    let mut found = BTreeSet::new();
    for item in &listed {
        let Some(id) = item.get("id").and_then(Value::as_str) else {
            continue;
        };
        found.insert(id.to_owned());
        let point = coordinates(item)
            .or_else(|| directory.service_at_locations.get(id).and_then(coordinates));
        match point {
            None => run.violate(
                &label_near,
                format!("returned {id}, which has no coordinates"),
            ),
            Some(p) => {
                let metres = metres_between((probe.lat, probe.lon), p);
                if metres > outer {
                    run.violate(&label_near, format!("returned {id}, {metres:.0} m away"));
                }
            }
        }
    }
    for (id, item) in &directory.service_at_locations {
        if let Some(p) = coordinates(item)
            && metres_between((probe.lat, probe.lon), p) < inner
            && !found.contains(id)
        {
            run.violate(
                &label_near,
                format!("left out {id}, which lies within proximity"),
            );
        }
    }
    let total = directory.services.len();
    let Some(term) = most_telling(directory.services.values().map(term_ids), total) else {
        return;
    };
    let by_term = [("taxonomy_term_id", term.clone())];
    let with_term = walk_ids(run, &SERVICE_AT_LOCATIONS, &by_term).await;
    for id in &with_term {
        let service = directory
            .service_at_locations
            .get(id)
            .and_then(|sal| sal.get("service_id"))
            .and_then(Value::as_str)
            .and_then(|service_id| directory.services.get(service_id));
        if !service.is_some_and(|s| term_ids(s).contains(&term)) {
            let message = format!("returned {id}, whose service does not carry the term");
            run.violate(&label(&SERVICE_AT_LOCATIONS, &by_term), message);
        }
    }
    let mut both = near.to_vec();
    both.extend(by_term);
    let found_both = walk_ids(run, &SERVICE_AT_LOCATIONS, &both).await;
    let expected: BTreeSet<String> = found.intersection(&with_term).cloned().collect();
    if found_both != expected {
        let message = format!(
            "gave {} results, not the {} in both the postcode and the taxonomy results",
            found_both.len(),
            expected.len()
        );
        run.violate(&label(&SERVICE_AT_LOCATIONS, &both), message);
    }
}

fn pick_filters(directory: &Directory) -> Vec<Filter<'_>> {
    let services = || directory.services.values();
    let mut filters = Vec::new();
    let total = directory.services.len();
    if let Some(term) = most_telling(services().map(term_ids), total) {
        let wanted = term.clone();
        filters.push(Filter {
            param: "taxonomy_term_id",
            value: term,
            holds: Box::new(move |s| term_ids(s).contains(&wanted)),
            complete: true,
        });
    }
    let schedules_of = || services().flat_map(schedules);
    let service_days =
        |s: &Value| -> BTreeSet<String> { schedules(s).into_iter().flat_map(days).collect() };
    if let Some(day) = most_telling(services().map(service_days), total) {
        let wanted = day.clone();
        filters.push(Filter {
            param: "day",
            value: day,
            holds: Box::new(move |s| schedules(s).iter().any(|sc| days(sc).contains(&wanted))),
            complete: false,
        });
    }
    let organization =
        |s: &Value| -> BTreeSet<String> { text(s, "organization_id").into_iter().collect() };
    if let Some(org) = most_telling(services().map(organization), total) {
        let wanted = org.clone();
        filters.push(Filter {
            param: "organization_id",
            value: org,
            holds: Box::new(move |s| text(s, "organization_id").as_deref() == Some(&wanted)),
            complete: true,
        });
    }
    if let Some(opens) = median(schedules_of().filter_map(|sc| clock(sc, "opens_at"))) {
        let wanted = opens.clone();
        filters.push(Filter {
            param: "start_time",
            value: opens,
            holds: Box::new(move |s| {
                schedules(s)
                    .iter()
                    .any(|sc| clock(sc, "opens_at").is_some_and(|t| t >= wanted))
            }),
            complete: false,
        });
    }
    let taxonomies = |s: &Value| -> BTreeSet<String> {
        term_ids(s)
            .iter()
            .filter_map(|t| {
                directory
                    .terms
                    .get(t)
                    .and_then(|term| text(term, "taxonomy_id"))
            })
            .collect()
    };
    if let Some(taxonomy) = most_telling(services().map(taxonomies), total) {
        let wanted = taxonomy.clone();
        filters.push(Filter {
            param: "taxonomy_id",
            value: taxonomy,
            holds: Box::new(move |s| taxonomies(s).contains(&wanted)),
            complete: true,
        });
    }
    if let Some(closes) = median(schedules_of().filter_map(|sc| clock(sc, "closes_at"))) {
        let wanted = closes.clone();
        filters.push(Filter {
            param: "end_time",
            value: closes,
            holds: Box::new(move |s| {
                schedules(s)
                    .iter()
                    .any(|sc| clock(sc, "closes_at").is_some_and(|t| t <= wanted))
            }),
            complete: false,
        });
    }
    if let Some(cutoff) = median(services().filter_map(modified)) {
        filters.push(Filter {
            param: "modified_after",
            value: cutoff.to_rfc3339(),
            holds: Box::new(move |s| modified(s).is_some_and(|m| m >= cutoff)),
            complete: true,
        });
    }
    // The ORUK wording: "a minimum age of at least", "a maximum age equal to or below".
    let age = |s: &Value, key: &str| s.get(key).and_then(Value::as_f64);
    let min =
        median(services().filter_map(|s| age(s, "minimum_age").map(|a| a as u64))).unwrap_or(18);
    filters.push(Filter {
        param: "minimum_age",
        value: min.to_string(),
        holds: Box::new(move |s| age(s, "minimum_age").is_some_and(|a| a >= min as f64)),
        complete: true,
    });
    let max =
        median(services().filter_map(|s| age(s, "maximum_age").map(|a| a as u64))).unwrap_or(65);
    filters.push(Filter {
        param: "maximum_age",
        value: max.to_string(),
        holds: Box::new(move |s| age(s, "maximum_age").is_some_and(|a| a <= max as f64)),
        complete: true,
    });
    filters
}

/// A service and the longest word of its name, which a search for that word must find.
fn search_probe(directory: &Directory) -> Option<(String, String)> {
    directory.services.iter().find_map(|(id, service)| {
        let name = text(service, "name")?;
        let word = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 4)
            .max_by_key(|w| w.chars().count())?
            .to_lowercase();
        Some((id.clone(), word))
    })
}

async fn walk_ids(
    run: &mut Run<'_>,
    collection: &Collection,
    query: &[(&str, String)],
) -> BTreeSet<String> {
    let items = run.walk_pages(collection, query).await.unwrap_or_default();
    items.iter().filter_map(|item| text(item, "id")).collect()
}

fn label(collection: &Collection, query: &[(&str, String)]) -> String {
    let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("GET {}?{} (all pages)", collection.path, pairs.join("&"))
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// The taxonomy terms a service carries through its attributes.
fn term_ids(service: &Value) -> BTreeSet<String> {
    let attributes = service.get("attributes").and_then(Value::as_array);
    attributes
        .into_iter()
        .flatten()
        .flat_map(|a| {
            let embedded = a.pointer("/taxonomy_term/id").and_then(Value::as_str);
            [text(a, "taxonomy_term_id"), embedded.map(str::to_owned)]
        })
        .flatten()
        .collect()
}

/// Every schedule anywhere in a service: its own, and those of its locations.
fn schedules(service: &Value) -> Vec<&Value> {
    fn collect<'v>(value: &'v Value, out: &mut Vec<&'v Value>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "schedules"
                        && let Value::Array(items) = child
                    {
                        out.extend(items.iter());
                    }
                    collect(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| collect(item, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(service, &mut out);
    out
}

/// The iCalendar day codes (MO…SU) of a schedule's `byday`, ignoring ordinals such as `2TU`.
fn days(schedule: &Value) -> BTreeSet<String> {
    let byday = schedule
        .get("byday")
        .and_then(Value::as_str)
        .unwrap_or_default();
    byday
        .split(',')
        .filter_map(|part| {
            let part = part.trim().to_uppercase();
            let code = part.get(part.len().checked_sub(2)?..)?;
            ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
                .contains(&code)
                .then(|| code.to_owned())
        })
        .collect()
}

/// A schedule time as zero-padded `HH:MM`, so times compare as strings.
fn clock(schedule: &Value, key: &str) -> Option<String> {
    let raw = schedule.get(key)?.as_str()?;
    let (h, rest) = raw.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, rest.get(..2)?.parse().ok()?);
    Some(format!("{h:02}:{m:02}"))
}

fn modified(service: &Value) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(service.get("last_modified")?.as_str()?).ok()
}

/// The value that best splits `total` services into those that have it and those that do
/// not, so that a filter on it ignored or misapplied shows either way. Each item of `sets`
/// is the values one service has.
fn most_telling(sets: impl Iterator<Item = BTreeSet<String>>, total: usize) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for set in sets {
        for value in set {
            *counts.entry(value).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| ((*n).min(total.saturating_sub(*n)), *n))
        .map(|(value, _)| value)
}

fn median<T: Ord>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut all: Vec<T> = values.collect();
    all.sort();
    let middle = all.len() / 2;
    all.into_iter().nth(middle)
}

fn coordinates(item: &Value) -> Option<(f64, f64)> {
    let location = item.get("location").unwrap_or(item);
    Some((
        location.get("latitude")?.as_f64()?,
        location.get("longitude")?.as_f64()?,
    ))
}

/// Great-circle distance on the mean Earth radius; ample for metres-scale proximity.
fn metres_between((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    const EARTH_RADIUS_M: f64 = 6_371_008.8;
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let dphi = (lat2 - lat1).to_radians();
    let dlambda = (lon2 - lon1).to_radians();
    let a = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_telling_value_splits_the_services_most_evenly() {
        let sets = [vec!["a", "b"], vec!["a"], vec!["a", "c"], vec!["a", "b"]];
        let sets = sets
            .iter()
            .map(|s| s.iter().map(|v| v.to_string()).collect());
        // "a" is on every service, so a filter on it that was ignored would go unseen.
        assert_eq!(most_telling(sets, 4).as_deref(), Some("b"));
    }

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let metres = metres_between((51.0, -0.4), (52.0, -0.4));
        assert!((metres - 111_195.0).abs() < 50.0, "{metres}");
    }

    #[test]
    fn monthly_ordinals_and_spacing_still_give_day_codes() {
        let schedule = json!({"byday": "2TU, -1FR,MO"});
        let codes: Vec<String> = days(&schedule).into_iter().collect();
        assert_eq!(codes, ["FR", "MO", "TU"]);
    }

    #[test]
    fn schedules_are_found_on_the_service_and_its_locations() {
        let service = json!({
            "schedules": [{"byday": "MO", "opens_at": "9:30"}],
            "service_at_locations": [{"location": {"schedules": [{"byday": "SA"}]}}]
        });
        assert_eq!(schedules(&service).len(), 2);
        assert_eq!(
            clock(schedules(&service)[0], "opens_at").as_deref(),
            Some("09:30")
        );
    }
}
