//! Timing the insight pages as the server builds them (queries, figures, disclosure and
//! rendering), for `knit bench insight`.

use std::time::{Duration, Instant};

use crate::AppState;

/// One page's times: built from the database, then over several runs from the figures
/// kept (`super::kept`).
#[derive(Debug, Clone)]
pub struct PageTiming {
    pub page: &'static str,
    /// With no figures kept: the database's work and the page's.
    pub from_database: Duration,
    pub median: Duration,
    pub worst: Duration,
    pub bytes: usize,
}

/// Builds each insight page once with nothing kept, then `runs` times more, and reports
/// the first time, and the median and worst of the rest.
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
            let html = match page {
                "agency map (staff)" => super::map::page_html(state, true).await,
                "agency map (public)" => super::map::page_html(state, false).await,
                "network response" => super::network::page_html(state).await,
                _ => super::impact::page_html(state).await,
            }
            .map_err(|e| format!("{page}: {e:?}"))?;
            times.push(start.elapsed());
            bytes = html.len();
        }
        let from_database = times.remove(0);
        times.sort();
        out.push(PageTiming {
            page,
            from_database,
            median: times[times.len() / 2],
            worst: *times.last().expect("at least one run"),
            bytes,
        });
    }
    Ok(out)
}
