//! `knit import wards CENTRES NAMES`: electoral wards for the agency map, from two ONS-style
//! CSV files: the wards' centres (a ward code, latitude and longitude; the ONS "ward
//! centroids" layout) and their names with their local authorities (the ONS ward lookup,
//! or `ward_all_codes.csv` of geo-lookups). Wards replace those held, all or nothing.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, bail};
use knit_domain::geo::LatLon;
use knit_domain::wards::{Ward, check_ward};

use super::open_store;
use crate::cli::Global;

/// A column by the first of `wanted` the header has, or one matching `dated` (ONS codes
/// carry the year: `WD23CD`).
fn column(
    headers: &csv::StringRecord,
    wanted: &[&str],
    dated: Option<(&str, &str)>,
    what: &str,
) -> anyhow::Result<usize> {
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    wanted
        .iter()
        .find_map(|w| names.iter().position(|n| n == w))
        .or_else(|| {
            let (prefix, suffix) = dated?;
            names.iter().position(|n| {
                n.len() == prefix.len() + suffix.len() + 2
                    && n.starts_with(prefix)
                    && n.ends_with(suffix)
                    && n[prefix.len()..n.len() - suffix.len()]
                        .chars()
                        .all(|c| c.is_ascii_digit())
            })
        })
        .with_context(|| {
            format!(
                "the first line names no {what} column (looked for {})",
                wanted.join(", ")
            )
        })
}

/// A CSV reader past its first line, the names on that line and the ward code's column.
fn open_with_codes<R: Read>(
    input: R,
) -> anyhow::Result<(csv::Reader<R>, csv::StringRecord, usize)> {
    let mut reader = csv::Reader::from_reader(input);
    let headers = reader
        .headers()
        .context("could not read the first line")?
        .clone();
    let code = column(&headers, &["wdcd"], Some(("wd", "cd")), "ward code")?;
    Ok((reader, headers, code))
}

/// A ward's name and authority, from the names file.
#[derive(Debug)]
struct Named {
    name: String,
    authority_code: String,
    authority: String,
}

/// Reads the names file: by ward code, the first row of each (a ward listed for several
/// years keeps its first name).
fn read_names(input: impl Read) -> anyhow::Result<HashMap<String, Named>> {
    let (mut reader, headers, code) = open_with_codes(input)?;
    let name = column(&headers, &["wdnm"], Some(("wd", "nm")), "ward name")?;
    let authority_code = column(
        &headers,
        &["ladcd_active", "ladcd"],
        Some(("lad", "cd")),
        "local authority code",
    )?;
    let authority = column(
        &headers,
        &["ladnm_active", "ladnm"],
        Some(("lad", "nm")),
        "local authority name",
    )?;
    let mut out = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("line {line} could not be read"))?;
        let field = |at: usize| record.get(at).unwrap_or("").trim().to_owned();
        out.entry(field(code)).or_insert_with(|| Named {
            name: field(name),
            authority_code: field(authority_code),
            authority: field(authority),
        });
    }
    Ok(out)
}

/// Reads the centres file and names each ward from `names`; every ward must be named.
fn read_centres(input: impl Read, names: &HashMap<String, Named>) -> anyhow::Result<Vec<Ward>> {
    let (mut reader, headers, code) = open_with_codes(input)?;
    let lat = column(&headers, &["latitude", "lat"], None, "latitude")?;
    let lon = column(&headers, &["longitude", "long", "lon"], None, "longitude")?;
    let mut wards = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.with_context(|| format!("line {line} could not be read"))?;
        let field = |at: usize| record.get(at).unwrap_or("").trim();
        let ward_code = field(code);
        let (Ok(la), Ok(lo)) = (field(lat).parse::<f64>(), field(lon).parse::<f64>()) else {
            bail!("line {line}: latitude and longitude must be numbers");
        };
        let centre = LatLon::new(la, lo).map_err(|e| anyhow::anyhow!("line {line}: {e}"))?;
        let Some(named) = names.get(ward_code) else {
            bail!("line {line}: ward {ward_code} is not in the names file");
        };
        let ward = Ward {
            code: ward_code.to_owned(),
            name: named.name.clone(),
            authority_code: named.authority_code.clone(),
            authority: named.authority.clone(),
            centre,
        };
        check_ward(&ward).map_err(|e| anyhow::anyhow!("line {line}: {e}"))?;
        wards.push(ward);
    }
    if wards.is_empty() {
        bail!("the centres file lists no wards");
    }
    Ok(wards)
}

fn open(file: &Path) -> anyhow::Result<std::fs::File> {
    std::fs::File::open(file).with_context(|| format!("could not open {}", file.display()))
}

pub async fn import(global: &Global, centres: &Path, names: &Path) -> anyhow::Result<()> {
    let named = read_names(open(names)?)
        .with_context(|| format!("{}: nothing was imported", names.display()))?;
    let wards = read_centres(open(centres)?, &named)
        .with_context(|| format!("{}: nothing was imported", centres.display()))?;
    let store = open_store(global).await?;
    let written = store
        .replace_wards(&wards)
        .await
        .context("the import failed; the wards held before are unchanged")?;
    println!("Imported {written} wards; the wards held before were replaced.");
    store
        .close()
        .await
        .context("the wards are stored, but the database did not close cleanly")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &str = "WDCD,WDNM,LADCD,LADNM,SOURCEFILE,LADCD_ACTIVE,LADNM_ACTIVE\n\
        E05000001,Abbey,E07000001,Old Frome,2016,E06000066,Somerset\n\
        E05000002,\"Market, Town and Quay\",E07000001,Old Frome,2016,E06000066,Somerset\n\
        E05000001,Abbey (renamed),E07000001,Old Frome,2022,E06000066,Somerset\n";

    #[test]
    fn wards_are_named_from_the_lookup_with_their_current_authority() {
        let names = read_names(NAMES.as_bytes()).unwrap();
        let centres = "wdcd,longitude,latitude\nE05000001,-2.32,51.23\nE05000002,-2.31,51.229\n";
        let wards = read_centres(centres.as_bytes(), &names).unwrap();
        assert_eq!(wards.len(), 2);
        assert_eq!(wards[0].name, "Abbey", "the first row of a code is kept");
        assert_eq!(wards[1].name, "Market, Town and Quay", "quoted commas read");
        assert_eq!(wards[1].authority, "Somerset", "the authority as it is now");
        assert_eq!(wards[1].authority_code, "E06000066");
        assert!((wards[0].centre.lat - 51.23).abs() < 1e-9);
    }

    #[test]
    fn dated_ons_headers_are_found() {
        let names = "WD23CD,WD23NM,LAD23CD,LAD23NM\nE05000001,Abbey,E06000066,Somerset\n";
        let named = read_names(names.as_bytes()).unwrap();
        assert_eq!(named["E05000001"].authority, "Somerset");
    }

    #[test]
    fn a_ward_without_a_name_or_a_position_is_refused_by_line() {
        let names = read_names(NAMES.as_bytes()).unwrap();
        let unnamed = "wdcd,longitude,latitude\nE05000001,-2.32,51.23\nE05009999,-2.3,51.2\n";
        let err = read_centres(unnamed.as_bytes(), &names)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "line 3: ward E05009999 is not in the names file");
        let unplaced = "wdcd,longitude,latitude\nE05000001,west,51.23\n";
        let err = read_centres(unplaced.as_bytes(), &names)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("line 2:"), "{err}");
        let err = read_names("code,name\n".as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no ward code column"), "{err}");
        let err = read_centres("wdcd,longitude,latitude\n".as_bytes(), &names)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "the centres file lists no wards");
    }
}
