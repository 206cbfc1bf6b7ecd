//! Listing changes: partner staff propose changes to their own organisation's services
//! (`/staff/listings`), and place leads approve, approve with edits, or reject them
//! (`/staff/listing-changes`). A proposal never touches the directory; an approval writes it
//! to the store and the running search index at once, so the public pages show it straight
//! away. Who may do what is `knit_domain::access::decide`, asked by the gate; the
//! one-decision rule is `knit_domain::listing_change::review`, applied by the store.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use knit_domain::Service;
use knit_domain::access::{Action, decide};
use knit_domain::account::OrganizationId;
use knit_domain::audit::NewAuditEvent;
use knit_domain::listing_change::{Freshness, ReviewRefused, staleness};
use knit_store::ServiceFilter;
use knit_store::accounts::{ListingChange, ListingChangeError, ListingReview, NewListingChange};
use uuid::Uuid;

use crate::kit::session::SignedIn;

use crate::kit::{Allowed, ClientAddress, FieldError, Notice, PageError, PageResult, render};
use crate::{AppState, Site};

/// The most services listed for one organisation on `/staff/listings`.
const SERVICES_PER_ORGANIZATION: u32 = 500;

/// One service in the partner's list.
struct ListingRow {
    id: String,
    name: String,
    last_checked: String,
    /// "Check it now" when 6 months or more unchecked; empty when fresh.
    due: &'static str,
}

fn due_label(freshness: Freshness) -> &'static str {
    match freshness {
        Freshness::Fresh => "",
        Freshness::ReminderDue => "Due for a check",
        Freshness::Flagged => "Not checked for a year",
    }
}

/// One of the organisation's proposals and what became of it.
struct ProposalRow {
    service: String,
    proposed_at: String,
    outcome: String,
}

#[derive(Template)]
#[template(path = "staff/listings.html")]
struct ListingsPage<'a> {
    site: &'a Site,
    listings: Vec<ListingRow>,
    proposals: Vec<ProposalRow>,
}

/// Proposals shown per organisation: the recent ones are what staff ask about.
const PROPOSALS_SHOWN: u32 = 30;

fn outcome(status: &knit_domain::listing_change::ListingChangeStatus) -> String {
    use knit_domain::listing_change::ListingChangeStatus as S;
    match status {
        S::Pending => "Waiting for a place lead".to_owned(),
        S::Approved => "Approved".to_owned(),
        S::ApprovedWithEdits => "Approved with edits".to_owned(),
        S::Rejected { reason } => format!("Not approved: {reason}"),
    }
}

/// `/staff/listings`: the services of every organisation the signed-in person may propose
/// changes for. Anyone on staff may open it; it lists only what `decide` allows them.
pub(crate) async fn list(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
) -> PageResult {
    let now = Utc::now();
    let organizations = signed_in
        .actor
        .memberships()
        .iter()
        .filter_map(|m| m.organization())
        .filter(|org| decide(&signed_in.actor, &Action::SuggestListingEdit(*org)).is_allowed());
    let mut listings = Vec::new();
    let mut proposals = Vec::new();
    for org in organizations {
        match state.store.listing_changes_of(org, PROPOSALS_SHOWN).await {
            Ok(changes) => proposals.extend(changes.iter().map(|c| ProposalRow {
                service: c.proposed.name.clone(),
                proposed_at: c.proposed_at.format("%-d %b %Y").to_string(),
                outcome: outcome(&c.status),
            })),
            Err(e) => return Err(e.into()),
        }
        let filter = ServiceFilter {
            organization_id: Some(org.0),
            ..ServiceFilter::default()
        };
        let services = state
            .store
            .services_after(None, SERVICES_PER_ORGANIZATION, &filter)
            .await;
        match services {
            Ok(services) => listings.extend(services.iter().map(|s| {
                ListingRow {
                    id: s.id.to_string(),
                    name: s.name.clone(),
                    last_checked: s
                        .assured_date
                        .map_or_else(|| "never".to_owned(), |d| d.to_string()),
                    due: due_label(staleness(s.assured_date, now.date_naive())),
                }
            })),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(render(
        &ListingsPage {
            site: &state.site,
            listings,
            proposals,
        },
        StatusCode::OK,
    ))
}

/// The fields partner staff change most, as the form holds them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub(crate) struct ListingForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    url: String,
    /// "These details are still right": sets the last-checked date to today.
    #[serde(default)]
    confirm: Option<String>,
    /// On the review page: `approve`, `approve_with_edits` or `reject`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

impl ListingForm {
    fn from_service(service: &Service) -> ListingForm {
        ListingForm {
            name: service.name.clone(),
            description: service.description.clone().unwrap_or_default(),
            email: service.email.clone().unwrap_or_default(),
            url: service.url.clone().unwrap_or_default(),
            ..ListingForm::default()
        }
    }

    /// `base` with this form's fields written over it, or the first mistake.
    fn apply(&self, base: &Service, today: chrono::NaiveDate) -> Result<Service, FieldError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(FieldError::new("name", "Enter the service's name"));
        }
        let email = self.email.trim();
        if !email.is_empty() && !email.contains('@') {
            return Err(FieldError::new(
                "email",
                "Enter an email address like name@example.org, or leave it empty",
            ));
        }
        let url = self.url.trim();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            return Err(FieldError::new(
                "url",
                "Enter a website starting https://, or leave it empty",
            ));
        }
        let optional = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let mut service = base.clone();
        service.name = name.to_owned();
        service.description = optional(&self.description);
        service.email = optional(email);
        service.url = optional(url);
        if self.confirm.is_some() {
            service.assured_date = Some(today);
        }
        Ok(service)
    }
}

