//! `knit bench insight`: how long the agency map and the insight dashboards take to build
//! over a county's data. If the database holds fewer services than asked for, a county is
//! generated into it first: the synthetic directory (`knit_domain::synthetic`) under 1,000
//! organisations, referrals over the last year between them, and searches that found
//! nothing, all bulk inserted. Use a database of its own.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{TimeDelta, Utc};
use knit_domain::geo::LatLon;
use knit_domain::insight::{AreaLevel, month_of};
use knit_domain::postcode::Postcode;
use knit_domain::synthetic::SplitMix64;
use knit_store::insight::{SearchMiss, SyntheticReferral};
use knit_store::{PostcodePoint, ServiceFilter};
use uuid::Uuid;

use super::open_store;
use crate::app;
use crate::cli::Global;

const ORGANISATIONS: usize = 1_000;
/// Distinct (words, area, need, month) rows the logged searches fall into.
const MISS_ROWS: u64 = 40_000;
const WORDS: &[&str] = &[
    "benefits advice evening",
    "men's shed",
    "dementia carers group",
    "sign language",
    "food parcel delivery",
    "debt help weekend",
    "bereavement group children",
    "warm space sunday",
    "english classes",
    "gambling support",
    "tenancy advice",
    "autism parents",
    "hoarding help",
    "legal aid",
    "befriending phone",
];
const REASONS: &[&str] = &[
    "no_capacity",
    "not_eligible",
    "out_of_area",
    "not_the_right_service",
    "person_declined",
];

pub async fn run(
    global: &Global,
    services: usize,
    referrals: usize,
    searches: u64,
    runs: usize,
) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    fill_and_time(store, services, referrals, searches, runs).await
}

