//! Backups, restores and moving a SQLite database to PostgreSQL.
//!
//! A backup holds the database only. The key file that seals personal data is never in it:
//! it is kept and backed up on its own, and a restored database opens with the same key
//! file.
//!
//! - SQLite: `VACUUM INTO` writes a consistent copy while Knit keeps running; a restore
//!   checks the copy and puts it in place of the database file (stop Knit first).
//! - PostgreSQL: `pg_dump --format=custom` and `pg_restore --single-transaction`, when the
//!   PostgreSQL client tools are installed.

mod copy;
mod fingerprint;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, PgConnection, SqliteConnection};
use thiserror::Error;

pub use copy::{CopySummary, copy_to_postgres};
pub use fingerprint::TableFingerprint;

use crate::StoreError;

/// Why a backup, restore or copy did not happen. Nothing is half-written in any case.
#[derive(Debug, Error)]
pub enum BackupError {
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error("{0} already exists; choose a new file name")]
    Exists(PathBuf),
    #[error("{path} is not a Knit backup: {reason}")]
    NotABackup { path: PathBuf, reason: String },
    #[error(
        "the database already holds data ({tables}); restore into an empty database, or pass --force to replace it"
    )]
    NotEmpty { tables: String },
    #[error("the target database already holds data ({tables}); copy into an empty database")]
    TargetNotEmpty { tables: String },
    #[error(
        "{tool} is not installed; install the PostgreSQL client tools to back up or restore PostgreSQL"
    )]
    ToolMissing { tool: &'static str },
    #[error("{tool} failed: {message}")]
    ToolFailed { tool: &'static str, message: String },
    #[error("{0}")]
    Unsupported(String),
    #[error("{table}.{column} cannot be copied: {reason}")]
    Unreadable {
        table: String,
        column: String,
        reason: String,
    },
    #[error("the copy of {table} does not match the original ({detail}); nothing was kept")]
    Mismatch { table: String, detail: String },
    #[error(
        "the two databases have different tables or columns ({0}); upgrade both to the same Knit first"
    )]
    Shape(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

type Result<T, E = BackupError> = std::result::Result<T, E>;

/// Which backend a database address names.
enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

fn target(url: &str) -> Result<Target> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres(url.to_owned()));
    }
    let options = if url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(url).map_err(|e| BackupError::Unsupported(e.to_string()))?
    } else {
        SqliteConnectOptions::new().filename(url)
    };
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Err(BackupError::Unsupported(
            "an in-memory database cannot be backed up or restored".into(),
        ));
    }
    Ok(Target::Sqlite(options.get_filename().to_path_buf()))
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub bytes: u64,
}

/// Writes a backup of the database at `url` to `file`, which must not exist yet.
pub async fn backup(url: &str, file: &Path) -> Result<BackupSummary> {
    if file.exists() {
        return Err(BackupError::Exists(file.to_path_buf()));
    }
    match target(url)? {
        Target::Sqlite(database) => backup_sqlite(&database, file).await?,
        Target::Postgres(url) => {
            let partial = partial_name(file);
            let result = run_tool(
                "pg_dump",
                Command::new("pg_dump")
                    .arg("--format=custom")
                    .arg("--no-owner")
                    .arg("--file")
                    .arg(&partial)
                    .arg("--dbname")
                    .arg(&url),
            );
            if let Err(e) = result {
                let _ = std::fs::remove_file(&partial);
                return Err(e);
            }
            std::fs::rename(&partial, file).map_err(io(file))?;
        }
    }
    let bytes = std::fs::metadata(file).map_err(io(file))?.len();
    Ok(BackupSummary { bytes })
}

/// The name a file is written under until it is complete, so a failed or interrupted
/// backup never leaves something that looks like a backup.
fn partial_name(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".partial");
    PathBuf::from(name)
}

async fn backup_sqlite(database: &Path, file: &Path) -> Result<()> {
    if !database.exists() {
        return Err(BackupError::Missing(database.to_path_buf()));
    }
    let mut conn = SqliteConnectOptions::new()
        .filename(database)
        .connect()
        .await?;
    let partial = partial_name(file);
    let _ = std::fs::remove_file(&partial);
    let written = sqlx::query("VACUUM INTO ?")
        .bind(partial.display().to_string())
        .execute(&mut conn)
        .await;
    conn.close().await?;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e.into());
    }
    std::fs::rename(&partial, file).map_err(io(file))?;
    Ok(())
}

