//! Asking for monitoring returns: six months after an award (`knit_domain::fund::
//! monitoring_due`) the applicant is emailed a fresh link to the short return, once, through
//! the jobs queue. The reminder is recorded and queued in one transaction, so two instances
//! running at once send it once.

use std::time::Duration;

use chrono::{DateTime, Utc};
use knit_domain::account::Email;
use knit_domain::opening::uk_local;
use knit_domain::session::{TOKEN_BYTES, token_from_random};
use knit_domain::validation::one_line;
use knit_store::{SharedStore, Store, StoreError};

use crate::mail::Message;
use crate::mail::queue::email_job;

/// Awards looked at in one pass; the rest wait for the next.
const BATCH: u32 = 500;

/// How often `knit serve` looks for returns falling due.
pub const REMIND_EVERY: Duration = Duration::from_secs(60 * 60);

/// Asks for every monitoring return due by `now`; returns how many were asked for.
pub async fn remind_due(
    store: &dyn Store,
    base_url: &str,
    site_name: &str,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let mut asked = 0;
    for due in store.monitoring_due(uk_local(now).date(), BATCH).await? {
        let mut random = [0u8; TOKEN_BYTES];
        if getrandom::fill(&mut random).is_err() {
            return Err(StoreError::Corrupt("no randomness for a link".to_owned()));
        }
        let token = token_from_random(random);
        let mut jobs = Vec::new();
        if let Ok(to) = Email::parse(&due.details.email) {
            let round = one_line(&due.round_title);
            let message = crate::kit::language::speaking(due.details.language, || Message {
                to,
                subject: crate::t_with("fund-email-monitoring-subject", &[("site", site_name)]),
                body: format!(
                    "{}\n\n{base_url}/fund/awards/{token}/monitoring\n",
                    crate::t_with("fund-email-monitoring-body", &[("round", round.as_str())]),
                ),
            });
            jobs.push(email_job(message, now));
        }
        if store
            .mark_monitoring_reminded(due.application_id, random, &jobs, now)
            .await?
        {
            asked += 1;
        }
    }
    Ok(asked)
}

/// Asks for returns as they fall due until the process stops: for `knit serve`.
pub async fn run(store: SharedStore, site_name: String) {
    loop {
        match remind_due(
            store.as_ref(),
            &crate::kit::emailed_link(""),
            &site_name,
            Utc::now(),
        )
        .await
        {
            Ok(0) => {}
            Ok(asked) => tracing::info!(asked, "monitoring returns asked for"),
            Err(e) => tracing::error!(error = %e, "fund reminders could not reach the database"),
        }
        tokio::time::sleep(REMIND_EVERY).await;
    }
}
