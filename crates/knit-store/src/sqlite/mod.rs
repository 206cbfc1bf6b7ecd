//! The SQLite backend: one file, in WAL mode with full syncs and foreign keys on.
//!
//! Writes go through a pool of one connection and start with `BEGIN IMMEDIATE`, so writers
//! queue in the process instead of failing with "database is locked"; reads use their own
//! connections, each read a snapshot of its own.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::pool::PoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Pool, Sqlite, Transaction};
use uuid::Uuid;

use crate::{Result, StoreError};

// The same logic is compiled once per backend, on purpose: see `sql_store.rs`.
#[path = "../sql_accounts.rs"]
mod sql_accounts;
#[path = "../sql_assets.rs"]
mod sql_assets;
#[path = "../sql_casework.rs"]
mod sql_casework;
#[path = "../sql_connectors.rs"]
mod sql_connectors;
#[path = "../sql_fund.rs"]
mod sql_fund;
#[path = "../sql_insight.rs"]
mod sql_insight;
#[path = "../sql_match_events.rs"]
mod sql_match_events;
#[allow(clippy::duplicate_mod)]
#[path = "../sql_store.rs"]
mod sql_store;
#[path = "../sql_volunteering.rs"]
mod sql_volunteering;

pub(crate) use sql_store::SqlStore as SqliteStore;

type DB = Sqlite;

/// Ids are stored as lowercase hyphenated text, whose text order is the uuid order.
type Key = uuid::fmt::Hyphenated;

fn key(id: Uuid) -> Key {
    id.hyphenated()
}

fn uuid_of(key: Key) -> Uuid {
    key.into_uuid()
}

/// Times are RFC 3339 text in UTC with nine fractional digits: every stamp has the same
/// width, so comparing the text compares the times.
type Stamp = String;

fn stamp(time: DateTime<Utc>) -> Stamp {
    time.to_rfc3339_opts(SecondsFormat::Nanos, true)
}

fn time_of(stamp: Stamp) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&stamp)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("{stamp:?} is not a time")))
}

/// Times keep all nine fractional digits here.
fn kept_time(time: DateTime<Utc>) -> DateTime<Utc> {
    time
}

/// SQLite has one writer at a time, so changes are numbered in the order they commit.
const LOCK_CHANGES: Option<&str> = None;

/// Before closing, the write-ahead log is folded into the file and emptied: an import of a
/// nation's directory otherwise leaves an 8.5 GB log that the next start reads through
/// (37.6 s to the first answer, against 18.1 s).
const CHECKPOINT_ON_CLOSE: Option<&str> = Some("PRAGMA wal_checkpoint(TRUNCATE)");
/// Sends through the public forms from one address are counted one at a time: on SQLite,
/// `BEGIN IMMEDIATE` already serialises every write.
const LOCK_ADDRESS: Option<&str> = None;

const NAME: &str = "sqlite";

/// How long a write waits for another process's write before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

const READERS: u32 = 4;

/// Page cache per connection, in KiB (SQLite's own default). The operating system caches
/// the file as well, so a small cache here keeps a small charity's server small without
/// slowing reads: 8 MiB a connection held 48 MiB of a 100,000-service server's memory, and
/// starting it was no faster for it.
const CACHE_KIB: u32 = 2 * 1024;

/// After a checkpoint, the write-ahead log is cut back to this size: one large import
/// would otherwise leave a file of its size beside the database for good.
const WAL_KEPT_BYTES: u64 = 64 * 1024 * 1024;

/// Rows SQLite's worker thread may run ahead of the task reading them (sqlx's default is
/// 50): a page of the directory then crosses between the threads in a few hand-overs.
const ROW_BUFFER: usize = 1_000;

async fn begin_write(pool: &Pool<DB>) -> Result<Transaction<'static, DB>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

async fn begin_read(pool: &Pool<DB>) -> Result<Transaction<'static, DB>> {
    // A deferred transaction reads from one snapshot, taken at its first read.
    Ok(pool.begin().await?)
}

impl SqliteStore {
    /// Opens (creating if need be) the SQLite database named by `url` — `sqlite://path`,
    /// `sqlite:path` or a plain file path — and applies the migrations.
    pub(crate) async fn open(url: &str) -> Result<SqliteStore> {
        let options = if url.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url).map_err(|e| StoreError::Connect(e.to_string()))?
        } else {
            SqliteConnectOptions::new()
                .filename(url)
                .create_if_missing(true)
        };
        if let Some(dir) = Path::new(options.get_filename()).parent()
            && !dir.as_os_str().is_empty()
            && !url.contains("mode=memory")
            && !url.contains(":memory:")
        {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Connect(format!("cannot create the folder {}: {e}", dir.display()))
            })?;
        }
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // No memory map: mapped pages count against the process, and reading the whole
            // directory at start would map all of it.
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            .pragma("journal_size_limit", WAL_KEPT_BYTES.to_string())
            .row_buffer_size(ROW_BUFFER);
        let connect = |max: u32| {
            PoolOptions::<DB>::new()
                .max_connections(max)
                .min_connections(1)
                .connect_with(options.clone())
        };
        let writer = connect(1)
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&writer)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))?;
        let reader = connect(READERS)
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        Ok(SqliteStore {
            writer,
            reader,
            keys: Default::default(),
        })
    }
}
