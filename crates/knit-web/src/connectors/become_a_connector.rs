//! "Become a Local Connector": what a connector does and does not do, and a sign-up form
//! that leads straight on to booking a training session. And `/c/{code}`, where a
//! connector's postcard lands: the visit is counted against the code (no cookie, nothing
//! about the visitor) and the visitor goes on to "tell us what's going on".

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use chrono::Utc;
use knit_domain::connector::{ConnectorCode, SignUp};
use knit_domain::opening::uk_local;
use knit_domain::public_forms::PublicForm;
use knit_domain::training::TrainingKind;

use crate::training::{SessionView, UPCOMING_LIMIT};

use crate::kit::{ClientAddress, FieldError, Notice, PageError, PageResult, public_limit, render};
use crate::{AppState, Site};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct SignUpForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    heard_from: String,
}

#[derive(Template)]
#[template(path = "become_a_connector.html")]
struct SignUpPage<'a> {
    site: &'a Site,
    form: SignUpForm,
    error: Option<FieldError>,
}

pub(crate) async fn form(State(state): State<AppState>) -> PageResult {
    Ok(render(
        &SignUpPage {
            site: &state.site,
            form: SignUpForm::default(),
            error: None,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "connector_signed_up.html")]
struct SignedUpPage<'a> {
    site: &'a Site,
    name: String,
    email: String,
    sessions: Vec<SessionView>,
}

/// `POST /become-a-connector`: keeps the sign-up, then offers the connector training
/// sessions to come, each one button away (the name and email travel in the form, never in
/// an address).
pub(crate) async fn sign_up(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Form(form): Form<SignUpForm>,
) -> PageResult {
    let site = &state.site;
    let sign_up = match SignUp::parse(
        &form.name,
        &form.email,
        &form.phone,
        &form.area,
        &form.heard_from,
    ) {
        Ok(s) => s,
        Err(e) => {
            return Ok(render(
                &SignUpPage {
                    site,
                    error: Some(FieldError::new(e.field(), e)),
                    form,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if !public_limit::admit(&state, PublicForm::ConnectorSignUp, &address).await {
        let error = FieldError::new("name", crate::t("connector-too-many"));
        return Ok(render(
            &SignUpPage {
                site,
                error: Some(error),
                form,
            },
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let now = Utc::now();
    if let Err(e) = state.store.record_sign_up(&sign_up, now).await {
        return Err(PageError::internal(e));
    }
    tracing::info!("connector sign-up received");
    let sessions = match state.store.upcoming_training(now, UPCOMING_LIMIT).await {
        Ok(s) => s,
        Err(e) => return Err(PageError::internal(e)),
    };
    Ok(render(
        &SignedUpPage {
            site,
            name: sign_up.name.clone(),
            email: sign_up.email.as_str().to_owned(),
            sessions: sessions
                .iter()
                .filter(|s| s.kind == TrainingKind::Connector)
                .map(SessionView::of)
                .collect(),
        },
        StatusCode::OK,
    ))
}

/// `/c/{code}`: a postcard's way in. A known code's visit is counted for today; any code
/// goes on to "tell us what's going on", so a mistyped code still helps the visitor.
pub(crate) async fn postcard(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> PageResult {
    let Ok(code) = ConnectorCode::parse(&code) else {
        return Ok(Notice::new(
            StatusCode::NOT_FOUND,
            crate::t("postcard-unknown"),
            crate::t("postcard-unknown-text"),
        )
        .link("/tell-us", crate::t("tell-us-title"))
        .into_response());
    };
    let today = uk_local(Utc::now()).date();
    if let Err(e) = state.store.count_postcard_visit(&code, today).await {
        // The visitor still gets where they were going.
        tracing::error!(error = %e, "postcard visit not counted");
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/tell-us"),
            // Every visit should reach the server to be counted.
            (header::CACHE_CONTROL, "no-store"),
        ],
    )
        .into_response())
}