/// Generates a county into `store` if it holds fewer than `services` services, then times
/// the pages and prints the figures.
pub async fn fill_and_time(
    store: knit_store::SharedStore,
    services: usize,
    referrals: usize,
    searches: u64,
    runs: usize,
) -> anyhow::Result<()> {
    let held = store.count_services(&ServiceFilter::default()).await? as usize;
    if held < services {
        let started = Instant::now();
        let generated: Vec<_> = knit_domain::synthetic::services(services, 2026).collect();
        let orgs: Vec<_> = generated
            .iter()
            .filter_map(|s| s.organization.clone())
            .scan(std::collections::HashSet::new(), |seen, o| {
                Some(seen.insert(o.id).then_some(o))
            })
            .flatten()
            .take(ORGANISATIONS)
            .collect();
        let mut centres: HashMap<String, (f64, f64, u32)> = HashMap::new();
        let mut placed = Vec::with_capacity(generated.len());
        let mut all = Vec::with_capacity(generated.len());
        for (i, mut s) in generated.into_iter().enumerate() {
            let org = &orgs[i % orgs.len()];
            s.organization_id = org.id;
            s.organization = Some(org.clone());
            for l in s
                .service_at_locations
                .iter()
                .filter_map(|sal| sal.location.as_ref())
            {
                if let (Some(lat), Some(lon)) = (l.latitude, l.longitude) {
                    for a in &l.addresses {
                        if let Some(area) = AreaLevel::District.area_of_text(&a.postal_code) {
                            let e = centres.entry(area).or_default();
                            e.0 += lat;
                            e.1 += lon;
                            e.2 += 1;
                        }
                    }
                }
            }
            placed.push((s.id, s.organization_id));
            all.push(s);
        }
        for chunk in all.chunks(1_000) {
            store.put_services(chunk).await?;
        }
        drop(all);
        let points: Vec<PostcodePoint> = centres
            .into_iter()
            .filter_map(|(area, (lat, lon, n))| {
                Some(PostcodePoint {
                    postcode: Postcode::parse(&area).ok()?,
                    position: LatLon::new(lat / f64::from(n), lon / f64::from(n)).ok()?,
                })
            })
            .collect();
        store.put_postcodes(&points).await?;
        println!(
            "generated {services} services under {} organisations and {} district centres in {:.1?}",
            orgs.len(),
            points.len(),
            started.elapsed()
        );

        let started = Instant::now();
        let now = Utc::now();
        let mut rng = SplitMix64::new(15);
        let mut batch = Vec::with_capacity(10_000);
        for i in 0..referrals {
            let (service_id, organization) = placed[rng.below(placed.len())];
            let from_organization = rng
                .chance(0.3)
                .then(|| placed[rng.below(placed.len())].1)
                .filter(|o| *o != organization);
            let sent_at = now - TimeDelta::minutes(rng.below(365 * 24 * 60) as i64);
            let roll = rng.unit();
            let answered_at = (roll >= 0.15)
                .then(|| sent_at + TimeDelta::minutes(rng.below(10 * 24 * 60) as i64))
                .filter(|t| *t < now);
            let (status, reason, closed_at) = match answered_at {
                None => ("requested", None, None),
                Some(a) if roll < 0.30 => ("rejected", Some(*rng.pick(REASONS)), Some(a)),
                Some(a) if roll < 0.80 => (
                    "completed",
                    None,
                    Some(a + TimeDelta::minutes(rng.below(20 * 24 * 60) as i64))
                        .filter(|t| *t < now),
                ),
                Some(_) => ("in-progress", None, None),
            };
            let status = if status == "completed" && closed_at.is_none() {
                "in-progress"
            } else {
                status
            };
            batch.push(SyntheticReferral {
                id: Uuid::from_u128(0x5e9f_0000_0000_0000_0000_0000_0000_0000 + i as u128),
                service_id,
                organization,
                from_organization,
                status: status.to_owned(),
                reason: reason.map(str::to_owned),
                sent_at,
                answered_at,
                closed_at,
            });
            if batch.len() == 10_000 {
                store.add_synthetic_referrals(&batch).await?;
                batch.clear();
            }
        }
        store.add_synthetic_referrals(&batch).await?;
        println!("added {referrals} referrals in {:.1?}", started.elapsed());

        let started = Instant::now();
        let areas: Vec<String> = points_areas(&store).await?;
        let needs: Vec<&str> = knit_domain::NEEDS.iter().map(|n| n.id.as_str()).collect();
        let mut rows = Vec::with_capacity(5_000);
        let per_row = (searches / MISS_ROWS).max(1);
        for i in 0..MISS_ROWS.min(searches) {
            let day = (now - TimeDelta::days(rng.below(360) as i64)).date_naive();
            rows.push(SearchMiss {
                month: month_of(day),
                words: format!("{} {}", rng.pick(WORDS), i % 97),
                area: areas
                    .get(rng.below(areas.len().max(1)))
                    .cloned()
                    .unwrap_or_default(),
                need: rng.pick(&needs).to_string(),
                count: per_row,
            });
            if rows.len() == 5_000 {
                store.add_search_misses(&rows).await?;
                rows.clear();
            }
        }
        store.add_search_misses(&rows).await?;
        println!(
            "logged {} searches that found nothing in {:.1?}",
            per_row * MISS_ROWS.min(searches),
            started.elapsed()
        );
    }
    let state = app::state(store, app::demo_site()).await?;
    println!("page                   database  kept: median     worst  asked otherwise      size");
    let timings = knit_web::insight::bench::time_pages(&state, runs)
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    for t in timings {
        println!(
            "{:<22} {:>8.1?} {:>14.1?} {:>9.1?} {:>16.1?} {:>9} bytes",
            t.page, t.from_database, t.median, t.worst, t.asked_otherwise, t.bytes
        );
    }
    Ok(())
}

async fn points_areas(store: &knit_store::SharedStore) -> anyhow::Result<Vec<String>> {
    let mut areas: Vec<String> = store
        .supply(false)
        .await?
        .into_iter()
        .map(|c| c.area)
        .collect();
    areas.sort();
    areas.dedup();
    Ok(areas)
}
