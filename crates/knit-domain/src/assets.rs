//! Community assets: spaces, vehicles, equipment and people's offers of skills and time, each
//! with an owner and a weekly availability with exceptions, and the booking requests anyone
//! can make for them. The rules are stated here once: what a slot must be to be requested
//! ([`check_slot`]), when two bookings overlap ([`overlaps`]), how a recurring request is
//! spread ([`occurrences`]), when the owner is reminded ([`needs_reminder`]), what counts as
//! unused ([`UNUSED_AFTER`]) and the free times of a week ([`free_times`]).
//!
//! Availability is kept in UK wall-clock time (a hall is open "Thursdays 6pm to 10pm" all
//! year round); bookings are instants, compared through [`crate::opening::uk_local`].

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::opening::{uk_instant, uk_local};
use crate::validation::{MAX_FREE_TEXT, one_line};

/// What an asset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssetKind {
    /// A hall, a room, a garden.
    Space,
    /// A minibus, a car, a van.
    Vehicle,
    /// A projector, a gazebo, tables and chairs.
    Equipment,
    /// Someone's offer of a skill or time ("I can drive", "I can cook for 30").
    Offer,
}

impl AssetKind {
    pub const ALL: [AssetKind; 4] = [
        AssetKind::Space,
        AssetKind::Vehicle,
        AssetKind::Equipment,
        AssetKind::Offer,
    ];

    /// The stable code stored and used in addresses. Never change one.
    pub fn code(self) -> &'static str {
        match self {
            AssetKind::Space => "space",
            AssetKind::Vehicle => "vehicle",
            AssetKind::Equipment => "equipment",
            AssetKind::Offer => "offer",
        }
    }

    pub fn from_code(code: &str) -> Option<AssetKind> {
        AssetKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AssetKind::Space => "Space",
            AssetKind::Vehicle => "Vehicle",
            AssetKind::Equipment => "Equipment",
            AssetKind::Offer => "Skills or time offered",
        }
    }
}

/// What an asset costs to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Price {
    Free,
    /// Pence per hour.
    PerHour(u32),
}

impl Price {
    pub fn is_free(self) -> bool {
        self == Price::Free
    }

    pub fn plain(self) -> String {
        match self {
            Price::Free => "Free".to_owned(),
            Price::PerHour(p) => format!("£{}.{:02} an hour", p / 100, p % 100),
        }
    }
}

/// The public facts about an asset. For an offer from a person these are shown only when
/// the person chose that ([`PersonalOffer::show_publicly`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AssetDetails {
    pub title: String,
    pub description: String,
    /// The neighbourhood or village, so people can find one near them.
    pub area: String,
    /// How many people a space holds.
    pub capacity: Option<u32>,
    /// Step-free access and an accessible toilet (spaces), or a lift or ramp (vehicles).
    pub accessible: bool,
    pub facilities: String,
    pub hire_terms: String,
    /// Pence an hour; `None` or 0 is free.
    pub price_pence: Option<u32>,
    // Vehicles.
    pub seats: Option<u32>,
    pub wheelchair_places: Option<u32>,
    /// Who may drive: for a minibus, the licence or permit it needs (D1, MiDAS, a section 19
    /// permit).
    pub who_may_drive: String,
    /// Whether the owner's drivers are trained (MiDAS or the like): shown before booking.
    pub drivers_trained: bool,
}

impl AssetDetails {
    pub fn price(&self) -> Price {
        match self.price_pence {
            None | Some(0) => Price::Free,
            Some(p) => Price::PerHour(p),
        }
    }
}

/// A person's offer of skills or time, kept sealed like casework: their name, how to reach
/// them and what they offer. Its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PersonalOffer {
    pub name: String,
    pub contact: String,
    pub offer: String,
    /// They agreed to their offer being kept, and said how (spoken, written).
    pub consent: String,
    /// They chose to have the offer (not their contact) shown on the public site.
    pub show_publicly: bool,
}

impl fmt::Debug for PersonalOffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PersonalOffer")
            .field("show_publicly", &self.show_publicly)
            .finish_non_exhaustive()
    }
}

