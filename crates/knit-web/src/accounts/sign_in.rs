//! Signing in with an email and password, and signing out.
//!
//! A wrong email and a wrong password get the same answer in the same time, and count the
//! same towards throttling, so the page never says who has an account. Throttling is checked
//! before the password, so a throttled guess learns nothing.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::DateTime;
use chrono::Utc;
use knit_domain::access::{Action, Denial, decide};
use knit_domain::account::{Actor, Email, UserStatus};
use knit_domain::audit::{AccountEvent, Outcome};
use knit_domain::password::{
    hash_password, needs_rehash, verify_password, verify_password_for_unknown_user,
};
use knit_domain::session::{BURST_FAILURES, THROTTLE_WINDOW, completes_burst, sign_in_allowed};
use knit_store::accounts::{StartSessionError, TwoFactor, User};
use knit_store::{Store, StoreError};

use crate::mail::queue::enqueue_email;
use crate::mail::recipients::place_leads;
use serde::Deserialize;

use crate::kit::session::{self, SESSION_COOKIE, behind_tls};

use crate::kit::gate::audit_account;
use crate::kit::{
    Allowed, ClientAddress, FieldError, Notice, PageError, PageResult, capitalised, csrf, render,
};
use crate::{AppState, Site};

#[derive(Template)]
#[template(path = "staff/sign_in.html")]
struct SignInPage<'a> {
    site: &'a Site,
    csrf: String,
    email: String,
    error: Option<FieldError>,
}

#[derive(Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// The message for a wrong email or a wrong password alike.
const NOT_RIGHT: &str = "The email address or password is not right. Check them and try again, \
                         or ask for a password reset link.";

fn page(
    site: &Site,
    request: &HeaderMap,
    email: String,
    error: Option<FieldError>,
    status: StatusCode,
) -> Response {
    let mut headers = HeaderMap::new();
    let token = csrf::form_token(request, &mut headers, behind_tls(request));
    let mut response = render(
        &SignInPage {
            site,
            csrf: token,
            email,
            error,
        },
        status,
    );
    response.headers_mut().extend(headers);
    response
}

pub(crate) async fn form(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    // Someone already signed in goes straight on.
    if let Ok(Some(signed_in)) = session::current(state.store.as_ref(), &headers, Utc::now()).await
    {
        return Ok(Redirect::to(next_step(&signed_in.user, &signed_in.actor)).into_response());
    }
    Ok(page(
        &state.site,
        &headers,
        String::new(),
        None,
        StatusCode::OK,
    ))
}

