//! Demo Local Connector training: three sessions in the weeks after the demo starts, so the
//! public training page has something to book; and, for `knit demo` only, a demo connector
//! and a demo place lead who can sign in (see the README: the credentials are for the demo
//! and nothing else).

use chrono::{DateTime, Days, Utc};
use knit_domain::opening::uk_local;
use knit_domain::training::{SessionForm, SessionPlan};

/// The demo connector's sign-in, printed by `knit demo` and used by the browser tests.
pub const DEMO_CONNECTOR_EMAIL: &str = "connector@kestleford.example";
pub const DEMO_CONNECTOR_PASSWORD: &str = "kestleford demo connector";
/// The demo connector's postcard code.
pub const DEMO_CONNECTOR_CODE: &str = "KF4DEM";
/// The demo place lead, who runs training: password, and the 20 bytes of their two-factor
/// secret (published here, so the browser tests can make codes: a demo account only).
pub const DEMO_LEAD_EMAIL: &str = "lead@kestleford.example";
pub const DEMO_LEAD_PASSWORD: &str = "kestleford demo lead";
pub const DEMO_LEAD_TOTP_SECRET: &[u8; 20] = b"kestleford-demo-lead";

/// Sessions 7, 14 and 21 days after `now`, at set times of day in the town.
pub fn training_sessions(now: DateTime<Utc>) -> Vec<SessionPlan> {
    let today = uk_local(now).date();
    let on = |days| (today + Days::new(days)).format("%Y-%m-%d").to_string();
    let forms = [
        SessionForm {
            title: "Local Connector training".into(),
            kind: "connector".into(),
            date: on(7),
            starts: "18:30".into(),
            ends: "19:30".into(),
            place: "Kestleford Library, Market Street".into(),
            online_link: String::new(),
            capacity: "12".into(),
            trainer: "Jo Bright, Kestleford Community Links".into(),
        },
        SessionForm {
            title: "Joint training: making a good referral".into(),
            kind: "joint".into(),
            date: on(14),
            starts: "10:00".into(),
            ends: "12:30".into(),
            place: "Kestleford Town Hall, Committee Room 2".into(),
            online_link: "https://meet.example.org/kestleford-joint".into(),
            capacity: "30".into(),
            trainer: "Sam Okafor, Kestle Valley Council".into(),
        },
        SessionForm {
            title: "Local Connector refresher".into(),
            kind: "refresher".into(),
            date: on(21),
            starts: "19:00".into(),
            ends: "20:00".into(),
            place: String::new(),
            online_link: "https://meet.example.org/kestleford-refresher".into(),
            capacity: "20".into(),
            trainer: "Jo Bright, Kestleford Community Links".into(),
        },
    ];
    forms
        .iter()
        .map(|f| f.plan(now).expect("the demo sessions are valid"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use knit_domain::connector::ConnectorCode;

    #[test]
    fn the_demo_sessions_are_to_come_and_the_code_is_a_code() {
        let now = Utc::now();
        let sessions = training_sessions(now);
        assert_eq!(sessions.len(), 3);
        assert!(sessions.iter().all(|s| s.starts_at > now));
        assert!(ConnectorCode::parse(DEMO_CONNECTOR_CODE).is_ok());
    }
}
