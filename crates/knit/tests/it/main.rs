//! Knit's integration tests, in one binary (each extra test binary costs minutes to link).

mod activities;
mod assets;
mod backups;
mod cli;
mod connectors;
mod directory_changes;
mod directory_site;
mod durability;
mod fund;
mod insight;
mod listing_checks;
mod marys_journey;
mod organisations;
mod oruk_api;
mod oruk_conformance;
mod problem_reports;
mod route_permissions;
mod search_properties;
mod staff_listings;
mod staff_pages;
mod staff_sign_in;
mod support;
mod taxonomy_contract;
mod tell_us;
mod volunteering;
mod welsh;
