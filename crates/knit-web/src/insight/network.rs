//! How the network responds: who refers to whom, how long each organisation takes to first
//! answer a referral and to reach an outcome (median and 90th percentile, in working days),
//! the share completed and the share turned down and why; and the response promise each
//! organisation's public service pages carry ("usually answers referrals within 3 working
//! days"), from the last 90 days when there are enough referrals.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Utc};
use knit_domain::disclosure::{Disclosure, SUPPRESSED_MEANING, Shown};
use knit_domain::insight::{Histogram, PROMISE_DAYS, promise_text, response_promise, working_days};
use knit_domain::referral::RejectionReason;
use knit_store::Store;
use knit_store::insight::{Flow, Period, ReferralStates, ResponseBucket};
use uuid::Uuid;

use super::chart::{Chart, bar_chart};
use super::kept::{Counted, Worked};
use super::{Figures, last_days, may_see_exact, worked_at};
use crate::kit::{Allowed, PageResult};
use crate::{AppState, Site};

/// The window the staff page shows.
const DAYS_SHOWN: i64 = 365;
/// Pairs of organisations the page lists, the busiest first; a county has tens of
/// thousands, mostly of a few referrals each, and the CSV holds them all.
const FLOWS_LISTED: usize = 50;

/// A response promise for an organisation, from its referrals of the last 90 days.
pub async fn promise(
    store: &dyn Store,
    organization: Uuid,
    now: DateTime<Utc>,
) -> knit_store::Result<Option<String>> {
    let times = store
        .response_times(last_days(now, PROMISE_DAYS), Some(organization))
        .await?;
    let answers = histograms(&times.to_answer);
    Ok(answers
        .get(&organization)
        .and_then(response_promise)
        .map(promise_text))
}

fn histograms(buckets: &[ResponseBucket]) -> HashMap<Uuid, Histogram> {
    let mut out: HashMap<Uuid, Histogram> = HashMap::new();
    for b in buckets {
        out.entry(b.organization)
            .or_default()
            .add(working_days(b.sent_on, b.days), b.count);
    }
    out
}

/// One organisation's row.
pub(crate) struct OrgRow {
    pub name: String,
    pub received: Shown,
    pub answer_median: String,
    pub answer_p90: String,
    pub outcome_median: String,
    pub outcome_p90: String,
    pub completed: String,
    pub turned_down: String,
}

pub(crate) struct FlowRow {
    pub from: String,
    pub to: String,
    pub count: Shown,
}

/// Everything on the page, also what the CSV and the tests read.
pub(crate) struct NetworkFigures {
    pub organizations: Vec<OrgRow>,
    pub flows: Vec<FlowRow>,
    pub flow_total: Shown,
    pub reasons: Vec<(String, Shown)>,
    pub reasons_total: Shown,
}

fn days(value: Option<u32>, n: u64, disclosure: Disclosure) -> String {
    match value {
        Some(d) if disclosure.statistic_allowed(n) => d.to_string(),
        _ => "–".to_owned(),
    }
}

fn share(part: u64, base: u64, disclosure: Disclosure) -> String {
    disclosure
        .share(part, base)
        .map_or_else(|| "–".to_owned(), |s| format!("{s}%"))
}

/// What the page is made of, read from the database: everything but the disclosure, so
/// that exact figures are made in memory (`super::kept::Counted`).
pub(crate) struct NetworkCounts {
    states: Vec<ReferralStates>,
    answers: HashMap<Uuid, Histogram>,
    outcomes: HashMap<Uuid, Histogram>,
    flows: Vec<Flow>,
    names: HashMap<Uuid, String>,
}

pub(crate) async fn counts(store: &dyn Store, period: Period) -> knit_store::Result<NetworkCounts> {
    let states = store.referral_states(period).await?;
    let times = store.response_times(period, None).await?;
    let flows = store.referral_flow(period).await?;
    let mut ids: Vec<Uuid> = states.iter().map(|s| s.organization).collect();
    for f in &flows {
        ids.extend(f.from);
        ids.push(f.to);
    }
    ids.sort();
    ids.dedup();
    let names = store.organization_names(&ids).await?.into_iter().collect();
    Ok(NetworkCounts {
        states,
        answers: histograms(&times.to_answer),
        outcomes: histograms(&times.to_outcome),
        flows,
        names,
    })
}

