//! A coordinator's casework: the person, how it is safe to contact them, what they agreed
//! to, what matters to them, their needs and plan, and how each need ended.
//!
//! The rules here decide what may be shared with whom ([`may_share_with`]), what the
//! safe-contact rules say to whoever is about to call ([`SafeContact::warnings`]), how an
//! intake is tidied from a form, and when a closed case is due for a retention review.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::{OrganizationId, UserId};
use crate::needs::NeedId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PersonId(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IntakeId(pub Uuid);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReferralId(pub Uuid);

/// How it is safe to get in touch. Shown wherever contact happens — the person's page, the
/// triage queue, every referral — because a text read by the wrong person can put someone
/// in danger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeContact {
    /// The person asked not to be contacted at all (they will get in touch).
    pub do_not_contact: bool,
    pub safe_to_call: bool,
    pub safe_to_text: bool,
    pub safe_to_leave_message: bool,
    pub safe_to_email: bool,
    /// Never send letters to the address.
    pub do_not_write: bool,
    /// When it is safe, in the person's words ("weekdays 10 till 2").
    pub safe_times: String,
    /// A word the person will use, or ask for, to confirm it is really us.
    pub code_word: String,
}

impl SafeContact {
    /// The rules as short warnings, the most important first. Empty when nothing limits
    /// contact — which is itself said on the page.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.do_not_contact {
            out.push("Do not contact: they will get in touch".to_owned());
            return out;
        }
        if !self.safe_to_call {
            out.push("Do not phone".to_owned());
        }
        if !self.safe_to_leave_message {
            out.push("Do not leave messages".to_owned());
        }
        if !self.safe_to_text {
            out.push("Do not text".to_owned());
        }
        if !self.safe_to_email {
            out.push("Do not email".to_owned());
        }
        if self.do_not_write {
            out.push("Never write to the address".to_owned());
        }
        if !self.safe_times.trim().is_empty() {
            out.push(format!("Only at safe times: {}", self.safe_times.trim()));
        }
        if !self.code_word.trim().is_empty() {
            out.push("Use the code word before saying why you are calling".to_owned());
        }
        out
    }

    /// Whether any way of reaching the person is left.
    pub fn reachable(&self) -> bool {
        !self.do_not_contact && (self.safe_to_call || self.safe_to_text || self.safe_to_email)
    }
}

/// Urgency of a need, or of a request arriving in the triage queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Urgent,
    Soon,
    Later,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::Urgent, Priority::Soon, Priority::Later];

    pub fn code(self) -> &'static str {
        match self {
            Priority::Urgent => "urgent",
            Priority::Soon => "soon",
            Priority::Later => "later",
        }
    }

    pub fn from_code(code: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Priority::Urgent => "Urgent",
            Priority::Soon => "Soon",
            Priority::Later => "Later",
        }
    }
}

/// Where a request for help came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntakeSource {
    /// "Ask for a call back" on the public site.
    CallBack,
    /// A professional without an account: a GP, a school, a housing officer.
    Professional,
    /// A Local Connector passed the person on, with their consent.
    Connector,
    /// A coordinator's own entry.
    Coordinator,
}

impl IntakeSource {
    pub const ALL: [IntakeSource; 4] = [
        IntakeSource::CallBack,
        IntakeSource::Professional,
        IntakeSource::Connector,
        IntakeSource::Coordinator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            IntakeSource::CallBack => "call_back",
            IntakeSource::Professional => "professional",
            IntakeSource::Connector => "connector",
            IntakeSource::Coordinator => "coordinator",
        }
    }

    pub fn from_code(code: &str) -> Option<IntakeSource> {
        IntakeSource::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            IntakeSource::CallBack => "Asked for a call back",
            IntakeSource::Professional => "Referred by a professional",
            IntakeSource::Connector => "Passed on by a Local Connector",
            IntakeSource::Coordinator => "Entered by a coordinator",
        }
    }
}

/// The professional who referred someone without an account, so the coordinator can call
/// them back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referrer {
    pub name: String,
    pub role: String,
    pub organisation: String,
    pub phone: String,
    pub email: String,
}

