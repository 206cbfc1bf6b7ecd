//! Moving a town's SQLite database to PostgreSQL, when it outgrows one machine.
//!
//! Everything goes in one transaction on the target, checked before it commits: each
//! table's row count and hash on PostgreSQL must equal those read from SQLite, or nothing
//! is kept. Sealed values are copied byte for byte, so they open with the same key file.

use std::collections::{BTreeMap, BTreeSet};

use futures_util::TryStreamExt;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{AssertSqlSafe, ConnectOptions, Connection, PgConnection, Postgres, Row};

use super::fingerprint::{self, Cell, Column, Kind, TableFingerprint, TableHasher, quoted};
use super::{BackupError, Result, Target, target};

/// What a copy moved: every table with its rows and hash, the same on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySummary {
    pub tables: Vec<TableFingerprint>,
}

impl CopySummary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// PostgreSQL takes at most 65,535 parameters in one statement.
const MAX_PARAMETERS: usize = 60_000;
const MAX_ROWS_PER_INSERT: usize = 500;

/// Copies the SQLite database at `from` into the empty PostgreSQL database at `to`. Both
/// are brought up to date first; the target must hold nothing yet.
pub async fn copy_to_postgres(from: &str, to: &str) -> Result<CopySummary> {
    let Target::Sqlite(source) = target(from)? else {
        return Err(BackupError::Unsupported(
            "the database to copy from must be SQLite".into(),
        ));
    };
    let Target::Postgres(to) = target(to)? else {
        return Err(BackupError::Unsupported(
            "the database to copy to must be PostgreSQL (postgres://…)".into(),
        ));
    };
    if !source.exists() {
        return Err(BackupError::Missing(source));
    }
    crate::open(&source.display().to_string()).await?;
    crate::open(&to).await?;

    let mut from_conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&source)
        .connect()
        .await?;
    let mut to_conn = PgConnection::connect(&to).await?;
    let summary = {
        // One snapshot of the source, however long the copy takes, while Knit may still be
        // writing to it.
        let mut reading = from_conn.begin().await?;
        let mut writing = to_conn.begin().await?;
        let summary = copy_all(&mut reading, &mut writing).await?;
        writing.commit().await?;
        reading.commit().await?;
        summary
    };
    to_conn.close().await?;
    from_conn.close().await?;
    Ok(summary)
}

async fn copy_all(from: &mut sqlx::SqliteConnection, to: &mut PgConnection) -> Result<CopySummary> {
    let held = super::postgres_holdings(to).await?;
    if !held.is_empty() {
        return Err(BackupError::TargetNotEmpty {
            tables: held.join(", "),
        });
    }
    let shapes: BTreeMap<String, Vec<Column>> = fingerprint::postgres_shapes(to)
        .await?
        .into_iter()
        .collect();
    check_same_shape(from, &shapes).await?;

    // The rows every new database starts with give way to the source's.
    for (table, _) in super::SEEDED {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {}",
            fingerprint::quoted(table)
        )))
        .execute(&mut *to)
        .await?;
    }
    let mut copied = Vec::new();
    for table in insert_order(to, &shapes).await? {
        let columns = &shapes[&table];
        copied.push(copy_table(from, to, &table, columns).await?);
    }
    reset_sequences(to).await?;

    for original in &copied {
        let columns = &shapes[&original.table];
        let copy = fingerprint::postgres_table(to, &original.table, columns).await?;
        if copy != *original {
            return Err(BackupError::Mismatch {
                table: original.table.clone(),
                detail: format!("{} rows read, {} rows written", original.rows, copy.rows),
            });
        }
    }
    copied.sort_by(|a, b| a.table.cmp(&b.table));
    Ok(CopySummary { tables: copied })
}

async fn check_same_shape(
    from: &mut sqlx::SqliteConnection,
    shapes: &BTreeMap<String, Vec<Column>>,
) -> Result<()> {
    let source: BTreeSet<String> = fingerprint::sqlite_tables(from)
        .await?
        .into_iter()
        .collect();
    let target: BTreeSet<String> = shapes.keys().cloned().collect();
    if let Some(extra) = source.symmetric_difference(&target).next() {
        return Err(BackupError::Shape(format!(
            "the table {extra} is in one but not the other"
        )));
    }
    for (table, columns) in shapes {
        let source: BTreeSet<String> = fingerprint::sqlite_columns(from, table)
            .await?
            .into_iter()
            .collect();
        let target: BTreeSet<String> = columns.iter().map(|c| c.name.clone()).collect();
        if let Some(extra) = source.symmetric_difference(&target).next() {
            return Err(BackupError::Shape(format!(
                "the column {table}.{extra} is in one but not the other"
            )));
        }
    }
    Ok(())
}