/// The page's figures from its counts, for one disclosure: no I/O.
pub(crate) fn figures(c: &NetworkCounts, disclosure: Disclosure) -> NetworkFigures {
    let NetworkCounts {
        states,
        answers,
        outcomes,
        flows,
        names,
    } = c;
    // Per organisation: received, completed, turned down.
    let mut per_org: BTreeMap<Uuid, (u64, u64, u64)> = BTreeMap::new();
    let mut reasons: BTreeMap<String, u64> = BTreeMap::new();
    for s in states {
        let e = per_org.entry(s.organization).or_default();
        e.0 += s.count;
        match s.status.as_str() {
            "completed" => e.1 += s.count,
            "rejected" => {
                e.2 += s.count;
                let label = s
                    .reason
                    .as_deref()
                    .and_then(RejectionReason::from_code)
                    .map_or("No reason given", |r| r.label());
                *reasons.entry(label.to_owned()).or_default() += s.count;
            }
            _ => {}
        }
    }
    let name = |id: &Uuid| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| "An organisation no longer listed".to_owned())
    };

    let received: Vec<u64> = per_org.values().map(|v| v.0).collect();
    let (received, _) = disclosure.list(&received);
    let empty = Histogram::default();
    let mut organizations: Vec<OrgRow> = per_org
        .iter()
        .zip(received)
        .map(|((id, (n, completed, rejected)), shown)| {
            let a = answers.get(id).unwrap_or(&empty);
            let o = outcomes.get(id).unwrap_or(&empty);
            OrgRow {
                name: name(id),
                received: shown,
                answer_median: days(a.median(), a.n(), disclosure),
                answer_p90: days(a.percentile(90), a.n(), disclosure),
                outcome_median: days(o.median(), o.n(), disclosure),
                outcome_p90: days(o.percentile(90), o.n(), disclosure),
                completed: share(*completed, *n, disclosure),
                turned_down: share(*rejected, *n, disclosure),
            }
        })
        .collect();
    organizations.sort_by(|a, b| {
        b.received
            .value()
            .unwrap_or(0)
            .cmp(&a.received.value().unwrap_or(0))
            .then_with(|| a.name.cmp(&b.name))
    });

    let flow_counts: Vec<u64> = flows.iter().map(|f| f.count).collect();
    let (flow_shown, flow_total) = disclosure.list(&flow_counts);
    let mut flow_rows: Vec<FlowRow> = flows
        .iter()
        .zip(flow_shown)
        .map(|(f, count)| FlowRow {
            from: f
                .from
                .as_ref()
                .map_or_else(|| "The place's coordinators".to_owned(), &name),
            to: name(&f.to),
            count,
        })
        .collect();
    flow_rows.sort_by(|a, b| {
        b.count
            .value()
            .unwrap_or(0)
            .cmp(&a.count.value().unwrap_or(0))
            .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });

    let reason_counts: Vec<u64> = reasons.values().copied().collect();
    let (reason_shown, reasons_total) = disclosure.list(&reason_counts);
    NetworkFigures {
        organizations,
        flows: flow_rows,
        flow_total,
        reasons: reasons.into_keys().zip(reason_shown).collect(),
        reasons_total,
    }
}

#[derive(Template)]
#[template(path = "insight/network.html")]
struct NetworkPage<'a> {
    site: &'a Site,
    f: &'a NetworkFigures,
    worked_at: String,
    flows: &'a [FlowRow],
    more_flows: usize,
    exact: bool,
    may_see_exact: bool,
    days: i64,
    key: &'static str,
    reasons_chart: Chart,
    received_chart: Chart,
}

/// `/staff/insight/network`
pub(crate) async fn show(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(figures_wanted): Query<Figures>,
) -> PageResult {
    let disclosure = figures_wanted.disclosure(&allowed);
    let html = page(&state, disclosure, may_see_exact(&allowed)).await?;
    Ok(Html(html).into_response())
}

