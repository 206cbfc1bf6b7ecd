//! Invitations: a place lead (anyone, any role) or an organisation's lead (colleagues into
//! their own organisation) invites someone by email; the link lets them choose a password,
//! once, within a week. Who may invite whom is `knit_domain::access::decide`'s answer to
//! `Action::InviteUser`.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, Utc};
use knit_domain::access::{Action, Denial, decide};
use knit_domain::account::{Actor, Email, Membership, OrganizationId, UserId, UserStatus};
use knit_domain::audit::{AccountEvent, NewAuditEvent, Outcome};
use knit_domain::session::{EmailedLink, TOKEN_BYTES};
use knit_store::Store;
use knit_store::accounts::{LinkError, NewLink, NewUser, NewUserError};

use super::reset::{
    LinkFlow, NewPasswordForm, new_password_page, set_password_through_link, unusable_link,
    well_formed,
};
use super::sign_in::capitalised;
use super::users::{membership_value, parse_membership};
use super::{ClientAddress, audit_decision, csrf, forged, internal, message};
use crate::AppState;
use crate::jobs_worker::enqueue_email;
use crate::mailer::Message;

/// Someone to invite, and the one membership they are invited to hold.
pub struct Invitation {
    pub name: String,
    pub email: Email,
    pub membership: Membership,
}

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("{0}")]
    Denied(Denial),
    #[error("someone with this email address already has an account")]
    EmailTaken,
    #[error("enter the name of the person to invite")]
    NoName,
    #[error(transparent)]
    Store(#[from] knit_store::StoreError),
}

/// Invites someone: checks the inviter may, creates the invited account, and queues an
/// email with a link to `<base_url>/staff/invitations/<token>`. Every attempt, allowed or
/// refused, is in the audit log.
pub async fn invite(
    store: &dyn Store,
    inviter: &Actor,
    invitation: Invitation,
    base_url: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<UserId, InviteError> {
    let action = Action::InviteUser(invitation.membership);
    let decision = decide(inviter, &action);
    if let Some(denial) = decision.denial() {
        audit_decision(store, inviter, &action, &decision, address, now).await;
        return Err(InviteError::Denied(denial));
    }
    let name = invitation.name.trim().to_owned();
    if name.is_empty() {
        return Err(InviteError::NoName);
    }
    let user = store
        .create_user(NewUser {
            name,
            email: invitation.email.clone(),
            status: UserStatus::Invited,
            password_hash: None,
            memberships: vec![invitation.membership],
            at: now,
        })
        .await
        .map_err(|e| match e {
            NewUserError::EmailTaken => InviteError::EmailTaken,
            NewUserError::Store(e) => InviteError::Store(e),
        })?;
    let random = super::random_bytes::<TOKEN_BYTES>().map_err(knit_store::StoreError::Corrupt)?;
    let token = store
        .create_link(NewLink {
            purpose: EmailedLink::Invitation,
            user: user.id,
            random,
            at: now,
        })
        .await?;
    let body = format!(
        "Hello {name},\n\n\
         You have been invited to Knit as {role}.\n\n\
         To accept, open this link and choose a password. It works once, within 7 days:\n\n\
         {base_url}/staff/invitations/{token}\n\n\
         If you were not expecting this, you can ignore this email.\n",
        name = user.name,
        role = invitation.membership.role().label().to_lowercase(),
    );
    enqueue_email(
        store,
        Message {
            to: invitation.email,
            subject: "You are invited to Knit".to_owned(),
            body,
        },
        now,
    )
    .await?;
    let mut sent = NewAuditEvent::for_account_event(
        AccountEvent::InvitationSent,
        inviter.user_id(),
        Some(user.id),
        Outcome::Succeeded,
        Some(address.to_owned()),
        now,
    );
    sent.actor_role = decision_role(&decision);
    store.append_audit(sent).await?;
    Ok(user.id)
}

fn decision_role(decision: &knit_domain::access::Decision) -> Option<knit_domain::account::Role> {
    match decision {
        knit_domain::access::Decision::Allow { as_role } => *as_role,
        knit_domain::access::Decision::Deny(_) => None,
    }
}

const ACCEPT_WORDS: (&str, &str) = (
    "Accept your invitation",
    "Choose a password for your Knit account. Use at least 10 characters: three random words \
     together make a password that is strong and easy to remember.",
);

const ASK_A_LEAD: (&str, &str) = ("/", "Ask whoever invited you for a new invitation");

pub(crate) async fn accept_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    if !well_formed(&token) {
        return unusable_link(&state.site, &LinkError::Unknown, ASK_A_LEAD);
    }
    let action = format!("/staff/invitations/{token}");
    new_password_page(
        &state.site,
        &headers,
        ACCEPT_WORDS,
        action,
        None,
        StatusCode::OK,
    )
}

pub(crate) async fn accept(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> Response {
    let flow = LinkFlow {
        purpose: EmailedLink::Invitation,
        for_status: UserStatus::Invited,
        event: AccountEvent::InvitationAccepted,
        path: "/staff/invitations",
        words: ACCEPT_WORDS,
        again: ASK_A_LEAD,
        done: (
            "Your account is ready",
            "Sign in with your email address and new password. If your role can see people's \
             details, you will then set up two-factor sign-in with an authenticator app.",
        ),
    };
    set_password_through_link(&state, &address, &headers, &token, form, &flow).await
}

/// One choice in the "invite as" list: a membership the inviter is allowed to hand out.
#[derive(Clone)]
struct RoleChoice {
    value: String,
    label: String,
}

#[derive(askama::Template)]
#[template(path = "staff/invite.html")]
struct InvitePage<'a> {
    site: &'a crate::Site,
    csrf: String,
    choices: Vec<RoleChoice>,
    name: String,
    email: String,
    chosen: String,
    error: Option<super::FieldError>,
}

