//! `knit person export` and `knit keys rotate`.

use std::path::Path;

use anyhow::Context;
use chrono::Utc;
use knit_domain::access::ActionKind;
use knit_domain::audit::{NewAuditEvent, Outcome};
use knit_domain::casework::PersonId;
use knit_store::sealing::KeyRing;
use uuid::Uuid;

use super::open_store;
use crate::cli::Global;
use crate::config;

/// Writes a person's whole record as JSON, and records the export in the audit log as done
/// at the command line.
pub async fn export_person(global: &Global, id: Uuid, out: Option<&Path>) -> anyhow::Result<()> {
    let store = open_store(global).await?;
    let record = store
        .person(PersonId(id))
        .await
        .context("could not read the record")?
        .with_context(|| format!("there is no person with the reference {id}"))?;
    let json = record
        .to_export_json()
        .context("could not write the record as JSON")?;
    store
        .append_audit(NewAuditEvent {
            at: Utc::now(),
            actor: None,
            actor_role: None,
            action: ActionKind::ExportPerson.code().to_owned(),
            object_type: "person".to_owned(),
            object_id: Some(id.to_string()),
            address: Some("command line".to_owned()),
            outcome: Outcome::Succeeded,
        })
        .await
        .context("could not record the export in the audit log; nothing was written")?;
    match out {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("could not write {}", path.display()))?,
        None => println!("{json}"),
    }
    Ok(())
}

/// Adds a new primary key to the key file, reseals every sealed value under it, and only
/// then drops the old keys: stopped at any point, every value still opens with the file.
pub async fn rotate_keys(global: &Global) -> anyhow::Result<()> {
    let path = config::key_file(global.key_file.as_deref(), &global.data_dir);
    if !path.exists() {
        anyhow::bail!(
            "there is no key file at {}; nothing is sealed yet, so there is nothing to rotate",
            path.display()
        );
    }
    let keys = KeyRing::rotate_file(&path)
        .with_context(|| format!("could not add a new key to {}", path.display()))?;
    let url = config::database_url(global.database_url.as_deref(), &global.data_dir)?;
    let store = knit_store::open(&url)
        .await
        .context("could not open the database")?;
    store.use_keys(std::sync::Arc::new(keys));
    let resealed = store
        .reseal_all()
        .await
        .context("could not reseal everything; the old keys are kept, so nothing is lost")?;
    KeyRing::retire_file(&path)
        .with_context(|| format!("could not drop the old keys from {}", path.display()))?;
    println!("Resealed {resealed} values under a new key; the old keys are gone.");
    Ok(())
}
