//! Timing the insight pages as the server builds them (queries, figures, disclosure and
//! rendering), for `knit bench insight`.

use std::time::{Duration, Instant};

use crate::AppState;

/// One page's times over several runs.
#[derive(Debug, Clone)]
pub struct PageTiming {
    pub page: &'static str,
    pub median: Duration,
    pub worst: Duration,
    pub bytes: usize,
}

/// Builds each insight page `runs` times and reports the median and worst.
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
        for _ in 0..runs.max(1) {
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
        times.sort();
        out.push(PageTiming {
            page,
            median: times[times.len() / 2],
            worst: *times.last().expect("at least one run"),
            bytes,
        });
    }
    Ok(out)
}
