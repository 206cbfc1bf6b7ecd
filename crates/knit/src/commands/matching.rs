//! `knit match` and `knit eval needs`.

use std::io::BufReader;
use std::path::Path;

use anyhow::Context;
use knit_search::Matcher;
use knit_search::matcher::{evaluation, run_jsonl};

pub fn run(jsonl: bool, text: &str) -> anyhow::Result<()> {
    let matcher = Matcher::new();
    if jsonl {
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        run_jsonl(stdin.lock(), stdout.lock(), &matcher)?;
        return Ok(());
    }
    if text.trim().is_empty() {
        anyhow::bail!("give some text to match, or --jsonl to read JSON lines");
    }
    for m in matcher.match_text(text) {
        println!(
            "{:<22} {:.2}  because: {}",
            m.need.as_str(),
            m.score,
            m.because.join(", ")
        );
    }
    Ok(())
}

/// A need scoring under this F1 is named as weak.
const WEAK_NEED_F1: f64 = 0.6;

/// How many of the worst-missed examples to print.
const WORST_MISSES: usize = 25;

pub fn evaluate(file: &Path) -> anyhow::Result<()> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("could not open {}", file.display()))?;
    let examples = evaluation::parse_examples(BufReader::new(reader))?;
    let report = evaluation::evaluate(&Matcher::new(), &examples);
    println!("{report}");
    println!();
    println!("{}", report.per_domain_table());
    println!("{}", report.per_need_table());
    let weak = report.needs_below(WEAK_NEED_F1);
    if !weak.is_empty() {
        let names: Vec<String> = weak
            .iter()
            .map(|(need, c)| format!("{} {:.2}", need.as_str(), c.f1()))
            .collect();
        println!("needs below F1 {WEAK_NEED_F1}: {}", names.join(", "));
        println!();
    }
    let shown = report.misses.len().min(WORST_MISSES);
    println!("worst misses ({shown} of {}):", report.misses.len());
    for miss in report.misses.iter().take(WORST_MISSES) {
        println!("  {miss}");
    }
    Ok(())
}

pub fn evaluate_search(queries: &Path, services: &Path) -> anyhow::Result<()> {
    use knit_search::directory_index::relevance;
    let read = |path: &Path| {
        std::fs::read_to_string(path).with_context(|| format!("could not read {}", path.display()))
    };
    let judged = relevance::parse_judged_queries(&read(queries)?)
        .with_context(|| format!("{} is not judged-query JSON lines", queries.display()))?;
    let services = knit_domain::hsds::parse_services(&read(services)?)
        .with_context(|| format!("{} is not an HSDS services file", services.display()))?;
    let mut index = knit_search::DirectoryIndex::new();
    for service in &services {
        index.upsert(service);
    }
    let matcher = Matcher::new();
    let scores = relevance::evaluate(&index, &judged, |words| {
        knit_web::directory::search::need_hints(&matcher.match_text(words))
    });
    for (id, score) in &scores {
        println!("{id:<10} nDCG@10 {score:.3}");
    }
    println!(
        "mean nDCG@10 over {} queries: {:.3}",
        scores.len(),
        relevance::mean(&scores)
    );
    Ok(())
}
