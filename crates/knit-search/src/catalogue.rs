//! The catalogue: every listed service reduced to what the Open Referral API filters on,
//! kept in id order so API pages are stable. Word search comes from the directory index;
//! the catalogue narrows and pages.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hash;

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
    /// The service's taxonomy terms, its taxonomies' names and its taxonomies, each list
    /// deduplicated, as keys of the catalogue's [`Shared`] tables, in one slice (one
    /// allocation a service): terms, then names from `names_at`, then taxonomies from
    /// `ids_at`.
    keys: Box<[u32]>,
    names_at: u32,
    ids_at: u32,
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

impl CatalogueFilter {
    /// Whether it names no filter at all, so every listed service passes.
    fn passes_all(&self) -> bool {
        let CatalogueFilter {
            taxonomy_term_id,
            taxonomy,
            minimum_age,
            maximum_age,
            day,
            start_time,
            end_time,
            organization_id,
            modified_after,
        } = self;
        taxonomy_term_id.is_none()
            && taxonomy.is_none()
            && minimum_age.is_none()
            && maximum_age.is_none()
            && day.is_none()
            && start_time.is_none()
            && end_time.is_none()
            && organization_id.is_none()
            && modified_after.is_none()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TaxonomyRef {
    Id(Uuid),
    Name(String),
}

/// Values thousands of services share (taxonomy terms, taxonomies, their names), each
/// kept once and named in entries by a number: a directory of 100,000 services holds a few
/// hundred distinct ones, and a copy in every entry was half the catalogue's memory.
#[derive(Debug)]
struct Shared<T>(foldhash::HashMap<T, u32>);

impl<T> Default for Shared<T> {
    fn default() -> Shared<T> {
        Shared(foldhash::HashMap::default())
    }
}

impl<T: Eq + Hash> Shared<T> {
    fn key(&mut self, value: T) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(value).or_insert(next)
    }

    fn find<Q: Eq + Hash + ?Sized>(&self, value: &Q) -> Option<u32>
    where
        T: std::borrow::Borrow<Q>,
    {
        self.0.get(value).copied()
    }
}

impl Shared<Box<str>> {
    /// The key of a name, copied only the first time it is seen.
    fn key_of(&mut self, name: &str) -> u32 {
        match self.find(name) {
            Some(key) => key,
            None => self.key(Box::from(name)),
        }
    }
}

#[derive(Debug, Default)]
struct Tables {
    terms: Shared<Uuid>,
    names: Shared<Box<str>>,
    taxonomies: Shared<Uuid>,
}

/// A filter's taxonomy term and taxonomy as keys of the shared tables.
struct Wanted<'a> {
    filter: &'a CatalogueFilter,
    term: Option<u32>,
    taxonomy: Option<TaxonomyKey>,
}

enum TaxonomyKey {
    Id(u32),
    Name(u32),
}

#[derive(Debug, Default)]
pub struct Catalogue {
    entries: BTreeMap<Uuid, Entry>,
    /// service_at_location id to service id, for the public places only.
    place_owner: HashMap<Uuid, Uuid>,
    tables: Tables,
}

/// Only places within `metres` of `centre`.
#[derive(Debug, Clone, Copy)]
pub struct Proximity {
    pub centre: LatLon,
    pub metres: f64,
}

