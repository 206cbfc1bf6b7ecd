//! Electoral wards and the local authorities they are in, and which ward a place falls in.
//!
//! The ONS ward lookups Knit can be given (`knit import wards`) hold each ward's centre,
//! name and authority, not its boundary, so a place is put in the ward whose centre is
//! nearest. Near a boundary this can name the neighbouring ward; counted over a county's
//! services it draws the same picture a boundary file would, to within the wards along
//! each edge. A place further than [`FARTHEST_KM`] from every centre (a listing outside the
//! wards imported) is in no ward.

use std::collections::{BTreeMap, HashMap};

use crate::geo::LatLon;

/// One ward, as imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Ward {
    /// The ONS code, such as `E05000026`.
    pub code: String,
    pub name: String,
    /// The code of its local authority (district or unitary), such as `E09000002`.
    pub authority_code: String,
    pub authority: String,
    pub centre: LatLon,
}

impl Ward {
    /// The ward as a place lead reads it: names repeat across authorities ("Abbey"), so
    /// the authority goes with it.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.authority)
    }
}

/// Why a ward lookup row cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadWard {
    #[error("the ward code is empty")]
    NoCode,
    #[error("ward {0} has no name")]
    NoName(String),
    #[error("ward {0} names no local authority")]
    NoAuthority(String),
}

/// Checks one imported ward's fields.
pub fn check_ward(ward: &Ward) -> Result<(), BadWard> {
    if ward.code.trim().is_empty() {
        return Err(BadWard::NoCode);
    }
    if ward.name.trim().is_empty() {
        return Err(BadWard::NoName(ward.code.clone()));
    }
    if ward.authority_code.trim().is_empty() || ward.authority.trim().is_empty() {
        return Err(BadWard::NoAuthority(ward.code.clone()));
    }
    Ok(())
}

/// A place further than this from every ward centre is in no ward. The largest rural
/// wards in Great Britain reach about 30 km from their centres.
pub const FARTHEST_KM: f64 = 40.0;

/// Grid cells of this many degrees index the centres, so a lookup reads the few cells
/// around a place rather than every ward.
const CELL_DEGREES: f64 = 0.1;
/// The least a cell measures across anywhere in Great Britain: 0.1 degree of longitude at
/// Shetland's latitude is about 5.4 km, and a degree of latitude is always 11 km.
const CELL_AT_LEAST_KM: f64 = 5.0;

fn cell_of(at: LatLon) -> (i32, i32) {
    (
        (at.lat / CELL_DEGREES).floor() as i32,
        (at.lon / CELL_DEGREES).floor() as i32,
    )
}

/// Wards indexed by where their centres are.
#[derive(Debug, Default)]
pub struct WardMap {
    wards: Vec<Ward>,
    cells: HashMap<(i32, i32), Vec<usize>>,
}

impl WardMap {
    pub fn new(wards: Vec<Ward>) -> WardMap {
        let mut cells: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
        for (i, ward) in wards.iter().enumerate() {
            cells.entry(cell_of(ward.centre)).or_default().push(i);
        }
        WardMap { wards, cells }
    }

    pub fn is_empty(&self) -> bool {
        self.wards.is_empty()
    }

    /// The ward whose centre is nearest `at`, within [`FARTHEST_KM`].
    pub fn ward_of(&self, at: LatLon) -> Option<&Ward> {
        let (row, col) = cell_of(at);
        let mut best: Option<(f64, usize)> = None;
        // Rings of cells outwards: once the rings read reach further than the best
        // distance found, no further ring can hold a nearer centre.
        for ring in 0..=((FARTHEST_KM / CELL_AT_LEAST_KM).ceil() as i32) {
            for r in (row - ring)..=(row + ring) {
                for c in (col - ring)..=(col + ring) {
                    if (r - row).abs() != ring && (c - col).abs() != ring {
                        continue;
                    }
                    for &i in self.cells.get(&(r, c)).into_iter().flatten() {
                        let d = self.wards[i].centre.distance_km(at);
                        if d <= FARTHEST_KM && best.is_none_or(|(b, _)| d < b) {
                            best = Some((d, i));
                        }
                    }
                }
            }
            if best.is_some_and(|(b, _)| f64::from(ring) * CELL_AT_LEAST_KM > b) {
                break;
            }
        }
        best.map(|(_, i)| &self.wards[i])
    }

