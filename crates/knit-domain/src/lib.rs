//! Knit's domain: the types and rules every other crate shares. Nothing here does I/O.

pub mod access;
pub mod account;
pub mod activities;
pub mod assets;
pub mod audit;
pub mod casework;
pub mod connector;
pub mod directory;
pub mod disclosure;
pub mod fund;
pub mod geo;
pub mod groups;
pub mod hsds;
pub mod icalendar;
pub mod insight;
pub mod introductions;
pub mod language;
pub mod listing_change;
pub mod match_events;
pub mod matcher_feedback;
pub mod needs;
pub mod opening;
pub mod outbound;
pub mod password;
pub mod postcode;
pub mod public_forms;
pub mod referral;
pub mod session;
pub mod synthetic;
pub mod time_of_day;
pub mod totp;
pub mod training;
pub mod validation;
pub mod volunteering;
pub mod wards;
pub mod wellbeing;

#[cfg(test)]
mod decoder_properties;

pub use directory::Service;
pub use needs::{NEEDS, Need, NeedDomain, NeedId};
