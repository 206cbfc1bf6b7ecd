//! Volunteering: roles an organisation posts, and the residents who say "I'm interested".
//!
//! The rules, stated once: what makes a role worth posting and an offer worth sending, how
//! an expression of interest moves to its outcome, when an unanswered one is chased (the
//! organisation after [`REMIND_AFTER_WORKING_DAYS`], the place leads after
//! [`ESCALATE_AFTER_WORKING_DAYS`], counted with [`working_days_between`] as referrals are),
//! and how quickly an organisation "usually replies".

use std::fmt;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::OrganizationId;
use crate::geo::LatLon;
use crate::postcode::Postcode;
pub use crate::referral::working_days_between;
use crate::training::coded;
use crate::validation::{MAX_FREE_TEXT, one_line};

/// An organisation is reminded of an unanswered offer after this many working days.
pub const REMIND_AFTER_WORKING_DAYS: u32 = 3;
/// The place leads are told of an offer still unanswered after this many working days.
pub const ESCALATE_AFTER_WORKING_DAYS: u32 = 5;
/// "Usually replies in N days" looks at offers made in this many days before today.
pub const REPLY_WINDOW: TimeDelta = TimeDelta::days(90);
/// Longest title, name or contact typed into a form.
pub const MAX_LINE: usize = 200;
/// The most skills one role asks for.
pub const MAX_SKILLS: usize = 12;

coded! {
    /// A check a volunteer must pass before starting.
    Check {
        Dbs => "dbs", "DBS check",
        References => "references", "References",
        DrivingLicence => "driving_licence", "Driving licence",
        Induction => "induction", "Induction training",
    }
}

coded! {
    /// Where one expression of interest stands.
    InterestStatus {
        /// Sent; the organisation has not answered yet.
        Waiting => "waiting", "Waiting for an answer",
        /// The organisation has been in touch; the outcome is still to come.
        Contacted => "contacted", "In touch",
        Placed => "placed", "Placed",
        NotSuitable => "not_suitable", "Not suitable",
        Withdrew => "withdrew", "Withdrew",
    }
}

impl InterestStatus {
    /// Whether the organisation has answered: chasing stops, and the reply counts.
    pub fn is_answered(self) -> bool {
        self != InterestStatus::Waiting
    }

    pub fn is_final(self) -> bool {
        matches!(
            self,
            InterestStatus::Placed | InterestStatus::NotSuitable | InterestStatus::Withdrew
        )
    }
}

/// What an organisation says about an expression of interest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterestAnswer {
    Contacted,
    Placed,
    /// With the reason, which the volunteer's coordinator (if any) may see.
    NotSuitable(String),
    Withdrew,
}

impl InterestAnswer {
    pub fn status(&self) -> InterestStatus {
        match self {
            InterestAnswer::Contacted => InterestStatus::Contacted,
            InterestAnswer::Placed => InterestStatus::Placed,
            InterestAnswer::NotSuitable(_) => InterestStatus::NotSuitable,
            InterestAnswer::Withdrew => InterestStatus::Withdrew,
        }
    }

    /// Reads an answer from a form: `outcome` is a status code, `reason` is needed for
    /// "not suitable".
    pub fn parse(outcome: &str, reason: &str) -> Result<InterestAnswer, FormError> {
        let reason = reason.trim();
        if reason.chars().count() > MAX_FREE_TEXT {
            return Err(FormError::new("reason", "Keep the reason shorter"));
        }
        match InterestStatus::from_code(outcome.trim()) {
            Some(InterestStatus::Contacted) => Ok(InterestAnswer::Contacted),
            Some(InterestStatus::Placed) => Ok(InterestAnswer::Placed),
            Some(InterestStatus::Withdrew) => Ok(InterestAnswer::Withdrew),
            Some(InterestStatus::NotSuitable) if reason.is_empty() => Err(FormError::new(
                "reason",
                "Say why the role is not suitable, so the volunteer can be helped elsewhere",
            )),
            Some(InterestStatus::NotSuitable) => Ok(InterestAnswer::NotSuitable(reason.to_owned())),
            _ => Err(FormError::new("outcome", "Choose what happened")),
        }
    }
}

