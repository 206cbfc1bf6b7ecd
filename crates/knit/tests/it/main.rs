//! Knit's integration tests, in one binary (each extra test binary costs minutes to link).

mod cli;
mod directory_site;
mod oruk_api;
mod oruk_conformance;
mod support;
mod taxonomy_contract;
mod tell_us;
