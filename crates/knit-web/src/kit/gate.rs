//! The one way through a request: every route in [`crate::routes`] names a [`Guard`], and
//! [`check`] applies it before the handler runs — it signs the visitor in, asks the
//! permission policy, checks a form's token and origin, and records refusals and reads of
//! personal data in the audit log. A staff handler takes [`Allowed`] and starts at its
//! intent.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use knit_domain::access::{Action, ActionKind, Audience, Decision, Denial, decide};
use knit_domain::account::{Actor, OrganizationId, UserId};
use knit_domain::audit::{AccountEvent, NewAuditEvent, Outcome};
use knit_store::Store;
use knit_store::casework::Stamp;
use uuid::Uuid;

use super::address::ClientAddress;
use super::csrf;
use super::page::PageError;
use super::session::{self, SignedIn};
use crate::AppState;
use crate::accounts::next_step;

/// What a route asks of its visitor before its handler runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Anyone may; the action names what the visitor does. A form sent here must come from
    /// this site.
    Public(Action),
    /// The forms used before signing in (sign-in, reset, invitation): a form sent here
    /// carries the token of the form cookie.
    SignIn,
    /// A signed-in member of staff whom the policy allows this action; a form sent here
    /// carries the session's token.
    Staff(Action),
    /// A signed-in member of staff; the handler asks for an action of this kind through
    /// [`Allowed::require`] once it knows the organisation it concerns (a referral's, a
    /// listing's, the membership offered).
    Scoped(ActionKind),
}

impl Guard {
    /// The action the route stands for, where the route alone says which.
    pub fn action(&self) -> Option<Action> {
        match self {
            Guard::Public(action) | Guard::Staff(action) => Some(*action),
            Guard::SignIn => Some(Action::SignIn),
            Guard::Scoped(_) => None,
        }
    }
}

/// A request the policy allowed: who, as what, and the stamp the store records with each
/// change.
#[derive(Clone)]
pub struct Allowed {
    pub signed_in: SignedIn,
    /// What the visitor was allowed: the route's action, or the one [`Allowed::require`]
    /// asked for last.
    pub action: Action,
    pub stamp: Stamp,
}

impl Allowed {
    /// The session's form token, for the page's forms.
    pub fn csrf(&self) -> String {
        self.signed_in.csrf_secret.clone()
    }

    pub fn actor(&self) -> &Actor {
        &self.signed_in.actor
    }

    pub fn user_id(&self) -> UserId {
        self.signed_in.user.id
    }

    pub fn address(&self) -> &str {
        self.stamp.address.as_deref().unwrap_or("unknown")
    }

    /// Whether the policy would allow `action`, for offering links and choices.
    pub fn may(&self, action: &Action) -> bool {
        decide(self.actor(), action).is_allowed()
    }

    /// The organisations the visitor is a member of.
    pub fn own_organisations(&self) -> Vec<OrganizationId> {
        self.actor()
            .memberships()
            .iter()
            .filter_map(|m| m.organization())
            .collect()
    }

    /// Whose records the visitor works on with an action scoped by organisation: every
    /// organisation's (`None`) when `action(None)` is allowed, otherwise those of their own
    /// organisations for which it is.
    pub fn reach(
        &self,
        action: impl Fn(Option<OrganizationId>) -> Action,
    ) -> Option<Vec<OrganizationId>> {
        if self.may(&action(None)) {
            return None;
        }
        Some(
            self.own_organisations()
                .into_iter()
                .filter(|o| self.may(&action(Some(*o))))
                .collect(),
        )
    }

    /// Asks the policy for an action that depends on what the request concerns; on
    /// refusal, audits it and gives the refusal page. The stamp takes the role the action
    /// is done as.
    pub async fn require(&mut self, state: &AppState, action: &Action) -> Result<(), PageError> {
        let decision = decide(self.actor(), action);
        let address = self.address().to_owned();
        if decision.denial().is_some() || action.exposes_personal_data() {
            audit_decision(
                state.store.as_ref(),
                self.actor(),
                action,
                &decision,
                &address,
                self.stamp.at,
            )
            .await;
        }
        match decision {
            Decision::Allow { as_role } => {
                self.stamp.role = as_role;
                self.action = *action;
                Ok(())
            }
            Decision::Deny(denial) => Err(PageError::Denied(denial)),
        }
    }

    /// Records that the visitor read the object named (a person's record, a referral about
    /// them), under the action they were allowed.
    pub async fn audit_read(&self, state: &AppState, object_type: &str, id: Uuid) {
        self.audit(state, &self.action, object_type, id).await;
    }

