//! The needs matcher: a person's own words to the kinds of help they need.
//!
//! "My ex keeps turning up, the bailiffs are at the door and I can't sleep" becomes
//! domestic abuse, debt advice and mental health support, each with the words that
//! triggered it, so Knit can say "we picked up: bailiffs -> debt advice". The text is only
//! read: nothing here stores it, logs it or sends it anywhere.
//!
//! How: the text is tokenised ([`text`]), each word mapped to a vocabulary term by its stem
//! or, if misspelt, by a known word one edit away ([`lexicon`]); the phrases of the
//! [`vocabulary`] are matched ([`pattern`]); cues that are denied ([`negation`]) or that
//! describe what the person offers rather than needs ([`giving`]) are dropped; the rest
//! add up per need, and urgent needs rank first.

pub mod evaluation;
mod giving;
mod jsonl;
mod lexicon;
mod negation;
mod pattern;
mod real_words;
mod text;
mod vocabulary;

use std::collections::HashMap;

use knit_domain::NeedId;

pub use jsonl::{JsonlError, run_jsonl};

use lexicon::{Lexicon, Term};
use pattern::{Pattern, Span, Word};
use vocabulary::{Absorb, Cue, CueKind};

/// A need is shown when the evidence for it reaches this score.
pub const SHOW_THRESHOLD: f32 = 0.5;

/// Another phrase of a cue already found adds only this share of its weight: "hospital"
/// and "appointments" are one hint of a health condition, not two.
const SAME_CUE_FACTOR: f32 = 0.25;

/// Scores within the same band of this width rank by which need the person raised first.
const SCORE_BAND: f32 = 0.05;

/// A need settled with this score takes in weaker evidence for the needs it absorbs.
const SETTLED: f32 = 0.75;

/// A misspelt word is slightly weaker evidence than the word spelt right.
const CORRECTED_WORD_FACTOR: f32 = 0.9;

#[derive(Debug, Clone, PartialEq)]
pub struct NeedMatch {
    pub need: NeedId,
    /// 0..=1, higher is surer.
    pub score: f32,
    /// The words or phrases of the text that triggered this need, as the person wrote them.
    pub because: Vec<String>,
    /// The text suggests danger or crisis now (abuse, nowhere to sleep tonight, thoughts of
    /// suicide): pages put crisis contacts first.
    pub urgent: bool,
}

/// One vocabulary phrase, compiled.
struct CompiledPhrase {
    pattern: Pattern,
    cue: usize,
}

struct CompiledCue {
    needs: Vec<(NeedId, f32)>,
    kind: CueKind,
    urgent: bool,
}

/// Turns free text into needs. Build it once ([`Matcher::new`] compiles the vocabulary) and
/// share it: matching takes `&self`.
pub struct Matcher {
    lexicon: Lexicon,
    cues: Vec<CompiledCue>,
    phrases: Vec<CompiledPhrase>,
    /// Phrases by the terms they can start with.
    by_first_term: HashMap<Term, Vec<usize>>,
    /// Phrases that start with a prefix (`depress*`), tried at every word.
    prefix_first: Vec<usize>,
    always_urgent: Vec<NeedId>,
    absorbs: Vec<(NeedId, NeedId, Absorb)>,
    giveable: Vec<NeedId>,
    /// The need of starting a group or project.
    starting: Option<NeedId>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("cues", &self.cues.len())
            .field("phrases", &self.phrases.len())
            .finish_non_exhaustive()
    }
}

impl Default for Matcher {
    fn default() -> Matcher {
        Matcher::new()
    }
}

/// One cue found in the text and not cancelled.
struct Found {
    cue: usize,
    phrase: usize,
    span: Span,
    corrected: bool,
}

impl Matcher {
    /// Compiles the built-in vocabulary.
    ///
    /// # Panics
    /// If the vocabulary names a need that is not in the taxonomy or holds a malformed
    /// phrase; a unit test compiles it, so this cannot reach a release.
    pub fn new() -> Matcher {
        let mut lexicon = Lexicon::new();
        let mut cues = Vec::new();
        let mut phrases = Vec::new();
        for cue in vocabulary::cues() {
            let index = cues.len();
            cues.push(compile_cue(cue));
            for phrase in cue.phrases {
                let pattern = Pattern::compile(phrase, &mut lexicon, &vocabulary::class)
                    .unwrap_or_else(|e| panic!("vocabulary phrase {}", e.0));
                phrases.push(CompiledPhrase {
                    pattern,
                    cue: index,
                });
            }
        }
        let mut by_first_term: HashMap<Term, Vec<usize>> = HashMap::new();
        let mut prefix_first = Vec::new();
        for (i, phrase) in phrases.iter().enumerate() {
            match phrase.pattern.first_terms() {
                Some(terms) => {
                    for term in terms {
                        by_first_term.entry(term).or_default().push(i);
                    }
                }
                None => prefix_first.push(i),
            }
        }
        let always_urgent = vocabulary::ALWAYS_URGENT
            .iter()
            .map(|id| need_id(id))
            .collect();
        let absorbs = vocabulary::ABSORBS
            .iter()
            .map(|&(a, b, how)| (need_id(a), need_id(b), how))
            .collect();
        let giveable = vocabulary::GIVEABLE.iter().map(|id| need_id(id)).collect();
        Matcher {
            lexicon,
            cues,
            phrases,
            by_first_term,
            prefix_first,
            always_urgent,
            absorbs,
            giveable,
            starting: NeedId::parse("community-action").ok(),
        }
    }

