//! Import and read-back throughput of the store, printed as figures.
//!
//! `cargo bench -p knit-store --bench import` takes `KNIT_BENCH_SERVICES` (default 10,000)
//! services of two kinds — plausible ones from `knit_domain::synthetic`, and the contract
//! tests' richly filled ones (every list full, about three times the rows) — and for each
//! imports them into a fresh SQLite file in one call, imports them again (every one
//! replaced), and reads them all back fully nested a page at a time; then it loads 100,000
//! postcodes. With `KNIT_TEST_POSTGRES` set it does the same on PostgreSQL, in schemas of
//! its own that it drops afterwards.

#[path = "../tests/contract/fixtures.rs"]
mod fixtures;

use std::time::Instant;

use knit_domain::Service;
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

async fn run(label: &str, store: &dyn Store, services: &[Service]) {
    let n = services.len();

    let started = Instant::now();
    let summary = store
        .put_services(services)
        .await
        .expect("the import succeeds");
    let took = started.elapsed().as_secs_f64();
    assert_eq!(summary.added as usize, n);
    println!("{label}: import {n} new services        {}", rate(n, took));

    let started = Instant::now();
    let summary = store
        .put_services(services)
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
}

/// The floor under reading from documents: turning the JSON back into services, alone.
fn parse(label: &str, services: &[Service]) {
    let documents: Vec<String> = services
        .iter()
        .map(|s| serde_json::to_string(s).expect("a service as JSON"))
        .collect();
    let bytes: usize = documents.iter().map(String::len).sum();
    let started = Instant::now();
    for document in &documents {
        let service: Service = serde_json::from_str(document).expect("a service from JSON");
        std::hint::black_box(service);
    }
    let took = started.elapsed().as_secs_f64();
    let n = services.len();
    println!(
        "{label}: parse {n} documents ({} bytes each) {}",
        bytes / n.max(1),
        rate(n, took)
    );
}

async fn load_postcodes(label: &str, store: &dyn Store) {
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
    let synthetic: Vec<Service> = knit_domain::synthetic::services(count as usize, 42).collect();
    let rich = fixtures::town(0, count);
    let kinds = [("synthetic", &synthetic), ("rich", &rich)];
    let postgres = std::env::var("KNIT_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    for (kind, services) in kinds {
        parse(kind, services);
    }
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (kind, services) in kinds {
            let path = dir.path().join(format!("{kind}.db"));
            let store = knit_store::open(path.to_str().expect("a UTF-8 path"))
                .await
                .expect("SQLite opens");
            run(&format!("sqlite {kind}"), store.as_ref(), services).await;
            if kind == "rich" {
                load_postcodes("sqlite", store.as_ref()).await;
            }
        }
        let Some(url) = postgres else {
            println!("postgres: skipped (set KNIT_TEST_POSTGRES to measure it)");
            return;
        };
        for (kind, services) in kinds {
            let (store, schema) = knit_store::open_postgres_isolated(&url)
                .await
                .expect("PostgreSQL opens");
            run(&format!("postgres {kind}"), store.as_ref(), services).await;
            if kind == "rich" {
                load_postcodes("postgres", store.as_ref()).await;
            }
            drop(store);
            knit_store::drop_postgres_schema(&url, &schema)
                .await
                .expect("the schema drops");
        }
    });
}
