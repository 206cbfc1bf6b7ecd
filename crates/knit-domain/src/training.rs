//! Training sessions: connector training, refreshers, and joint training across agencies;
//! and volunteer match events, which are booked the same way (see `crate::match_events`).
//!
//! The rules: what makes a session worth scheduling, who gets a seat and who waits, who is
//! promoted when someone cancels, and when a trained connector's refresher falls due. The
//! store applies [`seat_for`] and [`promote`] inside the transaction that books or cancels,
//! so two people booking the last seat at once cannot both get it.

use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::account::Email;
use crate::opening::uk_instant;

/// The most people one session can hold: a hall, not a stadium.
pub const MAX_CAPACITY: u32 = 500;
/// A connector's training is good for this many months; then a refresher falls due.
pub const REFRESHER_MONTHS: u32 = 12;

macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $code:literal, $label:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant,)* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable code stored in the database and sent by forms.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|k| k.code() == code)
            }
        }
    };
}
pub(crate) use coded;

coded! {
    /// What a session is for.
    TrainingKind {
        /// The first course for a Local Connector: attending it makes a trained connector.
        Connector => "connector", "Local Connector training",
        /// A connector's yearly refresher: attending it renews their training.
        Refresher => "refresher", "Local Connector refresher",
        /// Joint training for staff of several organisations; the register records which
        /// organisations came.
        Joint => "joint", "Joint training across agencies",
        /// A place lead's event where people who want to volunteer meet organisations that
        /// need them: booked like training, listed with volunteering, never as training.
        MatchEvent => "match_event", "Volunteer match event",
    }
}

impl TrainingKind {
    /// The kinds the training pages schedule and list.
    pub const TRAINING: &'static [TrainingKind] = &[
        TrainingKind::Connector,
        TrainingKind::Refresher,
        TrainingKind::Joint,
    ];

    /// Whether attending makes (or keeps) someone a trained connector.
    pub fn trains_connectors(self) -> bool {
        matches!(self, TrainingKind::Connector | TrainingKind::Refresher)
    }

    pub fn is_training(self) -> bool {
        self != TrainingKind::MatchEvent
    }
}

coded! {
    /// Where one booking stands.
    BookingStatus {
        /// Has a seat.
        Confirmed => "confirmed", "Booked",
        /// The session was full; first come, first promoted.
        Waiting => "waiting", "On the waiting list",
        Cancelled => "cancelled", "Cancelled",
        /// Marked present on the register.
        Attended => "attended", "Attended",
    }
}

impl BookingStatus {
    /// Whether this booking holds one of the session's seats.
    pub fn holds_a_seat(self) -> bool {
        matches!(self, BookingStatus::Confirmed | BookingStatus::Attended)
    }
}

/// Whoever books next: a seat while there is one, otherwise the waiting list.
pub fn seat_for(capacity: u32, seats_taken: u32) -> BookingStatus {
    if seats_taken < capacity {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Waiting
    }
}

/// Which waiting booking takes a freed seat: the one that has waited longest. `waiting` is
/// each waiting booking's id with the time it was made; ties go to the smaller id, so every
/// instance promotes the same person.
pub fn promote<Id: Copy + Ord>(waiting: &[(Id, DateTime<Utc>)]) -> Option<Id> {
    waiting
        .iter()
        .min_by_key(|(id, at)| (*at, *id))
        .map(|(id, _)| *id)
}

/// When a connector trained on `trained_on` should do a refresher.
pub fn refresher_due(trained_on: NaiveDate) -> NaiveDate {
    trained_on
        .checked_add_months(Months::new(REFRESHER_MONTHS))
        .unwrap_or(NaiveDate::MAX)
}

pub fn refresher_is_due(trained_on: NaiveDate, today: NaiveDate) -> bool {
    today >= refresher_due(trained_on)
}

