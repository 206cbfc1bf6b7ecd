//! The `knit` command: the binary that serves Knit and looks after its data.

pub mod demo;
