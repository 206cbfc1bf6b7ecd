//! The second step of signing in: a code from an authenticator app, or a recovery code; and
//! setting two-factor up the first time, which ends by showing ten recovery codes once.
//!
//! Wrong codes count towards the same throttle as wrong passwords, so six digits cannot be
//! guessed by trying them all. Passing two-factor starts a new session id, as signing in
//! does: the half-signed-in id is worth nothing afterwards.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use knit_domain::access::Denial;
use knit_domain::audit::{AccountEvent, Outcome};
use knit_domain::session::{THROTTLE_WINDOW, sign_in_allowed};
use knit_domain::totp::{
    RECOVERY_CODE_BYTES, RECOVERY_CODE_COUNT, TOTP_SECRET_BYTES, TotpSecret, check_code,
    hash_recovery_code, otpauth_uri, recovery_codes, verify_recovery_code,
};
use knit_store::Store;
use knit_store::accounts::{StartSessionError, TwoFactor};
use serde::Deserialize;

use super::sign_in::{count_failure, next_step};
use crate::kit::session::{self, SignedIn, behind_tls};

use crate::kit::gate::audit_account;
use crate::kit::{Allowed, FieldError, PageError, PageResult, capitalised, random_bytes, render};
use crate::{AppState, Site};

#[derive(Template)]
#[template(path = "staff/two_factor.html")]
struct CodePage<'a> {
    site: &'a Site,
    csrf: String,
    error: Option<FieldError>,
}

#[derive(Template)]
#[template(path = "staff/set_up.html")]
struct SetUpPage<'a> {
    site: &'a Site,
    csrf: String,
    secret_groups: Vec<String>,
    otpauth: String,
    error: Option<FieldError>,
}

#[derive(Template)]
#[template(path = "staff/recovery_codes.html")]
struct RecoveryCodesPage<'a> {
    site: &'a Site,
    codes: Vec<String>,
}

#[derive(Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
}

/// Refuses the attempt if the account or address has failed too often lately.
async fn throttle(
    state: &AppState,
    signed_in: &SignedIn,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), PageError> {
    let store = state.store.as_ref();
    let failures = store
        .sign_in_failures(
            signed_in.user.email.as_str(),
            address,
            now - THROTTLE_WINDOW,
        )
        .await?;
    if let Err(retry) = sign_in_allowed(&failures.account_here, &failures.address, now) {
        audit_account(
            store,
            AccountEvent::TwoFactorChecked,
            Some(signed_in.user.id),
            Some(signed_in.user.id),
            Outcome::Denied,
            address,
            now,
        )
        .await;
        return Err(PageError::Throttled(retry));
    }
    Ok(())
}

/// Counts a wrong code towards the throttle and records it.
async fn wrong_code(
    store: &dyn Store,
    signed_in: &SignedIn,
    event: AccountEvent,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), knit_store::StoreError> {
    let account = signed_in.user.email.as_str();
    count_failure(store, account, Some(&signed_in.user), address, now).await?;
    audit_account(
        store,
        event,
        Some(signed_in.user.id),
        Some(signed_in.user.id),
        Outcome::Failed,
        address,
        now,
    )
    .await;
    Ok(())
}