/// A session a place lead wants to schedule, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlan {
    pub title: String,
    pub kind: TrainingKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The address, when it happens in a room.
    pub place: Option<String>,
    /// The joining link, when it happens online (or both, for a hybrid session).
    pub online_link: Option<String>,
    pub capacity: u32,
    pub trainer: String,
}

/// The session form as typed, every field text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SessionForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    /// `YYYY-MM-DD`, UK date.
    #[serde(default)]
    pub date: String,
    /// `HH:MM`, UK time.
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub online_link: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub trainer: String,
}

/// The first thing wrong with a session form: the field, and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadSession {
    #[error("Enter a title, such as \"Local Connector training\"")]
    NoTitle,
    #[error("Keep the title under 120 characters")]
    TitleTooLong,
    #[error("Choose what kind of training this is")]
    NoKind,
    #[error("Enter the date as year-month-day, like 2026-03-14")]
    BadDate,
    #[error("Enter the start time as hours and minutes, like 18:30")]
    BadStart,
    #[error("Enter the end time as hours and minutes, like 20:30")]
    BadEnd,
    #[error("The end time must be after the start time")]
    EndsBeforeStart,
    #[error("The date must be today or later")]
    InThePast,
    #[error("Enter where it happens, or an online link, or both")]
    NowhereToGo,
    #[error("Enter an online link starting https://")]
    BadLink,
    #[error("Enter how many people can come, a whole number from 1 to 500")]
    BadCapacity,
    #[error("Enter the trainer's name")]
    NoTrainer,
    #[error("Enter who is hosting the event")]
    NoHost,
}

impl BadSession {
    /// The form field the mistake is in, for the error message beside it.
    pub fn field(self) -> &'static str {
        match self {
            BadSession::NoTitle | BadSession::TitleTooLong => "title",
            BadSession::NoKind => "kind",
            BadSession::BadDate | BadSession::InThePast => "date",
            BadSession::BadStart => "starts",
            BadSession::BadEnd | BadSession::EndsBeforeStart => "ends",
            BadSession::NowhereToGo => "place",
            BadSession::BadLink => "online_link",
            BadSession::BadCapacity => "capacity",
            BadSession::NoTrainer | BadSession::NoHost => "trainer",
        }
    }
}

fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

impl SessionForm {
    /// The training session the form describes, or its first mistake. Times are UK
    /// wall-clock times.
    pub fn plan(&self, now: DateTime<Utc>) -> Result<SessionPlan, BadSession> {
        let kind = TrainingKind::from_code(self.kind.trim())
            .filter(|k| k.is_training())
            .ok_or(BadSession::NoKind)?;
        self.plan_as(kind, now)
    }

    /// The match event the form describes: its kind is not the form's to choose.
    pub fn plan_match_event(&self, now: DateTime<Utc>) -> Result<SessionPlan, BadSession> {
        self.plan_as(TrainingKind::MatchEvent, now)
    }

    fn plan_as(&self, kind: TrainingKind, now: DateTime<Utc>) -> Result<SessionPlan, BadSession> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(BadSession::NoTitle);
        }
        if title.chars().count() > 120 {
            return Err(BadSession::TitleTooLong);
        }
        let date = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .map_err(|_| BadSession::BadDate)?;
        let time =
            |text: &str, bad| NaiveTime::parse_from_str(text.trim(), "%H:%M").map_err(|_| bad);
        let starts = time(&self.starts, BadSession::BadStart)?;
        let ends = time(&self.ends, BadSession::BadEnd)?;
        if ends <= starts {
            return Err(BadSession::EndsBeforeStart);
        }
        if date < crate::opening::uk_local(now).date() {
            return Err(BadSession::InThePast);
        }
        let place = optional(&self.place);
        let online_link = optional(&self.online_link);
        if place.is_none() && online_link.is_none() {
            return Err(BadSession::NowhereToGo);
        }
        if let Some(link) = &online_link
            && (!link.starts_with("https://")
                || link.len() < 12
                || link.contains(char::is_whitespace))
        {
            return Err(BadSession::BadLink);
        }
        let capacity: u32 = self
            .capacity
            .trim()
            .parse()
            .map_err(|_| BadSession::BadCapacity)?;
        if capacity == 0 || capacity > MAX_CAPACITY {
            return Err(BadSession::BadCapacity);
        }
        let trainer = self.trainer.trim();
        if trainer.is_empty() {
            return Err(match kind {
                TrainingKind::MatchEvent => BadSession::NoHost,
                _ => BadSession::NoTrainer,
            });
        }
        let at = |t: NaiveTime| uk_instant(NaiveDateTime::new(date, t));
        Ok(SessionPlan {
            title: title.to_owned(),
            kind,
            starts_at: at(starts),
            ends_at: at(ends),
            place,
            online_link,
            capacity,
            trainer: trainer.chars().take(120).collect(),
        })
    }
}