/// One weekly window in UK local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub day: Weekday,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// A day that differs from the weekly pattern: closed, or open only at these times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    pub date: NaiveDate,
    /// Empty: closed all day.
    pub open: Vec<(NaiveTime, NaiveTime)>,
}

/// When an asset can be booked: weekly windows, and exceptions by date.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Availability {
    pub weekly: Vec<Window>,
    pub exceptions: Vec<Exception>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AvailabilityProblem {
    #[error(
        "line {0} is not a day and times: write it like \"Thursday 18:00-22:00\" or \"2026-12-25 closed\""
    )]
    BadLine(usize),
    #[error("line {0}: the end time must be after the start time")]
    Backwards(usize),
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M").ok()
}

fn parse_range(text: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (from, to) = text.split_once('-')?;
    Some((parse_time(from)?, parse_time(to)?))
}

fn day_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

impl Availability {
    /// Reads one rule a line: `Thursday 18:00-22:00` (a weekly window; `Mon`, `mon` do too)
    /// or `2026-12-25 closed` / `2026-12-24 09:00-12:00` (an exception). Blank lines are
    /// skipped.
    pub fn parse(text: &str) -> Result<Availability, AvailabilityProblem> {
        let mut out = Availability::default();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let (head, rest) = line
                .split_once(char::is_whitespace)
                .ok_or(AvailabilityProblem::BadLine(n))?;
            let rest = rest.trim();
            if let Ok(date) = NaiveDate::parse_from_str(head, "%Y-%m-%d") {
                let open = if rest.eq_ignore_ascii_case("closed") {
                    Vec::new()
                } else {
                    let (from, to) = parse_range(rest).ok_or(AvailabilityProblem::BadLine(n))?;
                    if to <= from {
                        return Err(AvailabilityProblem::Backwards(n));
                    }
                    vec![(from, to)]
                };
                match out.exceptions.iter_mut().find(|e| e.date == date) {
                    Some(e) => e.open.extend(open),
                    None => out.exceptions.push(Exception { date, open }),
                }
                continue;
            }
            let day = crate::opening::parse_weekday(head)
                .or_else(|| head.parse::<Weekday>().ok())
                .ok_or(AvailabilityProblem::BadLine(n))?;
            let (from, to) = parse_range(rest).ok_or(AvailabilityProblem::BadLine(n))?;
            if to <= from {
                return Err(AvailabilityProblem::Backwards(n));
            }
            out.weekly.push(Window { day, from, to });
        }
        Ok(out)
    }

    /// The rules as [`Availability::parse`] reads them, for editing.
    pub fn to_text(&self) -> String {
        let mut lines: Vec<String> = self
            .weekly
            .iter()
            .map(|w| {
                format!(
                    "{} {}-{}",
                    day_name(w.day),
                    w.from.format("%H:%M"),
                    w.to.format("%H:%M")
                )
            })
            .collect();
        for e in &self.exceptions {
            if e.open.is_empty() {
                lines.push(format!("{} closed", e.date));
            }
            for (from, to) in &e.open {
                lines.push(format!(
                    "{} {}-{}",
                    e.date,
                    from.format("%H:%M"),
                    to.format("%H:%M")
                ));
            }
        }
        lines.join("\n")
    }

    /// Plain words for the public page, one line per rule.
    pub fn plain(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .weekly
            .iter()
            .map(|w| {
                format!(
                    "{}s, {} to {}",
                    day_name(w.day),
                    w.from.format("%H:%M"),
                    w.to.format("%H:%M")
                )
            })
            .collect();
        for e in &self.exceptions {
            let date = e.date.format("%A %-d %B %Y");
            if e.open.is_empty() {
                lines.push(format!("Not available on {date}"));
            } else {
                for (from, to) in &e.open {
                    lines.push(format!(
                        "On {date} only {} to {}",
                        from.format("%H:%M"),
                        to.format("%H:%M")
                    ));
                }
            }
        }
        lines
    }

    /// The open windows on a date, in local time: the exception for that date if there is
    /// one, else the weekly windows for its weekday.
    pub fn windows_on(&self, date: NaiveDate) -> Vec<(NaiveTime, NaiveTime)> {
        if let Some(e) = self.exceptions.iter().find(|e| e.date == date) {
            return e.open.clone();
        }
        let day = date.weekday();
        self.weekly
            .iter()
            .filter(|w| w.day == day)
            .map(|w| (w.from, w.to))
            .collect()
    }

    /// Whether a local stretch of time lies inside one open window (on one day).
    pub fn covers(&self, start: NaiveDateTime, end: NaiveDateTime) -> bool {
        if end <= start || end.date() != start.date() {
            return false;
        }
        self.windows_on(start.date())
            .iter()
            .any(|(from, to)| *from <= start.time() && end.time() <= *to)
    }
}

