//! Open Referral UK 3.0 endpoints and the HSDS 3.0 additions (organisations, `full`,
//! `minimal`, `organization_id`, `modified_after`). Filters combine with AND.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc, Weekday};
use knit_domain::Service;
use knit_domain::directory::{Delivery, KnitTerm, Organization, Taxonomy, TaxonomyTerm, WayIn};
use knit_domain::needs::{self, NEEDS};
use knit_domain::postcode::Postcode;
use knit_search::SearchQuery;
use knit_search::catalogue::{CatalogueFilter, Proximity, TaxonomyRef};
use serde_json::{Value, json};
use uuid::Uuid;

use super::json_error;
use super::paging::{Page, PageRequest};
use crate::AppState;
use crate::directory::form_urlencoded_pairs;
use crate::directory::search::MAX_QUERY_CHARS;

pub const PROFILE: &str = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md";

#[derive(Debug)]
pub enum ApiError {
    Bad(String),
    NotFound(&'static str),
    Internal(String),
}

impl ApiError {
    pub fn bad(message: impl Into<String>) -> ApiError {
        ApiError::Bad(message.into())
    }
}

impl From<knit_store::StoreError> for ApiError {
    fn from(e: knit_store::StoreError) -> ApiError {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::Bad(m) => json_error(StatusCode::BAD_REQUEST, &m),
            ApiError::NotFound(what) => {
                json_error(StatusCode::NOT_FOUND, &format!("No {what} has that id."))
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "api request failed");
                json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side; please try again.",
                )
            }
        }
    }
}

type ApiResult = Result<Response, ApiError>;

fn ok(value: impl serde::Serialize) -> ApiResult {
    Ok(Json(value).into_response())
}

/// The query string as a map; unreadable text is a 400, not a 500.
struct Params(HashMap<String, String>);

impl Params {
    fn read(raw: Option<String>) -> Result<Params, ApiError> {
        let pairs = form_urlencoded_pairs(raw.as_deref().unwrap_or(""))
            .map_err(|_| ApiError::bad("the query string is not valid UTF-8 text"))?;
        Ok(Params(
            pairs
                .into_iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .collect(),
        ))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.trim())
    }

    fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None => Ok(false),
            Some("true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(_) => Err(ApiError::bad(format!("{name} must be true or false"))),
        }
    }

    fn uuid(&self, name: &str) -> Result<Option<Uuid>, ApiError> {
        self.get(name)
            .map(|v| {
                Uuid::parse_str(v).map_err(|_| ApiError::bad(format!("{name} must be a UUID")))
            })
            .transpose()
    }

    fn page(&self) -> Result<PageRequest, ApiError> {
        PageRequest::parse(self.get("page"), self.get("per_page"))
    }

    fn age(&self, name: &str) -> Result<Option<u16>, ApiError> {
        self.get(name)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|a| (0.0..=f64::from(knit_domain::validation::MAX_AGE)).contains(a))
                    .map(|a| a.ceil() as u16)
                    .ok_or_else(|| ApiError::bad(format!("{name} must be an age in years")))
            })
            .transpose()
    }

    fn filter(&self) -> Result<CatalogueFilter, ApiError> {
        let time = |name: &str| {
            self.get(name)
                .map(|v| {
                    v.parse().map_err(|e: knit_domain::time_of_day::BadTime| {
                        ApiError::bad(format!("{name}: {e}"))
                    })
                })
                .transpose()
        };
        let taxonomy = self.get("taxonomy_id").map(|v| match Uuid::parse_str(v) {
            Ok(id) => TaxonomyRef::Id(id),
            Err(_) => TaxonomyRef::Name(v.to_owned()),
        });
        let modified_after = self
            .get("modified_after")
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|d| d.with_timezone(&Utc))
                    .or_else(|_| {
                        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                            .map(|d| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
                    })
                    .map_err(|_| {
                        ApiError::bad(
                            "modified_after must be a date-time such as 2025-10-01T00:00:00Z",
                        )
                    })
            })
            .transpose()?;
        Ok(CatalogueFilter {
            taxonomy_term_id: self.uuid("taxonomy_term_id")?,
            taxonomy,
            minimum_age: self.age("minimum_age")?,
            maximum_age: self.age("maximum_age")?,
            day: self.get("day").map(parse_day).transpose()?,
            start_time: time("start_time")?,
            end_time: time("end_time")?,
            organization_id: self.uuid("organization_id")?,
            // The HSDS text says "on or after"; a second earlier keeps that exact.
            modified_after: modified_after.map(|d| d - chrono::Duration::nanoseconds(1)),
        })
    }

    /// Ids ranked by the word search, when `search` is given.
    fn ranked(&self, state: &AppState) -> Result<Option<Vec<Uuid>>, ApiError> {
        let Some(words) = self.get("search") else {
            return Ok(None);
        };
        if words.chars().count() > MAX_QUERY_CHARS {
            return Err(ApiError::bad(format!(
                "search must be under {MAX_QUERY_CHARS} characters"
            )));
        }
        let index = state
            .engine
            .index
            .read()
            .map_err(|_| ApiError::Internal("index lock poisoned".into()))?;
        let query = SearchQuery {
            words: words.to_owned(),
            page: 1,
            per_page: index.len().max(1) as u32,
            ..Default::default()
        };
        Ok(Some(
            index
                .search(&query)
                .hits
                .into_iter()
                .map(|h| h.id)
                .collect(),
        ))
    }
}

