//! Casework pages: the coordinators' triage queue and caseload, a person's record and plan,
//! referrals from both sides, and the person's rights (export, erasure, retention).
//!
//! Each handler reads as the user's intent: it asks [`gate`] (which asks the one policy and
//! audits), parses the form into domain types, calls the store, renders. The store writes
//! every change together with its audit event and timeline line; [`audit_read`] records
//! every read of a person's record with the person's id.

mod person;
mod plan;
mod referrals;
mod rights;
mod triage;

pub(crate) use referrals::inbox_organisations;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use knit_domain::access::{Action, Decision, decide};
use knit_domain::audit::NewAuditEvent;
use knit_domain::casework::{PersonId, ReferralId, SafeContact};
use knit_store::casework::{CaseError, PersonRecord, ReferralError, Stamp};
use uuid::Uuid;

use super::session::{self, SignedIn};
use super::{csrf, forged, internal, message};
use crate::{AppState, Site};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/intakes", get(triage::queue))
        .route(
            "/staff/intakes/new",
            get(triage::new_form).post(triage::create),
        )
        .route("/staff/intakes/{id}/open", post(triage::open_case))
        .route("/staff/intakes/{id}/close", post(triage::close))
        .route("/staff/people", get(person::caseload))
        .route("/staff/people/{id}", get(person::show))
        .route(
            "/staff/people/{id}/details",
            get(person::details_form).post(person::save_details),
        )
        .route(
            "/staff/people/{id}/conversation",
            get(person::conversation_form).post(person::save_conversation),
        )
        .route("/staff/people/{id}/steps", post(plan::add_step))
        .route(
            "/staff/people/{id}/steps/{step}/done",
            post(plan::complete_step),
        )
        .route("/staff/people/{id}/consents", post(plan::record_consent))
        .route(
            "/staff/people/{id}/consents/{consent}/withdraw",
            post(plan::withdraw_consent),
        )
        .route(
            "/staff/people/{id}/wellbeing",
            get(plan::wellbeing_form).post(plan::record_wellbeing),
        )
        .route(
            "/staff/people/{id}/close",
            get(plan::close_form).post(plan::close),
        )
        .route("/staff/people/{id}/reopen", post(plan::reopen))
        .route(
            "/staff/people/{id}/refer",
            get(referrals::refer_form).post(referrals::send),
        )
        .route("/staff/people/{id}/export", get(rights::export))
        .route("/staff/people/{id}/erase", post(rights::erase))
        .route("/staff/retention", get(rights::retention))
        .route("/staff/erasures", post(rights::erase_by_reference))
        .route("/staff/inbox", get(referrals::inbox))
        .route("/staff/referrals/{id}", get(referrals::show))
        .route("/staff/referrals/{id}/moves", post(referrals::make_move))
        .route(
            "/staff/referrals/{id}/messages",
            post(referrals::add_message),
        )
        .route(
            "/staff/referrals/{id}/onward",
            post(referrals::refer_onward),
        )
}

/// The casework routes as (method, path), for `staff::ROUTES`.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/staff/intakes"),
    ("GET", "/staff/intakes/new"),
    ("POST", "/staff/intakes/new"),
    ("POST", "/staff/intakes/{id}/open"),
    ("POST", "/staff/intakes/{id}/close"),
    ("GET", "/staff/people"),
    ("GET", "/staff/people/{id}"),
    ("GET", "/staff/people/{id}/details"),
    ("POST", "/staff/people/{id}/details"),
    ("GET", "/staff/people/{id}/conversation"),
    ("POST", "/staff/people/{id}/conversation"),
    ("POST", "/staff/people/{id}/steps"),
    ("POST", "/staff/people/{id}/steps/{step}/done"),
    ("POST", "/staff/people/{id}/consents"),
    ("POST", "/staff/people/{id}/consents/{consent}/withdraw"),
    ("GET", "/staff/people/{id}/wellbeing"),
    ("POST", "/staff/people/{id}/wellbeing"),
    ("GET", "/staff/people/{id}/close"),
    ("POST", "/staff/people/{id}/close"),
    ("POST", "/staff/people/{id}/reopen"),
    ("GET", "/staff/people/{id}/refer"),
    ("POST", "/staff/people/{id}/refer"),
    ("GET", "/staff/people/{id}/export"),
    ("POST", "/staff/people/{id}/erase"),
    ("GET", "/staff/retention"),
    ("POST", "/staff/erasures"),
    ("GET", "/staff/inbox"),
    ("GET", "/staff/referrals/{id}"),
    ("POST", "/staff/referrals/{id}/moves"),
    ("POST", "/staff/referrals/{id}/messages"),
    ("POST", "/staff/referrals/{id}/onward"),
];

/// A request that passed the policy: who, as what, and the stamp the store records.
pub(crate) struct Allowed {
    pub signed_in: SignedIn,
    pub stamp: Stamp,
}