/// What a request for help holds: everything here is personal and is sealed at rest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntakeDetails {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub postcode: String,
    pub safe_contact: SafeContact,
    /// "A few words about what's going on", in the person's (or referrer's) words.
    pub what_is_going_on: String,
    /// Needs the matcher suggested from those words, for the coordinator to confirm.
    pub suggested_needs: Vec<NeedId>,
    /// The person agreed that Knit keeps this request and a coordinator contacts them.
    pub consent_given: bool,
    pub referrer: Option<Referrer>,
}

/// Everything about a person that is theirs: sealed at rest as one document, so nothing a
/// person told a coordinator sits in the database in clear text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    pub name: String,
    /// What they like to be called.
    pub known_as: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub postcode: String,
    pub date_of_birth: Option<NaiveDate>,
    pub safe_contact: SafeContact,
    pub language: String,
    pub needs_interpreter: bool,
    pub access_needs: String,
    /// Who they live with.
    pub household: String,
    pub children: Vec<Child>,
    /// "What matters to you", in their words.
    pub what_matters: String,
    /// What they are good at.
    pub strengths: String,
    /// What they care about and enjoy.
    pub interests: String,
    pub goals: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub first_name: String,
    pub age: Option<u8>,
}

impl PersonDetails {
    /// The name to use on pages: what they like to be called when they said.
    pub fn display_name(&self) -> &str {
        if self.known_as.trim().is_empty() {
            &self.name
        } else {
            &self.known_as
        }
    }

    pub fn from_intake(intake: &IntakeDetails) -> PersonDetails {
        PersonDetails {
            name: intake.name.clone(),
            phone: intake.phone.clone(),
            email: intake.email.clone(),
            postcode: intake.postcode.clone(),
            safe_contact: intake.safe_contact.clone(),
            ..PersonDetails::default()
        }
    }
}

/// What a consent is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConsentScope {
    /// To keep a record of the person in Knit at all.
    KeepRecord,
    /// To share what the coordinator chooses with one organisation, for a purpose.
    ShareWith {
        organization: OrganizationId,
        purpose: String,
    },
}

/// How the person gave it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Spoken,
    Written,
    Online,
}

impl ConsentMethod {
    pub const ALL: [ConsentMethod; 3] = [
        ConsentMethod::Spoken,
        ConsentMethod::Written,
        ConsentMethod::Online,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ConsentMethod::Spoken => "spoken",
            ConsentMethod::Written => "written",
            ConsentMethod::Online => "online",
        }
    }

    pub fn from_code(code: &str) -> Option<ConsentMethod> {
        ConsentMethod::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ConsentMethod::Spoken => "Said so in conversation",
            ConsentMethod::Written => "Signed a form",
            ConsentMethod::Online => "Ticked the box online",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: Uuid,
    pub scope: ConsentScope,
    pub method: ConsentMethod,
    pub recorded_by: Option<UserId>,
    pub recorded_at: DateTime<Utc>,
    pub expires: Option<NaiveDate>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_by: Option<UserId>,
}

impl Consent {
    pub fn in_force(&self, now: DateTime<Utc>) -> bool {
        self.withdrawn_at.is_none() && self.expires.is_none_or(|e| now.date_naive() <= e)
    }
}

/// Whether the person's consents, now, allow sharing with `organization`. The one rule
/// every referral and every read of shared details goes through.
pub fn may_share_with(
    consents: &[Consent],
    organization: OrganizationId,
    now: DateTime<Utc>,
) -> bool {
    consents.iter().any(|c| {
        c.in_force(now)
            && matches!(&c.scope, ConsentScope::ShareWith { organization: o, .. } if *o == organization)
    })
}

/// Which parts of the person's record a referral carries, chosen by the coordinator. The
/// safe-contact rules always travel: an organisation must never call someone who said not
/// to be called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SharedPart {
    Contact,
    Address,
    Needs,
    Household,
    LanguageAndAccess,
}

