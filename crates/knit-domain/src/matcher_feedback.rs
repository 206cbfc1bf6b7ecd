//! What a coordinator's choices say about the needs matcher: each need Knit suggested from a
//! person's words is kept or removed, and each need the coordinator added that Knit did not
//! suggest was missed. Only these counts per need are kept — never the words, never who —
//! so a place can see where the matcher is weak.

use crate::needs::NeedId;

/// What a coordinator did with one need on a conversation where Knit suggested needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Correction {
    /// Suggested, and kept as a need.
    Kept,
    /// Suggested, and taken off.
    Removed,
    /// Not suggested, and added by the coordinator: the matcher missed it.
    Added,
}

impl Correction {
    pub const ALL: [Correction; 3] = [Correction::Kept, Correction::Removed, Correction::Added];

    /// The stable code the store counts under. Never change one.
    pub fn code(self) -> &'static str {
        match self {
            Correction::Kept => "kept",
            Correction::Removed => "removed",
            Correction::Added => "added",
        }
    }

    pub fn from_code(code: &str) -> Option<Correction> {
        Correction::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The corrections a saved conversation makes: `suggested` are the needs Knit offered from
/// the person's words, `chosen` the needs the coordinator saved. Nothing when Knit suggested
/// nothing, since then the coordinator did not ask it.
pub fn corrections(suggested: &[NeedId], chosen: &[NeedId]) -> Vec<(NeedId, Correction)> {
    if suggested.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(NeedId, Correction)> = suggested
        .iter()
        .map(|need| {
            let kept = chosen.contains(need);
            (
                *need,
                if kept {
                    Correction::Kept
                } else {
                    Correction::Removed
                },
            )
        })
        .chain(
            chosen
                .iter()
                .filter(|need| !suggested.contains(need))
                .map(|need| (*need, Correction::Added)),
        )
        .collect();
    found.sort();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(id: &str) -> NeedId {
        NeedId::parse(id).unwrap()
    }

    #[test]
    fn suggestions_are_kept_or_removed_and_misses_are_added() {
        let suggested = [need("debt"), need("food")];
        let chosen = [need("debt"), need("domestic-abuse")];
        let mut expected = vec![
            (need("debt"), Correction::Kept),
            (need("food"), Correction::Removed),
            (need("domestic-abuse"), Correction::Added),
        ];
        expected.sort();
        assert_eq!(corrections(&suggested, &chosen), expected);
    }

    #[test]
    fn without_suggestions_nothing_is_counted() {
        assert!(corrections(&[], &[need("food")]).is_empty());
    }

    #[test]
    fn codes_read_back() {
        for c in Correction::ALL {
            assert_eq!(Correction::from_code(c.code()), Some(c));
        }
    }
}