    /// The centre of each local authority: the mean of its wards' centres, by its name.
    pub fn authority_centres(&self) -> BTreeMap<String, LatLon> {
        let mut sums: BTreeMap<&str, (f64, f64, u32)> = BTreeMap::new();
        for ward in &self.wards {
            let sum = sums.entry(ward.authority.as_str()).or_default();
            sum.0 += ward.centre.lat;
            sum.1 += ward.centre.lon;
            sum.2 += 1;
        }
        sums.into_iter()
            .filter_map(|(name, (lat, lon, n))| {
                let n = f64::from(n);
                LatLon::new(lat / n, lon / n)
                    .ok()
                    .map(|c| (name.to_owned(), c))
            })
            .collect()
    }

    /// The centre of each ward, by its label.
    pub fn ward_centres(&self) -> BTreeMap<String, LatLon> {
        self.wards.iter().map(|w| (w.label(), w.centre)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ward(code: &str, name: &str, authority: &str, lat: f64, lon: f64) -> Ward {
        Ward {
            code: code.to_owned(),
            name: name.to_owned(),
            authority_code: format!("E0{}", authority.len()),
            authority: authority.to_owned(),
            centre: LatLon::new(lat, lon).unwrap(),
        }
    }

    fn map() -> WardMap {
        WardMap::new(vec![
            ward("E05000001", "Abbey", "Frome District", 51.2300, -2.3200),
            ward("E05000002", "Market", "Frome District", 51.2290, -2.3100),
            ward("E05000003", "Keyford", "Frome District", 51.2150, -2.3180),
            ward("E05000004", "Abbey", "Bath Unitary", 51.3810, -2.3590),
        ])
    }

    #[test]
    fn a_place_is_in_the_ward_with_the_nearest_centre() {
        let map = map();
        let near_market = LatLon::new(51.2288, -2.3105).unwrap();
        assert_eq!(map.ward_of(near_market).unwrap().code, "E05000002");
        let south = LatLon::new(51.2100, -2.3170).unwrap();
        assert_eq!(map.ward_of(south).unwrap().code, "E05000003");
        let bath = LatLon::new(51.3800, -2.3600).unwrap();
        assert_eq!(map.ward_of(bath).unwrap().label(), "Abbey (Bath Unitary)");
    }

    #[test]
    fn the_nearest_centre_is_found_across_cells_and_rings() {
        // A centre just over a cell edge beats a farther one in the place's own cell.
        let map = WardMap::new(vec![
            ward("E05000010", "Own cell", "A", 51.2990, -2.3000),
            ward("E05000011", "Next cell", "A", 51.3001, -2.3400),
        ]);
        let at = LatLon::new(51.2999, -2.3390).unwrap();
        assert_eq!(map.ward_of(at).unwrap().code, "E05000011");
        // Only a far centre: found rings out, within the farthest distance.
        let far = WardMap::new(vec![ward("E05000012", "Far", "A", 51.5, -2.3)]);
        let twenty_km_south = LatLon::new(51.32, -2.3).unwrap();
        assert_eq!(far.ward_of(twenty_km_south).unwrap().code, "E05000012");
    }

    #[test]
    fn a_place_far_from_every_ward_is_in_none() {
        let map = map();
        let london = LatLon::new(51.5074, -0.1278).unwrap();
        assert!(map.ward_of(london).is_none());
        assert!(WardMap::default().ward_of(london).is_none());
    }

    #[test]
    fn an_authority_is_centred_on_its_wards() {
        let centres = map().authority_centres();
        assert_eq!(centres.len(), 2);
        let frome = centres["Frome District"];
        assert!((frome.lat - (51.2300 + 51.2290 + 51.2150) / 3.0).abs() < 1e-9);
        assert!((frome.lon - (-2.3200 - 2.3100 - 2.3180) / 3.0).abs() < 1e-9);
        assert_eq!(map().ward_centres().len(), 4, "two Abbeys, told apart");
    }

    #[test]
    fn a_ward_needs_a_code_a_name_and_an_authority() {
        let mut w = ward("E05000001", "Abbey", "Frome", 51.2, -2.3);
        assert_eq!(check_ward(&w), Ok(()));
        w.name = " ".to_owned();
        assert_eq!(check_ward(&w), Err(BadWard::NoName("E05000001".to_owned())));
        w.name = "Abbey".to_owned();
        w.authority.clear();
        assert!(matches!(check_ward(&w), Err(BadWard::NoAuthority(_))));
        w.code.clear();
        assert_eq!(check_ward(&w), Err(BadWard::NoCode));
    }
}
