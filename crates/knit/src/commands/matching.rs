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

pub fn evaluate(file: &Path) -> anyhow::Result<()> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("could not open {}", file.display()))?;
    let examples = evaluation::parse_examples(BufReader::new(reader))?;
    let report = evaluation::evaluate(&Matcher::new(), &examples);
    println!("{report}");
    Ok(())
}
