//! The directory index: every listed service as a compact record (needs, ways in, ages,
//! places, compiled opening times) plus an inverted index of stemmed words, searched by
//! BM25 with field weights, Knit's own need vocabulary, typo tolerance and distance.
//!
//! One search function serves the website, the API and the command line, so they always
//! agree. The index keeps only what ranking and filtering need; pages load the services
//! they show from the store.

pub mod analyzer;
mod needs_vocabulary;
mod query_hints;
pub mod relevance;
mod terms;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use foldhash::HashMap;
use std::sync::Mutex;

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use knit_domain::directory::{Delivery, WayIn};
use knit_domain::geo::{FlatDistances, LatLon};
use knit_domain::opening::Opening;
use knit_domain::{NEEDS, NeedId, Service};
use uuid::Uuid;

use needs_vocabulary::NeedsVocabulary;
use terms::{Reach, Terms, WEIGHT_SCALE};

/// What a person asked for. Everything is optional and combines with AND.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The words typed, as typed.
    pub words: String,
    /// Needs inferred from the words by the matcher, with its confidence: they widen what
    /// the words find ("skint" finds money advice) without being a filter.
    pub need_hints: Vec<(NeedId, f32)>,
    /// Only services meeting one of these needs (browse by need).
    pub needs: Vec<NeedId>,
    pub near: Option<LatLon>,
    /// With `near`: only services within this distance, or that need no visit.
    pub within_km: Option<f64>,
    /// Only services whose age limits admit this age.
    pub age: Option<u16>,
    pub free_only: bool,
    /// Only services open at some time on this weekday.
    pub day: Option<Weekday>,
    /// Only services open at this UK local date and time ("open now").
    pub open_at: Option<(NaiveDate, NaiveTime)>,
    pub way_in: Option<WayIn>,
    pub delivery: Option<Delivery>,
    /// 1-based.
    pub page: u32,
    /// 0 means [`DEFAULT_PER_PAGE`].
    pub per_page: u32,
}

/// Results per page when the query does not say.
pub const DEFAULT_PER_PAGE: u32 = 10;

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// How many services matched in all, across every page.
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: Uuid,
    pub score: f32,
    /// To the nearest public place of the service; None without `near` or for services
    /// with no place to visit.
    pub distance_km: Option<f64>,
    pub reasons: Vec<Reason>,
}

/// Why a service matched, for "why this result" on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// These words of the query were found (after stemming or typo correction, the word
    /// as the service writes it).
    Words(Vec<String>),
    /// The service meets a need the query names or suggests.
    Need(NeedId),
}

/// How much each part of a listing counts when its words match.
mod field_weight {
    pub const NAME: f32 = 3.0;
    pub const ALTERNATE_NAME: f32 = 2.0;
    pub const ORGANISATION: f32 = 1.5;
    pub const DESCRIPTION: f32 = 1.0;
    pub const OTHER_TERMS: f32 = 1.0;
    pub const ELIGIBILITY: f32 = 0.5;
    pub const PLACE: f32 = 0.5;
}

/// BM25's usual constants: how fast repeated words stop adding, and how much long
/// listings are discounted.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// What a need the words name is worth, against a strong word match of about 5.
const NEED_WEIGHT: f32 = 4.0;
/// What a need the matcher suggests is worth at full confidence.
const HINT_WEIGHT: f32 = 3.0;
/// Distance halves relevance at about 30 km: near matters, but a much better match a
/// few miles further away still wins.
const DISTANCE_SCALE_KM: f64 = 10.0;
/// How near the limit of `within_km` a flat distance must be before the exact one decides.
const ROUGH_MARGIN: f64 = 0.1;
/// A phone line or website is ranked as if it were this far away: reachable from
/// anywhere, but no substitute for somewhere round the corner.
const REMOTE_AS_IF_KM: f64 = 5.0;
/// A need a service lists after its first counts this much of a first one.
const SECONDARY_NEED: f32 = 0.75;

/// How much a hint in the words ("4 year old", "tuesday", "free") moves a service.
mod hint_fit {
    /// Has an age limit that admits the age: made for people like this. This is for an
    /// age band of one year; an open-ended one ("60 and over") gets less.
    pub const AGE_TARGETED: f32 = 1.5;
    pub const FITS: f32 = 1.2;
    /// No opening times to judge by.
    pub const UNKNOWN: f32 = 0.9;
    pub const MISFIT: f32 = 0.5;
}

