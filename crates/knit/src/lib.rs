//! The `knit` command: the binary that serves Knit and looks after its data.

pub mod app;
pub mod cli;
mod commands;
pub mod config;
pub mod demo;
