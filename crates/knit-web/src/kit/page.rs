//! Turning a page, a message or a failure into a response, in one place.
//!
//! A handler returns [`PageResult`]: its rendered page, or a [`PageError`] saying what went
//! wrong. Neither needs the site's name or layout at hand: a message or error travels in the
//! response as a [`Pending`] value, and [`finish`] (a layer over the whole router, which has
//! the site) renders it in the public layout or the staff one by the request's path.

use askama::Template;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use knit_domain::access::Denial;
use knit_domain::session::RetryAfter;

use crate::directory::search::SearchError;
use crate::{AppState, Site};

pub type PageResult = Result<Response, PageError>;

/// Renders a page with its status. A template that fails to render is a bug of ours.
pub fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError::Internal(format!("template failed: {e}")).into_response(),
    }
}

/// A link offered under a message: where to, and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub fn to(href: impl Into<String>, label: impl Into<String>) -> Link {
        Link {
            href: href.into(),
            label: label.into(),
        }
    }
}

/// A page that says one thing and offers one way on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub status: StatusCode,
    pub heading: String,
    pub text: String,
    /// Where to go next; without one, the home page or the staff page by the layout.
    pub link: Option<Link>,
}

impl Notice {
    pub fn new(status: StatusCode, heading: impl Into<String>, text: impl ToString) -> Notice {
        Notice {
            status,
            heading: heading.into(),
            text: text.to_string(),
            link: None,
        }
    }

    pub fn link(mut self, href: impl Into<String>, label: impl Into<String>) -> Notice {
        self.link = Some(Link::to(href, label));
        self
    }
}

impl IntoResponse for Notice {
    fn into_response(self) -> Response {
        pending(self.status, Pending::Notice(self))
    }
}

