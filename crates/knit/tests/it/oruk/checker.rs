//! An Open Referral UK 3.0 conformance checker that talks to a publisher over real HTTP.
//!
//! It follows the plan in `shared/data/ORUK-CONFORMANCE.md` (section 1.6 A): the schema of
//! every response, the page header, every item of every list, the value rules the schemas
//! leave open, and (for a real publisher) that filters do what they say and combine with AND.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use reqwest::Url;
use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, CONTENT_TYPE};
use serde_json::Value;

use super::json_rules::{service_organization_breaks, value_rule_breaks};
use super::paging::page_problems;
use super::schemas::{Body, OrukSchemas};

/// One way the publisher breaks the standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The request, relative to the base URL (`GET /services?page=2`), or `setup`.
    pub endpoint: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.endpoint, self.message)
    }
}

/// A postcode whose centroid the checker knows, for `/service_at_locations?postcode=`.
#[derive(Debug, Clone)]
pub struct PostcodeProbe {
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    pub proximity_metres: f64,
}

/// What to check. Mocks answer every query with the same file, so the checks that need a
/// publisher to actually filter or page are switchable.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The `oruk-3.0` folder holding `openapi.local.json` and `schema/`.
    pub oruk_dir: PathBuf,
    /// Page size asked for while walking lists; small values exercise paging harder.
    pub per_page: u64,
    /// Filters on `/services` return exactly the services that satisfy them, and combine
    /// with AND.
    pub check_filters: bool,
    /// Check `/organizations` (an HSDS 3.0 superset endpoint, not required by ORUK).
    pub check_organizations: bool,
    /// `openapi_url` from `/` serves an OpenAPI document describing `/services`.
    pub check_openapi_url: bool,
    /// A page past the last answers 200 with `empty: true` (Knit's documented choice).
    pub check_page_beyond_last: bool,
    pub postcode: Option<PostcodeProbe>,
}

impl CheckOptions {
    /// Every check on, as for a real publisher such as Knit.
    pub fn full(oruk_dir: PathBuf) -> Self {
        Self {
            oruk_dir,
            per_page: 7,
            check_filters: true,
            check_organizations: true,
            check_openapi_url: true,
            check_page_beyond_last: true,
            postcode: None,
        }
    }
}

/// Runs every enabled check against the publisher at `base_url` (the URL that serves `/`,
/// e.g. `http://127.0.0.1:8080/api`) and returns all violations found; empty means it passed.
pub async fn check_publisher(base_url: &str, opts: &CheckOptions) -> Vec<Violation> {
    let setup_failure = |message: String| {
        vec![Violation {
            endpoint: "setup".into(),
            message,
        }]
    };
    let schemas = match OrukSchemas::load(&opts.oruk_dir) {
        Ok(schemas) => schemas,
        Err(e) => return setup_failure(e),
    };
    if opts.per_page == 0 {
        return setup_failure("per_page must be at least 1".into());
    }
    let base = base_url.trim_end_matches('/').to_owned();
    if let Err(e) = Url::parse(&base) {
        return setup_failure(format!("base URL {base_url:?} does not parse: {e}"));
    }
    let mut run = Run {
        http: reqwest::Client::new(),
        base,
        opts,
        schemas,
        violations: Vec::new(),
    };
    run.check_root().await;
    let services = run.check_collection(&SERVICES).await;
    run.check_collection(&TAXONOMIES).await;
    let terms = run.check_collection(&TAXONOMY_TERMS).await;
    let service_at_locations = run.check_collection(&SERVICE_AT_LOCATIONS).await;
    if opts.check_organizations {
        run.check_collection(&ORGANIZATIONS).await;
    }
    let directory = super::filters::Directory {
        services,
        terms,
        service_at_locations,
    };
    if opts.check_filters {
        super::filters::check_service_filters(&mut run, &directory).await;
    }
    if let Some(probe) = &opts.postcode {
        super::filters::check_postcode_proximity(&mut run, &directory, probe).await;
    }
    run.violations
}