/// A stretch of time asked for or booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// The one overlap rule: two bookings overlap when each starts before the other ends, so
/// one ending at 8pm and another starting at 8pm do not.
pub fn overlaps(a: &Slot, b: &Slot) -> bool {
    a.starts_at < b.ends_at && b.starts_at < a.ends_at
}

/// How a request repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Repeat {
    Once,
    Weekly,
    Fortnightly,
}

impl Repeat {
    pub fn code(self) -> &'static str {
        match self {
            Repeat::Once => "once",
            Repeat::Weekly => "weekly",
            Repeat::Fortnightly => "fortnightly",
        }
    }

    pub fn from_code(code: &str) -> Option<Repeat> {
        [Repeat::Once, Repeat::Weekly, Repeat::Fortnightly]
            .into_iter()
            .find(|r| r.code() == code)
    }

    fn step_days(self) -> i64 {
        match self {
            Repeat::Once => 0,
            Repeat::Weekly => 7,
            Repeat::Fortnightly => 14,
        }
    }
}

/// The most occurrences one recurring request may hold: about three months of weeks.
pub const MAX_OCCURRENCES: u32 = 13;

/// Every occurrence of a request, each at the same local wall-clock times (so a weekly
/// booking stays at 7pm across the change of the clocks).
pub fn occurrences(
    start: NaiveDateTime,
    end: NaiveDateTime,
    repeat: Repeat,
    count: u32,
) -> Vec<Slot> {
    let count = if repeat == Repeat::Once {
        1
    } else {
        count.clamp(1, MAX_OCCURRENCES)
    };
    (0..i64::from(count))
        .map(|i| {
            let shift = TimeDelta::days(repeat.step_days() * i);
            Slot {
                starts_at: uk_instant(start + shift),
                ends_at: uk_instant(end + shift),
            }
        })
        .collect()
}

/// Why a slot cannot be asked for or approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SlotProblem {
    #[error("the end time must be after the start time")]
    Backwards,
    #[error("that time has already passed: choose a time still to come")]
    InPast,
    #[error("it isn't available then: choose a time within its available hours")]
    OutsideAvailability,
    #[error("it is already booked for part of that time: choose another time")]
    Overlaps,
}

/// Whether a slot may be requested (or approved): after `now`, inside the availability, and
/// overlapping none of `taken` (the approved bookings).
pub fn check_slot(
    availability: &Availability,
    slot: &Slot,
    now: DateTime<Utc>,
    taken: &[Slot],
) -> Result<(), SlotProblem> {
    if slot.ends_at <= slot.starts_at {
        return Err(SlotProblem::Backwards);
    }
    if slot.starts_at <= now {
        return Err(SlotProblem::InPast);
    }
    if !availability.covers(uk_local(slot.starts_at), uk_local(slot.ends_at)) {
        return Err(SlotProblem::OutsideAvailability);
    }
    if taken.iter().any(|t| overlaps(t, slot)) {
        return Err(SlotProblem::Overlaps);
    }
    Ok(())
}

