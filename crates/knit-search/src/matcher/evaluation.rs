//! Scoring the matcher against examples a person labelled: JSONL lines of
//! `{"id", "text", "needs"}`, the needs most important first.
//!
//! Figures, all micro-averaged over the needs of every example:
//! - precision, recall and F1 of the needs the matcher *shows*;
//! - recall@3: the share of labelled needs among the first three shown;
//! - top-1: the share of examples whose first shown need is the first labelled need.

use std::fmt;
use std::io::BufRead;

use knit_domain::NeedId;
use serde::Deserialize;

use super::{JsonlError, Matcher};

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Example {
    pub id: String,
    pub text: String,
    /// Most important first.
    pub needs: Vec<NeedId>,
}

/// Parses example lines; blank lines are skipped, a bad line is an error naming it.
pub fn parse_examples(input: impl BufRead) -> Result<Vec<Example>, JsonlError> {
    let mut examples = Vec::new();
    for (index, line) in input.lines().enumerate() {
        let number = index + 1;
        let line = line.map_err(|source| JsonlError::Read {
            line: number,
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let example = serde_json::from_str(&line).map_err(|e| JsonlError::BadLine {
            line: number,
            message: format!("expected {{\"id\", \"text\", \"needs\": [need ids]}}: {e}"),
        })?;
        examples.push(example);
    }
    Ok(examples)
}

/// An example the matcher did not get exactly right.
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub id: String,
    pub expected: Vec<NeedId>,
    pub shown: Vec<NeedId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NeedsReport {
    pub count: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub recall_at_3: f64,
    pub top1: f64,
    pub misses: Vec<Miss>,
}

pub fn evaluate(matcher: &Matcher, examples: &[Example]) -> NeedsReport {
    let (mut hits, mut shown_total, mut gold_total, mut hits_at_3, mut top1) = (0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for example in examples {
        let shown: Vec<NeedId> = matcher
            .match_text(&example.text)
            .iter()
            .map(|m| m.need)
            .collect();
        hits += shown.iter().filter(|n| example.needs.contains(n)).count();
        hits_at_3 += shown
            .iter()
            .take(3)
            .filter(|n| example.needs.contains(n))
            .count();
        shown_total += shown.len();
        gold_total += example.needs.len();
        if !shown.is_empty() && shown.first() == example.needs.first() {
            top1 += 1;
        }
        if shown != example.needs {
            misses.push(Miss {
                id: example.id.clone(),
                expected: example.needs.clone(),
                shown,
            });
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(hits, shown_total);
    let recall = ratio(hits, gold_total);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    NeedsReport {
        count: examples.len(),
        precision,
        recall,
        f1,
        recall_at_3: ratio(hits_at_3, gold_total),
        top1: ratio(top1, examples.len()),
        misses,
    }
}

impl fmt::Display for NeedsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} examples: precision {:.3}, recall {:.3}, F1 {:.3}, recall@3 {:.3}, top-1 {:.3}",
            self.count, self.precision, self.recall, self.f1, self.recall_at_3, self.top1
        )
    }
}

impl fmt::Display for Miss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids = |needs: &[NeedId]| {
            needs
                .iter()
                .map(|n| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(
            f,
            "{}: expected [{}], shown [{}]",
            self.id,
            ids(&self.expected),
            ids(&self.shown)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV_SET: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/vignettes-dev.jsonl"
    );

    #[test]
    fn figures_count_shown_needs_against_labelled_ones() {
        let examples = parse_examples(
            "{\"id\": \"1\", \"text\": \"the bailiffs are coming\", \"needs\": [\"debt\"]}\n\
             {\"id\": \"2\", \"text\": \"hello there\", \"needs\": [\"food\"]}\n"
                .as_bytes(),
        )
        .unwrap();
        let report = evaluate(&Matcher::new(), &examples);
        assert_eq!(report.count, 2);
        assert_eq!(report.precision, 1.0);
        assert_eq!(report.recall, 0.5);
        assert_eq!(report.top1, 0.5);
        assert_eq!(report.misses.len(), 1);
        assert_eq!(report.misses[0].id, "2");
        assert!(
            report
                .to_string()
                .starts_with("2 examples: precision 1.000, recall 0.500")
        );
    }

    #[test]
    fn an_unknown_need_in_an_example_is_an_error_naming_the_line() {
        let err = parse_examples(
            "\n{\"id\": \"1\", \"text\": \"x\", \"needs\": [\"cake\"]}\n".as_bytes(),
        )
        .unwrap_err();
        assert!(matches!(err, JsonlError::BadLine { line: 2, .. }), "{err}");
    }

    /// The development vignettes from the shared folder. The floor sits a little under
    /// what the matcher measures, so a change that loses ground fails here.
    #[test]
    fn the_dev_vignettes_score_above_the_floor() {
        let file = match std::fs::File::open(DEV_SET) {
            Ok(file) => file,
            Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("CI=true and the dev vignettes are missing at {DEV_SET}: {e}")
            }
            Err(e) => {
                eprintln!("skipping the dev-vignette evaluation: cannot open {DEV_SET}: {e}");
                return;
            }
        };
        let examples = parse_examples(std::io::BufReader::new(file)).unwrap();
        let report = evaluate(&Matcher::new(), &examples);
        println!("dev vignettes: {report}");
        for miss in &report.misses {
            println!("  {miss}");
        }
        // Measured: precision 0.94, recall 1.00, F1 0.97, recall@3 0.98, top-1 0.88.
        assert!(report.count >= 40, "{report}");
        assert!(report.precision >= 0.85, "{report}");
        assert!(report.recall >= 0.93, "{report}");
        assert!(report.f1 >= 0.90, "{report}");
        assert!(report.recall_at_3 >= 0.93, "{report}");
        assert!(report.top1 >= 0.80, "{report}");
    }
}