/// Puts the backup in `file` in place of the database at `url`. Refuses a database that
/// holds data unless `force`. Stop every running Knit on the database first.
pub async fn restore(url: &str, file: &Path, force: bool) -> Result<()> {
    if !file.exists() {
        return Err(BackupError::Missing(file.to_path_buf()));
    }
    let kind = backup_kind(file)?;
    match target(url)? {
        Target::Sqlite(_) if kind == Some(Kind::Postgres) => Err(BackupError::NotABackup {
            path: file.to_path_buf(),
            reason: "it is a PostgreSQL backup; restore it into PostgreSQL".into(),
        }),
        Target::Postgres(_) if kind == Some(Kind::Sqlite) => Err(BackupError::NotABackup {
            path: file.to_path_buf(),
            reason: "it is a SQLite backup; restore it into SQLite, then move it with knit db copy"
                .into(),
        }),
        Target::Sqlite(database) => restore_sqlite(&database, file, force).await,
        Target::Postgres(url) => restore_postgres(&url, file, force).await,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sqlite,
    Postgres,
}

/// Which backend wrote a backup, from the first bytes of the file.
fn backup_kind(file: &Path) -> Result<Option<Kind>> {
    use std::io::Read;
    let mut start = [0u8; 16];
    let mut opened = std::fs::File::open(file).map_err(io(file))?;
    let read = opened.read(&mut start).map_err(io(file))?;
    let start = &start[..read];
    Ok(if start.starts_with(b"SQLite format 3\0") {
        Some(Kind::Sqlite)
    } else if start.starts_with(b"PGDMP") {
        Some(Kind::Postgres)
    } else {
        None
    })
}

async fn restore_sqlite(database: &Path, file: &Path, force: bool) -> Result<()> {
    check_sqlite_backup(file).await?;
    if database.exists() && !force {
        let mut conn = SqliteConnectOptions::new()
            .filename(database)
            .connect()
            .await?;
        let held = sqlite_holdings(&mut conn).await?;
        conn.close().await?;
        if !held.is_empty() {
            return Err(BackupError::NotEmpty {
                tables: held.join(", "),
            });
        }
    }
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    // Copy beside the database, flush, then rename over it: the database file is either the
    // old one or the whole backup, never a mix.
    let incoming = partial_name(database);
    std::fs::copy(file, &incoming).map_err(io(&incoming))?;
    std::fs::File::open(&incoming)
        .and_then(|f| f.sync_all())
        .map_err(io(&incoming))?;
    for suffix in ["-wal", "-shm"] {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(&name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(Path::new(&name))(e)),
        }
    }
    std::fs::rename(&incoming, database).map_err(io(database))?;
    Ok(())
}

/// A SQLite backup must be a whole SQLite file that a Knit wrote.
async fn check_sqlite_backup(file: &Path) -> Result<()> {
    let not_a_backup = |reason: String| BackupError::NotABackup {
        path: file.to_path_buf(),
        reason,
    };
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .connect()
        .await
        .map_err(|e| not_a_backup(e.to_string()))?;
    let integrity: Result<String, sqlx::Error> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await;
    let knit: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut conn)
    .await;
    conn.close().await.ok();
    match integrity {
        Ok(answer) if answer == "ok" => {}
        Ok(answer) => return Err(not_a_backup(format!("the file is damaged ({answer})"))),
        Err(e) => return Err(not_a_backup(e.to_string())),
    }
    match knit {
        Ok(1) => Ok(()),
        Ok(_) => Err(not_a_backup("it holds no Knit database".into())),
        Err(e) => Err(not_a_backup(e.to_string())),
    }
}

async fn restore_postgres(url: &str, file: &Path, force: bool) -> Result<()> {
    check_postgres_backup(file)?;
    if !force {
        let mut conn = PgConnection::connect(url).await?;
        let held = postgres_holdings(&mut conn).await?;
        conn.close().await?;
        if !held.is_empty() {
            return Err(BackupError::NotEmpty {
                tables: held.join(", "),
            });
        }
    }
    run_tool(
        "pg_restore",
        Command::new("pg_restore")
            .arg("--clean")
            .arg("--if-exists")
            .arg("--no-owner")
            .arg("--single-transaction")
            .arg("--exit-on-error")
            .arg("--dbname")
            .arg(url)
            .arg(file),
    )
}

