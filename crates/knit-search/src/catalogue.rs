//! The catalogue: every listed service reduced to what the Open Referral API filters on,
//! kept in id order so API pages are stable. Word search comes from the directory index;
//! the catalogue narrows and pages.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc, Weekday};
use knit_domain::Service;
use knit_domain::directory::Frequency;
use knit_domain::geo::LatLon;
use knit_domain::opening;
use knit_domain::time_of_day::TimeOfDay;
use uuid::Uuid;

#[derive(Debug, Clone)]
struct Entry {
    organization_id: Uuid,
    last_modified: Option<DateTime<Utc>>,
    // Boxed slices, each list deduplicated: a nation's directory keeps one entry per service.
    term_ids: Box<[Uuid]>,
    taxonomy_names: Box<[Box<str>]>,
    taxonomy_ids: Box<[Uuid]>,
    minimum_age: Option<u16>,
    maximum_age: Option<u16>,
    /// Opening windows: (weekday from Monday = 0, opens, closes).
    windows: Box<[(u8, TimeOfDay, TimeOfDay)]>,
    /// Public places (service_at_location id, position if mapped); confidential ones left out.
    places: Box<[(Uuid, Option<LatLon>)]>,
}

fn distinct<T: PartialEq>(items: impl Iterator<Item = T>) -> Box<[T]> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out.into_boxed_slice()
}

/// The Open Referral API's filters. All given filters must hold (AND).
#[derive(Debug, Clone, Default)]
pub struct CatalogueFilter {
    pub taxonomy_term_id: Option<Uuid>,
    /// A taxonomy's id, or its name ("knit-needs").
    pub taxonomy: Option<TaxonomyRef>,
    /// As ORUK defines it: the service's minimum age is at least this (no limit counts as 0).
    pub minimum_age: Option<u16>,
    /// As ORUK defines it: the service has a maximum age, and it is at most this.
    pub maximum_age: Option<u16>,
    /// The service has an opening on this weekday…
    pub day: Option<Weekday>,
    /// …that starts at or after this time…
    pub start_time: Option<TimeOfDay>,
    /// …and ends at or before this one.
    pub end_time: Option<TimeOfDay>,
    pub organization_id: Option<Uuid>,
    pub modified_after: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TaxonomyRef {
    Id(Uuid),
    Name(String),
}

#[derive(Debug, Default)]
pub struct Catalogue {
    entries: BTreeMap<Uuid, Entry>,
    /// service_at_location id to service id, for the public places only.
    place_owner: HashMap<Uuid, Uuid>,
}

/// Only places within `metres` of `centre`.
#[derive(Debug, Clone, Copy)]
pub struct Proximity {
    pub centre: LatLon,
    pub metres: f64,
}

impl Entry {
    fn of(service: &Service) -> Entry {
        let mut windows = Vec::new();
        for schedule in &service.schedules {
            let (Some(opens), Some(closes)) = (schedule.opens_at, schedule.closes_at) else {
                continue;
            };
            if !matches!(schedule.freq, Some(Frequency::Weekly | Frequency::Monthly)) {
                continue;
            }
            for day in opening::weekdays(schedule) {
                windows.push((day.num_days_from_monday() as u8, opens, closes));
            }
        }
        let terms = service
            .attributes
            .iter()
            .filter_map(|a| a.taxonomy_term.as_ref());
        Entry {
            organization_id: service.organization_id,
            last_modified: service.last_modified,
            term_ids: distinct(service.attributes.iter().map(|a| a.taxonomy_term_id)),
            taxonomy_names: distinct(
                terms
                    .clone()
                    .flat_map(|t| [t.taxonomy.as_deref(), t.vocabulary.as_deref()])
                    .flatten()
                    .map(Box::<str>::from),
            ),
            taxonomy_ids: distinct(terms.filter_map(|t| t.taxonomy_id)),
            minimum_age: service.minimum_age,
            maximum_age: service.maximum_age,
            windows: windows.into_boxed_slice(),
            places: service
                .service_at_locations
                .iter()
                .filter(|sal| sal.location.as_ref().is_some_and(|l| !l.confidential))
                .map(|sal| {
                    let l = sal
                        .location
                        .as_ref()
                        .expect("filtered to those with a location");
                    let position = l
                        .latitude
                        .zip(l.longitude)
                        .and_then(|(lat, lon)| LatLon::new(lat, lon).ok());
                    (sal.id, position)
                })
                .collect(),
        }
    }

