//! The directory: the public home, results and service pages, "tell us what's going on",
//! problem reports about listings, and the staff side that keeps listings and
//! organisations true (listing changes, 6- and 12-month checks, organisation approval).

pub mod listing_checks;
pub(crate) mod listings;
pub(crate) mod organisations;
pub(crate) mod problem_reports;
pub mod search;
pub(crate) mod service_page;
pub(crate) mod tell_us;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use knit_domain::directory::{Delivery, KnitTerm, WayIn};
use knit_domain::needs::{NeedDomain, NeedId};
use knit_search::Reason;
use uuid::Uuid;

use crate::kit::{PageError, PageResult, language, render};
use crate::{AppState, Site};
use search::{Found, SearchOutcome, SearchRequest};

struct DomainLinks {
    label: String,
    /// Each need's id and name.
    needs: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    site: &'a Site,
    service_count: usize,
    domains: Vec<DomainLinks>,
}

pub(crate) async fn home(State(state): State<AppState>) -> PageResult {
    let domains = NeedDomain::ALL
        .iter()
        .map(|d| DomainLinks {
            label: language::domain_label(*d),
            needs: d
                .needs()
                .map(|n| (n.id.to_string(), language::need_label(n)))
                .collect(),
        })
        .collect();
    Ok(render(
        &HomePage {
            site: &state.site,
            service_count: state.engine.len(),
            domains,
        },
        StatusCode::OK,
    ))
}

/// The search form as typed, to show back.
#[derive(Default)]
struct FormValues {
    q: String,
    near: String,
    need: String,
    age: String,
    free: bool,
    day: String,
    open_now: bool,
    way_in: String,
    delivery: String,
}

/// One service in a list of results, as every page that lists services shows it.
pub(crate) struct ResultItem {
    id: Uuid,
    name: String,
    organization: String,
    status: String,
    summary: String,
    distance: Option<String>,
    next_open: Option<String>,
    way_in: String,
    free: bool,
    why: String,
}

pub(crate) fn way_in_words(way_in: WayIn) -> String {
    language::domain_words("way-in", way_in.code(), way_in.label())
}

impl ResultItem {
    pub(crate) fn of(
        found: &Found,
        local_now: chrono::NaiveDateTime,
        summary_chars: usize,
    ) -> ResultItem {
        let service = &found.service;
        ResultItem {
            id: service.id,
            name: service.name.clone(),
            organization: service
                .organization
                .as_ref()
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            status: service_page::status_note(service.status),
            summary: summary(service.description.as_deref().unwrap_or(""), summary_chars),
            distance: found.hit.distance_km.map(distance),
            next_open: found.next_open.map(|n| search::when(n, local_now)),
            way_in: way_in_words(service.way_in().unwrap_or(WayIn::SelfRefer)),
            free: service.is_free(),
            why: why(found),
        }
    }
}

#[derive(Template)]
#[template(path = "results.html")]
struct ResultsPage<'a> {
    site: &'a Site,
    heading: String,
    error: Option<String>,
    form: FormValues,
    suggested: Vec<String>,
    days: Vec<(&'static str, String)>,
    ways_in: Vec<(&'static str, String)>,
    deliveries: Vec<(&'static str, String)>,
    items: Vec<ResultItem>,
    page: u32,
    pages: u32,
    previous: Option<String>,
    next: Option<String>,
}

const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

fn options<T: KnitTerm>(prefix: &str) -> Vec<(&'static str, String)> {
    T::ALL
        .iter()
        .map(|t| {
            (
                t.code(),
                language::domain_words(prefix, t.code(), t.label()),
            )
        })
        .collect()
}

fn days() -> Vec<(&'static str, String)> {
    DAYS.iter()
        .map(|(code, name)| (*code, language::domain_words("day", code, name)))
        .collect()
}

/// Cuts text at a word boundary so a result stays short on a small screen.
pub(crate) fn summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end_matches([',', '.', ';', ':']))
}

pub(crate) fn distance(km: f64) -> String {
    let miles = km / 1.609_344;
    if miles < 0.1 {
        crate::t("distance-under-tenth")
    } else {
        crate::t1("distance-miles", "miles", format!("{miles:.1}"))
    }
}

fn why(found: &Found) -> String {
    let mut parts = Vec::new();
    for reason in &found.hit.reasons {
        match reason {
            Reason::Words(words) if !words.is_empty() => {
                parts.push(crate::t1("why-mentions", "words", words.join(", ")))
            }
            Reason::Need(need) => {
                let need = language::need_label(need.need()).to_lowercase();
                parts.push(crate::t1("why-helps-with", "need", need))
            }
            _ => {}
        }
    }
    parts.join("; ")
}

fn page_link(raw: &str, page: u32) -> String {
    let mut pairs: Vec<String> = raw
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("page="))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("page={page}"));
    format!("/search?{}", pairs.join("&"))
}

