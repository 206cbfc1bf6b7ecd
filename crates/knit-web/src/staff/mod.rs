//! Staff sign-in: sessions, CSRF, passwords, two-factor, password resets and invitations.
//!
//! Every rule comes from `knit_domain` (who may do what, how long sessions and links last,
//! when sign-in slows down, what a good password is, how codes are checked); the store keeps
//! the records; these pages put the two together and record each step in the audit log.

pub mod audit_log;
pub mod casework;
mod connector_figures;
mod conversations;
pub mod csrf;
mod dashboard;
pub mod invitation;
mod listings;
mod organisations;
pub mod postcards;
pub mod problem_reports;
pub mod reset;
pub mod session;
mod sign_in;
mod training;
mod two_factor;
pub mod users;

use std::net::IpAddr;

use askama::Template;
use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use knit_domain::account::{Actor, UserId};
use knit_domain::audit::{AccountEvent, NewAuditEvent, Outcome};
use knit_domain::session::TOKEN_BYTES;
use knit_store::Store;

use crate::{AppState, Site};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff", get(dashboard::show))
        .route("/staff/", get(|| async { Redirect::to("/staff") }))
        .route("/staff/sign-in", get(sign_in::form).post(sign_in::submit))
        .route("/staff/sign-out", post(sign_in::sign_out))
        .route(
            "/staff/two-factor",
            get(two_factor::form).post(two_factor::submit),
        )
        .route(
            "/staff/two-factor/set-up",
            get(two_factor::set_up_form).post(two_factor::set_up_submit),
        )
        .route("/staff/reset", get(reset::ask_form).post(reset::ask))
        .route(
            "/staff/reset/{token}",
            get(reset::new_password_form).post(reset::set_new_password),
        )
        .route(
            "/staff/invitations",
            get(invitation::invite_form).post(invitation::send_invitation),
        )
        .route(
            "/staff/invitations/{token}",
            get(invitation::accept_form).post(invitation::accept),
        )
        .route("/staff/users", get(users::list))
        .route("/staff/users/{id}", get(users::show))
        .route("/staff/users/{id}/roles", post(users::change_role))
        .route("/staff/users/{id}/suspend", post(users::suspend))
        .route("/staff/users/{id}/reinstate", post(users::reinstate))
        .route("/staff/audit", get(audit_log::show))
        .route("/staff/audit/check", post(audit_log::check))
        .route("/staff/listings", get(listings::list))
        .route("/staff/listings/unchecked", get(listings::unchecked))
        .route(
            "/staff/listings/{id}/edit",
            get(listings::edit_form).post(listings::propose),
        )
        .route("/staff/listing-changes", get(listings::pending))
        .route(
            "/staff/listing-changes/{id}",
            get(listings::show).post(listings::decide_change),
        )
        .route("/staff/organisations", get(organisations::list))
        .route("/staff/organisations/{id}", post(organisations::decide))
        .route("/staff/problems", get(problem_reports::list))
        .route(
            "/staff/problems/{id}",
            get(problem_reports::show).post(problem_reports::answer),
        )
        .merge(casework::routes())
        .route(
            "/staff/training",
            get(training::list).post(training::schedule),
        )
        .route("/staff/training/{id}", get(training::register))
        .route(
            "/staff/training/{id}/attendance",
            post(training::attendance),
        )
        .route("/staff/training/{id}/cancel", post(training::cancel))
        .route(
            "/staff/conversations",
            get(conversations::form).post(conversations::log),
        )
        .route(
            "/staff/hand-off",
            get(conversations::hand_off_form).post(conversations::hand_off),
        )
        .route("/staff/postcards", get(postcards::sheet))
        .route("/staff/connectors/figures", get(connector_figures::place))
        .route("/staff/my-figures", get(connector_figures::own))
}

/// Every staff route as (method, path): [`ROUTES`] and each part's own list.
pub fn all_routes() -> Vec<(&'static str, &'static str)> {
    ROUTES.iter().chain(casework::ROUTES).copied().collect()
}