/// A list endpoint and its item endpoint.
pub struct Collection {
    pub path: &'static str,
    pub list: Body,
    pub item: Body,
}

pub const SERVICES: Collection = Collection {
    path: "/services",
    list: Body::ServiceList,
    item: Body::Service,
};
const TAXONOMIES: Collection = Collection {
    path: "/taxonomies",
    list: Body::TaxonomyList,
    item: Body::Taxonomy,
};
const TAXONOMY_TERMS: Collection = Collection {
    path: "/taxonomy_terms",
    list: Body::TaxonomyTermList,
    item: Body::TaxonomyTerm,
};
pub const SERVICE_AT_LOCATIONS: Collection = Collection {
    path: "/service_at_locations",
    list: Body::ServiceAtLocationList,
    item: Body::ServiceAtLocation,
};
const ORGANIZATIONS: Collection = Collection {
    path: "/organizations",
    list: Body::OrganizationList,
    item: Body::Organization,
};

/// What a collection holds: each item in full, by id, in the order the list gave them.
pub type Items = BTreeMap<String, Value>;

/// A successful answer: the status and the parsed JSON body.
pub struct Reply {
    pub endpoint: String,
    pub status: u16,
    pub body: Value,
}

/// One conformance run: the client, the compiled schemas and the violations so far.
pub struct Run<'a> {
    http: reqwest::Client,
    base: String,
    pub opts: &'a CheckOptions,
    schemas: OrukSchemas,
    pub violations: Vec<Violation>,
}

