//! `knit migrate`, `knit import hsds`, `knit export hsds` and `knit generate`.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;
use knit_domain::hsds;
use knit_store::ServiceFilter;

use super::{Progress, open_store};
use crate::cli::Global;

pub async fn migrate(global: &Global) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let services = store.count_services(&ServiceFilter::default()).await?;
    println!("The database is up to date ({services} services).");
    Ok(())
}

pub async fn import_hsds(global: &Global, file: &Path) -> anyhow::Result<()> {
    let progress = Progress::new();
    progress.say(&format!("Reading {}…", file.display()));
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("could not read {}", file.display()))?;
    let services = match hsds::parse_services(&text) {
        Ok(services) => services,
        Err(hsds::HsdsError::BadRecords(problems)) => {
            progress.done();
            for problem in &problems {
                eprintln!("{problem}");
            }
            anyhow::bail!(
                "rejected {} problem(s) in {}; nothing was imported",
                problems.len(),
                file.display()
            );
        }
        Err(e) => anyhow::bail!("{}: {e}; nothing was imported", file.display()),
    };
    progress.say(&format!("Storing {} services…", services.len()));
    let store = open_store(global).await?;
    let summary = store
        .put_services(&services)
        .await
        .context("the import failed; nothing was imported")?;
    progress.done();
    println!(
        "Imported {}: {} added, {} updated, 0 rejected.",
        file.display(),
        summary.added,
        summary.updated
    );
    Ok(())
}

/// How many services to hold in memory at once while exporting.
const EXPORT_BATCH: u32 = 1_000;

pub async fn export_hsds(global: &Global, file: Option<&Path>) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let out: Box<dyn Write> = match file {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("could not create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let progress = Progress::new();
    let mut after = None;
    let mut written = 0u64;
    out.write_all(b"[")?;
    loop {
        let batch = store
            .services_after(after, EXPORT_BATCH, &ServiceFilter::default())
            .await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.id);
        for service in &batch {
            out.write_all(if written == 0 { b"\n" } else { b",\n" })?;
            serde_json::to_writer(&mut out, service)?;
            written += 1;
        }
        progress.say(&format!("Exported {written} services…"));
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    progress.done();
    if let Some(path) = file {
        println!("Exported {written} services to {}.", path.display());
    }
    Ok(())
}

pub fn generate(count: usize, seed: u64, file: Option<&Path>) -> anyhow::Result<()> {
    let out: Box<dyn Write> = match file {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("could not create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::new(out);
    let progress = Progress::new();
    out.write_all(b"[")?;
    for (i, service) in knit_domain::synthetic::services(count, seed).enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut out, &service)?;
        if (i + 1) % 10_000 == 0 {
            progress.say(&format!("Generated {} of {count} services…", i + 1));
        }
    }
    out.write_all(b"\n]\n")?;
    out.flush()?;
    progress.done();
    if let Some(path) = file {
        println!("Wrote {count} services to {}.", path.display());
    }
    Ok(())
}
