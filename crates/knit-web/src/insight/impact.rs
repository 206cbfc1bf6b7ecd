//! The impact report for a date range and area, printable: people supported, needs by
//! domain over time, outcomes per need, wellbeing before and after (ONS4 and SWEMWBS, with
//! n and the share with a meaningful change), connectors' figures and training by
//! organisation. Casework keeps no area in clear (a person's address is sealed), so the
//! area narrows the connectors' figures, which are logged by area; the page says so.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{Months, NaiveDate, Utc};
use knit_domain::casework::NeedOutcome;
use knit_domain::disclosure::{Disclosure, SUPPRESSED_MEANING, Shown};
use knit_domain::insight::WellbeingSummary;
use knit_domain::needs::NeedDomain;
use knit_domain::training::TrainingKind;
use knit_domain::wellbeing::MeasureKind;
use knit_store::Store;
use knit_store::insight::Period;
use serde::Deserialize;

use super::chart::{Chart, bar_chart};
use super::{Figures, may_see_exact};
use crate::kit::{Allowed, PageError, PageResult, render};
use crate::{AppState, Site};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ImpactQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    area: Option<String>,
    #[serde(flatten)]
    figures: Figures,
}

/// The report's period and area as asked, checked.
pub(crate) struct Asked {
    pub from: NaiveDate,
    /// Inclusive.
    pub to: NaiveDate,
    pub area: Option<String>,
}

impl ImpactQuery {
    fn asked(&self, today: NaiveDate) -> Result<Asked, PageError> {
        let date = |field: &Option<String>, what: &str| -> Result<Option<NaiveDate>, PageError> {
            match field.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| {
                        PageError::BadRequest(format!(
                            "The {what} date must be a date such as 2026-04-01."
                        ))
                    }),
            }
        };
        let to = date(&self.to, "end")?.unwrap_or(today);
        let from = date(&self.from, "start")?
            .unwrap_or_else(|| to.checked_sub_months(Months::new(12)).unwrap_or(to));
        if from > to {
            return Err(PageError::BadRequest(
                "The start date must come before the end date.".into(),
            ));
        }
        let area = self
            .area
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| a.chars().take(60).collect());
        Ok(Asked { from, to, area })
    }
}

pub(crate) struct WellbeingRow {
    pub measure: &'static str,
    pub n: Shown,
    pub better: String,
    pub worse: String,
}

