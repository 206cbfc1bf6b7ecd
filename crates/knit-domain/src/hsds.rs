//! Reading an HSDS 3.0 file: a JSON array of compiled services, or one service per line
//! (ndjson). The file is read as a stream, one record at a time, so its size does not
//! matter. Every bad record is reported with its JSON path (`$[12].phones[0].id`, or
//! `line 13: $.phones[0].id`) and a reason, ids used twice included, and a file with any
//! bad record is refused whole, so an import is never half done.

mod framing;
mod ids;

use std::io::BufRead;
use std::ops::ControlFlow;

pub use framing::{Format, FramingError, MAX_RECORD_BYTES, Place};

use crate::Service;
use crate::validation::{self, Problem};
use framing::{Framer, RecordText};
use ids::IdLedger;

/// Problems kept to show; more are only counted, so a file that is wrong throughout
/// cannot fill memory with them.
pub const PROBLEMS_KEPT: usize = 1_000;

/// Why a file could not be read as HSDS services.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HsdsError {
    /// The file cannot be cut into records: broken JSON around them, or not services.
    #[error("{0}")]
    Framing(#[from] FramingError),
    #[error("{total} problem(s) in the records:\n{}", list(.shown, *.total))]
    BadRecords {
        /// The first [`PROBLEMS_KEPT`] problems, in file order.
        shown: Vec<Problem>,
        total: usize,
    },
}

fn list(problems: &[Problem], total: usize) -> String {
    let shown: Vec<String> = problems.iter().take(50).map(|p| format!("  {p}")).collect();
    let more = total.saturating_sub(shown.len());
    if more > 0 {
        format!("{}\n  …and {more} more", shown.join("\n"))
    } else {
        shown.join("\n")
    }
}

/// Reads services from a file, in the format given or the one it starts with, handing each
/// good one to `each` in file order until the first bad record; after that the file is read
/// on only to name every problem. `each` may stop the reading early with `Break`.
/// Returns how many services were handed over.
pub fn read_services<R: BufRead>(
    reader: R,
    format: Option<Format>,
    mut each: impl FnMut(Service) -> ControlFlow<()>,
) -> Result<u64, HsdsError> {
    let mut framer = Framer::new(reader, format)?;
    let mut ledger = IdLedger::new();
    let mut shown = Vec::new();
    let mut total = 0usize;
    let mut handed = 0u64;
    while let Some(record) = framer.next_record()? {
        let at = record.at;
        let found = match read_record(&record) {
            Ok(service) => {
                let reused = ledger.note(at, &service);
                if reused.is_empty() && total == 0 {
                    handed += 1;
                    if each(service).is_break() {
                        return Ok(handed);
                    }
                }
                reused
            }
            Err(problems) => problems,
        };
        total += found.len();
        for problem in found {
            if shown.len() < PROBLEMS_KEPT {
                shown.push(Problem {
                    path: at.path(&problem.path),
                    reason: problem.reason,
                });
            }
        }
    }
    if total == 0 {
        Ok(handed)
    } else {
        Err(HsdsError::BadRecords { shown, total })
    }
}

/// One record as a tidied, checked service, or what is wrong with it (paths below the
/// record).
fn read_record(record: &RecordText) -> Result<Service, Vec<Problem>> {
    let not_json = |e: &serde_json::Error| {
        // Where in the file, since a path means nothing inside broken JSON.
        let line = record.line + u32::try_from(e.line()).unwrap_or(1).saturating_sub(1);
        format!(
            "not JSON: {} (line {line} of the file)",
            without_position(e)
        )
    };
    let mut json = serde_json::Deserializer::from_slice(&record.text);
    let mut service = serde_path_to_error::deserialize::<_, Service>(&mut json).map_err(|e| {
        let path = e.path().to_string();
        let e = e.into_inner();
        vec![if e.is_syntax() || e.is_eof() {
            Problem {
                path: String::new(),
                reason: not_json(&e),
            }
        } else {
            Problem {
                path,
                reason: without_position(&e),
            }
        }]
    })?;
    json.end().map_err(|e| {
        vec![Problem {
            path: String::new(),
            reason: not_json(&e),
        }]
    })?;
    validation::tidy(&mut service);
    let problems = validation::check_service(&service);
    if problems.is_empty() {
        Ok(service)
    } else {
        Err(problems)
    }
}

/// serde_json's message without its "at line 1 column 80", which counts within the record.
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    message
        .strip_suffix(&suffix)
        .map_or(message.clone(), str::to_owned)
}

