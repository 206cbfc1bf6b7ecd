//! `/staff`: where a signed-in member of staff lands. For now it says who is signed in and
//! in which roles, and offers signing out; later issues hang their work off it.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use knit_domain::access::{Action, Denial, decide};
use knit_domain::account::{Actor, Membership};

use super::session;
use super::sign_in::next_step;
use super::two_factor::denied;
use super::{ClientAddress, audit_decision, internal, render};
use crate::{AppState, Site};

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage<'a> {
    site: &'a Site,
    csrf: String,
    name: String,
    roles: String,
    can_invite: bool,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
) -> Response {
    let store = state.store.as_ref();
    let now = Utc::now();
    let signed_in = match session::current(store, &headers, now).await {
        Ok(s) => s,
        Err(e) => return internal(&state.site, e),
    };
    let actor = signed_in
        .as_ref()
        .map_or(Actor::Anonymous, |s| s.actor.clone());
    let action = Action::ViewDashboard;
    let decision = decide(&actor, &action);
    match (decision.denial(), &signed_in) {
        // Two-factor is optional for a connector, but one who turned it on finishes signing
        // in with it: otherwise the second step could be skipped by coming straight here.
        (None, Some(signed_in))
            if next_step(&signed_in.user, &signed_in.actor) == "/staff/two-factor" =>
        {
            Redirect::to("/staff/two-factor").into_response()
        }
        (None, Some(signed_in)) => {
            let roles: Vec<String> = signed_in
                .user
                .memberships
                .iter()
                .map(|m| m.role().label().to_lowercase())
                .collect();
            render(
                &DashboardPage {
                    site: &state.site,
                    csrf: signed_in.csrf_secret.clone(),
                    name: signed_in.user.name.clone(),
                    roles: roles.join(", "),
                    can_invite: may_invite(&signed_in.actor),
                },
                StatusCode::OK,
            )
        }
        (Some(Denial::NotSignedIn), _) | (None, None) => {
            Redirect::to("/staff/sign-in").into_response()
        }
        // Someone with no session is simply sent to sign in: an anonymous hit on /staff is
        // not worth a line in the audit log. Every refusal of a signed-in user is.
        (Some(Denial::NeedsTwoFactor), Some(signed_in)) => {
            audit_decision(store, &actor, &action, &decision, &address, now).await;
            Redirect::to(next_step(&signed_in.user, &signed_in.actor)).into_response()
        }
        (Some(denial), _) => {
            audit_decision(store, &actor, &action, &decision, &address, now).await;
            denied(&state.site, denial)
        }
    }
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