/// Most organisations offered to a place lead in one list; a town has far fewer.
const MAX_ORGANIZATIONS_LISTED: u32 = 500;

/// The memberships this actor may invite someone to hold, each checked with `decide`.
async fn choices(
    store: &dyn Store,
    actor: &Actor,
) -> Result<Vec<RoleChoice>, knit_store::StoreError> {
    let mut candidates = vec![
        Membership::place_lead(),
        Membership::coordinator(),
        Membership::connector(),
    ];
    let mut organizations: Vec<(OrganizationId, String)> = Vec::new();
    for membership in actor.memberships() {
        if let Some(org) = membership.organization() {
            let name = store
                .organization(org.0)
                .await?
                .map_or_else(|| "your organisation".to_owned(), |o| o.name);
            organizations.push((org, name));
        }
    }
    if decide(actor, &Action::InviteUser(Membership::coordinator())).is_allowed() {
        for org in store.organizations(0, MAX_ORGANIZATIONS_LISTED).await? {
            organizations.push((OrganizationId(org.id), org.name));
        }
    }
    organizations.dedup_by_key(|(id, _)| *id);
    let mut labels = vec![
        "Place lead".to_owned(),
        "Coordinator".to_owned(),
        "Connector".to_owned(),
    ];
    for (org, name) in &organizations {
        candidates.push(Membership::partner_staff(*org));
        labels.push(format!("Partner staff at {name}"));
        candidates.push(Membership::organization_lead(*org));
        labels.push(format!("Lead of {name}"));
    }
    Ok(candidates
        .into_iter()
        .zip(labels)
        .filter(|(m, _)| decide(actor, &Action::InviteUser(*m)).is_allowed())
        .map(|(m, label)| RoleChoice {
            value: membership_value(&m),
            label,
        })
        .collect())
}

#[derive(serde::Deserialize)]
pub(crate) struct InviteForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    membership: String,
    #[serde(default)]
    csrf: String,
}

/// The signed-in inviter and what they may invite to, or where to send them instead.
async fn inviter(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(super::session::SignedIn, Vec<RoleChoice>), Response> {
    let store = state.store.as_ref();
    let dashboard = Action::ViewDashboard;
    let signed_in = super::session::authorise(state, headers, address, &dashboard, now).await?;
    let choices = match choices(store, &signed_in.actor).await {
        Ok(c) => c,
        Err(e) => return Err(internal(&state.site, e)),
    };
    if choices.is_empty() {
        // Asked of the policy with the plainest invitation, so the refusal says why.
        let action = Action::InviteUser(Membership::coordinator());
        let decision = decide(&signed_in.actor, &action);
        audit_decision(store, &signed_in.actor, &action, &decision, address, now).await;
        let denial = decision.denial().unwrap_or(Denial::WrongRole);
        return Err(super::two_factor::denied(&state.site, denial));
    }
    Ok((signed_in, choices))
}

pub(crate) async fn invite_form(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
) -> Response {
    let (signed_in, choices) = match inviter(&state, &headers, &address, Utc::now()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let page = InvitePage {
        site: &state.site,
        csrf: signed_in.csrf_secret,
        choices,
        name: String::new(),
        email: String::new(),
        chosen: String::new(),
        error: None,
    };
    super::render(&page, StatusCode::OK)
}

pub(crate) async fn send_invitation(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Response {
    let site = &state.site;
    let now = Utc::now();
    let (signed_in, choices) = match inviter(&state, &headers, &address, now).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    if csrf::check_session(&headers, &signed_in.csrf_secret, &form.csrf).is_err() {
        return forged(site);
    }
    let retry = |error: super::FieldError| {
        let page = InvitePage {
            site,
            csrf: signed_in.csrf_secret.clone(),
            choices: choices.clone(),
            name: form.name.clone(),
            email: form.email.clone(),
            chosen: form.membership.clone(),
            error: Some(error),
        };
        super::render(&page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    if form.name.trim().is_empty() {
        return retry(super::FieldError::new(
            "name",
            "Enter the name of the person to invite",
        ));
    }
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(problem) => {
            return retry(super::FieldError::new(
                "email",
                capitalised(&problem.to_string()),
            ));
        }
    };
    let Some(membership) = parse_membership(&form.membership) else {
        return retry(super::FieldError::new(
            "membership",
            "Choose what they will do in Knit",
        ));
    };
    let invitation = Invitation {
        name: form.name.clone(),
        email,
        membership,
    };
    let base = super::public_base_url(&headers);
    match invite(
        state.store.as_ref(),
        &signed_in.actor,
        invitation,
        &base,
        &address,
        now,
    )
    .await
    {
        Ok(_) => message(
            site,
            StatusCode::OK,
            "Invitation sent",
            "We have emailed them a link to choose a password. It works once, within 7 days.",
            ("/staff/invitations", "Invite someone else"),
        ),
        Err(InviteError::Denied(denial)) => super::two_factor::denied(site, denial),
        Err(InviteError::EmailTaken) => retry(super::FieldError::new(
            "email",
            "Someone with this email address already has an account",
        )),
        Err(InviteError::NoName) => retry(super::FieldError::new(
            "name",
            "Enter the name of the person to invite",
        )),
        Err(InviteError::Store(e)) => internal(site, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_membership_survives_the_form() {
        let org = OrganizationId(uuid::Uuid::from_u128(0xf00d));
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
        assert_eq!(parse_membership("admin"), None);
    }
}
