//! Time to match one text, for texts of the lengths people write: a few words, a
//! sentence, and a long paragraph a connector types up. Target: under 1 ms per text.
//!
//! `cargo bench -p knit-search --bench matcher`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use knit_search::Matcher;

const SHORT: &str = "need food for kids tonight";

const SENTENCE: &str = "my ex keeps turning up, the bailiffs are at the door and I can't sleep";

const PARAGRAPH: &str = "Single mum, left my ex three months ago because he was hitting me. \
    Me and the kids are sofa surfing at my sister's and she needs us out by the end of the \
    month. I've got catalogue debts and a council tax bill I can't pay, the leccy is on the \
    emergency credit and the bailiffs have already been round once. I haven't slept properly \
    in weeks, my mum has dementia and I'm the only one who looks after her, and honestly some \
    days I don't want to be here. I used to be a hairdresser and I'd love to get back to work \
    but I've got no childcare and my English is fine, it's the confidence.";

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

criterion_group!(benches, matching, building);
criterion_main!(benches);