/// The free stretches of `days` days from `from`, in local time: each open window less the
/// approved bookings in it. `taken` need not be sorted.
pub fn free_times(
    availability: &Availability,
    taken: &[Slot],
    from: NaiveDate,
    days: u32,
) -> Vec<(NaiveDateTime, NaiveDateTime)> {
    let mut local: Vec<(NaiveDateTime, NaiveDateTime)> = taken
        .iter()
        .map(|t| (uk_local(t.starts_at), uk_local(t.ends_at)))
        .collect();
    local.sort_unstable();
    let mut free = Vec::new();
    for date in from.iter_days().take(days as usize) {
        for (open, close) in availability.windows_on(date) {
            let mut cursor = date.and_time(open);
            let end = date.and_time(close);
            for &(s, e) in &local {
                if s >= end || e <= cursor {
                    continue;
                }
                if s > cursor {
                    free.push((cursor, s));
                }
                cursor = cursor.max(e);
            }
            if cursor < end {
                free.push((cursor, end));
            }
        }
    }
    free
}

/// Whether a local stretch is wholly free in `free` (as [`free_times`] gives).
pub fn is_free(
    free: &[(NaiveDateTime, NaiveDateTime)],
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> bool {
    free.iter().any(|(s, e)| *s <= start && end <= *e)
}

/// Where a booking request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Requested,
    Approved,
    Declined,
    Cancelled,
}

impl BookingStatus {
    pub fn code(self) -> &'static str {
        match self {
            BookingStatus::Requested => "requested",
            BookingStatus::Approved => "approved",
            BookingStatus::Declined => "declined",
            BookingStatus::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<BookingStatus> {
        [
            BookingStatus::Requested,
            BookingStatus::Approved,
            BookingStatus::Declined,
            BookingStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Requested => "Waiting for an answer",
            BookingStatus::Approved => "Approved",
            BookingStatus::Declined => "Declined",
            BookingStatus::Cancelled => "Cancelled",
        }
    }
}

/// The owner is reminded of a request unanswered for this many working days.
pub const REMIND_AFTER_WORKING_DAYS: u32 = 2;

/// Whether a request made at `requested_at` and still unanswered calls for a reminder.
pub fn needs_reminder(requested_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    crate::referral::working_days_between(uk_local(requested_at).date(), uk_local(now).date())
        >= REMIND_AFTER_WORKING_DAYS
}

/// An asset with no booking for this long shows in the place leads' "find unused" view.
pub const UNUSED_AFTER: TimeDelta = TimeDelta::days(90);

/// Who asks for a booking, and for what: sealed with the booking. `Debug` shows only the
/// number of people.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Requester {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub purpose: String,
    pub people: u32,
    /// The language the request was made in: the answer speaks it. Requests sealed before
    /// there was a choice are English.
    #[serde(default)]
    pub language: crate::language::Language,
}

impl fmt::Debug for Requester {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Requester")
            .field("people", &self.people)
            .finish_non_exhaustive()
    }
}

/// The booking form as typed: kept to show back on a mistake.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub people: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub repeat: String,
    #[serde(default)]
    pub count: String,
}

/// A request read from its form, ready to check against the asset.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingRequest {
    pub requester: Requester,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub repeat: Repeat,
    pub count: u32,
}

