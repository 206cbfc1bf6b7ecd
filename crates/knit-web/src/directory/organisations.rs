//! Organisations for place leads: every organisation in the directory, whether a place lead
//! has approved it as a partner (checked who they are), how many staff it has in Knit, and
//! approving or withdrawing approval. Listing changes from an organisation not yet approved
//! say so to whoever reviews them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use knit_domain::access::{Action, Decision};
use knit_domain::account::OrganizationId;
use uuid::Uuid;

use crate::kit::{Allowed, ClientAddress, Notice, PageError, PageResult, day, render, see_other};
use crate::{AppState, Site};

/// Organisations shown: a county's directory has a few thousand.
const MOST: u32 = 5_000;

struct OrganisationRow {
    id: String,
    name: String,
    approved: Option<String>,
    staff: usize,
}

#[derive(Template)]
#[template(path = "staff/organisations.html")]
struct OrganisationsPage<'a> {
    site: &'a Site,
    csrf: String,
    waiting: Vec<OrganisationRow>,
    approved: Vec<OrganisationRow>,
}

/// `/staff/organisations`: those waiting for approval first.
pub(crate) async fn list(State(state): State<AppState>, allowed: Allowed) -> PageResult {
    let organisations = state.store.organizations(0, MOST).await?;
    let (mut waiting, mut approved) = (Vec::new(), Vec::new());
    for org in organisations {
        let id = OrganizationId(org.id);
        let approval = state.store.organization_approval(id).await?;
        let staff = match state.store.organization_members(id).await {
            Ok(members) => members.len(),
            Err(e) => return Err(e.into()),
        };
        let row = OrganisationRow {
            id: org.id.to_string(),
            name: org.name,
            approved: approval.map(|a| day(a.approved_at.date_naive())),
            staff,
        };
        if row.approved.is_some() {
            approved.push(row);
        } else {
            waiting.push(row);
        }
    }
    Ok(render(
        &OrganisationsPage {
            site: &state.site,
            csrf: allowed.signed_in.csrf_secret.clone(),
            waiting,
            approved,
        },
        StatusCode::OK,
    ))
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct DecisionForm {
    /// `approve` or `withdraw`.
    #[serde(default)]
    decision: String,
}

pub(crate) async fn decide(
    State(state): State<AppState>,
    allowed: Allowed,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> PageResult {
    let action = Action::ApproveOrganization;
    let Ok(id) = Uuid::parse_str(&id) else {
        return Err(PageError::NotFound("organisation"));
    };
    match state.store.organization(id).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(PageError::NotFound("organisation")),
        Err(e) => return Err(e.into()),
    }
    let org = OrganizationId(id);
    let done = match form.decision.as_str() {
        "approve" => state
            .store
            .approve_organization(org, allowed.signed_in.user.id, allowed.stamp.at)
            .await
            .map(|_| ()),
        "withdraw" => state
            .store
            .withdraw_organization_approval(org)
            .await
            .map(|_| ()),
        _ => {
            return Ok(Notice::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Please choose",
                "Choose to approve the organisation or to withdraw its approval.",
            )
            .link("/staff/organisations", "Back to organisations")
            .into_response());
        }
    };
    if let Err(e) = done {
        return Err(PageError::internal(e));
    }
    let event = knit_domain::audit::NewAuditEvent::for_decision(
        &allowed.signed_in.actor,
        &action,
        &Decision::Allow {
            as_role: allowed.stamp.role,
        },
        "organization",
        Some(id.to_string()),
        Some(address),
        allowed.stamp.at,
    );
    if let Err(e) = state.store.append_audit(event).await {
        tracing::error!(error = %e, "audit event not written");
    }
    Ok(see_other("/staff/organisations"))
}