impl SharedPart {
    pub const ALL: [SharedPart; 5] = [
        SharedPart::Contact,
        SharedPart::Address,
        SharedPart::Needs,
        SharedPart::Household,
        SharedPart::LanguageAndAccess,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SharedPart::Contact => "contact",
            SharedPart::Address => "address",
            SharedPart::Needs => "needs",
            SharedPart::Household => "household",
            SharedPart::LanguageAndAccess => "language_and_access",
        }
    }

    pub fn from_code(code: &str) -> Option<SharedPart> {
        SharedPart::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SharedPart::Contact => "Phone and email",
            SharedPart::Address => "Address and postcode",
            SharedPart::Needs => "The needs this referral is about",
            SharedPart::Household => "Household and children",
            SharedPart::LanguageAndAccess => "Language, interpreter and access needs",
        }
    }
}

/// What the receiving organisation sees of the person: only the parts chosen, with the
/// safe-contact rules always. Built once, when the referral is sent, and sealed with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDetails {
    pub name: String,
    pub safe_contact: SafeContact,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub needs: Vec<NeedId>,
    pub household: Option<String>,
    pub children: Vec<Child>,
    pub language: Option<String>,
    pub needs_interpreter: Option<bool>,
    pub access_needs: Option<String>,
    /// The coordinator's words to the organisation: why this referral, what to know.
    pub message: String,
}

impl SharedDetails {
    pub fn of(
        person: &PersonDetails,
        parts: &[SharedPart],
        needs: &[NeedId],
        message: &str,
    ) -> SharedDetails {
        let has = |p| parts.contains(&p);
        SharedDetails {
            name: person.display_name().to_owned(),
            safe_contact: person.safe_contact.clone(),
            phone: has(SharedPart::Contact).then(|| person.phone.clone()),
            email: has(SharedPart::Contact).then(|| person.email.clone()),
            address: has(SharedPart::Address).then(|| person.address.clone()),
            postcode: has(SharedPart::Address).then(|| person.postcode.clone()),
            needs: if has(SharedPart::Needs) {
                needs.to_vec()
            } else {
                Vec::new()
            },
            household: has(SharedPart::Household).then(|| person.household.clone()),
            children: if has(SharedPart::Household) {
                person.children.clone()
            } else {
                Vec::new()
            },
            language: has(SharedPart::LanguageAndAccess).then(|| person.language.clone()),
            needs_interpreter: has(SharedPart::LanguageAndAccess)
                .then_some(person.needs_interpreter),
            access_needs: has(SharedPart::LanguageAndAccess).then(|| person.access_needs.clone()),
            message: message.trim().to_owned(),
        }
    }
}

/// How a need ended when the case closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedOutcome {
    Resolved,
    Improved,
    Unchanged,
    ReferredOn,
    Declined,
}

impl NeedOutcome {
    pub const ALL: [NeedOutcome; 5] = [
        NeedOutcome::Resolved,
        NeedOutcome::Improved,
        NeedOutcome::Unchanged,
        NeedOutcome::ReferredOn,
        NeedOutcome::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NeedOutcome::Resolved => "resolved",
            NeedOutcome::Improved => "improved",
            NeedOutcome::Unchanged => "unchanged",
            NeedOutcome::ReferredOn => "referred_on",
            NeedOutcome::Declined => "declined",
        }
    }

    pub fn from_code(code: &str) -> Option<NeedOutcome> {
        NeedOutcome::ALL.into_iter().find(|o| o.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            NeedOutcome::Resolved => "Resolved",
            NeedOutcome::Improved => "Improved",
            NeedOutcome::Unchanged => "Unchanged",
            NeedOutcome::ReferredOn => "Referred on",
            NeedOutcome::Declined => "They decided not to go on",
        }
    }
}

/// The kinds of step in a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Go with the person to an appointment: a date, a place, who goes.
    GoWith,
    /// Speak up for them: ring the council, write to the landlord.
    SpeakUp,
    /// Check in with them by a date.
    FollowUp,
    /// Something they will do themselves, as a goal.
    Goal,
}

impl StepKind {
    pub const ALL: [StepKind; 4] = [
        StepKind::GoWith,
        StepKind::SpeakUp,
        StepKind::FollowUp,
        StepKind::Goal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StepKind::GoWith => "go_with",
            StepKind::SpeakUp => "speak_up",
            StepKind::FollowUp => "follow_up",
            StepKind::Goal => "goal",
        }
    }

    pub fn from_code(code: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            StepKind::GoWith => "Go with them",
            StepKind::SpeakUp => "Speak up for them",
            StepKind::FollowUp => "Follow up",
            StepKind::Goal => "A goal of theirs",
        }
    }
}

