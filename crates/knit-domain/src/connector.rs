//! Local Connectors: trained residents who talk with neighbours, point them to help and,
//! with their consent, pass them to a coordinator.
//!
//! The rules: what a connector's postcard code looks like, what a logged conversation may
//! hold (never a name or anything that points to a person), what signing up asks for, and
//! how the figures are worked out. Handing a person on is a request in the coordinators'
//! queue, checked by `casework::check_intake` like any other.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::account::Email;
use crate::needs::NeedId;
use crate::training::coded;

/// The letters a postcard code is made of: no 0/O, 1/I/L or 5/S to mix up when typed from
/// a printed card.
pub const CODE_ALPHABET: &[u8] = b"2346789ABCDEFGHJKMNPQRTUVWXYZ";
/// Six characters from 29: over 590 million codes, typed in a few seconds.
pub const CODE_LENGTH: usize = 6;

/// A connector's short code, printed on their postcards and carried by `/c/CODE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ConnectorCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a connector code is 6 letters and digits, like K7M2QX")]
pub struct BadCode;

impl ConnectorCode {
    /// Reads a code as typed: any case, spaces and dashes ignored.
    pub fn parse(text: &str) -> Result<ConnectorCode, BadCode> {
        let code: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.len() == CODE_LENGTH && code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            Ok(ConnectorCode(code))
        } else {
            Err(BadCode)
        }
    }

    /// A code from random bytes (from a secure source), one byte per character. Bytes are
    /// mapped by rejection so every letter is equally likely; `None` when too many bytes
    /// were rejected, and the caller draws again.
    pub fn from_random(bytes: &[u8]) -> Option<ConnectorCode> {
        let limit = 256 - 256 % CODE_ALPHABET.len();
        let code: String = bytes
            .iter()
            .filter(|b| usize::from(**b) < limit)
            .take(CODE_LENGTH)
            .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
            .collect();
        (code.len() == CODE_LENGTH).then_some(ConnectorCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ConnectorCode {
    type Error = BadCode;
    fn try_from(s: String) -> Result<ConnectorCode, BadCode> {
        ConnectorCode::parse(&s)
    }
}

impl From<ConnectorCode> for String {
    fn from(c: ConnectorCode) -> String {
        c.0
    }
}

impl std::fmt::Display for ConnectorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

coded! {
    /// What a connector did in a conversation.
    WhatWasDone {
        Listened => "listened", "Listened",
        GavePostcard => "gave_postcard", "Gave a postcard",
        /// Pointed to a service from the directory, named in the record.
        PointedToService => "pointed_to_service", "Pointed to a service",
        /// Passed the person to a coordinator, with their consent.
        PassedToCoordinator => "passed_to_coordinator", "Passed to a coordinator",
    }
}

impl WhatWasDone {
    /// Whether this counts as an offer of help the town received through a connector:
    /// everything beyond listening.
    pub fn is_offer_of_help(self) -> bool {
        self != WhatWasDone::Listened
    }
}

/// "Roughly where": a neighbourhood, street or village, never an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area(String);

pub const AREA_MAX_CHARS: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadArea {
    #[error("Enter roughly where, such as a neighbourhood or village")]
    Empty,
    #[error("Keep it short: 40 characters at most")]
    TooLong,
    #[error(
        "Roughly where only: a neighbourhood or village, not an address, phone number or email"
    )]
    TooPrecise,
}

