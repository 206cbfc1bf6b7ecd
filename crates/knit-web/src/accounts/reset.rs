//! Forgotten passwords: ask for a link by email, then choose a new password through it.
//!
//! Asking always gets the same answer, whether or not the address has an account. The link
//! works once, within 30 minutes (`knit_domain::session::RESET_LINK_LIFETIME`); opening it
//! changes nothing (mail scanners open links), only sending the form uses it. A new password
//! ends every session the user had.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::response::Response;
use chrono::{DateTime, Utc};
use knit_domain::account::{Email, UserStatus};
use knit_domain::audit::{AccountEvent, Outcome};
use knit_domain::password::{check_new_password, hash_password};
use knit_domain::session::{
    EmailedLink, LinkRefused, THROTTLE_WINDOW, TOKEN_BYTES, sign_in_allowed,
};
use knit_store::Store;
use knit_store::accounts::{LinkError, NewLink, User};
use serde::Deserialize;

use crate::kit::gate::audit_account;
use crate::kit::session::behind_tls;
use crate::kit::{
    ClientAddress, FieldError, Notice, PageError, PageResult, capitalised, csrf, public_base_url,
    random_bytes, render,
};
use crate::mail::Message;
use crate::mail::queue::enqueue_email;
use crate::{AppState, Site};

#[derive(Template)]
#[template(path = "staff/reset_request.html")]
struct AskPage<'a> {
    site: &'a Site,
    csrf: String,
    email: String,
    error: Option<FieldError>,
}

/// The form for choosing a password, shared by resets and invitations.
#[derive(Template)]
#[template(path = "staff/new_password.html")]
pub(crate) struct NewPasswordPage<'a> {
    pub site: &'a Site,
    pub csrf: String,
    pub heading: &'static str,
    pub intro: &'static str,
    pub action: String,
    pub error: Option<FieldError>,
}

#[derive(Deserialize)]
pub(crate) struct AskForm {
    #[serde(default)]
    email: String,
}

#[derive(Deserialize)]
pub(crate) struct NewPasswordForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirm: String,
}

fn ask_page(
    site: &Site,
    request: &HeaderMap,
    email: String,
    error: Option<FieldError>,
    status: StatusCode,
) -> Response {
    let mut cookies = HeaderMap::new();
    let token = csrf::form_token(request, &mut cookies, behind_tls(request));
    let mut response = render(
        &AskPage {
            site,
            csrf: token,
            email,
            error,
        },
        status,
    );
    response.headers_mut().extend(cookies);
    response
}

pub(crate) async fn ask_form(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    Ok(ask_page(
        &state.site,
        &headers,
        String::new(),
        None,
        StatusCode::OK,
    ))
}

pub(crate) async fn ask(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<AskForm>,
) -> PageResult {
    let site = &state.site;
    let store = state.store.as_ref();
    let now = Utc::now();
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(problem) => {
            let error = FieldError::new("email", capitalised(&problem.to_string()));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(ask_page(site, &headers, form.email, Some(error), status));
        }
    };
    // Asking is throttled like signing in, under its own name for the account, so nobody
    // can fill a colleague's inbox with links, and asking never locks anyone out of signing
    // in. Every request counts, for addresses with or without an account alike.
    let asked_for = format!("reset:{}", email.as_str());
    match store
        .sign_in_failures(&asked_for, &address, now - THROTTLE_WINDOW)
        .await
    {
        Ok(f) => {
            // From anywhere: this limits the emails a colleague receives, never signing in.
            if let Err(retry) = sign_in_allowed(&f.account, &f.address, now) {
                return Err(PageError::Throttled(retry));
            }
        }
        Err(e) => return Err(e.into()),
    }
    if let Err(e) = store
        .record_sign_in_failure(&asked_for, &address, now)
        .await
    {
        return Err(PageError::internal(e));
    }
    let user = match store.user_by_email(&email).await {
        Ok(user) => user.filter(|u| u.status == UserStatus::Active),
        Err(e) => return Err(e.into()),
    };
    let subject = user.as_ref().map(|u| u.id);
    if let Some(user) = user {
        let base = public_base_url(&headers);
        if let Err(e) = send_reset_link(store, &user, &base, now).await {
            return Err(PageError::internal(e));
        }
    }
    let outcome = if subject.is_some() {
        Outcome::Succeeded
    } else {
        Outcome::Failed
    };
    audit_account(
        store,
        AccountEvent::PasswordResetRequested,
        None,
        subject,
        outcome,
        &address,
        now,
    )
    .await;
    Ok(Notice::new(
        StatusCode::OK,
        "Check your email",
        "If an account uses that email address, we have sent it a link to choose a new \
         password. The link works once, within 30 minutes. If nothing arrives, check your \
         spam folder or ask a place lead.",
    )
    .link("/staff/sign-in", "Back to sign in")
    .into_response())
}