impl BookingRequest {
    pub fn slots(&self) -> Vec<Slot> {
        occurrences(self.start, self.end, self.repeat, self.count)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequestProblem {
    #[error("Enter your name")]
    NoName,
    #[error("Your name must be 100 characters or fewer")]
    NameTooLong,
    #[error("Enter a phone number or an email address, so the owner can answer you")]
    NoContact,
    #[error("Enter a phone number like 01632 960 001")]
    BadPhone,
    #[error("Enter an email address like name@example.org")]
    BadEmail,
    #[error("Say what it is for")]
    NoPurpose,
    #[error("What it is for must be {MAX_FREE_TEXT} characters or fewer")]
    PurposeTooLong,
    #[error("Enter how many people, as a number")]
    BadPeople,
    #[error("That is more people than it holds ({0})")]
    TooManyPeople(u32),
    #[error("Enter the date like 2026-12-03")]
    BadDate,
    #[error("Enter the start time like 18:00")]
    BadFrom,
    #[error("Enter the end time like 21:00")]
    BadTo,
    #[error("Choose how often: once, weekly or fortnightly")]
    BadRepeat,
    #[error("Enter how many times, from 1 to {MAX_OCCURRENCES}")]
    BadCount,
}

impl RequestProblem {
    /// The form field to point at.
    pub fn field(&self) -> &'static str {
        match self {
            RequestProblem::NoName | RequestProblem::NameTooLong => "name",
            RequestProblem::NoContact | RequestProblem::BadPhone => "phone",
            RequestProblem::BadEmail => "email",
            RequestProblem::NoPurpose | RequestProblem::PurposeTooLong => "purpose",
            RequestProblem::BadPeople | RequestProblem::TooManyPeople(_) => "people",
            RequestProblem::BadDate => "date",
            RequestProblem::BadFrom => "from",
            RequestProblem::BadTo => "to",
            RequestProblem::BadRepeat => "repeat",
            RequestProblem::BadCount => "count",
        }
    }
}

impl RequestForm {
    /// Reads the form; `capacity` is the asset's, if it has one.
    pub fn parse(&self, capacity: Option<u32>) -> Result<BookingRequest, RequestProblem> {
        let name = one_line(&self.name);
        if name.is_empty() {
            return Err(RequestProblem::NoName);
        }
        if name.chars().count() > 100 {
            return Err(RequestProblem::NameTooLong);
        }
        let phone = one_line(&self.phone);
        let email = self.email.trim().to_owned();
        if phone.is_empty() && email.is_empty() {
            return Err(RequestProblem::NoContact);
        }
        let digits = phone.chars().filter(char::is_ascii_digit).count();
        if !phone.is_empty()
            && (!(10..=13).contains(&digits)
                || !phone
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +()-".contains(c)))
        {
            return Err(RequestProblem::BadPhone);
        }
        if !email.is_empty() && crate::account::Email::parse(&email).is_err() {
            return Err(RequestProblem::BadEmail);
        }
        let purpose = self.purpose.trim().to_owned();
        if purpose.is_empty() {
            return Err(RequestProblem::NoPurpose);
        }
        if purpose.chars().count() > MAX_FREE_TEXT {
            return Err(RequestProblem::PurposeTooLong);
        }
        let people: u32 = self
            .people
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or(RequestProblem::BadPeople)?;
        if let Some(cap) = capacity.filter(|c| people > *c) {
            return Err(RequestProblem::TooManyPeople(cap));
        }
        let date = NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d")
            .map_err(|_| RequestProblem::BadDate)?;
        let from = parse_time(&self.from).ok_or(RequestProblem::BadFrom)?;
        let to = parse_time(&self.to).ok_or(RequestProblem::BadTo)?;
        let repeat = match self.repeat.trim() {
            "" => Repeat::Once,
            code => Repeat::from_code(code).ok_or(RequestProblem::BadRepeat)?,
        };
        let count = match (repeat, self.count.trim()) {
            (Repeat::Once, _) => 1,
            (_, "") => 1,
            (_, text) => text
                .parse()
                .ok()
                .filter(|n| (1..=MAX_OCCURRENCES).contains(n))
                .ok_or(RequestProblem::BadCount)?,
        };
        Ok(BookingRequest {
            requester: Requester {
                name,
                phone,
                email,
                purpose,
                people,
                language: crate::language::Language::default(),
            },
            start: date.and_time(from),
            end: date.and_time(to),
            repeat,
            count,
        })
    }
}

/// The form staff fill in to add or change an asset, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetForm {
    #[serde(default)]
    pub kind: String,
    /// `org:<uuid>` or `person`.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub accessible: Option<String>,
    #[serde(default)]
    pub facilities: String,
    #[serde(default)]
    pub hire_terms: String,
    /// Pounds an hour, "" or "0" for free.
    #[serde(default)]
    pub price: String,
    #[serde(default)]
    pub seats: String,
    #[serde(default)]
    pub wheelchair_places: String,
    #[serde(default)]
    pub who_may_drive: String,
    #[serde(default)]
    pub drivers_trained: Option<String>,
    #[serde(default)]
    pub availability: String,
    // An offer from a person.
    #[serde(default)]
    pub person_name: String,
    #[serde(default)]
    pub person_contact: String,
    #[serde(default)]
    pub consent: String,
    #[serde(default)]
    pub show_publicly: Option<String>,
}

/// Who owns an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Organization(crate::account::OrganizationId),
    /// A person: their name and contact are in the sealed [`PersonalOffer`].
    Person,
}

