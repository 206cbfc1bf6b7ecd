//! UK postcodes: a full postcode ("SW1A 1AA"), a sector ("SW1A 1") or a district ("SW1A").
//! The rule for what counts as each is stated here once; the store and the pages use it.

use std::fmt;

/// A postcode, or part of one, in its canonical form: capitals, one space before the
/// inward code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Postcode {
    /// "SW1A 1AA"
    Full(String),
    /// "SW1A 1": the outward code and the first digit of the inward code.
    Sector(String),
    /// "SW1A": the outward code alone.
    District(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" doesn't look like a UK postcode; try one like EV1 1PS, or just the first part, EV1"
)]
pub struct BadPostcode(pub String);

fn is_outward(s: &str) -> bool {
    // A1, A12, AB1, AB12, A1B, AB1C: one or two letters, a digit, then a digit or letter.
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if !(1..=2).contains(&letters) {
        return false;
    }
    let rest = &b[letters..];
    match rest {
        [d] => d.is_ascii_digit(),
        [d, x] => d.is_ascii_digit() && x.is_ascii_alphanumeric(),
        _ => false,
    }
}

impl Postcode {
    pub fn parse(input: &str) -> Result<Postcode, BadPostcode> {
        let bad = || BadPostcode(input.chars().take(20).collect::<String>().trim().to_owned());
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if compact.is_empty() || compact.len() > 7 || !compact.is_ascii() {
            return Err(bad());
        }
        let has_space = input.trim().contains(char::is_whitespace);
        // A full postcode always ends in digit-letter-letter.
        let b = compact.as_bytes();
        if b.len() >= 5 {
            let (out, inward) = compact.split_at(b.len() - 3);
            let ib = inward.as_bytes();
            if is_outward(out)
                && ib[0].is_ascii_digit()
                && ib[1].is_ascii_alphabetic()
                && ib[2].is_ascii_alphabetic()
            {
                return Ok(Postcode::Full(format!("{out} {inward}")));
            }
        }
        // A sector: outward code then one digit; only with the space can "M11" be read
        // as the sector "M1 1" rather than the district "M11".
        if has_space {
            let mut words = input.split_whitespace();
            let (out, inward) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let out = out.to_ascii_uppercase();
            if words.next().is_none()
                && is_outward(&out)
                && inward.len() == 1
                && inward.as_bytes()[0].is_ascii_digit()
            {
                return Ok(Postcode::Sector(format!("{out} {inward}")));
            }
            return Err(bad());
        }
        if is_outward(&compact) {
            return Ok(Postcode::District(compact));
        }
        Err(bad())
    }

    pub fn as_str(&self) -> &str {
        match self {
            Postcode::Full(s) | Postcode::Sector(s) | Postcode::District(s) => s,
        }
    }

    /// The coarser forms to try when this one is not known, finest first.
    pub fn fallbacks(&self) -> Vec<Postcode> {
        match self {
            Postcode::Full(s) => {
                let sector = &s[..s.len() - 2];
                let district = sector.split(' ').next().unwrap_or(sector);
                vec![
                    Postcode::Sector(sector.to_owned()),
                    Postcode::District(district.to_owned()),
                ]
            }
            Postcode::Sector(s) => vec![Postcode::District(
                s.split(' ').next().unwrap_or(s).to_owned(),
            )],
            Postcode::District(_) => vec![],
        }
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_shape_of_full_postcode() {
        for (input, canonical) in [
            ("sw1a1aa", "SW1A 1AA"),
            ("SW1A 1AA", "SW1A 1AA"),
            ("  m1 1ae ", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("CR2 6XH", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("W1A 0AX", "W1A 0AX"),
            ("EV1 1PS", "EV1 1PS"),
        ] {
            assert_eq!(
                Postcode::parse(input),
                Ok(Postcode::Full(canonical.into())),
                "{input}"
            );
        }
    }

    #[test]
    fn reads_partial_postcodes() {
        assert_eq!(
            Postcode::parse("SW1A"),
            Ok(Postcode::District("SW1A".into()))
        );
        assert_eq!(Postcode::parse("m1 1"), Ok(Postcode::Sector("M1 1".into())));
        assert_eq!(Postcode::parse("M11"), Ok(Postcode::District("M11".into())));
    }

    #[test]
    fn falls_back_from_full_to_sector_to_district() {
        let full = Postcode::parse("SW1A 1AA").unwrap();
        assert_eq!(
            full.fallbacks(),
            vec![
                Postcode::Sector("SW1A 1".into()),
                Postcode::District("SW1A".into())
            ]
        );
    }

    #[test]
    fn refuses_what_is_not_a_postcode() {
        for bad in [
            "",
            "hello world",
            "12345",
            "SW1A 1AAA",
            "ÉV1 1PS",
            "1AB 2CD",
            "Frome",
        ] {
            assert!(Postcode::parse(bad).is_err(), "{bad} should be refused");
        }
    }
}
