//! Invitations: a place lead (anyone, any role) or an organisation's lead (colleagues into
//! their own organisation) invites someone by email; the link lets them choose a password,
//! once, within a week. Who may invite whom is `knit_domain::access::decide`'s answer to
//! `Action::InviteUser`.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
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

use super::users::{membership_value, parse_membership};

use crate::AppState;
use crate::kit::gate::audit_decision;
use crate::kit::{
    Allowed, ClientAddress, FieldError, Notice, PageError, PageResult, capitalised,
    public_base_url, random_bytes, render,
};
use crate::mail::Message;
use crate::mail::queue::enqueue_email;

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
    let random = random_bytes::<TOKEN_BYTES>().map_err(knit_store::StoreError::Corrupt)?;
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
) -> PageResult {
    if !well_formed(&token) {
        return Ok(unusable_link(&LinkError::Unknown, ASK_A_LEAD));
    }
    let action = format!("/staff/invitations/{token}");
    Ok(new_password_page(
        &state.site,
        &headers,
        ACCEPT_WORDS,
        action,
        None,
        StatusCode::OK,
    ))
}

pub(crate) async fn accept(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> PageResult {
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
    error: Option<FieldError>,
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
}

/// What the signed-in inviter may invite to, or the policy's refusal when that is nothing.
async fn inviter(state: &AppState, allowed: &mut Allowed) -> Result<Vec<RoleChoice>, PageError> {
    let choices = choices(state.store.as_ref(), allowed.actor()).await?;
    if choices.is_empty() {
        // Asked of the policy with the plainest invitation, so the refusal says why.
        let plainest = Action::InviteUser(Membership::coordinator());
        allowed.require(state, &plainest).await?;
        return Err(PageError::Denied(Denial::WrongRole));
    }
    Ok(choices)
}

pub(crate) async fn invite_form(State(state): State<AppState>, mut allowed: Allowed) -> PageResult {
    let choices = inviter(&state, &mut allowed).await?;
    let page = InvitePage {
        site: &state.site,
        csrf: allowed.csrf(),
        choices,
        name: String::new(),
        email: String::new(),
        chosen: String::new(),
        error: None,
    };
    Ok(render(&page, StatusCode::OK))
}

pub(crate) async fn send_invitation(
    State(state): State<AppState>,
    mut allowed: Allowed,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> PageResult {
    let site = &state.site;
    let choices = inviter(&state, &mut allowed).await?;
    let retry = |error: FieldError| {
        let page = InvitePage {
            site,
            csrf: allowed.csrf(),
            choices: choices.clone(),
            name: form.name.clone(),
            email: form.email.clone(),
            chosen: form.membership.clone(),
            error: Some(error),
        };
        render(&page, StatusCode::UNPROCESSABLE_ENTITY)
    };
    if form.name.trim().is_empty() {
        return Ok(retry(FieldError::new(
            "name",
            "Enter the name of the person to invite",
        )));
    }
    let email = match Email::parse(&form.email) {
        Ok(e) => e,
        Err(problem) => {
            return Ok(retry(FieldError::new(
                "email",
                capitalised(&problem.to_string()),
            )));
        }
    };
    let Some(membership) = parse_membership(&form.membership) else {
        return Ok(retry(FieldError::new(
            "membership",
            "Choose what they will do in Knit",
        )));
    };
    let invitation = Invitation {
        name: form.name.clone(),
        email,
        membership,
    };
    let base = public_base_url(&headers);
    Ok(
        match invite(
            state.store.as_ref(),
            allowed.actor(),
            invitation,
            &base,
            allowed.address(),
            allowed.stamp.at,
        )
        .await
        {
            Ok(_) => Notice::new(
                StatusCode::OK,
                "Invitation sent",
                "We have emailed them a link to choose a password. It works once, within 7 days.",
            )
            .link("/staff/invitations", "Invite someone else")
            .into_response(),
            Err(InviteError::Denied(denial)) => return Err(PageError::Denied(denial)),
            Err(InviteError::EmailTaken) => retry(FieldError::new(
                "email",
                "Someone with this email address already has an account",
            )),
            Err(InviteError::NoName) => retry(FieldError::new(
                "name",
                "Enter the name of the person to invite",
            )),
            Err(InviteError::Store(e)) => return Err(e.into()),
        },
    )
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
