//! Splitting a person's words into tokens the vocabulary can be matched against, keeping
//! where each token came from so `because` can quote the person exactly.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// A word, number or clitic, lowercased and with contractions spelled one way.
    Word,
    /// Sentence or clause punctuation: phrases never run across it and negation stops at it.
    Boundary,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// The normalised form: lowercase, curly apostrophes straightened, `dont` -> `don't`.
    pub norm: String,
    /// Where the token sits in the original text, in bytes.
    pub span: Range<usize>,
    pub kind: TokenKind,
}

impl Token {
    pub fn is_boundary(&self) -> bool {
        self.kind == TokenKind::Boundary
    }
}

/// Contractions people type without the apostrophe. Those that are also ordinary words
/// ("wont", "ill", "id" as in ID) are left out; `cant` is kept because in these texts it
/// is nearly always "can't".
const BARE_CONTRACTIONS: &[(&str, &str)] = &[
    ("dont", "don't"),
    ("cant", "can't"),
    ("cannot", "can't"),
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("isnt", "isn't"),
    ("arent", "aren't"),
    ("wasnt", "wasn't"),
    ("werent", "weren't"),
    ("havent", "haven't"),
    ("hasnt", "hasn't"),
    ("hadnt", "hadn't"),
    ("couldnt", "couldn't"),
    ("wouldnt", "wouldn't"),
    ("shouldnt", "shouldn't"),
    ("aint", "ain't"),
    ("im", "i"),
    ("ive", "i"),
];

/// Clitics split off a word and spelled out, so "I'd love to" and "I would love to" match
/// the same phrase. A bare `'s` may be "is", "has" or a possessive, so it stays as it is.
fn spelled_clitic(clitic: &str) -> Option<&'static str> {
    match clitic {
        "m" => Some("am"),
        "re" => Some("are"),
        "ve" => Some("have"),
        "ll" => Some("will"),
        "d" => Some("would"),
        "s" => Some("'s"),
        _ => None,
    }
}

fn is_boundary_char(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '"' | '\n' | '—' | '–' | '…'
    )
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_apostrophe(c)
}

/// Tokenises `text`. Hyphens and slashes separate words ("sofa-surfing", "UC/PIP"); a dash
/// standing alone between spaces is a boundary, like a comma.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 4);
    let mut chars = text.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_alphanumeric() {
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                if !is_word_char(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            push_word(text, start..end, &mut tokens);
        } else if is_boundary_char(c) || (c == '-' && is_spaced(text, start)) {
            chars.next();
            if tokens.last().is_none_or(|t: &Token| !t.is_boundary()) {
                tokens.push(Token {
                    norm: c.to_string(),
                    span: start..start + c.len_utf8(),
                    kind: TokenKind::Boundary,
                });
            }
        } else {
            chars.next();
        }
    }
    tokens
}

fn is_spaced(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let after = text[at + 1..].chars().next();
    before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘')
}

fn push_word(text: &str, span: Range<usize>, tokens: &mut Vec<Token>) {
    // Quotes around a word are not apostrophes.
    let raw_full = &text[span.clone()];
    let raw = raw_full.trim_start_matches(is_apostrophe);
    let start = span.start + (raw_full.len() - raw.len());
    let raw = raw.trim_end_matches(is_apostrophe);
    if raw.is_empty() {
        return;
    }
    let span = start..start + raw.len();
    let lower: String = raw
        .chars()
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    let word = lower.as_str();

    if let Some((_, full)) = BARE_CONTRACTIONS.iter().find(|(bare, _)| *bare == word) {
        tokens.push(Token {
            norm: (*full).to_owned(),
            span,
            kind: TokenKind::Word,
        });
        return;
    }
    if word.ends_with("n't") {
        tokens.push(Token {
            norm: word.to_owned(),
            span,
            kind: TokenKind::Word,
        });
        return;
    }
    if let Some(at) = raw.rfind(is_apostrophe)
        && let Some(lower_at) = word.rfind('\'')
        && let Some(spelled) = spelled_clitic(&word[lower_at + 1..])
    {
        tokens.push(Token {
            norm: word[..lower_at].replace('\'', ""),
            span: start..start + at,
            kind: TokenKind::Word,
        });
        tokens.push(Token {
            norm: spelled.to_owned(),
            span,
            kind: TokenKind::Word,
        });
        return;
    }
    tokens.push(Token {
        norm: word.replace('\'', ""),
        span,
        kind: TokenKind::Word,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn contractions_are_spelled_one_way_whatever_the_apostrophe() {
        assert_eq!(norms("I can’t cope"), ["i", "can't", "cope"]);
        assert_eq!(norms("i cant cope"), ["i", "can't", "cope"]);
        assert_eq!(norms("I'd love to"), ["i", "would", "love", "to"]);
        assert_eq!(norms("mum's forgetting"), ["mum", "'s", "forgetting"]);
    }

    #[test]
    fn punctuation_becomes_one_boundary_and_spans_quote_the_original() {
        let text = "Bailiffs, at the door!!";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[0].span.clone()], "Bailiffs");
        assert!(tokens[1].is_boundary());
        assert_eq!(tokens.iter().filter(|t| t.is_boundary()).count(), 2);
    }

    #[test]
    fn hyphens_split_words_and_a_spaced_dash_is_a_boundary() {
        assert_eq!(
            norms("sofa-surfing - again"),
            ["sofa", "surfing", "-", "again"]
        );
    }
}
