//! Knit's domain: the types and rules every other crate shares. Nothing here does I/O.

pub mod directory;
pub mod geo;
pub mod hsds;
pub mod needs;
pub mod opening;
pub mod postcode;
pub mod synthetic;
pub mod time_of_day;
pub mod validation;

pub use directory::Service;
pub use needs::{NEEDS, Need, NeedDomain, NeedId};
