//! Keeping listings true: a listing unchecked for 6 months reminds its organisation's staff
//! to confirm or update it; one unchecked for 12 months (or never checked) is flagged to the
//! place leads. The rule is `knit_domain::listing_change::staleness`; each reminder is sent
//! once per listing, per date it was last checked, per stage, however many instances run.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use knit_domain::account::OrganizationId;
use knit_domain::listing_change::{Freshness, staleness};
use knit_store::{ServiceFilter, SharedStore, Store, StoreError};

use crate::mail::Message;
use crate::mail::queue::enqueue_email;
use crate::mail::recipients::{organisation_staff, place_leads};

/// How often `knit serve` looks: listings age by the day.
pub const CHECK_EVERY: Duration = Duration::from_secs(6 * 60 * 60);

const PAGE: u32 = 1_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckPass {
    /// Listings whose organisation was reminded this time.
    pub reminded: u32,
    /// Listings flagged to place leads this time.
    pub flagged: u32,
    pub emails: u32,
}

/// Sends the reminders and flags due on `today`.
pub async fn remind_due(
    store: &dyn Store,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CheckPass, StoreError> {
    let mut pass = CheckPass::default();
    let mut by_organisation: BTreeMap<OrganizationId, Vec<String>> = BTreeMap::new();
    let mut flagged: Vec<String> = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .services_after(after, PAGE, &ServiceFilter::default())
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for service in &page {
            let freshness = staleness(service.assured_date, today);
            if freshness == Freshness::Fresh {
                continue;
            }
            let checked = service.assured_date;
            if store
                .record_listing_reminder(service.id, checked, "reminder", now)
                .await?
            {
                pass.reminded += 1;
                by_organisation
                    .entry(OrganizationId(service.organization_id))
                    .or_default()
                    .push(service.name.clone());
            }
            if freshness == Freshness::Flagged
                && store
                    .record_listing_reminder(service.id, checked, "flag", now)
                    .await?
            {
                pass.flagged += 1;
                flagged.push(service.name.clone());
            }
        }
        if page.len() < PAGE as usize {
            break;
        }
    }
    for (organization, names) in &by_organisation {
        for member in organisation_staff(store, *organization).await? {
            let message = Message {
                to: member.email.clone(),
                subject: "Please check your listings are still right".to_owned(),
                body: format!(
                    "These listings have not been checked for six months or more:\n\n{}\n\n\
                     Please confirm each is still right, or propose a change: \
                     /staff/listings\n",
                    bullet(names)
                ),
            };
            enqueue_email(store, message, now).await?;
            pass.emails += 1;
        }
    }
    if !flagged.is_empty() {
        for lead in place_leads(store).await? {
            let message = Message {
                to: lead.email.clone(),
                subject: format!("{} listings not checked for a year", flagged.len()),
                body: format!(
                    "These listings have not been checked for a year or more:\n\n{}\n\n\
                     See every unchecked listing: /staff/listings/unchecked\n",
                    bullet(&flagged)
                ),
            };
            enqueue_email(store, message, now).await?;
            pass.emails += 1;
        }
    }
    Ok(pass)
}

fn bullet(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("- {n}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Sends reminders until the process stops: for `knit serve`.
pub async fn run(store: SharedStore) {
    loop {
        let now = Utc::now();
        let today = knit_domain::opening::uk_local(now).date();
        match remind_due(store.as_ref(), today, now).await {
            Ok(pass) if pass.reminded + pass.flagged > 0 => tracing::info!(
                reminded = pass.reminded,
                flagged = pass.flagged,
                "listing reminders sent"
            ),
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "listing checks could not reach the database"),
        }
        tokio::time::sleep(CHECK_EVERY).await;
    }
}