    /// The needs to show for this text, best first: urgent needs, then by score.
    pub fn match_text(&self, text: &str) -> Vec<NeedMatch> {
        let mut ranked = self.rank_text(text);
        ranked.retain(|m| m.score >= SHOW_THRESHOLD);
        ranked
    }

    /// Every need with any evidence in the text, best first, including those too weak to
    /// show. For search hints and for measuring the ranking.
    pub fn rank_text(&self, text: &str) -> Vec<NeedMatch> {
        let words = self.words(text);
        let found = self.find(&words);
        self.score(text, &words, &found)
    }

    fn words(&self, text: &str) -> Vec<(Word, bool)> {
        text::tokenize(text)
            .into_iter()
            .map(|token| {
                let lookup = if token.is_boundary() {
                    None
                } else {
                    self.lexicon.lookup(&token.norm)
                };
                let filler = pattern::is_filler(&token.norm);
                let corrected = lookup.is_some_and(|l| l.corrected);
                (
                    Word {
                        token,
                        term: lookup.map(|l| l.term),
                        filler,
                    },
                    corrected,
                )
            })
            .collect()
    }

    fn find(&self, words: &[(Word, bool)]) -> Vec<Found> {
        let plain: Vec<Word> = words.iter().map(|(w, _)| w.clone()).collect();
        let mut found: Vec<Found> = Vec::new();
        for (at, word) in plain.iter().enumerate() {
            if word.token.is_boundary() {
                continue;
            }
            let indexed = word.term.and_then(|t| self.by_first_term.get(&t));
            let candidates = indexed.into_iter().flatten().chain(&self.prefix_first);
            for &p in candidates {
                let phrase = &self.phrases[p];
                if let Some(span) = phrase.pattern.match_at(&plain, at) {
                    let corrected = words[span.first..=span.last].iter().any(|(_, c)| *c);
                    found.push(Found {
                        cue: phrase.cue,
                        phrase: p,
                        span,
                        corrected,
                    });
                }
            }
        }
        // The longest phrase speaks for its words: "carer's allowance" is benefits (and
        // says so), not a second, separate mention of a carer.
        let spans: Vec<Span> = found.iter().map(|f| f.span).collect();
        found.retain(|f| {
            !spans.iter().any(|o| {
                o.first <= f.span.first
                    && f.span.last <= o.last
                    && (o.last - o.first) > (f.span.last - f.span.first)
                    && (f.span.first..=f.span.last)
                        .all(|t| t - o.first >= 64 || o.gaps & (1 << (t - o.first)) == 0)
            })
        });
        found.retain(|f| !negation::is_negated(&plain, f.span, self.cues[f.cue].kind));
        // What sits inside an offer is what the person gives; skills and interests named
        // anywhere in the offer's sentence are what they bring ("I'm a keen gardener and
        // I'd love to help").
        // Someone starting a group keeps its subject: a community garden is still
        // gardening, a walking group still exercise; the people it is for are not the
        // starter's needs.
        let offers: Vec<(usize, usize, usize, bool)> = found
            .iter()
            .filter(|f| self.cues[f.cue].kind == CueKind::Offer)
            .map(|f| {
                let sentence = giving::sentence_start(&plain, f.span.first);
                let starts_something = self.cues[f.cue]
                    .needs
                    .iter()
                    .any(|(n, _)| Some(*n) == self.starting);
                let end = giving::offer_scope_end(&plain, f.span.last);
                // ... unless it is "for" others: a walking group for new mums.
                let keeps_subject =
                    starts_something && !giving::names_beneficiaries(&plain, f.span.first, end);
                (sentence, f.span.first, end, keeps_subject)
            })
            .collect();
        found.retain(|f| {
            let cue = &self.cues[f.cue];
            if cue.kind == CueKind::Offer || offers.is_empty() {
                return true;
            }
            if giving::names_occupation(&plain, f.span.first) {
                return false;
            }
            let giveable = cue.needs.iter().all(|(n, _)| self.giveable.contains(n));
            !offers.iter().any(|&(sentence, start, end, keeps_subject)| {
                let from = if giveable { sentence } else { start };
                !(keeps_subject && giveable) && f.span.first >= from && f.span.first < end
            })
        });
        found
    }