impl Entry {
    fn of(service: &Service, tables: &mut Tables) -> Entry {
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
        let mut keys: Vec<u32> = distinct(
            service
                .attributes
                .iter()
                .map(|a| tables.terms.key(a.taxonomy_term_id)),
        )
        .into_vec();
        let names_at = keys.len();
        keys.extend(distinct(
            terms
                .clone()
                .flat_map(|t| [t.taxonomy.as_deref(), t.vocabulary.as_deref()])
                .flatten()
                .map(|name| tables.names.key_of(name)),
        ));
        let ids_at = keys.len();
        keys.extend(distinct(
            terms
                .filter_map(|t| t.taxonomy_id)
                .map(|id| tables.taxonomies.key(id)),
        ));
        Entry {
            organization_id: service.organization_id,
            last_modified: service.last_modified,
            keys: keys.into_boxed_slice(),
            names_at: names_at as u32,
            ids_at: ids_at as u32,
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

    fn matches(&self, wanted: &Wanted<'_>) -> bool {
        let f = wanted.filter;
        let (names_at, ids_at) = (self.names_at as usize, self.ids_at as usize);
        let term = wanted
            .term
            .is_none_or(|t| self.keys[..names_at].contains(&t));
        let taxonomy = match wanted.taxonomy {
            None => true,
            Some(TaxonomyKey::Id(id)) => self.keys[ids_at..].contains(&id),
            Some(TaxonomyKey::Name(name)) => self.keys[names_at..ids_at].contains(&name),
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
            let entry = Entry::of(service, &mut self.tables);
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

    /// The filter's term and taxonomy as keys; `None` when one names what no service has.
    fn wanted<'a>(&self, filter: &'a CatalogueFilter) -> Option<Wanted<'a>> {
        let term = match filter.taxonomy_term_id {
            None => None,
            Some(id) => Some(self.tables.terms.find(&id)?),
        };
        let taxonomy = match &filter.taxonomy {
            None => None,
            Some(TaxonomyRef::Id(id)) => Some(TaxonomyKey::Id(self.tables.taxonomies.find(id)?)),
            Some(TaxonomyRef::Name(name)) => {
                Some(TaxonomyKey::Name(self.tables.names.find(name.as_str())?))
            }
        };
        Some(Wanted {
            filter,
            term,
            taxonomy,
        })
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
        let Some(wanted) = self.wanted(filter) else {
            // A term or taxonomy no listed service has ever had.
            return (0, Vec::new());
        };
        let skip = page.saturating_sub(1).saturating_mul(per_page);
        if ranked.is_none() && filter.passes_all() {
            // The API's plain listing: every service passes, so the total is the count and
            // the page is read off in order, not found by testing each of a nation's
            // services on every request.
            let out = self
                .entries
                .keys()
                .skip(usize::try_from(skip).unwrap_or(usize::MAX))
                .take(usize::try_from(per_page).unwrap_or(usize::MAX))
                .copied()
                .collect();
            return (self.entries.len() as u64, out);
        }
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
                    if seen.insert(*id) && self.entries.get(id).is_some_and(|e| e.matches(&wanted))
                    {
                        take(*id);
                    }
                }
            }
            None => {
                for (id, entry) in &self.entries {
                    if entry.matches(&wanted) {
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
        // Terms and taxonomies no service has match nothing, rather than everything.
        let unknown_term = CatalogueFilter {
            taxonomy_term_id: Some(Uuid::from_bytes([77; 16])),
            ..Default::default()
        };
        assert_eq!(c.page(&unknown_term, None, 1, 10), (0, vec![]));
        let unknown_name = CatalogueFilter {
            taxonomy: Some(TaxonomyRef::Name("no-such-taxonomy".into())),
            ..Default::default()
        };
        assert!(ids(&c, &unknown_name).is_empty());
        let unknown_id = CatalogueFilter {
            taxonomy: Some(TaxonomyRef::Id(Uuid::from_bytes([78; 16]))),
            ..Default::default()
        };
        assert!(ids(&c, &unknown_id).is_empty());
    }

    #[test]
    fn a_term_shared_by_many_services_is_kept_once_and_still_matches_each() {
        let mut c = Catalogue::new();
        for n in 1..=20 {
            let mut s = service(n, "MO", "09:00", "10:00", (None, None));
            s.set_needs(&[
                NeedId::parse("food").unwrap(),
                NeedId::parse("debt").unwrap(),
            ]);
            c.upsert(&s);
        }
        assert_eq!(c.tables.terms.0.len(), 2, "two terms, each kept once");
        assert_eq!(c.tables.names.0.len(), 1, "one taxonomy name");
        let debt = CatalogueFilter {
            taxonomy_term_id: Some(NeedId::parse("debt").unwrap().term_id()),
            ..Default::default()
        };
        assert_eq!(c.page(&debt, None, 1, 100).0, 20);
        // Replacing a service with another need moves it, and the others keep theirs.
        let mut one = service(1, "MO", "09:00", "10:00", (None, None));
        one.set_needs(&[NeedId::parse("food").unwrap()]);
        c.upsert(&one);
        assert_eq!(c.page(&debt, None, 1, 100).0, 19);
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
        assert_eq!(c.page(&all, None, u64::MAX, u64::MAX), (3, vec![]));
        // The plain listing and a filter every service passes give the same pages.
        let everyone = CatalogueFilter {
            minimum_age: Some(0),
            ..Default::default()
        };
        for page in 1..=3 {
            assert_eq!(
                c.page(&all, None, page, 2),
                c.page(&everyone, None, page, 2)
            );
        }
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
