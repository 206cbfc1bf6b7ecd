//! `knit bench search`: how long Knit's in-process search takes over a given HSDS file and
//! set of queries, so anyone can set Knit beside another engine on the same data.
//!
//! What is timed is what the website does for each query before it loads the page's
//! services: the needs matcher reads the words, then the directory index is searched for
//! the first page of ten.

use std::io::{BufRead, BufReader};
use std::ops::ControlFlow;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use knit_domain::geo::LatLon;
use knit_domain::hsds;
use knit_search::{DirectoryIndex, Matcher, SearchQuery};
use serde::Deserialize;

/// One line of the queries file: `{"query": "food bank", "near": {"lat": …, "lon": …}}`,
/// `near` null or left out for none. Other fields (an id, judgements) are ignored.
#[derive(Debug, Deserialize)]
struct BenchQuery {
    query: String,
    #[serde(default)]
    near: Option<LatLon>,
}

/// Every search is run at least this many times in all, for a steady p99.
const MIN_SEARCHES: usize = 2_000;

fn read_queries(path: &Path) -> anyhow::Result<Vec<BenchQuery>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
    let mut queries = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("could not read {}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let query: BenchQuery = serde_json::from_str(&line).map_err(|e| {
            anyhow::anyhow!(
                "{} line {}: not a query ({{\"query\", \"near\"}}): {e}",
                path.display(),
                i + 1
            )
        })?;
        if let Some(near) = query.near
            && LatLon::new(near.lat, near.lon).is_err()
        {
            anyhow::bail!(
                "{} line {}: near is not a latitude and longitude",
                path.display(),
                i + 1
            );
        }
        queries.push(query);
    }
    if queries.is_empty() {
        anyhow::bail!("{} holds no queries", path.display());
    }
    Ok(queries)
}

fn build_index(path: &Path) -> anyhow::Result<DirectoryIndex> {
    let file =
        std::fs::File::open(path).with_context(|| format!("could not read {}", path.display()))?;
    let mut index = DirectoryIndex::new();
    let read = hsds::read_services(BufReader::with_capacity(1 << 20, file), None, |service| {
        index.upsert(&service);
        ControlFlow::Continue(())
    });
    match read {
        Ok(0) => anyhow::bail!("{} holds no services", path.display()),
        Ok(_) => Ok(index),
        Err(hsds::HsdsError::BadRecords { shown, total }) => {
            let first = shown.first().map(ToString::to_string).unwrap_or_default();
            anyhow::bail!(
                "{} is not a good HSDS file: {total} problem(s), the first {first}",
                path.display()
            )
        }
        Err(e) => anyhow::bail!("{} is not an HSDS file: {e}", path.display()),
    }
}

/// The `p` quantile of sorted times, by the nearest rank.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn search(services: &Path, queries: &Path) -> anyhow::Result<()> {
    let queries = read_queries(queries)?;
    let started = Instant::now();
    let index = build_index(services)?;
    let built = started.elapsed();
    let matcher = Matcher::new();
    println!(
        "Indexed {} listed services from {} in {:.2} s.",
        index.len(),
        services.display(),
        built.as_secs_f64()
    );
    let run = |query: &BenchQuery| {
        let need_hints = knit_web::directory::search::need_hints(&matcher.match_text(&query.query));
        index
            .search(&SearchQuery {
                words: query.query.clone(),
                need_hints,
                near: query.near,
                page: 1,
                per_page: 10,
                ..SearchQuery::default()
            })
            .total
    };
    // Once through first, so the measured rounds find warm caches and buffers.
    for query in &queries {
        std::hint::black_box(run(query));
    }
    let rounds = MIN_SEARCHES.div_ceil(queries.len());
    let mut times = Vec::with_capacity(rounds * queries.len());
    let mut matched = 0usize;
    for _ in 0..rounds {
        for query in &queries {
            let started = Instant::now();
            matched += std::hint::black_box(run(query));
            times.push(started.elapsed());
        }
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    println!(
        "{} searches ({} queries × {rounds}): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, \
         mean {:.3} ms; {} matches a query on average.",
        times.len(),
        queries.len(),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().expect("at least one search")),
        ms(mean),
        matched / times.len(),
    );
    Ok(())
}

/// `knit bench volunteering`: role search beside a directory of `services`.
pub fn volunteering(services: usize, opportunities: usize) -> anyhow::Result<()> {
    use knit_search::opportunities::{OpportunityIndex, OpportunityQuery};
    let started = Instant::now();
    let mut directory = DirectoryIndex::new();
    let mut places = Vec::new();
    for service in knit_domain::synthetic::services(services, 7) {
        if places.len() < 5_000
            && let Some(p) = service
                .service_at_locations
                .iter()
                .filter_map(|s| s.location.as_ref())
                .find_map(|l| LatLon::new(l.latitude?, l.longitude?).ok())
        {
            places.push(p);
        }
        directory.upsert(&service);
    }
    if places.is_empty() {
        places.push(LatLon::new(52.5, -1.9)?);
    }
    let roles = knit_search::opportunities::synthetic_roles(opportunities, &places, 11);
    let index = OpportunityIndex::from_opportunities(&roles);
    println!(
        "Indexed {} services and {} volunteer roles in {:.2} s.",
        directory.len(),
        index.len(),
        started.elapsed().as_secs_f64()
    );
    let words = [
        "driver",
        "gardening",
        "befriending",
        "cook",
        "computers help",
        "dog walking",
        "",
        "lifting driving",
    ];
    let mut queries = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for j in 0..4 {
            let near = places[(i * 37 + j * 101) % places.len()];
            queries.push(OpportunityQuery {
                words: (*w).to_owned(),
                near: (j != 3).then_some(near),
                within_km: (j == 1).then_some(10.0),
                suitable_for_new: j == 2,
                suitable_for_recovering: false,
                no_dbs: j == 0,
                free: None,
                limit: 30,
            });
        }
    }
    for q in &queries {
        std::hint::black_box(index.search(q));
    }
    let rounds = MIN_SEARCHES.div_ceil(queries.len());
    let mut times = Vec::with_capacity(rounds * queries.len());
    let mut matched = 0usize;
    for _ in 0..rounds {
        for q in &queries {
            let t = Instant::now();
            matched += std::hint::black_box(index.search(q)).0;
            times.push(t.elapsed());
        }
    }
    times.sort_unstable();
    println!(
        "{} role searches ({} queries × {rounds}): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms; {} roles match a query on average.",
        times.len(),
        queries.len(),
        ms(percentile(&times, 0.50)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
        matched / times.len().max(1)
    );
    std::hint::black_box(directory.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_by_nearest_rank() {
        let times: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&times, 0.50), Duration::from_millis(50));
        assert_eq!(percentile(&times, 0.99), Duration::from_millis(99));
        assert_eq!(percentile(&times[..1], 0.99), Duration::from_millis(1));
    }
}
