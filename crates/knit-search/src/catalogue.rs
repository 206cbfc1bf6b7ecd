//! The catalogue: every listed service reduced to what the Open Referral API filters on,
//! kept in id order so API pages are stable. Word search comes from the directory index;
//! the catalogue narrows and pages.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc, Weekday};
use knit_domain::Service;
use knit_domain::directory::Frequency;
use knit_domain::time_of_day::TimeOfDay;
use uuid::Uuid;

#[derive(Debug, Clone)]
struct Entry {
    organization_id: Uuid,
    last_modified: Option<DateTime<Utc>>,
    term_ids: Vec<Uuid>,
    taxonomy_names: Vec<String>,
    taxonomy_ids: Vec<Uuid>,
    minimum_age: Option<u16>,
    maximum_age: Option<u16>,
    /// Opening windows (opens, closes) by weekday, Monday first.
    windows: [Vec<(TimeOfDay, TimeOfDay)>; 7],
}

/// The Open Referral API's filters. All given filters must hold (AND).
#[derive(Debug, Clone, Default)]
pub struct CatalogueFilter {
    pub taxonomy_term_id: Option<Uuid>,
    /// A taxonomy's id, or its name ("knit-needs").
    pub taxonomy: Option<TaxonomyRef>,
    /// The service must admit some age in this range.
    pub minimum_age: Option<u16>,
    pub maximum_age: Option<u16>,
    pub day: Option<Weekday>,
    /// The service must be open at some moment between these times (on `day` if given).
    pub start_time: Option<TimeOfDay>,
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
}

