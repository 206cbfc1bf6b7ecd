//! A person's rights over their record: a subject-access export (JSON, or a page to print),
//! erasure, and the list of closed cases past their retention period for a place lead to
//! review.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use chrono::{Months, Utc};
use knit_domain::casework::retention_review_due;
use knit_store::casework::CaseError;

use super::{open_record, parse_person};

use crate::kit::{Allowed, Notice, PageError, PageResult, day, render, when};
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
    allowed: Allowed,
    Path(id): Path<String>,
    Query(query): Query<ExportQuery>,
) -> PageResult {
    let record = open_record(&state, &allowed, &id).await?;
    let id = record.id;
    let json = record.to_export_json().map_err(PageError::internal)?;
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
        return Ok(response);
    }
    Ok(render(
        &ExportPage {
            site: &state.site,
            id: id.0.to_string(),
            produced: when(Utc::now()),
            json,
        },
        StatusCode::OK,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct EraseForm {
    /// The word "erase", typed: erasure cannot be undone.
    #[serde(default)]
    confirm: String,
}

pub(crate) async fn erase(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<EraseForm>,
) -> PageResult {
    erase_person(&state, allowed, &id, form).await
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
    allowed: Allowed,
    Form(form): Form<ReferenceForm>,
) -> PageResult {
    let reference = form.reference.trim().to_owned();
    erase_person(&state, allowed, &reference, form.erase).await
}

async fn erase_person(state: &AppState, allowed: Allowed, id: &str, form: EraseForm) -> PageResult {
    let id = parse_person(id)?;
    if !form.confirm.trim().eq_ignore_ascii_case("erase") {
        return Ok(Notice::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nothing was erased",
            "Type the word erase to confirm. Erasure cannot be undone.",
        )
        .link("/staff/retention", "Back to cases to review")
        .into_response());
    }
    Ok(match state.store.erase_person(id, allowed.stamp).await {
        Ok(()) => Notice::new(
            StatusCode::OK,
            "Record erased",
            "Everything personal in this record has been removed. Counts and the audit log \
             remain, and name nobody.",
        )
        .link("/staff/retention", "Back to cases to review")
        .into_response(),
        Err(CaseError::NotFound) => return Err(PageError::NotFound("person")),
        Err(CaseError::Erased) => Notice::new(
            StatusCode::CONFLICT,
            "Already erased",
            "This record was erased before.",
        )
        .link("/staff/retention", "Back to cases to review")
        .into_response(),
        Err(e) => return Err(PageError::internal(e)),
    })
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
pub(crate) async fn retention(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let years = state.site.retention_years;
    let now = Utc::now();
    let cutoff = now
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(now);
    Ok(match state.store.closed_cases_before(cutoff, 500).await {
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
        Err(e) => return Err(PageError::internal(e)),
    })
}
