//! Knit's web front: the public website, the staff pages and the Open Referral UK API,
//! served by axum over one [`Store`] and one in-process [`SearchEngine`].
//!
//! One folder per feature — `directory`, `casework`, `referrals`, `connectors`,
//! `training`, `accounts`, `audit`, `insight` — each holding its public pages, staff pages and
//! background jobs; `kit` is what they share; `routes` is the one table of every address.

pub mod accounts;
pub mod activities;
pub mod api;
pub mod assets;
pub mod audit;
pub mod casework;
pub mod connectors;
pub mod directory;
pub mod fund;
pub mod groups;
pub mod insight;
pub mod kit;
pub mod mail;
pub mod referrals;
pub mod routes;
pub mod search_engine;
pub mod training;
pub mod volunteering;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use knit_store::Store;

pub use search_engine::SearchEngine;
// Templates ask for their words as `crate::t("id")`: short enough to read in HTML.
pub(crate) use kit::language::{t, t_count, t_with, t1, t2};

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
    /// The reverse proxies whose `X-Forwarded-For` says where a request came from.
    pub trusted_proxies: kit::TrustedProxies,
    /// The areas insight counts by (`KNIT_INSIGHT_AREA`).
    pub insight_area: knit_domain::insight::AreaLevel,
}

impl Default for Site {
    fn default() -> Site {
        Site {
            name: "Knit".to_owned(),
            area: "your area".to_owned(),
            retention_years: knit_domain::casework::DEFAULT_RETENTION_YEARS,
            chase: knit_domain::referral::ChasePolicy::default(),
            coordinator_contact: None,
            trusted_proxies: kit::TrustedProxies::default(),
            insight_area: knit_domain::insight::AreaLevel::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub engine: Arc<SearchEngine>,
    pub site: Arc<Site>,
    /// The search of volunteer roles and the bounds on fetching calendar feeds.
    pub volunteering: Arc<volunteering::VolunteeringState>,
    /// The insight pages' figures, kept for a few minutes.
    pub insight: Arc<insight::kept::KeptFigures>,
}

/// Request bodies larger than this are refused: nothing public needs more.
const BODY_LIMIT: usize = 64 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn router(state: AppState) -> Router {
    // Only public pages are compressed: staff pages carry CSRF tokens beside text the
    // visitor typed, which compression would let an attacker guess (BREACH).
    let (mut public, mut staff) = (Router::new(), Router::new());
    for route in routes::table() {
        let gate =
            axum::middleware::from_fn_with_state((state.clone(), route.guard), kit::gate::check);
        let handler = route.handler.route_layer(gate);
        if route.path.starts_with("/staff") {
            staff = staff.route(route.path, handler);
        } else {
            public = public.route(route.path, handler);
        }
    }
    let public = public.layer(tower_http::compression::CompressionLayer::new());
    Router::new()
        .merge(public)
        .merge(staff)
        .fallback(not_found)
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(
            state,
            kit::page::finish,
        ))
        .layer(axum::middleware::from_fn(kit::language::choose))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(kit::security::headers))
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api") {
        return api::json_error(StatusCode::NOT_FOUND, "There is nothing at this address.");
    }
    kit::PageError::Missing(t("no-such-page")).into_response()
}

/// Assets are compiled into the binary, so one file is all an installation needs.
pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/knit.css"),
    )
        .into_response()
}

pub(crate) async fn exit_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../static/exit.js"),
    )
        .into_response()
}