/// Rebuild the postings once this share of slots belongs to removed services.
const DEAD_SHARE_BEFORE_COMPACTING: f64 = 0.25;

const FLAG_LIVE: u8 = 1;
const FLAG_FREE: u8 = 2;
const FLAG_HAS_PLACES: u8 = 4;
const FLAG_HAS_OPENINGS: u8 = 8;

/// One service as the index keeps it: 48 bytes plus its places and openings.
#[derive(Debug, Clone)]
struct Record {
    id: Uuid,
    needs: u64,
    /// The index in NEEDS of the need listed first, 255 for none.
    main_need: u8,
    /// Field-weighted word count, for BM25's length discount.
    length: f32,
    first_place: u32,
    first_opening: u32,
    places: u8,
    openings: u8,
    min_age: u8,
    /// 255 when there is no upper limit.
    max_age: u8,
    /// Weekdays it opens on, Monday as bit 0.
    days: u8,
    delivery: u8,
    way_in: u8,
    flags: u8,
}

impl Record {
    fn is_live(&self) -> bool {
        self.flags & FLAG_LIVE != 0
    }
}

/// What filtering and ranking read for every candidate, 16 bytes a service: kept apart
/// from the records so a million candidates are a few cache lines each, not dozens.
#[derive(Debug, Clone, Copy)]
struct Hot {
    needs: u64,
    main_need: u8,
    min_age: u8,
    max_age: u8,
    days: u8,
    delivery: u8,
    way_in: u8,
    flags: u8,
}

impl Hot {
    fn of(record: &Record) -> Hot {
        let mut flags = record.flags;
        if record.places > 0 {
            flags |= FLAG_HAS_PLACES;
        }
        if record.openings > 0 {
            flags |= FLAG_HAS_OPENINGS;
        }
        Hot {
            needs: record.needs,
            main_need: record.main_need,
            min_age: record.min_age,
            max_age: record.max_age,
            days: record.days,
            delivery: record.delivery,
            way_in: record.way_in,
            flags,
        }
    }
}

fn need_bit(need: NeedId) -> u64 {
    1 << need.index()
}

fn delivery_bit(delivery: Delivery) -> u8 {
    match delivery {
        Delivery::InPerson => 1,
        Delivery::Phone => 2,
        Delivery::Online => 4,
    }
}

fn way_in_code(way_in: Option<WayIn>) -> u8 {
    match way_in {
        None => 0,
        Some(WayIn::DropIn) => 1,
        Some(WayIn::SelfRefer) => 2,
        Some(WayIn::ReferralNeeded) => 3,
    }
}

fn weekday_bit(day: Weekday) -> u8 {
    1 << day.num_days_from_monday()
}

/// The weekdays a session running on `date` can have started on: that day, or the day
/// before for one that runs overnight. Checking these bits first spares most services
/// the calendar arithmetic of "open now".
fn open_days(date: NaiveDate) -> u8 {
    weekday_bit(date.weekday()) | weekday_bit(date.weekday().pred())
}

#[derive(Debug)]
pub struct DirectoryIndex {
    records: Vec<Record>,
    /// The part of each record every candidate needs, by slot.
    hot: Vec<Hot>,
    /// Where each slot's places begin in `places`, and one more for where they end.
    place_starts: Vec<u32>,
    /// Each slot's field-weighted length, negative once removed: the hot loop reads
    /// this, not the records.
    lengths: Vec<f32>,
    /// Slots by grid cell of their places, for "within 10 km" without a full scan.
    cells: HashMap<(i16, i16), Vec<u32>>,
    /// Slots with no place to visit, which every "within" search keeps.
    remote: Vec<u32>,
    /// Score buffers reused between searches (one per concurrent search).
    scratch: Mutex<Vec<Scratch>>,
    slots: HashMap<Uuid, u32>,
    /// (lat, lon) of public places, f32 is ample (about a metre).
    places: Vec<[f32; 2]>,
    openings: Vec<Opening>,
    terms: Terms,
    /// Slots of the services meeting each need, in [`NEEDS`] order.
    need_slots: Vec<Vec<u32>>,
    live: usize,
    total_length: f64,
    vocabulary: NeedsVocabulary,
}

