//! `/staff/matcher`: for each need, how often coordinators kept or removed what Knit
//! suggested from a person's words, and how often they added it when Knit had missed it.
//! Counts only: no person, no words, no member of staff.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Months, Utc};

use crate::kit::{PageResult, render};
use crate::{AppState, Site};

/// The counts shown: the last year's.
const MONTHS_SHOWN: u32 = 12;

struct NeedRow {
    label: &'static str,
    kept: u64,
    removed: u64,
    added: u64,
    /// Of what Knit suggested, the share coordinators kept, as a whole percentage.
    kept_share: Option<u64>,
}

#[derive(Template)]
#[template(path = "staff/matcher_corrections.html")]
struct MatcherPage<'a> {
    site: &'a Site,
    months: u32,
    rows: Vec<NeedRow>,
}

pub(crate) async fn show(State(state): State<AppState>) -> PageResult {
    let now = Utc::now();
    let since = now
        .checked_sub_months(Months::new(MONTHS_SHOWN - 1))
        .unwrap_or(now);
    let counts = state.store.correction_counts(since).await?;
    let mut rows: Vec<NeedRow> = counts
        .into_iter()
        .map(|c| {
            let suggested = c.kept + c.removed;
            NeedRow {
                label: c.need.need().label,
                kept: c.kept,
                removed: c.removed,
                added: c.added,
                kept_share: (suggested > 0).then(|| c.kept * 100 / suggested),
            }
        })
        .collect();
    // Weakest first: most missed and most often wrongly suggested.
    rows.sort_by_key(|r| std::cmp::Reverse(r.added + r.removed));
    Ok(render(
        &MatcherPage {
            site: &state.site,
            months: MONTHS_SHOWN,
            rows,
        },
        StatusCode::OK,
    ))
}
