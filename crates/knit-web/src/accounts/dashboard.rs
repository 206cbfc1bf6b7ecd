//! `/staff`: where a signed-in member of staff lands. For now it says who is signed in and
//! in which roles, and offers signing out; later issues hang their work off it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use knit_domain::access::{Action, decide};
use knit_domain::account::{Actor, Membership, OrganizationId};

use crate::kit::{Allowed, PageResult, render};
use crate::{AppState, Site};

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage<'a> {
    site: &'a Site,
    csrf: String,
    name: String,
    roles: String,
    can_invite: bool,
    can_manage_users: bool,
    can_read_audit: bool,
    /// The listing pages this person may use, as (path, label).
    listing_links: Vec<(&'static str, &'static str)>,
    /// Casework pages this person may use, as (path, label).
    casework_links: Vec<(&'static str, &'static str)>,
    /// The Local Connector pages this person may use, as (path, label).
    connector_links: Vec<(&'static str, &'static str)>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
) -> PageResult {
    let roles: Vec<String> = signed_in
        .user
        .memberships
        .iter()
        .map(|m| m.role().label().to_lowercase())
        .collect();
    Ok(render(
        &DashboardPage {
            site: &state.site,
            csrf: signed_in.csrf_secret.clone(),
            name: signed_in.user.name.clone(),
            roles: roles.join(", "),
            can_invite: may_invite(&signed_in.actor),
            can_manage_users: decide(&signed_in.actor, &Action::ManageUsers).is_allowed(),
            can_read_audit: decide(&signed_in.actor, &Action::ReadAuditLog).is_allowed(),
            listing_links: listing_links(&signed_in.actor),
            casework_links: casework_links(&signed_in.actor),
            connector_links: connector_links(&signed_in.actor),
        },
        StatusCode::OK,
    ))
}

/// `/staff/` with its slash, for people who type it: the dashboard decides who may see it.
pub(crate) async fn to_dashboard() -> Response {
    Redirect::to("/staff").into_response()
}

/// Whether the actor may invite anyone at all: a place lead, or an organisation's lead into
/// their own organisation.
fn may_invite(actor: &Actor) -> bool {
    let own = actor
        .memberships()
        .iter()
        .filter_map(|m| m.organization())
        .map(Membership::partner_staff);
    std::iter::once(Membership::coordinator())
        .chain(own)
        .any(|m| decide(actor, &Action::InviteUser(m)).is_allowed())
}

/// Links to the listing pages: an organisation's own listings for whoever may propose changes
/// to them, the pending changes for whoever may review them.
fn listing_links(actor: &Actor) -> Vec<(&'static str, &'static str)> {
    let proposes = actor
        .memberships()
        .iter()
        .filter_map(|m| m.organization())
        .any(|org| decide(actor, &Action::SuggestListingEdit(org)).is_allowed());
    let reviews = decide(actor, &Action::ApproveListingEdit).is_allowed();
    let answers = decide(
        actor,
        &Action::ReplyToProblemReport(OrganizationId(uuid::Uuid::nil())),
    )
    .is_allowed()
        || actor
            .memberships()
            .iter()
            .filter_map(|m| m.organization())
            .any(|org| decide(actor, &Action::ReplyToProblemReport(org)).is_allowed());
    [
        (proposes, ("/staff/listings", "Your listings")),
        (reviews, ("/staff/listing-changes", "Listing changes")),
        (
            reviews,
            (
                "/staff/listings/unchecked",
                "Listings not checked for a year",
            ),
        ),
        (answers, ("/staff/problems", "Problems reported")),
    ]
    .into_iter()
    .filter_map(|(shown, link)| shown.then_some(link))
    .collect()
}

/// Links to casework: the queue and caseload for coordinators, the referral inbox for
/// partner staff, records to review for place leads.
fn casework_links(actor: &Actor) -> Vec<(&'static str, &'static str)> {
    let works_inbox = !crate::referrals::inbox_organisations(actor).is_empty();
    [
        (
            decide(actor, &Action::TriageIntakes).is_allowed(),
            ("/staff/intakes", "Requests for help"),
        ),
        (
            decide(actor, &Action::ReadPerson).is_allowed(),
            ("/staff/people", "My people"),
        ),
        (
            works_inbox,
            ("/staff/inbox", "Referrals to your organisation"),
        ),
        (
            decide(actor, &Action::ErasePerson).is_allowed(),
            ("/staff/retention", "Records to review"),
        ),
        (
            decide(actor, &Action::ViewReports).is_allowed(),
            ("/staff/matcher", "Where the needs matcher is weak"),
        ),
        (
            decide(actor, &Action::ViewReports).is_allowed(),
            (
                "/staff/insight",
                "Place insight: agency map, network, impact",
            ),
        ),
    ]
    .into_iter()
    .filter_map(|(shown, link)| shown.then_some(link))
    .collect()
}

/// Links to the Local Connector pages: a connector's phone page, figures and postcards; a
/// place lead's training and figures. Each shown only to whom `decide` allows.
fn connector_links(actor: &Actor) -> Vec<(&'static str, &'static str)> {
    [
        (
            Action::LogConversation,
            ("/staff/conversations", "I had a conversation"),
        ),
        (
            Action::ViewOwnConnectorFigures,
            ("/staff/my-figures", "My figures"),
        ),
        (
            Action::PrintOwnPostcards,
            ("/staff/postcards", "My postcards"),
        ),
        (Action::ManageTraining, ("/staff/training", "Training")),
        (
            Action::RunMatchEvents,
            ("/staff/volunteering/events", "Volunteer match events"),
        ),
        (
            Action::ViewReports,
            ("/staff/connectors/figures", "Local Connector figures"),
        ),
    ]
    .into_iter()
    .filter(|(action, _)| decide(actor, action).is_allowed())
    .map(|(_, link)| link)
    .collect()
}