fn weekday_of(code: &str) -> Option<Weekday> {
    let day = &code[code.len().saturating_sub(2)..];
    Some(match day {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

impl Entry {
    fn of(service: &Service) -> Entry {
        let mut windows: [Vec<(TimeOfDay, TimeOfDay)>; 7] = Default::default();
        for schedule in &service.schedules {
            let (Some(opens), Some(closes)) = (schedule.opens_at, schedule.closes_at) else { continue };
            if !matches!(schedule.freq, Some(Frequency::Weekly | Frequency::Monthly)) {
                continue;
            }
            for day in schedule.byday.iter().flat_map(|b| b.split(',')).filter_map(weekday_of) {
                windows[day.num_days_from_monday() as usize].push((opens, closes));
            }
        }
        let terms = service.attributes.iter().filter_map(|a| a.taxonomy_term.as_ref());
        Entry {
            organization_id: service.organization_id,
            last_modified: service.last_modified,
            term_ids: service.attributes.iter().map(|a| a.taxonomy_term_id).collect(),
            taxonomy_names: terms
                .clone()
                .flat_map(|t| [t.taxonomy.clone(), t.vocabulary.clone()])
                .flatten()
                .collect(),
            taxonomy_ids: terms.filter_map(|t| t.taxonomy_id).collect(),
            minimum_age: service.minimum_age,
            maximum_age: service.maximum_age,
            windows,
        }
    }

    fn open_between(&self, day: Option<Weekday>, from: TimeOfDay, to: TimeOfDay) -> bool {
        let days: Vec<usize> = match day {
            Some(d) => vec![d.num_days_from_monday() as usize],
            None => (0..7).collect(),
        };
        days.into_iter().flat_map(|d| &self.windows[d]).any(|&(opens, closes)| {
            // An overnight opening (closes before it opens) runs on past midnight.
            if closes <= opens { to >= opens || from < closes } else { opens <= to && from < closes }
        })
    }

    fn matches(&self, f: &CatalogueFilter) -> bool {
        let term = f.taxonomy_term_id.is_none_or(|t| self.term_ids.contains(&t));
        let taxonomy = match &f.taxonomy {
            None => true,
            Some(TaxonomyRef::Id(id)) => self.taxonomy_ids.contains(id),
            Some(TaxonomyRef::Name(name)) => self.taxonomy_names.iter().any(|n| n == name),
        };
        let ages = f.maximum_age.is_none_or(|max| self.minimum_age.is_none_or(|m| m <= max))
            && f.minimum_age.is_none_or(|min| self.maximum_age.is_none_or(|m| m >= min));
        let times = if f.day.is_some() || f.start_time.is_some() || f.end_time.is_some() {
            let from = f.start_time.unwrap_or(TimeOfDay::from_hm(0, 0).expect("midnight"));
            let to = f.end_time.unwrap_or(TimeOfDay::from_hm(23, 59).expect("a minute to midnight"));
            self.open_between(f.day, from, to)
        } else {
            true
        };
        let organization = f.organization_id.is_none_or(|o| o == self.organization_id);
        let modified = f.modified_after.is_none_or(|after| self.last_modified.is_some_and(|m| m > after));
        term && taxonomy && ages && times && organization && modified
    }
}

impl Catalogue {
    pub fn new() -> Catalogue {
        Catalogue::default()
    }

    /// Adds or replaces a service; services that are not listed are taken out.
    pub fn upsert(&mut self, service: &Service) {
        if service.status.is_listed() {
            self.entries.insert(service.id, Entry::of(service));
        } else {
            self.entries.remove(&service.id);
        }
    }

    pub fn remove(&mut self, id: Uuid) {
        self.entries.remove(&id);
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
    pub fn page(&self, filter: &CatalogueFilter, ranked: Option<&[Uuid]>, page: u64, per_page: u64) -> (u64, Vec<Uuid>) {
        let skip = page.saturating_sub(1).saturating_mul(per_page);
        let mut total = 0u64;
        let mut out = Vec::new();
        let mut take = |id: Uuid| {
            if skip <= total && out.len() < per_page as usize {
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

    fn service(n: u8, byday: &str, opens: &str, closes: &str, ages: (Option<u16>, Option<u16>)) -> Service {
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
        c.upsert(&service(2, "MO,TU,WE,TH,FR", "19:00", "08:00", (Some(18), None)));
        c.upsert(&service(3, "SA", "09:00", "11:00", (Some(0), Some(5))));
        let mut gone = service(4, "TU", "10:00", "12:00", (None, None));
        gone.status = ServiceStatus::Defunct;
        c.upsert(&gone);
        c
    }

    fn ids(c: &Catalogue, f: &CatalogueFilter) -> Vec<u8> {
        c.page(f, None, 1, 100).1.iter().map(|id| id.as_bytes()[0]).collect()
    }

    #[test]
    fn filters_combine_with_and() {
        let c = catalogue();
        assert_eq!(ids(&c, &CatalogueFilter::default()), [1, 2, 3], "defunct services are not listed");
        let tuesday = CatalogueFilter { day: Some(Weekday::Tue), ..Default::default() };
        assert_eq!(ids(&c, &tuesday), [1, 2]);
        let tuesday_morning = CatalogueFilter {
            start_time: Some("09:00".parse().unwrap()),
            end_time: Some("11:00".parse().unwrap()),
            ..tuesday.clone()
        };
        assert_eq!(ids(&c, &tuesday_morning), [1], "the night shelter opens at 7pm");
        let late = CatalogueFilter { start_time: Some("23:00".parse().unwrap()), ..tuesday };
        assert_eq!(ids(&c, &late), [2], "overnight opening runs past midnight");
        let child = CatalogueFilter { minimum_age: Some(4), maximum_age: Some(4), ..Default::default() };
        assert_eq!(ids(&c, &child), [1, 3]);
        let food = CatalogueFilter {
            taxonomy_term_id: Some(NeedId::parse("food").unwrap().term_id()),
            ..Default::default()
        };
        assert_eq!(ids(&c, &food), [1]);
        let needs = CatalogueFilter { taxonomy: Some(TaxonomyRef::Name("knit-needs".into())), ..Default::default() };
        assert_eq!(ids(&c, &needs), [1]);
    }

    #[test]
    fn pages_are_stable_and_count_everything() {
        let c = catalogue();
        let all = CatalogueFilter::default();
        assert_eq!(c.page(&all, None, 1, 2), (3, vec![Uuid::from_bytes([1; 16]), Uuid::from_bytes([2; 16])]));
        assert_eq!(c.page(&all, None, 2, 2), (3, vec![Uuid::from_bytes([3; 16])]));
        assert_eq!(c.page(&all, None, 1_000_000_000, 2), (3, vec![]));
        let ranked = [Uuid::from_bytes([3; 16]), Uuid::from_bytes([9; 16]), Uuid::from_bytes([1; 16])];
        assert_eq!(c.page(&all, Some(&ranked), 1, 10).1, vec![ranked[0], ranked[2]]);
    }
}
