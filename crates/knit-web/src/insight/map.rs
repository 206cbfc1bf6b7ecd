//! The agency map: what the place offers (services, hours open a week, organisations) by
//! need and area, against what people asked for (needs raised in connectors' conversations
//! and in casework, searches that found nothing, referrals turned down for lack of
//! capacity); the gaps (needs asked for with no service within a distance of an area) and
//! overlaps (several organisations meeting the same need in the same area). Place leads see
//! `/staff/insight/map`; the public `/insight/map` carries no casework figures at all.
//!
//! Supply figures count listings, which are public, and are shown as they are; every
//! figure about people goes through `knit_domain::disclosure`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{TimeDelta, Utc};
use knit_domain::disclosure::{Disclosure, SUPPRESSED_MEANING, Shown};
use knit_domain::geo::LatLon;
use knit_domain::insight::{
    AreaLevel, AreaPoint, SupplyPoint, first_kept_month, gaps, overlaps, weekly_minutes,
};
use knit_domain::needs::{NEEDS, NeedId};
use knit_domain::wards::WardMap;
use knit_store::Store;
use knit_store::insight::{PlacedService, SearchMiss, SupplyCell};
use serde::Deserialize;
use uuid::Uuid;

use super::chart::{Chart, bar_chart, heat};
use super::kept::{Counted, MapKey, Worked};
use super::{Figures, last_days, may_see_exact, worked_at};
use crate::kit::{Allowed, PageError, PageResult, render};
use crate::{AppState, Site};

/// How far from an area's centre a service may be and still meet its need.
pub const DEFAULT_WITHIN_KM: f64 = 5.0;
/// Rows listed of gaps and overlaps.
const LISTED: usize = 100;
/// Demand is counted over the last year.
const DEMAND_DAYS: i64 = 365;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct MapQuery {
    #[serde(default)]
    within: Option<String>,
    #[serde(flatten)]
    figures: Figures,
}

impl MapQuery {
    fn within_km(&self) -> Result<f64, PageError> {
        match self
            .within
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
        {
            None => Ok(DEFAULT_WITHIN_KM),
            Some(w) => w
                .parse::<f64>()
                .ok()
                .filter(|d| (0.5..=100.0).contains(d))
                .ok_or_else(|| PageError::BadRequest(crate::t("insight-bad-distance"))),
        }
    }
}

#[derive(Clone)]
pub(crate) struct NeedRow {
    pub need: NeedId,
    pub services: u64,
    /// Of them, services whose listing carries a notice (full, a waiting list).
    pub with_notice: u64,
    pub organizations: u64,
    pub hours: u64,
    /// Services in each area, with the cell's shade.
    pub cells: Vec<(u64, u8)>,
}

pub(crate) struct DemandRow {
    pub need: NeedId,
    pub searches: Shown,
    pub conversations: Shown,
    pub casework: Shown,
    pub refusals: Shown,
    pub total: Shown,
}

pub(crate) struct GapRow {
    pub area: String,
    pub need: NeedId,
}

#[derive(Clone)]
pub(crate) struct OverlapRow {
    pub area: String,
    pub need: NeedId,
    pub organizations: String,
    pub count: usize,
}

pub(crate) struct MissRow {
    pub words: String,
    pub area: String,
    pub count: Shown,
}

/// Figures are kept for every language (`super::kept`), so they hold needs and the area
/// level, and pages put them in words.
pub(crate) struct MapFigures {
    pub level: AreaLevel,
    pub within_km: f64,
    pub areas: Vec<String>,
    pub needs: Vec<NeedRow>,
    pub demand: Vec<DemandRow>,
    pub demand_totals: Vec<Shown>,
    pub gaps: Vec<GapRow>,
    pub gaps_total: usize,
    pub overlaps: Vec<OverlapRow>,
    pub overlaps_total: usize,
    pub misses: Vec<MissRow>,
}

/// A need's name in the page's language.
pub(crate) fn need_name(need: &NeedId) -> String {
    crate::kit::language::need_label(need.need())
}

/// An area level ("postcode district") in the page's language.
pub(crate) fn level_words(level: &AreaLevel) -> String {
    match level {
        AreaLevel::District => crate::t("insight-level-district"),
        AreaLevel::Sector => crate::t("insight-level-sector"),
        AreaLevel::Ward => crate::t("insight-level-ward"),
        AreaLevel::LocalAuthority => crate::t("insight-level-authority"),
    }
}