#[derive(Template)]
#[template(path = "staff/listing_edit.html")]
struct EditPage<'a> {
    site: &'a Site,
    csrf: String,
    service_id: String,
    form: ListingForm,
    error: Option<FieldError>,
}

/// The service the path names with its organisation, once the visitor may propose changes
/// to that organisation's listings.
async fn find_service(
    state: &AppState,
    allowed: &mut Allowed,
    id: &str,
) -> Result<(Service, OrganizationId), PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("listing"))?;
    let service = state
        .store
        .service(id)
        .await?
        .ok_or(PageError::NotFound("listing"))?;
    let org = OrganizationId(service.organization_id);
    allowed
        .require(state, &Action::SuggestListingEdit(org))
        .await?;
    Ok((service, org))
}

pub(crate) async fn edit_form(
    State(state): State<AppState>,
    mut allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let (service, _) = find_service(&state, &mut allowed, &id).await?;
    let form = ListingForm::from_service(&service);
    Ok(edit_page(
        &state.site,
        &allowed.signed_in,
        &service,
        form,
        None,
    ))
}

fn edit_page(
    site: &Site,
    signed_in: &SignedIn,
    service: &Service,
    form: ListingForm,
    error: Option<FieldError>,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &EditPage {
            site,
            csrf: signed_in.csrf_secret.clone(),
            service_id: service.id.to_string(),
            form,
            error,
        },
        status,
    )
}

pub(crate) async fn propose(
    State(state): State<AppState>,
    mut allowed: Allowed,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<ListingForm>,
) -> PageResult {
    let now = allowed.stamp.at;
    let site = &state.site;
    let (service, org) = find_service(&state, &mut allowed, &id).await?;
    let action = allowed.action;
    let signed_in = &allowed.signed_in;
    let proposed = match form.apply(&service, now.date_naive()) {
        Ok(proposed) => proposed,
        Err(error) => return Ok(edit_page(site, signed_in, &service, form, Some(error))),
    };
    let change = NewListingChange {
        organization: org,
        proposed,
        proposed_by: signed_in.user.id,
        at: now,
    };
    Ok(match state.store.propose_listing_change(change).await {
        Ok(change) => {
            audit(&state, signed_in, &action, &change, &address, now).await;
            Notice::new(
                StatusCode::OK,
                "Change sent for approval",
                "Thank you. A place lead will check your change; the directory shows it once \
                 they approve it.",
            )
            .link("/staff/listings", "Back to your listings")
            .into_response()
        }
        Err(ListingChangeError::WrongOrganization) => Notice::new(
            StatusCode::FORBIDDEN,
            "You cannot do this",
            "This listing belongs to another organisation.",
        )
        .link("/staff/listings", "Back to your listings")
        .into_response(),
        Err(e) => return Err(PageError::internal(e)),
    })
}

/// A field that differs between the listing as published and as proposed.
struct FieldChange {
    field: &'static str,
    old: String,
    new: String,
}

/// The fields the pages compare, as (label, value) of one version of a listing.
fn compared_fields(service: &Service) -> [(&'static str, String); 5] {
    let text = |s: &Option<String>| s.clone().unwrap_or_default();
    [
        ("Name", service.name.clone()),
        ("Description", text(&service.description)),
        ("Email", text(&service.email)),
        ("Website", text(&service.url)),
        (
            "Last checked",
            service
                .assured_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
    ]
}

fn differences(current: Option<&Service>, proposed: &Service) -> Vec<FieldChange> {
    let old = current.map(compared_fields);
    compared_fields(proposed)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (field, new))| {
            let old = old.as_ref().map(|o| o[i].1.clone()).unwrap_or_default();
            (old != new).then_some(FieldChange { field, old, new })
        })
        .collect()
}

