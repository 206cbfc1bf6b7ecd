//! The PostgreSQL backend, for several instances over one database.

use std::str::FromStr;

use chrono::{DateTime, SubsecRound, Utc};
use sqlx::pool::PoolOptions;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection, Pool, Postgres, Transaction};
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

pub(crate) use sql_store::SqlStore as PostgresStore;

type DB = Postgres;

type Key = Uuid;

fn key(id: Uuid) -> Key {
    id
}

fn uuid_of(key: Key) -> Uuid {
    key
}

/// `timestamptz`, which keeps microseconds: a finer time comes back rounded down to them.
type Stamp = DateTime<Utc>;

fn stamp(time: DateTime<Utc>) -> Stamp {
    time
}

fn time_of(stamp: Stamp) -> Result<DateTime<Utc>> {
    Ok(stamp)
}

/// What `timestamptz` keeps of a time: microseconds.
fn kept_time(time: DateTime<Utc>) -> DateTime<Utc> {
    time.trunc_subsecs(6)
}

/// Writers add changes one transaction at a time, so a reader never sees a later number
/// before an earlier one commits and skips it.
const LOCK_CHANGES: Option<&str> = Some("LOCK TABLE directory_changes IN EXCLUSIVE MODE");

/// PostgreSQL keeps its own log: closing needs nothing first.
const CHECKPOINT_ON_CLOSE: Option<&str> = None;
/// Sends through the public forms from one address are counted one at a time, whichever
/// instance takes them: a lock on the address until the transaction ends.
const LOCK_ADDRESS: Option<&str> = Some("SELECT pg_advisory_xact_lock(hashtext($1))");

const NAME: &str = "postgres";

const CONNECTIONS: u32 = 8;

async fn begin_write(pool: &Pool<DB>) -> Result<Transaction<'static, DB>> {
    Ok(pool.begin().await?)
}

async fn begin_read(pool: &Pool<DB>) -> Result<Transaction<'static, DB>> {
    // One snapshot for all the statements that load a batch of services.
    Ok(pool
        .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .await?)
}

fn connect_options(url: &str) -> Result<PgConnectOptions> {
    PgConnectOptions::from_str(url).map_err(|e| StoreError::Connect(e.to_string()))
}

/// Test schemas are named by [`crate::open_postgres_isolated`]; nothing else is accepted,
/// as the name is written into SQL.
fn check_schema_name(schema: &str) -> Result<()> {
    let ok = schema.starts_with("knit_test_")
        && schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Connect(format!(
            "{schema:?} is not a test schema"
        )))
    }
}

pub(crate) async fn create_schema(url: &str, schema: &str) -> Result<()> {
    check_schema_name(schema)?;
    let mut conn = PgConnection::connect_with(&connect_options(url)?)
        .await
        .map_err(|e| StoreError::Connect(e.to_string()))?;
    sqlx::query(AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&mut conn)
        .await?;
    conn.close().await?;
    Ok(())
}

pub(crate) async fn drop_schema(url: &str, schema: &str) -> Result<()> {
    check_schema_name(schema)?;
    let mut conn = PgConnection::connect_with(&connect_options(url)?)
        .await
        .map_err(|e| StoreError::Connect(e.to_string()))?;
    sqlx::query(AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE"
    )))
    .execute(&mut conn)
    .await?;
    conn.close().await?;
    Ok(())
}

impl PostgresStore {
    /// Connects to `url` and applies the migrations; with `schema`, everything lives in that
    /// schema (tests use it to keep apart).
    pub(crate) async fn open(url: &str, schema: Option<&str>) -> Result<PostgresStore> {
        let mut options = connect_options(url)?;
        if let Some(schema) = schema {
            check_schema_name(schema)?;
            options = options.options([("search_path", schema)]);
        }
        let pool = PoolOptions::<DB>::new()
            .max_connections(CONNECTIONS)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Migrate(e.to_string()))?;
        Ok(PostgresStore {
            writer: pool.clone(),
            reader: pool,
            keys: Default::default(),
        })
    }
}
