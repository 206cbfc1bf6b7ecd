//! Two public ways to reach a coordinator, both landing in the triage queue: "Ask for a call
//! back" (a resident, about themselves) and "Refer someone" (a professional without an
//! account — a GP, a school, a housing officer — with the person's consent).
//!
//! The words typed are matched to needs for the coordinator, and the request is marked
//! urgent when the matcher hears an urgent need; the words are kept only because the
//! person sent them to us, sealed like the rest of the request. No cookie is set: the gate
//! refuses a forged post by its origin headers, and it could only ask for a call back.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use knit_domain::casework::{
    IntakeDetails, IntakeProblem, IntakeSource, Priority, Referrer, check_intake,
};
use knit_domain::public_forms::PublicForm;
use knit_store::casework::{NewIntake, Stamp};

use crate::casework::SafeContactFields;
use crate::kit::language;
use crate::kit::{ClientAddress, PageResult, public_limit, render};
use crate::{AppState, Site};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct CallBackForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    what_is_going_on: String,
    #[serde(default)]
    consent: Option<String>,
    #[serde(flatten)]
    contact: SafeContactFields,
    // A professional's own details, on the referral form.
    #[serde(default)]
    referrer_name: String,
    #[serde(default)]
    referrer_role: String,
    #[serde(default)]
    referrer_organisation: String,
    #[serde(default)]
    referrer_phone: String,
    #[serde(default)]
    referrer_email: String,
}

struct Problem {
    field: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "call_back.html")]
struct CallBackPage<'a> {
    site: &'a Site,
    professional: bool,
    form: CallBackForm,
    contact: SafeContactFields,
    errors: Vec<Problem>,
    sent: bool,
    urgent: bool,
    /// The needs picked up from what was written, in the page's language.
    picked_up: String,
}

fn page(
    site: &Site,
    professional: bool,
    form: CallBackForm,
    errors: Vec<Problem>,
    status: StatusCode,
) -> Response {
    let contact = form.contact.clone();
    render(
        &CallBackPage {
            site,
            professional,
            form,
            contact,
            errors,
            sent: false,
            urgent: false,
            picked_up: String::new(),
        },
        status,
    )
}

pub(crate) async fn call_back_form(State(state): State<AppState>) -> PageResult {
    Ok(page(
        &state.site,
        false,
        CallBackForm::default(),
        Vec::new(),
        StatusCode::OK,
    ))
}

pub(crate) async fn refer_form(State(state): State<AppState>) -> PageResult {
    Ok(page(
        &state.site,
        true,
        CallBackForm::default(),
        Vec::new(),
        StatusCode::OK,
    ))
}

pub(crate) async fn call_back(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<CallBackForm>,
) -> PageResult {
    submit(state, address, form, IntakeSource::CallBack).await
}

pub(crate) async fn refer(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<CallBackForm>,
) -> PageResult {
    submit(state, address, form, IntakeSource::Professional).await
}

async fn submit(
    state: AppState,
    address: String,
    form: CallBackForm,
    source: IntakeSource,
) -> PageResult {
    let site = &state.site;
    let professional = source == IntakeSource::Professional;
    // Counted only once the request is right, so mistakes put right do not count; asked
    // first all the same, so nobody puts mistakes right only to hear "not now".
    if public_limit::already_full(&state, PublicForm::RequestForHelp, &address).await {
        return Ok(too_many(site, professional, form));
    }
    let matched = state.engine.matcher().match_text(&form.what_is_going_on);
    let urgent = matched.iter().any(|m| m.urgent);
    let details = IntakeDetails {
        name: form.name.clone(),
        phone: form.phone.clone(),
        email: form.email.clone(),
        postcode: form.postcode.clone(),
        safe_contact: form.contact.rules(),
        what_is_going_on: form.what_is_going_on.clone(),
        suggested_needs: matched.iter().map(|m| m.need).collect(),
        consent_given: form.consent.as_deref().is_some_and(|c| !c.is_empty()),
        referrer: professional.then(|| Referrer {
            name: form.referrer_name.trim().to_owned(),
            role: form.referrer_role.trim().to_owned(),
            organisation: form.referrer_organisation.trim().to_owned(),
            phone: form.referrer_phone.trim().to_owned(),
            email: form.referrer_email.trim().to_owned(),
        }),
    };
    let details = match check_intake(details, source) {
        Ok(details) => details,
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|p| Problem {
                    field: p.field(),
                    message: explain(p, professional),
                })
                .collect();
            return Ok(page(
                site,
                professional,
                form,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if !public_limit::admit(&state, PublicForm::RequestForHelp, &address).await {
        return Ok(too_many(site, professional, form));
    }
    let new = NewIntake {
        source,
        priority: if urgent {
            Priority::Urgent
        } else {
            Priority::Soon
        },
        details,
        stamp: Stamp {
            by: None,
            role: None,
            at: Utc::now(),
            address: Some(address),
        },
    };
    if let Err(e) = state.store.create_intake(new).await {
        tracing::error!(error = %e, "a call-back request was not stored");
        let errors = vec![Problem {
            field: "name",
            message: crate::t("call-back-not-sent"),
        }];
        return Ok(page(
            site,
            professional,
            form,
            errors,
            StatusCode::SERVICE_UNAVAILABLE,
        ));
    }
    let contact = form.contact.clone();
    Ok(render(
        &CallBackPage {
            site,
            professional,
            form: CallBackForm::default(),
            contact,
            errors: Vec::new(),
            sent: true,
            urgent,
            picked_up: matched
                .iter()
                .map(|m| language::need_label(m.need.need()))
                .collect::<Vec<_>>()
                .join(", "),
        },
        StatusCode::OK,
    ))
}

/// "Not now": the form again, with what was typed, saying a coordinator will be in touch.
fn too_many(site: &Site, professional: bool, form: CallBackForm) -> Response {
    let errors = vec![Problem {
        field: "name",
        message: crate::t("call-back-too-many"),
    }];
    page(
        site,
        professional,
        form,
        errors,
        StatusCode::TOO_MANY_REQUESTS,
    )
}

/// The problem as the form's reader is addressed: "you" on the call-back form, the person
/// referred on the professional's.
fn explain(problem: &IntakeProblem, professional: bool) -> String {
    let id = match (problem, professional) {
        (IntakeProblem::NoName, true) => "refer-no-name",
        (IntakeProblem::NoConsent, true) => "refer-no-consent",
        (IntakeProblem::NoName, false) => "intake-no-name",
        (IntakeProblem::NoConsent, false) => "intake-no-consent",
        (IntakeProblem::NoWayToReach, _) => "intake-no-way-to-reach",
        (IntakeProblem::NoSafeWay, _) => "intake-no-safe-way",
        (IntakeProblem::TooLong, _) => "intake-too-long",
        (IntakeProblem::NoReferrerContact, _) => "intake-no-referrer-contact",
    };
    crate::t(id)
}