    fn has_opening(&self, f: &CatalogueFilter) -> bool {
        let day = f.day.map(|d| d.num_days_from_monday() as u8);
        self.windows.iter().any(|&(on, opens, closes)| {
            // An overnight opening (closing before it opens) ends the next morning,
            // after any end time on its own day.
            let ends_next_day = closes <= opens;
            day.is_none_or(|d| d == on)
                && f.start_time.is_none_or(|start| opens >= start)
                && f.end_time.is_none_or(|end| !ends_next_day && closes <= end)
        })
    }

    fn matches(&self, f: &CatalogueFilter) -> bool {
        let term = f
            .taxonomy_term_id
            .is_none_or(|t| self.term_ids.contains(&t));
        let taxonomy = match &f.taxonomy {
            None => true,
            Some(TaxonomyRef::Id(id)) => self.taxonomy_ids.contains(id),
            Some(TaxonomyRef::Name(name)) => self.taxonomy_names.iter().any(|n| **n == **name),
        };
        let ages = f
            .minimum_age
            .is_none_or(|min| self.minimum_age.unwrap_or(0) >= min)
            && f.maximum_age
                .is_none_or(|max| self.maximum_age.is_some_and(|m| m <= max));
        let times = f.day.is_none() && f.start_time.is_none() && f.end_time.is_none()
            || self.has_opening(f);
        let organization = f.organization_id.is_none_or(|o| o == self.organization_id);
        let modified = f
            .modified_after
            .is_none_or(|after| self.last_modified.is_some_and(|m| m > after));
        term && taxonomy && ages && times && organization && modified
    }
}

impl Catalogue {
    pub fn new() -> Catalogue {
        Catalogue::default()
    }

    /// Adds or replaces a service; services that are not listed are taken out.
    pub fn upsert(&mut self, service: &Service) {
        self.remove(service.id);
        if service.status.is_listed() {
            let entry = Entry::of(service);
            for (place, _) in &entry.places {
                self.place_owner.insert(*place, service.id);
            }
            self.entries.insert(service.id, entry);
        }
    }

    pub fn remove(&mut self, id: Uuid) {
        if let Some(old) = self.entries.remove(&id) {
            for (place, _) in old.places {
                self.place_owner.remove(&place);
            }
        }
    }

    /// The listed service a public service_at_location belongs to.
    pub fn place_owner(&self, service_at_location: Uuid) -> Option<Uuid> {
        self.place_owner.get(&service_at_location).copied()
    }

    /// Public places of services passing the filter, as (service_at_location, service),
    /// in service id order; the total and the requested page.
    pub fn places_page(
        &self,
        filter: &CatalogueFilter,
        ranked: Option<&[Uuid]>,
        near: Option<Proximity>,
        page: u64,
        per_page: u64,
    ) -> (u64, Vec<(Uuid, Uuid)>) {
        let (_, services) = self.page(filter, ranked, 1, u64::MAX);
        let within = |position: &Option<LatLon>| match (near, position) {
            (None, _) => true,
            (Some(p), Some(at)) => p.centre.distance_km(*at) * 1000.0 <= p.metres,
            (Some(_), None) => false,
        };
        let all = services.iter().flat_map(|service| {
            self.entries[service]
                .places
                .iter()
                .filter(|(_, at)| within(at))
                .map(move |(place, _)| (*place, *service))
        });
        let skip = page.saturating_sub(1).saturating_mul(per_page);
        let mut total = 0u64;
        let mut out = Vec::new();
        for pair in all {
            if skip <= total && (out.len() as u64) < per_page {
                out.push(pair);
            }
            total += 1;
        }
        (total, out)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, id: Uuid) -> bool {
        self.entries.contains_key(&id)
    }

