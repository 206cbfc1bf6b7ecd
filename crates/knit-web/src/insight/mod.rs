//! Place insight: what the network's own records say about how it is doing. Where the
//! needs matcher is weak (`matcher`); searches that found nothing (`misses`); how the
//! network responds to referrals (`network`); the agency map of supply and demand by need
//! and area, for place leads and in public without casework (`map`); and the impact report
//! (`impact`). Every count is published through `knit_domain::disclosure`: suppressed and
//! rounded, unless the viewer's role allows exact figures and they ask for them.

pub mod bench;
pub(crate) mod chart;
pub(crate) mod csv;
pub(crate) mod impact;
pub mod kept;
pub(crate) mod map;
pub(crate) mod matcher;
pub mod misses;
pub(crate) mod network;

use chrono::{DateTime, Utc};
use knit_domain::access::{Action, decide};
use knit_domain::disclosure::Disclosure;
use serde::Deserialize;

use crate::kit::Allowed;

/// `?exact=1` on a staff insight page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Figures {
    #[serde(default)]
    exact: Option<String>,
}

impl Figures {
    /// Exact figures only when asked for and the policy allows them.
    pub(crate) fn disclosure(&self, allowed: &Allowed) -> Disclosure {
        let asked = self.exact.as_deref().is_some_and(|v| v == "1");
        if asked && decide(allowed.actor(), &Action::ViewExactFigures).is_allowed() {
            Disclosure::Exact
        } else {
            Disclosure::Controlled
        }
    }
}

/// Whether the viewer may switch to exact figures.
pub(crate) fn may_see_exact(allowed: &Allowed) -> bool {
    decide(allowed.actor(), &Action::ViewExactFigures).is_allowed()
}

/// How often `keep_fresh` looks for figures about to go stale.
const RENEW_CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// Keeps the insight pages' counts fresh for as long as the process runs: the maps' (one
/// set serves the public and the staff map) and the network page's, read at start and
/// again before they go stale, whether or not anyone looked, so that no view waits for the
/// database. A failure is logged and tried again at the next check.
pub async fn keep_fresh(state: crate::AppState) {
    loop {
        if !state.insight.map.due(&[()]).is_empty()
            && let Err(e) = map::renew(&state).await
        {
            tracing::warn!(error = %e, "could not read the agency map's counts");
        }
        if !state.insight.network.due(&[()]).is_empty()
            && let Err(e) = network::renew(&state).await
        {
            tracing::warn!(error = %e, "could not read the network's counts");
        }
        tokio::time::sleep(RENEW_CHECK_EVERY).await;
    }
}

/// When kept figures were worked out, and how often they are, as the page says it.
pub(crate) fn worked_at(at: DateTime<Utc>) -> String {
    let local = knit_domain::opening::uk_local(at);
    let date = crate::kit::language::day_month_year(local.date());
    let when = crate::t2(
        "insight-worked-at-when",
        &("time", &local.format("%H:%M").to_string()),
        &("date", &date),
    );
    crate::t2(
        "insight-worked-at",
        &("when", &when),
        &("minutes", &(kept::FRESH_FOR.as_secs() / 60).to_string()),
    )
}

/// The last `days` days to `now`.
pub(crate) fn last_days(now: DateTime<Utc>, days: i64) -> knit_store::insight::Period {
    knit_store::insight::Period {
        from: now - chrono::TimeDelta::days(days),
        until: now,
    }
}

#[derive(askama::Template)]
#[template(path = "insight/index.html")]
struct IndexPage<'a> {
    site: &'a crate::Site,
}

/// `/staff/insight`
pub(crate) async fn index(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
) -> crate::kit::PageResult {
    Ok(crate::kit::render(
        &IndexPage { site: &state.site },
        axum::http::StatusCode::OK,
    ))
}