/// What the map is made of, read from the database once for both maps: everything but
/// what depends on how a view asks (with casework or without, the distance for gaps, the
/// disclosure of counts about people), so that each view's figures are made in memory
/// (`super::kept::Counted`). Casework's columns are here for the staff map; [`figures`]
/// leaves them out of the public one.
pub(crate) struct MapCounts {
    level: AreaLevel,
    areas: Vec<String>,
    needs: Vec<NeedRow>,
    /// Per need: searches that found nothing, conversations, casework, refusals.
    demand: BTreeMap<NeedId, [u64; 4]>,
    area_points: Vec<AreaPoint>,
    supply_points: Vec<SupplyPoint>,
    overlaps: Vec<OverlapRow>,
    overlaps_total: usize,
    misses: Vec<SearchMiss>,
}

/// The map's counts, casework's columns (needs raised with coordinators, referrals turned
/// down, searches that found nothing by their words) included.
pub(crate) async fn counts(store: &dyn Store, level: AreaLevel) -> knit_store::Result<MapCounts> {
    let now = Utc::now();
    let sector = level == AreaLevel::Sector;
    let period = last_days(now, DEMAND_DAYS);
    let from_month = first_kept_month(now.date_naive());

    let wards = if level.needs_wards() {
        Some(WardMap::new(store.wards().await?))
    } else {
        None
    };
    let supply = match &wards {
        Some(wards) => supply_by_place(level, wards, &store.placed_services().await?),
        None => store.supply(sector).await?,
    };
    let shapes = store.schedule_shapes(sector).await?;
    let places = store.supply_places().await?;
    let misses_by_need = store.search_miss_needs(&from_month).await?;
    let conversations = store
        .conversation_needs(
            (now - TimeDelta::days(DEMAND_DAYS)).date_naive(),
            now.date_naive() + chrono::Days::new(1),
        )
        .await?;
    let case_needs = store.casework_needs(period).await?;
    let refusals = store.capacity_refusals(period).await?;

    // Supply by need and area.
    let mut areas: BTreeSet<String> = supply.iter().map(|c| c.area.clone()).collect();
    let mut services: HashMap<(NeedId, String), u64> = HashMap::new();
    let mut with_notice: HashMap<NeedId, u64> = HashMap::new();
    let mut orgs_by_need: HashMap<NeedId, BTreeSet<Uuid>> = HashMap::new();
    for c in &supply {
        *services.entry((c.need, c.area.clone())).or_default() += c.services;
        *with_notice.entry(c.need).or_default() += c.with_notice;
        orgs_by_need
            .entry(c.need)
            .or_default()
            .insert(c.organization);
    }
    let mut minutes: HashMap<NeedId, u64> = HashMap::new();
    for s in &shapes {
        let m = weekly_minutes(
            s.freq.as_deref(),
            s.byday.as_deref(),
            s.opens_at,
            s.closes_at,
        );
        *minutes.entry(s.need).or_default() += u64::from(m) * s.count;
    }

    // Demand by need, from each source.
    let mut demand: BTreeMap<NeedId, [u64; 4]> = BTreeMap::new();
    for m in &misses_by_need {
        demand.entry(m.need).or_default()[0] += m.count;
        // A search's area is its postcode's; at ward level it is another kind of area.
        if !m.area.is_empty() && !level.needs_wards() {
            areas.insert(m.area.clone());
        }
    }
    for c in &conversations {
        demand.entry(c.need).or_default()[1] += c.count;
    }
    for c in &case_needs {
        demand.entry(c.need).or_default()[2] += c.count;
    }
    for r in &refusals {
        demand.entry(r.need).or_default()[3] += r.count;
    }
    let areas: Vec<String> = areas.into_iter().collect();

    let max_cell = services.values().copied().max().unwrap_or(0);
    let mut needs: Vec<NeedRow> = NEEDS
        .iter()
        .filter(|n| orgs_by_need.contains_key(&n.id) || demand.contains_key(&n.id))
        .map(|n| {
            let cells: Vec<(u64, u8)> = areas
                .iter()
                .map(|a| {
                    let v = services.get(&(n.id, a.clone())).copied().unwrap_or(0);
                    (v, heat(Shown::Exact(v), max_cell))
                })
                .collect();
            NeedRow {
                need: n.id,
                services: cells.iter().map(|c| c.0).sum(),
                with_notice: with_notice.get(&n.id).copied().unwrap_or(0),
                organizations: orgs_by_need.get(&n.id).map_or(0, |o| o.len() as u64),
                hours: minutes.get(&n.id).copied().unwrap_or(0) / 60,
                cells,
            }
        })
        .collect();
    needs.sort_by(|a, b| {
        b.services
            .cmp(&a.services)
            .then(a.need.need().label.cmp(b.need.need().label))
    });

    let centres: Vec<(String, LatLon)> = match &wards {
        Some(wards) => {
            let all = if level == AreaLevel::Ward {
                wards.ward_centres()
            } else {
                wards.authority_centres()
            };
            areas
                .iter()
                .filter_map(|a| all.get(a).map(|c| (a.clone(), *c)))
                .collect()
        }
        None => store.area_centres(&areas).await?,
    };
    let area_points: Vec<AreaPoint> = centres
        .into_iter()
        .map(|(area, position)| AreaPoint { area, position })
        .collect();
    let supply_points: Vec<SupplyPoint> = places
        .iter()
        .map(|p| SupplyPoint {
            need: p.need,
            position: p.position,
        })
        .collect();

    // Overlaps: several organisations meeting one need in one area.
    let rows: Vec<(String, NeedId, Uuid)> = supply
        .iter()
        .map(|c| (c.area.clone(), c.need, c.organization))
        .collect();
    let found_overlaps = overlaps(&rows);
    let overlaps_total = found_overlaps.len();
    let listed: Vec<_> = found_overlaps.into_iter().take(LISTED).collect();
    let mut ids: Vec<Uuid> = listed
        .iter()
        .flat_map(|o| o.organizations.iter().copied())
        .collect();
    ids.sort();
    ids.dedup();
    let names: HashMap<Uuid, String> = store.organization_names(&ids).await?.into_iter().collect();
    let overlap_rows = listed
        .into_iter()
        .map(|o| {
            let mut named: Vec<String> = o
                .organizations
                .iter()
                .filter_map(|id| names.get(id).cloned())
                .collect();
            named.sort();
            OverlapRow {
                area: o.area,
                need: o.need,
                count: o.organizations.len(),
                organizations: named.join(", "),
            }
        })
        .collect();

    let misses = store.search_misses(&from_month, 200).await?;

    Ok(MapCounts {
        level,
        areas,
        needs,
        demand,
        area_points,
        supply_points,
        overlaps: overlap_rows,
        overlaps_total,
        misses,
    })
}

