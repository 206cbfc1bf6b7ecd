//! Email through the jobs queue: a page asks for a message to be sent by queueing it in the
//! database, and a worker claims queued messages and hands them to the [`Mailer`], retrying
//! with backoff (the store's `job_fate`) while the mail server is down. Nothing is lost on a
//! restart: a job whose worker died is claimed again when its lease runs out.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use knit_domain::account::Email;
use knit_store::accounts::{AccountStore, JobFate, JobId, NewJob};
use knit_store::{SharedStore, StoreError};
use serde::{Deserialize, Serialize};

use crate::mail::{MailError, Mailer, Message};

/// The job kind for one email.
pub const EMAIL_JOB: &str = "email";
/// Tries before an email is given up: with the store's backoff (30 s doubling, capped at
/// 6 hours) the last try is about a day after the first.
pub const EMAIL_ATTEMPTS: u32 = 12;
/// How often an idle worker looks for due jobs.
pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

/// What an email job carries. It names the recipient, so it stays in the database and out
/// of logs.
#[derive(Serialize, Deserialize)]
struct EmailPayload {
    to: String,
    subject: String,
    body: String,
}

/// Queues a message to be sent as soon as a worker is free.
pub async fn enqueue_email(
    store: &dyn AccountStore,
    message: Message,
    now: DateTime<Utc>,
) -> Result<JobId, StoreError> {
    store.enqueue_job(email_job(message, now)).await
}

/// The job that sends `message` at `run_at`, for a store that queues it in a transaction of
/// its own making (a booking and its confirmation, a cancellation and the promotion email).
pub fn email_job(message: Message, run_at: DateTime<Utc>) -> NewJob {
    let payload = EmailPayload {
        to: message.to.as_str().to_owned(),
        subject: message.subject,
        body: message.body,
    };
    NewJob {
        kind: EMAIL_JOB.to_owned(),
        // Three strings always make a JSON object.
        payload: serde_json::json!({
            "to": payload.to,
            "subject": payload.subject,
            "body": payload.body,
        }),
        run_at,
        max_attempts: EMAIL_ATTEMPTS,
    }
}

/// What one pass over the queue did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: u32,
    /// Failed this time; queued again for later.
    pub retrying: u32,
    /// Failed for the last time, or could never be sent.
    pub dead: u32,
}

/// Claims and runs every job due at `now`, one after another, until none is left.
pub async fn run_due(
    store: &dyn AccountStore,
    mailer: &dyn Mailer,
    now: DateTime<Utc>,
) -> Result<Pass, StoreError> {
    let mut pass = Pass::default();
    while let Some(job) = store.claim_next_job(now).await? {
        let outcome = match job.kind.as_str() {
            EMAIL_JOB => send(mailer, &job.payload).await,
            // A kind this worker does not know is left to fail into the dead letters, where
            // an operator can see it.
            _ => Err("unknown job kind".to_owned()),
        };
        match outcome {
            Ok(()) => {
                store.complete_job(job.id, now).await?;
                pass.sent += 1;
            }
            Err(reason) => match store.fail_job(job.id, &reason, now).await? {
                JobFate::RetryAt(_) => pass.retrying += 1,
                JobFate::Dead => {
                    tracing::warn!(job = %job.id.0, %reason, "email given up");
                    pass.dead += 1;
                }
            },
        }
    }
    Ok(pass)
}

/// Sends one queued email. The error text names the kind of failure only.
async fn send(mailer: &dyn Mailer, payload: &serde_json::Value) -> Result<(), String> {
    let payload: EmailPayload =
        serde_json::from_value(payload.clone()).map_err(|_| "unreadable email job".to_owned())?;
    let to = Email::parse(&payload.to).map_err(|e| e.to_string())?;
    mailer
        .send(Message {
            to,
            subject: payload.subject,
            body: payload.body,
        })
        .await
        // A server's own words can name the recipient: keep only the kind of failure, which
        // is stored with the job and may reach a log line.
        .map_err(|e| {
            match e {
                MailError::Config(_) => "the mail settings are not usable",
                MailError::Build(_) => "the message could not be built",
                MailError::Transport(_) => "the mail server did not take the message",
                MailError::Io(_) => "the message could not be written to the outbox",
            }
            .to_owned()
        })
}

/// Runs the queue until the process stops: for `knit serve`. Errors from the database are
/// logged and the worker carries on after a pause.
pub async fn run(store: SharedStore, mailer: Arc<dyn Mailer>) {
    loop {
        match run_due(store.as_ref(), mailer.as_ref(), Utc::now()).await {
            Ok(pass) if pass.sent + pass.retrying + pass.dead > 0 => {
                tracing::info!(
                    sent = pass.sent,
                    retrying = pass.retrying,
                    dead = pass.dead,
                    "jobs run"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "jobs worker could not reach the database"),
        }
        tokio::time::sleep(POLL_INTERVAL).await;
    }
}