    /// The ids passing the filter, in id order, or in `ranked` order when a word search
    /// gave one; then the total and the requested page (1-based).
    pub fn page(
        &self,
        filter: &CatalogueFilter,
        ranked: Option<&[Uuid]>,
        page: u64,
        per_page: u64,
    ) -> (u64, Vec<Uuid>) {
        let skip = page.saturating_sub(1).saturating_mul(per_page);
        let mut total = 0u64;
        let mut out = Vec::new();
        let mut take = |id: Uuid| {
            if skip <= total && (out.len() as u64) < per_page {
                out.push(id);
            }
            total += 1;
        };
        match ranked {
            Some(ids) => {
                let mut seen = HashSet::new();
                for id in ids {
                    if seen.insert(*id) && self.entries.get(id).is_some_and(|e| e.matches(filter)) {
                        take(*id);
                    }
                }
            }
            None => {
                for (id, entry) in &self.entries {
                    if entry.matches(filter) {
                        take(*id);
                    }
                }
            }
        }
        (total, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use knit_domain::NeedId;
    use knit_domain::directory::{Schedule, ServiceStatus};

    fn service(
        n: u8,
        byday: &str,
        opens: &str,
        closes: &str,
        ages: (Option<u16>, Option<u16>),
    ) -> Service {
        let id = Uuid::from_bytes([n; 16]);
        let mut s: Service = serde_json::from_value(serde_json::json!({
            "id": id, "organization_id": Uuid::from_bytes([100 + n; 16]), "name": format!("Service {n}"), "status": "active"
        }))
        .unwrap();
        s.minimum_age = ages.0;
        s.maximum_age = ages.1;
        s.schedules.push(Schedule {
            id: Uuid::from_bytes([200 + n; 16]),
            service_id: Some(id),
            valid_from: None,
            valid_to: None,
            dtstart: None,
            until: None,
            freq: Some(Frequency::Weekly),
            interval: None,
            byday: Some(byday.into()),
            bymonthday: None,
            opens_at: Some(opens.parse().unwrap()),
            closes_at: Some(closes.parse().unwrap()),
            description: None,
            notes: None,
        });
        s
    }

    fn catalogue() -> Catalogue {
        let mut c = Catalogue::new();
        let mut food = service(1, "TU", "10:00", "12:30", (None, None));
        food.set_needs(&[NeedId::parse("food").unwrap()]);
        c.upsert(&food);
        c.upsert(&service(
            2,
            "MO,TU,WE,TH,FR",
            "19:00",
            "08:00",
            (Some(18), None),
        ));
        c.upsert(&service(3, "SA", "09:00", "11:00", (Some(0), Some(5))));
        let mut gone = service(4, "TU", "10:00", "12:00", (None, None));
        gone.status = ServiceStatus::Defunct;
        c.upsert(&gone);
        c
    }

    fn ids(c: &Catalogue, f: &CatalogueFilter) -> Vec<u8> {
        c.page(f, None, 1, 100)
            .1
            .iter()
            .map(|id| id.as_bytes()[0])
            .collect()
    }

    #[test]
    fn filters_combine_with_and() {
        let c = catalogue();
        assert_eq!(
            ids(&c, &CatalogueFilter::default()),
            [1, 2, 3],
            "defunct services are not listed"
        );
        let tuesday = CatalogueFilter {
            day: Some(Weekday::Tue),
            ..Default::default()
        };
        assert_eq!(ids(&c, &tuesday), [1, 2]);
        let tuesday_morning = CatalogueFilter {
            start_time: Some("09:00".parse().unwrap()),
            end_time: Some("13:00".parse().unwrap()),
            ..tuesday.clone()
        };
        assert_eq!(
            ids(&c, &tuesday_morning),
            [1],
            "the night shelter opens at 7pm"
        );
        let evening = CatalogueFilter {
            start_time: Some("18:00".parse().unwrap()),
            ..tuesday
        };
        assert_eq!(ids(&c, &evening), [2]);
        let under_fives = CatalogueFilter {
            maximum_age: Some(5),
            ..Default::default()
        };
        assert_eq!(ids(&c, &under_fives), [3]);
        let adults = CatalogueFilter {
            minimum_age: Some(18),
            ..Default::default()
        };
        assert_eq!(ids(&c, &adults), [2]);
        let food = CatalogueFilter {
            taxonomy_term_id: Some(NeedId::parse("food").unwrap().term_id()),
            ..Default::default()
        };
        assert_eq!(ids(&c, &food), [1]);
        let needs = CatalogueFilter {
            taxonomy: Some(TaxonomyRef::Name("knit-needs".into())),
            ..Default::default()
        };
        assert_eq!(ids(&c, &needs), [1]);
    }

    #[test]
    fn pages_are_stable_and_count_everything() {
        let c = catalogue();
        let all = CatalogueFilter::default();
        assert_eq!(
            c.page(&all, None, 1, 2),
            (
                3,
                vec![Uuid::from_bytes([1; 16]), Uuid::from_bytes([2; 16])]
            )
        );
        assert_eq!(
            c.page(&all, None, 2, 2),
            (3, vec![Uuid::from_bytes([3; 16])])
        );
        assert_eq!(c.page(&all, None, 1_000_000_000, 2), (3, vec![]));
        let ranked = [
            Uuid::from_bytes([3; 16]),
            Uuid::from_bytes([9; 16]),
            Uuid::from_bytes([1; 16]),
        ];
        assert_eq!(
            c.page(&all, Some(&ranked), 1, 10).1,
            vec![ranked[0], ranked[2]]
        );
    }
}