fn parse_day(v: &str) -> Result<Weekday, ApiError> {
    knit_domain::opening::parse_weekday(v)
        .ok_or_else(|| ApiError::bad("day must be a weekday: MO, TU, WE, TH, FR, SA or SU"))
}

fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if headers
        .get("x-forwarded-proto")
        .is_some_and(|p| p == "https")
    {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

pub(crate) async fn root(headers: HeaderMap) -> ApiResult {
    ok(json!({
        "version": "HSDS-UK-3.0",
        "profile": PROFILE,
        "openapi_url": format!("{}/api/openapi.json", base_url(&headers)),
    }))
}

pub(crate) async fn openapi(headers: HeaderMap) -> ApiResult {
    let mut doc: Value =
        serde_json::from_str(include_str!("openapi.json")).expect("the OpenAPI document is JSON");
    doc["servers"] = json!([{ "url": format!("{}/api", base_url(&headers)) }]);
    ok(doc)
}

/// An organisation as ORUK wants it: `description` is required there, so an
/// organisation that never gave one is described by its name.
fn organization_json(org: &Organization) -> Value {
    let mut org = org.clone();
    if org.description.is_none() {
        org.description = Some(org.name.clone());
    }
    serde_json::to_value(org).expect("organisations serialise")
}

/// A full service for the public: confidential places out, organisation complete.
fn full_service(service: &Service) -> Value {
    let public = service.public_view();
    let mut value = serde_json::to_value(&public).expect("services serialise");
    if let Some(org) = &public.organization {
        value["organization"] = organization_json(org);
    }
    value
}

/// A list item: the service's own fields and its organisation, no child lists.
fn service_item(service: &Service) -> Value {
    let mut value = full_service(service);
    if let Value::Object(map) = &mut value {
        map.retain(|_, v| !v.is_array());
    }
    value
}

async fn load(state: &AppState, ids: &[Uuid]) -> Result<Vec<Service>, ApiError> {
    Ok(state.store.services_by_id(ids).await?)
}

pub(crate) async fn services(State(state): State<AppState>, RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::read(raw)?;
    let request = params.page()?;
    let filter = params.filter()?;
    let ranked = params.ranked(&state)?;
    let (total, ids) = state.engine.catalogue.read().expect("catalogue lock").page(
        &filter,
        ranked.as_deref(),
        request.page,
        request.per_page,
    );
    let found = load(&state, &ids).await?;
    let contents: Vec<Value> = if params.flag("minimal")? {
        found
            .iter()
            .map(|s| json!({ "id": s.id, "last_modified": s.last_modified }))
            .map(strip_nulls)
            .collect()
    } else if params.flag("full")? {
        found.iter().map(full_service).collect()
    } else {
        found.iter().map(service_item).collect()
    };
    ok(Page::new(request, total, contents))
}

fn strip_nulls(mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        map.retain(|_, v| !v.is_null());
    }
    value
}

