//! Referrals: a coordinator refers a person to a service with their consent, the
//! organisation works its inbox (opened, accepted or turned down, started, completed,
//! referred onward) and the referrer hears each step; unanswered referrals are chased.
//! The states and who may move them are `knit_domain::referral`; the store applies each
//! move in the transaction that writes it.

pub mod chaser;
pub(crate) mod inbox;

pub(crate) use inbox::inbox_organisations;

use knit_store::casework::ReferralError;

use crate::kit::PageError;

/// A store refusal about a referral, as a person reads it.
pub(crate) fn referral_error(back: &str, error: ReferralError) -> PageError {
    match error {
        ReferralError::NotFound => PageError::NotFound("referral"),
        ReferralError::Store(e) => e.into(),
        refused => PageError::refused(refused, back, "Go back"),
    }
}