/// Makes a reset link for `user` and queues the email carrying it.
pub async fn send_reset_link(
    store: &dyn Store,
    user: &User,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<(), knit_store::StoreError> {
    let random = random_bytes::<TOKEN_BYTES>().map_err(knit_store::StoreError::Corrupt)?;
    let token = store
        .create_link(NewLink {
            purpose: EmailedLink::PasswordReset,
            user: user.id,
            random,
            at: now,
        })
        .await?;
    let body = format!(
        "Hello {name},\n\n\
         Someone, probably you, asked to reset the password for your Knit account.\n\n\
         To choose a new password, open this link within 30 minutes:\n\n\
         {base_url}/staff/reset/{token}\n\n\
         The link works once. If you did not ask for it, you can ignore this email: your \
         password has not changed.\n",
        name = user.name
    );
    enqueue_email(
        store,
        Message {
            to: user.email.clone(),
            subject: "Reset your Knit password".to_owned(),
            body,
        },
        now,
    )
    .await?;
    Ok(())
}

/// Whether a link's token is the shape Knit makes, before anything asks the database.
pub(crate) fn well_formed(token: &str) -> bool {
    token.len() == 2 * TOKEN_BYTES && token.bytes().all(|b| b.is_ascii_hexdigit())
}

pub(crate) fn new_password_page(
    site: &Site,
    request: &HeaderMap,
    (heading, intro): (&'static str, &'static str),
    action: String,
    error: Option<FieldError>,
    status: StatusCode,
) -> Response {
    let mut cookies = HeaderMap::new();
    let token = csrf::form_token(request, &mut cookies, behind_tls(request));
    let mut response = render(
        &NewPasswordPage {
            site,
            csrf: token,
            heading,
            intro,
            action,
            error,
        },
        status,
    );
    response.headers_mut().extend(cookies);
    response
}

const RESET_WORDS: (&str, &str) = (
    "Choose a new password",
    "Use at least 10 characters. Three random words together make a password that is strong \
     and easy to remember.",
);

pub(crate) fn unusable_link(error: &LinkError, again: (&str, &str)) -> Response {
    let status = match error {
        LinkError::Unknown => StatusCode::NOT_FOUND,
        LinkError::Refused(LinkRefused::AlreadyUsed | LinkRefused::Expired) => StatusCode::GONE,
        LinkError::Suspended => StatusCode::FORBIDDEN,
        LinkError::Store(e) => return PageError::internal(e).into_response(),
    };
    let text = capitalised(&error.to_string());
    Notice::new(status, "This link cannot be used", text)
        .link(again.0, again.1)
        .into_response()
}

pub(crate) async fn new_password_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> PageResult {
    if !well_formed(&token) {
        return Ok(unusable_link(&LinkError::Unknown, ASK_AGAIN));
    }
    let action = format!("/staff/reset/{token}");
    Ok(new_password_page(
        &state.site,
        &headers,
        RESET_WORDS,
        action,
        None,
        StatusCode::OK,
    ))
}

const ASK_AGAIN: (&str, &str) = ("/staff/reset", "Ask for a new link");

/// Checks the two typed passwords agree before the link is used up.
pub(crate) fn typed_twice(form: &NewPasswordForm) -> Result<(), FieldError> {
    if form.password.is_empty() {
        return Err(FieldError::new("password", "Enter a new password"));
    }
    if form.password != form.confirm {
        return Err(FieldError::new(
            "confirm",
            "The two passwords are not the same; type the new password twice",
        ));
    }
    Ok(())
}

pub(crate) async fn set_new_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> PageResult {
    let flow = LinkFlow {
        purpose: EmailedLink::PasswordReset,
        for_status: UserStatus::Active,
        event: AccountEvent::PasswordChanged,
        path: "/staff/reset",
        words: RESET_WORDS,
        again: ASK_AGAIN,
        done: (
            "Your password has been changed",
            "You can now sign in with your new password.",
        ),
    };
    set_password_through_link(&state, &address, &headers, &token, form, &flow).await
}

/// What differs between setting a password through a reset link and through an invitation.
pub(crate) struct LinkFlow {
    pub purpose: EmailedLink,
    /// The status the link's owner must have: active for a reset, invited for an invitation.
    pub for_status: UserStatus,
    pub event: AccountEvent,
    /// Where the link's form lives, before the token.
    pub path: &'static str,
    pub words: (&'static str, &'static str),
    pub again: (&'static str, &'static str),
    pub done: (&'static str, &'static str),
}

/// Sets a password through an emailed link. The link is only read while the form is checked,
/// so a mistake leaves it usable; then one store transaction uses it, stores the password,
/// makes the account active and ends every session the user had.
pub(crate) async fn set_password_through_link(
    state: &AppState,
    address: &str,
    headers: &HeaderMap,
    token: &str,
    form: NewPasswordForm,
    flow: &LinkFlow,
) -> PageResult {
    let site = &state.site;
    let store = state.store.as_ref();
    let now = Utc::now();
    if !well_formed(token) {
        return Ok(unusable_link(&LinkError::Unknown, flow.again));
    }
    let action = format!("{}/{token}", flow.path);
    let refuse = |field: FieldError| {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        new_password_page(
            site,
            headers,
            flow.words,
            action.clone(),
            Some(field),
            status,
        )
    };
    if let Err(error) = typed_twice(&form) {
        return Ok(refuse(error));
    }
    let failed = || audit_account(store, flow.event, None, None, Outcome::Failed, address, now);
    let user = match store.peek_link(token, flow.purpose, now).await {
        Ok(id) => match store.user(id).await {
            Ok(Some(user)) if user.status == flow.for_status => user,
            Ok(_) => return Ok(unusable_link(&LinkError::Unknown, flow.again)),
            Err(e) => return Err(e.into()),
        },
        Err(e) => {
            failed().await;
            return Ok(unusable_link(&e, flow.again));
        }
    };
    if let Err(problem) = check_new_password(&form.password, &user.email) {
        return Ok(refuse(FieldError::new(
            "password",
            capitalised(&problem.to_string()),
        )));
    }
    let password = form.password;
    let hash = match tokio::task::spawn_blocking(move || hash_password(&password)).await {
        Ok(hash) => hash,
        Err(e) => {
            return Err(PageError::internal(format!("hashing stopped: {e}")));
        }
    };
    if let Err(e) = store
        .set_password_with_link(token, flow.purpose, &hash, now)
        .await
    {
        failed().await;
        return Ok(unusable_link(&e, flow.again));
    }
    if let Err(e) = store
        .clear_sign_in_failures(user.email.as_str(), None)
        .await
    {
        tracing::error!(error = %e, "sign-in failures not cleared");
    }
    audit_account(
        store,
        flow.event,
        Some(user.id),
        Some(user.id),
        Outcome::Succeeded,
        address,
        now,
    )
    .await;
    Ok(Notice::new(StatusCode::OK, flow.done.0, flow.done.1)
        .link("/staff/sign-in", "Sign in")
        .into_response())
}
