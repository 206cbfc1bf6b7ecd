//! A connector's phone page, `/staff/conversations`: "I had a conversation", logged in a few
//! taps — when (today unless changed), roughly where, what came up, what I did. No name or
//! detail about the person goes in, and the page says so. And `/staff/hand-off`: passing a
//! person to a coordinator, only with their consent, which puts them in the coordinators'
//! queue; the connector can never read what they wrote back.
//!
//! Both forms are plain HTML that works without JavaScript on a 320-pixel screen.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use knit_domain::account::Role;
use knit_domain::casework::{
    IntakeDetails, IntakeSource, MAX_FREE_TEXT, Priority, SafeContact, check_intake,
};
use knit_domain::connector::{Conversation, WhatWasDone};
use knit_domain::needs::NeedDomain;
use knit_domain::needs::NeedId;
use knit_domain::opening::uk_local;
use knit_store::casework::{NewIntake, Stamp};
use uuid::Uuid;

use crate::kit::session::SignedIn;

use crate::directory::form_urlencoded_pairs;
use crate::directory::search::SearchRequest;
use crate::kit::{Allowed, ClientAddress, FieldError, PageError, PageResult, render};
use crate::{AppState, Site};

/// A tappable choice: a need or a thing done.
struct Choice {
    code: &'static str,
    label: &'static str,
    checked: bool,
}

struct NeedGroup {
    label: &'static str,
    needs: Vec<Choice>,
}

fn need_groups(chosen: &[String]) -> Vec<NeedGroup> {
    NeedDomain::ALL
        .iter()
        .map(|d| NeedGroup {
            label: d.label(),
            needs: d
                .needs()
                .map(|n| Choice {
                    code: n.id.as_str(),
                    label: n.label,
                    checked: chosen.iter().any(|c| c == n.id.as_str()),
                })
                .collect(),
        })
        .collect()
}

/// What a connector can tick here: passing to a coordinator is the hand-off form's, so
/// that every hand-off counted is one that reached the coordinators.
fn done_choices(chosen: &[String]) -> Vec<Choice> {
    WhatWasDone::ALL
        .iter()
        .filter(|d| **d != WhatWasDone::PassedToCoordinator)
        .map(|d| Choice {
            code: d.code(),
            label: d.label(),
            checked: chosen.iter().any(|c| c == d.code()),
        })
        .collect()
}

/// The conversation form as typed.
#[derive(Default)]
struct ConversationForm {
    csrf: String,
    on: String,
    area: String,
    needs: Vec<String>,
    done: Vec<String>,
    service: String,
    service_id: String,
}

impl ConversationForm {
    fn read(body: &[u8]) -> Option<ConversationForm> {
        let raw = std::str::from_utf8(body).ok()?;
        let mut form = ConversationForm::default();
        for (key, value) in form_urlencoded_pairs(raw).ok()? {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "on" => form.on = value.chars().take(10).collect(),
                "area" => form.area = value.chars().take(80).collect(),
                "needs" if form.needs.len() < 50 => form.needs.push(value),
                "done" if form.done.len() < 10 => form.done.push(value),
                "service" => form.service = value.chars().take(200).collect(),
                "service_id" => form.service_id = value.chars().take(36).collect(),
                _ => {}
            }
        }
        Some(form)
    }
}

/// A service the connector may have meant.
struct ServiceChoice {
    id: Uuid,
    name: String,
    organization: String,
}

#[derive(Template)]
#[template(path = "staff/connector_conversation.html")]
struct ConversationPage<'a> {
    site: &'a Site,
    csrf: String,
    today: String,
    on: String,
    area: String,
    service: String,
    need_groups: Vec<NeedGroup>,
    done: Vec<Choice>,
    service_choices: Vec<ServiceChoice>,
    saved: bool,
    handed_off: bool,
    error: Option<FieldError>,
}

fn today(now: DateTime<Utc>) -> chrono::NaiveDate {
    uk_local(now).date()
}

fn conversation_page(
    site: &Site,
    signed_in: &SignedIn,
    form: &ConversationForm,
    service_choices: Vec<ServiceChoice>,
    flags: (bool, bool),
    error: Option<FieldError>,
    now: DateTime<Utc>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let today = today(now).to_string();
    render(
        &ConversationPage {
            site,
            csrf: signed_in.csrf_secret.clone(),
            on: if form.on.is_empty() {
                today.clone()
            } else {
                form.on.clone()
            },
            today,
            area: form.area.clone(),
            service: form.service.clone(),
            need_groups: need_groups(&form.needs),
            done: done_choices(&form.done),
            service_choices,
            saved: flags.0,
            handed_off: flags.1,
            error,
        },
        status,
    )
}

