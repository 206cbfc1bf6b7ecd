//! Import and read-back throughput of the store, printed as figures.
//!
//! `cargo bench -p knit-store --bench import` imports `KNIT_BENCH_SERVICES` (default 10,000)
//! richly filled services into a fresh SQLite file in one call, imports them again (every
//! one replaced), reads them all back fully nested a page at a time, and loads 100,000
//! postcodes. With `KNIT_TEST_POSTGRES` set it does the same on PostgreSQL, in a schema
//! of its own that it drops afterwards.

#[path = "../tests/contract/fixtures.rs"]
mod fixtures;

use std::time::Instant;

use knit_domain::geo::LatLon;
use knit_domain::postcode::Postcode;
use knit_store::{PostcodePoint, ServiceFilter, Store};

const PAGE: u32 = 1_000;
const POSTCODES: usize = 100_000;

fn rate(count: usize, seconds: f64) -> String {
    format!(
        "{:>9.0}/s ({count} in {seconds:.2} s)",
        count as f64 / seconds
    )
}

/// `count` distinct full postcodes with positions, made up but well formed.
fn postcodes(count: usize) -> Vec<PostcodePoint> {
    const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";
    (0..count)
        .map(|i| {
            let district = i / 4_000;
            let within = i % 4_000;
            let (sector, unit) = (within / 400, within % 400);
            let (a, b) = (LETTERS[unit / 20] as char, LETTERS[unit % 20] as char);
            let code = format!("EV{district} {sector}{a}{b}");
            PostcodePoint {
                postcode: Postcode::parse(&code).expect("a well-formed postcode"),
                position: LatLon::new(
                    50.0 + (i % 1000) as f64 * 0.005,
                    -3.0 + (i / 1000) as f64 * 0.01,
                )
                .expect("a position in Great Britain"),
            }
        })
        .collect()
}

async fn run(label: &str, store: &dyn Store, count: u32) {
    let services = fixtures::town(0, count);
    let n = services.len();

    let started = Instant::now();
    let summary = store
        .put_services(&services)
        .await
        .expect("the import succeeds");
    let took = started.elapsed().as_secs_f64();
    assert_eq!(summary.added as usize, n);
    println!("{label}: import {n} new services        {}", rate(n, took));

    let started = Instant::now();
    let summary = store
        .put_services(&services)
        .await
        .expect("the re-import succeeds");
    let took = started.elapsed().as_secs_f64();
    assert_eq!(summary.updated as usize, n);
    println!("{label}: import {n} services again      {}", rate(n, took));

    let started = Instant::now();
    let mut read = 0;
    let mut after = None;
    loop {
        let page = store
            .services_after(after, PAGE, &ServiceFilter::default())
            .await
            .expect("a page");
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        read += page.len();
    }
    let took = started.elapsed().as_secs_f64();
    assert_eq!(read, n);
    println!("{label}: read all {n} services, nested  {}", rate(n, took));

    let points = postcodes(POSTCODES);
    let started = Instant::now();
    let written = store
        .put_postcodes(&points)
        .await
        .expect("the postcodes load");
    let took = started.elapsed().as_secs_f64();
    assert_eq!(written as usize, POSTCODES);
    println!(
        "{label}: load {POSTCODES} postcodes          {}",
        rate(POSTCODES, took)
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and then a quick
    // run shows the benchmark still works.
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let count: u32 = match std::env::var("KNIT_BENCH_SERVICES") {
        Ok(n) => n.parse().expect("KNIT_BENCH_SERVICES is a number"),
        Err(_) if benchmarking => 10_000,
        Err(_) => 200,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("bench.db");
        let store = knit_store::open(path.to_str().expect("a UTF-8 path"))
            .await
            .expect("SQLite opens");
        run("sqlite", store.as_ref(), count).await;
        drop(store);

        match std::env::var("KNIT_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => {
                let (store, schema) = knit_store::open_postgres_isolated(&url)
                    .await
                    .expect("PostgreSQL opens");
                run("postgres", store.as_ref(), count).await;
                drop(store);
                knit_store::drop_postgres_schema(&url, &schema)
                    .await
                    .expect("the schema drops");
            }
            _ => println!("postgres: skipped (set KNIT_TEST_POSTGRES to measure it)"),
        }
    });
}
