//! Choosing and opening a backend from a database address.

use std::sync::Arc;

use crate::{Result, SharedStore, StoreError, postgres, sqlite};

/// Opens the database at `url` and brings it up to date: `postgres://…` (or
/// `postgresql://…`) is PostgreSQL; `sqlite://path?mode=rwc`, `sqlite:path` or a plain file
/// path is SQLite, the file and its folder created on first use.
pub async fn open(url: &str) -> Result<SharedStore> {
    if is_postgres(url) {
        Ok(Arc::new(postgres::PostgresStore::open(url, None).await?))
    } else {
        Ok(Arc::new(sqlite::SqliteStore::open(url).await?))
    }
}

/// Opens PostgreSQL in a fresh schema of its own (`knit_test_…`), migrated and empty, so
/// tests can run side by side on one server. Returns the store and the schema's name, for
/// [`drop_postgres_schema`] when done.
pub async fn open_postgres_isolated(url: &str) -> Result<(SharedStore, String)> {
    if !is_postgres(url) {
        return Err(StoreError::Connect(
            "a PostgreSQL address starts with postgres://".into(),
        ));
    }
    let schema = format!("knit_test_{}", uuid::Uuid::new_v4().simple());
    postgres::create_schema(url, &schema).await?;
    let store = postgres::PostgresStore::open(url, Some(&schema)).await?;
    Ok((Arc::new(store), schema))
}

/// Removes a schema made by [`open_postgres_isolated`], with everything in it.
pub async fn drop_postgres_schema(url: &str, schema: &str) -> Result<()> {
    postgres::drop_schema(url, schema).await
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}
