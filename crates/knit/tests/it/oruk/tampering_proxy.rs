//! A proxy in front of a real publisher that breaks one promise on purpose, so the tests can
//! show the checker notices: a filter ignored, filters combined with OR instead of AND, a
//! null slipped into a service.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// The one promise the proxy breaks.
#[derive(Debug, Clone, Copy)]
pub enum Tamper {
    /// Drop this query parameter before passing the request on, as if it were unsupported.
    IgnoreParam(&'static str),
    /// When two filters come together, pass on only the first (an OR-ish superset).
    KeepOnlyFirstFilter,
    /// Add `"email": null` to every full service (`/services/{id}`).
    NullEmailOnServices,
}

struct Proxy {
    upstream: String,
    tamper: Tamper,
    http: reqwest::Client,
}

/// Starts a proxy to `upstream` (a base URL such as `http://127.0.0.1:PORT/api`); returns
/// the proxy's base URL.
pub async fn serve_tampering_proxy(upstream: &str, tamper: Tamper) -> String {
    let proxy = Proxy {
        upstream: upstream.trim_end_matches('/').to_owned(),
        tamper,
        http: reqwest::Client::new(),
    };
    let app = Router::new().fallback(forward).with_state(Arc::new(proxy));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{address}")
}

const PAGING: [&str; 2] = ["page", "per_page"];

async fn forward(State(proxy): State<Arc<Proxy>>, uri: Uri) -> Response {
    let pairs: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            reqwest::Url::parse(&format!("http://x/?{q}"))
                .map(|u| u.query_pairs().into_owned().collect())
                .unwrap_or_default()
        })
        .unwrap_or_default();
    let pairs: Vec<(String, String)> = match proxy.tamper {
        Tamper::IgnoreParam(name) => pairs.into_iter().filter(|(k, _)| k != name).collect(),
        Tamper::KeepOnlyFirstFilter => {
            let mut filters_seen = 0;
            pairs
                .into_iter()
                .filter(|(k, _)| {
                    PAGING.contains(&k.as_str()) || {
                        filters_seen += 1;
                        filters_seen == 1
                    }
                })
                .collect()
        }
        Tamper::NullEmailOnServices => pairs,
    };
    let mut url = reqwest::Url::parse(&format!("{}{}", proxy.upstream, uri.path()))
        .expect("the upstream URL parses");
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(&pairs);
    }
    let upstream = match proxy.http.get(url).send().await {
        Ok(response) => response,
        Err(e) => return (StatusCode::BAD_GATEWAY, e.to_string()).into_response(),
    };
    let status = upstream.status();
    let keep = [header::CONTENT_TYPE, header::ACCESS_CONTROL_ALLOW_ORIGIN];
    let headers: Vec<(header::HeaderName, header::HeaderValue)> = keep
        .into_iter()
        .filter_map(|name| Some((name.clone(), upstream.headers().get(&name)?.clone())))
        .collect();
    let mut body = upstream.bytes().await.unwrap_or_default().to_vec();
    let is_one_service = uri.path().starts_with("/services/") && status == StatusCode::OK;
    if matches!(proxy.tamper, Tamper::NullEmailOnServices)
        && is_one_service
        && let Ok(mut service) = serde_json::from_slice::<Value>(&body)
    {
        service["email"] = Value::Null;
        body = service.to_string().into_bytes();
    }
    let mut response = (status, body).into_response();
    for (name, value) in headers {
        response.headers_mut().insert(name, value);
    }
    response
}
