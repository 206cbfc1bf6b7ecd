//! Casework: the ways in (a resident's call back, a professional's referral), the
//! coordinators' triage queue and caseload, a person's record and plan, and the person's
//! rights (export, erasure, retention). Referrals have their own folder.
//!
//! The gate has already asked the one policy; each handler parses the form into domain
//! types, calls the store, renders. The store writes every change together with its audit
//! event and timeline line; [`open_record`] records every read of a person's record with
//! the person's id.

pub(crate) mod call_back;
pub(crate) mod person;
pub(crate) mod plan;
pub(crate) mod rights;
pub(crate) mod triage;

use knit_domain::casework::{PersonDetails, PersonId, ReferralId, SafeContact};
use knit_store::casework::{CaseError, PersonRecord};
use uuid::Uuid;

use crate::AppState;
use crate::kit::{Allowed, PageError, ticked};

/// The person a form or page concerns, from the id in its address.
pub(crate) fn parse_person(id: &str) -> Result<PersonId, PageError> {
    Uuid::parse_str(id)
        .map(PersonId)
        .map_err(|_| PageError::NotFound("person"))
}

pub(crate) fn parse_referral(id: &str) -> Option<ReferralId> {
    Uuid::parse_str(id).ok().map(ReferralId)
}

/// A person's record for a page the gate has allowed, read and the read audited with the
/// person's id.
pub(crate) async fn open_record(
    state: &AppState,
    allowed: &Allowed,
    id: &str,
) -> Result<PersonRecord, PageError> {
    let id = parse_person(id)?;
    let record = state
        .store
        .person(id)
        .await?
        .ok_or(PageError::NotFound("person"))?;
    allowed.audit_read(state, "person", id.0).await;
    Ok(record)
}

/// The person's details, or "no such person" once they have been erased.
pub(crate) fn details_of(record: &PersonRecord) -> Result<&PersonDetails, PageError> {
    record.details.as_ref().ok_or(PageError::NotFound("person"))
}

/// A store refusal about a case, as a person reads it.
pub(crate) fn case_error(person: PersonId, error: CaseError) -> PageError {
    match error {
        CaseError::NotFound => PageError::NotFound("record"),
        CaseError::Store(e) => e.into(),
        refused => PageError::refused(
            refused,
            format!("/staff/people/{}", person.0),
            "Back to the person's page",
        ),
    }
}

/// The safe-contact rules as a page shows them: the warnings, or a line that says there
/// are none.
pub(crate) fn contact_rules(rules: &SafeContact) -> Vec<String> {
    let warnings = rules.warnings();
    if warnings.is_empty() {
        vec!["No limits on contact".to_owned()]
    } else {
        warnings
    }
}

/// The safe-contact fields shared by every form that asks for them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct SafeContactFields {
    #[serde(default)]
    pub do_not_contact: Option<String>,
    #[serde(default)]
    pub safe_to_call: Option<String>,
    #[serde(default)]
    pub safe_to_text: Option<String>,
    #[serde(default)]
    pub safe_to_leave_message: Option<String>,
    #[serde(default)]
    pub safe_to_email: Option<String>,
    #[serde(default)]
    pub do_not_write: Option<String>,
    #[serde(default)]
    pub safe_times: String,
    #[serde(default)]
    pub code_word: String,
}

impl SafeContactFields {
    pub fn rules(&self) -> SafeContact {
        SafeContact {
            do_not_contact: ticked(&self.do_not_contact),
            safe_to_call: ticked(&self.safe_to_call),
            safe_to_text: ticked(&self.safe_to_text),
            safe_to_leave_message: ticked(&self.safe_to_leave_message),
            safe_to_email: ticked(&self.safe_to_email),
            do_not_write: ticked(&self.do_not_write),
            safe_times: self.safe_times.trim().to_owned(),
            code_word: self.code_word.trim().to_owned(),
        }
    }

    pub fn of(rules: &SafeContact) -> SafeContactFields {
        let on = |b: bool| b.then(|| "on".to_owned());
        SafeContactFields {
            do_not_contact: on(rules.do_not_contact),
            safe_to_call: on(rules.safe_to_call),
            safe_to_text: on(rules.safe_to_text),
            safe_to_leave_message: on(rules.safe_to_leave_message),
            safe_to_email: on(rules.safe_to_email),
            do_not_write: on(rules.do_not_write),
            safe_times: rules.safe_times.clone(),
            code_word: rules.code_word.clone(),
        }
    }
}
