//! The needs matcher: a person's own words to the kinds of help they need. (Being written.)

use knit_domain::NeedId;

#[derive(Debug, Clone, PartialEq)]
pub struct NeedMatch {
    pub need: NeedId,
    /// 0..=1, higher is surer.
    pub score: f32,
    /// The words or phrases of the text that triggered this need, as the person wrote them.
    pub because: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Matcher {}

impl Matcher {
    pub fn new() -> Matcher {
        Matcher::default()
    }

    /// The needs to show for this text, best first.
    pub fn match_text(&self, _text: &str) -> Vec<NeedMatch> {
        Vec::new()
    }
}
