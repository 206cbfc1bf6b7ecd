//! Reminding owners of requests left unanswered: after two working days
//! (`knit_domain::assets::needs_reminder`) the owner's staff (or the place leads, for a
//! person's offer) are emailed once through the jobs queue, with a link and no names.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use knit_domain::account::Email;
use knit_domain::assets::{REMIND_AFTER_WORKING_DAYS, needs_reminder};
use knit_domain::validation::one_line;
use knit_store::assets::Asset;
use knit_store::{SharedStore, Store, StoreError};

use super::emails::when;
use crate::mail::Message;
use crate::mail::queue::enqueue_email;
use crate::mail::recipients::{organisation_staff, place_leads};

const BATCH: u32 = 500;

/// How often `knit serve` looks for requests to remind owners of.
pub const REMIND_EVERY: Duration = Duration::from_secs(15 * 60);

/// Who answers requests for `asset`: its organisation's staff (the place leads when it has
/// none), or the place leads for a person's offer.
pub async fn owners(store: &dyn Store, asset: &Asset) -> Result<Vec<Email>, StoreError> {
    let users = match asset.organization() {
        Some(org) => {
            let staff = organisation_staff(store, org).await?;
            if staff.is_empty() {
                place_leads(store).await?
            } else {
                staff
            }
        }
        None => place_leads(store).await?,
    };
    Ok(users.into_iter().map(|u| u.email).collect())
}

/// Reminds owners of every request due at `now`, once each. Returns how many requests.
pub async fn remind_due(store: &dyn Store, now: DateTime<Utc>) -> Result<u32, StoreError> {
    let mut reminded = 0;
    // A working day is at least a day, so nothing newer could be due.
    let before = now - TimeDelta::days(i64::from(REMIND_AFTER_WORKING_DAYS));
    for waiting in store.requests_to_remind(before, BATCH).await? {
        if !needs_reminder(waiting.requested_at, now) {
            continue;
        }
        let Some(asset) = store.asset(waiting.asset_id).await? else {
            continue;
        };
        // Recorded first: with two instances, only one sends.
        if !store.mark_request_reminded(waiting.series_id, now).await? {
            continue;
        }
        reminded += 1;
        let url = crate::kit::emailed_link(&format!("/staff/asset-bookings/{}", waiting.id));
        for to in owners(store, &asset).await? {
            let message = Message {
                to,
                subject: format!(
                    "A booking request is still waiting: {}",
                    one_line(&asset.details.title)
                ),
                body: format!(
                    "A request to use {} ({}) has waited {REMIND_AFTER_WORKING_DAYS} working \
                     days for an answer.\n\nPlease approve or decline it: {url}\n",
                    one_line(&asset.details.title),
                    when(&waiting.slot),
                ),
            };
            enqueue_email(store, message, now).await?;
        }
    }
    Ok(reminded)
}

/// Reminds owners until the process stops: for `knit serve`.
pub async fn run(store: SharedStore) {
    loop {
        match remind_due(store.as_ref(), Utc::now()).await {
            Ok(n) if n > 0 => tracing::info!(requests = n, "owners reminded of booking requests"),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "booking reminders could not reach the database"),
        }
        tokio::time::sleep(REMIND_EVERY).await;
    }
}
