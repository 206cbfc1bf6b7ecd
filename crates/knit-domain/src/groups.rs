//! Groups people run, and the journey that starts one: a resident's idea ("I want to start a
//! group for…") reaches a coordinator or place lead, becomes a draft group, and is published
//! as a directory service, so it is found by search, listed in the Open Referral API and
//! referred to like any service. The rules here: what an idea and a group must hold, the
//! capacity flags a listing shows ([`capacity_note`]) and the service a group becomes
//! ([`as_service`]).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::directory::{Organization, Service, ServiceStatus, WayIn};
use crate::needs::NeedId;
use crate::validation::{MAX_FREE_TEXT, one_line};

/// The organisation every published group is listed under: groups are often not
/// constituted, so Knit lists them together as the place's community groups.
pub const GROUPS_ORGANIZATION: Uuid = Uuid::from_u128(0x6b6e6974_6772_4f75_8000_000000000001);

pub fn groups_organization(place: &str) -> Organization {
    Organization {
        id: GROUPS_ORGANIZATION,
        name: format!("Community groups in {place}"),
        alternate_name: None,
        description: Some(
            "Groups started and run by local people, listed with their help.".to_owned(),
        ),
        email: None,
        website: None,
        legal_status: Some("Unincorporated community groups".to_owned()),
        year_incorporated: None,
        logo: None,
        uri: None,
    }
}

/// A resident's idea for a group, sealed like casework: who they are, how to reach them and
/// what they have in mind. Its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GroupIdea {
    pub name: String,
    pub contact: String,
    pub idea: String,
    pub who_for: String,
}

impl fmt::Debug for GroupIdea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GroupIdea").finish_non_exhaustive()
    }
}

/// The public "start a group" form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdeaForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub idea: String,
    #[serde(default)]
    pub who_for: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GroupProblem {
    #[error("Enter your name")]
    NoName,
    #[error("Your name must be 100 characters or fewer")]
    NameTooLong,
    #[error("Enter a phone number or email address, so a coordinator can get back to you")]
    NoContact,
    #[error("Tell us about the group you have in mind")]
    NoIdea,
    #[error("Text must be {MAX_FREE_TEXT} characters or fewer")]
    TooLong(&'static str),
    #[error("Enter the group's name")]
    NoGroupName,
    #[error("Say what the group is for")]
    NoPurpose,
    #[error("Choose needs from the list")]
    UnknownNeed,
    #[error("Enter the number of members as a whole number")]
    BadMembers,
}

impl GroupProblem {
    pub fn field(&self) -> &'static str {
        match self {
            GroupProblem::NoName | GroupProblem::NameTooLong | GroupProblem::NoGroupName => "name",
            GroupProblem::NoContact => "contact",
            GroupProblem::NoIdea => "idea",
            GroupProblem::TooLong(f) => f,
            GroupProblem::NoPurpose => "purpose",
            GroupProblem::UnknownNeed => "needs",
            GroupProblem::BadMembers => "members",
        }
    }
}

fn bounded(text: &str, field: &'static str) -> Result<String, GroupProblem> {
    let text = text.trim();
    if text.chars().count() > MAX_FREE_TEXT {
        return Err(GroupProblem::TooLong(field));
    }
    Ok(text.to_owned())
}

impl IdeaForm {
    pub fn parse(&self) -> Result<GroupIdea, GroupProblem> {
        let name = one_line(&self.name);
        if name.is_empty() {
            return Err(GroupProblem::NoName);
        }
        if name.chars().count() > 100 {
            return Err(GroupProblem::NameTooLong);
        }
        let contact = one_line(&self.contact);
        if contact.is_empty() {
            return Err(GroupProblem::NoContact);
        }
        if contact.chars().count() > 200 {
            return Err(GroupProblem::TooLong("contact"));
        }
        let idea = bounded(&self.idea, "idea")?;
        if idea.is_empty() {
            return Err(GroupProblem::NoIdea);
        }
        Ok(GroupIdea {
            name,
            contact,
            idea,
            who_for: bounded(&self.who_for, "who_for")?,
        })
    }
}