impl Area {
    /// Refuses anything that could find a person: an email, a phone number, a house number
    /// with its full postcode. A district such as "KF1" is fine.
    pub fn parse(text: &str) -> Result<Area, BadArea> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(BadArea::Empty);
        }
        if text.chars().count() > AREA_MAX_CHARS {
            return Err(BadArea::TooLong);
        }
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if text.contains('@') || digits > 3 {
            return Err(BadArea::TooPrecise);
        }
        Ok(Area(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How far back a conversation may be logged: a connector catching up after a busy month.
pub const MAX_DAYS_BACK: i64 = 62;
/// The most needs one conversation records.
pub const MAX_NEEDS: usize = 8;

/// A conversation as recorded: anonymous by construction, as no field can hold a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub on: NaiveDate,
    pub area: Area,
    pub needs: Vec<NeedId>,
    pub done: Vec<WhatWasDone>,
    /// The directory service pointed to, when [`WhatWasDone::PointedToService`].
    pub service: Option<uuid::Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadConversation {
    #[error("Enter the date as year-month-day, or leave it as today")]
    BadDate,
    #[error("The date cannot be in the future")]
    InTheFuture,
    #[error("Conversations more than two months old cannot be logged")]
    TooLongAgo,
    #[error("{0}")]
    Area(BadArea),
    #[error("Choose a need from the list")]
    UnknownNeed,
    #[error("Choose at most 8 needs")]
    TooManyNeeds,
    #[error("Choose at least one thing you did")]
    NothingDone,
    #[error("Choose the service you pointed to, or untick \"Pointed to a service\"")]
    NoService,
}

impl BadConversation {
    pub fn field(self) -> &'static str {
        match self {
            BadConversation::BadDate
            | BadConversation::InTheFuture
            | BadConversation::TooLongAgo => "on",
            BadConversation::Area(_) => "area",
            BadConversation::UnknownNeed | BadConversation::TooManyNeeds => "needs",
            BadConversation::NothingDone => "done",
            BadConversation::NoService => "service",
        }
    }
}

impl Conversation {
    /// Checks a conversation form. `on` empty means today; `service` is the directory
    /// service already looked up by the caller.
    pub fn parse(
        on: &str,
        area: &str,
        needs: &[String],
        done: &[String],
        service: Option<uuid::Uuid>,
        today: NaiveDate,
    ) -> Result<Conversation, BadConversation> {
        let on = match on.trim() {
            "" => today,
            text => {
                NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| BadConversation::BadDate)?
            }
        };
        if on > today {
            return Err(BadConversation::InTheFuture);
        }
        if (today - on).num_days() > MAX_DAYS_BACK {
            return Err(BadConversation::TooLongAgo);
        }
        let area = Area::parse(area).map_err(BadConversation::Area)?;
        let mut need_ids = Vec::new();
        for need in needs {
            let id = NeedId::parse(need.trim()).map_err(|_| BadConversation::UnknownNeed)?;
            if !need_ids.contains(&id) {
                need_ids.push(id);
            }
        }
        if need_ids.len() > MAX_NEEDS {
            return Err(BadConversation::TooManyNeeds);
        }
        let mut what = Vec::new();
        for code in done {
            let d = WhatWasDone::from_code(code.trim()).ok_or(BadConversation::NothingDone)?;
            if !what.contains(&d) {
                what.push(d);
            }
        }
        what.sort();
        if what.is_empty() {
            return Err(BadConversation::NothingDone);
        }
        let pointed = what.contains(&WhatWasDone::PointedToService);
        let service = match (pointed, service) {
            (true, None) => return Err(BadConversation::NoService),
            (true, Some(id)) => Some(id),
            (false, _) => None,
        };
        Ok(Conversation {
            on,
            area,
            needs: need_ids,
            done: what,
            service,
        })
    }
}

/// Someone signing up to become a Local Connector, before any training.
#[derive(Clone, PartialEq, Eq)]
pub struct SignUp {
    pub name: String,
    pub email: Email,
    pub phone: Option<String>,
    pub area: Area,
    pub heard_from: Option<String>,
}

impl std::fmt::Debug for SignUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignUp").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadSignUp {
    #[error("Enter your name")]
    NoName,
    #[error("Enter your email address, like name@example.org")]
    BadEmail,
    #[error("Enter a UK phone number, like 01632 960 123, or leave it empty")]
    BadPhone,
    #[error("{0}")]
    Area(BadArea),
}

impl BadSignUp {
    pub fn field(self) -> &'static str {
        match self {
            BadSignUp::NoName => "name",
            BadSignUp::BadEmail => "email",
            BadSignUp::BadPhone => "phone",
            BadSignUp::Area(_) => "area",
        }
    }
}

/// A phone number as typed, if it looks like one: 10 to 13 digits, with spaces, dashes,
/// brackets and a leading + allowed.
pub fn parse_phone(text: &str) -> Option<String> {
    let text = text.trim();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let allowed = text
        .chars()
        .all(|c| c.is_ascii_digit() || " -()+".contains(c));
    (allowed && (10..=13).contains(&digits) && text.len() <= 20).then(|| text.to_owned())
}

impl SignUp {
    pub fn parse(
        name: &str,
        email: &str,
        phone: &str,
        area: &str,
        heard_from: &str,
    ) -> Result<SignUp, BadSignUp> {
        let name = crate::validation::one_line(name);
        if name.is_empty() || name.chars().count() > 100 {
            return Err(BadSignUp::NoName);
        }
        let email = Email::parse(email).map_err(|_| BadSignUp::BadEmail)?;
        let phone = match phone.trim() {
            "" => None,
            typed => Some(parse_phone(typed).ok_or(BadSignUp::BadPhone)?),
        };
        let area = Area::parse(area).map_err(BadSignUp::Area)?;
        let heard = crate::validation::one_line(heard_from);
        Ok(SignUp {
            name,
            email,
            phone,
            area,
            heard_from: (!heard.is_empty()).then(|| heard.chars().take(200).collect()),
        })
    }
}

/// A connector counts as active with a conversation this recent.
pub const ACTIVE_DAYS: i64 = 90;

pub fn active_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - TimeDelta::days(ACTIVE_DAYS)
}

