use thiserror::Error;

/// Why the store could not do what was asked. Messages never carry personal data.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("the database could not be opened: {0}")]
    Connect(String),
    #[error("the database could not be brought up to date: {0}")]
    Migrate(String),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("the database refused the change: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("no encryption key is loaded, so personal data cannot be read or written")]
    NoKeys,
    #[error("stored data could not be read back: {0}")]
    Corrupt(String),
}
