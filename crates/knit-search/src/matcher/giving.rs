//! The giving side: "I used to be a chef, I'd love to cook for people" is an offer of
//! help, so it points to volunteering and not to food or healthy eating.
//!
//! An offer cue opens a scope that runs to the end of its sentence, or to a "but", or to a
//! comma after which the person starts talking about themself again ("..., I'm lonely").
//! Needs found inside that scope are what the person offers, so they are not shown.

use super::pattern::Word;

/// Words after a comma that start a new thought about the person, closing the offer.
const NEW_SUBJECT: &[&str] = &[
    "i", "we", "my", "me", "he", "she", "they", "but", "it", "our",
];

const CONTRASTS: &[&str] = &["but", "though", "although", "however", "except"];

/// Words that introduce what someone does or did for a living: beside an offer, a
/// "youth worker" or a "retired nurse" is a skill brought, not a need.
const OCCUPATION_MARKERS: &[&[&str]] = &[
    &["used", "to", "be"],
    &["worked", "as"],
    &["work", "as"],
    &["trained", "as"],
    &["retired"],
    &["former"],
    &["qualified"],
];

/// Whether the cue starting at word `first` names the person's own occupation.
pub(crate) fn names_occupation(words: &[Word], first: usize) -> bool {
    let from = first.saturating_sub(4);
    // The marker must be in the same clause: "a retired chef, widowed last year" is
    // widowed, whatever the chef.
    let from = (from..first)
        .rev()
        .find(|&i| words[i].token.is_boundary())
        .map_or(from, |i| i + 1);
    (from..first).any(|start| {
        OCCUPATION_MARKERS.iter().any(|marker| {
            start + marker.len() <= first
                && words[start..start + marker.len()]
                    .iter()
                    .zip(marker.iter())
                    .all(|(w, m)| w.token.norm == *m)
        })
    })
}

/// Whether an offer's scope says who it is for ("a walking group for new mums").
pub(crate) fn names_beneficiaries(words: &[Word], start: usize, end: usize) -> bool {
    words[start..end.min(words.len())]
        .iter()
        .any(|w| w.token.norm == "for")
}

/// Where the sentence holding word `at` starts.
pub(crate) fn sentence_start(words: &[Word], at: usize) -> usize {
    (0..at)
        .rev()
        .find(|&i| words[i].token.is_boundary() && words[i].token.norm != ",")
        .map_or(0, |i| i + 1)
}

/// The end (exclusive word index) of the offer scope opened by a cue ending at `last`.
pub(crate) fn offer_scope_end(words: &[Word], last: usize) -> usize {
    let mut pos = last + 1;
    while let Some(word) = words.get(pos) {
        let norm = word.token.norm.as_str();
        if word.token.is_boundary() {
            let next = words.get(pos + 1).map(|w| w.token.norm.as_str());
            let continues = norm == "," && next.is_some_and(|n| !NEW_SUBJECT.contains(&n));
            if !continues {
                return pos;
            }
        } else if CONTRASTS.contains(&norm) {
            return pos;
        }
        pos += 1;
    }
    pos
}