/// Supply by area, need and organisation from where services are, for areas placed by
/// position: a service at several places in one area counts once there.
fn supply_by_place(level: AreaLevel, wards: &WardMap, placed: &[PlacedService]) -> Vec<SupplyCell> {
    // The services in each cell, with whether each carries a notice.
    let mut services: BTreeMap<(String, NeedId, Uuid), BTreeMap<Uuid, bool>> = BTreeMap::new();
    for p in placed {
        if let Some(area) = level.area_of_place(wards, p.position) {
            services
                .entry((area, p.need, p.organization))
                .or_default()
                .insert(p.service, p.with_notice);
        }
    }
    services
        .into_iter()
        .map(|((area, need, organization), s)| SupplyCell {
            area,
            need,
            organization,
            services: s.len() as u64,
            with_notice: s.values().filter(|noticed| **noticed).count() as u64,
        })
        .collect()
}

/// The map's figures from its counts, for one view: no I/O. `casework` adds the columns
/// that come from casework; without it (the public map) nothing of casework is shown or
/// counted, not even which needs it raised.
pub(crate) fn figures(
    c: &MapCounts,
    casework: bool,
    disclosure: Disclosure,
    within_km: f64,
) -> MapFigures {
    let columns = if casework { 4 } else { 2 };
    // The needs people asked for, by the sources this view may count.
    let asked_for: BTreeMap<NeedId, &[u64]> = c
        .demand
        .iter()
        .map(|(need, d)| (*need, &d[..columns]))
        .filter(|(_, d)| d.iter().any(|n| *n > 0))
        .collect();
    let demand_needs: Vec<NeedId> = asked_for.keys().copied().collect();
    let grid: Vec<Vec<u64>> = asked_for.values().map(|d| d.to_vec()).collect();
    let table = disclosure.table(&grid);
    let demand_rows: Vec<DemandRow> = demand_needs
        .iter()
        .enumerate()
        .map(|(i, need)| {
            let cell = |j: usize| table.cells[i].get(j).copied().unwrap_or(Shown::Rounded(0));
            DemandRow {
                need: *need,
                searches: cell(0),
                conversations: cell(1),
                casework: cell(2),
                refusals: cell(3),
                total: table.row_totals[i],
            }
        })
        .collect();
    let mut demand_totals = table.column_totals.clone();
    demand_totals.push(table.total);

    // Gaps: needs people asked for, with no service near an area's centre.
    let asked: BTreeSet<NeedId> = demand_needs.iter().copied().collect();
    let found_gaps = gaps(&c.area_points, &asked, &c.supply_points, within_km);
    let gaps_total = found_gaps.len();

    // What people searched for and did not find: only groups large enough to publish, so
    // words typed by one person (a name, say) never appear.
    let misses = c
        .misses
        .iter()
        .filter(|_| casework)
        .filter_map(|m| {
            let shown = disclosure.count(m.count);
            (disclosure == Disclosure::Exact || !shown.is_suppressed()).then(|| MissRow {
                words: m.words.clone(),
                area: m.area.clone(),
                count: shown,
            })
        })
        .collect();

    MapFigures {
        level: c.level,
        within_km,
        areas: c.areas.clone(),
        needs: c
            .needs
            .iter()
            .filter(|n| n.organizations > 0 || asked.contains(&n.need))
            .cloned()
            .collect(),
        demand: demand_rows,
        demand_totals,
        gaps: found_gaps
            .into_iter()
            .take(LISTED)
            .map(|g| GapRow {
                area: g.area,
                need: g.need,
            })
            .collect(),
        gaps_total,
        overlaps: c.overlaps.clone(),
        overlaps_total: c.overlaps_total,
        misses,
    }
}