    fn score(&self, text: &str, words: &[(Word, bool)], found: &[Found]) -> Vec<NeedMatch> {
        struct Item {
            cue: usize,
            phrase: usize,
            weight: f32,
            bytes: std::ops::Range<usize>,
            quote: String,
        }
        let mut by_need: HashMap<NeedId, (Vec<Item>, bool)> = HashMap::new();
        for f in found {
            let cue = &self.cues[f.cue];
            let start = words[f.span.first].0.token.span.start;
            let end = words[f.span.last].0.token.span.end;
            for &(need, weight) in &cue.needs {
                let weight = if f.corrected {
                    weight * CORRECTED_WORD_FACTOR
                } else {
                    weight
                };
                let (items, urgent) = by_need.entry(need).or_default();
                *urgent |= cue.urgent;
                items.push(Item {
                    cue: f.cue,
                    phrase: f.phrase,
                    weight,
                    bytes: start..end,
                    quote: text[start..end].to_owned(),
                });
            }
        }
        // Each piece of evidence counts once per need: a phrase said twice, two phrases over
        // the same words, or the same word repeated add nothing. Strongest first, then in the
        // order the person said it.
        for (items, _) in by_need.values_mut() {
            items.sort_by(|a, b| {
                b.weight
                    .total_cmp(&a.weight)
                    .then(a.bytes.start.cmp(&b.bytes.start))
            });
            let mut kept: Vec<Item> = Vec::with_capacity(items.len());
            for item in items.drain(..) {
                let repeated = kept.iter().any(|k| {
                    k.phrase == item.phrase
                        || (k.bytes.start < item.bytes.end && item.bytes.start < k.bytes.end)
                        || k.quote.eq_ignore_ascii_case(&item.quote)
                });
                if !repeated {
                    let mut item = item;
                    if kept.iter().any(|k| k.cue == item.cue) {
                        item.weight *= SAME_CUE_FACTOR;
                    }
                    kept.push(item);
                }
            }
            *items = kept;
        }
        // A settled need takes in another need's weaker evidence.
        let score_of = |need: NeedId, by_need: &HashMap<NeedId, (Vec<Item>, bool)>| {
            by_need.get(&need).map_or(0.0, |(items, _)| {
                1.0 - items.iter().map(|i| 1.0 - i.weight).product::<f32>()
            })
        };
        let strongest = |need: NeedId, by_need: &HashMap<NeedId, (Vec<Item>, bool)>| {
            by_need
                .get(&need)
                .and_then(|(items, _)| items.first())
                .map_or(0.0, |i| i.weight)
        };
        for &(settled, absorbed, how) in &self.absorbs {
            if score_of(settled, &by_need) >= SETTLED
                && (how == Absorb::All || strongest(absorbed, &by_need) < vocabulary::DECISIVE)
            {
                by_need.remove(&absorbed);
            }
        }
        let mut matches: Vec<(bool, usize, NeedMatch)> = by_need
            .into_iter()
            .map(|(need, (items, urgent))| {
                // The chance every piece of evidence is wrong, taken as independent.
                let doubt: f32 = items.iter().map(|i| 1.0 - i.weight).product();
                let urgent = urgent || self.always_urgent.contains(&need);
                let score = (1.0 - doubt).clamp(0.0, 1.0);
                let first = items.iter().map(|i| i.bytes.start).min().unwrap_or(0);
                let because = items.into_iter().map(|i| i.quote).collect();
                (
                    urgent,
                    first,
                    NeedMatch {
                        need,
                        score,
                        because,
                        urgent,
                    },
                )
            })
            .collect();
        // Urgent needs first; then by score, where scores this close count as equal and
        // the need the person raised first goes first.
        let band = |score: f32| (score / SCORE_BAND) as u32;
        matches.sort_by(|(ua, fa, a), (ub, fb, b)| {
            let shown_a = a.score >= SHOW_THRESHOLD;
            let shown_b = b.score >= SHOW_THRESHOLD;
            (shown_b && *ub)
                .cmp(&(shown_a && *ua))
                .then(band(b.score).cmp(&band(a.score)))
                .then(fa.cmp(fb))
                .then(b.score.total_cmp(&a.score))
        });
        matches.into_iter().map(|(_, _, m)| m).collect()
    }
}

fn need_id(id: &str) -> NeedId {
    NeedId::parse(id).unwrap_or_else(|e| panic!("vocabulary: {e}"))
}

fn compile_cue(cue: &Cue) -> CompiledCue {
    CompiledCue {
        needs: cue
            .needs
            .iter()
            .map(|&(id, weight)| (need_id(id), weight))
            .collect(),
        kind: cue.kind,
        urgent: cue.urgent,
    }
}

/// Every need in the taxonomy has vocabulary; checked by a test.
#[cfg(test)]
fn needs_without_cues() -> Vec<NeedId> {
    knit_domain::NEEDS
        .iter()
        .map(|n| n.id)
        .filter(|id| !vocabulary::cues().any(|c| c.needs.iter().any(|(n, _)| *n == id.as_str())))
        .collect()
}

#[cfg(test)]
mod tests;
