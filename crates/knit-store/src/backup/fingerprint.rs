//! What a database holds, table by table: a row count and a hash of the rows, so two
//! databases can be shown to hold the same data (a restore drill, a copy to PostgreSQL).
//!
//! A table's hash is over its rows in no particular order: each row is hashed alone from a
//! canonical encoding of its values, and the sorted row hashes are hashed again. Within one
//! backend the values are read as stored; across backends they are read as the
//! PostgreSQL column types say (a uuid, a time to the microsecond, a date, a boolean), which
//! is how SQLite's text and integers for those types are meant to be read.

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Row, SqliteConnection, TypeInfo, ValueRef};
use uuid::Uuid;

use super::BackupError;

/// One table's row count and hash (hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFingerprint {
    pub table: String,
    pub rows: u64,
    pub hash: String,
}

/// What kind of value a column holds, as PostgreSQL types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    SmallInt,
    Int,
    BigInt,
    Real,
    Bool,
    Bytes,
    Uuid,
    Time,
    Date,
}

impl Kind {
    /// From `information_schema.columns.data_type`.
    pub(crate) fn of_postgres(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "text" | "character varying" => Kind::Text,
            "smallint" => Kind::SmallInt,
            "integer" => Kind::Int,
            "bigint" => Kind::BigInt,
            "double precision" | "real" => Kind::Real,
            "boolean" => Kind::Bool,
            "bytea" => Kind::Bytes,
            "uuid" => Kind::Uuid,
            "timestamp with time zone" => Kind::Time,
            "date" => Kind::Date,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub name: String,
    pub kind: Kind,
}

/// One value, in a form both backends read to alike.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
    Bool(bool),
    Bytes(Vec<u8>),
    Uuid(Uuid),
    Time(DateTime<Utc>),
    Date(NaiveDate),
}

impl Cell {
    fn encode(&self, out: &mut Vec<u8>) {
        let with_length = |out: &mut Vec<u8>, tag: u8, bytes: &[u8]| {
            out.push(tag);
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        };
        match self {
            Cell::Null => out.push(0),
            Cell::Text(text) => with_length(out, 1, text.as_bytes()),
            Cell::Int(n) => {
                out.push(2);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Cell::Real(x) => {
                out.push(3);
                out.extend_from_slice(&x.to_bits().to_le_bytes());
            }
            Cell::Bool(b) => out.extend_from_slice(&[4, u8::from(*b)]),
            Cell::Bytes(bytes) => with_length(out, 5, bytes),
            Cell::Uuid(id) => {
                out.push(6);
                out.extend_from_slice(id.as_bytes());
            }
            Cell::Time(time) => {
                out.push(7);
                out.extend_from_slice(&time.timestamp_micros().to_le_bytes());
            }
            Cell::Date(date) => {
                out.push(8);
                out.extend_from_slice(date.to_string().as_bytes());
            }
        }
    }
}

/// Adds rows one at a time and gives the table's fingerprint at the end.
pub(crate) struct TableHasher {
    table: String,
    rows: Vec<[u8; 32]>,
    buffer: Vec<u8>,
}

impl TableHasher {
    pub(crate) fn new(table: &str) -> TableHasher {
        TableHasher {
            table: table.to_owned(),
            rows: Vec::new(),
            buffer: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, row: &[Cell]) {
        self.buffer.clear();
        for cell in row {
            cell.encode(&mut self.buffer);
        }
        self.rows.push(Sha256::digest(&self.buffer).into());
    }

    pub(crate) fn finish(mut self) -> TableFingerprint {
        self.rows.sort_unstable();
        let mut table = Sha256::new();
        for row in &self.rows {
            table.update(row);
        }
        TableFingerprint {
            table: self.table,
            rows: self.rows.len() as u64,
            hash: hex::encode(table.finalize()),
        }
    }
}

/// Tables that are Knit's data: not the migrations' own bookkeeping, nor SQLite's.
pub(crate) fn is_data_table(name: &str) -> bool {
    !name.starts_with("_sqlx") && !name.starts_with("sqlite_")
}

pub(crate) async fn sqlite_tables(conn: &mut SqliteConnection) -> Result<Vec<String>, BackupError> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    Ok(names.into_iter().filter(|n| is_data_table(n)).collect())
}

pub(crate) async fn sqlite_columns(
    conn: &mut SqliteConnection,
    table: &str,
) -> Result<Vec<String>, BackupError> {
    let rows = sqlx::query("SELECT name FROM pragma_table_info(?) ORDER BY cid")
        .bind(table)
        .fetch_all(&mut *conn)
        .await?;
    rows.iter()
        .map(|r| r.try_get::<String, _>(0).map_err(BackupError::from))
        .collect()
}

/// Double quotes a name for SQL. Names come from the database's own catalogue.
pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

pub(crate) fn select_sql(table: &str, columns: &[String]) -> String {
    let list: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
    format!("SELECT {} FROM {}", list.join(", "), quoted(table))
}

/// Every table of a SQLite database, its values read as stored.
pub(crate) async fn sqlite_as_stored(
    conn: &mut SqliteConnection,
) -> Result<Vec<TableFingerprint>, BackupError> {
    let mut out = Vec::new();
    for table in sqlite_tables(conn).await? {
        let columns = sqlite_columns(conn, &table).await?;
        let mut hasher = TableHasher::new(&table);
        let sql = select_sql(&table, &columns);
        let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *conn);
        let mut cells = Vec::with_capacity(columns.len());
        while let Some(row) = rows.try_next().await? {
            cells.clear();
            for i in 0..columns.len() {
                cells.push(sqlite_stored_cell(&row, i)?);
            }
            hasher.add(&cells);
        }
        out.push(hasher.finish());
    }
    Ok(out)
}

