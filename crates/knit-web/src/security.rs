//! One layer of security headers on every response, and plain pages for the errors the
//! framework itself raises (a body too large, a method not allowed).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::error::WebError;

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub(crate) async fn headers(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api");
    let tls = request
        .headers()
        .get("x-forwarded-proto")
        .is_some_and(|p| p == "https");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    if api {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    if tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        // A shared computer must not show the next person what was searched.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Replaces the framework's bare-text errors with pages (or JSON under /api) that say
/// what to do.
pub(crate) async fn page_errors(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let api = request.uri().path().starts_with("/api");
    let response = next.run(request).await;
    let status = response.status();
    let is_plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|t| t.to_str().is_ok_and(|t| t.starts_with("text/plain")));
    if !(status.is_client_error() || status.is_server_error()) || !is_plain {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "What you sent is too large.",
        StatusCode::METHOD_NOT_ALLOWED => "This address can't be used that way.",
        StatusCode::REQUEST_TIMEOUT => "That took too long; please try again.",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "We couldn't read what was sent.",
        s if s.is_server_error() => {
            "Something went wrong on our side; please try again in a minute."
        }
        _ => "We couldn't read that request.",
    };
    let mut replaced = if api {
        crate::api::json_error(status, message)
    } else {
        crate::pages::error_page(&state.site, &WebError::BadRequest(message.to_owned()))
    };
    *replaced.status_mut() = status;
    let (parts, body) = replaced.into_parts();
    Response::from_parts(parts, Body::new(body))
}
