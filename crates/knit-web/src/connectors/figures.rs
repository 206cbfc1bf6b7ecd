//! Local Connector figures: for place leads the whole town's (`/staff/connectors/figures`,
//! `Action::ViewReports`), for each connector their own (`/staff/my-figures`,
//! `Action::ViewOwnConnectorFigures`). Counts only: nothing here can name a person.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use knit_domain::connector::{ACTIVE_DAYS, conversations_per_connector_per_year};
use knit_domain::opening::uk_local;
use knit_domain::training::refresher_due;
use knit_store::connectors::ConnectorFigures;

use crate::kit::{Allowed, PageError, PageResult, render};
use crate::{AppState, Site};

struct MonthNeeds {
    month: String,
    needs: Vec<(&'static str, u64)>,
}

#[derive(Template)]
#[template(path = "staff/connector_figures.html")]
struct FiguresPage<'a> {
    site: &'a Site,
    own: bool,
    figures: ConnectorFigures,
    per_connector_per_year: String,
    active_days: i64,
    months: Vec<MonthNeeds>,
    code: String,
    refresher: String,
    /// For place leads: connectors due a refresher, as (name, trained on).
    due: Vec<(String, String)>,
}

fn month_label(month: &str) -> String {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|_| month.to_owned())
}

fn months(figures: &ConnectorFigures) -> Vec<MonthNeeds> {
    let mut out: Vec<MonthNeeds> = Vec::new();
    for (month, need, n) in &figures.needs_by_month {
        let label = month_label(month);
        match out.last_mut() {
            Some(last) if last.month == label => last.needs.push((need.need().label, *n)),
            _ => out.push(MonthNeeds {
                month: label,
                needs: vec![(need.need().label, *n)],
            }),
        }
    }
    for m in &mut out {
        m.needs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    }
    out
}

/// `/staff/connectors/figures`: the town's figures, for place leads.
pub(crate) async fn place(State(state): State<AppState>) -> PageResult {
    let now = Utc::now();
    let today = uk_local(now).date();
    let (figures, due) = match (
        state.store.connector_figures(None, today).await,
        state.store.refreshers_due(today).await,
    ) {
        (Ok(f), Ok(d)) => (f, d),
        (Err(e), _) | (_, Err(e)) => return Err(PageError::internal(e)),
    };
    let rate =
        conversations_per_connector_per_year(figures.conversations_last_year, figures.trained)
            .map_or_else(|| "none yet".to_owned(), |r| format!("{r:.1}"));
    Ok(render(
        &FiguresPage {
            site: &state.site,
            own: false,
            per_connector_per_year: rate,
            active_days: ACTIVE_DAYS,
            months: months(&figures),
            figures,
            code: String::new(),
            refresher: String::new(),
            due: due
                .into_iter()
                .map(|d| (d.name, d.trained_on.format("%-d %B %Y").to_string()))
                .collect(),
        },
        StatusCode::OK,
    ))
}

/// `/staff/my-figures`: a connector's own.
pub(crate) async fn own(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
) -> PageResult {
    let now = Utc::now();
    let today = uk_local(now).date();
    let me = signed_in.user.id;
    let (figures, record) = match (
        state.store.connector_figures(Some(me), today).await,
        state.store.connector(me).await,
    ) {
        (Ok(f), Ok(r)) => (f, r),
        (Err(e), _) | (_, Err(e)) => return Err(PageError::internal(e)),
    };
    Ok(render(
        &FiguresPage {
            site: &state.site,
            own: true,
            per_connector_per_year: figures.conversations_last_year.to_string(),
            active_days: ACTIVE_DAYS,
            months: months(&figures),
            code: record
                .as_ref()
                .map(|r| r.code.to_string())
                .unwrap_or_default(),
            refresher: record
                .map(|r| refresher_due(r.trained_on).format("%-d %B %Y").to_string())
                .unwrap_or_default(),
            due: vec![],
            figures,
        },
        StatusCode::OK,
    ))
}