/// `/staff/conversations`: the phone page. `?saved` and `?handed-off` say what just happened.
pub(crate) async fn form(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    RawQuery(query): RawQuery,
) -> PageResult {
    let now = Utc::now();
    let query = query.unwrap_or_default();
    let flags = (query == "saved", query == "handed-off");
    Ok(conversation_page(
        &state.site,
        &signed_in,
        &ConversationForm::default(),
        vec![],
        flags,
        None,
        now,
    ))
}

/// The directory service a connector named: one they picked from suggestions, or the one
/// whose name they typed. `Err` carries the choices to offer and what to say.
async fn find_service(
    state: &AppState,
    form: &ConversationForm,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, (Vec<ServiceChoice>, FieldError)> {
    if !form
        .done
        .iter()
        .any(|d| d == WhatWasDone::PointedToService.code())
    {
        return Ok(None);
    }
    if let Ok(id) = Uuid::parse_str(form.service_id.trim()) {
        match state.store.service(id).await {
            Ok(Some(_)) => return Ok(Some(id)),
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, "service lookup failed");
            }
        }
    }
    let typed = form.service.trim();
    if typed.is_empty() {
        return Err((
            vec![],
            FieldError::new(
                "service",
                "Type the name of the service you pointed to, or untick \"Pointed to a service\"",
            ),
        ));
    }
    let request = SearchRequest {
        q: Some(typed.to_owned()),
        ..SearchRequest::default()
    };
    let found =
        crate::directory::search::search(state.store.as_ref(), &state.engine, &request, now)
            .await
            .map(|o| o.found)
            .unwrap_or_default();
    if let Some(exact) = found
        .iter()
        .find(|f| f.service.name.trim().eq_ignore_ascii_case(typed))
    {
        return Ok(Some(exact.service.id));
    }
    let choices: Vec<ServiceChoice> = found
        .iter()
        .take(5)
        .map(|f| ServiceChoice {
            id: f.service.id,
            name: f.service.name.clone(),
            organization: f
                .service
                .organization
                .as_ref()
                .map(|o| o.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    let message = if choices.is_empty() {
        "We couldn't find a service with that name. Check the spelling, or try a shorter name"
    } else {
        "Choose the service you meant from the list"
    };
    Err((choices, FieldError::new("service", message)))
}

/// `POST /staff/conversations`: logs one conversation.
pub(crate) async fn log(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    ClientAddress(address): ClientAddress,
    body: axum::body::Bytes,
) -> PageResult {
    let now = Utc::now();
    let Some(form) = ConversationForm::read(&body) else {
        return Err(PageError::Forged);
    };
    let again = |choices, error| {
        conversation_page(
            &state.site,
            &signed_in,
            &form,
            choices,
            (false, false),
            Some(error),
            now,
        )
    };
    // The hand-off form is the way to pass someone on.
    if form
        .done
        .iter()
        .any(|d| d == WhatWasDone::PassedToCoordinator.code())
    {
        return Ok(again(
            vec![],
            FieldError::new(
                "done",
                "To pass someone to a coordinator, use \"Pass to a coordinator\" below",
            ),
        ));
    }
    let service = match find_service(&state, &form, now).await {
        Ok(service) => service,
        Err((choices, error)) => return Ok(again(choices, error)),
    };
    let conversation = match Conversation::parse(
        &form.on,
        &form.area,
        &form.needs,
        &form.done,
        service,
        today(now),
    ) {
        Ok(c) => c,
        Err(e) => return Ok(again(vec![], FieldError::new(e.field(), e))),
    };
    let stamp = Stamp {
        by: Some(signed_in.user.id),
        role: Some(Role::Connector),
        at: now,
        address: Some(address),
    };
    state
        .store
        .log_conversation(signed_in.user.id, &conversation, &stamp)
        .await
        .map_err(PageError::internal)?;
    Ok(Redirect::to("/staff/conversations?saved").into_response())
}

// --- passing a person to a coordinator ---

/// The hand-off form as typed.
#[derive(Default)]
struct HandOffForm {
    csrf: String,
    consent: bool,
    name: String,
    phone: String,
    email: String,
    safe_to_call: bool,
    safe_to_text: bool,
    safe_to_leave_message: bool,
    safe_to_email: bool,
    safe_times: String,
    what_is_going_on: String,
    urgent: bool,
    area: String,
    needs: Vec<String>,
}

impl HandOffForm {
    fn read(body: &[u8]) -> Option<HandOffForm> {
        let raw = std::str::from_utf8(body).ok()?;
        let mut form = HandOffForm::default();
        let yes = |v: &str| v == "yes";
        for (key, value) in form_urlencoded_pairs(raw).ok()? {
            match key.as_str() {
                "csrf" => form.csrf = value,
                "consent" => form.consent = yes(&value),
                "name" => form.name = value.chars().take(100).collect(),
                "phone" => form.phone = value.chars().take(30).collect(),
                "email" => form.email = value.chars().take(254).collect(),
                "safe_to_call" => form.safe_to_call = yes(&value),
                "safe_to_text" => form.safe_to_text = yes(&value),
                "safe_to_leave_message" => form.safe_to_leave_message = yes(&value),
                "safe_to_email" => form.safe_to_email = yes(&value),
                "safe_times" => form.safe_times = value.chars().take(200).collect(),
                "what_is_going_on" => {
                    form.what_is_going_on = value.chars().take(MAX_FREE_TEXT + 1).collect()
                }
                "urgent" => form.urgent = yes(&value),
                "area" => form.area = value.chars().take(80).collect(),
                "needs" if form.needs.len() < 50 => form.needs.push(value),
                _ => {}
            }
        }
        Some(form)
    }

    /// The request for the coordinators' queue, before `check_intake`.
    fn details(&self, needs: &[NeedId]) -> IntakeDetails {
        IntakeDetails {
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            postcode: String::new(),
            safe_contact: SafeContact {
                safe_to_call: self.safe_to_call,
                safe_to_text: self.safe_to_text,
                safe_to_leave_message: self.safe_to_leave_message,
                safe_to_email: self.safe_to_email,
                safe_times: self.safe_times.clone(),
                ..SafeContact::default()
            },
            what_is_going_on: self.what_is_going_on.clone(),
            suggested_needs: needs.to_vec(),
            consent_given: self.consent,
            referrer: None,
        }
    }
}

#[derive(Template)]
#[template(path = "staff/hand_off.html")]
struct HandOffPage<'a> {
    site: &'a Site,
    csrf: String,
    form: HandOffForm,
    need_groups: Vec<NeedGroup>,
    error: Option<FieldError>,
}

fn hand_off_page(
    site: &Site,
    signed_in: &SignedIn,
    form: HandOffForm,
    error: Option<FieldError>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &HandOffPage {
            site,
            csrf: signed_in.csrf_secret.clone(),
            need_groups: need_groups(&form.needs),
            form,
            error,
        },
        status,
    )
}

