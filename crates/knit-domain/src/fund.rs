//! The local fund: rounds with amount bands, weighted criteria and a deadline; applications
//! made without an account (also by groups that are not constituted); the fast route for
//! small awards; panel scoring with declared conflicts of interest; decisions with reasons,
//! awards, payments and the monitoring return six months on.
//!
//! Every rule is stated once here and asked by the store (inside its transactions), the
//! pages and the export. Money is whole pence ([`Pence`]), never a float.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::UserId;
use crate::validation::{MAX_FREE_TEXT, one_line};

mod export;
pub use export::{
    AwardForExport, ExportRecipient, FUNDER_PREFIX, GrantPackage, grant, grant_id, package,
};

// --- money ---

/// An amount of money in whole pence.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Pence(pub u64);

/// The largest amount Knit takes: ten million pounds, far beyond a local fund.
pub const MAX_AMOUNT: Pence = Pence(1_000_000_000);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("enter an amount in pounds, like 400 or 250.50")]
    NotAnAmount,
    #[error("enter an amount above £0")]
    Zero,
    #[error("that amount is larger than any this fund gives")]
    TooLarge,
}

impl Pence {
    pub fn pounds(pounds: u64) -> Pence {
        Pence(pounds * 100)
    }

    /// An amount as people type it: `400`, `£400`, `1,000`, `250.5`, `250.50`.
    pub fn parse(text: &str) -> Result<Pence, AmountError> {
        let text: String = text
            .trim()
            .trim_start_matches('£')
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        if text.is_empty() {
            return Err(AmountError::NotAnAmount);
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text.as_str(), ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
            return Err(AmountError::NotAnAmount);
        }
        if whole.len() > 9 {
            return Err(AmountError::TooLarge);
        }
        let pounds: u64 = whole.parse().map_err(|_| AmountError::NotAnAmount)?;
        let pence: u64 = match fraction.len() {
            0 => 0,
            1 => {
                fraction
                    .parse::<u64>()
                    .map_err(|_| AmountError::NotAnAmount)?
                    * 10
            }
            _ => fraction.parse().map_err(|_| AmountError::NotAnAmount)?,
        };
        let amount = Pence(pounds * 100 + pence);
        if amount.0 == 0 {
            return Err(AmountError::Zero);
        }
        if amount > MAX_AMOUNT {
            return Err(AmountError::TooLarge);
        }
        Ok(amount)
    }

    /// The amount in pounds as a decimal number, for the 360Giving export (which wants a
    /// number): exact, as pence are whole.
    pub fn as_decimal(self) -> serde_json::Number {
        if self.0.is_multiple_of(100) {
            serde_json::Number::from(self.0 / 100)
        } else {
            // Two decimal places are exact in a decimal text; JSON numbers carry them as text.
            serde_json::Number::from_f64(self.0 as f64 / 100.0).unwrap_or_else(|| 0.into())
        }
    }

    /// The amount as a form shows it back: `400` or `250.50`.
    pub fn plain(self) -> String {
        if self.0.is_multiple_of(100) {
            format!("{}", self.0 / 100)
        } else {
            format!("{}.{:02}", self.0 / 100, self.0 % 100)
        }
    }

    pub fn saturating_sub(self, other: Pence) -> Pence {
        Pence(self.0.saturating_sub(other.0))
    }
}

impl fmt::Display for Pence {
    /// `£1,000` or `£250.50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pounds = (self.0 / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if self.0.is_multiple_of(100) {
            write!(f, "£{grouped}")
        } else {
            write!(f, "£{grouped}.{:02}", self.0 % 100)
        }
    }
}

// --- rounds ---

/// What a panel scores each application on, and how much it weighs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Short and stable within the round: `need`, `reach`.
    pub key: String,
    pub label: String,
    /// 1 to [`MAX_WEIGHT`].
    pub weight: u32,
}

pub const MAX_WEIGHT: u32 = 10;
/// Scores run from 0 (does not meet it) to [`MAX_SCORE`] (meets it fully).
pub const MAX_SCORE: u8 = 5;
pub const MAX_CRITERIA: usize = 10;

/// Who may apply to a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// A person applying for themself.
    Individual,
    /// A group without a constitution, charity or company number: a few neighbours.
    UnconstitutedGroup,
    /// A constituted group, registered charity, CIO or company.
    ConstitutedGroup,
}

