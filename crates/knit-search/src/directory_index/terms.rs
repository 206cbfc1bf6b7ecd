//! The term dictionary and its postings: which services use which stemmed word, how
//! strongly, and how a query word that is not in the dictionary finds its neighbours
//! (longer forms and typing slips).

use std::collections::BTreeMap;

use foldhash::HashMap;

use super::analyzer;

pub type TermId = u32;

/// The services using one term, in slot order, with the field-weighted count of uses
/// (in quarters, to fit a u16).
#[derive(Debug, Default)]
pub struct Postings {
    pub slots: Vec<u32>,
    pub weights: Vec<u16>,
}

impl Postings {
    pub fn contains(&self, slot: u32) -> bool {
        self.slots.binary_search(&slot).is_ok()
    }
}

/// Quarters of a use: a name word (weight 3) is 12, a description word 4.
pub const WEIGHT_SCALE: f32 = 4.0;

#[derive(Debug, Default)]
pub struct Terms {
    ids: BTreeMap<Box<str>, TermId>,
    /// The word as listings first wrote it, for "why this result".
    surfaces: Vec<Box<str>>,
    stems: Vec<Box<str>>,
    /// Which letters each stem uses, to rule out most typo candidates in one step.
    letters: Vec<u32>,
    /// Every word listings have used, to its term (None for stop words).
    words: HashMap<Box<str>, Option<TermId>>,
    pub postings: Vec<Postings>,
    /// Term ids by stem length in bytes, for typo candidates.
    by_length: Vec<Vec<TermId>>,
}

/// A dictionary term a query word reaches, and how much that reach is worth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    pub term: TermId,
    pub factor: f32,
}

/// A longer form of the word ("lonely" reaching "loneliness") counts for less than the
/// word itself, and a typing slip for less again.
const LONGER_FORM: f32 = 0.6;
const TYPO: f32 = 0.7;
const MAX_LONGER_FORMS: usize = 12;

impl Terms {
    pub fn id(&self, stem: &str) -> Option<TermId> {
        self.ids.get(stem).copied()
    }

    pub fn surface(&self, term: TermId) -> &str {
        &self.surfaces[term as usize]
    }

    pub fn len(&self) -> usize {
        self.surfaces.len()
    }

    /// The term a listing's word (lower-cased, as [`analyzer::for_each_word`] gives it)
    /// stands for, or None for a stop word. Each distinct word is stemmed once and
    /// remembered, which makes building the index several times faster.
    pub fn term_for_word(&mut self, word: &str) -> Option<TermId> {
        if let Some(&term) = self.words.get(word) {
            return term;
        }
        let term =
            (!analyzer::is_stop_word(word)).then(|| self.intern(&analyzer::stem(word), word));
        self.words.insert(word.into(), term);
        term
    }

    fn intern(&mut self, stem: &str, surface: &str) -> TermId {
        if let Some(&term) = self.ids.get(stem) {
            return term;
        }
        let term = self.surfaces.len() as TermId;
        self.ids.insert(stem.into(), term);
        self.surfaces.push(surface.into());
        let length = stem.len();
        self.stems.push(stem.into());
        self.letters.push(letter_mask(stem.as_bytes()));
        self.postings.push(Postings::default());
        if self.by_length.len() <= length {
            self.by_length.resize_with(length + 1, Vec::new);
        }
        self.by_length[length].push(term);
        term
    }

    /// Records that `slot` uses `term` with this weight. Slots only ever grow, so
    /// postings stay sorted.
    pub fn push(&mut self, term: TermId, slot: u32, weight: f32) {
        let postings = &mut self.postings[term as usize];
        postings.slots.push(slot);
        postings.weights.push(
            (weight * WEIGHT_SCALE)
                .round()
                .clamp(1.0, f32::from(u16::MAX)) as u16,
        );
    }

    /// The terms a query stem reaches: itself, its longer forms, and, when neither is in
    /// the dictionary, the nearest spellings (one slip for 4 letters or more, two for 8).
    pub fn reach(&self, stem: &str) -> Vec<Reach> {
        let mut out = Vec::new();
        if let Some(term) = self.id(stem) {
            out.push(Reach { term, factor: 1.0 });
        }
        if stem.chars().count() >= 4 {
            let mut longer: Vec<TermId> = self
                .ids
                .range::<str, _>((std::ops::Bound::Excluded(stem), std::ops::Bound::Unbounded))
                .take_while(|(s, _)| s.starts_with(stem))
                .map(|(_, &t)| t)
                .collect();
            // The commonest longer forms are the likeliest meant.
            longer.sort_by_key(|&t| std::cmp::Reverse(self.postings[t as usize].slots.len()));
            out.extend(longer.into_iter().take(MAX_LONGER_FORMS).map(|term| Reach {
                term,
                factor: LONGER_FORM,
            }));
        }
        if out.is_empty() {
            out = self.near_spellings(stem);
        }
        out
    }