/// A PostgreSQL backup must be a whole `pg_dump` archive of a Knit database: its table of
/// contents names Knit's migrations table, and the whole archive reads to the end (a
/// truncated file has a good table of contents and fails only part way through the data).
fn check_postgres_backup(file: &Path) -> Result<()> {
    let not_a_backup = |reason: String| BackupError::NotABackup {
        path: file.to_path_buf(),
        reason,
    };
    let contents = tool_output(
        "pg_restore",
        Command::new("pg_restore").arg("--list").arg(file),
    )
    .map_err(|e| match e {
        BackupError::ToolFailed { message, .. } => not_a_backup(message),
        other => other,
    })?;
    if !contents.contains("_sqlx_migrations") {
        return Err(not_a_backup("it holds no Knit database".into()));
    }
    run_tool(
        "pg_restore",
        Command::new("pg_restore")
            .arg("--file")
            .arg("/dev/null")
            .arg(file),
    )
    .map_err(|e| match e {
        BackupError::ToolFailed { message, .. } => {
            not_a_backup(format!("the file is damaged ({message})"))
        }
        other => other,
    })
}

fn run_tool(tool: &'static str, command: &mut Command) -> Result<()> {
    tool_output(tool, command).map(drop)
}

/// Runs a tool; its standard output, or its first line of complaint.
fn tool_output(tool: &'static str, command: &mut Command) -> Result<String> {
    let output = match command.output() {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::ToolMissing { tool });
        }
        Err(e) => {
            return Err(BackupError::ToolFailed {
                tool,
                message: e.to_string(),
            });
        }
    };
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).into_owned());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let message = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("it stopped with an error")
        .to_owned();
    Err(BackupError::ToolFailed { tool, message })
}

/// The tables that hold rows, other than what every new database starts with (the audit
/// log's head at its genesis).
async fn sqlite_holdings(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let mut held = Vec::new();
    for table in fingerprint::sqlite_tables(conn).await? {
        let sql = holding_sql(&table);
        let rows: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
        if rows > 0 {
            held.push(table);
        }
    }
    Ok(held)
}

pub(crate) async fn postgres_holdings(conn: &mut PgConnection) -> Result<Vec<String>> {
    let mut held = Vec::new();
    for (table, _) in fingerprint::postgres_shapes(conn).await? {
        let sql = holding_sql(&table);
        let rows: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?;
        if rows > 0 {
            held.push(table);
        }
    }
    Ok(held)
}

/// Tables every new database starts with one row in, and what that row looks like until
/// anything happens: an empty database holds them, and a copy replaces them.
pub const SEEDED: &[(&str, &str)] = &[
    // The chain's genesis.
    ("audit_head", "seq = 0"),
    // The count of changes to volunteer roles.
    ("opportunity_changes", "version = 0"),
];

fn holding_sql(table: &str) -> String {
    let unseeded = SEEDED
        .iter()
        .find(|(seeded, _)| *seeded == table)
        .map(|(_, fresh)| format!(" WHERE NOT ({fresh})"))
        .unwrap_or_default();
    format!(
        "SELECT COUNT(*) FROM {}{unseeded}",
        fingerprint::quoted(table)
    )
}

/// Every table's row count and hash, for comparing a database with a restored or copied
/// one of the same backend.
pub async fn fingerprints(url: &str) -> Result<Vec<TableFingerprint>> {
    match target(url)? {
        Target::Sqlite(database) => {
            if !database.exists() {
                return Err(BackupError::Missing(database));
            }
            let mut conn = SqliteConnectOptions::new()
                .filename(&database)
                .connect()
                .await?;
            let mut tx = conn.begin().await?;
            let out = fingerprint::sqlite_as_stored(&mut tx).await?;
            tx.commit().await?;
            conn.close().await?;
            Ok(out)
        }
        Target::Postgres(url) => {
            let mut conn = PgConnection::connect(&url).await?;
            let mut tx = conn
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?;
            let out = fingerprint::postgres_typed(&mut tx).await?;
            tx.commit().await?;
            conn.close().await?;
            Ok(out)
        }
    }
}
