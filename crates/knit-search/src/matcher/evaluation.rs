//! Scoring the matcher against examples a person labelled: JSONL lines of
//! `{"id", "text", "needs"}`, the needs most important first.
//!
//! Figures, all micro-averaged over the needs of every example:
//! - precision, recall and F1 of the needs the matcher *shows*;
//! - recall@3: the share of labelled needs among the first three shown;
//! - top-1: the share of examples whose first shown need is the first labelled need;
//! - the same precision, recall and F1 per need and per domain of the taxonomy, and the
//!   examples missed worst.

use std::fmt;
use std::io::BufRead;

use knit_domain::{NEEDS, NeedDomain, NeedId};
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
    pub text: String,
    pub expected: Vec<NeedId>,
    pub shown: Vec<NeedId>,
}

impl Miss {
    /// How badly the example was missed: each labelled need not shown counts one, the most
    /// important one two (it is the help the person came for), each need shown that was not
    /// labelled one.
    pub fn severity(&self) -> usize {
        let missed: usize = self
            .expected
            .iter()
            .enumerate()
            .filter(|(_, n)| !self.shown.contains(n))
            .map(|(i, _)| if i == 0 { 2 } else { 1 })
            .sum();
        let wrong = self
            .shown
            .iter()
            .filter(|n| !self.expected.contains(n))
            .count();
        missed + wrong
    }
}

