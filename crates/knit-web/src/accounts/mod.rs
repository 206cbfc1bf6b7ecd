//! Staff accounts: signing in with a password and two-factor, resetting a password,
//! accepting an invitation, the dashboard a member of staff lands on, and the place lead's
//! users pages. Every rule comes from `knit_domain` (who may do what, how long sessions
//! and links last, when sign-in slows down, what a good password is, how codes are
//! checked); the store keeps the records; these pages record each step in the audit log.

pub(crate) mod dashboard;
pub mod invitation;
pub(crate) mod reset;
pub(crate) mod sign_in;
pub(crate) mod two_factor;
pub mod users;

pub(crate) use sign_in::next_step;