impl ApplicantKind {
    pub const ALL: [ApplicantKind; 3] = [
        ApplicantKind::UnconstitutedGroup,
        ApplicantKind::ConstitutedGroup,
        ApplicantKind::Individual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicantKind::Individual => "individual",
            ApplicantKind::UnconstitutedGroup => "unconstituted_group",
            ApplicantKind::ConstitutedGroup => "constituted_group",
        }
    }

    pub fn from_code(code: &str) -> Option<ApplicantKind> {
        ApplicantKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicantKind::Individual => "Just me, for myself",
            ApplicantKind::UnconstitutedGroup => {
                "A group without a constitution (a few neighbours, a new club)"
            }
            ApplicantKind::ConstitutedGroup => "A constituted group, charity or community company",
        }
    }

    pub fn is_group(self) -> bool {
        self != ApplicantKind::Individual
    }
}

/// A fund round as a place lead sets it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundPlan {
    pub title: String,
    pub description: String,
    pub min: Pence,
    pub max: Pence,
    /// Applications for less than this go the fast route, decided apart from the panel.
    pub fast_route_below: Option<Pence>,
    pub closes_at: DateTime<Utc>,
    pub criteria: Vec<Criterion>,
    pub open_to_individuals: bool,
    pub open_to_unconstituted: bool,
}

/// The questions every application answers; `required` ones must be answered to submit.
pub struct Question {
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub required: bool,
}

pub const QUESTIONS: &[Question] = &[
    Question {
        key: "what_for",
        label: "What is the money for?",
        hint: "In a few sentences: what you will do, and when.",
        required: true,
    },
    Question {
        key: "who_benefits",
        label: "Who will it help, and how many people?",
        hint: "For example: about 20 older people in Northfield who live alone.",
        required: true,
    },
    Question {
        key: "spending",
        label: "How will you spend it?",
        hint: "The main costs, like: hall hire £150, tea and biscuits £50.",
        required: true,
    },
    Question {
        key: "anything_else",
        label: "Anything else we should know? (optional)",
        hint: "",
        required: false,
    },
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundError {
    #[error("enter a title for the round")]
    NoTitle,
    #[error("the smallest amount must be less than or equal to the largest")]
    BandUpsideDown,
    #[error("the fast route must be for amounts inside the band")]
    FastRouteOutsideBand,
    #[error("the closing date must be in the future")]
    ClosesInPast,
    #[error("give at least one criterion, each like: Need | 3")]
    NoCriteria,
    #[error("at most {MAX_CRITERIA} criteria")]
    TooManyCriteria,
    #[error("write each criterion as a label, a bar and a weight from 1 to {MAX_WEIGHT}: Need | 3")]
    BadCriterion,
    #[error("that text is too long; keep it under {MAX_FREE_TEXT} characters")]
    TooLong,
    #[error("{0}")]
    Amount(AmountError),
    #[error("enter the closing date like 27/03/2027")]
    BadDate,
}

impl RoundError {
    pub fn field(&self) -> &'static str {
        match self {
            RoundError::NoTitle => "title",
            RoundError::BandUpsideDown | RoundError::Amount(_) => "min",
            RoundError::FastRouteOutsideBand => "fast_route_below",
            RoundError::ClosesInPast | RoundError::BadDate => "closes_on",
            RoundError::NoCriteria | RoundError::TooManyCriteria | RoundError::BadCriterion => {
                "criteria"
            }
            RoundError::TooLong => "description",
        }
    }
}

fn key_of(label: &str) -> String {
    let mut key = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    key.trim_end_matches('_').chars().take(40).collect()
}

