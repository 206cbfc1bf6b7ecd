//! Vocabulary phrases compiled to patterns and matched against a person's words.
//!
//! A phrase is words separated by spaces. Each word is matched by its stem, so "evicted"
//! matches "eviction". A word may be:
//! - `a|b|c`: any of these;
//! - `depress*`: any word starting so (matched on the word as written, not its stem);
//! - `@family`: any word of a named class (see `vocabulary::CLASSES`);
//! - `..`: up to [`MAX_GAP`] words of anything ("ex .. turning up").
//!
//! Between two words of a phrase up to [`MAX_FILLERS`] little words ("my", "the", "a bit
//! of") may stand, so "checks phone" matches "checks my phone" and "lose weight" matches
//! "lose a bit of weight". Pronouns are not little words here: "help me" is a need, "help
//! out" an offer. No phrase runs across punctuation.

use super::lexicon::{Lexicon, Term};
use super::text::{Token, tokenize};

const MAX_GAP: usize = 4;
const MAX_FILLERS: usize = 3;

/// Words that may stand between the words of a phrase without breaking it.
const FILLERS: &[&str] = &[
    "a", "an", "the", "my", "your", "his", "her", "their", "our", "'s", "some", "any", "this",
    "that", "really", "so", "very", "just", "all", "too", "up", "own", "bit", "little", "only",
    "be", "been", "being", "is", "are", "was", "were", "am", "of",
];

pub(crate) fn is_filler(norm: &str) -> bool {
    FILLERS.contains(&norm)
}

#[derive(Debug, Clone)]
enum Alt {
    Term(Term),
    Prefix(String),
}

#[derive(Debug, Clone)]
enum Slot {
    Any(Vec<Alt>),
    Gap,
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    slots: Vec<Slot>,
}

/// A word of the text, ready for matching.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub token: Token,
    pub term: Option<Term>,
    pub filler: bool,
}

/// Where a pattern matched: the first and last words the pattern itself named (not gaps or
/// fillers at the edges), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub first: usize,
    pub last: usize,
    /// Words inside a `..` gap, as bits from `first`: they are not the phrase's own words.
    pub gaps: u64,
}

#[derive(Debug, PartialEq)]
pub(crate) struct PatternError(pub String);

impl Pattern {
    pub fn compile(
        phrase: &str,
        lexicon: &mut Lexicon,
        class: &dyn Fn(&str) -> Option<&'static [&'static str]>,
    ) -> Result<Pattern, PatternError> {
        let mut slots = Vec::new();
        for word in phrase.split_whitespace() {
            if word == ".." {
                if slots.is_empty() || matches!(slots.last(), Some(Slot::Gap)) {
                    return Err(PatternError(format!(
                        "\"{phrase}\": a gap must follow a word"
                    )));
                }
                slots.push(Slot::Gap);
                continue;
            }
            if !word.contains(['|', '@', '*']) {
                // Written as a person would write it: "what's", "self-harm" and "I'm" become
                // the same words the text's tokens do.
                for token in tokenize(word) {
                    if token.is_boundary() {
                        return Err(PatternError(format!("\"{phrase}\": punctuation")));
                    }
                    slots.push(Slot::Any(vec![Alt::Term(lexicon.add(&token.norm))]));
                }
                continue;
            }
            let mut alts = Vec::new();
            for alt in word.split('|') {
                if let Some(name) = alt.strip_prefix('@') {
                    let members = class(name)
                        .ok_or_else(|| PatternError(format!("\"{phrase}\": no class @{name}")))?;
                    for member in members {
                        alts.push(Alt::Term(lexicon.add(&single_token(phrase, member)?)));
                    }
                } else if let Some(prefix) = alt.strip_suffix('*') {
                    alts.push(Alt::Prefix(single_token(phrase, prefix)?));
                } else {
                    alts.push(Alt::Term(lexicon.add(&single_token(phrase, alt)?)));
                }
            }
            slots.push(Slot::Any(alts));
        }
        match slots.last() {
            None => Err(PatternError("empty phrase".to_owned())),
            Some(Slot::Gap) => Err(PatternError(format!("\"{phrase}\": ends in a gap"))),
            Some(Slot::Any(_)) => Ok(Pattern { slots }),
        }
    }

    /// The terms a match can start with, for indexing; `None` if it starts with a prefix.
    pub fn first_terms(&self) -> Option<Vec<Term>> {
        let Some(Slot::Any(alts)) = self.slots.first() else {
            return None;
        };
        alts.iter()
            .map(|a| match a {
                Alt::Term(t) => Some(*t),
                Alt::Prefix(_) => None,
            })
            .collect()
    }

    /// Matches the pattern starting exactly at `at`.
    pub fn match_at(&self, words: &[Word], at: usize) -> Option<Span> {
        let mut last = at;
        let mut gaps = 0;
        self.slot_at(0, words, at, at, &mut last, &mut gaps)
            .then_some(Span {
                first: at,
                last,
                gaps,
            })
    }

    fn slot_at(
        &self,
        k: usize,
        words: &[Word],
        at: usize,
        first: usize,
        last: &mut usize,
        gaps: &mut u64,
    ) -> bool {
        let Some(slot) = self.slots.get(k) else {
            return true;
        };
        match slot {
            Slot::Gap => {
                for gap in 0..=MAX_GAP {
                    if gap > 0
                        && words
                            .get(at + gap - 1)
                            .is_none_or(|w| w.token.is_boundary())
                    {
                        return false;
                    }
                    if self.slot_at(k + 1, words, at + gap, first, last, gaps) {
                        for skipped in at..at + gap {
                            if skipped - first < 64 {
                                *gaps |= 1 << (skipped - first);
                            }
                        }
                        return true;
                    }
                }
                false
            }
            Slot::Any(alts) => {
                let mut pos = at;
                let mut skipped = 0;
                loop {
                    let Some(word) = words.get(pos) else {
                        return false;
                    };
                    if word.token.is_boundary() {
                        return false;
                    }
                    if alts.iter().any(|a| alt_matches(a, word))
                        && self.slot_at(k + 1, words, pos + 1, first, last, gaps)
                    {
                        *last = (*last).max(pos);
                        return true;
                    }
                    let after_gap = k > 0 && matches!(self.slots[k - 1], Slot::Gap);
                    if k == 0 || after_gap || !word.filler || skipped == MAX_FILLERS {
                        return false;
                    }
                    skipped += 1;
                    pos += 1;
                }
            }
        }
    }
}

/// An alternative must be one word once tokenised, like the text's words.
fn single_token(phrase: &str, word: &str) -> Result<String, PatternError> {
    let tokens = tokenize(word);
    match tokens.as_slice() {
        [token] if !token.is_boundary() => Ok(token.norm.clone()),
        _ => Err(PatternError(format!(
            "\"{phrase}\": \"{word}\" is not one word"
        ))),
    }
}

fn alt_matches(alt: &Alt, word: &Word) -> bool {
    match alt {
        Alt::Term(t) => word.term == Some(*t),
        Alt::Prefix(p) => word.token.norm.starts_with(p.as_str()),
    }
}
