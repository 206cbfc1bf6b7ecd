//! The `knit` command: the binary that serves Knit and looks after its data.

pub mod app;
pub mod cli;
mod commands;
pub use commands::fund::{publisher as fund_publisher, write_360giving};
pub mod config;
pub mod demo;

/// `knit bench insight` over a store of the caller's: for the ignored benchmark test.
pub use commands::bench_insight::fill_and_time as bench_insight;