/// Criteria typed one a line: `Need in the area | 3`. A line without a weight weighs 1.
pub fn parse_criteria(text: &str) -> Result<Vec<Criterion>, RoundError> {
    let mut criteria: Vec<Criterion> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (label, weight) = match line.rsplit_once('|') {
            Some((label, weight)) => (
                label.trim(),
                weight
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| RoundError::BadCriterion)?,
            ),
            None => (line, 1),
        };
        if label.is_empty() || !(1..=MAX_WEIGHT).contains(&weight) || label.chars().count() > 120 {
            return Err(RoundError::BadCriterion);
        }
        let mut key = key_of(label);
        if key.is_empty() {
            key = format!("c{}", criteria.len() + 1);
        }
        while criteria.iter().any(|c| c.key == key) {
            key.push('_');
        }
        criteria.push(Criterion {
            key,
            label: one_line(label),
            weight,
        });
    }
    if criteria.is_empty() {
        return Err(RoundError::NoCriteria);
    }
    if criteria.len() > MAX_CRITERIA {
        return Err(RoundError::TooManyCriteria);
    }
    Ok(criteria)
}

/// The round form as typed, kept to show back on a mistake.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub min: String,
    #[serde(default)]
    pub max: String,
    #[serde(default)]
    pub fast_route_below: String,
    /// `YYYY-MM-DD` or `DD/MM/YYYY`; the round closes at the end of that day (UK time).
    #[serde(default)]
    pub closes_on: String,
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub open_to_individuals: Option<String>,
    #[serde(default)]
    pub open_to_unconstituted: Option<String>,
}

impl RoundForm {
    pub fn plan(&self, now: DateTime<Utc>) -> Result<RoundPlan, RoundError> {
        let title = one_line(&self.title);
        if title.is_empty() {
            return Err(RoundError::NoTitle);
        }
        if title.chars().count() > 140 || self.description.chars().count() > MAX_FREE_TEXT {
            return Err(RoundError::TooLong);
        }
        let min = Pence::parse(&self.min).map_err(RoundError::Amount)?;
        let max = Pence::parse(&self.max).map_err(RoundError::Amount)?;
        let fast = match self.fast_route_below.trim() {
            "" => None,
            text => Some(Pence::parse(text).map_err(|_| RoundError::FastRouteOutsideBand)?),
        };
        let text = self.closes_on.trim();
        let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
            .map_err(|_| RoundError::BadDate)?;
        let closes_at =
            crate::opening::uk_instant(day.and_hms_opt(23, 59, 59).ok_or(RoundError::BadDate)?);
        let plan = RoundPlan {
            title,
            description: self.description.trim().to_owned(),
            min,
            max,
            fast_route_below: fast,
            closes_at,
            criteria: parse_criteria(&self.criteria)?,
            open_to_individuals: self
                .open_to_individuals
                .as_deref()
                .is_some_and(|v| !v.is_empty()),
            open_to_unconstituted: self
                .open_to_unconstituted
                .as_deref()
                .is_some_and(|v| !v.is_empty()),
        };
        plan.check(now)?;
        Ok(plan)
    }
}

impl RoundPlan {
    /// The rules a round must keep: a band the right way up, a fast route inside it, a
    /// deadline to come and at least one criterion.
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), RoundError> {
        if self.min > self.max {
            return Err(RoundError::BandUpsideDown);
        }
        if let Some(fast) = self.fast_route_below
            && (fast <= self.min || fast > self.max)
        {
            return Err(RoundError::FastRouteOutsideBand);
        }
        if self.closes_at <= now {
            return Err(RoundError::ClosesInPast);
        }
        if self.criteria.is_empty() {
            return Err(RoundError::NoCriteria);
        }
        Ok(())
    }

    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        now < self.closes_at
    }

    /// Which route an application for `amount` takes.
    pub fn route_for(&self, amount: Pence) -> Route {
        match self.fast_route_below {
            Some(below) if amount < below => Route::Fast,
            _ => Route::Panel,
        }
    }

    pub fn accepts(&self, kind: ApplicantKind) -> bool {
        match kind {
            ApplicantKind::Individual => self.open_to_individuals,
            ApplicantKind::UnconstitutedGroup => self.open_to_unconstituted,
            ApplicantKind::ConstitutedGroup => true,
        }
    }
}

/// How an application is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// A small award, decided by a place lead on its own, quickly.
    Fast,
    /// Scored by the round's panel and ranked.
    Panel,
}

impl Route {
    pub fn code(self) -> &'static str {
        match self {
            Route::Fast => "fast",
            Route::Panel => "panel",
        }
    }

    pub fn from_code(code: &str) -> Option<Route> {
        match code {
            "fast" => Some(Route::Fast),
            "panel" => Some(Route::Panel),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Route::Fast => "Fast route",
            Route::Panel => "Panel",
        }
    }
}

