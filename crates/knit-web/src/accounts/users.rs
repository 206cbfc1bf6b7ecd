//! `/staff/users`: place leads see every account with its status and roles, add or remove a
//! role, suspend someone (which ends their sessions at once) and reinstate them. Each page
//! passes the gate with its own action (`crate::routes`), and each change is audited.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use knit_domain::account::{Membership, OrganizationId, Role, UserId, UserStatus};
use knit_domain::audit::{AccountEvent, NewAuditEvent, Outcome};
use knit_store::accounts::User;
use uuid::Uuid;

use crate::kit::session::SignedIn;
use crate::kit::{Allowed, FieldError, Notice, PageError, PageResult, render};
use crate::{AppState, Site};

/// Accounts shown per page of the list.
pub const USERS_PER_PAGE: u32 = 50;

/// One account as the pages show it.
struct UserRow {
    id: String,
    name: String,
    email: String,
    status: &'static str,
    roles: Vec<RoleRow>,
}

struct RoleRow {
    /// The membership as the remove button sends it back.
    value: String,
    label: String,
}

fn row(user: &User) -> UserRow {
    UserRow {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.as_str().to_owned(),
        status: user.status.code(),
        roles: user
            .memberships
            .iter()
            .map(|m| RoleRow {
                value: membership_value(m),
                label: membership_label(m),
            })
            .collect(),
    }
}

/// A membership as a form value: its role code, then `:` and the organisation id if any.
pub fn membership_value(m: &Membership) -> String {
    let role = if m.is_organization_lead() {
        "organization_lead"
    } else {
        m.role().code()
    };
    match m.organization() {
        Some(org) => format!("{role}:{org}"),
        None => role.to_owned(),
    }
}

/// The inverse of [`membership_value`]; `None` for anything that is not a valid membership.
pub fn parse_membership(value: &str) -> Option<Membership> {
    let (role, org) = match value.trim().split_once(':') {
        Some((role, org)) => (
            role,
            Some(OrganizationId(Uuid::parse_str(org.trim()).ok()?)),
        ),
        None => (value.trim(), None),
    };
    match (role, org) {
        ("organization_lead", Some(org)) => Some(Membership::organization_lead(org)),
        (code, org) => Membership::new(Role::from_code(code).ok()?, org, false).ok(),
    }
}

fn membership_label(m: &Membership) -> String {
    let lead = if m.is_organization_lead() {
        " (organisation lead)"
    } else {
        ""
    };
    match m.organization() {
        Some(org) => format!("{}{lead}, organisation {org}", m.role().label()),
        None => m.role().label().to_owned(),
    }
}

#[derive(Template)]
#[template(path = "staff/users.html")]
struct UsersPage<'a> {
    site: &'a Site,
    users: Vec<UserRow>,
    page: u64,
    pages: u64,
}

#[derive(serde::Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    page: Option<u64>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> PageResult {
    let store = state.store.as_ref();
    let page = query.page.unwrap_or(1).max(1);
    let total = store.count_users().await?;
    let pages = total.div_ceil(u64::from(USERS_PER_PAGE)).max(1);
    let offset = (page - 1).saturating_mul(u64::from(USERS_PER_PAGE));
    let users = store.users(offset, USERS_PER_PAGE).await?;
    Ok(render(
        &UsersPage {
            site: &state.site,
            users: users.iter().map(row).collect(),
            page,
            pages,
        },
        StatusCode::OK,
    ))
}

#[derive(Template)]
#[template(path = "staff/users_user.html")]
struct UserPage<'a> {
    site: &'a Site,
    csrf: String,
    user: UserRow,
    is_self: bool,
    suspended: bool,
    active: bool,
    role_choices: Vec<(&'static str, &'static str)>,
    error: Option<FieldError>,
    organization: String,
}

/// The roles the add-a-role form offers, as (code, label).
const ROLE_CHOICES: [(&str, &str); 5] = [
    ("place_lead", "Place lead"),
    ("coordinator", "Coordinator"),
    ("connector", "Connector"),
    ("partner_staff", "Partner staff (give the organisation)"),
    (
        "organization_lead",
        "Organisation lead (give the organisation)",
    ),
];

fn user_page(
    site: &Site,
    signed_in: &SignedIn,
    user: &User,
    error: Option<FieldError>,
    organization: String,
) -> Response {
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        &UserPage {
            site,
            csrf: signed_in.csrf_secret.clone(),
            user: row(user),
            is_self: signed_in.user.id == user.id,
            suspended: user.status == UserStatus::Suspended,
            active: user.status == UserStatus::Active,
            role_choices: ROLE_CHOICES.to_vec(),
            error,
            organization,
        },
        status,
    )
}

/// The user the path names, or the page that says there is none.
async fn find(state: &AppState, id: &str) -> Result<User, PageError> {
    let id = Uuid::parse_str(id).map_err(|_| PageError::NotFound("user"))?;
    state
        .store
        .user(UserId(id))
        .await?
        .ok_or(PageError::NotFound("user"))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Allowed { signed_in, .. }: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    let user = find(&state, &id).await?;
    Ok(user_page(
        &state.site,
        &signed_in,
        &user,
        None,
        String::new(),
    ))
}

