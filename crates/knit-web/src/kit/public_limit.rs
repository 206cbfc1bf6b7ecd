//! The one limit on the public forms that write or send mail (`knit_domain::public_forms`),
//! asked the same way by each of them; each form says "not now" in its own words.

use chrono::Utc;
use knit_domain::public_forms::{PUBLIC_WINDOW, PublicForm, public_request_allowed};

use crate::AppState;

/// Whether `form` takes one more send from `address`, counted and recorded by the store in
/// one transaction. A failure to count is ours, and the send is taken: a broken counter
/// must never stop someone asking for help.
pub async fn admit(state: &AppState, form: PublicForm, address: &str) -> bool {
    let now = Utc::now();
    let since = now - PUBLIC_WINDOW;
    match state
        .store
        .admit_public_send(form, address, since, now, public_request_allowed)
        .await
    {
        Ok(taken) => taken,
        Err(e) => {
            tracing::error!(error = %e, form = form.code(), "could not count recent sends; taking this one");
            true
        }
    }
}

/// Whether `address` has already sent all that `form` takes in the window: asked before a
/// form is checked, so the visitor hears "not now" before putting mistakes right. Only
/// [`admit`] decides; this only reads.
pub async fn already_full(state: &AppState, form: PublicForm, address: &str) -> bool {
    let since = Utc::now() - PUBLIC_WINDOW;
    match state.store.recent_public_sends(form, address, since).await {
        Ok(recent) => !public_request_allowed(recent),
        Err(e) => {
            tracing::error!(error = %e, form = form.code(), "could not count recent sends");
            false
        }
    }
}
