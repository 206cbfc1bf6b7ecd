//! The directory index. (Being written: see the interface below.)

use chrono::{NaiveDate, NaiveTime, Weekday};
use knit_domain::NeedId;
use knit_domain::Service;
use knit_domain::directory::{Delivery, WayIn};
use knit_domain::geo::LatLon;
use uuid::Uuid;

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
    pub per_page: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: Uuid,
    pub score: f32,
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

#[derive(Debug, Default)]
pub struct DirectoryIndex {}

impl DirectoryIndex {
    pub fn new() -> DirectoryIndex {
        DirectoryIndex::default()
    }

    /// Adds or replaces one service. Services that are not listed (inactive, defunct)
    /// are removed instead.
    pub fn upsert(&mut self, _service: &Service) {}

    pub fn remove(&mut self, _id: Uuid) {}

    pub fn len(&self) -> usize {
        0
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn search(&self, _query: &SearchQuery) -> SearchResults {
        SearchResults { total: 0, hits: vec![] }
    }
}
