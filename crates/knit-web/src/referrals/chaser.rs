//! Chasing unanswered referrals: after five working days (by default) the organisation's
//! staff are reminded that a referral waits for them; after ten, the person who made it is
//! told, so nobody is left waiting in a silo. The rule is `knit_domain::referral::ChasePolicy`;
//! emails go through the jobs queue and name nobody — only a link to the referral.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use knit_domain::account::UserStatus;
use knit_domain::referral::{Chase, ChasePolicy};
use knit_store::{SharedStore, Store, StoreError};

use crate::mail::Message;
use crate::mail::queue::enqueue_email;
use crate::mail::recipients::organisation_staff;

/// Referrals looked at in one pass; the rest wait for the next.
const BATCH: u32 = 500;

/// How often `knit serve` looks for referrals to chase.
pub const CHASE_EVERY: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChasePass {
    pub reminded: u32,
    pub escalated: u32,
    pub emails: u32,
}

/// Chases every referral that calls for it at `now`, once per stage.
pub async fn chase_due(
    store: &dyn Store,
    policy: &ChasePolicy,
    now: DateTime<Utc>,
) -> Result<ChasePass, StoreError> {
    let mut pass = ChasePass::default();
    // A working day is at least a day, so nothing sent since this could be due yet.
    let sent_before = now - TimeDelta::days(i64::from(policy.remind_after_working_days));
    for waiting in store.referrals_to_chase(sent_before, BATCH).await? {
        let due = policy.chase(waiting.status, waiting.sent_at, now);
        if due == Chase::Nothing || waiting.chased.is_some_and(|done| done >= due) {
            continue;
        }
        // Recorded first: if two instances chase at once, only one sends.
        if !store.mark_chased(waiting.id, due, now).await? {
            continue;
        }
        let url = crate::kit::emailed_link(&format!("/staff/referrals/{}", waiting.id.0));
        match due {
            Chase::RemindOrganisation => {
                pass.reminded += 1;
                for member in organisation_staff(store, waiting.organization).await? {
                    let message = Message {
                        to: member.email.clone(),
                        subject: "A referral is waiting for your answer".to_owned(),
                        body: format!(
                            "A referral to your organisation has not been answered for {} \
                             working days.\n\nPlease open it, and accept it or say why you \
                             cannot help: {url}\n",
                            policy.remind_after_working_days
                        ),
                    };
                    enqueue_email(store, message, now).await?;
                    pass.emails += 1;
                }
            }
            Chase::EscalateToReferrer => {
                pass.escalated += 1;
                let referrer = match waiting.referred_by {
                    Some(id) => store.user(id).await?,
                    None => None,
                };
                if let Some(referrer) = referrer.filter(|u| u.status == UserStatus::Active) {
                    let message = Message {
                        to: referrer.email.clone(),
                        subject: "A referral you made has not been answered".to_owned(),
                        body: format!(
                            "A referral you made has not been answered for {} working days. \
                             You may want to call the organisation, or refer elsewhere: \
                             {url}\n",
                            policy.escalate_after_working_days
                        ),
                    };
                    enqueue_email(store, message, now).await?;
                    pass.emails += 1;
                }
            }
            Chase::Nothing => {}
        }
    }
    Ok(pass)
}

/// Chases referrals until the process stops: for `knit serve`.
pub async fn run(store: SharedStore, policy: ChasePolicy) {
    loop {
        match chase_due(store.as_ref(), &policy, Utc::now()).await {
            Ok(pass) if pass.reminded + pass.escalated > 0 => tracing::info!(
                reminded = pass.reminded,
                escalated = pass.escalated,
                "referrals chased"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "referral chaser could not reach the database"),
        }
        tokio::time::sleep(CHASE_EVERY).await;
    }
}
