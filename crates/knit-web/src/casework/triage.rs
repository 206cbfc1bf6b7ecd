//! The triage queue: every request for help — a call-back asked for on the public site, a
//! professional's referral, a connector's hand-off, a coordinator's own entry — waits here,
//! urgent first, until a coordinator opens a case from it or closes it.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use knit_domain::casework::{
    ConsentMethod, IntakeDetails, IntakeId, IntakeSource, PersonDetails, Priority, check_intake,
};
use knit_store::casework::{CaseError, Intake, NewCase, NewIntake};
use uuid::Uuid;

use super::{SafeContactFields, contact_rules};

use crate::kit::{
    Allowed, FieldError, Notice, PageError, PageResult, render, see_other, ticked, when,
};
use crate::{AppState, Site};

const QUEUE_LENGTH: u32 = 200;

struct QueueItem {
    id: String,
    source: &'static str,
    priority: &'static str,
    urgent: bool,
    received: String,
    name: String,
    reach: String,
    rules: Vec<String>,
    words: String,
    needs: Vec<&'static str>,
    referrer: Option<String>,
}

impl QueueItem {
    fn of(intake: &Intake) -> QueueItem {
        let details = intake.details.clone().unwrap_or_default();
        let reach = [details.phone.as_str(), details.email.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        QueueItem {
            id: intake.id.0.to_string(),
            source: intake.source.label(),
            priority: intake.priority.label(),
            urgent: intake.priority == Priority::Urgent,
            received: when(intake.created_at),
            name: details.name.clone(),
            reach,
            rules: contact_rules(&details.safe_contact),
            words: details.what_is_going_on.clone(),
            needs: details
                .suggested_needs
                .iter()
                .map(|n| n.need().label)
                .collect(),
            referrer: details.referrer.as_ref().map(|r| {
                let contact = [r.phone.as_str(), r.email.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ");
                format!("{} ({}, {}) — {}", r.name, r.role, r.organisation, contact)
            }),
        }
    }
}

#[derive(Template)]
#[template(path = "staff/intakes.html")]
struct QueuePage<'a> {
    site: &'a Site,
    csrf: String,
    items: Vec<QueueItem>,
}

/// `/staff/intakes`: requests waiting for a coordinator.
pub(crate) async fn queue(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    Ok(match state.store.waiting_intakes(QUEUE_LENGTH).await {
        Ok(intakes) => render(
            &QueuePage {
                site: &state.site,
                csrf: allowed.signed_in.csrf_secret.clone(),
                items: intakes.iter().map(QueueItem::of).collect(),
            },
            StatusCode::OK,
        ),
        Err(e) => return Err(PageError::internal(e)),
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct EntryForm {
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
    priority: String,
    #[serde(default)]
    consent: Option<String>,
    #[serde(flatten)]
    contact: SafeContactFields,
}

#[derive(Template)]
#[template(path = "staff/intake_new.html")]
struct EntryPage<'a> {
    site: &'a Site,
    csrf: String,
    form: EntryForm,
    contact: SafeContactFields,
    errors: Vec<FieldError>,
    priorities: [Priority; 3],
}

fn entry_page(site: &Site, csrf: String, form: EntryForm, errors: Vec<FieldError>) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let contact = form.contact.clone();
    render(
        &EntryPage {
            site,
            csrf,
            form,
            contact,
            errors,
            priorities: Priority::ALL,
        },
        status,
    )
}

/// `/staff/intakes/new`: a coordinator's own entry, for someone met in person or on the
/// phone.
pub(crate) async fn new_form(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let form = EntryForm {
        priority: Priority::Soon.code().to_owned(),
        ..EntryForm::default()
    };
    Ok(entry_page(
        &state.site,
        allowed.signed_in.csrf_secret,
        form,
        Vec::new(),
    ))
}

pub(crate) async fn create(
    State(state): State<AppState>,
    allowed: Allowed,
    Form(form): Form<EntryForm>,
) -> PageResult {
    let priority = Priority::from_code(&form.priority).unwrap_or(Priority::Soon);
    let details = IntakeDetails {
        name: form.name.clone(),
        phone: form.phone.clone(),
        email: form.email.clone(),
        postcode: form.postcode.clone(),
        safe_contact: form.contact.rules(),
        what_is_going_on: form.what_is_going_on.clone(),
        suggested_needs: state
            .engine
            .matcher()
            .match_text(&form.what_is_going_on)
            .iter()
            .map(|m| m.need)
            .collect(),
        consent_given: ticked(&form.consent),
        referrer: None,
    };
    let details = match check_intake(details, IntakeSource::Coordinator) {
        Ok(details) => details,
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|p| FieldError::new(p.field(), p))
                .collect();
            return Ok(entry_page(
                &state.site,
                allowed.signed_in.csrf_secret,
                form,
                errors,
            ));
        }
    };
    let new = NewIntake {
        source: IntakeSource::Coordinator,
        priority,
        details,
        stamp: allowed.stamp,
    };
    Ok(match state.store.create_intake(new).await {
        Ok(_) => see_other("/staff/intakes"),
        Err(e) => return Err(PageError::internal(e)),
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct DecideForm {
    /// How the person agreed to a record being kept, when the coordinator spoke to them.
    #[serde(default)]
    consent_method: String,
}

/// Opens a case from a waiting request: the person's record starts from what they sent,
/// with their consent to keep it.
pub(crate) async fn open_case(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<DecideForm>,
) -> PageResult {
    let Some(id) = Uuid::parse_str(&id).ok().map(IntakeId) else {
        return Err(PageError::NotFound("request"));
    };
    let intake = match state.store.intake(id).await {
        Ok(Some(intake)) => intake,
        Ok(None) => return Err(PageError::NotFound("request")),
        Err(e) => return Err(e.into()),
    };
    let Some(details) = intake.details.as_ref() else {
        return Err(PageError::NotFound("request"));
    };
    let method = ConsentMethod::from_code(&form.consent_method).unwrap_or(match intake.source {
        IntakeSource::CallBack => ConsentMethod::Online,
        _ => ConsentMethod::Spoken,
    });
    let new = NewCase {
        from_intake: Some(id),
        details: PersonDetails::from_intake(details),
        coordinator: allowed.signed_in.user.id,
        record_consent: method,
        stamp: allowed.stamp.clone(),
    };
    let person = match state.store.open_case(new).await {
        Ok(person) => person,
        Err(CaseError::IntakeTaken) => return Ok(taken()),
        Err(e) => return Err(PageError::internal(e)),
    };
    // The person's own words become the first needs to talk about, each "soon" until the
    // coordinator has spoken with them; urgent ones stay urgent.
    let matched = state.engine.matcher().match_text(&details.what_is_going_on);
    for need in &details.suggested_needs {
        let urgent = matched.iter().any(|m| m.need == *need && m.urgent);
        let priority = if urgent {
            Priority::Urgent
        } else {
            Priority::Soon
        };
        if let Err(e) = state
            .store
            .set_need(
                person,
                *need,
                priority,
                "Picked up from their own words",
                allowed.stamp.clone(),
            )
            .await
        {
            return Err(PageError::internal(e));
        }
    }
    Ok(see_other(format!("/staff/people/{}", person.0)))
}

fn taken() -> Response {
    Notice::new(
        StatusCode::CONFLICT,
        "Already dealt with",
        "Another coordinator has already opened a case from this request, or closed it.",
    )
    .link("/staff/intakes", "Back to the queue")
    .into_response()
}

pub(crate) async fn close(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let Some(id) = Uuid::parse_str(&id).ok().map(IntakeId) else {
        return Err(PageError::NotFound("request"));
    };
    Ok(match state.store.close_intake(id, allowed.stamp).await {
        Ok(()) => see_other("/staff/intakes"),
        Err(CaseError::IntakeTaken) => taken(),
        Err(e) => return Err(PageError::internal(e)),
    })
}