/// The page's figures for a disclosure, made from the kept counts (`super::kept`); the
/// counts are read again when stale.
async fn kept(
    state: &AppState,
    disclosure: Disclosure,
) -> Result<Worked<NetworkFigures>, crate::kit::PageError> {
    let worked = state.insight.network.get((), || read(state)).await?;
    Ok(worked.made(disclosure, |c| figures(c, disclosure)))
}

async fn read(
    state: &AppState,
) -> knit_store::Result<Counted<NetworkCounts, Disclosure, NetworkFigures>> {
    let period = last_days(Utc::now(), DAYS_SHOWN);
    Ok(Counted::new(counts(state.store.as_ref(), period).await?))
}

/// Reads the page's counts again ahead of time (`super::keep_fresh`).
pub(crate) async fn renew(state: &AppState) -> knit_store::Result<()> {
    state.insight.network.renew((), || read(state)).await
}

async fn page(
    state: &AppState,
    disclosure: Disclosure,
    may_see_exact: bool,
) -> Result<String, crate::kit::PageError> {
    let worked = kept(state, disclosure).await?;
    let f = worked.figures.as_ref();
    let reasons_chart = bar_chart("reasons", "Referrals turned down, by reason", &f.reasons);
    let top: Vec<(String, Shown)> = f
        .organizations
        .iter()
        .take(15)
        .map(|o| (o.name.clone(), o.received))
        .collect();
    let received_chart = bar_chart(
        "received",
        "Referrals received by the busiest organisations",
        &top,
    );
    let listed = f.flows.len().min(FLOWS_LISTED);
    NetworkPage {
        site: &state.site,
        f,
        worked_at: worked_at(worked.at),
        flows: &f.flows[..listed],
        more_flows: f.flows.len() - listed,
        exact: disclosure == Disclosure::Exact,
        may_see_exact,
        days: DAYS_SHOWN,
        key: SUPPRESSED_MEANING,
        reasons_chart,
        received_chart,
    }
    .render()
    .map_err(|e| crate::kit::PageError::Internal(format!("template failed: {e}")))
}

/// `/staff/insight/network.csv`
pub(crate) async fn csv(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(figures_wanted): Query<Figures>,
) -> Result<Response, crate::kit::PageError> {
    let disclosure = figures_wanted.disclosure(&allowed);
    let worked = kept(&state, disclosure).await?;
    let f = worked.figures.as_ref();
    let rows: Vec<Vec<String>> = f
        .organizations
        .iter()
        .map(|o| {
            vec![
                o.name.clone(),
                o.received.to_string(),
                o.answer_median.clone(),
                o.answer_p90.clone(),
                o.outcome_median.clone(),
                o.outcome_p90.clone(),
                o.completed.clone(),
                o.turned_down.clone(),
            ]
        })
        .collect();
    Ok(super::csv::download(
        "network-response.csv",
        &[
            "organisation",
            "referrals received",
            "median working days to first answer",
            "90th percentile working days to first answer",
            "median working days to outcome",
            "90th percentile working days to outcome",
            "share completed",
            "share turned down",
        ],
        &rows,
    ))
}

/// `/staff/insight/network-flows.csv`: every pair of organisations, not only the busiest.
pub(crate) async fn flows_csv(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(figures_wanted): Query<Figures>,
) -> Result<Response, crate::kit::PageError> {
    let disclosure = figures_wanted.disclosure(&allowed);
    let worked = kept(&state, disclosure).await?;
    let f = worked.figures.as_ref();
    let mut rows: Vec<Vec<String>> = f
        .flows
        .iter()
        .map(|r| vec![r.from.clone(), r.to.clone(), r.count.to_string()])
        .collect();
    rows.push(vec![
        "All referrals".to_owned(),
        String::new(),
        f.flow_total.to_string(),
    ]);
    Ok(super::csv::download(
        "network-flows.csv",
        &["from", "to", "referrals"],
        &rows,
    ))
}

/// The page as HTML: what `knit bench insight` times.
pub(crate) async fn page_html(
    state: &AppState,
    disclosure: Disclosure,
) -> Result<String, crate::kit::PageError> {
    page(state, disclosure, false).await
}
