//! Cross-site request forgery: every staff form carries a token that a page on another site
//! cannot know.
//!
//! - Signed in: the synchronizer token the store keeps with the session (its `csrf_secret`,
//!   new with every new session id). A form's token must equal the session's.
//! - Not signed in (the sign-in, reset and invitation forms): a double-submit token. The
//!   form page sets a short-lived `knit_form` cookie (path `/staff`, `HttpOnly`,
//!   `SameSite=Strict`) and puts the same random value in the form; a post must carry both,
//!   equal. Another site can neither read the cookie nor make the browser send it.
//!
//! Why not a pre-session in the database for the anonymous forms: it would write a row for
//! every visit to the sign-in page (anyone could fill the table), and the session cookie
//! would exist before sign-in. The double-submit cookie needs no storage, works across
//! several instances without a shared key, and is a different cookie from the session's, so
//! the session cookie is still set only once someone signs in. The public site sets neither.
//! Requests from another origin are also refused outright by their `Origin` or
//! `Sec-Fetch-Site` headers where the browser sends them; public forms, which have no token,
//! must carry one of the two.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN, SET_COOKIE};
use knit_domain::session::token_from_random;

use super::address::configured_public_url;
use super::forms::random_bytes;
use super::session::{cookie, set_cookie};

pub const FORM_COOKIE: &str = "knit_form";
/// How long a sign-in, reset or invitation form can be left open before it must be reloaded.
pub const FORM_COOKIE_SECONDS: i64 = 2 * 60 * 60;

/// Why a form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "this form has expired or was not sent from this site; go back, reload the page and try again"
)]
pub struct Forged;

/// The token for an anonymous form: the browser's current form cookie if it has one (so
/// two open tabs both work), otherwise a new one, which is set on `response_headers`.
pub fn form_token(
    request_headers: &HeaderMap,
    response_headers: &mut HeaderMap,
    tls: bool,
) -> String {
    if let Some(existing) = cookie(request_headers, FORM_COOKIE) {
        return existing;
    }
    let token = match random_bytes() {
        Ok(bytes) => token_from_random(bytes),
        // With no randomness there is no safe token; an empty one matches nothing.
        Err(_) => return String::new(),
    };
    response_headers.append(
        SET_COOKIE,
        set_cookie(
            FORM_COOKIE,
            &token,
            "Strict",
            Some(FORM_COOKIE_SECONDS),
            tls,
        ),
    );
    token
}

/// Checks an anonymous form's token against its cookie.
pub fn check_anonymous(headers: &HeaderMap, submitted: &str) -> Result<(), Forged> {
    same_origin(headers, Silence::TokenDecides)?;
    match cookie(headers, FORM_COOKIE) {
        Some(expected) if equal(expected.as_bytes(), submitted.as_bytes()) => Ok(()),
        _ => Err(Forged),
    }
}

/// Checks a public form (booking a training place, asking for a call back, reporting a
/// problem). The public site sets no cookie to hold a token in, so the browser's word
/// decides: a form must say it comes from this site — `Origin` naming it, or, where a
/// browser sends no usable origin, `Sec-Fetch-Site: same-origin`. Silence is refused.
pub fn check_public(headers: &HeaderMap) -> Result<(), Forged> {
    same_origin(headers, Silence::Refused)
}

/// Checks a signed-in form's token against the session's secret.
pub fn check_session(
    headers: &HeaderMap,
    csrf_secret: &str,
    submitted: &str,
) -> Result<(), Forged> {
    same_origin(headers, Silence::TokenDecides)?;
    if !csrf_secret.is_empty() && equal(csrf_secret.as_bytes(), submitted.as_bytes()) {
        Ok(())
    } else {
        Err(Forged)
    }
}

/// What a request that names no origin (no `Origin`, or `null`, and no `Sec-Fetch-Site`)
/// gets: refused where nothing else protects the form; left to the token where one does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Silence {
    Refused,
    TokenDecides,
}

/// Refuses a request the browser marks as sent from another site, or whose `Origin` is not
/// this site: the `Host` the browser connected to, or the configured public address. A
/// proxy's `X-Forwarded-Host` is not believed: a client can send it too.
fn same_origin(headers: &HeaderMap, silence: Silence) -> Result<(), Forged> {
    let fetch_site = headers.get("sec-fetch-site").map(|v| v.as_bytes());
    if fetch_site.is_some_and(|v| v != b"same-origin" && v != b"none") {
        return Err(Forged);
    }
    let origin = match headers.get(ORIGIN) {
        Some(origin) => Some(origin.to_str().map_err(|_| Forged)?),
        None => None,
    };
    let Some(origin) = origin.filter(|o| *o != "null") else {
        return match (silence, fetch_site) {
            (_, Some(b"same-origin")) | (Silence::TokenDecides, _) => Ok(()),
            (Silence::Refused, _) => Err(Forged),
        };
    };
    let origin_host = without_scheme(origin);
    let host = headers.get(HOST).and_then(|v| v.to_str().ok());
    let public = configured_public_url();
    let public = public.as_deref().map(without_scheme);
    if [host, public]
        .iter()
        .flatten()
        .any(|known| *known == origin_host)
    {
        Ok(())
    } else {
        Err(Forged)
    }
}