/// A group as its coordinator keeps it; public once published.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GroupRecord {
    pub name: String,
    pub purpose: String,
    pub who_for: String,
    pub needs: Vec<NeedId>,
    /// "Thursdays, 7pm to 9pm".
    pub meeting_pattern: String,
    /// The public way to reach the group (the group's own phone or email, chosen to be
    /// shown).
    pub contact: String,
    pub members: u32,
    pub needs_volunteers: bool,
    pub full: bool,
}

/// The group form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub who_for: String,
    /// Need ids, separated by commas or spaces.
    #[serde(default)]
    pub needs: String,
    #[serde(default)]
    pub meeting_pattern: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub members: String,
    #[serde(default)]
    pub needs_volunteers: Option<String>,
    #[serde(default)]
    pub full: Option<String>,
    /// A booking of a venue, by id, or "".
    #[serde(default)]
    pub venue_booking: String,
}

impl GroupForm {
    pub fn of(record: &GroupRecord, venue_booking: Option<Uuid>) -> GroupForm {
        GroupForm {
            name: record.name.clone(),
            purpose: record.purpose.clone(),
            who_for: record.who_for.clone(),
            needs: record
                .needs
                .iter()
                .map(|n| n.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(", "),
            meeting_pattern: record.meeting_pattern.clone(),
            contact: record.contact.clone(),
            members: record.members.to_string(),
            needs_volunteers: record.needs_volunteers.then(|| "on".to_owned()),
            full: record.full.then(|| "on".to_owned()),
            venue_booking: venue_booking.map(|v| v.to_string()).unwrap_or_default(),
        }
    }

    pub fn parse(&self) -> Result<(GroupRecord, Option<Uuid>), GroupProblem> {
        let name = one_line(&self.name);
        if name.is_empty() {
            return Err(GroupProblem::NoGroupName);
        }
        if name.chars().count() > 120 {
            return Err(GroupProblem::NameTooLong);
        }
        let purpose = bounded(&self.purpose, "purpose")?;
        if purpose.is_empty() {
            return Err(GroupProblem::NoPurpose);
        }
        let mut needs = Vec::new();
        for part in self
            .needs
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let need = NeedId::parse(part).map_err(|_| GroupProblem::UnknownNeed)?;
            if !needs.contains(&need) {
                needs.push(need);
            }
        }
        let members = match self.members.trim() {
            "" => 0,
            text => text.parse().map_err(|_| GroupProblem::BadMembers)?,
        };
        let venue = match self.venue_booking.trim() {
            "" => None,
            text => {
                Some(Uuid::parse_str(text).map_err(|_| GroupProblem::TooLong("venue_booking"))?)
            }
        };
        Ok((
            GroupRecord {
                name,
                purpose,
                who_for: bounded(&self.who_for, "who_for")?,
                needs,
                meeting_pattern: one_line(&self.meeting_pattern).chars().take(200).collect(),
                contact: one_line(&self.contact).chars().take(200).collect(),
                members,
                needs_volunteers: self.needs_volunteers.is_some(),
                full: self.full.is_some(),
            },
            venue,
        ))
    }
}

/// What a listing says about room in the group, if anything.
pub fn capacity_note(group: &GroupRecord) -> Option<&'static str> {
    match (group.full, group.needs_volunteers) {
        (true, true) => Some("We're full at the moment, but we need volunteers."),
        (true, false) => Some("We're full at the moment: ask to join the waiting list."),
        (false, true) => Some("We need volunteers: new members welcome too."),
        (false, false) => None,
    }
}

/// Where a group stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupStatus {
    Draft,
    Published,
}

impl GroupStatus {
    pub fn code(self) -> &'static str {
        match self {
            GroupStatus::Draft => "draft",
            GroupStatus::Published => "published",
        }
    }

    pub fn from_code(code: &str) -> Option<GroupStatus> {
        match code {
            "draft" => Some(GroupStatus::Draft),
            "published" => Some(GroupStatus::Published),
            _ => None,
        }
    }
}