/// An asset read from its form.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetPlan {
    pub kind: AssetKind,
    pub owner: Owner,
    pub details: AssetDetails,
    pub availability: Availability,
    pub offer: Option<PersonalOffer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AssetProblem {
    #[error("Choose what kind of asset it is")]
    NoKind,
    #[error("Choose who owns it")]
    NoOwner,
    #[error("Enter a short title")]
    NoTitle,
    #[error("The title must be 120 characters or fewer")]
    TitleTooLong,
    #[error("Text must be {MAX_FREE_TEXT} characters or fewer")]
    TooLong(&'static str),
    #[error("Enter a whole number")]
    BadNumber(&'static str),
    #[error("Enter a price in pounds, like 12.50, or leave it empty if it is free")]
    BadPrice,
    #[error("{0}")]
    Availability(AvailabilityProblem),
    #[error("An offer from a person needs their name and how to reach them")]
    NoPerson,
    #[error("Record how the person agreed to their offer being kept")]
    NoConsent,
    #[error("Only a person can offer skills or time, and a person offers only skills or time")]
    OfferOwner,
}

impl AssetProblem {
    pub fn field(&self) -> &'static str {
        match self {
            AssetProblem::NoKind => "kind",
            AssetProblem::NoOwner | AssetProblem::OfferOwner => "owner",
            AssetProblem::NoTitle | AssetProblem::TitleTooLong => "title",
            AssetProblem::TooLong(f) | AssetProblem::BadNumber(f) => f,
            AssetProblem::BadPrice => "price",
            AssetProblem::Availability(_) => "availability",
            AssetProblem::NoPerson => "person_name",
            AssetProblem::NoConsent => "consent",
        }
    }
}

fn number(text: &str, field: &'static str) -> Result<Option<u32>, AssetProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| AssetProblem::BadNumber(field))
}

fn free_text(text: &str, field: &'static str) -> Result<String, AssetProblem> {
    let text = text.trim();
    if text.chars().count() > MAX_FREE_TEXT {
        return Err(AssetProblem::TooLong(field));
    }
    Ok(text.to_owned())
}

fn pence(text: &str) -> Result<Option<u32>, AssetProblem> {
    let text = text.trim().trim_start_matches('£');
    if text.is_empty() {
        return Ok(None);
    }
    let (pounds, pennies) = text.split_once('.').unwrap_or((text, "0"));
    let pounds: u32 = pounds.parse().map_err(|_| AssetProblem::BadPrice)?;
    let pennies: u32 = match pennies.len() {
        1 => pennies.parse::<u32>().map(|p| p * 10),
        2 => pennies.parse(),
        _ => return Err(AssetProblem::BadPrice),
    }
    .map_err(|_| AssetProblem::BadPrice)?;
    pounds
        .checked_mul(100)
        .and_then(|p| p.checked_add(pennies))
        .map(Some)
        .ok_or(AssetProblem::BadPrice)
}

impl AssetForm {
    pub fn parse(&self) -> Result<AssetPlan, AssetProblem> {
        let kind = AssetKind::from_code(self.kind.trim()).ok_or(AssetProblem::NoKind)?;
        let owner = match self.owner.trim() {
            "person" => Owner::Person,
            other => other
                .strip_prefix("org:")
                .and_then(|id| uuid::Uuid::parse_str(id).ok())
                .map(|id| Owner::Organization(crate::account::OrganizationId(id)))
                .ok_or(AssetProblem::NoOwner)?,
        };
        if (kind == AssetKind::Offer) != (owner == Owner::Person) {
            return Err(AssetProblem::OfferOwner);
        }
        let title = one_line(&self.title);
        if title.is_empty() {
            return Err(AssetProblem::NoTitle);
        }
        if title.chars().count() > 120 {
            return Err(AssetProblem::TitleTooLong);
        }
        let details = AssetDetails {
            title,
            description: free_text(&self.description, "description")?,
            area: one_line(&self.area).chars().take(100).collect(),
            capacity: number(&self.capacity, "capacity")?,
            accessible: self.accessible.is_some(),
            facilities: free_text(&self.facilities, "facilities")?,
            hire_terms: free_text(&self.hire_terms, "hire_terms")?,
            price_pence: pence(&self.price)?,
            seats: number(&self.seats, "seats")?,
            wheelchair_places: number(&self.wheelchair_places, "wheelchair_places")?,
            who_may_drive: free_text(&self.who_may_drive, "who_may_drive")?,
            drivers_trained: self.drivers_trained.is_some(),
        };
        let availability =
            Availability::parse(&self.availability).map_err(AssetProblem::Availability)?;
        let offer = if owner == Owner::Person {
            let name = one_line(&self.person_name);
            let contact = one_line(&self.person_contact);
            if name.is_empty() || contact.is_empty() {
                return Err(AssetProblem::NoPerson);
            }
            let consent = one_line(&self.consent);
            if consent.is_empty() {
                return Err(AssetProblem::NoConsent);
            }
            Some(PersonalOffer {
                name,
                contact,
                offer: details.description.clone(),
                consent,
                show_publicly: self.show_publicly.is_some(),
            })
        } else {
            None
        };
        Ok(AssetPlan {
            kind,
            owner,
            details,
            availability,
            offer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(date: &str, time: &str) -> NaiveDateTime {
        NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .unwrap()
            .and_time(parse_time(time).unwrap())
    }

    fn slot(date: &str, from: &str, to: &str) -> Slot {
        Slot {
            starts_at: uk_instant(local(date, from)),
            ends_at: uk_instant(local(date, to)),
        }
    }

    fn hall() -> Availability {
        Availability::parse("Thursday 18:00-22:00\nSat 09:00-12:00\n2026-12-24 closed").unwrap()
    }

    #[test]
    fn availability_reads_weekly_windows_and_exceptions_and_writes_them_back() {
        let a = hall();
        assert_eq!(a.weekly.len(), 2);
        assert_eq!(a.exceptions.len(), 1);
        assert_eq!(Availability::parse(&a.to_text()).unwrap(), a);
        assert_eq!(
            Availability::parse("Thursday 22:00-18:00"),
            Err(AvailabilityProblem::Backwards(1))
        );
        assert_eq!(
            Availability::parse("\nsometimes"),
            Err(AvailabilityProblem::BadLine(2))
        );
    }

    #[test]
    fn a_slot_must_be_to_come_inside_the_hours_and_free() {
        let a = hall();
        let now = uk_instant(local("2026-12-01", "12:00"));
        // Thursday 3 December 2026, 7pm to 9pm.
        let evening = slot("2026-12-03", "19:00", "21:00");
        assert_eq!(check_slot(&a, &evening, now, &[]), Ok(()));
        assert_eq!(
            check_slot(&a, &slot("2026-12-03", "17:00", "19:00"), now, &[]),
            Err(SlotProblem::OutsideAvailability)
        );
        // Christmas Eve is a Thursday, and closed.
        assert_eq!(
            check_slot(&a, &slot("2026-12-24", "19:00", "20:00"), now, &[]),
            Err(SlotProblem::OutsideAvailability)
        );
        assert_eq!(
            check_slot(&a, &slot("2026-11-26", "19:00", "20:00"), now, &[]),
            Err(SlotProblem::InPast)
        );
        let taken = [slot("2026-12-03", "20:00", "22:00")];
        assert_eq!(
            check_slot(&a, &evening, now, &taken),
            Err(SlotProblem::Overlaps)
        );
        // Back to back is not an overlap.
        assert_eq!(
            check_slot(&a, &slot("2026-12-03", "18:00", "20:00"), now, &taken),
            Ok(())
        );
    }

    #[test]
    fn recurring_requests_keep_their_local_time_and_are_capped() {
        let weekly = occurrences(
            local("2026-10-22", "19:00"),
            local("2026-10-22", "21:00"),
            Repeat::Weekly,
            3,
        );
        assert_eq!(weekly.len(), 3);
        // The clocks go back on 25 October: still 7pm local.
        assert!(weekly.iter().all(|s| uk_local(s.starts_at).time()
            == NaiveTime::from_hms_opt(19, 0, 0).unwrap()));
        let fortnightly = occurrences(
            local("2026-12-03", "19:00"),
            local("2026-12-03", "21:00"),
            Repeat::Fortnightly,
            100,
        );
        assert_eq!(fortnightly.len(), MAX_OCCURRENCES as usize);
        assert_eq!(
            uk_local(fortnightly[1].starts_at).date(),
            NaiveDate::from_ymd_opt(2026, 12, 17).unwrap()
        );
    }

    #[test]
    fn free_times_are_the_windows_less_the_bookings() {
        let a = hall();
        let taken = [slot("2026-12-03", "19:00", "20:00")];
        let from = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let free = free_times(&a, &taken, from, 7);
        assert_eq!(
            free,
            vec![
                (local("2026-12-03", "18:00"), local("2026-12-03", "19:00")),
                (local("2026-12-03", "20:00"), local("2026-12-03", "22:00")),
                (local("2026-12-05", "09:00"), local("2026-12-05", "12:00")),
            ]
        );
        assert!(is_free(
            &free,
            local("2026-12-03", "20:00"),
            local("2026-12-03", "21:30")
        ));
        assert!(!is_free(
            &free,
            local("2026-12-03", "18:30"),
            local("2026-12-03", "20:30")
        ));
    }

    #[test]
    fn an_unanswered_request_is_chased_after_two_working_days() {
        // Friday afternoon: Monday is one working day on, Tuesday two.
        let friday = uk_instant(local("2026-12-04", "15:00"));
        assert!(!needs_reminder(
            friday,
            uk_instant(local("2026-12-07", "09:00"))
        ));
        assert!(needs_reminder(
            friday,
            uk_instant(local("2026-12-08", "09:00"))
        ));
    }

    #[test]
    fn a_request_form_says_what_is_wrong() {
        let good = RequestForm {
            name: "Kelly".into(),
            phone: "07700 900123".into(),
            purpose: "A social group for people who feel lonely".into(),
            people: "12".into(),
            date: "2026-12-03".into(),
            from: "19:00".into(),
            to: "21:00".into(),
            repeat: "weekly".into(),
            count: "4".into(),
            ..RequestForm::default()
        };
        let request = good.parse(Some(40)).unwrap();
        assert_eq!(request.slots().len(), 4);
        assert_eq!(
            good.parse(Some(10)).unwrap_err(),
            RequestProblem::TooManyPeople(10)
        );
        let long = RequestForm {
            purpose: "x".repeat(MAX_FREE_TEXT + 1),
            ..good.clone()
        };
        assert_eq!(long.parse(None).unwrap_err().field(), "purpose");
        let nobody = RequestForm {
            phone: String::new(),
            ..good.clone()
        };
        assert_eq!(nobody.parse(None).unwrap_err(), RequestProblem::NoContact);
        assert!(!format!("{:?}", request.requester).contains("Kelly"));
    }

    #[test]
    fn an_asset_form_reads_prices_owners_and_offers() {
        let org = uuid::Uuid::from_u128(7);
        let form = AssetForm {
            kind: "space".into(),
            owner: format!("org:{org}"),
            title: "St Mark's hall".into(),
            capacity: "60".into(),
            price: "12.5".into(),
            availability: "Thursday 18:00-22:00".into(),
            ..AssetForm::default()
        };
        let plan = form.parse().unwrap();
        assert_eq!(plan.details.price(), Price::PerHour(1250));
        assert_eq!(plan.details.price().plain(), "£12.50 an hour");
        let offer = AssetForm {
            kind: "offer".into(),
            owner: "person".into(),
            title: "Driving".into(),
            description: "I can drive on Tuesdays".into(),
            person_name: "Pat".into(),
            person_contact: "07700 900555".into(),
            consent: "spoken".into(),
            ..AssetForm::default()
        };
        let plan = offer.parse().unwrap();
        let kept = plan.offer.unwrap();
        assert!(!kept.show_publicly);
        assert!(!format!("{kept:?}").contains("Pat"));
        let wrong = AssetForm {
            owner: "person".into(),
            ..form
        };
        assert_eq!(wrong.parse().unwrap_err(), AssetProblem::OfferOwner);
    }
}
