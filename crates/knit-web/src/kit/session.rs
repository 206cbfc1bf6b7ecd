//! The staff session cookie, and who is asking at each request.
//!
//! The cookie holds a random session id; the database keeps only its SHA-256 with the
//! session (see `knit_store::accounts`). The cookie is scoped to `/staff`, so the public site
//! never receives it and stays cookie-free even for staff browsing it, is `HttpOnly`,
//! `SameSite=Lax`, `Secure` behind TLS, and has no expiry of its own: the server ends the
//! session after 30 idle minutes or 12 hours (`knit_domain::session`), and the browser drops
//! the cookie when it closes.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use chrono::{DateTime, Utc};
use knit_domain::account::{Actor, StaffUser};
use knit_domain::session::TOKEN_BYTES;
use knit_store::accounts::{NewSession, SessionRandom, StartSessionError, StartedSession, User};
use knit_store::{Store, StoreError};

use super::forms::random_bytes;

pub const SESSION_COOKIE: &str = "knit_session";
/// Where the session cookie is sent: the staff pages only.
pub const COOKIE_PATH: &str = "/staff";

/// A session found from the request's cookie, live at this request, with its user.
#[derive(Clone)]
pub struct SignedIn {
    /// The session id from the cookie; never logged.
    pub token: String,
    pub csrf_secret: String,
    pub user: User,
    pub actor: Actor,
}

impl SignedIn {
    pub fn staff(&self) -> &StaffUser {
        match &self.actor {
            Actor::Staff(user) => user,
            Actor::Anonymous => unreachable!("a signed-in session always has a staff actor"),
        }
    }
}

/// Whether the request reached us over TLS (through a proxy that says so).
pub fn behind_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// The value of one cookie, if the request carries it. A cookie that is not plain hex is
/// ignored, so nothing odd reaches the database.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| v.len() == 2 * TOKEN_BYTES && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A `Set-Cookie` value for a cookie under `/staff`.
pub fn set_cookie(
    name: &str,
    value: &str,
    same_site: &str,
    max_age: Option<i64>,
    tls: bool,
) -> HeaderValue {
    let mut text = format!("{name}={value}; Path={COOKIE_PATH}; HttpOnly; SameSite={same_site}");
    if let Some(seconds) = max_age {
        text.push_str(&format!("; Max-Age={seconds}"));
    }
    if tls {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).expect("cookie names and hex values are valid header text")
}

/// Adds the session cookie for a newly started session.
pub fn give_session_cookie(headers: &mut HeaderMap, started: &StartedSession, tls: bool) {
    headers.append(
        SET_COOKIE,
        set_cookie(SESSION_COOKIE, &started.token, "Lax", None, tls),
    );
}

/// Tells the browser to forget the session cookie.
pub fn remove_session_cookie(headers: &mut HeaderMap, tls: bool) {
    headers.append(
        SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", "Lax", Some(0), tls),
    );
}

/// Starts a session for `user` with a fresh id, ending `replaces` (whatever session id the
/// browser sent before) in the same transaction: an id planted before sign-in, or the
/// half-signed-in id from before two-factor, is worth nothing afterwards.
pub async fn start(
    store: &dyn Store,
    user: &User,
    two_factor_passed: bool,
    replaces: Option<&str>,
    now: DateTime<Utc>,
) -> Result<StartedSession, StartSessionError> {
    let random = SessionRandom {
        token: random_bytes().map_err(StoreError::Corrupt)?,
        csrf: random_bytes().map_err(StoreError::Corrupt)?,
    };
    store
        .start_session(NewSession {
            user: Some(user.id),
            two_factor_passed,
            replaces,
            random,
            at: now,
        })
        .await
}

/// The signed-in session the request's cookie names, if it is live; notes the request so
/// the idle timeout starts again. A session whose user is gone or not active counts as none.
pub async fn current(
    store: &dyn Store,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<Option<SignedIn>, StoreError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let Some(session) = store.session(&token, now).await? else {
        return Ok(None);
    };
    let Some(user_id) = session.user else {
        return Ok(None);
    };
    let Some(user) = store.user(user_id).await? else {
        return Ok(None);
    };
    if !store.touch_session(&token, now).await? {
        return Ok(None);
    }
    let actor = Actor::staff(
        user.id,
        user.status,
        user.memberships.clone(),
        session.two_factor_passed,
    );
    Ok(Some(SignedIn {
        token,
        csrf_secret: session.csrf_secret,
        user,
        actor,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_well_formed_cookie_is_read() {
        let token = "ab".repeat(32);
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_str(&format!("other=1; knit_session={token}")).unwrap(),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some(token));
        let mut odd = HeaderMap::new();
        odd.insert(COOKIE, HeaderValue::from_static("knit_session=x'; DROP"));
        assert_eq!(cookie(&odd, SESSION_COOKIE), None);
        assert_eq!(cookie(&HeaderMap::new(), SESSION_COOKIE), None);
    }

    #[test]
    fn the_cookie_is_for_staff_pages_only_and_secure_behind_tls() {
        let plain = set_cookie(SESSION_COOKIE, "abc", "Lax", None, false);
        assert_eq!(
            plain.to_str().unwrap(),
            "knit_session=abc; Path=/staff; HttpOnly; SameSite=Lax"
        );
        let tls = set_cookie(SESSION_COOKIE, "", "Lax", Some(0), true);
        assert_eq!(
            tls.to_str().unwrap(),
            "knit_session=; Path=/staff; HttpOnly; SameSite=Lax; Max-Age=0; Secure"
        );
    }
}
