//! The public, read-only APIs: Open Referral UK 3.0 (the UK profile of HSDS 3.0) with the
//! HSDS 3.0 superset, under `/api`. Every response is JSON and may be read from any site.

pub(crate) mod oruk;
mod paging;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An error as the API gives it: a status and `{"error": "…"}`.
pub fn json_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "error": message }).to_string(),
    )
        .into_response()
}
