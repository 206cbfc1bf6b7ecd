//! Time to match one text, for texts of the lengths people write: a few words, a
//! sentence, and a long paragraph a connector types up; then every text of the project's
//! evaluation sets one by one, for the median and 99th percentile per text; and the memory
//! the loaded matcher holds. Target: under 5 ms per text on one core.
//!
//! `cargo bench -p knit-search --bench matcher`

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use knit_search::Matcher;
use knit_search::matcher::evaluation::parse_examples;

/// Counts the bytes live on the heap, so the matcher's own share can be read off.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed straight to the system allocator; the counter is only
// arithmetic beside it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: ptr came from System.alloc with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: as for alloc and dealloc.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const SHORT: &str = "need food for kids tonight";

const SENTENCE: &str = "my ex keeps turning up, the bailiffs are at the door and I can't sleep";

const PARAGRAPH: &str = "Single mum, left my ex three months ago because he was hitting me. \
    Me and the kids are sofa surfing at my sister's and she needs us out by the end of the \
    month. I've got catalogue debts and a council tax bill I can't pay, the leccy is on the \
    emergency credit and the bailiffs have already been round once. I haven't slept properly \
    in weeks, my mum has dementia and I'm the only one who looks after her, and honestly some \
    days I don't want to be here. I used to be a hairdresser and I'd love to get back to work \
    but I've got no childcare and my English is fine, it's the confidence.";

/// How many times each evaluation text is timed; the fastest run counts, so a run
/// interrupted by another process on a shared machine does not stand for the matcher.
const RUNS_PER_TEXT: usize = 5;

fn matching(c: &mut Criterion) {
    let matcher = Matcher::new();
    let mut group = c.benchmark_group("match_text");
    for (name, text) in [
        ("short", SHORT),
        ("sentence", SENTENCE),
        ("paragraph", PARAGRAPH),
    ] {
        group.bench_function(name, |b| b.iter(|| matcher.match_text(black_box(text))));
    }
    group.finish();
}

fn building(c: &mut Criterion) {
    c.bench_function("Matcher::new", |b| b.iter(Matcher::new));
}

/// Median and 99th percentile over every text of the evaluation sets, and the heap the
/// loaded matcher holds. Printed rather than asserted: timing belongs in benchmarks.
fn per_text_and_memory(_: &mut Criterion) {
    let before = LIVE.load(Ordering::Relaxed);
    let matcher = Matcher::new();
    let held = LIVE.load(Ordering::Relaxed) - before;
    println!(
        "loaded matcher holds {:.2} MiB on the heap",
        held as f64 / (1024.0 * 1024.0)
    );

    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/eval");
    let mut texts = Vec::new();
    for name in ["blind.jsonl", "tuning.jsonl"] {
        let path = format!("{dir}/{name}");
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let examples =
            parse_examples(std::io::BufReader::new(file)).unwrap_or_else(|e| panic!("{path}: {e}"));
        texts.extend(examples.into_iter().map(|e| e.text));
    }
    texts.push(PARAGRAPH.to_owned());
    let mut times: Vec<Duration> = texts
        .iter()
        .map(|text| {
            (0..RUNS_PER_TEXT)
                .map(|_| {
                    let start = Instant::now();
                    black_box(matcher.match_text(black_box(text)));
                    start.elapsed()
                })
                .min()
                .unwrap_or_default()
        })
        .collect();
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "per text over {} texts: median {:?}, p99 {:?}, max {:?}",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

criterion_group!(benches, per_text_and_memory, matching, building);
criterion_main!(benches);