impl Default for DirectoryIndex {
    fn default() -> DirectoryIndex {
        DirectoryIndex {
            records: Vec::new(),
            hot: Vec::new(),
            place_starts: vec![0],
            lengths: Vec::new(),
            cells: HashMap::default(),
            remote: Vec::new(),
            scratch: Mutex::new(Vec::new()),
            slots: HashMap::default(),
            places: Vec::new(),
            openings: Vec::new(),
            terms: Terms::default(),
            need_slots: vec![Vec::new(); NEEDS.len()],
            live: 0,
            total_length: 0.0,
            vocabulary: NeedsVocabulary::new(),
        }
    }
}

/// A grid cell is a tenth of a degree: about 11 km north to south and 6 to 7 km east
/// to west in Great Britain.
const CELL_DEGREES: f64 = 0.1;

fn cell_of(lat: f64, lon: f64) -> (i16, i16) {
    (
        (lat / CELL_DEGREES).floor() as i16,
        (lon / CELL_DEGREES).floor() as i16,
    )
}

/// Latitudes and longitudes that hold every point within some distance of a centre.
struct BoundingBox {
    south: f32,
    north: f32,
    west: f32,
    east: f32,
}

impl BoundingBox {
    fn around(centre: LatLon, km: f64) -> BoundingBox {
        // A little margin so rounding never drops a place right on the edge.
        let dlat = km / 111.0 * 1.01 + 0.001;
        let dlon = km / (111.0 * centre.lat.to_radians().cos().max(0.05)) * 1.01 + 0.001;
        BoundingBox {
            south: (centre.lat - dlat) as f32,
            north: (centre.lat + dlat) as f32,
            west: (centre.lon - dlon) as f32,
            east: (centre.lon + dlon) as f32,
        }
    }

    fn contains(&self, &[lat, lon]: &[f32; 2]) -> bool {
        lat >= self.south && lat <= self.north && lon >= self.west && lon <= self.east
    }
}

/// A ranked service, ordered best first: higher rank, then the id's first half (so
/// ties break the same way on every machine without reading records), then the slot.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    rank: f32,
    key: u64,
    slot: u32,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Ranked) -> Ordering {
        other
            .rank
            .total_cmp(&self.rank)
            .then(self.key.cmp(&other.key))
            .then(self.slot.cmp(&other.slot))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Ranked) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Ranked) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Dense per-slot buffers for one search, zero between uses.
#[derive(Debug, Default)]
struct Scratch {
    score: Vec<f32>,
    word: Vec<f32>,
    word_touched: Vec<u32>,
}

/// One word of the query and the dictionary terms it reaches.
struct QueryWord {
    weight: f32,
    reach: Vec<Reach>,
}

impl DirectoryIndex {
    pub fn new() -> DirectoryIndex {
        DirectoryIndex::default()
    }