macro_rules! map_page {
    ($name:ident, $path:literal) => {
        #[derive(Template)]
        #[template(path = $path)]
        struct $name<'a> {
            site: &'a Site,
            f: &'a MapFigures,
            worked_at: String,
            staff: bool,
            exact: bool,
            may_see_exact: bool,
            key: &'static str,
            supply_chart: Chart,
            demand_chart: Chart,
            csv: &'static str,
        }
    };
}
map_page!(MapPage, "insight/map.html");
map_page!(PublicMapPage, "insight/public_map.html");

fn charts(f: &MapFigures) -> (Chart, Chart) {
    let supply: Vec<(String, Shown)> = f
        .needs
        .iter()
        .take(15)
        .map(|n| (need_name(&n.need), Shown::Exact(n.services)))
        .collect();
    let demand: Vec<(String, Shown)> = f
        .demand
        .iter()
        .map(|d| (need_name(&d.need), d.total))
        .collect();
    (
        bar_chart("supply", &crate::t("insight-services-by-need"), &supply),
        bar_chart("demand", &crate::t("insight-needs-asked"), &demand),
    )
}

/// The map's figures for a view, made from the kept counts (`super::kept`); the counts
/// are read again when stale.
async fn kept(
    state: &AppState,
    casework: bool,
    disclosure: Disclosure,
    within_km: f64,
) -> Result<Worked<MapFigures>, PageError> {
    let worked = state.insight.map.get((), || read(state)).await?;
    let key = MapKey {
        casework,
        disclosure,
        within_km_bits: within_km.to_bits(),
    };
    Ok(worked.made(key, |c| figures(c, casework, disclosure, within_km)))
}

/// Reads the map's counts again ahead of time (`super::keep_fresh`).
pub(crate) async fn renew(state: &AppState) -> knit_store::Result<()> {
    state.insight.map.renew((), || read(state)).await
}

async fn read(state: &AppState) -> knit_store::Result<Counted<MapCounts, MapKey, MapFigures>> {
    Ok(Counted::new(
        counts(state.store.as_ref(), state.site.insight_area).await?,
    ))
}

/// `/staff/insight/map`
pub(crate) async fn staff(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(q): Query<MapQuery>,
) -> PageResult {
    let disclosure = q.figures.disclosure(&allowed);
    let worked = kept(&state, true, disclosure, q.within_km()?).await?;
    let f = worked.figures.as_ref();
    let (supply_chart, demand_chart) = charts(f);
    Ok(render(
        &MapPage {
            site: &state.site,
            f,
            worked_at: worked_at(worked.at),
            staff: true,
            exact: disclosure == Disclosure::Exact,
            may_see_exact: may_see_exact(&allowed),
            key: SUPPRESSED_MEANING,
            supply_chart,
            demand_chart,
            csv: "/staff/insight/map.csv",
        },
        StatusCode::OK,
    ))
}