pub(crate) struct ImpactFigures {
    pub people: Shown,
    pub months: Vec<String>,
    pub domains: Vec<(&'static str, Vec<Shown>, Shown)>,
    pub month_totals: Vec<Shown>,
    pub domains_total: Shown,
    pub outcome_labels: Vec<&'static str>,
    pub outcomes: Vec<(&'static str, Vec<Shown>, Shown)>,
    pub outcome_totals: Vec<Shown>,
    pub outcomes_total: Shown,
    pub wellbeing: Vec<WellbeingRow>,
    pub conversations: Shown,
    pub offers: Shown,
    pub hand_offs: Shown,
    pub connectors: Shown,
    pub training_kinds: Vec<&'static str>,
    pub training: Vec<(String, Vec<Shown>, Shown)>,
    pub training_totals: Vec<Shown>,
    pub training_total: Shown,
}

pub(crate) async fn figures(
    store: &dyn Store,
    asked: &Asked,
    disclosure: Disclosure,
) -> knit_store::Result<ImpactFigures> {
    let start = asked.from.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let end_day = asked.to + chrono::Days::new(1);
    let until = end_day.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let period = Period { from: start, until };

    let people = disclosure.count(store.people_supported(period).await?);

    // Needs by domain and month.
    let by_month = store.casework_needs_by_month(period).await?;
    let mut months: Vec<String> = by_month.iter().map(|m| m.month.clone()).collect();
    months.sort();
    months.dedup();
    let mut grid: BTreeMap<NeedDomain, Vec<u64>> = BTreeMap::new();
    for m in &by_month {
        let i = months.iter().position(|x| *x == m.month).unwrap_or(0);
        grid.entry(m.need.need().domain)
            .or_insert_with(|| vec![0; months.len()])[i] += m.count;
    }
    let domain_keys: Vec<NeedDomain> = grid.keys().copied().collect();
    let table = disclosure.table(&grid.values().cloned().collect::<Vec<_>>());
    let domains = domain_keys
        .iter()
        .enumerate()
        .map(|(i, d)| (d.label(), table.cells[i].clone(), table.row_totals[i]))
        .collect();

    // Outcomes per need.
    let outcomes = store.outcomes_by_need(period).await?;
    let mut per_need: BTreeMap<&'static str, Vec<u64>> = BTreeMap::new();
    let columns = NeedOutcome::ALL.len() + 1;
    for o in &outcomes {
        let j = o
            .outcome
            .as_deref()
            .and_then(NeedOutcome::from_code)
            .and_then(|x| NeedOutcome::ALL.iter().position(|y| *y == x))
            .unwrap_or(NeedOutcome::ALL.len());
        per_need
            .entry(o.need.need().label)
            .or_insert_with(|| vec![0; columns])[j] += o.count;
    }
    let outcome_table = disclosure.table(&per_need.values().cloned().collect::<Vec<_>>());
    let mut outcome_labels: Vec<&'static str> =
        NeedOutcome::ALL.iter().map(|o| o.label()).collect();
    outcome_labels.push("Still open");
    let outcome_rows = per_need
        .keys()
        .enumerate()
        .map(|(i, need)| {
            (
                *need,
                outcome_table.cells[i].clone(),
                outcome_table.row_totals[i],
            )
        })
        .collect();

    // Wellbeing before and after.
    let mut ons4 = WellbeingSummary::default();
    let mut swemwbs = WellbeingSummary::default();
    for pair in store.measure_pairs(period).await? {
        if let Ok(change) = pair.first.change_to(&pair.last) {
            match pair.kind {
                MeasureKind::Ons4 => ons4.add(&change),
                MeasureKind::Swemwbs => swemwbs.add(&change),
            }
        }
    }
    let row = |measure: &'static str, s: WellbeingSummary| WellbeingRow {
        measure,
        n: disclosure.count(s.n),
        better: disclosure
            .share(s.better, s.n)
            .map_or_else(|| "–".to_owned(), |p| format!("{p}%")),
        worse: disclosure
            .share(s.worse, s.n)
            .map_or_else(|| "–".to_owned(), |p| format!("{p}%")),
    };
    let wellbeing = vec![
        row("ONS4 (life satisfaction, 2 points or more)", ons4),
        row("SWEMWBS (3 points or more)", swemwbs),
    ];

    // Connectors.
    let totals = store
        .conversation_totals(asked.from, end_day, asked.area.as_deref())
        .await?;

    // Training by organisation.
    let training = store.training_by_organization(period).await?;
    let kinds = [
        TrainingKind::Connector,
        TrainingKind::Refresher,
        TrainingKind::Joint,
    ];
    let mut by_org: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for t in &training {
        let j = kinds
            .iter()
            .position(|k| k.code() == t.kind)
            .unwrap_or(kinds.len() - 1);
        let org = if t.organization.trim().is_empty() {
            "No organisation given".to_owned()
        } else {
            t.organization.trim().to_owned()
        };
        by_org.entry(org).or_insert_with(|| vec![0; kinds.len()])[j] += t.attended;
    }
    let training_table = disclosure.table(&by_org.values().cloned().collect::<Vec<_>>());
    let training_rows = by_org
        .keys()
        .enumerate()
        .map(|(i, org)| {
            (
                org.clone(),
                training_table.cells[i].clone(),
                training_table.row_totals[i],
            )
        })
        .collect();

    Ok(ImpactFigures {
        people,
        months,
        domains,
        month_totals: table.column_totals,
        domains_total: table.total,
        outcome_labels,
        outcomes: outcome_rows,
        outcome_totals: outcome_table.column_totals,
        outcomes_total: outcome_table.total,
        wellbeing,
        conversations: disclosure.count(totals.conversations),
        offers: disclosure.count(totals.offers_of_help),
        hand_offs: disclosure.count(totals.hand_offs),
        connectors: disclosure.count(totals.connectors),
        training_kinds: kinds.iter().map(|k| k.label()).collect(),
        training: training_rows,
        training_totals: training_table.column_totals,
        training_total: training_table.total,
    })
}

#[derive(Template)]
#[template(path = "insight/impact.html")]
struct ImpactPage<'a> {
    site: &'a Site,
    f: ImpactFigures,
    from: String,
    to: String,
    area: String,
    period: String,
    exact: bool,
    may_see_exact: bool,
    key: &'static str,
    domains_chart: Chart,
}

/// `/staff/insight/impact`
pub(crate) async fn show(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(q): Query<ImpactQuery>,
) -> PageResult {
    let today = knit_domain::opening::uk_local(Utc::now()).date();
    let asked = q.asked(today)?;
    let disclosure = q.figures.disclosure(&allowed);
    let f = figures(state.store.as_ref(), &asked, disclosure).await?;
    let bars: Vec<(String, Shown)> = f
        .domains
        .iter()
        .map(|(d, _, total)| ((*d).to_owned(), *total))
        .collect();
    Ok(render(
        &ImpactPage {
            site: &state.site,
            domains_chart: bar_chart(
                "domains",
                "Needs raised in casework, by kind of need",
                &bars,
            ),
            f,
            from: asked.from.to_string(),
            to: asked.to.to_string(),
            period: format!(
                "{} to {}",
                asked.from.format("%-d %B %Y"),
                asked.to.format("%-d %B %Y")
            ),
            area: asked.area.clone().unwrap_or_default(),
            exact: disclosure == Disclosure::Exact,
            may_see_exact: may_see_exact(&allowed),
            key: SUPPRESSED_MEANING,
        },
        StatusCode::OK,
    ))
}

/// The last year's report as HTML, with published figures: what `knit bench insight` times.
pub(crate) async fn page_html(state: &AppState) -> Result<String, PageError> {
    let today = knit_domain::opening::uk_local(Utc::now()).date();
    let asked = ImpactQuery::default().asked(today)?;
    let f = figures(state.store.as_ref(), &asked, Disclosure::Controlled).await?;
    let bars: Vec<(String, Shown)> = f
        .domains
        .iter()
        .map(|(d, _, total)| ((*d).to_owned(), *total))
        .collect();
    ImpactPage {
        site: &state.site,
        domains_chart: bar_chart(
            "domains",
            "Needs raised in casework, by kind of need",
            &bars,
        ),
        f,
        from: asked.from.to_string(),
        to: asked.to.to_string(),
        period: String::new(),
        area: String::new(),
        exact: false,
        may_see_exact: false,
        key: SUPPRESSED_MEANING,
    }
    .render()
    .map_err(|e| PageError::Internal(format!("template failed: {e}")))
}