/// A case's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed,
    /// Personal data removed; only pseudonymised counts remain.
    Erased,
}

impl CaseStatus {
    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
            CaseStatus::Erased => "erased",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseStatus> {
        [CaseStatus::Open, CaseStatus::Closed, CaseStatus::Erased]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// How long closed cases are kept before they are put in front of a place lead to review:
/// six years by default, after the limitation period for most claims in England.
pub const DEFAULT_RETENTION_YEARS: u32 = 6;

/// The date after which a case closed on `closed` should be reviewed for erasure.
pub fn retention_review_due(closed: DateTime<Utc>, years: u32) -> NaiveDate {
    let date = closed.date_naive();
    date.checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// How many requests for help one address may send: the rule for every public form.
pub use crate::public_forms::{PUBLIC_REQUESTS_PER_WINDOW, public_request_allowed};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeProblem {
    #[error("Enter a name we can use, even just a first name")]
    NoName,
    #[error("Tell us at least one safe way to reach you: a phone number or an email")]
    NoWayToReach,
    #[error("Tell us how it is safe to contact you: tick call, text or email")]
    NoSafeWay,
    #[error("Tick the box to say we may keep this and contact you")]
    NoConsent,
    #[error("Keep it short: a few words is enough (under 2,000 characters)")]
    TooLong,
    #[error("Enter your own name and a phone number or email, so we can reach you about this")]
    NoReferrerContact,
}

/// The field on a form each problem belongs beside.
impl IntakeProblem {
    pub fn field(&self) -> &'static str {
        match self {
            IntakeProblem::NoName => "name",
            IntakeProblem::NoWayToReach => "phone",
            IntakeProblem::NoSafeWay => "safe_to_call",
            IntakeProblem::NoConsent => "consent",
            IntakeProblem::TooLong => "what_is_going_on",
            IntakeProblem::NoReferrerContact => "referrer_name",
        }
    }
}

pub use crate::validation::MAX_FREE_TEXT;

/// Tidies a request from a form and says everything wrong with it at once, so a person
/// fixes all of it in one go. A person who asks not to be contacted at all cannot ask for a
/// call back, but a professional's referral may say so: the coordinator then works through
/// the professional.
pub fn check_intake(
    mut details: IntakeDetails,
    source: IntakeSource,
) -> Result<IntakeDetails, Vec<IntakeProblem>> {
    for text in [
        &mut details.name,
        &mut details.phone,
        &mut details.email,
        &mut details.postcode,
        &mut details.what_is_going_on,
        &mut details.safe_contact.safe_times,
        &mut details.safe_contact.code_word,
    ] {
        *text = text.trim().to_owned();
    }
    let mut problems = Vec::new();
    if details.name.is_empty() {
        problems.push(IntakeProblem::NoName);
    }
    let professional = source == IntakeSource::Professional;
    if !professional {
        if details.phone.is_empty() && details.email.is_empty() {
            problems.push(IntakeProblem::NoWayToReach);
        } else if !details.safe_contact.reachable() {
            problems.push(IntakeProblem::NoSafeWay);
        }
    }
    if professional {
        let referrer_ok = details.referrer.as_ref().is_some_and(|r| {
            !r.name.trim().is_empty() && (!r.phone.trim().is_empty() || !r.email.trim().is_empty())
        });
        if !referrer_ok {
            problems.push(IntakeProblem::NoReferrerContact);
        }
    }
    if !details.consent_given {
        problems.push(IntakeProblem::NoConsent);
    }
    if details.what_is_going_on.chars().count() > MAX_FREE_TEXT {
        problems.push(IntakeProblem::TooLong);
    }
    if problems.is_empty() {
        Ok(details)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    fn share(org: OrganizationId) -> Consent {
        Consent {
            id: Uuid::nil(),
            scope: ConsentScope::ShareWith {
                organization: org,
                purpose: "debt advice".into(),
            },
            method: ConsentMethod::Spoken,
            recorded_by: None,
            recorded_at: at(2026, 1, 1),
            expires: None,
            withdrawn_at: None,
            withdrawn_by: None,
        }
    }

    #[test]
    fn sharing_needs_a_consent_in_force_for_that_organisation() {
        let debt = OrganizationId(Uuid::from_u128(1));
        let refuge = OrganizationId(Uuid::from_u128(2));
        let now = at(2026, 6, 1);
        let mut consents = vec![share(debt)];
        assert!(may_share_with(&consents, debt, now));
        assert!(!may_share_with(&consents, refuge, now));
        consents[0].expires = Some(NaiveDate::from_ymd_opt(2026, 5, 31).unwrap());
        assert!(!may_share_with(&consents, debt, now), "expired");
        consents[0].expires = None;
        consents[0].withdrawn_at = Some(at(2026, 5, 1));
        assert!(!may_share_with(&consents, debt, now), "withdrawn");
        assert!(!may_share_with(
            &[Consent {
                scope: ConsentScope::KeepRecord,
                ..share(debt)
            }],
            debt,
            now
        ));
    }

    #[test]
    fn a_referral_carries_only_the_parts_chosen_and_always_the_contact_rules() {
        let person = PersonDetails {
            name: "Mary Jones".into(),
            phone: "07700 900123".into(),
            address: "1 Hidden Lane".into(),
            household: "three children".into(),
            safe_contact: SafeContact {
                safe_to_call: true,
                ..SafeContact::default()
            },
            ..PersonDetails::default()
        };
        let shared = SharedDetails::of(&person, &[SharedPart::Contact], &[], "hello ");
        assert_eq!(shared.phone.as_deref(), Some("07700 900123"));
        assert_eq!(shared.address, None);
        assert_eq!(shared.household, None);
        assert_eq!(shared.message, "hello");
        assert!(
            shared
                .safe_contact
                .warnings()
                .contains(&"Do not leave messages".to_owned())
        );
    }

    #[test]
    fn warnings_put_do_not_contact_above_everything() {
        let rules = SafeContact {
            do_not_contact: true,
            safe_to_call: true,
            ..SafeContact::default()
        };
        assert_eq!(
            rules.warnings(),
            vec!["Do not contact: they will get in touch"]
        );
        assert!(!rules.reachable());
    }

    #[test]
    fn an_intake_lists_every_problem_at_once() {
        let problems = check_intake(IntakeDetails::default(), IntakeSource::CallBack).unwrap_err();
        assert_eq!(
            problems,
            vec![
                IntakeProblem::NoName,
                IntakeProblem::NoWayToReach,
                IntakeProblem::NoConsent
            ]
        );
        let ok = check_intake(
            IntakeDetails {
                name: " Mary ".into(),
                phone: "07700 900123".into(),
                safe_contact: SafeContact {
                    safe_to_text: true,
                    ..SafeContact::default()
                },
                consent_given: true,
                ..IntakeDetails::default()
            },
            IntakeSource::CallBack,
        )
        .unwrap();
        assert_eq!(ok.name, "Mary");
    }

    #[test]
    fn a_professional_must_leave_their_own_contact() {
        let details = IntakeDetails {
            name: "Mary".into(),
            consent_given: true,
            referrer: Some(Referrer {
                name: "Dr Shah".into(),
                ..Referrer::default()
            }),
            ..IntakeDetails::default()
        };
        assert_eq!(
            check_intake(details.clone(), IntakeSource::Professional).unwrap_err(),
            vec![IntakeProblem::NoReferrerContact]
        );
        let mut with_phone = details;
        with_phone.referrer.as_mut().unwrap().phone = "01234 567890".into();
        assert!(check_intake(with_phone, IntakeSource::Professional).is_ok());
    }

    #[test]
    fn closed_cases_come_up_for_review_after_the_retention_period() {
        assert_eq!(
            retention_review_due(at(2026, 2, 28), DEFAULT_RETENTION_YEARS),
            NaiveDate::from_ymd_opt(2032, 2, 28).unwrap()
        );
    }
}
