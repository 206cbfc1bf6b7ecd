//! Community assets: the public register and booking requests without an account
//! (`public`), the staff pages that manage assets and answer requests (`staff`), the emails
//! and calendars (`emails`) and the reminder for requests left unanswered (`reminders`).

pub mod emails;
pub(crate) mod public;
pub mod reminders;
pub(crate) mod staff;
