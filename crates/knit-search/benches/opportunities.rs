//! Searching volunteer roles beside the directory, at a nation's scale: 100,000 synthetic
//! services in the directory index and 20,000 roles in the role index, both in the process
//! as `knit serve` holds them. Prints p50 and p99 of a role search (words, distance and
//! filters) and of suggestions for one person (their skills and passions as words, and for
//! three in four of them when they are free); the targets are 5 ms and 10 ms.
//!
//! `cargo bench -p knit-search --bench opportunities` (sizes from `KNIT_BENCH_SERVICES` and
//! `KNIT_BENCH_OPPORTUNITIES`).

use std::time::{Duration, Instant};

use knit_domain::geo::LatLon;
use knit_search::DirectoryIndex;
use knit_search::opportunities::{OpportunityIndex, OpportunityQuery, synthetic_roles};

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

/// p50, p95 and p99 in milliseconds, and the roles matched per search. On a loaded machine
/// the p99 is mostly the scheduler's; the p95 says more about the search itself.
fn time(
    index: &OpportunityIndex,
    queries: &[OpportunityQuery],
    rounds: usize,
) -> (f64, f64, f64, usize) {
    for q in queries {
        std::hint::black_box(index.search(q));
    }
    let mut times = Vec::with_capacity(rounds * queries.len());
    let mut matched = 0;
    for _ in 0..rounds {
        for q in queries {
            let t = Instant::now();
            matched += std::hint::black_box(index.search(q)).0;
            times.push(t.elapsed());
        }
    }
    times.sort_unstable();
    (
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        matched / times.len().max(1),
    )
}

fn main() {
    let services = size("KNIT_BENCH_SERVICES", 100_000);
    let roles = size("KNIT_BENCH_OPPORTUNITIES", 20_000);
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
    let index = OpportunityIndex::from_opportunities(&synthetic_roles(roles, &places, 11));
    println!(
        "indexed {} services and {} roles in {:.1} s",
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
    let mut searches = Vec::new();
    for (i, w) in words.iter().enumerate() {
        for j in 0..4 {
            searches.push(OpportunityQuery {
                words: (*w).to_owned(),
                near: (j != 3).then(|| places[(i * 37 + j * 101) % places.len().max(1)]),
                within_km: (j == 1).then_some(10.0),
                suitable_for_new: j == 2,
                no_dbs: j == 0,
                limit: 30,
                ..OpportunityQuery::default()
            });
        }
    }
    let (p50, p95, p99, matched) = time(&index, &searches, 100);
    println!(
        "role search: p50 {p50:.3} ms, p95 {p95:.3} ms, p99 {p99:.3} ms ({matched} roles match a search on average; target p99 < 5 ms)"
    );
    let people = [
        "gardening birds walking",
        "cooking baking listening",
        "driving lifting DIY",
        "computers reading maths music",
        "sewing first aid polish welsh",
    ];
    let suggestions: Vec<OpportunityQuery> = people
        .iter()
        .enumerate()
        .map(|(i, w)| OpportunityQuery {
            words: (*w).to_owned(),
            // Some people say when they are free, and some do not.
            free: knit_domain::volunteering::Times::read(
                ["weekday mornings", "Saturdays", "evenings", ""][i % 4],
            ),
            limit: 10,
            ..OpportunityQuery::default()
        })
        .collect();
    let (p50, p95, p99, matched) = time(&index, &suggestions, 400);
    println!(
        "suggestions for one person: p50 {p50:.3} ms, p95 {p95:.3} ms, p99 {p99:.3} ms ({matched} roles fit on average; target < 10 ms)"
    );
    std::hint::black_box(directory.len());
}