// --- applications ---

/// Who is applying and how to reach and pay them: sealed in the store, never logged, and
/// its `Debug` shows nothing of it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantDetails {
    /// The person applying, or the group's contact.
    pub name: String,
    pub email: String,
    pub phone: String,
    /// Empty for an individual.
    pub group_name: String,
    /// A registered charity or company number, for a constituted group that has one.
    pub charity_number: String,
    pub company_number: String,
    pub postcode: String,
    pub bank_account_name: String,
    pub bank_sort_code: String,
    pub bank_account_number: String,
    /// Answers to [`QUESTIONS`], by key.
    pub answers: BTreeMap<String, String>,
    /// The language the application was made in: its emails speak it. Applications sealed
    /// before there was a choice are English.
    #[serde(default)]
    pub language: crate::language::Language,
}

impl fmt::Debug for ApplicantDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApplicantDetails { .. }")
    }
}

/// An application as typed, before any check: a draft may be incomplete.
#[derive(Clone, PartialEq, Eq)]
pub struct Draft {
    pub kind: ApplicantKind,
    pub amount: Option<Pence>,
    pub details: ApplicantDetails,
    /// The group's record in the groups register, when it has one (no link is enforced:
    /// groups live apart).
    pub group_id: Option<Uuid>,
}

impl fmt::Debug for Draft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Draft")
            .field("kind", &self.kind)
            .field("amount", &self.amount)
            .finish_non_exhaustive()
    }
}

/// The application form as typed, kept to show back on a mistake.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub group_name: String,
    #[serde(default)]
    pub charity_number: String,
    #[serde(default)]
    pub company_number: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub bank_account_name: String,
    #[serde(default)]
    pub bank_sort_code: String,
    #[serde(default)]
    pub bank_account_number: String,
    #[serde(default)]
    pub what_for: String,
    #[serde(default)]
    pub who_benefits: String,
    #[serde(default)]
    pub spending: String,
    #[serde(default)]
    pub anything_else: String,
    #[serde(default)]
    pub group_id: String,
}