/// One pending change as the place lead's pages show it.
struct ChangeRow {
    id: String,
    organization: String,
    service: String,
    proposed_by: String,
    proposed_at: String,
    changes: Vec<FieldChange>,
}

async fn change_row(state: &AppState, change: &ListingChange) -> Result<ChangeRow, PageError> {
    let store = state.store.as_ref();
    let current = store.service(change.service_id).await?;
    let organization = store
        .organization(change.organization.0)
        .await?
        .map_or_else(|| change.organization.to_string(), |o| o.name);
    let proposed_by = store
        .user(change.proposed_by)
        .await?
        .map_or_else(|| change.proposed_by.to_string(), |u| u.name);
    Ok(ChangeRow {
        id: change.id.to_string(),
        organization,
        service: change.proposed.name.clone(),
        proposed_by,
        proposed_at: change.proposed_at.format("%-d %B %Y %H:%M").to_string(),
        changes: differences(current.as_ref(), &change.proposed),
    })
}

#[derive(Template)]
#[template(path = "staff/listing_changes.html")]
struct ChangesPage<'a> {
    site: &'a Site,
    changes: Vec<ChangeRow>,
}

/// `/staff/listing-changes`: every change waiting for a place lead, oldest first.
pub(crate) async fn pending(State(state): State<AppState>) -> PageResult {
    let pending = state.store.pending_listing_changes(None).await?;
    let mut changes = Vec::with_capacity(pending.len());
    for change in &pending {
        changes.push(change_row(&state, change).await?);
    }
    Ok(render(
        &ChangesPage {
            site: &state.site,
            changes,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "staff/listing_change.html")]
struct ChangePage<'a> {
    site: &'a Site,
    csrf: String,
    change: ChangeRow,
    status: &'static str,
    is_pending: bool,
    form: ListingForm,
    error: Option<FieldError>,
    /// Whether a place lead has approved the proposing organisation as a partner.
    organization_approved: bool,
}

/// The change the path names, if there is one.
async fn find_change(state: &AppState, id: &str) -> Result<Option<ListingChange>, PageError> {
    let Ok(id) = Uuid::parse_str(id) else {
        return Ok(None);
    };
    Ok(state.store.listing_change(id).await?)
}

/// Where an unknown change's link goes: the list of pending changes, which is where anyone
/// following an old link wants to be.
fn back_to_pending() -> Response {
    Redirect::to("/staff/listing-changes").into_response()
}

async fn change_page(
    state: &AppState,
    signed_in: &SignedIn,
    change: &ListingChange,
    form: ListingForm,
    error: Option<FieldError>,
) -> PageResult {
    let row = change_row(state, change).await?;
    let organization_approved = match state.store.organization_approval(change.organization).await {
        Ok(approval) => approval.is_some(),
        Err(e) => return Err(e.into()),
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        &ChangePage {
            site: &state.site,
            csrf: signed_in.csrf_secret.clone(),
            change: row,
            status: change.status.code(),
            is_pending: !change.status.is_decided(),
            form,
            error,
            organization_approved,
        },
        status,
    ))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let Some(change) = find_change(&state, &id).await? else {
        return Ok(back_to_pending());
    };
    let form = ListingForm::from_service(&change.proposed);
    change_page(&state, &signed_in, &change, form, None).await
}

pub(crate) async fn decide_change(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    ClientAddress(address): ClientAddress,
    Path(id): Path<String>,
    Form(form): Form<ListingForm>,
) -> PageResult {
    let now = Utc::now();
    let action = Action::ApproveListingEdit;
    let Some(change) = find_change(&state, &id).await? else {
        return Ok(back_to_pending());
    };
    let review = match form.decision.as_str() {
        "approve" => ListingReview::Approve,
        "approve_with_edits" => match form.apply(&change.proposed, now.date_naive()) {
            Ok(edited) => ListingReview::ApproveWithEdits(Box::new(edited)),
            Err(error) => return change_page(&state, &signed_in, &change, form, Some(error)).await,
        },
        "reject" => ListingReview::Reject {
            reason: form.reason.clone(),
        },
        _ => {
            let error = FieldError::new("decision", "Choose approve, approve with edits or reject");
            return change_page(&state, &signed_in, &change, form, Some(error)).await;
        }
    };
    let decided = state
        .store
        .review_listing_change(change.id, &signed_in.actor, review, now)
        .await;
    let decided = match decided {
        Ok(decided) => decided,
        Err(ListingChangeError::Refused(ReviewRefused::ReasonRequired)) => {
            let error = FieldError::new("reason", ReviewRefused::ReasonRequired);
            return change_page(&state, &signed_in, &change, form, Some(error)).await;
        }
        Err(ListingChangeError::Refused(ReviewRefused::AlreadyDecided)) => {
            return Ok(Notice::new(
                StatusCode::CONFLICT,
                "Already decided",
                ReviewRefused::AlreadyDecided,
            )
            .link("/staff/listing-changes", "Back to the pending changes")
            .into_response());
        }
        Err(e) => return Err(PageError::internal(e)),
    };
    // The store wrote the approved listing with the decision; search shows it at once.
    if let Some(approved) = &decided.approved {
        state.engine.upsert_all(std::slice::from_ref(approved));
    }
    audit(&state, &signed_in, &action, &decided, &address, now).await;
    Ok(Redirect::to("/staff/listing-changes").into_response())
}