/// `/staff/hand-off`: the form for passing someone to a coordinator.
pub(crate) async fn hand_off_form(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
) -> PageResult {
    Ok(hand_off_page(
        &state.site,
        &signed_in,
        HandOffForm::default(),
        None,
    ))
}

/// `POST /staff/hand-off`: with the person's consent, puts them in the coordinators' queue
/// (checked by `casework::check_intake`, as every request is) and logs the conversation as
/// a hand-off, in one store transaction that audits both. The connector goes back to their phone page: nothing they
/// wrote is shown to them again, and no page of theirs can read it.
pub(crate) async fn hand_off(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    ClientAddress(address): ClientAddress,
    body: axum::body::Bytes,
) -> PageResult {
    let now = Utc::now();
    let Some(form) = HandOffForm::read(&body) else {
        return Err(PageError::Forged);
    };
    // The conversation first: its checks (roughly where, the needs) come before anything
    // is passed on.
    let done = vec![WhatWasDone::PassedToCoordinator.code().to_owned()];
    let conversation =
        match Conversation::parse("", &form.area, &form.needs, &done, None, today(now)) {
            Ok(c) => c,
            Err(e) => {
                let error = FieldError::new(e.field(), e);
                return Ok(hand_off_page(&state.site, &signed_in, form, Some(error)));
            }
        };
    let details = match check_intake(form.details(&conversation.needs), IntakeSource::Connector) {
        Ok(details) => details,
        Err(problems) => {
            let first = &problems[0];
            let error = FieldError::new(first.field(), first);
            return Ok(hand_off_page(&state.site, &signed_in, form, Some(error)));
        }
    };
    let intake = NewIntake {
        source: IntakeSource::Connector,
        priority: if form.urgent {
            Priority::Urgent
        } else {
            Priority::Soon
        },
        details,
        stamp: Stamp {
            by: Some(signed_in.user.id),
            role: Some(Role::Connector),
            at: now,
            address: Some(address.clone()),
        },
    };
    state
        .store
        .hand_off(signed_in.user.id, intake, &conversation)
        .await
        .map_err(PageError::internal)?;
    Ok(Redirect::to("/staff/conversations?handed-off").into_response())
}
