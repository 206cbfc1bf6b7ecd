//! Reading an HSDS 3.0 file: a JSON array of compiled services. Every bad record is
//! reported with its JSON path and a reason, and a file with any bad record is refused
//! whole, so an import is never half done.

use std::collections::HashSet;

use crate::Service;
use crate::validation::{self, Problem};

/// Why a file could not be read as HSDS services.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HsdsError {
    #[error("the file is not JSON: {0}")]
    NotJson(String),
    #[error("the file must hold a JSON array of services, [ {{...}}, ... ]")]
    NotAnArray,
    #[error("{} record(s) are not acceptable:\n{}", .0.len(), list(.0))]
    BadRecords(Vec<Problem>),
}

fn list(problems: &[Problem]) -> String {
    let shown: Vec<String> = problems.iter().take(50).map(|p| format!("  {p}")).collect();
    let more = problems.len().saturating_sub(50);
    if more > 0 {
        format!("{}\n  …and {more} more", shown.join("\n"))
    } else {
        shown.join("\n")
    }
}

/// Parses and checks every service, tidying each one. Either all are good or the
/// problems with all of them are returned.
pub fn parse_services(json: &str) -> Result<Vec<Service>, HsdsError> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| HsdsError::NotJson(e.to_string()))?;
    let serde_json::Value::Array(records) = value else {
        return Err(HsdsError::NotAnArray);
    };
    let mut services = Vec::with_capacity(records.len());
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for (i, record) in records.into_iter().enumerate() {
        let at = |path: &str| {
            if path.is_empty() || path == "." {
                format!("$[{i}]")
            } else {
                format!("$[{i}].{path}")
            }
        };
        match serde_path_to_error::deserialize::<_, Service>(record) {
            Ok(mut service) => {
                validation::tidy(&mut service);
                let found = validation::check_service(&service);
                if !seen.insert(service.id) {
                    problems.push(Problem {
                        path: at("id"),
                        reason: format!("{} appears more than once", service.id),
                    });
                }
                if found.is_empty() {
                    services.push(service);
                } else {
                    problems.extend(found.into_iter().map(|p| Problem {
                        path: at(&p.path),
                        reason: p.reason,
                    }));
                }
            }
            Err(e) => {
                let path = e.path().to_string();
                problems.push(Problem {
                    path: at(&path),
                    reason: e.into_inner().to_string(),
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(services)
    } else {
        Err(HsdsError::BadRecords(problems))
    }
}

/// Writes services as an HSDS 3.0 JSON array that [`parse_services`] reads back equal.
pub fn write_services(services: &[Service]) -> String {
    serde_json::to_string_pretty(services).expect("services always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
        "id": "945f4417-fe12-5e7c-b57e-f79ab1d59985",
        "organization_id": "1c5fd46b-eca5-5553-90d5-4ae155615d8f",
        "name": "Foodbank", "status": "active",
        "schedules": [{"id": "55998b28-10d6-58b9-917d-eaf5cc81f634", "freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "12:30"}]
    }"#;

    #[test]
    fn a_good_file_reads_and_writes_back_equal() {
        let services = parse_services(&format!("[{GOOD}]")).unwrap();
        assert_eq!(services.len(), 1);
        assert_eq!(
            parse_services(&write_services(&services)).unwrap(),
            services
        );
    }

    #[test]
    fn bad_records_are_named_by_path_and_reason() {
        let bad_time = GOOD.replace("\"12:30\"", "\"half past\"");
        let no_name = GOOD
            .replace("\"name\": \"Foodbank\",", "")
            .replace("945f4417", "045f4417");
        let err = parse_services(&format!("[{GOOD}, {bad_time}, {no_name}]")).unwrap_err();
        let HsdsError::BadRecords(problems) = err else {
            panic!("{err:?}")
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["$[1].schedules[0].closes_at", "$[2]"],
            "{problems:?}"
        );
        assert!(problems[0].reason.contains("not a time of day"));
        assert!(problems[1].reason.contains("missing field `name`"));
    }

    #[test]
    fn duplicate_ids_and_non_arrays_are_refused() {
        assert!(matches!(
            parse_services(&format!("[{GOOD}, {GOOD}]")),
            Err(HsdsError::BadRecords(_))
        ));
        assert_eq!(parse_services(GOOD), Err(HsdsError::NotAnArray));
        assert!(matches!(parse_services("[{"), Err(HsdsError::NotJson(_))));
    }
}
