//! Where Knit keeps its data and which database it uses, from flags and the environment.

use std::path::{Path, PathBuf};

use anyhow::Context;

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./knit-data";

/// The database URL: the one given, or a SQLite file in the data directory.
pub fn database_url(given: Option<&str>, data_dir: &Path) -> anyhow::Result<String> {
    match given.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Ok(url.to_owned()),
        None => {
            std::fs::create_dir_all(data_dir).with_context(|| {
                format!("could not create the data directory {}", data_dir.display())
            })?;
            Ok(data_dir.join("knit.sqlite").display().to_string())
        }
    }
}

/// The file the demo uses: started afresh every time.
pub fn demo_database(data_dir: &Path) -> anyhow::Result<(PathBuf, String)> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("could not create the data directory {}", data_dir.display()))?;
    let file = data_dir.join("demo.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", file.display()));
        if path.exists() {
            std::fs::remove_file(&path).with_context(|| {
                format!("could not remove the old demo file {}", path.display())
            })?;
        }
    }
    let url = file.display().to_string();
    Ok((file, url))
}

/// The key file that seals personal data: the one given, or `knit.key` in the data
/// directory.
pub fn key_file(given: Option<&Path>, data_dir: &Path) -> PathBuf {
    given.map_or_else(|| data_dir.join("knit.key"), Path::to_path_buf)
}