impl Run<'_> {
    pub fn violate(&mut self, endpoint: &str, message: impl Into<String>) {
        self.violations.push(Violation {
            endpoint: endpoint.to_owned(),
            message: message.into(),
        });
    }

    /// GETs `path` (relative to the base) with `query`, checking what every response must
    /// carry: a JSON content type, `Access-Control-Allow-Origin: *` and a JSON body.
    pub async fn get(&mut self, path: &str, query: &[(&str, String)]) -> Option<Reply> {
        let mut url = match Url::parse(&format!("{}{path}", self.base)) {
            Ok(url) => url,
            Err(e) => {
                self.violate(&format!("GET {path}"), format!("not a URL: {e}"));
                return None;
            }
        };
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let endpoint = format!("GET {}", &url.as_str()[self.base.len()..]);
        self.get_url(url, endpoint).await
    }

    async fn get_url(&mut self, url: Url, endpoint: String) -> Option<Reply> {
        let response = match self.http.get(url).send().await {
            Ok(response) => response,
            Err(e) => {
                self.violate(&endpoint, format!("request failed: {e}"));
                return None;
            }
        };
        let status = response.status().as_u16();
        let header = |name| {
            response
                .headers()
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let (content_type, allow_origin) =
            (header(CONTENT_TYPE), header(ACCESS_CONTROL_ALLOW_ORIGIN));
        if !content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("application/json"))
        {
            self.violate(
                &endpoint,
                format!("status {status} with content type {content_type:?}, not application/json"),
            );
        }
        if allow_origin.as_deref() != Some("*") {
            self.violate(
                &endpoint,
                format!(
                    "status {status} with Access-Control-Allow-Origin {allow_origin:?}, not \"*\""
                ),
            );
        }
        let text = match response.text().await {
            Ok(text) => text,
            Err(e) => {
                self.violate(&endpoint, format!("body unreadable: {e}"));
                return None;
            }
        };
        match serde_json::from_str(&text) {
            Ok(body) => Some(Reply {
                endpoint,
                status,
                body,
            }),
            Err(e) => {
                self.violate(
                    &endpoint,
                    format!("status {status} and the body is not JSON: {e}"),
                );
                None
            }
        }
    }

    /// Expects 200 and a body that meets the schema and the value rules.
    fn expect_valid(&mut self, reply: &Reply, body: Body, is_page: bool) -> bool {
        if reply.status != 200 {
            self.violate(
                &reply.endpoint,
                format!("status {}, expected 200", reply.status),
            );
            return false;
        }
        let mut problems = self.schemas.errors(body, &reply.body);
        problems.extend(value_rule_breaks(&reply.body, is_page));
        let clean = problems.is_empty();
        for problem in problems {
            self.violate(&reply.endpoint, problem);
        }
        clean
    }

    async fn check_root(&mut self) {
        let Some(reply) = self.get("/", &[]).await else {
            return;
        };
        self.expect_valid(&reply, Body::ApiDetails, false);
        let field = |key: &str| {
            reply
                .body
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        if field("version").as_deref() != Some("HSDS-UK-3.0") {
            let found = reply.body.get("version");
            self.violate(
                &reply.endpoint,
                format!("version is {found:?}, not \"HSDS-UK-3.0\""),
            );
        }
        if field("profile").is_none() {
            self.violate(&reply.endpoint, "profile is missing");
        }
        let Some(openapi_url) = field("openapi_url") else {
            self.violate(&reply.endpoint, "openapi_url is missing");
            return;
        };
        if !self.opts.check_openapi_url {
            return;
        }
        let resolved = Url::parse(&format!("{}/", self.base)).and_then(|b| b.join(&openapi_url));
        let Ok(url) = resolved else {
            self.violate(
                &reply.endpoint,
                format!("openapi_url {openapi_url:?} is not a URL"),
            );
            return;
        };
        let Some(doc) = self.get_url(url, format!("GET {openapi_url}")).await else {
            return;
        };
        let describes_services = doc.body.pointer("/paths/~1services").is_some();
        if doc.status != 200 || doc.body.get("openapi").is_none() || !describes_services {
            self.violate(
                &doc.endpoint,
                format!(
                    "status {}: expected an OpenAPI document with an `openapi` field and a \
                     /services path",
                    doc.status
                ),
            );
        }
    }

    /// Walks every page of `collection` and fetches each listed item; returns the items in full.
    async fn check_collection(&mut self, collection: &Collection) -> Items {
        let Some(listed) = self.walk_pages(collection, &[]).await else {
            return Items::new();
        };
        let mut items = Items::new();
        for entry in &listed {
            let Some(id) = entry.get("id").and_then(Value::as_str) else {
                continue; // the schema check has already reported it
            };
            let Some(reply) = self.get(&format!("{}/{id}", collection.path), &[]).await else {
                continue;
            };
            if !self.expect_valid(&reply, collection.item, false) {
                continue;
            }
            if reply.body.get("id").and_then(Value::as_str) != Some(id) {
                self.violate(
                    &reply.endpoint,
                    "the item's id differs from the id asked for",
                );
                continue;
            }
            if collection.item == Body::Service {
                for problem in service_organization_breaks(&reply.body) {
                    self.violate(&reply.endpoint, problem);
                }
            }
            for key in disagreeing_fields(entry, &reply.body) {
                let message = format!("{key} differs between the list and the item itself");
                self.violate(&reply.endpoint, message);
            }
            items.insert(id.to_owned(), reply.body);
        }
        self.check_ids_stable(collection, &listed).await;
        self.check_unknown_ids(collection).await;
        items
    }

    /// Lists the first page again: the same ids must come back in the same order.
    async fn check_ids_stable(&mut self, collection: &Collection, listed: &[Value]) {
        let per_page = self.opts.per_page;
        let query = [("page", "1".to_owned()), ("per_page", per_page.to_string())];
        let Some(reply) = self.get(collection.path, &query).await else {
            return;
        };
        let ids = |items: &[Value]| -> Vec<Option<String>> {
            let id = |item: &Value| item.get("id").and_then(Value::as_str).map(str::to_owned);
            items.iter().take(per_page as usize).map(id).collect()
        };
        let again = reply.body.get("contents").and_then(Value::as_array);
        if again.map(|items| ids(items)) != Some(ids(listed)) {
            self.violate(
                &reply.endpoint,
                "the first page lists different ids on a second call",
            );
        }
    }

    async fn check_unknown_ids(&mut self, collection: &Collection) {
        let unknown = uuid::Uuid::new_v4().to_string();
        for id in [unknown.as_str(), "not-a-uuid"] {
            let Some(reply) = self.get(&format!("{}/{id}", collection.path), &[]).await else {
                continue;
            };
            if reply.status != 404 {
                let status = reply.status;
                self.violate(
                    &reply.endpoint,
                    format!("status {status} for an unknown id, not 404"),
                );
            }
        }
    }

    /// Walks every page of a list (with optional filters), checking each page, and returns
    /// the items in order; `None` if the first page could not be read at all.
    pub async fn walk_pages(
        &mut self,
        collection: &Collection,
        filters: &[(&str, String)],
    ) -> Option<Vec<Value>> {
        let per_page = self.opts.per_page;
        let mut items = Vec::new();
        let mut seen = BTreeSet::new();
        let mut total = None;
        let mut page = 1;
        loop {
            let mut query = filters.to_vec();
            query.push(("page", page.to_string()));
            query.push(("per_page", per_page.to_string()));
            let reply = self.get(collection.path, &query).await?;
            self.expect_valid(&reply, collection.list, true);
            if reply.status != 200 {
                return (page > 1).then_some(items);
            }
            for problem in page_problems(&reply.body, page, per_page) {
                self.violate(&reply.endpoint, problem);
            }
            // Follow the publisher's own claims, even when inconsistent, so that one bad
            // field does not hide the rest.
            let claim = |key: &str| reply.body.get(key).and_then(Value::as_u64);
            let (total_items, total_pages) = (
                claim("total_items").unwrap_or(0),
                claim("total_pages").unwrap_or(page),
            );
            match total {
                None => total = Some((total_items, total_pages)),
                Some(first) if first != (total_items, total_pages) => {
                    self.violate(
                        &reply.endpoint,
                        format!("totals changed while paging: {first:?} then {total_items}/{total_pages}"),
                    );
                }
                Some(_) => {}
            }
            for item in reply.body["contents"].as_array().into_iter().flatten() {
                if let Some(id) = item.get("id").and_then(Value::as_str)
                    && !seen.insert(id.to_owned())
                {
                    self.violate(&reply.endpoint, format!("id {id} was already listed"));
                }
                items.push(item.clone());
            }
            // A publisher that never says it is done must not keep the checker forever.
            if page >= total_pages || page >= 10_000 {
                break;
            }
            page += 1;
        }
        let (total_items, total_pages) = total.unwrap_or_default();
        if items.len() as u64 != total_items {
            let endpoint = format!("GET {} (all pages)", collection.path);
            self.violate(
                &endpoint,
                format!(
                    "walking every page gave {} items, total_items says {total_items}",
                    items.len()
                ),
            );
        }
        if self.opts.check_page_beyond_last && filters.is_empty() {
            self.check_page_beyond_last(collection, total_pages.max(1) + 1)
                .await;
        }
        Some(items)
    }

    async fn check_page_beyond_last(&mut self, collection: &Collection, page: u64) {
        let per_page = self.opts.per_page;
        let query = [
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
        ];
        let Some(reply) = self.get(collection.path, &query).await else {
            return;
        };
        if !self.expect_valid(&reply, collection.list, true) {
            return;
        }
        if reply.body.get("empty") != Some(&Value::Bool(true)) {
            self.violate(&reply.endpoint, "a page past the last must say empty: true");
        }
        for problem in page_problems(&reply.body, page, per_page) {
            self.violate(&reply.endpoint, problem);
        }
    }
}

/// The plain fields (text, numbers, flags) a list entry shares with its full item but gives
/// a different value: a list and an item must describe the same thing.
fn disagreeing_fields(entry: &Value, full: &Value) -> Vec<String> {
    let Some(entry) = entry.as_object() else {
        return Vec::new();
    };
    entry
        .iter()
        .filter(|(_, value)| !value.is_object() && !value.is_array())
        .filter(|(key, value)| full.get(key.as_str()).is_some_and(|f| f != *value))
        .map(|(key, _)| key.clone())
        .collect()
}