/// Why an answer cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerRefused {
    #[error("this offer already has its outcome")]
    AlreadyFinal,
    #[error("an offer cannot go back to waiting")]
    Backwards,
}

/// The status after `answer`, or why it is refused: an outcome is final; "in touch" comes
/// before an outcome, never after it.
pub fn answer(
    current: InterestStatus,
    answer: &InterestAnswer,
) -> Result<InterestStatus, AnswerRefused> {
    if current.is_final() {
        return Err(AnswerRefused::AlreadyFinal);
    }
    let next = answer.status();
    if next == InterestStatus::Contacted && current == InterestStatus::Contacted {
        return Err(AnswerRefused::Backwards);
    }
    Ok(next)
}

/// What is due for an offer still unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum InterestChase {
    Nothing,
    RemindOrganisation,
    EscalateToPlaceLeads,
}

impl InterestChase {
    pub fn code(self) -> Option<&'static str> {
        match self {
            InterestChase::Nothing => None,
            InterestChase::RemindOrganisation => Some("reminded"),
            InterestChase::EscalateToPlaceLeads => Some("escalated"),
        }
    }

    pub fn from_code(code: Option<&str>) -> Option<InterestChase> {
        match code {
            Some("reminded") => Some(InterestChase::RemindOrganisation),
            Some("escalated") => Some(InterestChase::EscalateToPlaceLeads),
            _ => None,
        }
    }
}

/// The chase due at `now` for an offer sent at `sent` and not yet answered.
pub fn chase_due(status: InterestStatus, sent: DateTime<Utc>, now: DateTime<Utc>) -> InterestChase {
    if status.is_answered() {
        return InterestChase::Nothing;
    }
    let waited = working_days_between(sent.date_naive(), now.date_naive());
    if waited >= ESCALATE_AFTER_WORKING_DAYS {
        InterestChase::EscalateToPlaceLeads
    } else if waited >= REMIND_AFTER_WORKING_DAYS {
        InterestChase::RemindOrganisation
    } else {
        InterestChase::Nothing
    }
}

/// One offer as counted for "usually replies in": when it was sent and when (if ever) the
/// organisation first answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplyTime {
    pub sent: DateTime<Utc>,
    pub answered: Option<DateTime<Utc>>,
}

/// How many working days an organisation usually takes to answer, from the offers sent in
/// the [`REPLY_WINDOW`] before `now`: the median, where an offer still unanswered counts the
/// days it has waited so far (an organisation that never answers never looks quick).
/// `None` when no offer was sent in the window.
pub fn usual_reply_days(times: &[ReplyTime], now: DateTime<Utc>) -> Option<u32> {
    let since = now - REPLY_WINDOW;
    let mut days: Vec<u32> = times
        .iter()
        .filter(|t| t.sent >= since && t.sent <= now)
        .map(|t| working_days_between(t.sent.date_naive(), t.answered.unwrap_or(now).date_naive()))
        .collect();
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    Some(days[(days.len() - 1) / 2])
}

/// How the figure reads on a page.
pub fn reply_phrase(days: u32) -> String {
    match days {
        0 => "usually replies the same day".to_owned(),
        1 => "usually replies in 1 working day".to_owned(),
        n => format!("usually replies in {n} working days"),
    }
}

/// A mistake on a form: the field and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FormError {
    pub field: &'static str,
    pub message: String,
}

impl FormError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FormError {
        FormError {
            field,
            message: message.into(),
        }
    }
}

fn line(field: &'static str, text: &str, what: &str, required: bool) -> Result<String, FormError> {
    let text = one_line(text);
    if required && text.is_empty() {
        return Err(FormError::new(field, format!("Enter {what}")));
    }
    if text.chars().count() > MAX_LINE {
        return Err(FormError::new(
            field,
            format!("Keep {what} under {MAX_LINE} characters"),
        ));
    }
    Ok(text)
}