/// Why an application cannot be saved or submitted, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error("this round closed on {0}; applications are no longer taken")]
    DeadlinePassed(String),
    #[error("ask for between {min} and {max}")]
    OutsideBand { min: Pence, max: Pence },
    #[error("{0}")]
    Amount(AmountError),
    #[error("enter how much you are asking for")]
    NoAmount,
    #[error("answer this question: {0}")]
    Unanswered(&'static str),
    #[error("enter your name")]
    NoName,
    #[error("enter an email address or a phone number, so we can reach you")]
    NoContact,
    #[error("enter the group's name")]
    NoGroupName,
    #[error("this round does not take applications from {0}")]
    KindNotAccepted(&'static str),
    #[error("choose who is applying")]
    NoKind,
    #[error("that text is too long; keep it under {MAX_FREE_TEXT} characters")]
    TooLong(&'static str),
    #[error("enter the sort code as six digits, like 12-34-56")]
    SortCode,
    #[error("enter the account number as eight digits")]
    AccountNumber,
    #[error("enter an email address like name@example.org")]
    Email,
}

impl Ineligible {
    pub fn field(&self) -> &'static str {
        match self {
            Ineligible::DeadlinePassed(_) => "amount",
            Ineligible::OutsideBand { .. } | Ineligible::Amount(_) | Ineligible::NoAmount => {
                "amount"
            }
            Ineligible::Unanswered(label) => QUESTIONS
                .iter()
                .find(|q| q.label == *label)
                .map(|q| q.key)
                .unwrap_or("what_for"),
            Ineligible::NoName => "name",
            Ineligible::NoContact | Ineligible::Email => "email",
            Ineligible::NoGroupName => "group_name",
            Ineligible::KindNotAccepted(_) | Ineligible::NoKind => "kind",
            Ineligible::TooLong(field) => field,
            Ineligible::SortCode => "bank_sort_code",
            Ineligible::AccountNumber => "bank_account_number",
        }
    }
}

fn digits_only(text: &str) -> String {
    text.chars().filter(|c| c.is_ascii_digit()).collect()
}

impl ApplicationForm {
    /// Reads the form into a draft. Only what cannot be kept even as a draft is refused
    /// here (text too long, an amount that is not an amount); whether it can be submitted
    /// is [`check_submission`]'s.
    pub fn draft(&self) -> Result<Draft, Ineligible> {
        let kind = ApplicantKind::from_code(self.kind.trim()).ok_or(Ineligible::NoKind)?;
        let amount = match self.amount.trim() {
            "" => None,
            text => Some(Pence::parse(text).map_err(Ineligible::Amount)?),
        };
        let short = |field: &'static str, text: &str, max: usize| {
            let text = one_line(text);
            if text.chars().count() > max {
                Err(Ineligible::TooLong(field))
            } else {
                Ok(text)
            }
        };
        let mut answers = BTreeMap::new();
        for (key, text) in [
            ("what_for", &self.what_for),
            ("who_benefits", &self.who_benefits),
            ("spending", &self.spending),
            ("anything_else", &self.anything_else),
        ] {
            let text = text.trim().replace("\r\n", "\n");
            if text.chars().count() > MAX_FREE_TEXT {
                return Err(Ineligible::TooLong(
                    QUESTIONS
                        .iter()
                        .find(|q| q.key == key)
                        .map(|q| q.key)
                        .unwrap_or("what_for"),
                ));
            }
            if !text.is_empty() {
                answers.insert(key.to_owned(), text);
            }
        }
        let sort_code = digits_only(&self.bank_sort_code);
        if !self.bank_sort_code.trim().is_empty() && sort_code.len() != 6 {
            return Err(Ineligible::SortCode);
        }
        let account = digits_only(&self.bank_account_number);
        if !self.bank_account_number.trim().is_empty() && account.len() != 8 {
            return Err(Ineligible::AccountNumber);
        }
        let email = short("email", &self.email, 254)?;
        if !email.is_empty() && crate::account::Email::parse(&email).is_err() {
            return Err(Ineligible::Email);
        }
        let group_id = Uuid::parse_str(self.group_id.trim()).ok();
        let details = ApplicantDetails {
            name: short("name", &self.name, 100)?,
            email,
            phone: short("phone", &self.phone, 30)?,
            group_name: if kind.is_group() {
                short("group_name", &self.group_name, 140)?
            } else {
                String::new()
            },
            charity_number: if kind == ApplicantKind::ConstitutedGroup {
                short("charity_number", &self.charity_number, 20)?
            } else {
                String::new()
            },
            company_number: if kind == ApplicantKind::ConstitutedGroup {
                short("company_number", &self.company_number, 20)?
            } else {
                String::new()
            },
            postcode: short("postcode", &self.postcode, 10)?,
            bank_account_name: short("bank_account_name", &self.bank_account_name, 100)?,
            bank_sort_code: sort_code,
            bank_account_number: account,
            answers,
            language: crate::language::Language::default(),
        };
        Ok(Draft {
            kind,
            amount,
            details,
            group_id,
        })
    }

    /// The form showing a stored draft again.
    pub fn of(draft: &Draft) -> ApplicationForm {
        let d = &draft.details;
        let answer = |key: &str| d.answers.get(key).cloned().unwrap_or_default();
        ApplicationForm {
            kind: draft.kind.code().to_owned(),
            amount: draft.amount.map(Pence::plain).unwrap_or_default(),
            name: d.name.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            group_name: d.group_name.clone(),
            charity_number: d.charity_number.clone(),
            company_number: d.company_number.clone(),
            postcode: d.postcode.clone(),
            bank_account_name: d.bank_account_name.clone(),
            bank_sort_code: d.bank_sort_code.clone(),
            bank_account_number: d.bank_account_number.clone(),
            what_for: answer("what_for"),
            who_benefits: answer("who_benefits"),
            spending: answer("spending"),
            anything_else: answer("anything_else"),
            group_id: draft.group_id.map(|g| g.to_string()).unwrap_or_default(),
        }
    }
}

/// Whether a draft may be kept at all: the round must still be open. Asked by the store
/// in the transaction that saves.
pub fn check_draft(round: &RoundPlan, now: DateTime<Utc>) -> Result<(), Ineligible> {
    if !round.is_open(now) {
        return Err(Ineligible::DeadlinePassed(closing_day(round)));
    }
    Ok(())
}

