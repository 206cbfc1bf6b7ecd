//! One module per group of commands.

pub mod accounts;
pub mod backup;
pub mod bench;
pub mod bench_assets;
pub mod bench_insight;
pub mod casework;
pub mod data;
pub mod fund;
pub mod matching;
pub mod postcodes;
pub mod search;
pub mod serve;
pub mod wards;

use std::io::IsTerminal;

use anyhow::Context;
use knit_store::SharedStore;

use crate::cli::Global;
use crate::config;

/// Opens the configured database, creating and migrating it as needed, with the keys that
/// seal personal data.
pub async fn open_store(global: &Global) -> anyhow::Result<SharedStore> {
    let url = config::database_url(global.database_url.as_deref(), &global.data_dir)?;
    let store = knit_store::open(&url)
        .await
        .context("could not open the database")?;
    use_keys(global, store.as_ref())?;
    Ok(store)
}

/// Loads the key file (creating it on first use) and hands the keys to the store.
pub fn use_keys(global: &Global, store: &dyn knit_store::Store) -> anyhow::Result<()> {
    let path = config::key_file(global.key_file.as_deref(), &global.data_dir);
    let keys = knit_store::sealing::KeyRing::load_or_create(&path)
        .with_context(|| format!("could not load the key file {}", path.display()))?;
    store.use_keys(std::sync::Arc::new(keys));
    Ok(())
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