fn free_text(field: &'static str, text: &str, what: &str) -> Result<String, FormError> {
    let text = text.trim().replace("\r\n", "\n");
    if text.chars().count() > MAX_FREE_TEXT {
        return Err(FormError::new(
            field,
            format!("Keep {what} under {MAX_FREE_TEXT} characters"),
        ));
    }
    Ok(text)
}

/// A role as typed by partner staff or a place lead.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OpportunityForm {
    #[serde(default)]
    pub organization: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub when: String,
    /// Skills wanted, separated by commas.
    #[serde(default)]
    pub skills: String,
    #[serde(default)]
    pub accessibility: String,
    #[serde(default)]
    pub dbs: Option<String>,
    #[serde(default)]
    pub references: Option<String>,
    #[serde(default)]
    pub driving_licence: Option<String>,
    #[serde(default)]
    pub induction: Option<String>,
    #[serde(default)]
    pub suitable_for_new: Option<String>,
    #[serde(default)]
    pub suitable_for_recovering: Option<String>,
}

fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
}

/// A role worth posting: checked, with its words tidied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpportunityPlan {
    pub organization: OrganizationId,
    pub title: String,
    pub description: String,
    pub place: String,
    pub postcode: Option<String>,
    pub when: String,
    pub skills: Vec<String>,
    pub checks: Vec<Check>,
    pub accessibility: String,
    pub suitable_for_new: bool,
    pub suitable_for_recovering: bool,
}

impl OpportunityForm {
    /// Checks the form for `organization`; the postcode must be one (it is looked up by the
    /// caller to place the role on the map).
    pub fn plan(&self, organization: OrganizationId) -> Result<OpportunityPlan, FormError> {
        let title = line("title", &self.title, "what the role is", true)?;
        let description = free_text("description", &self.description, "the description")?;
        if description.is_empty() {
            return Err(FormError::new(
                "description",
                "Say what the volunteer will do",
            ));
        }
        let place = line("place", &self.place, "where it happens", false)?;
        let postcode = match self.postcode.trim() {
            "" => None,
            typed => Some(
                Postcode::parse(typed)
                    .map_err(|e| FormError::new("postcode", e.to_string()))?
                    .as_str()
                    .to_owned(),
            ),
        };
        let when = line("when", &self.when, "when it happens", true)?;
        let skills: Vec<String> = self
            .skills
            .split(',')
            .map(one_line)
            .filter(|s| !s.is_empty())
            .collect();
        if skills.len() > MAX_SKILLS {
            return Err(FormError::new(
                "skills",
                format!("List at most {MAX_SKILLS} skills"),
            ));
        }
        if skills.iter().any(|s| s.chars().count() > 60) {
            return Err(FormError::new(
                "skills",
                "Keep each skill short, with commas between them",
            ));
        }
        let mut checks = Vec::new();
        for (check, value) in [
            (Check::Dbs, &self.dbs),
            (Check::References, &self.references),
            (Check::DrivingLicence, &self.driving_licence),
            (Check::Induction, &self.induction),
        ] {
            if ticked(value) {
                checks.push(check);
            }
        }
        Ok(OpportunityPlan {
            organization,
            title,
            description,
            place,
            postcode,
            when,
            skills,
            checks,
            accessibility: free_text("accessibility", &self.accessibility, "the access notes")?,
            suitable_for_new: ticked(&self.suitable_for_new),
            suitable_for_recovering: ticked(&self.suitable_for_recovering),
        })
    }
}

/// A posted role, as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: Uuid,
    pub organization_name: String,
    pub plan: OpportunityPlan,
    pub position: Option<LatLon>,
    pub open: bool,
    pub posted_at: DateTime<Utc>,
}

impl Opportunity {
    /// The words search reads: title, description, skills, place and organisation.
    pub fn search_text(&self) -> String {
        let p = &self.plan;
        format!(
            "{} {} {} {} {} {}",
            p.title,
            p.description,
            p.skills.join(" "),
            p.place,
            p.when,
            self.organization_name
        )
    }

    pub fn needs_dbs(&self) -> bool {
        self.plan.checks.contains(&Check::Dbs)
    }
}