fn closing_day(round: &RoundPlan) -> String {
    crate::opening::uk_local(round.closes_at)
        .format("%-d %B %Y")
        .to_string()
}

/// The eligibility checks, stated once: the round is open, it takes this kind of
/// applicant, the amount is inside the band, the applicant can be reached, and every
/// required question is answered. Returns the route the application takes. The store asks
/// this in the transaction that submits.
pub fn check_submission(
    round: &RoundPlan,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<Route, Ineligible> {
    check_draft(round, now)?;
    if !round.accepts(draft.kind) {
        return Err(Ineligible::KindNotAccepted(match draft.kind {
            ApplicantKind::Individual => "individuals",
            ApplicantKind::UnconstitutedGroup => "groups without a constitution",
            ApplicantKind::ConstitutedGroup => "constituted groups",
        }));
    }
    let amount = draft.amount.ok_or(Ineligible::NoAmount)?;
    if amount < round.min || amount > round.max {
        return Err(Ineligible::OutsideBand {
            min: round.min,
            max: round.max,
        });
    }
    let d = &draft.details;
    if d.name.trim().is_empty() {
        return Err(Ineligible::NoName);
    }
    if d.email.trim().is_empty() && d.phone.trim().is_empty() {
        return Err(Ineligible::NoContact);
    }
    if draft.kind.is_group() && d.group_name.trim().is_empty() {
        return Err(Ineligible::NoGroupName);
    }
    for q in QUESTIONS.iter().filter(|q| q.required) {
        if d.answers.get(q.key).is_none_or(|a| a.trim().is_empty()) {
            return Err(Ineligible::Unanswered(q.label));
        }
    }
    Ok(round.route_for(amount))
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Draft,
    Submitted,
    Awarded,
    Declined,
}

impl ApplicationStatus {
    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "draft",
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Awarded => "awarded",
            ApplicationStatus::Declined => "declined",
        }
    }

    pub fn from_code(code: &str) -> Option<ApplicationStatus> {
        [
            ApplicationStatus::Draft,
            ApplicationStatus::Submitted,
            ApplicationStatus::Awarded,
            ApplicationStatus::Declined,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "Draft",
            ApplicationStatus::Submitted => "Waiting for a decision",
            ApplicationStatus::Awarded => "Awarded",
            ApplicationStatus::Declined => "Not funded",
        }
    }

    /// A draft can be changed by its link; nothing else can.
    pub fn editable(self) -> bool {
        self == ApplicationStatus::Draft
    }
}

// --- the panel ---

/// One panel member's view of one application: scores per criterion, or a declared
/// conflict of interest, which makes them abstain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Vote {
    Scores(BTreeMap<String, u8>),
    /// The member knows the applicant (or gains from the award): they abstain, and no score
    /// of theirs ever counts.
    Conflict {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoteError {
    #[error("score every criterion from 0 to {MAX_SCORE}: {0} is missing")]
    Missing(String),
    #[error("scores run from 0 to {MAX_SCORE}")]
    OutOfRange,
    #[error("there is no criterion {0:?} in this round")]
    Unknown(String),
    #[error("say briefly what the conflict of interest is")]
    NoReason,
    #[error("only members of this round's panel can score it")]
    NotOnPanel,
    #[error("this application has been decided already")]
    Decided,
    #[error("this application goes the fast route, decided without the panel")]
    FastRoute,
    #[error("this application has not been submitted")]
    NotSubmitted,
}

/// Checks a vote against the round's criteria: every criterion scored 0..=MAX_SCORE, or a
/// conflict with a reason.
pub fn check_vote(criteria: &[Criterion], vote: &Vote) -> Result<(), VoteError> {
    match vote {
        Vote::Conflict { reason } => {
            if reason.trim().is_empty() {
                return Err(VoteError::NoReason);
            }
        }
        Vote::Scores(scores) => {
            for key in scores.keys() {
                if !criteria.iter().any(|c| &c.key == key) {
                    return Err(VoteError::Unknown(key.clone()));
                }
            }
            for c in criteria {
                match scores.get(&c.key) {
                    None => return Err(VoteError::Missing(c.label.clone())),
                    Some(s) if *s > MAX_SCORE => return Err(VoteError::OutOfRange),
                    Some(_) => {}
                }
            }
        }
    }
    Ok(())
}

/// One member's vote, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CastVote {
    pub member: UserId,
    pub vote: Vote,
}