/// Parses and checks every service of a whole file held as text. Either all are good or
/// the problems with all of them are returned.
pub fn parse_services(text: &str) -> Result<Vec<Service>, HsdsError> {
    let mut services = Vec::new();
    read_services(text.as_bytes(), None, |service| {
        services.push(service);
        ControlFlow::Continue(())
    })?;
    Ok(services)
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
        let HsdsError::BadRecords {
            shown: problems,
            total,
        } = err
        else {
            panic!("{err:?}")
        };
        assert_eq!(total, 2);
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            ["$[1].schedules[0].closes_at", "$[2]"],
            "{problems:?}"
        );
        assert!(problems[0].reason.contains("not a time of day"));
        assert!(problems[1].reason.contains("missing field `name`"));
        assert!(!problems[1].reason.contains("column"), "{problems:?}");
    }

    fn problems_of(text: &str) -> Vec<String> {
        match parse_services(text) {
            Err(HsdsError::BadRecords { shown, total }) => {
                assert_eq!(shown.len(), total);
                shown.iter().map(ToString::to_string).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    /// GOOD on one line, with its ids changed so it is another service.
    fn other(n: u8) -> String {
        GOOD.replace('\n', " ")
            .replace("945f4417", &format!("945f44{n:02}"))
            .replace("55998b28", &format!("559980{n:02}"))
    }

    #[test]
    fn json_lines_read_like_an_array_and_name_lines() {
        let lines = format!("{}\n\n{}\n", other(1), other(2));
        let services = parse_services(&lines).unwrap();
        assert_eq!(services.len(), 2);
        assert_eq!(
            parse_services(&format!("[{}, {}]", other(1), other(2))).unwrap(),
            services
        );
        let bad = format!(
            "{}\n{}\n{{\"name\": \"x\n",
            other(1),
            other(2).replace("10:00", "ten")
        );
        let said = problems_of(&bad);
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said[0].starts_with("line 2: $.schedules[0].opens_at: "),
            "{said:?}"
        );
        assert!(said[1].starts_with("line 3: not JSON"), "{said:?}");
        assert!(said[1].contains("(line 3 of the file)"), "{said:?}");
        let trailing = format!("{} {{}}\n", other(1));
        assert!(problems_of(&trailing)[0].starts_with("line 1: not JSON"));
    }

    #[test]
    fn ids_used_twice_are_named_by_path() {
        let said = problems_of(&format!("[{GOOD}, {GOOD}]"));
        // The need attributes tidying adds are the same twice over as well.
        assert_eq!(
            said[..2],
            [
                "$[1].id: 945f4417-fe12-5e7c-b57e-f79ab1d59985 is already the id of one in $[0]",
                "$[1].schedules[0].id: 55998b28-10d6-58b9-917d-eaf5cc81f634 is already the id of \
                 one in $[0]",
            ]
        );
        // Another service reusing a phone id, which the database would refuse in its own words.
        let phone = |service: u8| {
            other(service).replace(
                "\"schedules\"",
                "\"phones\": [{\"id\": \"0b1c6a0e-0000-4000-8000-000000000001\", \"number\": \"01632 960000\"}], \"schedules\"",
            )
        };
        let said = problems_of(&format!("{}\n{}\n", phone(1), phone(2)));
        assert_eq!(
            said,
            [
                "line 2: $.phones[0].id: 0b1c6a0e-0000-4000-8000-000000000001 is already the id of \
              one in line 1"
            ]
        );
        let twice = phone(1).replace(
            "\"phones\": [",
            "\"phones\": [{\"id\": \"0b1c6a0e-0000-4000-8000-000000000001\", \"number\": \"01632 960001\"}, ",
        );
        assert_eq!(
            problems_of(&format!("[{twice}]")),
            [
                "$[0].phones[1].id: 0b1c6a0e-0000-4000-8000-000000000001 is used twice in this service"
            ]
        );
    }

    #[test]
    fn a_bad_record_stops_the_services_handed_over_but_not_the_reading() {
        let text = format!(
            "[{}, {}, {}, {}]",
            other(1),
            other(2).replace("Foodbank", ""),
            other(3),
            other(4).replace("10:00", "ten")
        );
        let mut handed = Vec::new();
        let err = read_services(text.as_bytes(), Some(Format::Array), |s| {
            handed.push(s.id);
            ControlFlow::Continue(())
        })
        .unwrap_err();
        assert_eq!(
            handed.len(),
            1,
            "only the services before the first bad one"
        );
        let HsdsError::BadRecords { shown, .. } = err else {
            panic!("{err:?}")
        };
        let paths: Vec<&str> = shown.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["$[1].name", "$[3].schedules[0].opens_at"]);
    }

    #[test]
    fn broken_files_and_non_services_are_refused() {
        assert_eq!(
            parse_services("\"services\""),
            Err(HsdsError::Framing(FramingError::NotServices))
        );
        assert!(matches!(
            parse_services("[{"),
            Err(HsdsError::Framing(FramingError::NotJson { .. }))
        ));
        assert!(matches!(
            read_services(GOOD.as_bytes(), Some(Format::Array), |_| {
                ControlFlow::Continue(())
            }),
            Err(HsdsError::Framing(FramingError::NotServices))
        ));
    }
}