/// What a resident sends with "I'm interested": sealed in the store, never logged. Its
/// `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerOffer {
    pub name: String,
    /// An email address or a phone number, as they gave it.
    pub contact: String,
    pub message: String,
}

impl fmt::Debug for VolunteerOffer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("VolunteerOffer { .. }")
    }
}

/// "I'm interested" as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OfferForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub consent: Option<String>,
}

impl OfferForm {
    pub fn offer(&self) -> Result<VolunteerOffer, FormError> {
        let name = line("name", &self.name, "your name", true)?;
        let contact = line(
            "contact",
            &self.contact,
            "an email address or phone number",
            true,
        )?;
        let digits = contact.chars().filter(|c| c.is_ascii_digit()).count();
        if !contact.contains('@') && digits < 10 {
            return Err(FormError::new(
                "contact",
                "Enter an email address like name@example.org, or a phone number",
            ));
        }
        let message = free_text("message", &self.message, "your message")?;
        if !ticked(&self.consent) {
            return Err(FormError::new(
                "consent",
                "Tick the box so the organisation may contact you about this role",
            ));
        }
        Ok(VolunteerOffer {
            name,
            contact,
            message,
        })
    }
}

/// When someone is free, or when a role or group happens, as far as plain words tell:
/// which parts (morning, afternoon, evening) of which days. "Tuesday and Friday mornings",
/// "weekends", "Mondays, 10am to 11:30am" and "when it suits you" are all read; words that
/// say nothing of time read as nothing, and then anything fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times(u32);

const PARTS: u32 = 3;
const ALL_DAYS: u8 = 0b111_1111;
const ALL_PARTS: u8 = 0b111;

impl Times {
    pub const ANY: Times = Times((1 << (7 * PARTS)) - 1);

    /// The times the words name, or `None` when they name none.
    pub fn read(text: &str) -> Option<Times> {
        let text = text.to_lowercase();
        for anywhen in [
            "any time",
            "anytime",
            "flexible",
            "whenever",
            "when it suits",
        ] {
            if text.contains(anywhen) {
                return Some(Times::ANY);
            }
        }
        let (mut days, mut parts) = (0u8, 0u8);
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == ':')) {
            days |= day_bits(word);
            parts |= part_bits(word);
        }
        if days == 0 && parts == 0 {
            return None;
        }
        let days = if days == 0 { ALL_DAYS } else { days };
        let parts = if parts == 0 { ALL_PARTS } else { parts };
        let mut bits = 0;
        for day in 0..7 {
            if days & (1 << day) != 0 {
                bits |= u32::from(parts) << (day * PARTS);
            }
        }
        Some(Times(bits))
    }

    pub fn overlaps(self, other: Times) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether someone free at `free` can do something that happens at `when`: yes unless
    /// both are known and never meet.
    pub fn fit(free: Option<Times>, when: Option<Times>) -> bool {
        match (free, when) {
            (Some(free), Some(when)) => free.overlaps(when),
            _ => true,
        }
    }
}

/// Monday is bit 0. Three-letter "sat" and "sun" are left out: they are words too. Welsh
/// day names are read as well ("dydd Sadwrn", "penwythnos").
fn day_bits(word: &str) -> u8 {
    let word = word.trim_end_matches('s');
    match word {
        "monday" | "mon" | "llun" => 1,
        "tuesday" | "tue" | "tues" | "mawrth" => 1 << 1,
        "wednesday" | "wed" | "mercher" => 1 << 2,
        "thursday" | "thu" | "thur" | "thurs" | "iau" => 1 << 3,
        "friday" | "fri" | "gwener" => 1 << 4,
        "saturday" | "sadwrn" => 1 << 5,
        "sunday" | "sul" => 1 << 6,
        "weekday" => 0b1_1111,
        "weekend" | "penwythno" => 0b110_0000,
        "daily" => ALL_DAYS,
        _ => 0,
    }
}