/// The account and listing routes as (method, path), in the order [`routes`] adds them. The route × role
/// test checks each against the permission policy; keep this in step with [`routes`].
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/staff"),
    ("GET", "/staff/"),
    ("GET", "/staff/sign-in"),
    ("POST", "/staff/sign-in"),
    ("POST", "/staff/sign-out"),
    ("GET", "/staff/two-factor"),
    ("POST", "/staff/two-factor"),
    ("GET", "/staff/two-factor/set-up"),
    ("POST", "/staff/two-factor/set-up"),
    ("GET", "/staff/reset"),
    ("POST", "/staff/reset"),
    ("GET", "/staff/reset/{token}"),
    ("POST", "/staff/reset/{token}"),
    ("GET", "/staff/invitations"),
    ("POST", "/staff/invitations"),
    ("GET", "/staff/invitations/{token}"),
    ("POST", "/staff/invitations/{token}"),
    ("GET", "/staff/users"),
    ("GET", "/staff/users/{id}"),
    ("POST", "/staff/users/{id}/roles"),
    ("POST", "/staff/users/{id}/suspend"),
    ("POST", "/staff/users/{id}/reinstate"),
    ("GET", "/staff/audit"),
    ("POST", "/staff/audit/check"),
    ("GET", "/staff/listings"),
    ("GET", "/staff/listings/unchecked"),
    ("GET", "/staff/listings/{id}/edit"),
    ("POST", "/staff/listings/{id}/edit"),
    ("GET", "/staff/listing-changes"),
    ("GET", "/staff/listing-changes/{id}"),
    ("POST", "/staff/listing-changes/{id}"),
    ("GET", "/staff/organisations"),
    ("POST", "/staff/organisations/{id}"),
    ("GET", "/staff/problems"),
    ("GET", "/staff/problems/{id}"),
    ("POST", "/staff/problems/{id}"),
    ("GET", "/staff/training"),
    ("POST", "/staff/training"),
    ("GET", "/staff/training/{id}"),
    ("POST", "/staff/training/{id}/attendance"),
    ("POST", "/staff/training/{id}/cancel"),
    ("GET", "/staff/conversations"),
    ("POST", "/staff/conversations"),
    ("GET", "/staff/hand-off"),
    ("POST", "/staff/hand-off"),
    ("GET", "/staff/postcards"),
    ("GET", "/staff/connectors/figures"),
    ("GET", "/staff/my-figures"),
];

/// Random bytes for a session id, CSRF token, emailed link or secret, from the operating
/// system. Fails only if the system has no randomness to give, when nothing safe can be made.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    Ok(bytes)
}

const _: () = assert!(TOKEN_BYTES == 32);

pub(crate) fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "staff template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response()
        }
    }
}

/// A mistake on a form, shown in the error summary and beside the field it concerns.
pub(crate) struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl ToString) -> FieldError {
        FieldError {
            field,
            message: message.to_string(),
        }
    }

    /// Whether the mistake is in this field, for templates to show it beside the field.
    pub fn on(&self, field: &str) -> bool {
        self.field == field
    }
}

#[derive(Template)]
#[template(path = "staff/message.html")]
pub(crate) struct MessagePage<'a> {
    pub site: &'a Site,
    pub heading: String,
    pub message: String,
    pub is_error: bool,
    pub link_href: String,
    pub link_label: String,
}

/// A page that says one thing and offers one way on.
pub(crate) fn message(
    site: &Site,
    status: StatusCode,
    heading: &str,
    text: impl ToString,
    link: (&str, &str),
) -> Response {
    render(
        &MessagePage {
            site,
            heading: heading.to_owned(),
            message: text.to_string(),
            is_error: status.is_client_error() || status.is_server_error(),
            link_href: link.0.to_owned(),
            link_label: link.1.to_owned(),
        },
        status,
    )
}

/// A failure of ours (the database, no randomness): logged without personal data, shown as
/// a plain apology.
pub(crate) fn internal(site: &Site, detail: impl std::fmt::Display) -> Response {
    tracing::error!(%detail, "staff page failed");
    message(
        site,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, something went wrong",
        "Something went wrong on our side; please try again in a minute.",
        ("/staff/sign-in", "Go to the sign-in page"),
    )
}

/// The refusal for a form whose CSRF token is missing or wrong. Nothing has been changed.
pub(crate) fn forged(site: &Site) -> Response {
    message(
        site,
        StatusCode::FORBIDDEN,
        "There is a problem",
        csrf::Forged,
        ("/staff/sign-in", "Go to the sign-in page"),
    )
}