/// Tables ordered so that each comes after the tables its foreign keys point to.
async fn insert_order(
    to: &mut PgConnection,
    shapes: &BTreeMap<String, Vec<Column>>,
) -> Result<Vec<String>> {
    let edges = sqlx::query(
        "SELECT c.relname::text, p.relname::text
         FROM pg_constraint k
         JOIN pg_class c ON c.oid = k.conrelid
         JOIN pg_class p ON p.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE k.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(&mut *to)
    .await?;
    let mut needs: BTreeMap<String, BTreeSet<String>> = shapes
        .keys()
        .map(|t| (t.clone(), BTreeSet::new()))
        .collect();
    for edge in edges {
        let (child, parent): (String, String) = (edge.try_get(0)?, edge.try_get(1)?);
        if child != parent
            && let Some(parents) = needs.get_mut(&child)
        {
            parents.insert(parent);
        }
    }
    let mut order = Vec::new();
    while !needs.is_empty() {
        let ready: Vec<String> = needs
            .iter()
            .filter(|(_, parents)| parents.iter().all(|p| !needs.contains_key(p)))
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            return Err(BackupError::Shape(
                "the foreign keys go round in a circle".into(),
            ));
        }
        for table in ready {
            needs.remove(&table);
            order.push(table);
        }
    }
    Ok(order)
}

async fn copy_table(
    from: &mut sqlx::SqliteConnection,
    to: &mut PgConnection,
    table: &str,
    columns: &[Column],
) -> Result<TableFingerprint> {
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let per_insert = (MAX_PARAMETERS / columns.len().max(1)).clamp(1, MAX_ROWS_PER_INSERT);
    let mut hasher = TableHasher::new(table);
    let mut batch: Vec<Vec<Cell>> = Vec::with_capacity(per_insert);
    let select = fingerprint::select_sql(table, &names);
    let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(&mut *from);
    while let Some(row) = rows.try_next().await? {
        let mut cells = Vec::with_capacity(columns.len());
        for (i, column) in columns.iter().enumerate() {
            cells.push(fingerprint::sqlite_typed_cell(&row, i, table, column)?);
        }
        hasher.add(&cells);
        batch.push(cells);
        if batch.len() == per_insert {
            insert(to, table, columns, &batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        insert(to, table, columns, &batch).await?;
    }
    Ok(hasher.finish())
}

async fn insert(
    to: &mut PgConnection,
    table: &str,
    columns: &[Column],
    rows: &[Vec<Cell>],
) -> Result<()> {
    let names: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        quoted(table),
        names.join(", ")
    );
    let mut n = 0;
    for (r, _) in rows.iter().enumerate() {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for (c, column) in columns.iter().enumerate() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("${n}{}", cast(column.kind)));
        }
        sql.push(')');
    }
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for row in rows {
        for (cell, column) in row.iter().zip(columns) {
            query = bind(query, cell, column.kind);
        }
    }
    query.execute(&mut *to).await?;
    Ok(())
}

/// Integers are bound as 64-bit; narrower columns take them through a cast.
fn cast(kind: Kind) -> &'static str {
    match kind {
        Kind::SmallInt => "::int2",
        Kind::Int => "::int4",
        _ => "",
    }
}

fn bind<'q>(
    query: Query<'q, Postgres, PgArguments>,
    cell: &Cell,
    kind: Kind,
) -> Query<'q, Postgres, PgArguments> {
    match cell.clone() {
        Cell::Text(text) => query.bind(text),
        Cell::Int(n) => query.bind(n),
        Cell::Real(x) => query.bind(x),
        Cell::Bool(b) => query.bind(b),
        Cell::Bytes(bytes) => query.bind(bytes),
        Cell::Uuid(id) => query.bind(id),
        Cell::Time(time) => query.bind(time),
        Cell::Date(date) => query.bind(date),
        // A null still needs its column's type.
        Cell::Null => match kind {
            Kind::Text => query.bind(None::<String>),
            Kind::SmallInt | Kind::Int | Kind::BigInt => query.bind(None::<i64>),
            Kind::Real => query.bind(None::<f64>),
            Kind::Bool => query.bind(None::<bool>),
            Kind::Bytes => query.bind(None::<Vec<u8>>),
            Kind::Uuid => query.bind(None::<uuid::Uuid>),
            Kind::Time => query.bind(None::<chrono::DateTime<chrono::Utc>>),
            Kind::Date => query.bind(None::<chrono::NaiveDate>),
        },
    }
}

/// Serial columns carry on after the copied numbers, not from 1.
async fn reset_sequences(to: &mut PgConnection) -> Result<()> {
    let serials = sqlx::query(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'",
    )
    .fetch_all(&mut *to)
    .await?;
    for serial in serials {
        let (table, column): (String, String) = (serial.try_get(0)?, serial.try_get(1)?);
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT MAX({c}) FROM {t}), 0) + 1, false)",
            c = quoted(&column),
            t = quoted(&table),
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(quoted(&table))
            .bind(&column)
            .execute(&mut *to)
            .await?;
    }
    Ok(())
}