/// Morning is bit 0, afternoon 1, evening 2; a clock time ("10am", "6:30pm") counts too.
fn part_bits(word: &str) -> u8 {
    // Welsh "nos" (night) is not an English plural.
    let singular = if word == "nos" {
        word
    } else {
        word.trim_end_matches('s')
    };
    match singular {
        "morning" | "bore" | "boreau" => return 1,
        "afternoon" | "lunchtime" | "prynhawn" | "prynhawniau" => return 1 << 1,
        "evening" | "night" | "nos" => return 1 << 2,
        _ => {}
    }
    let (hour, pm) = match (word.strip_suffix("am"), word.strip_suffix("pm")) {
        (Some(h), _) => (h, false),
        (_, Some(h)) => (h, true),
        _ => return 0,
    };
    let Ok(hour) = hour.split(':').next().unwrap_or("").parse::<u32>() else {
        return 0;
    };
    match (hour, pm) {
        (1..=11, false) => 1,
        (12, _) | (1..=4, true) => 1 << 1,
        (5..=11, true) => 1 << 2,
        _ => 0,
    }
}

/// [`Times::fit`] for words as typed.
pub fn times_fit(free: &str, when: &str) -> bool {
    Times::fit(Times::read(free), Times::read(when))
}

/// What a person is good at and cares about, as their coordinator recorded it with their
/// consent: sealed, never logged. Its `Debug` shows nothing of it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrengthsProfile {
    pub skills: Vec<String>,
    pub passions: Vec<String>,
    /// What they would like to give, in their words.
    pub give: String,
    /// When they are free, in their words.
    pub availability: String,
}

impl fmt::Debug for StrengthsProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StrengthsProfile { .. }")
    }
}

/// Why a resident's own profile cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OfferRefused {
    #[error("nothing to go on")]
    Nothing,
    #[error("too much at once")]
    TooMany,
}

/// Words of four letters or more, lowercased, with the commonest endings taken off
/// ("gardening" and "gardeners" both become "garden"). Shorter words ("a", "the", "dog")
/// match too much by prefix to be worth it.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .map(|w| stem(&w))
        .filter(|w| w.chars().count() >= 4)
}

fn stem(word: &str) -> String {
    for ending in ["ing", "ers", "er", "s"] {
        if let Some(root) = word.strip_suffix(ending)
            && root.chars().count() >= 4
        {
            return root.to_owned();
        }
    }
    word.to_owned()
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(one_line)
        .filter(|s| !s.is_empty())
        .collect()
}

impl StrengthsProfile {
    /// Reads the form: skills and passions separated by commas; `consent` is the ticked box.
    pub fn parse(
        skills: &str,
        passions: &str,
        give: &str,
        availability: &str,
        consent: bool,
    ) -> Result<StrengthsProfile, FormError> {
        let profile = StrengthsProfile {
            skills: list(skills),
            passions: list(passions),
            give: free_text("give", give, "what they would like to give")?,
            availability: line("availability", availability, "when they are free", false)?,
        };
        if profile.skills.len() > MAX_SKILLS || profile.passions.len() > MAX_SKILLS {
            return Err(FormError::new(
                "skills",
                format!("List at most {MAX_SKILLS} of each"),
            ));
        }
        if profile.skills.is_empty() && profile.passions.is_empty() {
            return Err(FormError::new(
                "skills",
                "Enter at least one thing they are good at or care about",
            ));
        }
        if !consent {
            return Err(FormError::new(
                "consent",
                "Tick the box once the person has agreed this may be kept",
            ));
        }
        Ok(profile)
    }

    /// What a resident offers about themselves to see what fits: skills and passions
    /// separated by commas. Nothing is kept, so no consent is asked.
    pub fn offered(
        skills: &str,
        passions: &str,
        availability: &str,
    ) -> Result<StrengthsProfile, OfferRefused> {
        let profile = StrengthsProfile {
            skills: list(skills),
            passions: list(passions),
            give: String::new(),
            availability: one_line(availability).chars().take(200).collect(),
        };
        if profile.skills.len() > MAX_SKILLS || profile.passions.len() > MAX_SKILLS {
            return Err(OfferRefused::TooMany);
        }
        if profile.skills.is_empty() && profile.passions.is_empty() {
            return Err(OfferRefused::Nothing);
        }
        if skills.chars().count() + passions.chars().count() > MAX_FREE_TEXT {
            return Err(OfferRefused::TooMany);
        }
        Ok(profile)
    }

