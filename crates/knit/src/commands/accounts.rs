//! `knit user add|list|suspend` and `knit audit verify`: what a place lead or an operator
//! does from the command line before anyone can sign in.

use anyhow::{Context, bail};
use chrono::Utc;
use knit_domain::account::{Email, Membership, OrganizationId, Role, UserStatus};
use knit_domain::audit::{AccountEvent, NewAuditEvent, Outcome};
use knit_domain::session::{EmailedLink, TOKEN_BYTES};
use knit_store::accounts::{AuditCheck, NewLink, NewUser, NewUserError, verify_audit_log};

use super::open_store;
use crate::cli::Global;

/// Where audit events made at the command line say they came from.
const FROM_CLI: &str = "command line";

fn membership(role: &str, organization: Option<uuid::Uuid>) -> anyhow::Result<Membership> {
    // People type "place-lead" (as the README says) as readily as the stored "place_lead".
    let role = Role::from_code(&role.trim().to_lowercase().replace('-', "_"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Membership::new(role, organization.map(OrganizationId), false)
        .map_err(|e| anyhow::anyhow!("{e}"))
}

pub async fn add(
    global: &Global,
    email: &str,
    role: &str,
    name: Option<String>,
    organization: Option<uuid::Uuid>,
    base_url: &str,
) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let membership = membership(role, organization)?;
    let store = open_store(global).await?;
    if let Some(org) = organization
        && store.organization(org).await?.is_none()
    {
        bail!("there is no organisation with the id {org} in the directory");
    }
    let now = Utc::now();
    let name = name.unwrap_or_else(|| email.local_part().to_owned());
    let user = store
        .create_user(NewUser {
            name,
            email,
            status: UserStatus::Invited,
            password_hash: None,
            memberships: vec![membership],
            at: now,
        })
        .await
        .map_err(|e| match e {
            NewUserError::EmailTaken => {
                anyhow::anyhow!("someone with this email address already has an account")
            }
            NewUserError::Store(e) => anyhow::Error::new(e),
        })?;
    let mut random = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut random).map_err(|e| anyhow::anyhow!("no randomness for the link: {e}"))?;
    let token = store
        .create_link(NewLink {
            purpose: EmailedLink::Invitation,
            user: user.id,
            random,
            at: now,
        })
        .await?;
    store
        .append_audit(NewAuditEvent::for_account_event(
            AccountEvent::InvitationSent,
            None,
            Some(user.id),
            Outcome::Succeeded,
            Some(FROM_CLI.to_owned()),
            now,
        ))
        .await?;
    println!(
        "Added {} as {}.",
        user.email.as_str(),
        membership.role().label().to_lowercase()
    );
    println!("Give them this one-time set-up link (it works once, within 7 days):");
    println!(
        "{}/staff/invitations/{token}",
        base_url.trim_end_matches('/')
    );
    Ok(())
}

pub async fn list(global: &Global) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let total = store.count_users().await?;
    let mut offset = 0;
    while offset < total {
        let users = store.users(offset, 500).await?;
        if users.is_empty() {
            break;
        }
        for user in &users {
            let roles: Vec<String> = user
                .memberships
                .iter()
                .map(|m| match m.organization() {
                    Some(org) => format!("{} of {}", m.role().code(), org.0),
                    None => m.role().code().to_owned(),
                })
                .collect();
            println!(
                "{:<40} {:<10} {}",
                user.email.as_str(),
                user.status.code(),
                roles.join(", ")
            );
        }
        offset += users.len() as u64;
    }
    if total == 0 {
        println!(
            "No users yet. Add the first place lead with: knit user add --email … --role place-lead"
        );
    }
    Ok(())
}

pub async fn suspend(global: &Global, email: &str) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let store = open_store(global).await?;
    let user = store
        .user_by_email(&email)
        .await?
        .context("no user has that email address")?;
    let ended = store
        .set_user_status(user.id, UserStatus::Suspended)
        .await?;
    store
        .append_audit(NewAuditEvent::for_account_event(
            AccountEvent::Suspended,
            None,
            Some(user.id),
            Outcome::Succeeded,
            Some(FROM_CLI.to_owned()),
            Utc::now(),
        ))
        .await?;
    println!(
        "Suspended {}; {ended} open session(s) ended.",
        email.as_str()
    );
    Ok(())
}

pub async fn verify_audit(global: &Global) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    match verify_audit_log(store.as_ref()).await? {
        AuditCheck::Intact(head) => {
            println!(
                "The audit log is intact: {} events; the last ends in {}.",
                head.seq,
                head.hash.to_hex()
            );
            Ok(())
        }
        broken => bail!("{broken}"),
    }
}