/// Replaces the half-signed-in session with one that has passed two-factor.
async fn pass(
    state: &AppState,
    signed_in: &SignedIn,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<HeaderMap, PageError> {
    let started = match session::start(
        state.store.as_ref(),
        &signed_in.user,
        true,
        Some(&signed_in.token),
        now,
    )
    .await
    {
        Ok(s) => s,
        Err(StartSessionError::NotActive | StartSessionError::UnknownUser) => {
            return Err(PageError::Denied(Denial::Suspended));
        }
        Err(StartSessionError::Store(e)) => return Err(e.into()),
    };
    let mut cookies = HeaderMap::new();
    session::give_session_cookie(&mut cookies, &started, behind_tls(headers));
    Ok(cookies)
}

pub(crate) async fn form(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
) -> PageResult {
    let step = next_step(&signed_in.user, &signed_in.actor);
    if step != "/staff/two-factor" {
        return Ok(Redirect::to(step).into_response());
    }
    Ok(code_page(&state.site, &signed_in, None, StatusCode::OK))
}

fn code_page(
    site: &Site,
    signed_in: &SignedIn,
    error: Option<FieldError>,
    status: StatusCode,
) -> Response {
    render(
        &CodePage {
            site,
            csrf: signed_in.csrf_secret.clone(),
            error,
        },
        status,
    )
}

/// A recovery code has letters or is longer than an app's code; anything else is read as
/// an app's code.
fn looks_like_recovery_code(typed: &str) -> bool {
    let compact: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    compact.len() > 8 || compact.chars().any(|c| c.is_ascii_alphabetic())
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    Allowed {
        signed_in, stamp, ..
    }: Allowed,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let site = &state.site;
    let store = state.store.as_ref();
    let now = Utc::now();
    let address = stamp.address.unwrap_or_default();
    let TwoFactor::On {
        secret,
        last_used_step,
    } = &signed_in.user.two_factor
    else {
        return Ok(Redirect::to(next_step(&signed_in.user, &signed_in.actor)).into_response());
    };
    if form.code.trim().is_empty() {
        let error = FieldError::new("code", "Enter the code from your authenticator app");
        return Ok(code_page(
            site,
            &signed_in,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    throttle(&state, &signed_in, &address, now).await?;
    let user = signed_in.user.id;
    let (accepted, event) = if looks_like_recovery_code(&form.code) {
        let unused = store.unused_recovery_codes(user).await?;
        let accepted = match verify_recovery_code(&form.code, &unused) {
            Some(i) => store.use_recovery_code(user, &unused[i], now).await?,
            None => false,
        };
        let refusal = "That recovery code is not right, or has been used already";
        (
            accepted.then_some(()).ok_or_else(|| refusal.to_owned()),
            AccountEvent::RecoveryCodeUsed,
        )
    } else {
        let checked = match check_code(secret, &form.code, now, *last_used_step) {
            // The store refuses a step not later than the last one, so two requests racing
            // with one code cannot both pass.
            Ok(step) => match store.record_totp_step(user, step).await {
                Ok(true) => Ok(()),
                Ok(false) => Err(capitalised(
                    &knit_domain::totp::CodeRefused::Reused.to_string(),
                )),
                Err(e) => return Err(e.into()),
            },
            Err(refused) => Err(capitalised(&refused.to_string())),
        };
        (checked, AccountEvent::TwoFactorChecked)
    };
    if let Err(refusal) = accepted {
        if let Err(e) = wrong_code(store, &signed_in, event, &address, now).await {
            return Err(PageError::internal(e));
        }
        let error = FieldError::new("code", refusal);
        return Ok(code_page(
            site,
            &signed_in,
            Some(error),
            StatusCode::UNAUTHORIZED,
        ));
    }
    let cookies = pass(&state, &signed_in, &headers, now).await?;
    if let Err(e) = store
        .clear_sign_in_failures(signed_in.user.email.as_str(), Some(&address))
        .await
    {
        tracing::error!(error = %e, "sign-in failures not cleared");
    }
    audit_account(
        store,
        event,
        Some(user),
        Some(user),
        Outcome::Succeeded,
        &address,
        now,
    )
    .await;
    let mut response = Redirect::to("/staff").into_response();
    response.headers_mut().extend(cookies);
    Ok(response)
}

/// The secret in groups of four, easier to type into an app by hand.
fn groups(secret: &TotpSecret) -> Vec<String> {
    let text = secret.to_base32();
    let text = text.trim_end_matches('=');
    text.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect()
}

pub(crate) async fn set_up_form(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
) -> PageResult {
    let site = &state.site;
    let store = state.store.as_ref();
    let secret = match &signed_in.user.two_factor {
        // Changing a working two-factor set-up is for the account page, after passing it.
        TwoFactor::On { .. } => {
            return Ok(Redirect::to(next_step(&signed_in.user, &signed_in.actor)).into_response());
        }
        // A reload shows the same secret, so an app already scanned still matches.
        TwoFactor::Enrolling(secret) => secret.clone(),
        TwoFactor::Off => {
            let secret = match random_bytes::<TOTP_SECRET_BYTES>() {
                Ok(bytes) => TotpSecret::from_random_bytes(bytes),
                Err(e) => return Err(PageError::internal(e)),
            };
            if let Err(e) = store.set_totp_secret(signed_in.user.id, &secret).await {
                return Err(PageError::internal(e));
            }
            secret
        }
    };
    Ok(set_up_page(site, &signed_in, &secret, None, StatusCode::OK))
}

fn set_up_page(
    site: &Site,
    signed_in: &SignedIn,
    secret: &TotpSecret,
    error: Option<FieldError>,
    status: StatusCode,
) -> Response {
    render(
        &SetUpPage {
            site,
            csrf: signed_in.csrf_secret.clone(),
            secret_groups: groups(secret),
            otpauth: otpauth_uri(secret, &signed_in.user.email),
            error,
        },
        status,
    )
}

pub(crate) async fn set_up_submit(
    State(state): State<AppState>,
    Allowed {
        signed_in, stamp, ..
    }: Allowed,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> PageResult {
    let site = &state.site;
    let store = state.store.as_ref();
    let now = Utc::now();
    let address = stamp.address.unwrap_or_default();
    let TwoFactor::Enrolling(secret) = &signed_in.user.two_factor else {
        return Ok(Redirect::to("/staff/two-factor/set-up").into_response());
    };
    if form.code.trim().is_empty() {
        let error = FieldError::new("code", "Enter the code your app shows for Knit");
        return Ok(set_up_page(
            site,
            &signed_in,
            secret,
            Some(error),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    throttle(&state, &signed_in, &address, now).await?;
    let user = signed_in.user.id;
    let step = match check_code(secret, &form.code, now, None) {
        Ok(step) => step,
        Err(refused) => {
            let audit = AccountEvent::TwoFactorChecked;
            if let Err(e) = wrong_code(store, &signed_in, audit, &address, now).await {
                return Err(PageError::internal(e));
            }
            let error = FieldError::new("code", capitalised(&refused.to_string()));
            return Ok(set_up_page(
                site,
                &signed_in,
                secret,
                Some(error),
                StatusCode::UNAUTHORIZED,
            ));
        }
    };
    match store.confirm_totp(user, step).await {
        Ok(true) => {}
        Ok(false) => return Ok(Redirect::to("/staff/two-factor/set-up").into_response()),
        Err(e) => return Err(e.into()),
    }
    let mut random = [[0u8; RECOVERY_CODE_BYTES]; RECOVERY_CODE_COUNT];
    for code in &mut random {
        match random_bytes::<RECOVERY_CODE_BYTES>() {
            Ok(bytes) => *code = bytes,
            Err(e) => return Err(PageError::internal(e)),
        }
    }
    let codes = recovery_codes(random);
    let hashes: Vec<String> = codes.iter().map(|c| hash_recovery_code(c)).collect();
    if let Err(e) = store.set_recovery_codes(user, &hashes).await {
        return Err(PageError::internal(e));
    }
    let cookies = pass(&state, &signed_in, &headers, now).await?;
    audit_account(
        store,
        AccountEvent::TwoFactorEnrolled,
        Some(user),
        Some(user),
        Outcome::Succeeded,
        &address,
        now,
    )
    .await;
    let mut response = render(&RecoveryCodesPage { site, codes }, StatusCode::OK);
    response.headers_mut().extend(cookies);
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_shown_in_groups_of_four() {
        let secret = TotpSecret::from_random_bytes(*b"12345678901234567890");
        assert_eq!(
            groups(&secret).join(" "),
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ"
        );
    }

    #[test]
    fn recovery_codes_and_app_codes_are_told_apart() {
        assert!(!looks_like_recovery_code("123 456"));
        assert!(!looks_like_recovery_code("123456"));
        assert!(looks_like_recovery_code("0a1b-2c3d-4e5f-6g7h"));
        assert!(looks_like_recovery_code("0000-1111-2222-3333"));
    }
}