/// The address a request came from, for throttling and the audit log.
///
/// The connection's peer, unless that peer is this machine or a private network (a reverse
/// proxy in front of Knit), in which case the last address the proxy appended to
/// `X-Forwarded-For`: a client can put anything at the start of that header but not after
/// its proxy's entry. When the server was started without peer addresses the header's last
/// entry is used too.
pub(crate) fn client_address(headers: &HeaderMap, peer: Option<IpAddr>) -> String {
    let forwarded = || {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|h| h.to_str().ok())
            .flat_map(|h| h.split(','))
            .next_back()
            .and_then(|last| last.trim().parse::<IpAddr>().ok())
    };
    let behind_proxy = match peer {
        None => true,
        Some(IpAddr::V4(v4)) => v4.is_loopback() || v4.is_private(),
        Some(IpAddr::V6(v6)) => v6.is_loopback() || v6.is_unique_local(),
    };
    let address = if behind_proxy {
        forwarded().or(peer)
    } else {
        peer
    };
    address.map_or_else(|| "unknown".to_owned(), |a| a.to_string())
}

/// Where a request came from, as [`client_address`] reads it: an extractor for handlers.
pub(crate) struct ClientAddress(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<ClientAddress, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientAddress(client_address(&parts.headers, peer)))
    }
}

/// The start of links in emails: `KNIT_PUBLIC_URL` (such as `https://help.example.org`).
/// Without it, the request's host is used only if it is this machine, for development; a
/// host header from anywhere else could point reset links at someone else's site.
pub(crate) fn public_base_url(headers: &HeaderMap) -> String {
    if let Ok(url) = std::env::var("KNIT_PUBLIC_URL") {
        let url = url.trim().trim_end_matches('/');
        if !url.is_empty() {
            return url.to_owned();
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = host.rsplit_once(':').map_or(host, |(name, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            name
        } else {
            host
        }
    });
    let local = name == "localhost" || name == "[::1]" || name.starts_with("127.");
    if local {
        format!("http://{host}")
    } else {
        tracing::warn!("KNIT_PUBLIC_URL is not set; emailed links carry no site address");
        String::new()
    }
}

/// Appends an account event to the audit log. A failure to write it is logged (without
/// personal data) but does not stop the page: the person's sign-in is not held hostage to
/// the log, and the operator sees the error.
pub(crate) async fn audit_account(
    store: &dyn Store,
    event: AccountEvent,
    actor: Option<UserId>,
    subject: Option<UserId>,
    outcome: Outcome,
    address: &str,
    now: DateTime<Utc>,
) {
    let new = NewAuditEvent::for_account_event(
        event,
        actor,
        subject,
        outcome,
        Some(address.to_owned()),
        now,
    );
    if let Err(e) = store.append_audit(new).await {
        tracing::error!(error = %e, event = event.code(), "audit event not written");
    }
}

/// Appends a permission decision to the audit log.
pub(crate) async fn audit_decision(
    store: &dyn Store,
    actor: &Actor,
    action: &knit_domain::access::Action,
    decision: &knit_domain::access::Decision,
    address: &str,
    now: DateTime<Utc>,
) {
    let new = NewAuditEvent::for_decision(
        actor,
        action,
        decision,
        "page",
        None,
        Some(address.to_owned()),
        now,
    );
    if let Err(e) = store.append_audit(new).await {
        tracing::error!(error = %e, action = action.code(), "audit event not written");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static(value));
        h
    }

    #[test]
    fn the_address_is_the_peer_unless_a_local_proxy_forwarded_it() {
        let public: IpAddr = "198.51.100.4".parse().unwrap();
        let proxy: IpAddr = "127.0.0.1".parse().unwrap();
        let spoofed = forwarded("203.0.113.9");
        assert_eq!(client_address(&spoofed, Some(public)), "198.51.100.4");
        // Behind a proxy, the client's own additions come first and are ignored.
        let chain = forwarded("203.0.113.9, 192.0.2.77");
        assert_eq!(client_address(&chain, Some(proxy)), "192.0.2.77");
        assert_eq!(client_address(&HeaderMap::new(), Some(proxy)), "127.0.0.1");
        assert_eq!(client_address(&forwarded("nonsense"), None), "unknown");
    }

    #[test]
    fn links_point_at_the_configured_site_or_this_machine_only() {
        let mut local = HeaderMap::new();
        local.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        let mut other = HeaderMap::new();
        other.insert(header::HOST, HeaderValue::from_static("evil.example"));
        if std::env::var("KNIT_PUBLIC_URL").is_err() {
            assert_eq!(public_base_url(&local), "http://127.0.0.1:8080");
            assert_eq!(public_base_url(&other), "");
        }
    }
}
