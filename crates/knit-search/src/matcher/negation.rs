//! Negation: "my benefits are fine, it's the loneliness" is about loneliness, not benefits.
//!
//! Three rules, from plainest to loosest:
//! 1. A denial right before the cue ("it's not the money", "don't need food", "no problems
//!    with the landlord") cancels any cue.
//! 2. A reassurance right after it, in the same clause ("benefits are fine", "debts are
//!    sorted", "the drinking isn't a problem") cancels any cue.
//! 3. A negation word a few words before it in the same clause ("no debts", "I don't
//!    drink", "never been in trouble") cancels only a problem cue: for a topic or a lack
//!    ("no food", "haven't got a job") the negation *is* the need.
//!
//! "can't", "couldn't", "won't" and "wouldn't" are not denials here: "can't pay the rent"
//! and "won't let me see my sister" describe the problem. "not sure" and "don't know" are
//! doubts, not denials.

use super::pattern::{Span, Word};
use super::vocabulary::CueKind;

/// How many words before a problem cue a negation word still reaches.
const PROBLEM_NEGATION_REACH: usize = 4;

const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "nothing",
    "none",
    "nor",
    "neither",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "haven't",
    "hasn't",
    "hadn't",
    "ain't",
    "shouldn't",
];

/// Words after a negation that make it a doubt rather than a denial.
const DOUBTS: &[&str] = &[
    "sure",
    "know",
    "think",
    "certain",
    "understand",
    "just",
    "only",
];

/// Words that start a new clause, so negation before them does not reach past them.
const CLAUSE_STARTS: &[&str] = &[
    "but", "though", "although", "however", "because", "cos", "coz", "cause", "so", "and",
    "whereas", "except", "when", "while", "since", "until", "till", "if", "then", "now",
];

/// Denials that end right before a cue, as word sequences; little words between the
/// denial and the cue are skipped.
const DENIALS_BEFORE: &[&[&str]] = &[
    &["not"],
    &["don't", "need"],
    &["doesn't", "need"],
    &["do", "not", "need"],
    &["no", "need", "for"],
    &["not", "worried", "about"],
    &["not", "bothered", "about"],
    &["not", "struggling", "with"],
    &["not", "looking", "for"],
    &["not", "after"],
    &["no", "problem", "with"],
    &["no", "problems", "with"],
    &["no", "issue", "with"],
    &["no", "issues", "with"],
    &["no", "worries", "about"],
    &["no", "worries", "with"],
    &["nothing", "to", "do", "with"],
    &["nothing", "wrong", "with"],
    &["isn't", "about"],
    &["not", "about"],
    &["not", "because", "of"],
    &["don't", "like"],
    &["don't", "want"],
    &["not", "into"],
    &["not", "interested", "in"],
];

/// Words that may stand between a denial and the cue it denies.
const BETWEEN_DENIAL_AND_CUE: &[&str] = &[
    "the", "my", "a", "an", "our", "his", "her", "their", "any", "about", "really", "actually",
    "even", "that", "much", "so", "too", "all",
];

/// Words that may stand between a cue and the reassurance after it.
const BETWEEN_CUE_AND_REASSURANCE: &[&str] = &[
    "is",
    "'s",
    "are",
    "am",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "all",
    "totally",
    "completely",
    "actually",
    "now",
    "thankfully",
    "fully",
    "pretty",
    "absolutely",
    "already",
    "mostly",
    "fairly",
    "quite",
    "okay",
    "ok",
    "going",
    "seem",
    "seems",
    "feel",
    "feels",
    "perfectly",
    "largely",
    "under",
    "in",
];

const REASSURANCES: &[&str] = &[
    "fine",
    "ok",
    "okay",
    "sorted",
    "alright",
    "good",
    "great",
    "grand",
    "manageable",
    "covered",
    "stable",
    "settled",
    "control",
    "hand",
    "order",
    "brilliant",
    "lovely",
];

/// After "not"/"isn't": the cue is "not a problem".
const NON_PROBLEMS: &[&str] = &["problem", "issue", "worry", "concern", "bother", "struggle"];

pub(crate) fn is_negated(words: &[Word], span: Span, kind: CueKind) -> bool {
    if kind == CueKind::Offer {
        return false;
    }
    denied_before(words, span.first)
        || reassured_after(words, span.last)
        || (kind == CueKind::Problem && negation_in_reach(words, span.first))
}

fn denied_before(words: &[Word], first: usize) -> bool {
    let mut end = skip_between(words, first);
    // A denial covers a list: "no problems with drink or drugs".
    for _ in 0..MAX_LISTED {
        if denial_ends_at(words, end, first) {
            return true;
        }
        let joined = end >= 2
            && matches!(
                words[end - 1].token.norm.as_str(),
                "or" | "and" | "nor" | ","
            )
            && !words[end - 2].token.is_boundary();
        if !joined {
            return false;
        }
        end = skip_between(words, end - 2);
    }
    false
}

/// How many listed items back a denial still reaches.
const MAX_LISTED: usize = 3;

fn skip_between(words: &[Word], mut end: usize) -> usize {
    while end > 0 && BETWEEN_DENIAL_AND_CUE.contains(&words[end - 1].token.norm.as_str()) {
        end -= 1;
    }
    end
}

fn denial_ends_at(words: &[Word], end: usize, first: usize) -> bool {
    DENIALS_BEFORE.iter().any(|denial| {
        // "not just the debt" and "not only" add rather than deny.
        end >= denial.len()
            && words[end - denial.len()..end]
                .iter()
                .zip(denial.iter())
                .all(|(w, d)| w.token.norm == *d)
            && !(denial.len() == 1
                && words[end..first]
                    .iter()
                    .any(|w| matches!(w.token.norm.as_str(), "just" | "even")))
    })
}

fn reassured_after(words: &[Word], last: usize) -> bool {
    let mut pos = last + 1;
    let mut negated = false;
    while let Some(word) = words.get(pos) {
        let norm = word.token.norm.as_str();
        if word.token.is_boundary() {
            return false;
        }
        if matches!(norm, "not" | "isn't" | "aren't" | "wasn't" | "no") {
            negated = true;
        } else if negated && NON_PROBLEMS.contains(&norm) {
            return true;
        } else if !negated && REASSURANCES.contains(&norm) {
            // "under control", "in hand", "in order" need their little word.
            return match norm {
                "control" | "hand" | "order" => {
                    pos > 0 && matches!(words[pos - 1].token.norm.as_str(), "under" | "in")
                }
                _ => true,
            };
        } else if !BETWEEN_CUE_AND_REASSURANCE.contains(&norm)
            && !matches!(norm, "a" | "an" | "the" | "real" | "big")
        {
            return false;
        }
        pos += 1;
    }
    false
}

fn negation_in_reach(words: &[Word], first: usize) -> bool {
    let reach_start = first.saturating_sub(PROBLEM_NEGATION_REACH);
    for pos in (reach_start..first).rev() {
        let norm = words[pos].token.norm.as_str();
        if words[pos].token.is_boundary() || CLAUSE_STARTS.contains(&norm) {
            return false;
        }
        if NEGATIONS.contains(&norm) {
            let next = words.get(pos + 1).map(|w| w.token.norm.as_str());
            return !next.is_some_and(|n| DOUBTS.contains(&n));
        }
    }
    false
}
