//! Peer connection with consent: people a coordinator supports who have opted in to meet
//! someone in a similar situation or with a shared interest, and the introductions a
//! coordinator proposes between two of them.
//!
//! The rules, stated once: nothing is shown automatically; both people must say yes
//! (recorded by their coordinator) before either learns anything about the other; every
//! introduction names the coordinator who proposed it; either side can stop it; and a
//! person who said no is never named to anyone on any introduction.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::training::coded;
use crate::validation::MAX_FREE_TEXT;
use crate::volunteering::FormError;

coded! {
    /// One person's answer to a proposed introduction.
    Answer {
        Waiting => "waiting", "Not asked yet",
        Yes => "yes", "Said yes",
        No => "no", "Said no",
    }
}

coded! {
    /// Where an introduction stands, from both answers.
    IntroductionStatus {
        Proposed => "proposed", "Waiting for both to say yes",
        Agreed => "agreed", "Both said yes",
        NotGoingAhead => "not_going_ahead", "Not going ahead",
        Stopped => "stopped", "Stopped",
    }
}

/// The two sides of an introduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Side {
    First,
    Second,
}

impl Side {
    pub fn code(self) -> &'static str {
        match self {
            Side::First => "first",
            Side::Second => "second",
        }
    }

    pub fn from_code(code: &str) -> Option<Side> {
        match code {
            "first" => Some(Side::First),
            "second" => Some(Side::Second),
            _ => None,
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::First => Side::Second,
            Side::Second => Side::First,
        }
    }
}

/// Both answers and whether someone stopped it: all an introduction's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers {
    pub first: Answer,
    pub second: Answer,
    pub stopped: bool,
}

impl Answers {
    pub fn new() -> Answers {
        Answers {
            first: Answer::Waiting,
            second: Answer::Waiting,
            stopped: false,
        }
    }

    pub fn of(&self, side: Side) -> Answer {
        match side {
            Side::First => self.first,
            Side::Second => self.second,
        }
    }

    pub fn status(&self) -> IntroductionStatus {
        if self.first == Answer::No || self.second == Answer::No {
            IntroductionStatus::NotGoingAhead
        } else if self.stopped {
            IntroductionStatus::Stopped
        } else if self.first == Answer::Yes && self.second == Answer::Yes {
            IntroductionStatus::Agreed
        } else {
            IntroductionStatus::Proposed
        }
    }

    /// Records one side's answer. Only a waiting side answers, and only while the
    /// introduction is still proposed.
    pub fn answer(&self, side: Side, answer: Answer) -> Result<Answers, IntroductionRefused> {
        if self.status() != IntroductionStatus::Proposed {
            return Err(IntroductionRefused::NotOpen);
        }
        if self.of(side) != Answer::Waiting {
            return Err(IntroductionRefused::AlreadyAnswered);
        }
        if answer == Answer::Waiting {
            return Err(IntroductionRefused::NoAnswer);
        }
        let mut next = *self;
        match side {
            Side::First => next.first = answer,
            Side::Second => next.second = answer,
        }
        Ok(next)
    }

    /// Either side stops it, before or after agreeing.
    pub fn stop(&self) -> Result<Answers, IntroductionRefused> {
        match self.status() {
            IntroductionStatus::Proposed | IntroductionStatus::Agreed => Ok(Answers {
                stopped: true,
                ..*self
            }),
            _ => Err(IntroductionRefused::NotOpen),
        }
    }

    /// Whether the person on `side` may be named on this introduction, to anyone: only once
    /// both have said yes. Someone who said no never is.
    pub fn may_name(&self, side: Side) -> bool {
        self.of(side) == Answer::Yes && self.of(side.other()) == Answer::Yes
    }
}

impl Default for Answers {
    fn default() -> Answers {
        Answers::new()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IntroductionRefused {
    #[error("this introduction is no longer open")]
    NotOpen,
    #[error("this side has answered already")]
    AlreadyAnswered,
    #[error("choose yes or no")]
    NoAnswer,
    #[error("both people must have opted in to meet someone")]
    NotOptedIn,
    #[error("a person cannot be introduced to themself")]
    SamePerson,
    #[error("these two already have an introduction under way")]
    AlreadyProposed,
}

/// What a person opted in to meet someone about, as their coordinator wrote it: sealed,
/// never logged. Its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerInterest {
    /// A similar situation or a shared interest, in the person's words ("new to the area,
    /// likes gardening").
    pub about: String,
}

impl fmt::Debug for PeerInterest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PeerInterest { .. }")
    }
}

impl PeerInterest {
    /// The coordinator must have asked: `consent` is the ticked box.
    pub fn parse(about: &str, consent: bool) -> Result<PeerInterest, FormError> {
        let about = about.trim().to_owned();
        if about.is_empty() {
            return Err(FormError::new(
                "about",
                "Say what they would like to meet someone about",
            ));
        }
        if about.chars().count() > MAX_FREE_TEXT {
            return Err(FormError::new("about", "Keep this shorter"));
        }
        if !consent {
            return Err(FormError::new(
                "consent",
                "Tick the box once the person has said they want to be introduced",
            ));
        }
        Ok(PeerInterest { about })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_must_say_yes_before_anyone_is_named() {
        let a = Answers::new();
        assert!(!a.may_name(Side::First));
        let a = a.answer(Side::First, Answer::Yes).unwrap();
        assert_eq!(a.status(), IntroductionStatus::Proposed);
        assert!(!a.may_name(Side::First) && !a.may_name(Side::Second));
        let a = a.answer(Side::Second, Answer::Yes).unwrap();
        assert_eq!(a.status(), IntroductionStatus::Agreed);
        assert!(a.may_name(Side::First) && a.may_name(Side::Second));
        assert_eq!(
            a.answer(Side::First, Answer::No),
            Err(IntroductionRefused::NotOpen)
        );
        let stopped = a.stop().unwrap();
        assert_eq!(stopped.status(), IntroductionStatus::Stopped);
    }

    #[test]
    fn someone_who_says_no_is_never_named() {
        let a = Answers::new()
            .answer(Side::First, Answer::Yes)
            .unwrap()
            .answer(Side::Second, Answer::No)
            .unwrap();
        assert_eq!(a.status(), IntroductionStatus::NotGoingAhead);
        assert!(!a.may_name(Side::Second));
        assert!(!a.may_name(Side::First));
        assert_eq!(a.stop(), Err(IntroductionRefused::NotOpen));
        assert_eq!(
            Answers::new().answer(Side::First, Answer::Waiting),
            Err(IntroductionRefused::NoAnswer)
        );
    }

    #[test]
    fn opting_in_needs_words_and_consent() {
        assert_eq!(PeerInterest::parse("", true).unwrap_err().field, "about");
        assert_eq!(
            PeerInterest::parse("gardening", false).unwrap_err().field,
            "consent"
        );
        let p = PeerInterest::parse("gardening", true).unwrap();
        assert!(!format!("{p:?}").contains("gardening"));
    }
}
