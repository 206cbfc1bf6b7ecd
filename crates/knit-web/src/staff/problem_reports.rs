//! Problems reported from the public pages ("Report a problem with this page"): the
//! organisation that runs the service and the place leads see them, reply (a note kept with
//! the report) and resolve them. Whose report it is comes from the service's organisation,
//! and `knit_domain::access::decide` says who may answer it.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use knit_domain::access::{Action, decide};
use knit_domain::account::{OrganizationId, Role};
use knit_store::accounts::{NewProblemNote, ProblemNoteKind};
use knit_store::{ProblemReport, Store};
use uuid::Uuid;

use super::casework::{gate, not_found, see_other, when};
use super::{ClientAddress, internal, message, render};
use crate::jobs_worker::enqueue_email;
use crate::mailer::Message;
use crate::recipients::{organisation_staff, place_leads};
use crate::{AppState, Site};

const MAX_NOTE_CHARS: usize = 2_000;

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
pub(crate) async fn list(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
) -> Response {
    let allowed = match gate(&state, &headers, &address, &Action::ViewDashboard, None).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let reports = match answerable(&state, &allowed.signed_in.actor).await {
        Ok(reports) => reports,
        Err(e) => return internal(&state.site, e),
    };
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
    render(
        &ReportsPage {
            site: &state.site,
            open,
            resolved,
        },
        StatusCode::OK,
    )
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

/// Finds a report and the action answering it needs.
async fn find(state: &AppState, id: &str) -> Result<(ProblemReport, String, Action), Response> {
    let id = Uuid::parse_str(id).map_err(|_| not_found(&state.site, "report"))?;
    let reports = state
        .store
        .problem_reports()
        .await
        .map_err(|e| internal(&state.site, e))?;
    let report = reports
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| not_found(&state.site, "report"))?;
    let service = state
        .store
        .service(report.service_id)
        .await
        .map_err(|e| internal(&state.site, e))?
        .ok_or_else(|| not_found(&state.site, "report"))?;
    let action = Action::ReplyToProblemReport(OrganizationId(service.organization_id));
    Ok((report, service.name, action))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    // Signed in first, so nobody learns which reports exist.
    if let Err(response) = gate(&state, &headers, &address, &Action::ViewDashboard, None).await {
        return response;
    }
    let (report, service, action) = match find(&state, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let allowed = match gate(&state, &headers, &address, &action, None).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let notes = match state.store.problem_notes(report.id).await {
        Ok(notes) => notes,
        Err(e) => return internal(&state.site, e),
    };
    render(
        &ReportPage {
            site: &state.site,
            csrf: allowed.signed_in.csrf_secret.clone(),
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
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct NoteForm {
    #[serde(default)]
    csrf: String,
    /// `reply` or `resolution`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

pub(crate) async fn answer(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<NoteForm>,
) -> Response {
    if let Err(response) = gate(&state, &headers, &address, &Action::ViewDashboard, None).await {
        return response;
    }
    let (report, _, action) = match find(&state, &id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let allowed = match gate(&state, &headers, &address, &action, Some(&form.csrf)).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let back = format!("/staff/problems/{}", report.id);
    let Some(kind) = ProblemNoteKind::from_code(&form.kind) else {
        return message(
            &state.site,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please choose what to do",
            "Choose to reply, or to mark the problem resolved.",
            (&back, "Back to the report"),
        );
    };
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > MAX_NOTE_CHARS {
        return message(
            &state.site,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please check what you wrote",
            format!("Write what was done, in up to {MAX_NOTE_CHARS} characters."),
            (&back, "Back to the report"),
        );
    }
    let note = NewProblemNote {
        report_id: report.id,
        author: allowed.signed_in.user.id,
        author_role: allowed.stamp.role.unwrap_or(Role::PartnerStaff),
        kind,
        body: body.to_owned(),
        at: allowed.stamp.at,
    };
    match state.store.add_problem_note(note).await {
        Ok(_) => {
            super::audit_decision(
                state.store.as_ref(),
                &allowed.signed_in.actor,
                &action,
                &knit_domain::access::Decision::Allow {
                    as_role: allowed.stamp.role,
                },
                &address,
                allowed.stamp.at,
            )
            .await;
            see_other(back)
        }
        Err(e) => internal(&state.site, e),
    }
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
        let message = Message {
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