fn sqlite_stored_cell(row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Cell, BackupError> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let storage = raw.type_info().name().to_owned();
    Ok(match storage.as_str() {
        "INTEGER" => Cell::Int(row.try_get(i)?),
        "REAL" => Cell::Real(row.try_get(i)?),
        "BLOB" => Cell::Bytes(row.try_get(i)?),
        _ => Cell::Text(row.try_get(i)?),
    })
}

/// A value of a SQLite row read as `kind`: how a copy to PostgreSQL reads it.
pub(crate) fn sqlite_typed_cell(
    row: &sqlx::sqlite::SqliteRow,
    i: usize,
    table: &str,
    column: &Column,
) -> Result<Cell, BackupError> {
    let bad = |what: &str| BackupError::Unreadable {
        table: table.to_owned(),
        column: column.name.clone(),
        reason: what.to_owned(),
    };
    if row.try_get_raw(i)?.is_null() {
        return Ok(Cell::Null);
    }
    Ok(match column.kind {
        Kind::Text => Cell::Text(row.try_get(i)?),
        Kind::SmallInt | Kind::Int | Kind::BigInt => Cell::Int(row.try_get(i)?),
        Kind::Real => Cell::Real(row.try_get(i)?),
        Kind::Bool => Cell::Bool(row.try_get(i)?),
        Kind::Bytes => Cell::Bytes(row.try_get(i)?),
        Kind::Uuid => {
            let text: String = row.try_get(i)?;
            Cell::Uuid(Uuid::parse_str(&text).map_err(|_| bad("a value is not a uuid"))?)
        }
        Kind::Time => {
            let text: String = row.try_get(i)?;
            let time = DateTime::parse_from_rfc3339(&text)
                .map_err(|_| bad("a value is not an RFC 3339 time"))?;
            // PostgreSQL keeps microseconds, as the PostgreSQL store does for its own writes.
            Cell::Time(time.with_timezone(&Utc).trunc_subsecs(6))
        }
        Kind::Date => {
            let text: String = row.try_get(i)?;
            Cell::Date(
                NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .map_err(|_| bad("a value is not a YYYY-MM-DD date"))?,
            )
        }
    })
}

