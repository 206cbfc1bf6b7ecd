//! Searching the directory: the one use case behind the results page, the JSON API and
//! `knit search`, so all three give the same results for the same question.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use knit_domain::Service;
use knit_domain::directory::{Delivery, KnitTerm, WayIn};
use knit_domain::geo::LatLon;
use knit_domain::needs::{NeedId, UnknownNeed};
use knit_domain::opening;
use knit_domain::postcode::{BadPostcode, Postcode};
use knit_search::{Hit, NeedMatch, SearchQuery};
use knit_store::Store;
use serde::Deserialize;

use crate::search_engine::SearchEngine;

/// Results on one page: enough to choose from on a small screen without scrolling forever.
pub const PER_PAGE: u32 = 10;
/// Longer than any real question; a wall of text is refused rather than searched.
pub const MAX_QUERY_CHARS: usize = 200;

/// A search as a person or a script asked it, every field as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchRequest {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub near: Option<String>,
    #[serde(default)]
    pub need: Option<String>,
    #[serde(default)]
    pub age: Option<String>,
    #[serde(default)]
    pub free: Option<String>,
    #[serde(default)]
    pub day: Option<String>,
    #[serde(default)]
    pub open_now: Option<String>,
    #[serde(default)]
    pub way_in: Option<String>,
    #[serde(default)]
    pub delivery: Option<String>,
    /// Kilometres from `near`.
    #[serde(default)]
    pub within: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SearchError {
    #[error("Your search is too long. Please use fewer than {MAX_QUERY_CHARS} characters.")]
    TooLong,
    #[error("{0}")]
    BadPostcode(#[from] BadPostcode),
    #[error("We don't know the postcode {0}. Check it, or try just the first part, such as {1}.")]
    UnknownPostcode(String, String),
    #[error(
        "We couldn't find a place called \"{0}\". Try a postcode, or the name of a town or village."
    )]
    UnknownPlace(String),
    #[error("{0}")]
    UnknownNeed(#[from] UnknownNeed),
    #[error("Age must be a whole number of years, such as 8 or 67.")]
    BadAge,
    #[error("Choose a day of the week.")]
    BadDay,
    #[error("Choose how you'd like to get help from the list.")]
    BadWayIn,
    #[error("Choose how the help is delivered from the list.")]
    BadDelivery,
    #[error("The distance must be a number of kilometres between 1 and 500.")]
    BadDistance,
    #[error("Page must be a whole number, such as 2.")]
    BadPage,
    #[error("There is no page {page}: there {}.", if *pages == 1 { "is only 1 page".to_owned() } else { format!("are {pages} pages") })]
    NoSuchPage { page: u32, pages: u32 },
    #[error("The directory could not be searched just now; please try again in a minute.")]
    Unavailable,
}