/// An application's panel result: the weighted score of the members who scored it without
/// a conflict, as a percentage of the most it could score (in hundredths of a percent, so
/// ranking needs no floats).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// 0..=10_000; `None` when no member has scored it yet.
    pub score: Option<u32>,
    pub scored_by: u32,
    pub abstained: u32,
}

impl Tally {
    /// `72.5%`, or `not scored`.
    pub fn percent(&self) -> String {
        match self.score {
            Some(s) => format!("{}.{}%", s / 100, (s % 100) / 10),
            None => "not scored".to_owned(),
        }
    }
}

/// Tallies the votes: conflicted members abstain and nothing of theirs counts; every other
/// member's scores are weighted by the criteria and averaged.
pub fn tally(criteria: &[Criterion], votes: &[CastVote]) -> Tally {
    let most: u64 = criteria
        .iter()
        .map(|c| u64::from(c.weight) * u64::from(MAX_SCORE))
        .sum();
    let mut total: u64 = 0;
    let mut tally = Tally::default();
    for cast in votes {
        match &cast.vote {
            Vote::Conflict { .. } => tally.abstained += 1,
            Vote::Scores(scores) => {
                tally.scored_by += 1;
                total += criteria
                    .iter()
                    .map(|c| u64::from(c.weight) * u64::from(*scores.get(&c.key).unwrap_or(&0)))
                    .sum::<u64>();
            }
        }
    }
    if tally.scored_by > 0 && most > 0 {
        let denominator = most * u64::from(tally.scored_by);
        tally.score = Some(((total * 10_000 + denominator / 2) / denominator) as u32);
    }
    tally
}

/// Something ranked on the panel page.
pub trait Rankable {
    fn tally(&self) -> Tally;
    fn submitted_at(&self) -> Option<DateTime<Utc>>;
    fn id(&self) -> Uuid;
}

/// Ranks applications for the panel: highest score first, unscored last, ties by who
/// submitted first, then by id so the order is stable.
pub fn rank<T: Rankable>(items: &mut [T]) {
    items.sort_by(|a, b| {
        let (ta, tb) = (a.tally(), b.tally());
        tb.score
            .is_some()
            .cmp(&ta.score.is_some())
            .then(tb.score.cmp(&ta.score))
            .then(a.submitted_at().cmp(&b.submitted_at()))
            .then(a.id().cmp(&b.id()))
    });
}

// --- decisions, awards and payments ---

/// A decision on an application, with the reasons the applicant is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Award { amount: Pence, reasons: String },
    Decline { reasons: String },
}

impl Decision {
    pub fn reasons(&self) -> &str {
        match self {
            Decision::Award { reasons, .. } | Decision::Decline { reasons } => reasons,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("give the reasons for the decision")]
    NoReasons,
    #[error("the reasons are too long; keep them under {MAX_FREE_TEXT} characters")]
    TooLong,
    #[error("award between {min} and {max}, and no more than was asked for")]
    AmountOutsideBand { min: Pence, max: Pence },
    #[error("a panel application needs at least one panel member's scores first")]
    NotScored,
    #[error("this application has been decided already")]
    Decided,
    #[error("this application has not been submitted")]
    NotSubmitted,
    #[error("you declared a conflict of interest on this application, so someone else decides")]
    Conflicted,
    #[error("choose award or decline")]
    NoOutcome,
    #[error("{0}")]
    Amount(AmountError),
}

impl DecisionError {
    pub fn field(&self) -> &'static str {
        match self {
            DecisionError::AmountOutsideBand { .. } | DecisionError::Amount(_) => "amount",
            DecisionError::NoOutcome => "outcome",
            _ => "reasons",
        }
    }
}

