//! Serves one of the ORUK validator's canned response folders (`oruk-validator/mocks/…`) as a
//! publisher, so the checker can be tested on answers known to be good and known to be bad.
//!
//! Like the validator's own mock server, every list answers with the same file whatever the
//! query; an item answers only for the id its file holds, anything else is a JSON 404.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The list file and item file for each endpoint. The Fail folder names its organization
/// item differently, hence the alternatives.
const ENDPOINTS: [(&str, &str, &[&str]); 5] = [
    ("services", "service_list.json", &["service_full.json"]),
    ("taxonomies", "taxonomy_list.json", &["taxonomy.json"]),
    (
        "taxonomy_terms",
        "taxonomy_term_list.json",
        &["taxonomy_term.json"],
    ),
    (
        "service_at_locations",
        "service_at_location_list.json",
        &["service_at_location_full.json"],
    ),
    (
        "organizations",
        "organization_list.json",
        &["organization.json", "organization_full.json"],
    ),
];

#[derive(Default)]
struct Mock {
    root: Option<Value>,
    lists: HashMap<&'static str, Value>,
    items: HashMap<&'static str, Value>,
}

/// Starts the mock on an ephemeral loopback port; returns its base URL.
pub async fn serve_mock_folder(folder: &Path) -> Result<String, String> {
    let read = |name: &str| -> Option<Value> {
        let text = std::fs::read_to_string(folder.join(name)).ok()?;
        serde_json::from_str(&text).ok()
    };
    let mut mock = Mock {
        root: read("api_details.json"),
        ..Mock::default()
    };
    for (endpoint, list, items) in ENDPOINTS {
        if let Some(body) = read(list) {
            mock.lists.insert(endpoint, body);
        }
        if let Some(body) = items.iter().find_map(|name| read(name)) {
            mock.items.insert(endpoint, body);
        }
    }
    if mock.root.is_none() || mock.lists.is_empty() {
        return Err(format!("{} holds no validator mocks", folder.display()));
    }
    let app = Router::new().fallback(answer).with_state(Arc::new(mock));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot bind a loopback port: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("no local address: {e}"))?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(format!("http://{address}"))
}

async fn answer(State(mock): State<Arc<Mock>>, uri: Uri) -> Response {
    let segments: Vec<&str> = uri.path().split('/').filter(|s| !s.is_empty()).collect();
    let body = match segments.as_slice() {
        [] => mock.root.as_ref(),
        [endpoint] => mock.lists.get(endpoint),
        [endpoint, id] => mock
            .items
            .get(endpoint)
            .filter(|item| item.get("id").and_then(Value::as_str) == Some(*id)),
        _ => None,
    };
    let (status, body) = match body {
        Some(body) => (StatusCode::OK, body.clone()),
        None => (StatusCode::NOT_FOUND, json!({"error": "not found"})),
    };
    let headers = [
        (header::CONTENT_TYPE, "application/json"),
        (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
    ];
    (status, headers, body.to_string()).into_response()
}