impl SearchError {
    /// A name for each kind of problem: the Welsh catalogue words it as `search-error-{code}`.
    pub fn code(&self) -> &'static str {
        match self {
            SearchError::TooLong => "too-long",
            SearchError::BadPostcode(_) => "bad-postcode",
            SearchError::UnknownPostcode(..) => "unknown-postcode",
            SearchError::UnknownPlace(_) => "unknown-place",
            SearchError::UnknownNeed(_) => "unknown-need",
            SearchError::BadAge => "bad-age",
            SearchError::BadDay => "bad-day",
            SearchError::BadWayIn => "bad-way-in",
            SearchError::BadDelivery => "bad-delivery",
            SearchError::BadDistance => "bad-distance",
            SearchError::BadPage => "bad-page",
            SearchError::NoSuchPage { .. } => "no-such-page",
            SearchError::Unavailable => "unavailable",
        }
    }

    /// Every kind of problem once, for the catalogue check.
    pub fn examples() -> Vec<SearchError> {
        vec![
            SearchError::TooLong,
            SearchError::UnknownPostcode("KT12 9ZZ".into(), "KT12".into()),
            SearchError::UnknownPlace("Atlantis".into()),
            SearchError::BadAge,
            SearchError::BadDay,
            SearchError::BadWayIn,
            SearchError::BadDelivery,
            SearchError::BadDistance,
            SearchError::BadPage,
            SearchError::NoSuchPage { page: 9, pages: 2 },
            SearchError::Unavailable,
        ]
    }

    /// The problem in the page's language.
    pub fn explain(&self) -> String {
        let max = MAX_QUERY_CHARS.to_string();
        let (page, pages);
        let named: Vec<(&str, &str)> = match self {
            SearchError::TooLong => vec![("max", max.as_str())],
            SearchError::UnknownPostcode(postcode, outcode) => {
                vec![
                    ("postcode", postcode.as_str()),
                    ("outcode", outcode.as_str()),
                ]
            }
            SearchError::UnknownPlace(place) => vec![("place", place.as_str())],
            SearchError::NoSuchPage { page: p, pages: n } => {
                (page, pages) = (p.to_string(), n.to_string());
                vec![("page", page.as_str()), ("pages", pages.as_str())]
            }
            _ => vec![],
        };
        crate::kit::language::domain_words_with(
            "search-error",
            self.code(),
            &self.to_string(),
            &named,
        )
    }

    pub fn status(&self) -> StatusCode {
        match self {
            SearchError::NoSuchPage { .. } => StatusCode::NOT_FOUND,
            SearchError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// Where "near" turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub struct NearPlace {
    /// As we understood it: "EV1 1PS", "EV1 (district)", "Ashcombe".
    pub label: String,
    pub position: LatLon,
}

/// One result: the service as the public may see it, why it matched, and when it next opens.
#[derive(Debug, Clone)]
pub struct Found {
    pub service: Service,
    pub hit: Hit,
    pub next_open: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct SearchOutcome {
    pub words: String,
    pub near: Option<NearPlace>,
    pub needs: Vec<NeedId>,
    pub suggested: Vec<NeedMatch>,
    pub total: usize,
    pub page: u32,
    pub pages: u32,
    pub found: Vec<Found>,
}

fn filled(field: &Option<String>) -> Option<&str> {
    field.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn ticked(field: &Option<String>) -> bool {
    filled(field).is_some_and(|v| !matches!(v, "0" | "false" | "off" | "no"))
}

/// Finds where "near" is: a latitude and longitude, a postcode (falling back to its sector
/// and district), or a named place.
pub async fn locate(store: &dyn Store, near: &str) -> Result<NearPlace, SearchError> {
    if near.contains(',')
        && let Ok(position) = LatLon::parse(near)
    {
        return Ok(NearPlace {
            label: format!("{:.4}, {:.4}", position.lat, position.lon),
            position,
        });
    }
    let postcode = Postcode::parse(near);
    if let Ok(postcode) = &postcode {
        for candidate in std::iter::once(postcode.clone()).chain(postcode.fallbacks()) {
            if let Some(position) = store
                .postcode(&candidate)
                .await
                .map_err(|_| SearchError::Unavailable)?
            {
                let label = match (&candidate, postcode == &candidate) {
                    (_, true) => candidate.to_string(),
                    (Postcode::Sector(s), false) => format!("{s} (the area around {postcode})"),
                    (_, false) => format!("{candidate} (the area around {postcode})"),
                };
                return Ok(NearPlace { label, position });
            }
        }
    }
    if let Some(place) = store
        .place(near)
        .await
        .map_err(|_| SearchError::Unavailable)?
    {
        return Ok(NearPlace {
            label: place.name,
            position: place.position,
        });
    }
    match postcode {
        Ok(Postcode::Full(p)) => {
            let district = p.split(' ').next().unwrap_or(&p).to_owned();
            Err(SearchError::UnknownPostcode(p, district))
        }
        Ok(Postcode::Sector(p) | Postcode::District(p)) => Err(SearchError::UnknownPlace(p)),
        Err(_) if looks_like_a_postcode(near) => Err(SearchError::BadPostcode(BadPostcode(
            near.chars().take(20).collect(),
        ))),
        Err(_) => Err(SearchError::UnknownPlace(near.chars().take(60).collect())),
    }
}

/// Digits mixed with letters and no long words: someone tried a postcode.
fn looks_like_a_postcode(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit()) && s.split_whitespace().all(|w| w.len() <= 4)
}

/// The needs the matcher heard in a query, as hints that widen what the words find.
pub fn need_hints(suggested: &[NeedMatch]) -> Vec<(NeedId, f32)> {
    suggested.iter().map(|m| (m.need, m.score)).collect()
}

/// Runs a search. `now` decides "open now" and "next open".
pub async fn search(
    store: &dyn Store,
    engine: &Arc<SearchEngine>,
    request: &SearchRequest,
    now: DateTime<Utc>,
) -> Result<SearchOutcome, SearchError> {
    search_from(store, engine, request, None, now).await
}

/// As [`search`], with "near" already found: several searches from one place look it up once.
pub async fn search_from(
    store: &dyn Store,
    engine: &Arc<SearchEngine>,
    request: &SearchRequest,
    located: Option<&NearPlace>,
    now: DateTime<Utc>,
) -> Result<SearchOutcome, SearchError> {
    let words = filled(&request.q).unwrap_or("").to_owned();
    if words.chars().count() > MAX_QUERY_CHARS {
        return Err(SearchError::TooLong);
    }
    let needs = match filled(&request.need) {
        Some(need) => vec![NeedId::parse(need)?],
        None => vec![],
    };
    let age = filled(&request.age)
        .map(|a| {
            a.parse::<u16>()
                .ok()
                .filter(|a| *a <= knit_domain::validation::MAX_AGE)
                .ok_or(SearchError::BadAge)
        })
        .transpose()?;
    let day = filled(&request.day)
        .map(|d| opening::parse_weekday(d).ok_or(SearchError::BadDay))
        .transpose()?;
    let way_in = filled(&request.way_in)
        .map(|w| WayIn::parse(w).ok_or(SearchError::BadWayIn))
        .transpose()?;
    let delivery = filled(&request.delivery)
        .map(|d| Delivery::parse(d).ok_or(SearchError::BadDelivery))
        .transpose()?;
    let within_km = filled(&request.within)
        .map(|w| {
            w.parse::<f64>()
                .ok()
                .filter(|d| (1.0..=500.0).contains(d))
                .ok_or(SearchError::BadDistance)
        })
        .transpose()?;
    let page = filled(&request.page)
        .map(|p| {
            p.parse::<u32>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or(SearchError::BadPage)
        })
        .transpose()?
        .unwrap_or(1);
    let near = match (located, filled(&request.near)) {
        (Some(place), _) => Some(place.clone()),
        (None, Some(near)) => Some(locate(store, near).await?),
        (None, None) => None,
    };
    let local_now = opening::uk_local(now);
    let suggested = if words.is_empty() {
        vec![]
    } else {
        engine.matcher.match_text(&words)
    };
    let query = SearchQuery {
        words: words.clone(),
        need_hints: suggested.iter().map(|m| (m.need, m.score)).collect(),
        needs: needs.clone(),
        near: near.as_ref().map(|n| n.position),
        within_km,
        age,
        free_only: ticked(&request.free),
        day,
        open_at: ticked(&request.open_now).then(|| (local_now.date(), local_now.time())),
        way_in,
        delivery,
        page,
        per_page: PER_PAGE,
    };
    let results = engine
        .index
        .read()
        .map_err(|_| SearchError::Unavailable)?
        .search(&query);
    if results.total == 0 && !words.is_empty() {
        let need = suggested.first().map(|m| m.need.as_str());
        engine.misses.note(&words, filled(&request.near), need, now);
    }
    let pages = (results.total as u32).div_ceil(PER_PAGE).max(1);
    if page > pages {
        return Err(SearchError::NoSuchPage { page, pages });
    }
    let ids: Vec<_> = results.hits.iter().map(|h| h.id).collect();
    let services = store
        .services_by_id(&ids)
        .await
        .map_err(|_| SearchError::Unavailable)?;
    let found = results
        .hits
        .into_iter()
        .filter_map(|hit| {
            let service = services.iter().find(|s| s.id == hit.id)?.public_view();
            let next_open = opening::next_opening(&service.schedules, local_now);
            Some(Found {
                service,
                hit,
                next_open,
            })
        })
        .collect();
    Ok(SearchOutcome {
        words,
        near,
        needs,
        suggested,
        total: results.total,
        page,
        pages,
        found,
    })
}

/// "today at 10am", "tomorrow at 9:30am", "Tuesday at 10am", "Tuesday 9 December at 10am".
pub fn when(next: NaiveDateTime, now: NaiveDateTime) -> String {
    let days = (next.date() - now.date()).num_days();
    let at = knit_domain::time_of_day::TimeOfDay::from_hm(
        u16::try_from(chrono::Timelike::hour(&next)).unwrap_or(0),
        u16::try_from(chrono::Timelike::minute(&next)).unwrap_or(0),
    )
    .map(|t| t.plain())
    .unwrap_or_default();
    let weekday = || crate::kit::language::weekday_name(next.date());
    let day = match days {
        0 => crate::t("when-today"),
        1 => crate::t("when-tomorrow"),
        2..=6 => weekday(),
        _ => {
            let month = crate::kit::language::month_name(next.date());
            format!("{} {} {month}", weekday(), next.day())
        }
    };
    crate::t2("when-at", &("day", &day), &("time", &at))
}
