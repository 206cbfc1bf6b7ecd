//! Every offer to volunteer is answered: after three working days unanswered, the
//! organisation's staff are reminded; after five, the place leads are told, so nobody who
//! offered is left waiting. The rule is `knit_domain::volunteering::chase_due`; emails go
//! through the jobs queue and name nobody — only the role and a link.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use knit_domain::volunteering::{
    ESCALATE_AFTER_WORKING_DAYS, InterestChase, REMIND_AFTER_WORKING_DAYS, chase_due as due_at,
};
use knit_store::{SharedStore, Store, StoreError};

use crate::mail::Message;
use crate::mail::queue::enqueue_email;
use crate::mail::recipients::{organisation_staff, place_leads};

const BATCH: u32 = 500;

/// How often `knit serve` looks for offers to chase.
pub const CHASE_EVERY: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChasePass {
    pub reminded: u32,
    pub escalated: u32,
    pub emails: u32,
}

/// Chases every offer that calls for it at `now`, once per stage.
pub async fn chase_due(store: &dyn Store, now: DateTime<Utc>) -> Result<ChasePass, StoreError> {
    let mut pass = ChasePass::default();
    // A working day is at least a day: nothing sent since this can be due, and an offer
    // sent exactly three days ago (Monday to Thursday) is.
    let sent_before = now - TimeDelta::days(i64::from(REMIND_AFTER_WORKING_DAYS));
    for waiting in store.interests_to_chase(sent_before, BATCH).await? {
        let due = due_at(waiting.status, waiting.sent_at, now);
        if due == InterestChase::Nothing || waiting.chased.is_some_and(|done| done >= due) {
            continue;
        }
        // Recorded first: if two instances chase at once, only one sends.
        if !store.mark_interest_chased(waiting.id, due, now).await? {
            continue;
        }
        let role = knit_domain::validation::one_line(&waiting.opportunity_title);
        let url = crate::kit::emailed_link(&format!("/staff/volunteering/offers/{}", waiting.id));
        let (people, subject, body) = match due {
            InterestChase::RemindOrganisation => {
                pass.reminded += 1;
                (
                    organisation_staff(store, waiting.organization).await?,
                    "Someone who offered to volunteer is waiting for you".to_owned(),
                    format!(
                        "An offer to volunteer as \"{role}\" has not been answered for \
                         {REMIND_AFTER_WORKING_DAYS} working days.\n\nPlease get in touch with \
                         them and record what happened: {url}\n"
                    ),
                )
            }
            InterestChase::EscalateToPlaceLeads => {
                pass.escalated += 1;
                (
                    place_leads(store).await?,
                    "An offer to volunteer has not been answered".to_owned(),
                    format!(
                        "An offer to volunteer as \"{role}\" has not been answered for \
                         {ESCALATE_AFTER_WORKING_DAYS} working days, although the organisation \
                         was reminded.\n\nYou may want to call the organisation: {url}\n"
                    ),
                )
            }
            InterestChase::Nothing => continue,
        };
        for person in people {
            let message = Message {
                to: person.email.clone(),
                subject: subject.clone(),
                body: body.clone(),
            };
            enqueue_email(store, message, now).await?;
            pass.emails += 1;
        }
    }
    Ok(pass)
}

/// Chases offers, and sends match events' follow-ups, until the process stops: for
/// `knit serve`.
pub async fn run(store: SharedStore) {
    loop {
        match super::match_events::send_follow_ups(store.as_ref(), Utc::now()).await {
            Ok(pass) if pass.events > 0 => {
                tracing::info!(events = pass.events, "match event follow-ups sent")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "match event follow-ups could not be sent"),
        }
        match chase_due(store.as_ref(), Utc::now()).await {
            Ok(pass) if pass.reminded + pass.escalated > 0 => tracing::info!(
                reminded = pass.reminded,
                escalated = pass.escalated,
                "offers to volunteer chased"
            ),
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, "volunteering chaser could not reach the database")
            }
        }
        tokio::time::sleep(CHASE_EVERY).await;
    }
}
