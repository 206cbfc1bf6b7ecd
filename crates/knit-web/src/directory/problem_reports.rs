//! Problems reported from the public pages ("Report a problem with this page"): the
//! organisation that runs the service and the place leads see them, reply (a note kept with
//! the report) and resolve them. Whose report it is comes from the service's organisation,
//! and `knit_domain::access::decide` says who may answer it.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use knit_domain::access::{Action, decide};
use knit_domain::account::{OrganizationId, Role};
use knit_domain::public_forms::PublicForm;
use knit_domain::validation::MAX_FREE_TEXT;
use knit_store::accounts::{NewProblemNote, ProblemNoteKind};
use knit_store::{ProblemReport, Store};
use uuid::Uuid;

use crate::kit::{
    Allowed, ClientAddress, Notice, PageError, PageResult, public_limit, render, see_other, when,
};
use crate::mail::queue::enqueue_email;
use crate::mail::recipients::{organisation_staff, place_leads};
use crate::{AppState, Site};

struct ReportRow {
    id: String,
    service: String,
    what: String,
    when: String,
    resolved: bool,
}

#[derive(Template)]
#[template(path = "staff/problem_reports.html")]
struct ReportsPage<'a> {
    site: &'a Site,
    open: Vec<ReportRow>,
    resolved: Vec<ReportRow>,
}

/// The reports about services the actor may answer for, with each service's name.
async fn answerable(
    state: &AppState,
    actor: &knit_domain::account::Actor,
) -> Result<Vec<(ProblemReport, String)>, knit_store::StoreError> {
    let reports = state.store.problem_reports().await?;
    let ids: Vec<Uuid> = reports.iter().map(|r| r.service_id).collect();
    let services: HashMap<Uuid, (OrganizationId, String)> = state
        .store
        .services_by_id(&ids)
        .await?
        .into_iter()
        .map(|s| (s.id, (OrganizationId(s.organization_id), s.name)))
        .collect();
    Ok(reports
        .into_iter()
        .filter_map(|r| {
            let (org, name) = services.get(&r.service_id)?.clone();
            decide(actor, &Action::ReplyToProblemReport(org))
                .is_allowed()
                .then_some((r, name))
        })
        .collect())
}

/// `/staff/problems`: open reports first, newest first.
pub(crate) async fn list(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let reports = answerable(&state, allowed.actor()).await?;
    let (mut open, mut resolved) = (Vec::new(), Vec::new());
    for (report, service) in reports.into_iter().rev() {
        let row = ReportRow {
            id: report.id.to_string(),
            service,
            what: report.what.clone(),
            when: when(report.reported_at),
            resolved: report.resolved,
        };
        if report.resolved {
            resolved.push(row);
        } else {
            open.push(row);
        }
    }
    Ok(render(
        &ReportsPage {
            site: &state.site,
            open,
            resolved,
        },
        StatusCode::OK,
    ))
}

struct NoteRow {
    kind: &'static str,
    body: String,
    when: String,
}

#[derive(Template)]
#[template(path = "staff/problem_report.html")]
struct ReportPage<'a> {
    site: &'a Site,
    csrf: String,
    report: ReportRow,
    service_id: String,
    notes: Vec<NoteRow>,
}

