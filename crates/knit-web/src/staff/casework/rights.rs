//! A person's rights over their record: a subject-access export (JSON, or a page to print),
//! erasure, and the list of closed cases past their retention period for a place lead to
//! review.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Months, Utc};
use knit_domain::access::Action;
use knit_domain::casework::retention_review_due;
use knit_store::casework::CaseError;

use super::{day, gate, not_found, open_record, parse_person, when};
use crate::staff::{ClientAddress, internal, message, render};
use crate::{AppState, Site};

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ExportQuery {
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "staff/person_export.html")]
struct ExportPage<'a> {
    site: &'a Site,
    id: String,
    produced: String,
    json: String,
}

/// `/staff/people/{id}/export`: a printable page, or `?format=json` to download.
pub(crate) async fn export(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<ExportQuery>,
) -> Response {
    let action = Action::ExportPerson;
    let (_, record) = match open_record(&state, &headers, &address, &action, &id, None).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let id = record.id;
    let json = match record.to_export_json() {
        Ok(json) => json,
        Err(e) => return internal(&state.site, e),
    };
    if query.format == "json" {
        let mut response = (StatusCode::OK, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Ok(value) = HeaderValue::from_str(&format!(
            "attachment; filename=\"knit-record-{}.json\"",
            id.0
        )) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        return response;
    }
    render(
        &ExportPage {
            site: &state.site,
            id: id.0.to_string(),
            produced: when(Utc::now()),
            json,
        },
        StatusCode::OK,
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct EraseForm {
    #[serde(default)]
    csrf: String,
    /// The word "erase", typed: erasure cannot be undone.
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn erase(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<EraseForm>,
) -> Response {
    erase_person(state, address, headers, &id, form).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct ReferenceForm {
    #[serde(default)]
    reference: String,
    #[serde(flatten)]
    erase: EraseForm,
}

/// Erasure on a person's request, by the reference their coordinator passes on.
pub(crate) async fn erase_by_reference(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<ReferenceForm>,
) -> Response {
    let reference = form.reference.trim().to_owned();
    erase_person(state, address, headers, &reference, form.erase).await
}

async fn erase_person(
    state: AppState,
    address: String,
    headers: HeaderMap,
    id: &str,
    form: EraseForm,
) -> Response {
    let allowed = match gate(
        &state,
        &headers,
        &address,
        &Action::ErasePerson,
        Some(&form.csrf),
    )
    .await
    {
        Ok(a) => a,
        Err(response) => return response,
    };
    let Some(id) = parse_person(id) else {
        return not_found(&state.site, "person");
    };
    if !form.confirm.trim().eq_ignore_ascii_case("erase") {
        return message(
            &state.site,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing was erased",
            "Type the word erase to confirm. Erasure cannot be undone.",
            ("/staff/retention", "Back to cases to review"),
        );
    }
    match state.store.erase_person(id, allowed.stamp).await {
        Ok(()) => message(
            &state.site,
            StatusCode::OK,
            "Record erased",
            "Everything personal in this record has been removed. Counts and the audit log \
             remain, and name nobody.",
            ("/staff/retention", "Back to cases to review"),
        ),
        Err(CaseError::NotFound) => not_found(&state.site, "person"),
        Err(CaseError::Erased) => message(
            &state.site,
            StatusCode::CONFLICT,
            "Already erased",
            "This record was erased before.",
            ("/staff/retention", "Back to cases to review"),
        ),
        Err(e) => internal(&state.site, e),
    }
}

struct DueRow {
    id: String,
    closed: String,
    due: String,
}

#[derive(Template)]
#[template(path = "staff/retention.html")]
struct RetentionPage<'a> {
    site: &'a Site,
    csrf: String,
    years: u32,
    rows: Vec<DueRow>,
}

/// `/staff/retention`: closed cases past the retention period, oldest first.
pub(crate) async fn retention(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
) -> Response {
    let allowed = match gate(&state, &headers, &address, &Action::ErasePerson, None).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let years = state.site.retention_years;
    let now = Utc::now();
    let cutoff = now
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(now);
    match state.store.closed_cases_before(cutoff, 500).await {
        Ok(due) => render(
            &RetentionPage {
                site: &state.site,
                csrf: allowed.signed_in.csrf_secret.clone(),
                years,
                rows: due
                    .iter()
                    .map(|(id, closed)| DueRow {
                        id: id.0.to_string(),
                        closed: day(closed.date_naive()),
                        due: day(retention_review_due(*closed, years)),
                    })
                    .collect(),
            },
            StatusCode::OK,
        ),
        Err(e) => internal(&state.site, e),
    }
}
