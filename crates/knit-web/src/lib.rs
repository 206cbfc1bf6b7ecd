//! Knit's web front: the public website, the Open Referral UK API and the JSON API,
//! served by axum over one [`Store`] and one in-process [`SearchEngine`].

pub mod api;
pub mod directory_search;
pub mod error;
pub mod jobs_worker;
pub mod listing_checks;
pub mod mailer;
pub mod pages;
pub mod recipients;
pub mod referral_chaser;
pub mod search_engine;
mod security;
pub mod staff;
pub mod training_emails;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use knit_store::Store;

pub use search_engine::SearchEngine;

/// What the site calls itself and the area it covers.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    pub area: String,
    /// Years a closed case is kept before it is listed for a place lead to review.
    pub retention_years: u32,
    /// When unanswered referrals are chased.
    pub chase: knit_domain::referral::ChasePolicy,
    /// How residents reach a coordinator, printed on connectors' postcards: a phone number,
    /// an email, opening hours.
    pub coordinator_contact: Option<String>,
}

impl Default for Site {
    fn default() -> Site {
        Site {
            name: "Knit".to_owned(),
            area: "your area".to_owned(),
            retention_years: knit_domain::casework::DEFAULT_RETENTION_YEARS,
            chase: knit_domain::referral::ChasePolicy::default(),
            coordinator_contact: None,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub engine: Arc<SearchEngine>,
    pub site: Arc<Site>,
}

/// Request bodies larger than this are refused: nothing public needs more.
const BODY_LIMIT: usize = 64 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn router(state: AppState) -> Router {
    // Only public pages are compressed: staff pages carry CSRF tokens beside text the
    // visitor typed, which compression would let an attacker guess (BREACH).
    let public = Router::new()
        .merge(pages::routes())
        .nest("/api", api::routes())
        .route("/api/", get(api::api_root))
        .route("/static/knit.css", get(stylesheet))
        .route("/static/exit.js", get(exit_script))
        .layer(tower_http::compression::CompressionLayer::new());
    Router::new()
        .merge(public)
        .merge(staff::routes())
        .route("/healthz", get(|| async { "ok" }))
        .fallback(not_found)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state,
            security::page_errors,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(security::headers))
}

async fn not_found(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: axum::http::Uri,
) -> Response {
    if uri.path().starts_with("/api") {
        return api::json_error(StatusCode::NOT_FOUND, "There is nothing at this address.");
    }
    pages::error_page(
        &state.site,
        &error::WebError::NotFound("We couldn't find that page.".into()),
    )
}

/// Assets are compiled into the binary, so one file is all an installation needs.
async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/knit.css"),
    )
        .into_response()
}

async fn exit_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/exit.js"),
    )
        .into_response()
}
