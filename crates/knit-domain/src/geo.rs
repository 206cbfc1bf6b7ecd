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

const EARTH_RADIUS_KM: f64 = 6371.0088;

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
    fn refuses_nonsense() {
        assert_eq!(LatLon::parse("91,0"), Err(BadLatLon::OutOfRange));
        assert!(matches!(LatLon::parse("north"), Err(BadLatLon::Shape(_))));
        assert!(LatLon::parse(" 53.3 , -2.37 ").is_ok());
    }
}