    /// An index of these services (those not listed are left out).
    pub fn from_services<'a>(services: impl IntoIterator<Item = &'a Service>) -> DirectoryIndex {
        let mut index = DirectoryIndex::new();
        for service in services {
            index.upsert(service);
        }
        index
    }

    /// Adds or replaces one service. Services that are not listed (inactive, defunct)
    /// are removed instead.
    pub fn upsert(&mut self, service: &Service) {
        if let Some(&slot) = self.slots.get(&service.id) {
            self.retire(slot);
        }
        if !service.status.is_listed() {
            return;
        }
        let slot = self.records.len() as u32;
        let mut uses: Vec<(terms::TermId, f32)> = Vec::with_capacity(128);
        let mut length = 0.0;
        let terms = &mut self.terms;
        let mut add = |text: &str, weight: f32| {
            analyzer::for_each_word(text, |word| {
                if let Some(term) = terms.term_for_word(word) {
                    uses.push((term, weight));
                    length += weight;
                }
            })
        };
        add(&service.name, field_weight::NAME);
        if let Some(alternate) = &service.alternate_name {
            add(alternate, field_weight::ALTERNATE_NAME);
        }
        if let Some(organisation) = &service.organization {
            add(&organisation.name, field_weight::ORGANISATION);
        }
        if let Some(description) = &service.description {
            add(description, field_weight::DESCRIPTION);
        }
        if let Some(eligibility) = &service.eligibility_description {
            add(eligibility, field_weight::ELIGIBILITY);
        }
        for attribute in &service.attributes {
            // Knit's own vocabularies are searched through their meaning, not their words.
            if let Some(term) = &attribute.taxonomy_term
                && !term
                    .vocabulary
                    .as_deref()
                    .is_some_and(|v| v.starts_with("knit-"))
            {
                add(&term.name, field_weight::OTHER_TERMS);
            }
        }
        let first_place = self.places.len() as u32;
        for location in service.public_locations() {
            if let Some(name) = &location.name {
                add(name, field_weight::PLACE);
            }
            for address in &location.addresses {
                add(&address.city, field_weight::PLACE);
            }
            if let (Some(lat), Some(lon)) = (location.latitude, location.longitude)
                && self.places.len() - (first_place as usize) < usize::from(u8::MAX)
            {
                self.places.push([lat as f32, lon as f32]);
            }
        }
        uses.sort_unstable_by_key(|(term, _)| *term);
        let mut i = 0;
        while i < uses.len() {
            let term = uses[i].0;
            let mut weight = 0.0;
            while i < uses.len() && uses[i].0 == term {
                weight += uses[i].1;
                i += 1;
            }
            self.terms.push(term, slot, weight);
        }
        let first_opening = self.openings.len() as u32;
        let mut days = 0u8;
        for schedule in service.schedules.iter().take(usize::from(u8::MAX)) {
            let opening = Opening::from(schedule);
            days |= opening.weekday_mask();
            self.openings.push(opening);
        }
        let mut needs = 0u64;
        let main_need = service.needs().first().map_or(u8::MAX, |n| n.index() as u8);
        for need in service.needs() {
            needs |= need_bit(need);
            self.need_slots[need.index()].push(slot);
        }
        let clamp_age = |age: u16| age.min(254) as u8;
        self.records.push(Record {
            id: service.id,
            needs,
            main_need,
            length,
            first_place,
            first_opening,
            places: (self.places.len() - first_place as usize) as u8,
            openings: (self.openings.len() - first_opening as usize) as u8,
            min_age: service.minimum_age.map_or(0, clamp_age),
            max_age: service.maximum_age.map_or(255, clamp_age),
            days,
            delivery: service
                .delivery()
                .into_iter()
                .map(delivery_bit)
                .fold(0, |a, b| a | b),
            way_in: way_in_code(service.way_in()),
            flags: FLAG_LIVE | if service.is_free() { FLAG_FREE } else { 0 },
        });
        self.slots.insert(service.id, slot);
        self.lengths.push(length);
        self.hot.push(Hot::of(&self.records[slot as usize]));
        self.place_starts.push(self.places.len() as u32);
        self.index_places(slot);
        self.live += 1;
        self.total_length += f64::from(length);
    }

    pub fn remove(&mut self, id: Uuid) {
        if let Some(&slot) = self.slots.get(&id) {
            self.retire(slot);
        }
    }

    fn index_places(&mut self, slot: u32) {
        let record = &self.records[slot as usize];
        let first = record.first_place as usize;
        let places = &self.places[first..first + usize::from(record.places)];
        if places.is_empty() {
            self.remote.push(slot);
        }
        for &[lat, lon] in places {
            let cell = self
                .cells
                .entry(cell_of(f64::from(lat), f64::from(lon)))
                .or_default();
            if cell.last() != Some(&slot) {
                cell.push(slot);
            }
        }
    }

    fn retire(&mut self, slot: u32) {
        let record = &mut self.records[slot as usize];
        if !record.is_live() {
            return;
        }
        record.flags &= !FLAG_LIVE;
        self.hot[slot as usize].flags &= !FLAG_LIVE;
        self.lengths[slot as usize] = -1.0;
        self.slots.remove(&record.id);
        self.live -= 1;
        self.total_length -= f64::from(record.length);
        let dead = self.records.len() - self.live;
        if dead > 64 && dead as f64 > self.records.len() as f64 * DEAD_SHARE_BEFORE_COMPACTING {
            self.compact();
        }
    }

    /// Drops what removed services left behind and renumbers the rest, keeping order.
    fn compact(&mut self) {
        let mut new_slot = vec![None; self.records.len()];
        let mut records = Vec::with_capacity(self.live);
        let mut places = Vec::with_capacity(self.places.len());
        let mut openings = Vec::with_capacity(self.openings.len());
        for (old, record) in self.records.iter().enumerate() {
            if !record.is_live() {
                continue;
            }
            new_slot[old] = Some(records.len() as u32);
            let mut record = record.clone();
            let first_place = record.first_place as usize;
            let first_opening = record.first_opening as usize;
            record.first_place = places.len() as u32;
            places.extend_from_slice(
                &self.places[first_place..first_place + usize::from(record.places)],
            );
            record.first_opening = openings.len() as u32;
            openings.extend_from_slice(
                &self.openings[first_opening..first_opening + usize::from(record.openings)],
            );
            records.push(record);
        }
        self.terms.compact(&new_slot);
        for slots in &mut self.need_slots {
            *slots = slots.iter().filter_map(|&s| new_slot[s as usize]).collect();
        }
        self.slots = records
            .iter()
            .enumerate()
            .map(|(slot, r)| (r.id, slot as u32))
            .collect();
        self.lengths = records.iter().map(|r| r.length).collect();
        self.remote = self
            .remote
            .iter()
            .filter_map(|&s| new_slot[s as usize])
            .collect();
        for slots in self.cells.values_mut() {
            *slots = slots.iter().filter_map(|&s| new_slot[s as usize]).collect();
        }
        self.cells.retain(|_, slots| !slots.is_empty());
        self.hot = records.iter().map(Hot::of).collect();
        self.place_starts = std::iter::once(0)
            .chain(records.iter().map(|r| r.first_place + u32::from(r.places)))
            .collect();
        self.records = records;
        self.places = places;
        self.openings = openings;
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An estimate of the heap the index holds (including the score buffers kept for
    /// reuse, 8 bytes a service for each search that has run at once), for benchmarks
    /// and the status page.
    pub fn memory_bytes(&self) -> usize {
        self.records.capacity() * std::mem::size_of::<Record>()
            + self.hot.capacity() * std::mem::size_of::<Hot>()
            + self.place_starts.capacity() * 4
            + self.slots.capacity() * (std::mem::size_of::<(Uuid, u32)>() + 1)
            + self.places.capacity() * std::mem::size_of::<[f32; 2]>()
            + self.openings.capacity() * std::mem::size_of::<Opening>()
            + self
                .need_slots
                .iter()
                .map(|s| s.capacity() * 4)
                .sum::<usize>()
            + self.lengths.capacity() * 4
            + self.remote.capacity() * 4
            + self
                .cells
                .values()
                .map(|c| c.capacity() * 4 + 32)
                .sum::<usize>()
            + self.terms.heap_bytes()
            + self.scratch.lock().map_or(0, |pool| {
                pool.iter()
                    .map(|s| {
                        (s.score.capacity() + s.word.capacity() + s.word_touched.capacity()) * 4
                    })
                    .sum()
            })
    }

    /// How many distinct stemmed words the index knows.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    fn query_words(&self, all: &[String]) -> Vec<QueryWord> {
        let meaningful: Vec<&String> = all.iter().filter(|w| !analyzer::is_stop_word(w)).collect();
        // Stop words are never indexed, so a query of nothing but small words ("something
        // for my 4 year old on a tuesday", once its hints are read) browses everything.
        let chosen = meaningful;
        let mut out: Vec<QueryWord> = Vec::new();
        for word in &chosen {
            let stem = analyzer::stem(word);
            out.push(QueryWord {
                weight: analyzer::weight_of(word),
                reach: self.terms.reach(&stem),
            });
        }
        // "food bank" also finds "foodbank".
        for pair in chosen.windows(2) {
            let joined = format!("{}{}", pair[0], pair[1]);
            if let Some(term) = self.terms.id(&analyzer::stem(&joined)) {
                out.push(QueryWord {
                    weight: 1.0,
                    reach: vec![Reach { term, factor: 1.0 }],
                });
            }
        }
        out
    }

    pub fn search(&self, query: &SearchQuery) -> SearchResults {
        let per_page = if query.per_page == 0 {
            DEFAULT_PER_PAGE
        } else {
            query.per_page
        } as usize;
        let page = query.page.max(1) as usize;
        let hints = query_hints::read(&query.words);
        let words = self.query_words(&hints.words);
        let has_words = !words.is_empty();

        // How strongly each need is asked for, by the words or the matcher.
        let mut need_boost = [0f32; 64];
        let mut boosted = 0u64;
        if has_words {
            for (i, strength) in self
                .vocabulary
                .strengths(&hints.words)
                .into_iter()
                .enumerate()
            {
                if strength > 0.0 {
                    need_boost[i] = NEED_WEIGHT * strength;
                    boosted |= 1 << i;
                }
            }
        }
        for (need, confidence) in &query.need_hints {
            let i = need.index();
            need_boost[i] = need_boost[i].max(HINT_WEIGHT * confidence.clamp(0.0, 1.0));
            boosted |= 1 << i;
        }
        let wanted_needs: u64 = query
            .needs
            .iter()
            .map(|n| need_bit(*n))
            .fold(0, |a, b| a | b);

        // Gather candidates with their word scores.
        let mut scratch = self
            .scratch
            .lock()
            .ok()
            .and_then(|mut pool| pool.pop())
            .unwrap_or_default();
        let slots = self.records.len();
        scratch.score.resize(slots, 0.0);
        scratch.word.resize(slots, 0.0);
        let Scratch {
            score,
            word: word_best,
            word_touched,
        } = &mut scratch;
        let mut candidates: Vec<u32> = Vec::new();
        let n = self.live.max(1) as f32;
        let average_length = (self.total_length / self.live.max(1) as f64).max(1.0) as f32;
        for word in &words {
            let several = word.reach.len() > 1;
            for reach in &word.reach {
                let postings = &self.terms.postings[reach.term as usize];
                let df = postings.slots.len() as f32;
                let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                let lift = word.weight * reach.factor * idf * (K1 + 1.0);
                for (&slot, &weight) in postings.slots.iter().zip(&postings.weights) {
                    let length = self.lengths[slot as usize];
                    if length < 0.0 {
                        continue;
                    }
                    let tf = f32::from(weight) / WEIGHT_SCALE;
                    let s = lift * tf / (tf + K1 * (1.0 - B + B * length / average_length));
                    let i = slot as usize;
                    if several {
                        // A word counts once, by the best form it reaches.
                        if word_best[i] == 0.0 {
                            word_touched.push(slot);
                        }
                        word_best[i] = word_best[i].max(s);
                    } else {
                        if score[i] == 0.0 {
                            candidates.push(slot);
                        }
                        score[i] += s;
                    }
                }
            }
            for slot in word_touched.drain(..) {
                let i = slot as usize;
                if score[i] == 0.0 {
                    candidates.push(slot);
                }
                score[i] += word_best[i];
                word_best[i] = 0.0;
            }
        }
        // Services meeting an asked-for need are found even when their words differ.
        let mut seed = |slot: u32, candidates: &mut Vec<u32>| {
            if score[slot as usize] == 0.0 {
                score[slot as usize] = f32::MIN_POSITIVE;
                candidates.push(slot);
            }
        };
        // Set when the candidates came in slot order without touching the scores.
        let mut every_slot = false;
        if boosted != 0 {
            for (i, slots) in self.need_slots.iter().enumerate() {
                if boosted & (1 << i) != 0 {
                    for &slot in slots {
                        seed(slot, &mut candidates);
                    }
                }
            }
        } else if !has_words {
            if let (Some(near), Some(within)) = (query.near, query.within_km) {
                for cell in self.cells_within(near, within) {
                    for &slot in cell {
                        seed(slot, &mut candidates);
                    }
                }
                for &slot in &self.remote {
                    seed(slot, &mut candidates);
                }
            } else if wanted_needs.count_ones() == 1 {
                // One need: its slots are already in order and distinct.
                every_slot = true;
                candidates = self.need_slots[wanted_needs.trailing_zeros() as usize].clone();
            } else if wanted_needs != 0 {
                for (i, slots) in self.need_slots.iter().enumerate() {
                    if wanted_needs & (1 << i) != 0 {
                        for &slot in slots {
                            seed(slot, &mut candidates);
                        }
                    }
                }
            } else {
                every_slot = true;
                candidates = (0..self.records.len() as u32).collect();
            }
        }

        // Filter, then rank.
        // Visit candidates in slot order: reading records in memory order is several times
        // faster than hopping about once the index outgrows the caches.
        if !every_slot {
            if candidates.len() * 16 > slots {
                candidates.clear();
                candidates.extend((0..slots as u32).filter(|&slot| score[slot as usize] != 0.0));
            } else {
                candidates.sort_unstable();
            }
        }
        // A box around the circle, so most far-away services are passed over without
        // working out a distance.
        let area = query
            .near
            .zip(query.within_km)
            .map(|(near, km)| BoundingBox::around(near, km));
        // Only the best `wanted` are kept, in a heap whose top is the worst of them; the
        // rest are only counted.
        let wanted = page.saturating_mul(per_page);
        let mut best: BinaryHeap<Ranked> = BinaryHeap::with_capacity(wanted.min(1024) + 1);
        let mut total = 0usize;
        let flat = query.near.map(FlatDistances::new);
        for &slot in &candidates {
            let hot = &self.hot[slot as usize];
            if !self.passes(hot, slot, query, wanted_needs) {
                continue;
            }
            if let Some(area) = &area
                && hot.flags & FLAG_HAS_PLACES != 0
                && !self.places_of(slot).iter().any(|p| area.contains(p))
            {
                continue;
            }
            let relevance = score[slot as usize] + need_boost_of(hot, boosted, &need_boost);
            let fit = self.fit(hot, &hints);
            // Distance only ever lowers a rank, so a service that cannot make the page even
            // as if it were next door is counted without working out how far it is.
            if query.within_km.is_none() && best.len() == wanted {
                let at_best = if has_words || boosted != 0 {
                    relevance * fit
                } else {
                    fit
                };
                if best.peek().is_some_and(|worst| at_best < worst.rank) {
                    total += 1;
                    continue;
                }
            }
            let distance = flat
                .as_ref()
                .and_then(|flat| self.rough_distance_km(slot, flat));
            if let (Some(within), Some(d)) = (query.within_km, distance) {
                // The flat figure settles all but the places close to the limit.
                let outside = if (d - within).abs() <= ROUGH_MARGIN * within {
                    flat.and_then(|f| self.distance_km(slot, f.origin()))
                        .is_some_and(|exact| exact > within)
                } else {
                    d > within
                };
                if outside {
                    continue;
                }
            }
            let effective = distance.unwrap_or(REMOTE_AS_IF_KM);
            let decay = (1.0 / (1.0 + effective / DISTANCE_SCALE_KM).sqrt()) as f32;
            let rank = match (has_words || boosted != 0, query.near.is_some()) {
                (true, true) => relevance * fit * decay,
                (true, false) => relevance * fit,
                (false, true) => fit * (1.0 / (1.0 + effective)) as f32,
                (false, false) => fit,
            };
            total += 1;
            // The id is read only for a service that may make the page.
            let entry = |slot: u32| Ranked {
                rank,
                key: self.records[slot as usize].id.as_u64_pair().0,
                slot,
            };
            if best.len() < wanted {
                best.push(entry(slot));
            } else if let Some(mut worst) = best.peek_mut()
                && rank >= worst.rank
            {
                let entry = entry(slot);
                if entry < *worst {
                    *worst = entry;
                }
            }
        }
        if !every_slot {
            for &slot in &candidates {
                score[slot as usize] = 0.0;
            }
        }
        if let Ok(mut pool) = self.scratch.lock() {
            pool.push(scratch);
        }
        let ranked = best.into_sorted_vec();
        let start = ((page - 1) * per_page).min(ranked.len());
        let hits = ranked[start..]
            .iter()
            .map(|&Ranked { rank, slot, .. }| Hit {
                id: self.records[slot as usize].id,
                score: rank,
                distance_km: query.near.and_then(|near| self.distance_km(slot, near)),
                reasons: self.reasons(
                    slot,
                    &words,
                    (boosted | wanted_needs) & self.records[slot as usize].needs,
                ),
            })
            .collect();
        SearchResults { total, hits }
    }

    fn passes(&self, record: &Hot, slot: u32, query: &SearchQuery, wanted_needs: u64) -> bool {
        if record.flags & FLAG_LIVE == 0 || (wanted_needs != 0 && record.needs & wanted_needs == 0)
        {
            return false;
        }
        if let Some(age) = query.age {
            let age = age.min(254) as u8;
            if age < record.min_age || age > record.max_age {
                return false;
            }
        }
        if query.free_only && record.flags & FLAG_FREE == 0 {
            return false;
        }
        if query
            .day
            .is_some_and(|day| record.days & weekday_bit(day) == 0)
        {
            return false;
        }
        if query
            .way_in
            .is_some_and(|w| way_in_code(Some(w)) != record.way_in)
        {
            return false;
        }
        if query
            .delivery
            .is_some_and(|d| record.delivery & delivery_bit(d) == 0)
        {
            return false;
        }
        if let Some((date, time)) = query.open_at
            && (record.days & open_days(date) == 0
                || !self
                    .openings_of(&self.records[slot as usize])
                    .iter()
                    .any(|o| o.is_open_at(date, time)))
        {
            return false;
        }
        true
    }

    /// How well a service fits what the words hint at (an age, a day, free): above 1
    /// for a clear fit, below 1 for one it cannot serve.
    fn fit(&self, record: &Hot, hints: &query_hints::QueryHints) -> f32 {
        let mut fit = 1.0;
        if let Some(age) = hints.age {
            let age = age.min(254) as u8;
            let targeted = record.min_age > 0 || record.max_age < 255;
            fit *= match (age >= record.min_age && age <= record.max_age, targeted) {
                // The narrower the band, the more it is made for exactly this age.
                (true, true) => {
                    let span = f32::from(record.max_age.min(100).saturating_sub(record.min_age));
                    1.0 + (hint_fit::AGE_TARGETED - 1.0) * (1.0 - span / 100.0).max(0.0)
                }
                (true, false) => 1.0,
                (false, _) => hint_fit::MISFIT,
            };
        }
        if let Some(day) = hints.day {
            fit *= if record.flags & FLAG_HAS_OPENINGS == 0 {
                hint_fit::UNKNOWN
            } else if record.days & weekday_bit(day) != 0 {
                hint_fit::FITS
            } else {
                hint_fit::MISFIT
            };
        }
        if hints.free {
            fit *= if record.flags & FLAG_FREE != 0 {
                hint_fit::FITS
            } else {
                hint_fit::MISFIT
            };
        }
        fit
    }

    /// The grid cells that may hold places within `km` of `near`.
    fn cells_within(&self, near: LatLon, km: f64) -> impl Iterator<Item = &Vec<u32>> {
        let dlat = km / 111.0;
        let dlon = km / (111.0 * near.lat.to_radians().cos().max(0.05));
        let (south, west) = cell_of(near.lat - dlat, near.lon - dlon);
        let (north, east) = cell_of(near.lat + dlat, near.lon + dlon);
        (south..=north)
            .flat_map(move |y| (west..=east).filter_map(move |x| self.cells.get(&(y, x))))
    }

    fn openings_of(&self, record: &Record) -> &[Opening] {
        let first = record.first_opening as usize;
        &self.openings[first..first + usize::from(record.openings)]
    }

    /// A slot's places. Places are stored in slot order, so its places end where the
    /// next slot's begin, and a search reads both in memory order.
    fn places_of(&self, slot: u32) -> &[[f32; 2]] {
        let slot = slot as usize;
        &self.places[self.place_starts[slot] as usize..self.place_starts[slot + 1] as usize]
    }

    /// The flat distance to the nearest place: for ranking many candidates quickly.
    fn rough_distance_km(&self, slot: u32, near: &FlatDistances) -> Option<f64> {
        self.places_of(slot)
            .iter()
            .map(|&[lat, lon]| {
                near.km(LatLon {
                    lat: f64::from(lat),
                    lon: f64::from(lon),
                })
            })
            .min_by(f64::total_cmp)
    }

    fn distance_km(&self, slot: u32, near: LatLon) -> Option<f64> {
        self.places_of(slot)
            .iter()
            .map(|&[lat, lon]| {
                near.distance_km(LatLon {
                    lat: f64::from(lat),
                    lon: f64::from(lon),
                })
            })
            .min_by(f64::total_cmp)
    }

    fn reasons(&self, slot: u32, words: &[QueryWord], needs: u64) -> Vec<Reason> {
        let mut found: Vec<String> = Vec::new();
        for word in words {
            for reach in &word.reach {
                if self.terms.postings[reach.term as usize].contains(slot) {
                    let surface = self.terms.surface(reach.term).to_owned();
                    if !found.contains(&surface) {
                        found.push(surface);
                    }
                    break;
                }
            }
        }
        let mut reasons = Vec::new();
        if !found.is_empty() {
            reasons.push(Reason::Words(found));
        }
        for need in NEEDS {
            if needs & need_bit(need.id) != 0 {
                reasons.push(Reason::Need(need.id));
            }
        }
        reasons
    }
}

/// A service meeting several asked-for needs is counted by the strongest; a need it
/// lists first (its main purpose) counts fully, others a little less.
fn need_boost_of(record: &Hot, boosted: u64, boost: &[f32; 64]) -> f32 {
    let mut best = 0f32;
    let mut rest = record.needs & boosted;
    while rest != 0 {
        let i = rest.trailing_zeros() as usize;
        let main = if i == usize::from(record.main_need) {
            1.0
        } else {
            SECONDARY_NEED
        };
        best = best.max(boost[i] * main);
        rest &= rest - 1;
    }
    best
}
