//! Awards as 360Giving data: one grant per award, in a package (`{"grants": [...]}`), as the
//! 360Giving Data Standard (1.4) says. What goes out about recipients follows its guidance:
//! - a registered charity or company is a `recipientOrganization` with its organisation
//!   identifier (`GB-CHC-…`, `GB-COH-…`);
//! - a group with no registration (not constituted, or constituted without a number) is a
//!   `recipientOrganization` too, with a `360G-` identifier made from the funder's prefix and
//!   Knit's own record, and only its name;
//! - a person is a `recipientIndividual` with an identifier that names nothing and the name
//!   "Individual Recipient": no name, address, postcode or anything else personal.
//!
//! Nothing from the applicant's free-text answers goes out.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{ApplicantKind, Pence};

/// The prefix used in grant and unregistered-organisation identifiers when the place has
/// not registered one of its own with 360Giving.
pub const FUNDER_PREFIX: &str = "360G-knit";

/// Who made the awards, as the package names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantPackage {
    /// The funder's 360Giving prefix (`360G-kestleford`).
    pub prefix: String,
    /// The funder's organisation identifier (`GB-LAE-KES`, or a `360G-` one).
    pub funder_id: String,
    pub funder_name: String,
    /// The public address of the site, for links to the fund, if known.
    pub site_url: Option<String>,
}

/// Who received an award, as far as 360Giving may be told.
#[derive(Clone, PartialEq, Eq)]
pub enum ExportRecipient {
    Organization {
        name: String,
        charity_number: Option<String>,
        company_number: Option<String>,
    },
    /// A person: nothing about them is exported.
    Individual,
}

impl std::fmt::Debug for ExportRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportRecipient::Organization { .. } => f.write_str("Organization { .. }"),
            ExportRecipient::Individual => f.write_str("Individual"),
        }
    }
}

impl ExportRecipient {
    /// What the standard may be told about an applicant of this kind.
    pub fn of(
        kind: ApplicantKind,
        group_name: &str,
        charity_number: &str,
        company_number: &str,
    ) -> ExportRecipient {
        let number = |n: &str| {
            let n: String = n.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            (!n.is_empty()).then(|| n.to_ascii_uppercase())
        };
        match kind {
            ApplicantKind::Individual => ExportRecipient::Individual,
            ApplicantKind::UnconstitutedGroup => ExportRecipient::Organization {
                name: group_name.to_owned(),
                charity_number: None,
                company_number: None,
            },
            ApplicantKind::ConstitutedGroup => ExportRecipient::Organization {
                name: group_name.to_owned(),
                charity_number: number(charity_number),
                company_number: number(company_number),
            },
        }
    }
}

/// One award, ready to export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardForExport {
    pub application_id: Uuid,
    pub round_id: Uuid,
    pub round_title: String,
    pub requested: Pence,
    pub awarded: Pence,
    pub paid: Pence,
    pub awarded_on: NaiveDate,
    pub modified_at: DateTime<Utc>,
    pub recipient: ExportRecipient,
}

/// The grant's identifier: the funder's prefix and Knit's record.
pub fn grant_id(prefix: &str, application: Uuid) -> String {
    format!("{prefix}-{application}")
}

fn organization_id(prefix: &str, application: Uuid, recipient: &ExportRecipient) -> String {
    match recipient {
        ExportRecipient::Organization {
            charity_number: Some(n),
            ..
        } => format!("GB-CHC-{n}"),
        ExportRecipient::Organization {
            company_number: Some(n),
            ..
        } => format!("GB-COH-{n}"),
        _ => format!("{prefix}-ORG-{application}"),
    }
}

/// One award as a 360Giving grant.
pub fn grant(package: &GrantPackage, award: &AwardForExport) -> Value {
    let mut grant = Map::new();
    let id = grant_id(&package.prefix, award.application_id);
    let (title, description) = match &award.recipient {
        ExportRecipient::Individual => (
            format!("{}: grant to an individual", award.round_title),
            format!(
                "A grant to an individual from the {} round of the local fund.",
                award.round_title
            ),
        ),
        ExportRecipient::Organization { name, .. } => (
            format!("{}: {}", award.round_title, name),
            format!(
                "A grant to {} from the {} round of the local fund.",
                name, award.round_title
            ),
        ),
    };
    grant.insert("id".into(), id.into());
    grant.insert(
        "title".into(),
        title.chars().take(140).collect::<String>().into(),
    );
    grant.insert("description".into(), description.into());
    grant.insert("currency".into(), "GBP".into());
    grant.insert(
        "amountAppliedFor".into(),
        Value::Number(award.requested.as_decimal()),
    );
    grant.insert(
        "amountAwarded".into(),
        Value::Number(award.awarded.as_decimal()),
    );
    grant.insert(
        "amountDisbursed".into(),
        Value::Number(award.paid.as_decimal()),
    );
    grant.insert(
        "awardDate".into(),
        award.awarded_on.format("%Y-%m-%d").to_string().into(),
    );
    match &award.recipient {
        ExportRecipient::Individual => {
            grant.insert(
                "recipientIndividual".into(),
                json!({
                    "id": format!("{}-IND-{}", package.prefix, award.application_id),
                    "name": "Individual Recipient",
                }),
            );
        }
        ExportRecipient::Organization {
            name,
            charity_number,
            company_number,
        } => {
            let mut org = Map::new();
            org.insert(
                "id".into(),
                organization_id(&package.prefix, award.application_id, &award.recipient).into(),
            );
            org.insert("name".into(), name.clone().into());
            if let Some(n) = charity_number {
                org.insert("charityNumber".into(), n.clone().into());
            }
            if let Some(n) = company_number {
                org.insert("companyNumber".into(), n.clone().into());
            }
            grant.insert(
                "recipientOrganization".into(),
                Value::Array(vec![org.into()]),
            );
        }
    }
    grant.insert(
        "fundingOrganization".into(),
        json!([{ "id": package.funder_id, "name": package.funder_name }]),
    );
    let mut programme = Map::new();
    programme.insert("code".into(), award.round_id.to_string().into());
    programme.insert("title".into(), award.round_title.clone().into());
    if let Some(url) = &package.site_url {
        programme.insert(
            "url".into(),
            format!("{}/fund/{}", url.trim_end_matches('/'), award.round_id).into(),
        );
    }
    grant.insert(
        "grantProgramme".into(),
        Value::Array(vec![programme.into()]),
    );
    grant.insert("fromOpenCall".into(), "Yes".into());
    grant.insert(
        "dateModified".into(),
        award
            .modified_at
            .to_rfc3339_opts(SecondsFormat::Secs, true)
            .into(),
    );
    Value::Object(grant)
}

/// The package around the grants, without them: the writer streams the grants into it.
pub fn package(meta: &GrantPackage, now: DateTime<Utc>) -> Map<String, Value> {
    let mut p = Map::new();
    p.insert("version".into(), "1.4".into());
    p.insert(
        "title".into(),
        format!("{}: local fund awards", meta.funder_name).into(),
    );
    p.insert(
        "modified".into(),
        now.to_rfc3339_opts(SecondsFormat::Secs, true).into(),
    );
    p.insert(
        "publisher".into(),
        json!({ "name": meta.funder_name, "identifier": meta.funder_id }),
    );
    p.insert(
        "license".into(),
        "https://creativecommons.org/licenses/by/4.0/".into(),
    );
    p
}