fn parse_id(id: &str, what: &'static str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(id).map_err(|_| ApiError::NotFound(what))
}

pub(crate) async fn service(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let id = parse_id(&id, "service")?;
    match state.store.service(id).await? {
        Some(service) => ok(full_service(&service)),
        None => Err(ApiError::NotFound("service")),
    }
}

fn service_at_location_json(
    service: &Service,
    sal_id: Uuid,
    with_full_service: bool,
) -> Option<Value> {
    let public = service.public_view();
    let sal = public
        .service_at_locations
        .iter()
        .find(|s| s.id == sal_id)?;
    let mut value = serde_json::to_value(sal).expect("places serialise");
    value["service_id"] = json!(service.id);
    if let Some(location) = &sal.location {
        value["location_id"] = json!(location.id);
    }
    value["service"] = if with_full_service {
        full_service(service)
    } else {
        service_item(service)
    };
    Some(value)
}

pub(crate) async fn service_at_locations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let params = Params::read(raw)?;
    let request = params.page()?;
    let filter = params.filter()?;
    let ranked = params.ranked(&state)?;
    let near = match (params.get("postcode"), params.get("proximity")) {
        (Some(postcode), proximity) => {
            Postcode::parse(postcode).map_err(|e| ApiError::bad(e.to_string()))?;
            let place = crate::directory::search::locate(state.store.as_ref(), postcode)
                .await
                .map_err(|e| ApiError::bad(e.to_string()))?;
            proximity
                .map(|p| {
                    p.parse::<f64>()
                        .ok()
                        .filter(|m| m.is_finite() && *m >= 0.0)
                        .map(|metres| Proximity {
                            centre: place.position,
                            metres,
                        })
                        .ok_or_else(|| ApiError::bad("proximity must be a distance in metres"))
                })
                .transpose()?
        }
        (None, Some(_)) => return Err(ApiError::bad("proximity needs a postcode to measure from")),
        (None, None) => None,
    };
    let (total, pairs) = state
        .engine
        .catalogue
        .read()
        .expect("catalogue lock")
        .places_page(
            &filter,
            ranked.as_deref(),
            near,
            request.page,
            request.per_page,
        );
    let mut ids: Vec<Uuid> = pairs.iter().map(|(_, service)| *service).collect();
    ids.dedup();
    let found = load(&state, &ids).await?;
    let contents: Vec<Value> = pairs
        .iter()
        .filter_map(|(sal, service)| {
            let service = found.iter().find(|s| s.id == *service)?;
            service_at_location_json(service, *sal, false)
        })
        .collect();
    ok(Page::new(request, total, contents))
}

