//! Training: sessions anyone can book without an account (with a waiting list and
//! calendars), the place lead's schedule and register on a phone, and the emails that
//! confirm, remind and promote from the waiting list.

pub mod emails;
pub(crate) mod public;
pub(crate) mod register;

pub(crate) use public::{SessionView, UPCOMING_LIMIT};