/// Why a page could not be given, as the visitor can act on it. Each turns into one
/// response in [`PageError::message`]; nothing personal goes into any of them.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PageError {
    /// Not signed in, or the session has ended.
    #[error("sign in first")]
    SignIn,
    /// Signed in, with a step of signing in still to do (two-factor, or setting it up).
    #[error("finish signing in first")]
    NextStep(&'static str),
    /// The permission policy said no.
    #[error("{0}")]
    Denied(Denial),
    /// A form's token or origin was wrong: nothing was changed.
    #[error("{}", crate::kit::csrf::Forged)]
    Forged,
    /// There is no such thing (it may have been erased, or the link is wrong).
    #[error("there is no such {0}")]
    NotFound(&'static str),
    /// What was asked for cannot be read: a public page's wording.
    #[error("{0}")]
    BadRequest(String),
    /// A public page's "not found", in its own words.
    #[error("{0}")]
    Missing(String),
    #[error("{0}")]
    Search(#[from] SearchError),
    /// What was asked cannot be given or done, said in the page's own words with where to
    /// go back to: a referral already answered, a session that is not there.
    #[error("{}", .0.text)]
    Explained(Notice),
    /// Too many attempts from here or for this account lately: try again later.
    #[error("{0}")]
    Throttled(RetryAfter),
    /// A failure of ours (the database, no randomness): logged without personal data.
    #[error("something went wrong on our side; please try again in a minute")]
    Internal(String),
}

impl From<Notice> for PageError {
    fn from(notice: Notice) -> PageError {
        PageError::Explained(notice)
    }
}

impl From<knit_store::StoreError> for PageError {
    fn from(e: knit_store::StoreError) -> PageError {
        PageError::Internal(e.to_string())
    }
}

impl PageError {
    /// A failure of ours, with the detail kept for the log.
    pub fn internal(detail: impl std::fmt::Display) -> PageError {
        PageError::Internal(detail.to_string())
    }

    /// A refusal from the store or the domain, as "Nothing was changed: …".
    pub fn refused(
        reason: impl std::fmt::Display,
        back: impl Into<String>,
        label: &str,
    ) -> PageError {
        let text = format!("Nothing was changed: {reason}.");
        PageError::Explained(
            Notice::new(StatusCode::CONFLICT, "That cannot be done now", text).link(back, label),
        )
    }

    pub fn status(&self) -> StatusCode {
        match self {
            PageError::Explained(message) => message.status,
            PageError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            PageError::SignIn | PageError::NextStep(_) => StatusCode::SEE_OTHER,
            PageError::Denied(_) | PageError::Forged => StatusCode::FORBIDDEN,
            PageError::NotFound(_) | PageError::Missing(_) => StatusCode::NOT_FOUND,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Search(e) => e.status(),
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The page that tells the visitor, in the staff layout or the public one.
    fn message(&self, staff: bool) -> Notice {
        let status = self.status();
        match self {
            PageError::Explained(message) => message.clone(),
            PageError::Throttled(retry) => {
                let minutes = whole_minutes(retry);
                let text = format!(
                    "There have been too many attempts from here or for this account. For your \
                     security, try again in {minutes}."
                );
                Notice::new(status, "Too many attempts", text)
                    .link("/staff/sign-in", "Back to sign in")
            }
            PageError::Denied(denial) => Notice::new(
                status,
                "You cannot do this",
                capitalised(&denial.to_string()),
            )
            .link("/staff", "Go to your staff page"),
            PageError::Forged => Notice::new(status, "There is a problem", self)
                .link("/staff/sign-in", "Go to the sign-in page"),
            PageError::NotFound(what) if staff => Notice::new(
                status,
                "Not found",
                format!("There is no such {what}. It may have been erased, or the link is wrong."),
            )
            .link("/staff", "Back to your staff page"),
            PageError::Internal(detail) => {
                tracing::error!(%detail, "page failed");
                let message = Notice::new(
                    status,
                    if staff {
                        "Sorry, something went wrong".to_owned()
                    } else {
                        crate::t("something-went-wrong")
                    },
                    if staff {
                        "Something went wrong on our side; please try again in a minute.".to_owned()
                    } else {
                        crate::t("something-went-wrong-text")
                    },
                );
                if staff {
                    message.link("/staff/sign-in", "Go to the sign-in page")
                } else {
                    message
                }
            }
            _ => {
                // Public pages speak the visitor's language; staff pages are in English.
                let heading = match status {
                    StatusCode::NOT_FOUND if !staff => crate::t("page-not-found"),
                    _ if !staff && status.is_client_error() => crate::t("there-is-a-problem"),
                    _ if !staff => crate::t("something-went-wrong"),
                    StatusCode::NOT_FOUND => "Page not found".to_owned(),
                    s if s.is_client_error() => "There is a problem".to_owned(),
                    _ => "Sorry, something went wrong".to_owned(),
                };
                Notice::new(status, heading, self)
            }
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::SignIn => Redirect::to("/staff/sign-in").into_response(),
            PageError::NextStep(to) => Redirect::to(to).into_response(),
            PageError::Throttled(retry) => {
                let seconds = retry.wait.num_seconds().max(1);
                let mut response = pending(StatusCode::TOO_MANY_REQUESTS, Pending::Error(self));
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
                response
            }
            error => pending(error.status(), Pending::Error(error)),
        }
    }
}

/// A message or error waiting in a response for [`finish`] to render.
#[derive(Debug, Clone)]
enum Pending {
    Notice(Notice),
    Error(PageError),
}

fn pending(status: StatusCode, what: Pending) -> Response {
    let mut response = status.into_response();
    response.extensions_mut().insert(what);
    response
}

/// A wait in whole minutes, rounded up: "1 minute", "2 minutes".
fn whole_minutes(retry: &RetryAfter) -> String {
    match (retry.wait.num_seconds() + 59) / 60 {
        ..=1 => "1 minute".to_owned(),
        n => format!("{n} minutes"),
    }
}

/// A domain message as a sentence: the domain's start in lower case so they read inside
/// others.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

#[derive(Template)]
#[template(path = "message.html")]
struct PublicMessagePage<'a> {
    site: &'a Site,
    page: &'a NoticeView,
}

#[derive(Template)]
#[template(path = "staff/message.html")]
struct StaffMessagePage<'a> {
    site: &'a Site,
    page: &'a NoticeView,
}

struct NoticeView {
    heading: String,
    message: String,
    is_error: bool,
    link_href: String,
    link_label: String,
}

/// Renders a message in the layout of the part of the site it belongs to.
pub fn notice_page(site: &Site, staff: bool, message: Notice) -> Response {
    let link = message.link.unwrap_or_else(|| {
        if staff {
            Link::to("/staff", "Go to your staff page")
        } else {
            Link::to("/", crate::t("go-home"))
        }
    });
    let page = NoticeView {
        heading: message.heading,
        message: message.text,
        is_error: message.status.is_client_error() || message.status.is_server_error(),
        link_href: link.href,
        link_label: link.label,
    };
    let html = if staff {
        StaffMessagePage { site, page: &page }.render()
    } else {
        PublicMessagePage { site, page: &page }.render()
    };
    match html {
        Ok(html) => (message.status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "message template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response()
        }
    }
}

/// Renders what handlers left pending, and replaces the framework's bare-text errors (a
/// body too large, a method not allowed) with pages, or JSON under /api, that say what to do.
pub(crate) async fn finish(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let api = path.starts_with("/api");
    let staff = path.starts_with("/staff");
    let mut response = next.run(request).await;
    if let Some(what) = response.extensions_mut().remove::<Pending>() {
        let message = match what {
            Pending::Notice(message) => message,
            Pending::Error(error) => error.message(staff),
        };
        let (parts, _) = response.into_parts();
        let page = notice_page(&state.site, staff, message);
        let (page_parts, body) = page.into_parts();
        let mut parts = parts;
        parts.headers.extend(page_parts.headers);
        return Response::from_parts(parts, body);
    }
    let status = response.status();
    let is_plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|t| t.to_str().is_ok_and(|t| t.starts_with("text/plain")));
    if !(status.is_client_error() || status.is_server_error()) || !is_plain {
        return response;
    }
    let text = match status {
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
        crate::api::json_error(status, text)
    } else {
        let message = Notice::new(status, "There is a problem", text);
        notice_page(&state.site, false, message.link("/", "Go to the home page"))
    };
    *replaced.status_mut() = status;
    let (parts, body) = replaced.into_parts();
    Response::from_parts(parts, Body::new(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;
    use knit_domain::session::Throttled;

    #[test]
    fn the_wait_is_given_in_whole_minutes_rounded_up() {
        let retry = |seconds| RetryAfter {
            wait: TimeDelta::seconds(seconds),
            because: Throttled::Account,
        };
        assert_eq!(whole_minutes(&retry(5)), "1 minute");
        assert_eq!(whole_minutes(&retry(61)), "2 minutes");
        assert_eq!(whole_minutes(&retry(600)), "10 minutes");
    }

    #[test]
    fn domain_messages_become_sentences() {
        assert_eq!(
            capitalised("this account is suspended; ask a place lead"),
            "This account is suspended; ask a place lead."
        );
    }
}