/// Whether a decision may be made: the application is submitted and undecided, a panel
/// application has been scored, the decider has no conflict, reasons are given, and an award
/// is inside the band and no more than was asked.
pub fn check_decision(
    round: &RoundPlan,
    status: ApplicationStatus,
    route: Route,
    requested: Pence,
    votes: &[CastVote],
    decider: UserId,
    decision: &Decision,
) -> Result<(), DecisionError> {
    match status {
        ApplicationStatus::Submitted => {}
        ApplicationStatus::Draft => return Err(DecisionError::NotSubmitted),
        _ => return Err(DecisionError::Decided),
    }
    if votes
        .iter()
        .any(|v| v.member == decider && matches!(v.vote, Vote::Conflict { .. }))
    {
        return Err(DecisionError::Conflicted);
    }
    if route == Route::Panel && tally(&round.criteria, votes).scored_by == 0 {
        return Err(DecisionError::NotScored);
    }
    let reasons = decision.reasons().trim();
    if reasons.is_empty() {
        return Err(DecisionError::NoReasons);
    }
    if reasons.chars().count() > MAX_FREE_TEXT {
        return Err(DecisionError::TooLong);
    }
    if let Decision::Award { amount, .. } = decision {
        let max = round.max.min(requested);
        if amount.0 == 0 || *amount > max {
            return Err(DecisionError::AmountOutsideBand { min: Pence(1), max });
        }
    }
    Ok(())
}

/// A payment made on an award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub amount: Pence,
    pub paid_on: NaiveDate,
    /// The payment's reference in the accounts (not the applicant's bank details).
    pub reference: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("that would pay {paid} in all, more than the {awarded} awarded")]
    MoreThanAwarded { paid: Pence, awarded: Pence },
    #[error("{0}")]
    Amount(AmountError),
    #[error("enter the date it was paid, like 27/03/2027")]
    BadDate,
    #[error("the reference is too long")]
    TooLong,
    #[error("only an award can be paid")]
    NotAwarded,
}

/// Whether one more payment keeps the total paid within the award.
pub fn check_payment(
    awarded: Pence,
    paid_so_far: Pence,
    payment: &Payment,
) -> Result<(), PaymentError> {
    let paid = Pence(paid_so_far.0 + payment.amount.0);
    if paid > awarded {
        return Err(PaymentError::MoreThanAwarded { paid, awarded });
    }
    if payment.reference.chars().count() > 140 {
        return Err(PaymentError::TooLong);
    }
    Ok(())
}

/// How long after an award its monitoring return is due.
pub const MONITORING_AFTER_MONTHS: u32 = 6;

/// The day an award's short monitoring return is due: six months after the award.
pub fn monitoring_due(awarded_on: NaiveDate) -> NaiveDate {
    awarded_on
        .checked_add_months(Months::new(MONITORING_AFTER_MONTHS))
        .unwrap_or(awarded_on)
}

/// The monitoring return: what happened, in the applicant's words, and how many took part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringReturn {
    pub what_happened: String,
    pub people_reached: u32,
    pub spent_as_planned: bool,
    pub anything_else: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonitoringError {
    #[error("tell us briefly what happened")]
    Empty,
    #[error("that text is too long; keep it under {MAX_FREE_TEXT} characters")]
    TooLong,
    #[error("enter how many people took part, as a number")]
    NotANumber,
    #[error("this award's return has been sent already; thank you")]
    AlreadySent,
}

impl MonitoringError {
    pub fn field(&self) -> &'static str {
        match self {
            MonitoringError::NotANumber => "people_reached",
            _ => "what_happened",
        }
    }
}

/// Reads the monitoring form.
pub fn monitoring_return(
    what_happened: &str,
    people_reached: &str,
    spent_as_planned: bool,
    anything_else: &str,
) -> Result<MonitoringReturn, MonitoringError> {
    let what = what_happened.trim();
    if what.is_empty() {
        return Err(MonitoringError::Empty);
    }
    if what.chars().count() > MAX_FREE_TEXT || anything_else.chars().count() > MAX_FREE_TEXT {
        return Err(MonitoringError::TooLong);
    }
    let people = people_reached
        .trim()
        .parse::<u32>()
        .map_err(|_| MonitoringError::NotANumber)?;
    Ok(MonitoringReturn {
        what_happened: what.to_owned(),
        people_reached: people,
        spent_as_planned,
        anything_else: anything_else.trim().to_owned(),
    })
}

#[cfg(test)]
mod tests;
