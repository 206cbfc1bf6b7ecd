//! Knit's own words for each need (its label and description) as a tiny index of 43
//! documents, so "debt" finds every debt service even when a listing never says "debt":
//! the words name a need, and the services meeting it are found through their needs.
//!
//! Keeping these words here rather than in every service's postings costs nothing per
//! service and lets "why this result" say which need matched.

use std::collections::HashMap;

use knit_domain::NEEDS;

use super::analyzer;

/// A word in a need's label says more than one in its description.
const LABEL: f32 = 2.0;
const DESCRIPTION: f32 = 1.0;
/// "lonely" reaching "loneliness": a longer form counts for less.
const LONGER_FORM: f32 = 0.6;
/// Below this a need is only brushed by the words ("help" is in many descriptions).
const THRESHOLD: f32 = 0.25;

#[derive(Debug)]
pub struct NeedsVocabulary {
    /// Stem to (need index, weight), the best weight per need.
    stems: HashMap<String, Vec<(usize, f32)>>,
}

impl NeedsVocabulary {
    pub fn new() -> NeedsVocabulary {
        let mut stems: HashMap<String, Vec<(usize, f32)>> = HashMap::new();
        for (i, need) in NEEDS.iter().enumerate() {
            for (text, weight) in [(need.label, LABEL), (need.description, DESCRIPTION)] {
                for token in analyzer::tokens(text) {
                    let entry = stems.entry(token.stem).or_default();
                    match entry.iter_mut().find(|(n, _)| *n == i) {
                        Some((_, w)) => *w = w.max(weight),
                        None => entry.push((i, weight)),
                    }
                }
            }
        }
        NeedsVocabulary { stems }
    }

    /// For each need in [`NEEDS`] order, how clearly the words ask for it, 0 to 1.
    pub fn strengths(&self, words: &[String]) -> Vec<f32> {
        let mut strengths = vec![0f32; NEEDS.len()];
        let max_idf = (1.0 + NEEDS.len() as f32).ln();
        let mut possible = 0f32;
        for word in words.iter().filter(|w| !analyzer::is_stop_word(w)) {
            let weight = analyzer::weight_of(word);
            let stem = analyzer::stem(word);
            // "foodbank" is "food bank" to the needs' own words.
            let parts = match self.matches(&stem) {
                Some(matched) => vec![matched],
                None => self.split(word).unwrap_or_default(),
            };
            if parts.is_empty() {
                possible += weight * max_idf * LABEL;
            }
            for matched in parts {
                possible += weight * max_idf * LABEL;
                let df = matched.iter().filter(|m| **m > 0.0).count();
                let idf = (1.0 + NEEDS.len() as f32 / df as f32).ln();
                for (strength, m) in strengths.iter_mut().zip(&matched) {
                    *strength += weight * idf * m;
                }
            }
        }
        if possible > 0.0 {
            for strength in &mut strengths {
                *strength /= possible;
                if *strength < THRESHOLD {
                    *strength = 0.0;
                }
            }
        }
        strengths
    }

    /// How well each need's words match one stem, or None when no need uses it.
    fn matches(&self, stem: &str) -> Option<Vec<f32>> {
        let mut matched = vec![0f32; NEEDS.len()];
        let mut any = false;
        for (need_stem, needs) in &self.stems {
            let factor = if need_stem == stem {
                1.0
            } else if stem.chars().count() >= 4 && need_stem.starts_with(stem) {
                LONGER_FORM
            } else {
                continue;
            };
            for &(i, w) in needs {
                matched[i] = matched[i].max(w * factor);
                any = true;
            }
        }
        any.then_some(matched)
    }

    /// A run-together word whose two halves are both need words.
    fn split(&self, word: &str) -> Option<Vec<Vec<f32>>> {
        if word.len() < 6 || !word.is_ascii() {
            return None;
        }
        (3..=word.len() - 3).find_map(|i| {
            let (left, right) = word.split_at(i);
            let (left, right) = (analyzer::stem(left), analyzer::stem(right));
            if !(self.stems.contains_key(&left) && self.stems.contains_key(&right)) {
                return None;
            }
            let (left, right) = (self.matches(&left)?, self.matches(&right)?);
            Some(vec![left, right])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use knit_domain::NeedId;

    fn strongest(words: &str) -> Option<NeedId> {
        let words: Vec<String> = analyzer::words(words).collect();
        let strengths = NeedsVocabulary::new().strengths(&words);
        let (i, s) = strengths
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))?;
        (*s > 0.0).then_some(NEEDS[i].id)
    }

    #[test]
    fn the_needs_own_words_name_them() {
        let need = |id| Some(NeedId::parse(id).unwrap());
        assert_eq!(strongest("help with debt"), need("debt"));
        assert_eq!(strongest("lonely"), need("loneliness"));
        assert_eq!(strongest("stop smoking"), need("smoking"));
        assert_eq!(
            strongest("foodbank"),
            need("food"),
            "a run-together word is split"
        );
        assert_eq!(strongest("learn english"), need("esol"));
        assert_eq!(strongest("bicycle"), None, "a word no need uses names none");
    }
}
