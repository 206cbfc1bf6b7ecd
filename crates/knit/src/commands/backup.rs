//! `knit backup`, `knit restore` and `knit db copy`.

use std::path::Path;

use anyhow::Context;

use crate::cli::Global;
use crate::config;

pub async fn backup(global: &Global, file: &Path) -> anyhow::Result<()> {
    let url = config::database_url(global.database_url.as_deref(), &global.data_dir)?;
    let summary = knit_store::backup::backup(&url, file)
        .await
        .context("no backup was made")?;
    println!(
        "Backed up the database to {} ({} bytes). The key file is not in it: back it up on its own.",
        file.display(),
        summary.bytes
    );
    Ok(())
}

pub async fn restore(global: &Global, file: &Path, force: bool) -> anyhow::Result<()> {
    let url = config::database_url(global.database_url.as_deref(), &global.data_dir)?;
    knit_store::backup::restore(&url, file, force)
        .await
        .context("nothing was restored")?;
    // Reading the restored data back proves it is whole and up to date with this Knit.
    let store = super::open_store(global)
        .await
        .context("the restored database could not be opened")?;
    let services = store
        .count_services(&knit_store::ServiceFilter::default())
        .await?;
    println!(
        "Restored {} ({services} services). Sealed data opens with the key file it was sealed with.",
        file.display()
    );
    Ok(())
}

pub async fn copy(global: &Global, to: &str) -> anyhow::Result<()> {
    let from = config::database_url(global.database_url.as_deref(), &global.data_dir)?;
    let summary = knit_store::backup::copy_to_postgres(&from, to)
        .await
        .context("nothing was copied")?;
    println!(
        "Copied {} rows in {} tables to PostgreSQL; every table's row count and hash match.",
        summary.rows(),
        summary.tables.len()
    );
    println!("Point Knit at it with KNIT_DATABASE_URL, and give every instance the same key file.");
    Ok(())
}
