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
use knit_domain::account::{Actor, Email, Membership, UserId, UserStatus};
use knit_domain::audit::{AccountEvent, NewAuditEvent, Outcome};
use knit_domain::password::check_new_password;
use knit_domain::session::{EmailedLink, TOKEN_BYTES};
use knit_store::Store;
use knit_store::accounts::{LinkError, NewLink, NewUser, NewUserError};

use super::reset::{
    NewPasswordForm, new_password_page, reissue, save_password, typed_twice, unusable_link,
    use_link, well_formed,
};
use super::sign_in::capitalised;
use super::{ClientAddress, audit_account, audit_decision, csrf, forged, internal, message};
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
    let site = &state.site;
    let store = state.store.as_ref();
    let now = Utc::now();
    if csrf::check_anonymous(&headers, &form.csrf).is_err() {
        return forged(site);
    }
    if !well_formed(&token) {
        return unusable_link(site, &LinkError::Unknown, ASK_A_LEAD);
    }
    let action = format!("/staff/invitations/{token}");
    if let Err(error) = typed_twice(&form) {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return new_password_page(site, &headers, ACCEPT_WORDS, action, Some(error), status);
    }
    let user = match use_link(store, &token, EmailedLink::Invitation, now).await {
        Ok(user) if user.status == UserStatus::Invited => user,
        Ok(_) => return unusable_link(site, &LinkError::Unknown, ASK_A_LEAD),
        Err(e) => {
            audit_account(
                store,
                AccountEvent::InvitationAccepted,
                None,
                None,
                Outcome::Failed,
                &address,
                now,
            )
            .await;
            return unusable_link(site, &e, ASK_A_LEAD);
        }
    };
    if let Err(problem) = check_new_password(&form.password, &user.email) {
        return match reissue(store, &user, EmailedLink::Invitation, now).await {
            Ok(fresh) => new_password_page(
                site,
                &headers,
                ACCEPT_WORDS,
                format!("/staff/invitations/{fresh}"),
                Some(super::FieldError::new(
                    "password",
                    capitalised(&problem.to_string()),
                )),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(e) => internal(site, e),
        };
    }
    if let Err(e) = save_password(store, &user, form.password).await {
        return internal(site, e);
    }
    if let Err(e) = store.set_user_status(user.id, UserStatus::Active).await {
        return internal(site, e);
    }
    audit_account(
        store,
        AccountEvent::InvitationAccepted,
        Some(user.id),
        Some(user.id),
        Outcome::Succeeded,
        &address,
        now,
    )
    .await;
    message(
        site,
        StatusCode::OK,
        "Your account is ready",
        "Sign in with your email address and new password. If your role can see people's \
         details, you will then set up two-factor sign-in with an authenticator app.",
        ("/staff/sign-in", "Sign in"),
    )
}