/// Records a proposal or a decision against the change, in the role that allowed it. The
/// outcome of a decision (approved or rejected) is on the change itself.
async fn audit(
    state: &AppState,
    signed_in: &SignedIn,
    action: &Action,
    change: &ListingChange,
    address: &str,
    now: DateTime<Utc>,
) {
    let decision = decide(&signed_in.actor, action);
    let new = NewAuditEvent::for_decision(
        &signed_in.actor,
        action,
        &decision,
        "listing_change",
        Some(change.id.to_string()),
        Some(address.to_owned()),
        now,
    );
    if let Err(e) = state.store.append_audit(new).await {
        tracing::error!(error = %e, action = action.code(), "audit event not written");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service() -> Service {
        serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000001",
            "organization_id": "00000000-0000-0000-0000-00000000000a",
            "name": "Food bank",
            "description": "Food parcels",
            "status": "active"
        }))
        .expect("a service")
    }

    #[test]
    fn the_form_changes_only_its_fields_and_shows_what_differs() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let current = service();
        let mut form = ListingForm::from_service(&current);
        form.description = "  Food parcels on Fridays ".to_owned();
        form.confirm = Some("yes".to_owned());
        let Ok(proposed) = form.apply(&current, today) else {
            panic!("the form is valid")
        };
        assert_eq!(
            proposed.description.as_deref(),
            Some("Food parcels on Fridays")
        );
        assert_eq!(proposed.assured_date, Some(today));
        let changed: Vec<&str> = differences(Some(&current), &proposed)
            .iter()
            .map(|c| c.field)
            .collect();
        assert_eq!(changed, ["Description", "Last checked"]);
    }

    #[test]
    fn a_listing_needs_a_name_and_a_plausible_email_and_website() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let current = service();
        let mut form = ListingForm::from_service(&current);
        form.name = " ".to_owned();
        assert_eq!(form.apply(&current, today).err().unwrap().field, "name");
        form.name = "Food bank".to_owned();
        form.email = "nobody".to_owned();
        assert_eq!(form.apply(&current, today).err().unwrap().field, "email");
        form.email = String::new();
        form.url = "javascript:alert(1)".to_owned();
        assert_eq!(form.apply(&current, today).err().unwrap().field, "url");
    }
}

struct UncheckedRow {
    id: String,
    name: String,
    organisation: String,
    last_checked: String,
}

#[derive(Template)]
#[template(path = "staff/listings_unchecked.html")]
struct UncheckedPage<'a> {
    site: &'a Site,
    rows: Vec<UncheckedRow>,
}

/// `/staff/listings/unchecked`: for place leads, every listing not checked for a year,
/// oldest first, so they can chase the organisation or withdraw it.
pub(crate) async fn unchecked(State(state): State<AppState>) -> PageResult {
    let now = Utc::now();
    let today = knit_domain::opening::uk_local(now).date();
    let mut rows: Vec<(Option<chrono::NaiveDate>, UncheckedRow)> = Vec::new();
    let mut after = None;
    let mut names = std::collections::HashMap::new();
    loop {
        let page = state
            .store
            .services_after(after, 1_000, &ServiceFilter::default())
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for s in &page {
            if staleness(s.assured_date, today) != Freshness::Flagged {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(s.organization_id)
            {
                match state.store.organization(s.organization_id).await {
                    Ok(org) => slot.insert(org.map(|o| o.name).unwrap_or_default()),
                    Err(e) => return Err(e.into()),
                };
            }
            rows.push((
                s.assured_date,
                UncheckedRow {
                    id: s.id.to_string(),
                    name: s.name.clone(),
                    organisation: names[&s.organization_id].clone(),
                    last_checked: s
                        .assured_date
                        .map_or_else(|| "never".to_owned(), |d| d.to_string()),
                },
            ));
        }
        if page.len() < 1_000 {
            break;
        }
    }
    rows.sort_by_key(|(checked, _)| *checked);
    Ok(render(
        &UncheckedPage {
            site: &state.site,
            rows: rows.into_iter().map(|(_, row)| row).collect(),
        },
        StatusCode::OK,
    ))
}