/// Conversations per connector per year, to one decimal place: the conversations of the
/// last 365 days shared among the connectors trained. `None` with no connector.
pub fn conversations_per_connector_per_year(
    conversations_last_year: u64,
    connectors: u64,
) -> Option<f64> {
    (connectors > 0)
        .then(|| (conversations_last_year as f64 / connectors as f64 * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 10).unwrap()
    }

    #[test]
    fn a_code_is_read_however_it_is_typed_and_never_holds_a_confusable_letter() {
        let code = ConnectorCode::parse(" k7m-2qx ").unwrap();
        assert_eq!(code.as_str(), "K7M2QX");
        for bad in ["K7M2Q", "K7M2QXX", "K0M2QX", "KIM2QX", "K7M2Q!", ""] {
            assert_eq!(ConnectorCode::parse(bad), Err(BadCode), "{bad}");
        }
        for c in b"01OILS5" {
            assert!(!CODE_ALPHABET.contains(c));
        }
    }

    #[test]
    fn a_random_code_uses_every_letter_evenly_and_rejects_biased_bytes() {
        let bytes: Vec<u8> = (0..=255).collect();
        let code = ConnectorCode::from_random(&bytes[..6]).unwrap();
        assert_eq!(code.as_str(), "234678");
        // 255 is above the last whole multiple of 29 (232), so it is skipped.
        assert_eq!(ConnectorCode::from_random(&[255; 12]), None);
        let code = ConnectorCode::from_random(&[255, 0, 1, 2, 3, 4, 28]).unwrap();
        assert_eq!(code.as_str(), "23467Z");
        assert!(ConnectorCode::parse(code.as_str()).is_ok());
    }

    #[test]
    fn a_conversation_is_today_by_default_and_needs_something_done() {
        let c = Conversation::parse(
            "",
            " Northfield  estate ",
            &["food".into(), "food".into()],
            &["listened".into(), "gave_postcard".into()],
            None,
            today(),
        )
        .unwrap();
        assert_eq!(c.on, today());
        assert_eq!(c.area.as_str(), "Northfield estate");
        assert_eq!(c.needs.len(), 1);
        assert_eq!(c.done, [WhatWasDone::Listened, WhatWasDone::GavePostcard]);
        let err = |on: &str, area: &str, done: &[&str], service| {
            let done: Vec<String> = done.iter().map(|d| d.to_string()).collect();
            Conversation::parse(on, area, &[], &done, service, today()).unwrap_err()
        };
        assert_eq!(
            err("2026-06-11", "Town", &["listened"], None),
            BadConversation::InTheFuture
        );
        assert_eq!(
            err("2026-01-01", "Town", &["listened"], None),
            BadConversation::TooLongAgo
        );
        assert_eq!(
            err("10 June", "Town", &["listened"], None),
            BadConversation::BadDate
        );
        assert_eq!(err("", "Town", &[], None), BadConversation::NothingDone);
        assert_eq!(
            err("", "Town", &["pointed_to_service"], None),
            BadConversation::NoService
        );
        assert_eq!(
            err("", "mary@example.org", &["listened"], None),
            BadConversation::Area(BadArea::TooPrecise)
        );
        assert_eq!(
            err("", "07700 900123", &["listened"], None),
            BadConversation::Area(BadArea::TooPrecise)
        );
        assert!(
            Conversation::parse(
                "",
                "KF1",
                &["nonsense".into()],
                &["listened".into()],
                None,
                today()
            )
            .is_err()
        );
    }

    #[test]
    fn a_service_is_kept_only_when_the_connector_pointed_to_one() {
        let id = uuid::Uuid::from_u128(7);
        let kept = Conversation::parse(
            "",
            "KF1",
            &[],
            &["pointed_to_service".into()],
            Some(id),
            today(),
        )
        .unwrap();
        assert_eq!(kept.service, Some(id));
        let dropped =
            Conversation::parse("", "KF1", &[], &["listened".into()], Some(id), today()).unwrap();
        assert_eq!(dropped.service, None);
    }

    #[test]
    fn signing_up_takes_an_optional_phone() {
        let s = SignUp::parse("Sam", "sam@example.org", "", "Old Town", "a postcard").unwrap();
        assert_eq!(s.phone, None);
        assert!(!format!("{s:?}").contains("Sam"));
        assert_eq!(
            SignUp::parse("Sam", "sam@example.org", "call me", "Old Town", "").unwrap_err(),
            BadSignUp::BadPhone
        );
        assert!(SignUp::parse("Sam", "sam@example.org", "+44 1632 960123", "Old Town", "").is_ok());
    }

    #[test]
    fn figures_are_shared_among_connectors() {
        assert_eq!(conversations_per_connector_per_year(0, 0), None);
        assert_eq!(conversations_per_connector_per_year(41, 2), Some(20.5));
        assert_eq!(conversations_per_connector_per_year(10, 3), Some(3.3));
        assert!(WhatWasDone::GavePostcard.is_offer_of_help());
        assert!(!WhatWasDone::Listened.is_offer_of_help());
    }
}
