//! The words the vocabulary knows, by stem, and the typo tolerance that maps a misspelt
//! word of the text onto one of them ("bailifs" -> "bailiffs", "benifits" -> "benefits").

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use super::real_words;

/// A word the vocabulary knows, identified by its stem.
pub(crate) type Term = u32;

/// Words shorter than this are never corrected: at four letters or fewer one edit turns
/// too many ordinary words into each other ("sick"/"sock", "debt"/"dent").
const MIN_TYPO_LEN: usize = 5;

/// Words the English stemmer folds into an unrelated vocabulary word ("house" and
/// "housing", "provided" and "Provident", "wits" and "witness", "can" and "cans"). Each is
/// kept whole, as its own term, so it only matches itself.
const KEPT_WHOLE: &[&str] = &[
    "house",
    "houses",
    "housed",
    "can",
    "wits",
    "wit",
    "careful",
    "carefully",
    "provide",
    "provided",
    "provides",
    "providing",
    "provider",
    "providers",
    "natural",
    "naturally",
    "remove",
    "removed",
    "removing",
    "relation",
    "relations",
    "relatively",
    "expected",
    "probation",
    "heroine",
    "mugs",
    "fire",
    "cleaning",
    "fires",
    "firing",
    "boxes",
    "boxed",
    "guided",
    "acted",
    "blindly",
    "rightly",
    "printed",
    "ironic",
    "ironically",
    "hospitality",
    "conservative",
    "conservatives",
    "essentially",
    "controlled",
    "train",
    "trains",
    "emergence",
    "digit",
    "digits",
    "manager",
    "managers",
    "possess",
    "possessed",
    "appointed",
    "homely",
    "accession",
    "deposition",
    "goodness",
    "supporter",
    "supporters",
    "hourly",
    "electrics",
    "care",
    "gardening",
    "bedding",
    "companies",
    "banding",
    "parenting",
    "pensioner",
    "pensioners",
    "bidding",
    "fitting",
    "fitted",
    "fittings",
    "fit",
    "fits",
    "tablets",
    "activity",
    "right",
    "nightmare",
    "box",
    "parking",
];

pub(crate) struct Lexicon {
    stemmer: Stemmer,
    /// Stem -> term.
    terms: HashMap<String, Term>,
    /// Every form written in the vocabulary and every stem, each with its term, for typo
    /// look-up: a form with one letter deleted -> the forms it came from.
    deletions: HashMap<String, Vec<(String, Term)>>,
}

impl Lexicon {
    pub fn new() -> Lexicon {
        Lexicon {
            stemmer: Stemmer::create(Algorithm::English),
            terms: HashMap::new(),
            deletions: HashMap::new(),
        }
    }

    pub fn stem(&self, word: &str) -> String {
        // Contractions and clitics are matched as written: the stemmer mangles them.
        if word.contains('\'') {
            word.to_owned()
        } else if KEPT_WHOLE.contains(&word) {
            format!("={word}")
        } else {
            self.stemmer.stem(word).into_owned()
        }
    }

    /// Adds a word written in the vocabulary and returns its term.
    pub fn add(&mut self, word: &str) -> Term {
        let stem = self.stem(word);
        let next = self.terms.len() as Term;
        let term = *self.terms.entry(stem.clone()).or_insert(next);
        if word.chars().count() >= MIN_TYPO_LEN && word.chars().all(char::is_alphabetic) {
            self.index_for_typos(word, term);
            if stem.chars().count() >= MIN_TYPO_LEN {
                self.index_for_typos(&stem, term);
            }
        }
        term
    }

    fn index_for_typos(&mut self, form: &str, term: Term) {
        for variant in std::iter::once(form.to_owned()).chain(deletions(form)) {
            let entry = self.deletions.entry(variant).or_default();
            if !entry.iter().any(|(f, _)| f == form) {
                entry.push((form.to_owned(), term));
            }
        }
    }

    /// The term of a word of the text: by its stem, or failing that by a known word one
    /// edit away (a letter added, dropped, changed or two letters swapped).
    pub fn lookup(&self, word: &str) -> Option<Lookup> {
        let stem = self.stem(word);
        if let Some(&term) = self.terms.get(&stem) {
            return Some(Lookup {
                term,
                corrected: false,
            });
        }
        if word.chars().count() < MIN_TYPO_LEN
            || !word.chars().all(char::is_alphabetic)
            || real_words::is_real_word(word)
            || KEPT_WHOLE.contains(&word)
        {
            return None;
        }
        self.near(word)
            .or_else(|| self.near(&stem))
            .map(|term| Lookup {
                term,
                corrected: true,
            })
    }

    fn near(&self, word: &str) -> Option<Term> {
        let mut best: Option<(&str, Term)> = None;
        for variant in std::iter::once(word.to_owned()).chain(deletions(word)) {
            let Some(forms) = self.deletions.get(&variant) else {
                continue;
            };
            for (form, term) in forms {
                if same_start(form, word)
                    && within_one_edit(form, word)
                    && best.is_none_or(|(b, _)| form.as_str() < b)
                {
                    best = Some((form, *term));
                }
            }
        }
        best.map(|(_, term)| term)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Lookup {
    pub term: Term,
    /// The word was misspelt and taken for a vocabulary word one edit away.
    pub corrected: bool,
}

fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| {
        let mut s = String::with_capacity(word.len());
        s.push_str(&word[..i]);
        s.push_str(&word[i + c.len_utf8()..]);
        s
    })
}

/// People rarely get the first letter wrong; requiring it keeps corrections honest.
fn same_start(a: &str, b: &str) -> bool {
    a.chars().next() == b.chars().next()
}

/// Optimal string alignment distance of at most one.
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len() as isize - rb.len() as isize {
        0 if ra.is_empty() => true,
        0 => {
            ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        1 => ra[1..] == *rb,
        -1 => *ra == rb[1..],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_is_a_letter_added_dropped_changed_or_swapped() {
        assert!(within_one_edit("bailiffs", "bailifs"));
        assert!(within_one_edit("benefits", "benifits"));
        assert!(within_one_edit("eviction", "evcition"));
        assert!(within_one_edit("lonely", "lonelly"));
        assert!(!within_one_edit("benefits", "bnfits"));
        assert!(!within_one_edit("housing", "hosing2"));
    }

    #[test]
    fn misspelt_words_find_the_vocabulary_word_and_short_or_common_words_do_not() {
        let mut lexicon = Lexicon::new();
        let bailiffs = lexicon.add("bailiffs");
        let depression = lexicon.add("depression");
        lexicon.add("debt");
        assert_eq!(lexicon.lookup("bailiff").map(|l| l.term), Some(bailiffs));
        assert_eq!(
            lexicon.lookup("bailifs"),
            Some(Lookup {
                term: bailiffs,
                corrected: true
            })
        );
        assert_eq!(
            lexicon.lookup("depresion").map(|l| l.term),
            Some(depression)
        );
        assert_eq!(lexicon.lookup("dent"), None);
        assert_eq!(lexicon.lookup("vailiffs"), None);
        // "cancel" is a word in its own right, one letter from "cancer".
        lexicon.add("cancer");
        assert_eq!(lexicon.lookup("cancel"), None);
    }

    #[test]
    fn words_the_stemmer_would_confuse_are_kept_whole() {
        let mut lexicon = Lexicon::new();
        let housing = lexicon.add("housing");
        let house = lexicon.add("house");
        assert_ne!(housing, house);
        assert_eq!(lexicon.lookup("house").map(|l| l.term), Some(house));
        assert_eq!(lexicon.lookup("housed"), None);
    }
}
