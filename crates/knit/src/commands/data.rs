//! `knit migrate`, `knit import hsds`, `knit export hsds` and `knit generate`.

use std::io::{BufReader, BufWriter, Write};
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use knit_domain::{Service, hsds};
use knit_store::ServiceFilter;

use super::{Progress, open_store};
use crate::cli::Global;

pub async fn migrate(global: &Global) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let services = store.count_services(&ServiceFilter::default()).await?;
    println!("The database is up to date ({services} services).");
    Ok(())
}

/// Services written to the database at a time while importing; two batches wait in line
/// while one is written, so memory stays at a few batches whatever the file's size.
const IMPORT_BATCH: usize = 1_000;

/// How `knit import hsds` is told the layout of its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HsdsFormat {
    /// A JSON array of services.
    Array,
    /// One service per line (JSON lines).
    Ndjson,
}

/// Reads the file on a thread of its own while the database writes, in one transaction
/// that is committed only if every record was good.
pub async fn import_hsds(
    global: &Global,
    file: &Path,
    format: Option<HsdsFormat>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let opened =
        std::fs::File::open(file).with_context(|| format!("could not read {}", file.display()))?;
    let store = open_store(global).await?;
    let progress = Progress::new();
    progress.say(&format!("Reading {}…", file.display()));
    let format = format.map(|f| match f {
        HsdsFormat::Array => hsds::Format::Array,
        HsdsFormat::Ndjson => hsds::Format::Lines,
    });
    let (batches, mut arriving) = tokio::sync::mpsc::channel::<Vec<Service>>(2);
    let reader = std::thread::spawn(move || {
        let mut batch = Vec::with_capacity(IMPORT_BATCH);
        let read = hsds::read_services(BufReader::with_capacity(1 << 20, opened), format, |s| {
            batch.push(s);
            if batch.len() == IMPORT_BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(IMPORT_BATCH));
                // The writer has stopped: its error is the one to report.
                if batches.blocking_send(full).is_err() {
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        if read.is_ok() && !batch.is_empty() {
            let _ = batches.blocking_send(batch);
        }
        read
    });

    let mut import = store
        .begin_import()
        .await
        .context("could not start the import; nothing was imported")?;
    let mut stored = 0usize;
    let mut failed = None;
    while let Some(batch) = arriving.recv().await {
        if let Err(e) = import.put(&batch).await {
            failed = Some(e);
            break;
        }
        stored += batch.len();
        progress.say(&format!("Stored {stored} services…"));
    }
    drop(arriving);
    let read = reader.join().expect("the reading thread does not panic");
    progress.done();
    if let Some(e) = failed {
        drop(import);
        return Err(anyhow::Error::new(e).context(format!(
            "the import of {} failed; nothing was imported",
            file.display()
        )));
    }
    match read {
        Ok(_) => {}
        Err(hsds::HsdsError::BadRecords { shown, total }) => {
            drop(import);
            for problem in &shown {
                eprintln!("{problem}");
            }
            if total > shown.len() {
                eprintln!("…and {} more", total - shown.len());
            }
            anyhow::bail!(
                "rejected {total} problem(s) in {}; nothing was imported",
                file.display()
            );
        }
        Err(e) => anyhow::bail!("{}: {e}; nothing was imported", file.display()),
    }
    let summary = import
        .commit()
        .await
        .context("the import failed; nothing was imported")?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "Imported {}: {} added, {} updated, 0 rejected ({stored} services in {seconds:.1} s, \
         {:.0} a second).",
        file.display(),
        summary.added,
        summary.updated,
        stored as f64 / seconds.max(0.001)
    );
    store
        .close()
        .await
        .context("the import is stored, but the database did not close cleanly")?;
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