/// `/insight/map`: no casework figures, always published figures.
pub(crate) async fn public(State(state): State<AppState>, Query(q): Query<MapQuery>) -> PageResult {
    let worked = kept(&state, false, Disclosure::Controlled, q.within_km()?).await?;
    let f = worked.figures.as_ref();
    let (supply_chart, demand_chart) = charts(f);
    Ok(render(
        &PublicMapPage {
            site: &state.site,
            f,
            worked_at: worked_at(worked.at),
            staff: false,
            exact: false,
            may_see_exact: false,
            key: SUPPRESSED_MEANING,
            supply_chart,
            demand_chart,
            csv: "/insight/map.csv",
        },
        StatusCode::OK,
    ))
}

fn csv_of(f: &MapFigures, casework: bool) -> Response {
    let mut rows = Vec::new();
    for n in &f.needs {
        for (area, (services, _)) in f.areas.iter().zip(&n.cells) {
            if *services > 0 {
                rows.push(vec![
                    "supply".to_owned(),
                    n.need.need().label.to_owned(),
                    area.clone(),
                    "services".to_owned(),
                    services.to_string(),
                ]);
            }
        }
        rows.push(vec![
            "supply".to_owned(),
            n.need.need().label.to_owned(),
            "all".to_owned(),
            "hours open a week".to_owned(),
            n.hours.to_string(),
        ]);
        rows.push(vec![
            "supply".to_owned(),
            n.need.need().label.to_owned(),
            "all".to_owned(),
            "services with a notice (full, waiting list)".to_owned(),
            n.with_notice.to_string(),
        ]);
    }
    for d in &f.demand {
        let mut add = |what: &str, v: Shown| {
            rows.push(vec![
                "demand".to_owned(),
                d.need.need().label.to_owned(),
                "all".to_owned(),
                what.to_owned(),
                v.to_string(),
            ])
        };
        add("searches that found nothing", d.searches);
        add("needs raised in conversations", d.conversations);
        if casework {
            add("needs raised in casework", d.casework);
            add("referrals turned down for lack of capacity", d.refusals);
        }
    }
    for g in &f.gaps {
        rows.push(vec![
            "gap".to_owned(),
            g.need.need().label.to_owned(),
            g.area.clone(),
            format!("no service within {} km", f.within_km),
            String::new(),
        ]);
    }
    for o in &f.overlaps {
        rows.push(vec![
            "overlap".to_owned(),
            o.need.need().label.to_owned(),
            o.area.clone(),
            o.organizations.clone(),
            o.count.to_string(),
        ]);
    }
    super::csv::download(
        "agency-map.csv",
        &["kind", "need", "area", "measure", "value"],
        &rows,
    )
}

/// `/staff/insight/map.csv`
pub(crate) async fn staff_csv(
    State(state): State<AppState>,
    allowed: Allowed,
    Query(q): Query<MapQuery>,
) -> Result<Response, PageError> {
    let disclosure = q.figures.disclosure(&allowed);
    let worked = kept(&state, true, disclosure, q.within_km()?).await?;
    Ok(csv_of(&worked.figures, true))
}

/// `/insight/map.csv`
pub(crate) async fn public_csv(
    State(state): State<AppState>,
    Query(q): Query<MapQuery>,
) -> Result<Response, PageError> {
    let worked = kept(&state, false, Disclosure::Controlled, q.within_km()?).await?;
    Ok(csv_of(&worked.figures, false))
}

/// The staff (or public) map page as HTML, with published figures: what `knit bench
/// insight` times.
pub(crate) async fn page_html(
    state: &AppState,
    staff: bool,
    within_km: f64,
) -> Result<String, PageError> {
    let worked = kept(state, staff, Disclosure::Controlled, within_km).await?;
    let f = worked.figures.as_ref();
    let (supply_chart, demand_chart) = charts(f);
    let html = if staff {
        MapPage {
            site: &state.site,
            f,
            worked_at: worked_at(worked.at),
            staff,
            exact: false,
            may_see_exact: false,
            key: SUPPRESSED_MEANING,
            supply_chart,
            demand_chart,
            csv: "/staff/insight/map.csv",
        }
        .render()
    } else {
        PublicMapPage {
            site: &state.site,
            f,
            worked_at: worked_at(worked.at),
            staff,
            exact: false,
            may_see_exact: false,
            key: SUPPRESSED_MEANING,
            supply_chart,
            demand_chart,
            csv: "/insight/map.csv",
        }
        .render()
    };
    html.map_err(|e| PageError::Internal(format!("template failed: {e}")))
}