/// Where a user goes once their password is accepted: two-factor if they have it, setting
/// it up if their roles need it and they have not, otherwise the dashboard.
pub(crate) fn next_step(user: &User, actor: &Actor) -> &'static str {
    let passed = matches!(actor, Actor::Staff(s) if s.two_factor_passed);
    match &user.two_factor {
        TwoFactor::On { .. } if !passed => "/staff/two-factor",
        TwoFactor::Off | TwoFactor::Enrolling(_) if actor.must_pass_two_factor() => {
            "/staff/two-factor/set-up"
        }
        _ => "/staff",
    }
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> PageResult {
    let site = &state.site;
    let store = state.store.as_ref();
    let now = Utc::now();
    // Signing in is open to everyone; asked all the same, so no page skips the policy.
    if let Some(denial) = decide(&Actor::Anonymous, &Action::SignIn).denial() {
        return Ok(Notice::new(
            StatusCode::FORBIDDEN,
            "You cannot sign in",
            capitalised(&denial.to_string()),
        )
        .link("/", "Go to the home page")
        .into_response());
    }
    if form.email.trim().is_empty() {
        let error = FieldError::new("email", "Enter your email address");
        return Ok(page(
            site,
            &headers,
            form.email,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    if form.password.is_empty() {
        let error = FieldError::new("password", "Enter your password");
        return Ok(page(
            site,
            &headers,
            form.email,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    // The account as typed: failures for addresses with no account count as well. No
    // address is longer than 254 characters, so nothing longer is kept.
    let account: String = form.email.trim().to_lowercase().chars().take(254).collect();
    let failures = store
        .sign_in_failures(&account, &address, now - THROTTLE_WINDOW)
        .await?;
    if let Err(retry) = sign_in_allowed(&failures.account_here, &failures.address, now) {
        audit_account(
            store,
            AccountEvent::PasswordChecked,
            None,
            None,
            Outcome::Denied,
            &address,
            now,
        )
        .await;
        return Err(PageError::Throttled(retry));
    }

    let user = match Email::parse(&form.email) {
        Ok(email) => store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let stored_hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let password = form.password.clone();
    // Argon2 takes tens of milliseconds of CPU: off the async threads.
    let matches = tokio::task::spawn_blocking(move || match stored_hash {
        Some(hash) => verify_password(&password, &hash),
        None => verify_password_for_unknown_user(&password),
    })
    .await
    .unwrap_or(false);

    let target = user.as_ref().map(|u| u.id);
    let (Some(user), true) = (&user, matches) else {
        count_failure(store, &account, user.as_ref(), &address, now).await?;
        audit_account(
            store,
            AccountEvent::PasswordChecked,
            None,
            target,
            Outcome::Failed,
            &address,
            now,
        )
        .await;
        let error = FieldError::new("email", NOT_RIGHT);
        return Ok(page(
            site,
            &headers,
            form.email,
            Some(error),
            StatusCode::UNAUTHORIZED,
        ));
    };

    // The password was right: only now may the page say the account cannot be used.
    if user.status != UserStatus::Active {
        return Ok(refuse_inactive(&state, user, &address, now).await);
    }
    let previous = session::cookie(&headers, SESSION_COOKIE);
    let started = match session::start(store, user, false, previous.as_deref(), now).await {
        Ok(started) => started,
        Err(StartSessionError::NotActive | StartSessionError::UnknownUser) => {
            return Ok(refuse_inactive(&state, user, &address, now).await);
        }
        Err(StartSessionError::Store(e)) => return Err(e.into()),
    };
    if let Err(e) = store.clear_sign_in_failures(&account, Some(&address)).await {
        tracing::error!(error = %e, "sign-in failures not cleared");
    }
    if user.password_hash.as_deref().is_some_and(needs_rehash) {
        let password = form.password;
        if let Ok(hash) = tokio::task::spawn_blocking(move || hash_password(&password)).await
            && let Err(e) = store.set_password_hash(user.id, &hash).await
        {
            tracing::error!(error = %e, "password hash not upgraded");
        }
    }
    audit_account(
        store,
        AccountEvent::PasswordChecked,
        Some(user.id),
        Some(user.id),
        Outcome::Succeeded,
        &address,
        now,
    )
    .await;
    let actor = Actor::staff(user.id, user.status, user.memberships.clone(), false);
    let mut response = Redirect::to(next_step(user, &actor)).into_response();
    session::give_session_cookie(response.headers_mut(), &started, behind_tls(&headers));
    Ok(response)
}

/// A right password for a suspended or not-yet-active account.
async fn refuse_inactive(
    state: &AppState,
    user: &User,
    address: &str,
    now: chrono::DateTime<Utc>,
) -> Response {
    audit_account(
        state.store.as_ref(),
        AccountEvent::PasswordChecked,
        Some(user.id),
        Some(user.id),
        Outcome::Denied,
        address,
        now,
    )
    .await;
    let denial = match user.status {
        UserStatus::Invited => Denial::NotActive,
        _ => Denial::Suspended,
    };
    Notice::new(
        StatusCode::FORBIDDEN,
        "You cannot sign in",
        capitalised(&denial.to_string()),
    )
    .link("/", "Go to the home page")
    .into_response()
}

pub(crate) async fn sign_out(
    State(state): State<AppState>,
    allowed: Allowed,
    headers: HeaderMap,
) -> PageResult {
    let store = state.store.as_ref();
    let signed_in = &allowed.signed_in;
    store.end_session(&signed_in.token).await?;
    audit_account(
        store,
        AccountEvent::SignedOut,
        Some(signed_in.user.id),
        Some(signed_in.user.id),
        Outcome::Succeeded,
        allowed.address(),
        allowed.stamp.at,
    )
    .await;
    let mut response = Notice::new(
        StatusCode::OK,
        "You have signed out",
        "You have signed out of Knit. Close the browser if others use this computer.",
    )
    .link("/staff/sign-in", "Sign in again")
    .into_response();
    session::remove_session_cookie(response.headers_mut(), behind_tls(&headers));
    Ok(response)
}

/// Counts a failed attempt (a wrong password or code) against the account from this
/// address. When it completes a burst — many failures for one account from anywhere — the
/// account's owner and the place leads are told, once: the throttle never locks the owner
/// out, so somebody must know an attack is going on.
pub(crate) async fn count_failure(
    store: &dyn Store,
    account: &str,
    owner: Option<&User>,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    store.record_sign_in_failure(account, address, now).await?;
    let recent = store
        .sign_in_failures(account, address, now - THROTTLE_WINDOW)
        .await?;
    if !completes_burst(&recent.account, now) {
        return Ok(());
    }
    let owner = owner.filter(|u| u.status == UserStatus::Active);
    let mut to: Vec<&User> = owner.into_iter().collect();
    let leads = place_leads(store).await?;
    to.extend(leads.iter().filter(|l| owner.is_none_or(|o| o.id != l.id)));
    let whose = owner.map_or_else(
        || "an email address with no account".to_owned(),
        |o| o.name.clone(),
    );
    for user in to {
        let message = crate::mail::Message {
            to: user.email.clone(),
            subject: "Many failed attempts to sign in to Knit".to_owned(),
            body: format!(
                "There have been {BURST_FAILURES} failed attempts in the last {} minutes to sign \
                 in as {whose}. Nobody has been locked out: each address that keeps guessing is \
                 slowed down. If this was not you, tell a place lead; if you use this account, \
                 check your password is one you use nowhere else.\n",
                THROTTLE_WINDOW.num_minutes()
            ),
        };
        enqueue_email(store, message, now).await?;
    }
    Ok(())
}