fn without_scheme(url: &str) -> &str {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("")
}

/// Compares without stopping at the first difference, so timing says nothing about how much
/// of a guess was right.
fn equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use axum::http::header::COOKIE;

    fn with_cookie(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_str(&format!("{FORM_COOKIE}={token}")).unwrap(),
        );
        h.insert(HOST, HeaderValue::from_static("knit.example"));
        h
    }

    #[test]
    fn an_anonymous_form_needs_its_cookie_and_the_same_token() {
        let token = "cd".repeat(32);
        let headers = with_cookie(&token);
        assert_eq!(check_anonymous(&headers, &token), Ok(()));
        assert_eq!(check_anonymous(&headers, &"ce".repeat(32)), Err(Forged));
        assert_eq!(check_anonymous(&headers, ""), Err(Forged));
        assert_eq!(check_anonymous(&HeaderMap::new(), &token), Err(Forged));
    }

    #[test]
    fn a_form_from_another_site_is_refused_even_with_the_token() {
        let token = "cd".repeat(32);
        let mut headers = with_cookie(&token);
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert_eq!(check_anonymous(&headers, &token), Err(Forged));
        let mut headers = with_cookie(&token);
        headers.insert(ORIGIN, HeaderValue::from_static("https://knit.example"));
        assert_eq!(check_anonymous(&headers, &token), Ok(()));
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert_eq!(check_anonymous(&headers, &token), Err(Forged));
    }

    #[test]
    fn a_form_posted_under_no_referrer_policy_still_works() {
        let token = "cd".repeat(32);
        let mut headers = with_cookie(&token);
        headers.insert(ORIGIN, HeaderValue::from_static("null"));
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert_eq!(check_anonymous(&headers, &token), Ok(()));
        assert_eq!(check_anonymous(&headers, &"ce".repeat(32)), Err(Forged));
    }

    #[test]
    fn a_forwarded_host_is_not_believed() {
        let token = "cd".repeat(32);
        let mut headers = with_cookie(&token);
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        headers.insert(ORIGIN, HeaderValue::from_static("https://evil.example"));
        headers.insert("x-forwarded-host", HeaderValue::from_static("evil.example"));
        if configured_public_url().is_none() {
            assert_eq!(check_anonymous(&headers, &token), Err(Forged));
        }
    }

    #[test]
    fn a_public_form_must_say_it_comes_from_this_site() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("knit.example"));
        assert_eq!(check_public(&headers), Err(Forged), "no origin at all");
        headers.insert(ORIGIN, HeaderValue::from_static("null"));
        assert_eq!(check_public(&headers), Err(Forged), "a null origin alone");
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert_eq!(
            check_public(&headers),
            Ok(()),
            "null, but the browser says same-origin"
        );
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-site"));
        assert_eq!(
            check_public(&headers),
            Err(Forged),
            "a neighbouring subdomain"
        );
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("knit.example"));
        headers.insert(ORIGIN, HeaderValue::from_static("https://knit.example"));
        assert_eq!(check_public(&headers), Ok(()));
        headers.insert(
            ORIGIN,
            HeaderValue::from_static("https://knit.example.evil"),
        );
        assert_eq!(check_public(&headers), Err(Forged));
    }

    #[test]
    fn a_new_form_token_is_set_as_a_strict_cookie_once() {
        let mut response = HeaderMap::new();
        let token = form_token(&HeaderMap::new(), &mut response, false);
        assert_eq!(token.len(), 64);
        let set = response.get(SET_COOKIE).unwrap().to_str().unwrap();
        assert!(set.starts_with(&format!("{FORM_COOKIE}={token};")), "{set}");
        assert!(
            set.contains("SameSite=Strict") && set.contains("HttpOnly"),
            "{set}"
        );
        let mut again = HeaderMap::new();
        assert_eq!(form_token(&with_cookie(&token), &mut again, false), token);
        assert!(again.get(SET_COOKIE).is_none());
    }

    #[test]
    fn a_signed_in_form_must_carry_the_sessions_secret() {
        let headers = with_cookie("");
        let secret = "ef".repeat(32);
        assert_eq!(check_session(&headers, &secret, &secret), Ok(()));
        assert_eq!(check_session(&headers, &secret, "nope"), Err(Forged));
        assert_eq!(check_session(&headers, "", ""), Err(Forged));
    }
}
