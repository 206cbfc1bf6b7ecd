//! One module per group of commands.

pub mod accounts;
pub mod data;
pub mod matching;
pub mod postcodes;
pub mod search;
pub mod serve;

use std::io::IsTerminal;

use anyhow::Context;
use knit_store::SharedStore;

use crate::cli::Global;
use crate::config;

/// Opens the configured database, creating and migrating it as needed.
pub async fn open_store(global: &Global) -> anyhow::Result<SharedStore> {
    let url = config::database_url(global.database_url.as_deref(), &global.data_dir)?;
    knit_store::open(&url)
        .await
        .context("could not open the database")
}

/// Progress for long jobs, only when a person is watching the terminal.
pub struct Progress {
    shown: bool,
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            shown: std::io::stderr().is_terminal(),
        }
    }

    pub fn say(&self, message: &str) {
        if self.shown {
            eprint!("\r\x1b[2K{message}");
        }
    }

    pub fn done(&self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}