/// Finds a report and the action answering it needs. The gate has already signed the
/// visitor in, so nobody learns which reports exist.
async fn find(state: &AppState, id: &str) -> Result<(ProblemReport, String, Action), PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("report"))?;
    let reports = state.store.problem_reports().await?;
    let report = reports
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(PageError::NotFound("report"))?;
    let service = state
        .store
        .service(report.service_id)
        .await?
        .ok_or(PageError::NotFound("report"))?;
    let action = Action::ReplyToProblemReport(OrganizationId(service.organization_id));
    Ok((report, service.name, action))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let (report, service, action) = find(&state, &id).await?;
    allowed.require(&state, &action).await?;
    let notes = state.store.problem_notes(report.id).await?;
    Ok(render(
        &ReportPage {
            site: &state.site,
            csrf: allowed.csrf(),
            service_id: report.service_id.to_string(),
            report: ReportRow {
                id: report.id.to_string(),
                service,
                what: report.what.clone(),
                when: when(report.reported_at),
                resolved: report.resolved,
            },
            notes: notes
                .iter()
                .map(|n| NoteRow {
                    kind: match n.kind {
                        ProblemNoteKind::Reply => "Reply",
                        ProblemNoteKind::Resolution => "Resolved",
                    },
                    body: n.body.clone(),
                    when: when(n.at),
                })
                .collect(),
        },
        StatusCode::OK,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct NoteForm {
    /// `reply` or `resolution`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

pub(crate) async fn answer(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> PageResult {
    let (report, _, action) = find(&state, &id).await?;
    allowed.require(&state, &action).await?;
    let back = format!("/staff/problems/{}", report.id);
    let refused = |heading: &str, text: String| {
        Ok(Notice::new(StatusCode::UNPROCESSABLE_ENTITY, heading, text)
            .link(&back, "Back to the report")
            .into_response())
    };
    let Some(kind) = ProblemNoteKind::from_code(&form.kind) else {
        return refused(
            "Please choose what to do",
            "Choose to reply, or to mark the problem resolved.".to_owned(),
        );
    };
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > MAX_FREE_TEXT {
        return refused(
            "Please check what you wrote",
            format!("Write what was done, in up to {MAX_FREE_TEXT} characters."),
        );
    }
    let note = NewProblemNote {
        report_id: report.id,
        author: allowed.user_id(),
        author_role: allowed.stamp.role.unwrap_or(Role::PartnerStaff),
        kind,
        body: body.to_owned(),
        at: allowed.stamp.at,
    };
    state.store.add_problem_note(note).await?;
    allowed
        .audit(&state, &action, "problem_report", report.id)
        .await;
    Ok(see_other(back))
}

/// Tells the organisation's staff and the place leads that a problem was reported. The
/// email names the service, never the words of the report: those stay behind sign-in.
pub async fn notify_report(
    store: &dyn Store,
    report: &ProblemReport,
    service_name: &str,
    organization: OrganizationId,
) -> Result<u32, knit_store::StoreError> {
    let mut to = organisation_staff(store, organization).await?;
    to.extend(place_leads(store).await?);
    to.sort_by_key(|u| u.id.0);
    to.dedup_by(|a, b| a.id == b.id);
    let mut sent = 0;
    for user in &to {
        let message = crate::mail::Message {
            to: user.email.clone(),
            subject: format!("A problem was reported with {service_name}"),
            body: format!(
                "Someone reported a problem with the listing for {service_name}. Sign in to \
                 read it, reply or mark it resolved: /staff/problems/{}\n",
                report.id
            ),
        };
        enqueue_email(store, message, report.reported_at).await?;
        sent += 1;
    }
    Ok(sent)
}

/// "Report a problem with this page", from a public service page.
pub(crate) async fn report(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    let no_service = || PageError::Missing("We couldn't find that service.".into());
    let id = Uuid::parse_str(&id).map_err(|_| no_service())?;
    // Read strictly: text that is not UTF-8 is refused, not stored with replacement marks.
    let unreadable = || {
        PageError::BadRequest(
            "We couldn't read your report. Please go back and type it again.".into(),
        )
    };
    let what = std::str::from_utf8(&body)
        .ok()
        .and_then(|raw| super::form_urlencoded_pairs(raw).ok())
        .map(|pairs| {
            pairs
                .into_iter()
                .find(|(k, _)| k == "what")
                .map(|(_, v)| v)
                .unwrap_or_default()
        })
        .ok_or_else(unreadable)?;
    let what = what.trim();
    if what.is_empty() {
        return Err(PageError::BadRequest(
            "Tell us what is wrong with the page.".into(),
        ));
    }
    if what.chars().count() > MAX_FREE_TEXT {
        return Err(PageError::BadRequest(format!(
            "Your report is too long. Please use fewer than {MAX_FREE_TEXT} characters."
        )));
    }
    let service = state.store.service(id).await?.ok_or_else(no_service)?;
    if !public_limit::admit(&state, PublicForm::ProblemReport, &address).await {
        let later = "We already have several reports from here in the last hour; thank you. \
                     Please try again later if something else is wrong.";
        let notice = Notice::new(StatusCode::TOO_MANY_REQUESTS, "Thank you", later);
        return Ok(notice
            .link(format!("/services/{id}"), "Back to the service")
            .into_response());
    }
    let report = state.store.report_problem(id, what).await?;
    // The report is kept whatever happens to the emails; a failure to queue them is ours.
    let organization = knit_domain::account::OrganizationId(service.organization_id);
    if let Err(e) = notify_report(state.store.as_ref(), &report, &service.name, organization).await
    {
        tracing::error!(error = %e, "problem report emails not queued");
    }
    let thanks = Notice::new(
        StatusCode::OK,
        "Thank you for your report",
        "We've passed it to the people who keep this directory up to date. They check every report.",
    );
    Ok(thanks
        .link(format!("/services/{id}"), "Back to the service")
        .into_response())
}