/// Signs in and asks the policy; for a form, also checks its CSRF token. The refusal is the
/// response to send.
pub(crate) async fn gate(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    action: &Action,
    form_token: Option<&str>,
) -> Result<Allowed, Response> {
    let now = Utc::now();
    let signed_in = session::authorise(state, headers, address, action, now).await?;
    if let Some(token) = form_token
        && csrf::check_session(headers, &signed_in.csrf_secret, token).is_err()
    {
        return Err(forged(&state.site));
    }
    let role = match decide(&signed_in.actor, action) {
        Decision::Allow { as_role } => as_role,
        Decision::Deny(_) => None,
    };
    let stamp = Stamp {
        by: Some(signed_in.user.id),
        role,
        at: now,
        address: Some(address.to_owned()),
    };
    Ok(Allowed { signed_in, stamp })
}

/// Records that someone read a person's record (or a referral about them).
pub(crate) async fn audit_read(
    state: &AppState,
    allowed: &Allowed,
    action: &Action,
    object_type: &str,
    id: Uuid,
) {
    let new = NewAuditEvent::for_decision(
        &allowed.signed_in.actor,
        action,
        &Decision::Allow {
            as_role: allowed.stamp.role,
        },
        object_type,
        Some(id.to_string()),
        allowed.stamp.address.clone(),
        allowed.stamp.at,
    );
    if let Err(e) = state.store.append_audit(new).await {
        tracing::error!(error = %e, "audit event not written");
    }
}

/// The person a form changes, once the visitor may `action` and the form's token is right.
pub(crate) async fn gate_person(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    action: &Action,
    id: &str,
    form_token: &str,
) -> Result<(Allowed, PersonId), Response> {
    let allowed = gate(state, headers, address, action, Some(form_token)).await?;
    let id = parse_person(id).ok_or_else(|| not_found(&state.site, "person"))?;
    Ok((allowed, id))
}

/// A person's record for a page: the visitor signed in and allowed `action` (and the form's
/// token right, for a form), the record read, and the read audited with the person's id.
pub(crate) async fn open_record(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    action: &Action,
    id: &str,
    form_token: Option<&str>,
) -> Result<(Allowed, PersonRecord), Response> {
    let allowed = gate(state, headers, address, action, form_token).await?;
    let id = parse_person(id).ok_or_else(|| not_found(&state.site, "person"))?;
    match state.store.person(id).await {
        Ok(Some(record)) => {
            audit_read(state, &allowed, action, "person", id.0).await;
            Ok((allowed, record))
        }
        Ok(None) => Err(not_found(&state.site, "person")),
        Err(e) => Err(internal(&state.site, e)),
    }
}

pub(crate) fn parse_person(id: &str) -> Option<PersonId> {
    Uuid::parse_str(id).ok().map(PersonId)
}

pub(crate) fn parse_referral(id: &str) -> Option<ReferralId> {
    Uuid::parse_str(id).ok().map(ReferralId)
}

pub(crate) fn not_found(site: &Site, what: &str) -> Response {
    message(
        site,
        StatusCode::NOT_FOUND,
        "Not found",
        format!("There is no such {what}. It may have been erased, or the link is wrong."),
        ("/staff", "Back to your staff page"),
    )
}

/// A store refusal about a case, as a person reads it.
pub(crate) fn case_error(site: &Site, person: PersonId, error: CaseError) -> Response {
    let back = format!("/staff/people/{}", person.0);
    match error {
        CaseError::NotFound => not_found(site, "record"),
        CaseError::Store(e) => internal(site, e),
        refused => message(
            site,
            StatusCode::CONFLICT,
            "That cannot be done now",
            format!("Nothing was changed: {refused}."),
            (&back, "Back to the person's page"),
        ),
    }
}

pub(crate) fn referral_error(site: &Site, back: &str, error: ReferralError) -> Response {
    match error {
        ReferralError::NotFound => not_found(site, "referral"),
        ReferralError::Store(e) => internal(site, e),
        refused => message(
            site,
            StatusCode::CONFLICT,
            "That cannot be done now",
            format!("Nothing was changed: {refused}."),
            (back, "Go back"),
        ),
    }
}

pub(crate) fn see_other(path: String) -> Response {
    Redirect::to(&path).into_response()
}

/// A date typed as `YYYY-MM-DD` (what a date input sends) or `DD/MM/YYYY`.
pub(crate) fn parse_date(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| "Enter a date like 27/03/2027".to_owned())
}

pub(crate) fn when(time: DateTime<Utc>) -> String {
    time.format("%-d %b %Y, %H:%M").to_string()
}

pub(crate) fn day(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
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

/// A checkbox is sent only when ticked.
pub(crate) fn ticked(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| !v.is_empty())
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