/// The directory service a group is published as: its needs, its meeting pattern and venue
/// in the description, its capacity flag as the listing's alert, self-referral as the way
/// in. The service keeps `service_id` across every republication.
pub fn as_service(
    service_id: Uuid,
    group: &GroupRecord,
    venue: Option<&str>,
    organization: Organization,
    now: DateTime<Utc>,
) -> Service {
    let mut description = group.purpose.clone();
    if !group.who_for.is_empty() {
        description.push_str(&format!("\n\nWho it is for: {}", group.who_for));
    }
    if !group.meeting_pattern.is_empty() {
        description.push_str(&format!("\n\nWhen we meet: {}", group.meeting_pattern));
    }
    if let Some(venue) = venue {
        description.push_str(&format!("\n\nWhere: {venue}"));
    }
    if group.members > 0 {
        description.push_str(&format!("\n\nMembers: {}", group.members));
    }
    let email = group.contact.contains('@').then(|| group.contact.clone());
    let phones = if group.contact.is_empty() || email.is_some() {
        Vec::new()
    } else {
        vec![crate::directory::Phone {
            id: Uuid::new_v5(&service_id, b"phone"),
            service_id: Some(service_id),
            contact_id: None,
            number: group.contact.clone(),
            extension: None,
            kind: Some("voice".to_owned()),
            description: None,
        }]
    };
    let mut service = Service {
        id: service_id,
        organization_id: organization.id,
        name: group.name.clone(),
        alternate_name: None,
        description: Some(description),
        url: None,
        email,
        status: ServiceStatus::Active,
        interpretation_services: None,
        application_process: Some("Get in touch and come along.".to_owned()),
        fees_description: Some("Free".to_owned()),
        eligibility_description: (!group.who_for.is_empty()).then(|| group.who_for.clone()),
        minimum_age: None,
        maximum_age: None,
        alert: capacity_note(group).map(str::to_owned),
        assured_date: Some(now.date_naive()),
        last_modified: Some(now),
        phones,
        schedules: Vec::new(),
        service_areas: Vec::new(),
        service_at_locations: Vec::new(),
        languages: Vec::new(),
        cost_options: Vec::new(),
        contacts: Vec::new(),
        attributes: Vec::new(),
        organization: Some(organization),
    };
    service.set_needs(&group.needs);
    service.set_way_in(WayIn::SelfRefer);
    service
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kellys() -> GroupRecord {
        GroupForm {
            name: "Thursday Friends".into(),
            purpose: "A friendly evening to meet people if you feel lonely".into(),
            needs: "loneliness".into(),
            meeting_pattern: "Thursdays, 7pm to 9pm".into(),
            contact: "thursdayfriends@example.org".into(),
            members: "9".into(),
            ..GroupForm::default()
        }
        .parse()
        .unwrap()
        .0
    }

    #[test]
    fn an_idea_needs_a_name_a_contact_and_the_idea() {
        let form = IdeaForm {
            name: "Kelly".into(),
            contact: "07700 900123".into(),
            idea: "A group to meet people".into(),
            who_for: String::new(),
        };
        let idea = form.parse().unwrap();
        assert!(!format!("{idea:?}").contains("Kelly"));
        let no_contact = IdeaForm {
            contact: " ".into(),
            ..form.clone()
        };
        assert_eq!(no_contact.parse(), Err(GroupProblem::NoContact));
        let long = IdeaForm {
            idea: "a".repeat(MAX_FREE_TEXT + 1),
            ..form
        };
        assert_eq!(long.parse().unwrap_err().field(), "idea");
    }

    #[test]
    fn a_published_group_is_a_self_referral_service_with_its_needs_and_flags() {
        let mut group = kellys();
        let now = Utc::now();
        let id = Uuid::from_u128(9);
        let service = as_service(
            id,
            &group,
            Some("St Mark's hall"),
            groups_organization("Kestleford"),
            now,
        );
        assert_eq!(service.needs(), group.needs);
        assert_eq!(service.alert, None);
        assert!(service.description.unwrap().contains("St Mark's hall"));
        assert_eq!(
            service.email.as_deref(),
            Some("thursdayfriends@example.org")
        );
        group.full = true;
        let full = as_service(id, &group, None, groups_organization("Kestleford"), now);
        assert_eq!(full.alert.as_deref(), capacity_note(&group));
        assert!(full.alert.unwrap().contains("full"));
    }

    #[test]
    fn needs_must_come_from_the_taxonomy() {
        let form = GroupForm {
            name: "X".into(),
            purpose: "Y".into(),
            needs: "loneliness, not-a-need".into(),
            ..GroupForm::default()
        };
        assert_eq!(form.parse().unwrap_err(), GroupProblem::UnknownNeed);
    }
}