    fn near_spellings(&self, stem: &str) -> Vec<Reach> {
        let letters = stem.chars().count();
        let allowed = match letters {
            0..=3 => return Vec::new(),
            4..=7 => 1,
            _ => 2,
        };
        let query = stem.as_bytes();
        let query_letters = letter_mask(query);
        let mut best = allowed + 1;
        let mut found: Vec<TermId> = Vec::new();
        let lengths = query.len().saturating_sub(allowed)..=query.len() + allowed;
        for length in lengths {
            let Some(terms) = self.by_length.get(length) else {
                continue;
            };
            for &term in terms {
                // One slip changes at most two of the letters used.
                if (self.letters[term as usize] ^ query_letters).count_ones() as usize > 2 * allowed
                    || self.postings[term as usize].slots.is_empty()
                {
                    continue;
                }
                if let Some(distance) = bounded_distance(
                    query,
                    self.stems[term as usize].as_bytes(),
                    best.min(allowed),
                ) {
                    if distance < best {
                        best = distance;
                        found.clear();
                    }
                    if distance == best {
                        found.push(term);
                    }
                }
            }
        }
        found.sort_by_key(|&t| std::cmp::Reverse(self.postings[t as usize].slots.len()));
        found
            .into_iter()
            .take(MAX_LONGER_FORMS)
            .map(|term| Reach { term, factor: TYPO })
            .collect()
    }

    /// Drops postings of dead slots and renumbers the live ones.
    pub fn compact(&mut self, new_slot: &[Option<u32>]) {
        for postings in &mut self.postings {
            let mut slots = Vec::with_capacity(postings.slots.len());
            let mut weights = Vec::with_capacity(postings.slots.len());
            for (&slot, &weight) in postings.slots.iter().zip(&postings.weights) {
                if let Some(new) = new_slot[slot as usize] {
                    slots.push(new);
                    weights.push(weight);
                }
            }
            postings.slots = slots;
            postings.weights = weights;
        }
    }

    pub fn heap_bytes(&self) -> usize {
        let postings: usize = self
            .postings
            .iter()
            .map(|p| p.slots.capacity() * 4 + p.weights.capacity() * 2)
            .sum();
        let words: usize = self
            .surfaces
            .iter()
            .zip(&self.stems)
            .map(|(a, b)| a.len() + 2 * b.len() + 48)
            .sum();
        let by_length: usize = self.by_length.iter().map(|v| v.capacity() * 4).sum();
        // A B-tree node entry costs about the key and value plus a little slack.
        let memo: usize = self.words.keys().map(|w| w.len() + 16 + 8 + 1).sum();
        postings + words + by_length + memo + self.postings.capacity() * 48 + self.ids.len() * 32
    }
}

/// A bit for each letter a..z a word uses (other bytes share six more bits).
fn letter_mask(word: &[u8]) -> u32 {
    word.iter().fold(0, |mask, &b| {
        mask | match b {
            b'a'..=b'z' => 1 << (b - b'a'),
            _ => 1 << (26 + b % 6),
        }
    })
}

/// Optimal string alignment distance (Levenshtein plus swapping two neighbours, so
/// "foodbnak" is one slip from "foodbank"), or None when it exceeds `limit`.
pub fn bounded_distance(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= limit).then_some(distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slips_are_counted_as_people_make_them() {
        assert_eq!(bounded_distance(b"foodbnak", b"foodbank", 2), Some(1));
        assert_eq!(bounded_distance(b"councel", b"counsel", 1), Some(1));
        assert_eq!(bounded_distance(b"dementa", b"dementia", 1), Some(1));
        assert_eq!(bounded_distance(b"debt", b"diet", 1), None);
        assert_eq!(bounded_distance(b"same", b"same", 0), Some(0));
    }

    #[test]
    fn the_letter_check_never_rules_out_a_real_slip() {
        for (a, b, slips) in [
            ("foodbnak", "foodbank", 1),
            ("counsel", "councel", 1),
            ("dementia", "dmentai", 2),
        ] {
            let differ = (letter_mask(a.as_bytes()) ^ letter_mask(b.as_bytes())).count_ones();
            assert!(differ <= 2 * slips, "{a} {b}");
        }
        let mut terms = Terms::default();
        for (slot, word) in ["foodbank", "food", "debt"].into_iter().enumerate() {
            let term = terms.term_for_word(word).unwrap();
            terms.push(term, slot as u32, 1.0);
        }
        let reached: Vec<&str> = terms
            .reach("foodbnak")
            .iter()
            .map(|r| terms.surface(r.term))
            .collect();
        assert_eq!(reached, ["foodbank"]);
    }
}