fn heading(outcome: &SearchOutcome) -> String {
    let mut heading = crate::t_count("results-count", outcome.total);
    if !outcome.words.is_empty() {
        heading.push(' ');
        heading.push_str(&crate::t1("results-for-words", "words", &outcome.words));
    }
    if let [need] = outcome.needs.as_slice() {
        let need = language::need_label(need.need()).to_lowercase();
        heading.push(' ');
        heading.push_str(&crate::t1("results-for-need", "need", need));
    }
    if let Some(near) = &outcome.near {
        heading.push(' ');
        heading.push_str(&crate::t1("results-near-place", "place", &near.label));
    }
    heading
}

pub(crate) async fn results(State(state): State<AppState>, RawQuery(raw): RawQuery) -> PageResult {
    let raw = raw.unwrap_or_default();
    let request = search_request(&raw)?;
    let form = FormValues {
        q: request
            .q
            .clone()
            .unwrap_or_default()
            .chars()
            .take(search::MAX_QUERY_CHARS)
            .collect(),
        near: request
            .near
            .clone()
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect(),
        need: request
            .need
            .clone()
            .filter(|n| NeedId::parse(n).is_ok())
            .unwrap_or_default(),
        age: request
            .age
            .clone()
            .unwrap_or_default()
            .chars()
            .take(3)
            .collect(),
        free: request.free.is_some(),
        day: request.day.clone().unwrap_or_default(),
        open_now: request.open_now.is_some(),
        way_in: request.way_in.clone().unwrap_or_default(),
        delivery: request.delivery.clone().unwrap_or_default(),
    };
    let mut page = ResultsPage {
        site: &state.site,
        heading: crate::t("results-title"),
        error: None,
        form,
        suggested: vec![],
        days: days(),
        ways_in: options::<WayIn>("way-in"),
        deliveries: options::<Delivery>("delivery"),
        items: vec![],
        page: 1,
        pages: 1,
        previous: None,
        next: None,
    };
    let now = chrono::Utc::now();
    match search::search(state.store.as_ref(), &state.engine, &request, now).await {
        Ok(outcome) => {
            let local_now = knit_domain::opening::uk_local(now);
            page.heading = heading(&outcome);
            page.suggested = outcome
                .suggested
                .iter()
                .map(|m| language::need_label(m.need.need()))
                .collect();
            page.items = outcome
                .found
                .iter()
                .map(|f| ResultItem::of(f, local_now, 180))
                .collect();
            page.page = outcome.page;
            page.pages = outcome.pages;
            page.previous = (outcome.page > 1).then(|| page_link(&raw, outcome.page - 1));
            page.next = (outcome.page < outcome.pages).then(|| page_link(&raw, outcome.page + 1));
            Ok(render(&page, StatusCode::OK))
        }
        Err(e) => {
            let status = e.status();
            page.heading = crate::t("results-problem");
            page.error = Some(e.explain());
            Ok(render(&page, status))
        }
    }
}

/// Reads a query string; text that is not valid UTF-8 gets a clear message, not a 500.
fn search_request(raw: &str) -> Result<SearchRequest, PageError> {
    let pairs = form_urlencoded_pairs(raw)?;
    let mut request = SearchRequest::default();
    for (key, value) in pairs {
        let slot = match key.as_str() {
            "q" => &mut request.q,
            "near" => &mut request.near,
            "need" => &mut request.need,
            "age" => &mut request.age,
            "free" => &mut request.free,
            "day" => &mut request.day,
            "open_now" => &mut request.open_now,
            "way_in" => &mut request.way_in,
            "delivery" => &mut request.delivery,
            "within" => &mut request.within,
            "page" => &mut request.page,
            _ => continue,
        };
        *slot = Some(value);
    }
    Ok(request)
}

pub(crate) fn form_urlencoded_pairs(raw: &str) -> Result<Vec<(String, String)>, PageError> {
    let bad = || PageError::BadRequest(crate::t("search-unreadable-address"));
    let decode = |s: &str| -> Result<String, PageError> {
        let bytes: Vec<u8> = percent_decode(&s.replace('+', " ")).ok_or_else(bad)?;
        String::from_utf8(bytes).map_err(|_| bad())
    };
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_cut_at_a_word() {
        assert_eq!(summary("short", 10), "short");
        assert_eq!(
            summary("Emergency food parcels, toiletries and a chat", 25),
            "Emergency food parcels…"
        );
    }

    #[test]
    fn query_strings_decode_or_say_why_not() {
        let pairs = form_urlencoded_pairs("q=food+bank&near=EV1%201PS").unwrap();
        assert_eq!(
            pairs,
            [
                ("q".into(), "food bank".into()),
                ("near".into(), "EV1 1PS".into())
            ]
        );
        assert!(form_urlencoded_pairs("q=%FF%FE").is_err());
        assert!(form_urlencoded_pairs("q=%G1").is_err());
    }

    #[test]
    fn page_links_keep_the_search() {
        assert_eq!(
            page_link("q=food&page=2&free=1", 3),
            "/search?q=food&free=1&page=3"
        );
    }
}