pub(crate) fn postgres_cell(
    row: &sqlx::postgres::PgRow,
    i: usize,
    kind: Kind,
) -> Result<Cell, BackupError> {
    fn get<'r, T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>>(
        row: &'r sqlx::postgres::PgRow,
        i: usize,
    ) -> Result<Option<T>, BackupError> {
        Ok(row.try_get::<Option<T>, _>(i)?)
    }
    let cell = match kind {
        Kind::Text => get::<String>(row, i)?.map(Cell::Text),
        Kind::SmallInt => get::<i16>(row, i)?.map(|n| Cell::Int(n.into())),
        Kind::Int => get::<i32>(row, i)?.map(|n| Cell::Int(n.into())),
        Kind::BigInt => get::<i64>(row, i)?.map(Cell::Int),
        Kind::Real => get::<f64>(row, i)?.map(Cell::Real),
        Kind::Bool => get::<bool>(row, i)?.map(Cell::Bool),
        Kind::Bytes => get::<Vec<u8>>(row, i)?.map(Cell::Bytes),
        Kind::Uuid => get::<Uuid>(row, i)?.map(Cell::Uuid),
        Kind::Time => get::<DateTime<Utc>>(row, i)?.map(Cell::Time),
        Kind::Date => get::<NaiveDate>(row, i)?.map(Cell::Date),
    };
    Ok(cell.unwrap_or(Cell::Null))
}

/// Knit's tables in the connection's current schema, each with its typed columns.
pub(crate) async fn postgres_shapes(
    conn: &mut sqlx::PgConnection,
) -> Result<Vec<(String, Vec<Column>)>, BackupError> {
    let rows = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut shapes: Vec<(String, Vec<Column>)> = Vec::new();
    for row in rows {
        let (table, name, data_type): (String, String, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if !is_data_table(&table) {
            continue;
        }
        let kind = Kind::of_postgres(&data_type).ok_or_else(|| BackupError::Unreadable {
            table: table.clone(),
            column: name.clone(),
            reason: format!("the type {data_type} is not one Knit uses"),
        })?;
        match shapes.last_mut() {
            Some((last, columns)) if *last == table => columns.push(Column { name, kind }),
            _ => shapes.push((table, vec![Column { name, kind }])),
        }
    }
    Ok(shapes)
}

/// Every table of the connection's current PostgreSQL schema.
pub(crate) async fn postgres_typed(
    conn: &mut sqlx::PgConnection,
) -> Result<Vec<TableFingerprint>, BackupError> {
    let shapes = postgres_shapes(conn).await?;
    let mut out = Vec::new();
    for (table, columns) in shapes {
        out.push(postgres_table(conn, &table, &columns).await?);
    }
    Ok(out)
}

pub(crate) async fn postgres_table(
    conn: &mut sqlx::PgConnection,
    table: &str,
    columns: &[Column],
) -> Result<TableFingerprint, BackupError> {
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let mut hasher = TableHasher::new(table);
    let mut rows = sqlx::query(AssertSqlSafe(select_sql(table, &names))).fetch(&mut *conn);
    let mut cells = Vec::with_capacity(columns.len());
    while let Some(row) = rows.try_next().await? {
        cells.clear();
        for (i, column) in columns.iter().enumerate() {
            cells.push(postgres_cell(&row, i, column.kind)?);
        }
        hasher.add(&cells);
    }
    Ok(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(rows: &[Vec<Cell>]) -> TableFingerprint {
        let mut hasher = TableHasher::new("t");
        for row in rows {
            hasher.add(row);
        }
        hasher.finish()
    }

    #[test]
    fn row_order_does_not_matter_but_every_value_does() {
        let a = vec![Cell::Int(1), Cell::Text("a".into())];
        let b = vec![Cell::Int(2), Cell::Null];
        assert_eq!(hash(&[a.clone(), b.clone()]), hash(&[b.clone(), a.clone()]));
        let changed = vec![Cell::Int(2), Cell::Text(String::new())];
        assert_ne!(hash(&[a.clone(), b]).hash, hash(&[a.clone(), changed]).hash);
        // Values do not run into each other: ("ab", "") is not ("a", "b").
        let joined = vec![Cell::Text("ab".into()), Cell::Text(String::new())];
        let split = vec![Cell::Text("a".into()), Cell::Text("b".into())];
        assert_ne!(hash(&[joined]).hash, hash(&[split]).hash);
        assert_eq!(hash(&[a.clone(), a]).rows, 2);
    }
}
