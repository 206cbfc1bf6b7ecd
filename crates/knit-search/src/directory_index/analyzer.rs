//! Text to index terms: the one place that decides what a "word" is, so listings and
//! queries are cut up the same way.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

/// Words that carry no meaning for finding a service.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "but",
    "by",
    "can",
    "cant",
    "could",
    "do",
    "does",
    "dont",
    "for",
    "from",
    "get",
    "got",
    "has",
    "have",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "me",
    "my",
    "near",
    "of",
    "on",
    "or",
    "our",
    "out",
    "so",
    "some",
    "something",
    "that",
    "the",
    "their",
    "them",
    "there",
    "they",
    "this",
    "to",
    "up",
    "us",
    "was",
    "we",
    "what",
    "when",
    "where",
    "which",
    "who",
    "will",
    "with",
    "would",
    "you",
    "your",
    "im",
    "ive",
    "id",
    "want",
    "need",
    "needs",
    "looking",
    "find",
];

/// Words nearly every listing uses: they count, but little, so "help with debt" is about
/// debt and not about every service with "help" in its name.
const GENERIC_WORDS: &[&str] = &[
    "help", "support", "service", "services", "local", "advice", "group", "people",
];

/// How much a generic word counts against an ordinary one.
pub const GENERIC_WEIGHT: f32 = 0.3;

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// One word of a text: as written (lower-cased, apostrophes dropped) and its stem.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub word: String,
    pub stem: String,
}

/// Calls `f` with each lower-case word of the text, apostrophes dropped, reusing one
/// buffer: the fast path for indexing.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    for c in text.chars() {
        // Listings are mostly ASCII, whose lower case needs no table: building an index is
        // largely this loop.
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_ascii() && c != '\'' {
            if !word.is_empty() {
                f(&word);
                word.clear();
            }
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' && !word.is_empty() {
            f(&word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(&word);
    }
}

/// Splits text into lower-case words, dropping apostrophes so "men's" and "mens" agree.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| {
            w.chars()
                .filter(|c| *c != '\'' && *c != '’')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
}

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

pub fn weight_of(word: &str) -> f32 {
    if GENERIC_WORDS.contains(&word) {
        GENERIC_WEIGHT
    } else {
        1.0
    }
}

pub fn stem(word: &str) -> String {
    if word.chars().all(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    let mut stem = stemmer().stem(word).into_owned();
    // The stemmer leaves agent nouns alone; people search "counsellor" for counselling
    // and "advisor" for advice. Short words ("doctor", "mentor") are left as they are.
    if stem.len() >= 7 && stem.ends_with("or") {
        stem.truncate(stem.len() - 2);
        if stem.ends_with("ll") {
            stem.pop();
        }
    }
    stem
}

/// The tokens of a listing's text: every word but the stop words.
pub fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    words(text).filter(|w| !is_stop_word(w)).map(|word| Token {
        stem: stem(&word),
        word,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_lower_cased_and_apostrophes_dropped() {
        let got: Vec<String> = words("Men's Shed: Carers’ café, 10am-2pm").collect();
        assert_eq!(got, ["mens", "shed", "carers", "café", "10am", "2pm"]);
        let mut same = Vec::new();
        for_each_word("Men's Shed: Carers’ café, 10am-2pm", |w| {
            same.push(w.to_owned())
        });
        assert_eq!(same, got);
    }

    #[test]
    fn stems_join_the_forms_of_a_word() {
        assert_eq!(stem("counselling"), stem("counsel"));
        assert_eq!(stem("volunteering"), stem("volunteers"));
        assert_eq!(stem("exercise"), stem("exercises"));
        assert_eq!(stem("counsellors"), stem("counselling"));
        assert_eq!(stem("advisor"), stem("advise"));
        assert_eq!(stem("visitor"), stem("visiting"));
        let stems: Vec<String> = tokens("the food for my family").map(|t| t.stem).collect();
        assert_eq!(stems, ["food", "famili"]);
    }
}