#[derive(serde::Deserialize)]
pub(crate) struct RoleForm {
    /// A role code to add (with `organization` for partner roles)…
    #[serde(default)]
    add: String,
    #[serde(default)]
    organization: String,
    /// …or a membership, as [`membership_value`] writes it, to remove.
    #[serde(default)]
    remove: String,
}

pub(crate) async fn change_role(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> PageResult {
    let signed_in = &allowed.signed_in;
    let site = &state.site;
    let user = find(&state, &id).await?;
    let store = state.store.as_ref();
    let retry = |field, text: &str| {
        let error = Some(FieldError::new(field, text));
        user_page(site, signed_in, &user, error, form.organization.clone())
    };
    let changed = if !form.remove.is_empty() {
        let Some(membership) = parse_membership(&form.remove) else {
            return Ok(retry("add", "That role is not one this account holds"));
        };
        // A place lead cannot take away their own place-lead role: the place could be left
        // with nobody able to manage accounts.
        if user.id == signed_in.user.id && membership.role() == Role::PlaceLead {
            return Ok(retry("add", "You cannot remove your own place lead role"));
        }
        store.remove_membership(user.id, membership).await
    } else {
        let value = if form.organization.trim().is_empty() {
            form.add.clone()
        } else {
            format!("{}:{}", form.add, form.organization.trim())
        };
        let Some(membership) = parse_membership(&value) else {
            return Ok(retry(
                "add",
                "Choose a role; partner staff and organisation leads need an organisation id, \
                 other roles none",
            ));
        };
        store
            .add_membership(user.id, membership)
            .await
            .map(|()| true)
    };
    Ok(match changed {
        Ok(true) => {
            audit_change(&state, &allowed, AccountEvent::RoleChanged, user.id).await;
            Redirect::to(&format!("/staff/users/{}", user.id)).into_response()
        }
        Ok(false) => retry("add", "That role is not one this account holds"),
        Err(e) => return Err(e.into()),
    })
}

pub(crate) async fn suspend(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    set_status(&state, &allowed, &id, UserStatus::Suspended).await
}

pub(crate) async fn reinstate(
    State(state): State<AppState>,
    allowed: Allowed,
    Path(id): Path<String>,
) -> PageResult {
    set_status(&state, &allowed, &id, UserStatus::Active).await
}

async fn set_status(
    state: &AppState,
    allowed: &Allowed,
    id: &str,
    status: UserStatus,
) -> PageResult {
    let signed_in = &allowed.signed_in;
    let user = find(state, id).await?;
    let back = format!("/staff/users/{}", user.id);
    let refuse = |text: &str| {
        Notice::new(StatusCode::CONFLICT, "This cannot be done", text)
            .link(&back, "Back to the account")
            .into_response()
    };
    let event = match status {
        UserStatus::Suspended if user.id == signed_in.user.id => {
            return Ok(refuse(
                "You cannot suspend yourself; ask another place lead.",
            ));
        }
        UserStatus::Suspended if user.status != UserStatus::Active => {
            return Ok(refuse("Only an active account can be suspended."));
        }
        // An invited account becomes active by accepting its invitation, never from here.
        UserStatus::Active if user.status != UserStatus::Suspended => {
            return Ok(refuse("Only a suspended account can be reinstated."));
        }
        UserStatus::Suspended => AccountEvent::Suspended,
        _ => AccountEvent::Reinstated,
    };
    let store = state.store.as_ref();
    let ended = store.set_user_status(user.id, status).await?;
    audit_change(state, allowed, event, user.id).await;
    if ended > 0 {
        audit_change(state, allowed, AccountEvent::SessionEnded, user.id).await;
    }
    Ok(Redirect::to(&back).into_response())
}

/// Records a change to `subject`'s account, in the role that allowed it: the audit log
/// then says a place lead did it, not merely who.
async fn audit_change(state: &AppState, allowed: &Allowed, event: AccountEvent, subject: UserId) {
    let mut new = NewAuditEvent::for_account_event(
        event,
        Some(allowed.user_id()),
        Some(subject),
        Outcome::Succeeded,
        allowed.stamp.address.clone(),
        allowed.stamp.at,
    );
    new.actor_role = allowed.stamp.role;
    if let Err(e) = state.store.append_audit(new).await {
        tracing::error!(error = %e, event = event.code(), "audit event not written");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_membership_survives_the_form_and_nonsense_does_not() {
        let org = OrganizationId(Uuid::from_u128(0xf00d));
        for m in [
            Membership::place_lead(),
            Membership::coordinator(),
            Membership::connector(),
            Membership::partner_staff(org),
            Membership::organization_lead(org),
        ] {
            assert_eq!(parse_membership(&membership_value(&m)), Some(m));
        }
        assert_eq!(parse_membership("partner_staff"), None);
        assert_eq!(parse_membership("coordinator:not-a-uuid"), None);
        assert_eq!(
            parse_membership(&format!("coordinator:{org}")),
            None,
            "a coordinator belongs to no organisation"
        );
        assert_eq!(parse_membership("admin"), None);
    }
}
