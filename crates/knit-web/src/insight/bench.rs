//! Timing the insight pages as the server builds them (queries, figures, disclosure and
//! rendering), for `knit bench insight`.

use std::time::{Duration, Instant};

use knit_domain::disclosure::Disclosure;

use crate::AppState;

/// One page's times: built from the database, then over several runs from the counts
/// kept (`super::kept`), and once asked another way (another distance, exact figures).
#[derive(Debug, Clone)]
pub struct PageTiming {
    pub page: &'static str,
    /// With nothing kept: the database's work and the page's.
    pub from_database: Duration,
    pub median: Duration,
    pub worst: Duration,
    /// The first view asked another way, made from the kept counts.
    pub asked_otherwise: Duration,
    pub bytes: usize,
}

/// How a page is asked for: as usual, or another way that the kept counts serve too.
#[derive(Clone, Copy)]
enum Asked {
    Usually,
    Otherwise,
}

async fn page_html(state: &AppState, page: &str, asked: Asked) -> Result<String, String> {
    let (within, disclosure) = match asked {
        Asked::Usually => (super::map::DEFAULT_WITHIN_KM, Disclosure::Controlled),
        Asked::Otherwise => (8.0, Disclosure::Exact),
    };
    match page {
        "agency map (staff)" => super::map::page_html(state, true, within).await,
        "agency map (public)" => super::map::page_html(state, false, within).await,
        "network response" => super::network::page_html(state, disclosure).await,
        _ => super::impact::page_html(state).await,
    }
    .map_err(|e| format!("{page}: {e:?}"))
}

/// Builds each insight page once with nothing kept, then `runs` times more, then once
/// asked another way, and reports the first time, the median and worst of the runs, and
/// the last.
pub async fn time_pages(state: &AppState, runs: usize) -> Result<Vec<PageTiming>, String> {
    let mut out = Vec::new();
    for page in [
        "agency map (staff)",
        "agency map (public)",
        "network response",
        "impact report",
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        state.insight.forget();
        for _ in 0..=runs.max(1) {
            let start = Instant::now();
            let html = page_html(state, page, Asked::Usually).await?;
            times.push(start.elapsed());
            bytes = html.len();
        }
        let start = Instant::now();
        page_html(state, page, Asked::Otherwise).await?;
        let asked_otherwise = start.elapsed();
        let from_database = times.remove(0);
        times.sort();
        out.push(PageTiming {
            page,
            from_database,
            median: times[times.len() / 2],
            worst: *times.last().expect("at least one run"),
            asked_otherwise,
            bytes,
        });
    }
    Ok(out)
}