    /// Records that the visitor did `action` to the object named, after the change (for
    /// changes whose store method does not write their own audit event).
    pub async fn audit(&self, state: &AppState, action: &Action, object_type: &str, id: Uuid) {
        let new = NewAuditEvent::for_decision(
            self.actor(),
            action,
            &Decision::Allow {
                as_role: self.stamp.role,
            },
            object_type,
            Some(id.to_string()),
            self.stamp.address.clone(),
            self.stamp.at,
        );
        if let Err(e) = state.store.append_audit(new).await {
            tracing::error!(error = %e, action = action.code(), "audit event not written");
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Allowed {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Allowed, PageError> {
        parts.extensions.remove::<Allowed>().ok_or_else(|| {
            PageError::Internal(format!(
                "{} {} takes a signed-in visitor but its route has no staff guard",
                parts.method,
                parts.uri.path()
            ))
        })
    }
}

/// Applies a route's guard; see the module's words.
pub(crate) async fn check(
    State((state, guard)): State<(AppState, Guard)>,
    request: Request,
    next: Next,
) -> Response {
    match admit(&state, guard, request).await {
        Ok(request) => next.run(request).await,
        Err(refusal) => refusal.into_response(),
    }
}

async fn admit(state: &AppState, guard: Guard, request: Request) -> Result<Request, PageError> {
    let form = request.method() == Method::POST;
    let (mut parts, body) = request.into_parts();
    let ClientAddress(address) = ClientAddress::of(&parts, &state.site.trusted_proxies);
    let now = Utc::now();
    let body = match guard {
        Guard::Public(_) => {
            if form {
                csrf::check_public(&parts.headers).map_err(|_| PageError::Forged)?;
            }
            body
        }
        Guard::SignIn => {
            if !form {
                body
            } else {
                let (token, body) = form_token(body).await?;
                csrf::check_anonymous(&parts.headers, &token).map_err(|_| PageError::Forged)?;
                body
            }
        }
        Guard::Staff(_) | Guard::Scoped(_) => {
            // A scoped page asks here only that the visitor is staff who has finished
            // signing in; its handler asks for the action once it knows the organisation.
            let action = guard.action().unwrap_or(Action::ViewDashboard);
            let signed_in = authorise(state, &parts.headers, &address, &action, now).await?;
            let body = if form {
                let (token, body) = form_token(body).await?;
                csrf::check_session(&parts.headers, &signed_in.csrf_secret, &token)
                    .map_err(|_| PageError::Forged)?;
                body
            } else {
                body
            };
            let role = match decide(&signed_in.actor, &action) {
                Decision::Allow { as_role } => as_role,
                Decision::Deny(_) => None,
            };
            let stamp = Stamp {
                by: Some(signed_in.user.id),
                role,
                at: now,
                address: Some(address),
            };
            parts.extensions.insert(Allowed {
                signed_in,
                action,
                stamp,
            });
            body
        }
    };
    Ok(Request::from_parts(parts, body))
}

/// The `csrf` field of a form, and the body put back together for the handler. The router's
/// body limit has already bounded how much is read.
async fn form_token(body: Body) -> Result<(String, Body), PageError> {
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| PageError::BadRequest("We couldn't read what was sent.".to_owned()))?;
    let token = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "csrf")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default();
    Ok((token, Body::from(bytes)))
}

/// The signed-in user if the policy lets them do `action`, or the refusal that puts it
/// right. No session: to the sign-in page. Two-factor still to do (or set up): there. Any
/// other refusal: the refusal page. Every refusal of a signed-in user, and every allowed
/// action that shows personal data, goes into the audit log with the address. A user who
/// turned two-factor on (optional for connectors) finishes signing in with it before any
/// staff action.
pub(crate) async fn authorise(
    state: &AppState,
    headers: &HeaderMap,
    address: &str,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<SignedIn, PageError> {
    let store = state.store.as_ref();
    let Some(signed_in) = session::current(store, headers, now).await? else {
        return Err(PageError::SignIn);
    };
    let decision = decide(&signed_in.actor, action);
    if decision.denial().is_some() || action.exposes_personal_data() {
        audit_decision(store, &signed_in.actor, action, &decision, address, now).await;
    }
    let next = next_step(&signed_in.user, &signed_in.actor);
    match decision.denial() {
        None if action.audience() == Audience::Staff && next == "/staff/two-factor" => {
            Err(PageError::NextStep(next))
        }
        None => Ok(signed_in),
        Some(Denial::NotSignedIn) => Err(PageError::SignIn),
        Some(Denial::NeedsTwoFactor) => Err(PageError::NextStep(next)),
        Some(denial) => Err(PageError::Denied(denial)),
    }
}

/// Appends a permission decision to the audit log. A failure to write it is logged (without
/// personal data) but does not stop the page: the operator sees the error.
pub(crate) async fn audit_decision(
    store: &dyn Store,
    actor: &Actor,
    action: &Action,
    decision: &Decision,
    address: &str,
    now: DateTime<Utc>,
) {
    let new = NewAuditEvent::for_decision(
        actor,
        action,
        decision,
        "page",
        None,
        Some(address.to_owned()),
        now,
    );
    if let Err(e) = store.append_audit(new).await {
        tracing::error!(error = %e, action = action.code(), "audit event not written");
    }
}

/// Appends an account event (a sign-in, a code checked, a password set) to the audit log;
/// like [`audit_decision`], a failure to write it does not hold the person's sign-in hostage.
pub(crate) async fn audit_account(
    store: &dyn Store,
    event: AccountEvent,
    actor: Option<UserId>,
    subject: Option<UserId>,
    outcome: Outcome,
    address: &str,
    now: DateTime<Utc>,
) {
    let new = NewAuditEvent::for_account_event(
        event,
        actor,
        subject,
        outcome,
        Some(address.to_owned()),
        now,
    );
    if let Err(e) = store.append_audit(new).await {
        tracing::error!(error = %e, event = event.code(), "audit event not written");
    }
}