pub(crate) async fn service_at_location(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult {
    let id = parse_id(&id, "service at location")?;
    let owner = state
        .engine
        .catalogue
        .read()
        .expect("catalogue lock")
        .place_owner(id);
    let Some(service_id) = owner else {
        return Err(ApiError::NotFound("service at location"));
    };
    let service = state
        .store
        .service(service_id)
        .await?
        .ok_or(ApiError::NotFound("service at location"))?;
    service_at_location_json(&service, id, true)
        .map(Json)
        .map(IntoResponse::into_response)
        .ok_or(ApiError::NotFound("service at location"))
}

/// Knit's own taxonomies: needs, ways in, and ways of delivery.
fn all_taxonomies() -> Vec<Taxonomy> {
    vec![
        Taxonomy {
            id: needs::taxonomy_id(),
            name: needs::VOCABULARY.to_owned(),
            description: "Knit's needs: the kinds of help people need, shared by search, referrals and reports.".to_owned(),
            uri: None,
            version: Some("1".to_owned()),
        },
        Taxonomy {
            id: WayIn::taxonomy_id(),
            name: WayIn::TAXONOMY.to_owned(),
            description: "How a person gets to use a service: drop in, contact them, or be referred.".to_owned(),
            uri: None,
            version: Some("1".to_owned()),
        },
        Taxonomy {
            id: Delivery::taxonomy_id(),
            name: Delivery::TAXONOMY.to_owned(),
            description: "How a service is delivered: in person, by phone, or online.".to_owned(),
            uri: None,
            version: Some("1".to_owned()),
        },
    ]
}

fn all_terms() -> Vec<TaxonomyTerm> {
    NEEDS
        .iter()
        .map(|n| n.id.taxonomy_term())
        .chain(WayIn::ALL.iter().map(|w| w.taxonomy_term()))
        .chain(Delivery::ALL.iter().map(|d| d.taxonomy_term()))
        .collect()
}

fn term_json(term: &TaxonomyTerm) -> Value {
    let mut value = serde_json::to_value(term).expect("terms serialise");
    value["term"] = json!(term.name);
    value
}

fn paged<T: Clone>(items: &[T], request: PageRequest) -> (u64, Vec<T>) {
    let start = request
        .page
        .saturating_sub(1)
        .saturating_mul(request.per_page);
    let contents = items
        .iter()
        .skip(usize::try_from(start).unwrap_or(usize::MAX))
        .take(request.per_page as usize)
        .cloned()
        .collect();
    (items.len() as u64, contents)
}

pub(crate) async fn taxonomies(RawQuery(raw): RawQuery) -> ApiResult {
    let request = Params::read(raw)?.page()?;
    let (total, contents) = paged(&all_taxonomies(), request);
    ok(Page::new(request, total, contents))
}

pub(crate) async fn taxonomy(Path(id): Path<String>) -> ApiResult {
    let id = parse_id(&id, "taxonomy")?;
    all_taxonomies()
        .into_iter()
        .find(|t| t.id == id)
        .map_or(Err(ApiError::NotFound("taxonomy")), ok)
}

pub(crate) async fn taxonomy_terms(RawQuery(raw): RawQuery) -> ApiResult {
    let params = Params::read(raw)?;
    let request = params.page()?;
    let wanted = params.get("taxonomy_id").map(str::to_owned);
    let terms: Vec<Value> = all_terms()
        .iter()
        .filter(|t| {
            wanted.as_deref().is_none_or(|w| {
                t.taxonomy.as_deref() == Some(w)
                    || t.taxonomy_id.is_some_and(|id| id.to_string() == w)
            })
        })
        .map(term_json)
        .collect();
    let (total, contents) = paged(&terms, request);
    ok(Page::new(request, total, contents))
}

pub(crate) async fn taxonomy_term(Path(id): Path<String>) -> ApiResult {
    let id = parse_id(&id, "taxonomy term")?;
    all_terms()
        .iter()
        .find(|t| t.id == id)
        .map_or(Err(ApiError::NotFound("taxonomy term")), |t| {
            ok(term_json(t))
        })
}

pub(crate) async fn organizations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let request = Params::read(raw)?.page()?;
    let total = state.store.count_organizations().await?;
    let offset = request
        .page
        .saturating_sub(1)
        .saturating_mul(request.per_page);
    let found = if offset >= total {
        vec![]
    } else {
        state
            .store
            .organizations(offset, request.per_page as u32)
            .await?
    };
    ok(Page::new(
        request,
        total,
        found.iter().map(organization_json).collect(),
    ))
}

pub(crate) async fn organization(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> ApiResult {
    let id = parse_id(&id, "organization")?;
    let params = Params::read(raw)?;
    let org = state
        .store
        .organization(id)
        .await?
        .ok_or(ApiError::NotFound("organization"))?;
    let mut value = organization_json(&org);
    let filter = CatalogueFilter {
        organization_id: Some(id),
        ..Default::default()
    };
    let (_, ids) =
        state
            .engine
            .catalogue
            .read()
            .expect("catalogue lock")
            .page(&filter, None, 1, u64::MAX);
    let services = load(&state, &ids).await?;
    if !services.is_empty() {
        let full = params.flag("full_service")?;
        value["services"] = services
            .iter()
            .map(|s| {
                if full {
                    full_service(s)
                } else {
                    service_item(s)
                }
            })
            .collect();
    }
    ok(value)
}
