//! Points on the Earth and the distances between them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadLatLon {
    #[error(
        "\"{0}\" is not a latitude and longitude; write them as two numbers, such as 53.30,-2.37"
    )]
    Shape(String),
    #[error("latitude must be between -90 and 90 and longitude between -180 and 180")]
    OutOfRange,
}

pub(crate) const EARTH_RADIUS_KM: f64 = 6371.0088;

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Result<LatLon, BadLatLon> {
        if lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon)
        {
            Ok(LatLon { lat, lon })
        } else {
            Err(BadLatLon::OutOfRange)
        }
    }

    /// Reads "53.30,-2.37" (spaces allowed).
    pub fn parse(s: &str) -> Result<LatLon, BadLatLon> {
        let shape = || BadLatLon::Shape(s.chars().take(40).collect());
        let (lat, lon) = s.split_once(',').ok_or_else(shape)?;
        let lat: f64 = lat.trim().parse().map_err(|_| shape())?;
        let lon: f64 = lon.trim().parse().map_err(|_| shape())?;
        LatLon::new(lat, lon)
    }

    /// Great-circle distance by the haversine formula; ample for "how far" in a country.
    pub fn distance_km(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// Distances from one point to many, without trigonometry per point: a flat projection
/// about the origin. Within about 2% of the great-circle distance for places up to 100 km
/// away in Great Britain: good for ranking; [`LatLon::distance_km`] where a figure is shown
/// or a limit decided.
#[derive(Debug, Clone, Copy)]
pub struct FlatDistances {
    origin: LatLon,
    km_per_degree_lat: f64,
    km_per_degree_lon: f64,
}

impl FlatDistances {
    pub fn new(origin: LatLon) -> FlatDistances {
        let km_per_degree_lat = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
        FlatDistances {
            origin,
            km_per_degree_lat,
            km_per_degree_lon: km_per_degree_lat * origin.lat.to_radians().cos(),
        }
    }

    pub fn origin(&self) -> LatLon {
        self.origin
    }

    pub fn km(&self, to: LatLon) -> f64 {
        let north = (to.lat - self.origin.lat) * self.km_per_degree_lat;
        let east = (to.lon - self.origin.lon) * self.km_per_degree_lon;
        (north * north + east * east).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn london_to_manchester_is_about_263_km() {
        let london = LatLon::new(51.5074, -0.1278).unwrap();
        let manchester = LatLon::new(53.4808, -2.2426).unwrap();
        let d = london.distance_km(manchester);
        assert!((d - 262.0).abs() < 3.0, "{d}");
    }

    #[test]
    fn flat_distances_stay_close_to_great_circle_ones_nearby() {
        let birmingham = LatLon::new(52.48, -1.89).unwrap();
        let flat = FlatDistances::new(birmingham);
        for (lat, lon) in [
            (52.48, -1.0),
            (53.2, -1.89),
            (51.9, -2.6),
            (52.9, -0.8),
            (52.48, -1.89),
        ] {
            let there = LatLon::new(lat, lon).unwrap();
            let exact = birmingham.distance_km(there);
            assert!(
                (flat.km(there) - exact).abs() <= 0.02 * exact + 1e-9,
                "{lat},{lon}: {} vs {exact}",
                flat.km(there)
            );
        }
    }

    #[test]
    fn refuses_nonsense() {
        assert_eq!(LatLon::parse("91,0"), Err(BadLatLon::OutOfRange));
        assert!(matches!(LatLon::parse("north"), Err(BadLatLon::Shape(_))));
        assert!(LatLon::parse(" 53.3 , -2.37 ").is_ok());
    }
}
