//! Demo data written for Knit: Kestleford, an invented market town of about 20,000 people in
//! the Kestle Valley, and seven villages around it, with their advice centres, food banks,
//! clubs, helplines and groups. It gives a new installation (`knit demo`) and the tests a
//! directory that feels like a real place, without a single real address, phone number or
//! person in it.
//!
//! Everything is deterministic: ids are UUIDv5 values from a fixed namespace, and dates
//! count back from 1 November 2026, so two runs produce identical data.

pub mod assets;
mod care_and_family;
mod entry;
pub mod fund;
pub mod insight;
mod money_and_housing;
mod organisations;
mod places;
mod safety_and_health;
pub mod staff;
mod training;
pub mod volunteering;
mod work_and_community;

#[cfg(test)]
mod tests;

use knit_domain::Service;

pub use places::{TOWN, centre, places, postcodes};
pub use training::{
    DEMO_CONNECTOR_CODE, DEMO_CONNECTOR_EMAIL, DEMO_CONNECTOR_PASSWORD, DEMO_LEAD_EMAIL,
    DEMO_LEAD_PASSWORD, DEMO_LEAD_TOTP_SECRET, training_sessions,
};

const MON_FRI: &str = "MO,TU,WE,TH,FR";
const EVERY_DAY: &str = "MO,TU,WE,TH,FR,SA,SU";
/// Winter warm spaces run from the first week of November to the end of March.
const WINTER_FROM: &str = "2026-11-02";
const WINTER_TO: &str = "2027-03-27";

fn entries() -> impl Iterator<Item = &'static entry::Entry> {
    money_and_housing::ENTRIES
        .iter()
        .chain(safety_and_health::ENTRIES)
        .chain(care_and_family::ENTRIES)
        .chain(work_and_community::ENTRIES)
}

/// Every demo service, fully nested in HSDS with its organisation, places, times, phones,
/// costs and needs; the same values on every run.
pub fn directory() -> Vec<Service> {
    entries()
        .enumerate()
        .map(|(index, entry)| entry.to_service(index))
        .collect()
}
