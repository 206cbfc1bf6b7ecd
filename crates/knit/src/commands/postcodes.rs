//! `knit import postcodes`: an ONS Postcode Directory or Code-Point Open style CSV with
//! postcode, latitude and longitude columns. Sector and district centroids are worked out
//! from the full postcodes, so "SW1A" and "M1 1" find a place too.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, bail};
use knit_domain::geo::LatLon;
use knit_domain::postcode::Postcode;
use knit_store::PostcodePoint;

use super::{Progress, open_store};
use crate::cli::Global;

/// The columns we look for, by the names the common files give them.
const POSTCODE_COLUMNS: [&str; 4] = ["postcode", "pcds", "pcd", "pcd2"];
const LATITUDE_COLUMNS: [&str; 2] = ["latitude", "lat"];
const LONGITUDE_COLUMNS: [&str; 3] = ["longitude", "long", "lon"];

struct Columns {
    postcode: usize,
    latitude: usize,
    longitude: usize,
}

fn find_columns(header: &str) -> anyhow::Result<Columns> {
    let names: Vec<String> = header
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let find = |wanted: &[&str], what: &str| {
        names
            .iter()
            .position(|n| wanted.contains(&n.as_str()))
            .with_context(|| {
                format!(
                    "the first line names no {what} column (looked for {})",
                    wanted.join(", ")
                )
            })
    };
    Ok(Columns {
        postcode: find(&POSTCODE_COLUMNS, "postcode")?,
        latitude: find(&LATITUDE_COLUMNS, "latitude")?,
        longitude: find(&LONGITUDE_COLUMNS, "longitude")?,
    })
}

/// The totals of a centroid being worked out.
#[derive(Default)]
struct Sum {
    lat: f64,
    lon: f64,
    n: u32,
}

pub fn read_points(input: impl BufRead) -> anyhow::Result<(Vec<PostcodePoint>, u64)> {
    let mut lines = input.lines();
    let header = lines
        .next()
        .context("the file is empty")?
        .context("could not read the first line")?;
    let columns = find_columns(&header)?;
    let progress = Progress::new();
    let mut points = Vec::new();
    let mut skipped = 0u64;
    let mut sectors: HashMap<String, Sum> = HashMap::new();
    let mut districts: HashMap<String, Sum> = HashMap::new();
    for (i, line) in lines.enumerate() {
        let number = i + 2;
        let line = line.with_context(|| {
            format!("line {number} could not be read (is the file UTF-8 text?)")
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .collect();
        let field = |at: usize| fields.get(at).copied().unwrap_or("");
        let postcode = Postcode::parse(field(columns.postcode))
            .map_err(|e| anyhow::anyhow!("line {number}: {e}"))?;
        let Postcode::Full(full) = postcode else {
            bail!(
                "line {number}: \"{}\" is not a full postcode",
                field(columns.postcode)
            );
        };
        let (lat, lon) = (field(columns.latitude), field(columns.longitude));
        if lat.is_empty() || lon.is_empty() {
            skipped += 1;
            continue;
        }
        let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
            bail!("line {number}: latitude and longitude must be numbers");
        };
        // ONS marks postcodes with no known position with a latitude of 99.999999.
        let Ok(position) = LatLon::new(lat, lon) else {
            skipped += 1;
            continue;
        };
        let postcode = Postcode::Full(full);
        for coarser in postcode.fallbacks() {
            let sums = if matches!(coarser, Postcode::Sector(_)) {
                &mut sectors
            } else {
                &mut districts
            };
            let sum = sums.entry(coarser.as_str().to_owned()).or_default();
            sum.lat += lat;
            sum.lon += lon;
            sum.n += 1;
        }
        points.push(PostcodePoint { postcode, position });
        if points.len() % 100_000 == 0 {
            progress.say(&format!("Read {} postcodes…", points.len()));
        }
    }
    progress.done();
    let centroid = |(code, sum): (String, Sum), make: fn(String) -> Postcode| PostcodePoint {
        postcode: make(code),
        position: LatLon {
            lat: sum.lat / f64::from(sum.n),
            lon: sum.lon / f64::from(sum.n),
        },
    };
    points.extend(sectors.into_iter().map(|e| centroid(e, Postcode::Sector)));
    points.extend(
        districts
            .into_iter()
            .map(|e| centroid(e, Postcode::District)),
    );
    Ok((points, skipped))
}

pub async fn import(global: &Global, file: &Path) -> anyhow::Result<()> {
    let (points, skipped) = if file == Path::new("-") {
        read_points(std::io::stdin().lock())?
    } else {
        let f = std::fs::File::open(file)
            .with_context(|| format!("could not open {}", file.display()))?;
        read_points(BufReader::new(f))
            .with_context(|| format!("{}: nothing was imported", file.display()))?
    };
    let progress = Progress::new();
    progress.say(&format!(
        "Storing {} postcodes and centroids…",
        points.len()
    ));
    let store = open_store(global).await?;
    let written = store
        .put_postcodes(&points)
        .await
        .context("the import failed; nothing was imported")?;
    progress.done();
    println!(
        "Imported {written} postcodes, sectors and districts; {skipped} rows had no position and were skipped."
    );
    store
        .close()
        .await
        .context("the postcodes are stored, but the database did not close cleanly")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_postcode_file_and_works_out_centroids() {
        let csv = "postcode,latitude,longitude\nEV1 1AA,53.0,-2.0\nEV1 1AB,53.2,-2.2\nEV1 2AA,99.999999,0\n";
        let (points, skipped) = read_points(csv.as_bytes()).unwrap();
        assert_eq!(skipped, 1);
        let sector = points
            .iter()
            .find(|p| p.postcode == Postcode::Sector("EV1 1".into()))
            .unwrap();
        assert!((sector.position.lat - 53.1).abs() < 1e-9);
        assert!(
            points
                .iter()
                .any(|p| p.postcode == Postcode::District("EV1".into()))
        );
    }

    #[test]
    fn ons_style_headers_are_found_and_bad_rows_named() {
        let csv = "pcd,pcds,lat,long\nEV11AA,EV1 1AA,53.0,-2.0\nX,NOT A POSTCODE,53,-2\n";
        let err = read_points(csv.as_bytes()).unwrap_err().to_string();
        assert!(err.starts_with("line 3:"), "{err}");
        assert!(
            read_points("name,x\n".as_bytes())
                .unwrap_err()
                .to_string()
                .contains("no postcode column")
        );
    }
}