/// Counts for one need, or a domain of needs, over every example.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Examples labelled with the need.
    pub labelled: usize,
    /// Examples where the matcher showed it.
    pub shown: usize,
    /// Examples where it was both labelled and shown.
    pub hits: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.labelled += other.labelled;
        self.shown += other.shown;
        self.hits += other.hits;
    }

    pub fn precision(self) -> f64 {
        ratio(self.hits, self.shown)
    }

    pub fn recall(self) -> f64 {
        ratio(self.hits, self.labelled)
    }

    pub fn f1(self) -> f64 {
        f1(self.precision(), self.recall())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NeedsReport {
    pub count: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub recall_at_3: f64,
    pub top1: f64,
    /// Every need of the taxonomy, in its order.
    pub per_need: Vec<(NeedId, Counts)>,
    /// Every domain of the taxonomy, in its order.
    pub per_domain: Vec<(NeedDomain, Counts)>,
    /// Worst first.
    pub misses: Vec<Miss>,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

pub fn evaluate(matcher: &Matcher, examples: &[Example]) -> NeedsReport {
    let (mut hits_at_3, mut top1) = (0, 0);
    let mut per_need: Vec<(NeedId, Counts)> =
        NEEDS.iter().map(|n| (n.id, Counts::default())).collect();
    let mut misses = Vec::new();
    for example in examples {
        let shown: Vec<NeedId> = matcher
            .match_text(&example.text)
            .iter()
            .map(|m| m.need)
            .collect();
        for (need, counts) in &mut per_need {
            let labelled = example.needs.contains(need);
            let is_shown = shown.contains(need);
            counts.add(Counts {
                labelled: usize::from(labelled),
                shown: usize::from(is_shown),
                hits: usize::from(labelled && is_shown),
            });
        }
        hits_at_3 += shown
            .iter()
            .take(3)
            .filter(|n| example.needs.contains(n))
            .count();
        if !shown.is_empty() && shown.first() == example.needs.first() {
            top1 += 1;
        }
        if shown != example.needs {
            misses.push(Miss {
                id: example.id.clone(),
                text: example.text.clone(),
                expected: example.needs.clone(),
                shown,
            });
        }
    }
    misses.sort_by_key(|m| std::cmp::Reverse(m.severity()));
    let mut total = Counts::default();
    for (_, counts) in &per_need {
        total.add(*counts);
    }
    let per_domain = NeedDomain::ALL
        .iter()
        .map(|&domain| {
            let mut counts = Counts::default();
            for (need, c) in &per_need {
                if need.need().domain == domain {
                    counts.add(*c);
                }
            }
            (domain, counts)
        })
        .collect();
    NeedsReport {
        count: examples.len(),
        precision: total.precision(),
        recall: total.recall(),
        f1: total.f1(),
        recall_at_3: ratio(hits_at_3, total.labelled),
        top1: ratio(top1, examples.len()),
        per_need,
        per_domain,
        misses,
    }
}

impl NeedsReport {
    /// The needs labelled in at least one example whose F1 is below `floor`, weakest first.
    pub fn needs_below(&self, floor: f64) -> Vec<(NeedId, Counts)> {
        let mut weak: Vec<(NeedId, Counts)> = self
            .per_need
            .iter()
            .filter(|(_, c)| c.labelled > 0 && c.f1() < floor)
            .copied()
            .collect();
        weak.sort_by(|a, b| a.1.f1().total_cmp(&b.1.f1()));
        weak
    }

    /// One line a need: labelled, shown, hits, precision, recall and F1; needs that are
    /// neither labelled nor shown are left out.
    pub fn per_need_table(&self) -> String {
        let rows = self
            .per_need
            .iter()
            .filter(|(_, c)| c.labelled + c.shown > 0)
            .map(|(need, c)| (need.as_str(), *c));
        table("need", rows)
    }

    pub fn per_domain_table(&self) -> String {
        let rows = self.per_domain.iter().map(|(d, c)| (d.id(), *c));
        table("domain", rows)
    }
}

fn table<'a>(heading: &str, rows: impl Iterator<Item = (&'a str, Counts)>) -> String {
    let mut out = format!(
        "{heading:<22} {:>8} {:>6} {:>5} {:>9} {:>6} {:>5}\n",
        "labelled", "shown", "hits", "precision", "recall", "F1"
    );
    for (name, c) in rows {
        out.push_str(&format!(
            "{name:<22} {:>8} {:>6} {:>5} {:>9.3} {:>6.3} {:>5.3}\n",
            c.labelled,
            c.shown,
            c.hits,
            c.precision(),
            c.recall(),
            c.f1()
        ));
    }
    out
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
            "{}: expected [{}], shown [{}]: {}",
            self.id,
            ids(&self.expected),
            ids(&self.shown),
            self.text
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

    #[test]
    fn counts_are_kept_per_need_and_per_domain_and_misses_rank_worst_first() {
        let examples = parse_examples(
            "{\"id\": \"a\", \"text\": \"the bailiffs are coming\", \"needs\": [\"debt\"]}\n\
             {\"id\": \"b\", \"text\": \"hello there\", \"needs\": [\"food\", \"debt\"]}\n\
             {\"id\": \"c\", \"text\": \"hello again\", \"needs\": [\"smoking\"]}\n"
                .as_bytes(),
        )
        .unwrap();
        let report = evaluate(&Matcher::new(), &examples);
        let counts = |id: &str| {
            let need = NeedId::parse(id).unwrap();
            report.per_need.iter().find(|(n, _)| *n == need).unwrap().1
        };
        let debt = counts("debt");
        assert_eq!((debt.labelled, debt.shown, debt.hits), (2, 1, 1));
        assert_eq!(debt.precision(), 1.0);
        assert_eq!(debt.recall(), 0.5);
        assert_eq!(counts("food").labelled, 1);
        assert_eq!(counts("food").f1(), 0.0);
        let money = report
            .per_domain
            .iter()
            .find(|(d, _)| *d == NeedDomain::Money)
            .unwrap()
            .1;
        assert_eq!((money.labelled, money.hits), (3, 1));
        // b misses its first need (2) and another (1); c misses only its first (2).
        assert_eq!(report.misses[0].id, "b");
        assert_eq!(report.misses[0].severity(), 3);
        let weak: Vec<&str> = report
            .needs_below(0.6)
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(weak, ["food", "smoking"]);
        assert!(report.per_need_table().contains("\ndebt "));
        assert!(!report.per_need_table().contains("\nhousing-advice "));
        assert!(report.per_domain_table().contains("\nhousing "));
    }

    /// The project's own sets, in `eval/` beside this crate.
    fn project_set(name: &str) -> Vec<Example> {
        let path = format!("{}/eval/{name}", env!("CARGO_MANIFEST_DIR"));
        let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        parse_examples(std::io::BufReader::new(file)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn print(name: &str, report: &NeedsReport) {
        println!("{name}: {report}");
        println!("{}", report.per_domain_table());
        println!("{}", report.per_need_table());
        for miss in report.misses.iter().take(40) {
            println!("  {miss}");
        }
    }

    /// Every need named in the project's evaluation files is a need of the taxonomy, both as
    /// Knit compiles it and, where the shared folder is present, as `needs.csv` lists it;
    /// and the ids of each file are unique.
    #[test]
    fn the_project_eval_files_name_only_needs_of_the_taxonomy() {
        let csv = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/taxonomy/needs.csv"
        );
        let listed: Option<Vec<String>> = std::fs::read_to_string(csv).ok().map(|text| {
            text.lines()
                .skip(1)
                .filter_map(|line| line.split(',').next())
                .map(str::to_owned)
                .collect()
        });
        if listed.is_none() {
            eprintln!(
                "{csv} is absent: checking the eval files against the compiled taxonomy only"
            );
        }
        for name in ["blind.jsonl", "tuning.jsonl"] {
            // Parsing already refuses an id Knit does not know.
            let examples = project_set(name);
            assert!(
                examples.len() >= 300,
                "{name} has {} examples",
                examples.len()
            );
            let mut ids: Vec<&str> = examples.iter().map(|e| e.id.as_str()).collect();
            ids.sort_unstable();
            let before = ids.len();
            ids.dedup();
            assert_eq!(before, ids.len(), "{name} repeats an id");
            if let Some(listed) = &listed {
                for example in &examples {
                    for need in &example.needs {
                        assert!(
                            listed.iter().any(|l| l == need.as_str()),
                            "{name} {}: {need} is not in needs.csv",
                            example.id
                        );
                    }
                }
            }
        }
    }

    /// The blind set is measured here, never tuned on; the floors sit a little under what the
    /// matcher measures, so a change that loses ground fails.
    #[test]
    fn the_blind_set_scores_above_the_floor() {
        let report = evaluate(&Matcher::new(), &project_set("blind.jsonl"));
        print("blind", &report);
        // Measured: precision 0.815, recall 0.884, F1 0.848, recall@3 0.884, top-1 0.786.
        assert!(report.precision >= 0.79, "{report}");
        assert!(report.recall >= 0.86, "{report}");
        assert!(report.f1 >= 0.83, "{report}");
        assert!(report.recall_at_3 >= 0.86, "{report}");
        // Measured: the weakest need (legal) at F1 0.58.
        let weak = report.needs_below(0.5);
        assert!(weak.is_empty(), "needs under F1 0.5: {weak:?}");
        assert!(report.top1 >= 0.76, "{report}");
    }

    #[test]
    fn the_tuning_set_scores_above_the_floor() {
        let report = evaluate(&Matcher::new(), &project_set("tuning.jsonl"));
        print("tuning", &report);
        // Measured: precision 0.863, recall 0.951, F1 0.905, recall@3 0.951, top-1 0.851.
        assert!(report.precision >= 0.84, "{report}");
        assert!(report.recall >= 0.93, "{report}");
        assert!(report.f1 >= 0.88, "{report}");
        assert!(report.recall_at_3 >= 0.93, "{report}");
        assert!(report.top1 >= 0.83, "{report}");
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
        print("dev vignettes", &report);
        // Measured: precision 0.94, recall 1.00, F1 0.97, recall@3 0.98, top-1 0.88.
        assert!(report.count >= 40, "{report}");
        assert!(report.precision >= 0.85, "{report}");
        assert!(report.recall >= 0.93, "{report}");
        assert!(report.f1 >= 0.90, "{report}");
        assert!(report.recall_at_3 >= 0.93, "{report}");
        assert!(report.top1 >= 0.80, "{report}");
    }
}
