//! Activities and hubs: what's on this week (`public`), each activity's and each hub's,
//! organisation's and the whole place's iCalendar feeds with their repeat rules, and the
//! place lead's pages to list activities, add hubs and import a partner's feed (`staff`),
//! fetched within size and time bounds (`feed`).

pub mod feed;
pub mod public;
pub mod staff;