    /// How many of the profile's words a group's name and purpose share, by [`stem`]: the
    /// words a resident typed and a group wrote seldom match letter for letter
    /// ("gardening", "gardeners", "garden").
    pub fn fits_group(&self, name: &str, purpose: &str) -> usize {
        let theirs: Vec<String> = words(&format!("{name} {purpose}")).collect();
        let mut ours: Vec<String> = words(&format!(
            "{} {}",
            self.skills.join(" "),
            self.passions.join(" ")
        ))
        .collect();
        ours.sort();
        ours.dedup();
        ours.iter()
            .filter(|w| {
                theirs
                    .iter()
                    .any(|t| t.starts_with(w.as_str()) || w.starts_with(t.as_str()))
            })
            .count()
    }

    /// The words a search for roles that fit reads: skills, passions and what they would
    /// give.
    pub fn search_words(&self) -> String {
        format!(
            "{} {} {}",
            self.skills.join(" "),
            self.passions.join(" "),
            self.give
        )
    }
}

/// The date an offer was sent, for pages.
pub fn sent_on(at: DateTime<Utc>) -> NaiveDate {
    crate::opening::uk_local(at).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_from_plain_words_and_fit_when_they_meet() {
        let fit = |free, when| times_fit(free, when);
        assert!(fit(
            "Friday morning",
            "Tuesday and Friday mornings, 3 hours"
        ));
        assert!(!fit("evenings", "Tuesday and Friday mornings, 3 hours"));
        assert!(!fit("weekends", "Wednesday afternoons"));
        assert!(fit("Saturdays", "Saturday mornings"));
        assert!(fit(
            "Mon am",
            "Mondays, 10am to 11:30am, from the park gates"
        ));
        assert!(!fit("Monday evening", "Mondays, 10am to 11:30am"));
        assert!(fit("after 6pm on weekdays", "Thursdays 6:30pm to 8pm"));
        assert!(fit("weekends", "An hour a week, when it suits you"));
        assert!(
            fit("", "Saturday mornings"),
            "saying nothing rules nothing out"
        );
        assert!(fit("mornings", "From home"));
        assert_eq!(Times::read("a chat in the sun"), None);
        assert_eq!(Times::read("any time at all"), Some(Times::ANY));
        assert_eq!(Times::read("13pm"), None);
        assert!(
            fit("boreau dydd Sadwrn", "Saturday mornings"),
            "in Welsh too"
        );
        assert!(!fit("penwythnos", "Wednesday afternoons"));
        assert!(fit("nos Iau", "Thursday evenings"));
        assert!(!fit("nos Iau", "Thursday mornings"));
    }

    #[test]
    fn a_residents_own_profile_needs_something_and_finds_groups_by_word_roots() {
        assert_eq!(
            StrengthsProfile::offered(" ", ",", "weekends"),
            Err(OfferRefused::Nothing)
        );
        let many = vec!["x"; MAX_SKILLS + 1].join(",");
        assert_eq!(
            StrengthsProfile::offered(&many, "", ""),
            Err(OfferRefused::TooMany)
        );
        let mine = StrengthsProfile::offered("driving, cooking", "gardening, dogs", "").unwrap();
        assert_eq!(mine.passions, ["gardening", "dogs"]);
        assert_eq!(
            mine.fits_group("Northfield Gardeners", "We grow vegetables together"),
            1
        );
        assert_eq!(
            mine.fits_group("Lunch club", "Cooks a hot lunch and drives people home"),
            2,
            "cooking finds cooks, driving finds drives"
        );
        assert_eq!(
            mine.fits_group("Dog walkers", "Walks"),
            0,
            "three-letter words are left out"
        );
    }
    use chrono::TimeZone;

    fn at(d: u32) -> DateTime<Utc> {
        // 1 February 2027 is a Monday.
        Utc.with_ymd_and_hms(2027, 2, d, 10, 0, 0).unwrap()
    }

    #[test]
    fn an_unanswered_offer_is_chased_on_working_days_3_and_5() {
        let sent = at(1);
        let s = InterestStatus::Waiting;
        assert_eq!(chase_due(s, sent, at(3)), InterestChase::Nothing);
        assert_eq!(chase_due(s, sent, at(4)), InterestChase::RemindOrganisation);
        assert_eq!(chase_due(s, sent, at(5)), InterestChase::RemindOrganisation);
        // Saturday and Sunday do not count.
        assert_eq!(chase_due(s, sent, at(7)), InterestChase::RemindOrganisation);
        assert_eq!(
            chase_due(s, sent, at(8)),
            InterestChase::EscalateToPlaceLeads
        );
        assert_eq!(
            chase_due(InterestStatus::Contacted, sent, at(20)),
            InterestChase::Nothing
        );
    }

    #[test]
    fn outcomes_are_final_and_not_suitable_needs_a_reason() {
        assert!(InterestAnswer::parse("not_suitable", " ").is_err());
        let no = InterestAnswer::parse("not_suitable", "Needs a driving licence").unwrap();
        assert_eq!(
            answer(InterestStatus::Waiting, &no),
            Ok(InterestStatus::NotSuitable)
        );
        let placed = InterestAnswer::Placed;
        assert_eq!(
            answer(InterestStatus::Contacted, &placed),
            Ok(InterestStatus::Placed)
        );
        assert_eq!(
            answer(InterestStatus::Placed, &InterestAnswer::Withdrew),
            Err(AnswerRefused::AlreadyFinal)
        );
        assert!(InterestAnswer::parse("waiting", "").is_err());
    }

    #[test]
    fn the_usual_reply_is_the_median_and_counts_the_unanswered() {
        let now = at(26);
        let times = [
            ReplyTime {
                sent: at(1),
                answered: Some(at(2)),
            },
            ReplyTime {
                sent: at(8),
                answered: Some(at(10)),
            },
            ReplyTime {
                sent: at(15),
                answered: None,
            },
        ];
        // 1, 2 and 9 working days: the median is 2.
        assert_eq!(usual_reply_days(&times, now), Some(2));
        let long_ago = [ReplyTime {
            sent: now - TimeDelta::days(120),
            answered: None,
        }];
        assert_eq!(usual_reply_days(&long_ago, now), None);
        assert_eq!(reply_phrase(2), "usually replies in 2 working days");
    }

    #[test]
    fn a_role_needs_what_when_and_a_real_postcode() {
        let org = OrganizationId(Uuid::from_u128(1));
        let mut form = OpportunityForm {
            title: "Van driver".into(),
            description: "Collect food from supermarkets".into(),
            when: "Tuesday mornings".into(),
            postcode: "kf1 2ab".into(),
            skills: "driving, lifting ,".into(),
            dbs: Some("on".into()),
            suitable_for_new: Some("on".into()),
            ..OpportunityForm::default()
        };
        let plan = form.plan(org).unwrap();
        assert_eq!(plan.postcode.as_deref(), Some("KF1 2AB"));
        assert_eq!(plan.skills, ["driving", "lifting"]);
        assert_eq!(plan.checks, [Check::Dbs]);
        assert!(plan.suitable_for_new && !plan.suitable_for_recovering);
        form.postcode = "nowhere".into();
        assert_eq!(form.plan(org).unwrap_err().field, "postcode");
        form.when.clear();
        form.postcode.clear();
        assert_eq!(form.plan(org).unwrap_err().field, "when");
    }

    #[test]
    fn an_offer_needs_a_way_back_and_consent_and_hides_itself() {
        let mut form = OfferForm {
            name: "Dee\nSmith".into(),
            contact: "dee@example.org".into(),
            message: String::new(),
            consent: None,
        };
        assert_eq!(form.offer().unwrap_err().field, "consent");
        form.consent = Some("yes".into());
        let offer = form.offer().unwrap();
        assert_eq!(offer.name, "Dee Smith");
        assert!(!format!("{offer:?}").contains("Dee"));
        form.contact = "call me".into();
        assert_eq!(form.offer().unwrap_err().field, "contact");
    }
}