/// Someone booking a place, as the public form takes them: no account needed.
#[derive(Clone, PartialEq, Eq)]
pub struct Booker {
    pub name: String,
    pub email: Email,
    /// For joint training: the organisation they work for, so the register can say which
    /// organisations came.
    pub organization: Option<String>,
    /// The language the booking was made in: its emails speak it.
    pub language: crate::language::Language,
}

// A stray `{:?}` must not put a name in a log line.
impl std::fmt::Debug for Booker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Booker").finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadBooker {
    #[error("Enter your name")]
    NoName,
    #[error("Keep your name under 100 characters")]
    NameTooLong,
    #[error("Enter your email address, like name@example.org; we send your booking to it")]
    BadEmail,
    #[error("Enter the organisation you work for")]
    NoOrganization,
}

impl BadBooker {
    pub fn field(self) -> &'static str {
        match self {
            BadBooker::NoName | BadBooker::NameTooLong => "name",
            BadBooker::BadEmail => "email",
            BadBooker::NoOrganization => "organization",
        }
    }
}

impl Booker {
    /// Checks a booking form. Joint training asks for the organisation.
    pub fn parse(
        name: &str,
        email: &str,
        organization: &str,
        kind: TrainingKind,
    ) -> Result<Booker, BadBooker> {
        let name = crate::validation::one_line(name);
        if name.is_empty() {
            return Err(BadBooker::NoName);
        }
        if name.chars().count() > 100 {
            return Err(BadBooker::NameTooLong);
        }
        let email = Email::parse(email).map_err(|_| BadBooker::BadEmail)?;
        let organization = optional(&crate::validation::one_line(organization))
            .map(|o| o.chars().take(120).collect());
        if kind == TrainingKind::Joint && organization.is_none() {
            return Err(BadBooker::NoOrganization);
        }
        Ok(Booker {
            name,
            email,
            organization,
            language: crate::language::Language::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn form() -> SessionForm {
        SessionForm {
            title: "Local Connector training".into(),
            kind: "connector".into(),
            date: "2026-07-01".into(),
            starts: "18:30".into(),
            ends: "20:00".into(),
            place: "Kestleford Library, Market Street".into(),
            online_link: String::new(),
            capacity: "12".into(),
            trainer: "Jo Bright".into(),
        }
    }

    fn june() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_good_form_is_a_plan_in_uk_time() {
        let plan = form().plan(june()).unwrap();
        assert_eq!(plan.kind, TrainingKind::Connector);
        assert_eq!(
            plan.starts_at,
            Utc.with_ymd_and_hms(2026, 7, 1, 17, 30, 0).unwrap()
        );
        assert_eq!(plan.capacity, 12);
        assert_eq!(plan.online_link, None);
    }

    #[test]
    fn each_mistake_names_its_field() {
        type Spoil = fn(&mut SessionForm);
        let cases: Vec<(Spoil, BadSession)> = vec![
            (|f| f.title = "  ".into(), BadSession::NoTitle),
            (|f| f.kind = "party".into(), BadSession::NoKind),
            (|f| f.date = "1/7/2026".into(), BadSession::BadDate),
            (|f| f.date = "2026-05-01".into(), BadSession::InThePast),
            (|f| f.starts = "6pm".into(), BadSession::BadStart),
            (|f| f.ends = "17:00".into(), BadSession::EndsBeforeStart),
            (|f| f.place = String::new(), BadSession::NowhereToGo),
            (|f| f.online_link = "zoom".into(), BadSession::BadLink),
            (|f| f.capacity = "0".into(), BadSession::BadCapacity),
            (|f| f.capacity = "ten".into(), BadSession::BadCapacity),
            (|f| f.capacity = "501".into(), BadSession::BadCapacity),
            (|f| f.trainer = String::new(), BadSession::NoTrainer),
        ];
        for (spoil, expected) in cases {
            let mut f = form();
            spoil(&mut f);
            assert_eq!(f.plan(june()), Err(expected));
            assert!(!expected.field().is_empty());
        }
        let mut party = form();
        party.kind = "match_event".into();
        assert_eq!(party.plan(june()), Err(BadSession::NoKind));
        party.trainer = String::new();
        assert_eq!(party.plan_match_event(june()), Err(BadSession::NoHost));
        party.trainer = "Sam".into();
        assert_eq!(
            party.plan_match_event(june()).map(|p| p.kind),
            Ok(TrainingKind::MatchEvent)
        );
        let mut online = form();
        online.place = String::new();
        online.online_link = "https://meet.example.org/kestleford".into();
        assert!(online.plan(june()).is_ok());
    }

    #[test]
    fn seats_go_first_then_the_waiting_list() {
        assert_eq!(seat_for(2, 0), BookingStatus::Confirmed);
        assert_eq!(seat_for(2, 1), BookingStatus::Confirmed);
        assert_eq!(seat_for(2, 2), BookingStatus::Waiting);
        assert_eq!(seat_for(2, 3), BookingStatus::Waiting);
    }

    #[test]
    fn the_longest_waiting_is_promoted_and_ties_are_settled_the_same_way_everywhere() {
        let t = |m| Utc.with_ymd_and_hms(2026, 6, 1, 9, m, 0).unwrap();
        assert_eq!(promote::<u32>(&[]), None);
        assert_eq!(promote(&[(3, t(5)), (1, t(7)), (2, t(5))]), Some(2));
    }

    #[test]
    fn a_refresher_falls_due_twelve_months_on() {
        let trained = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
        assert_eq!(
            refresher_due(trained),
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        );
        assert!(!refresher_is_due(
            trained,
            NaiveDate::from_ymd_opt(2026, 2, 27).unwrap()
        ));
        assert!(refresher_is_due(
            trained,
            NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
        ));
    }

    #[test]
    fn joint_training_asks_for_the_organisation() {
        let ok = Booker::parse(" Mo ", "mo@example.org", "", TrainingKind::Connector).unwrap();
        assert_eq!(ok.name, "Mo");
        assert_eq!(
            Booker::parse("Mo", "mo@example.org", " ", TrainingKind::Joint),
            Err(BadBooker::NoOrganization)
        );
        assert_eq!(
            Booker::parse("Mo", "mo@", "", TrainingKind::Connector),
            Err(BadBooker::BadEmail)
        );
        assert_eq!(
            Booker::parse("", "mo@example.org", "", TrainingKind::Connector),
            Err(BadBooker::NoName)
        );
    }

    #[test]
    fn codes_round_trip() {
        for kind in TrainingKind::ALL {
            assert_eq!(TrainingKind::from_code(kind.code()), Some(*kind));
        }
        for status in BookingStatus::ALL {
            assert_eq!(BookingStatus::from_code(status.code()), Some(*status));
        }
    }
}
