//! Volunteer match events: a place lead's evening where people who want to help meet the
//! organisations that need them.
//!
//! Seats, the waiting list, reminders and the register are training's: an event is a
//! session of kind [`TrainingKind::MatchEvent`](crate::training::TrainingKind). What is the
//! event's own is here: which organisations come, who may be recorded as meeting whom, and
//! how those meetings stand a month on. A meeting that names a role becomes an offer to
//! volunteer for it, so the organisation must answer it as it answers any other.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::account::OrganizationId;
use crate::training::BookingStatus;
use crate::volunteering::InterestStatus;

/// The most organisations one event lists: a hall of stalls, not a fair.
pub const MAX_ORGANISATIONS: usize = 40;

/// How long after an event the place lead hears how its meetings went.
pub const FOLLOW_UP_AFTER: TimeDelta = TimeDelta::days(30);

/// When the follow-up of an event that ends at `ends_at` is due.
pub fn follow_up_due(ends_at: DateTime<Utc>) -> DateTime<Utc> {
    ends_at + FOLLOW_UP_AFTER
}

/// The latest end of an event whose follow-up is due at `now`: [`follow_up_due`] turned
/// round, for asking the store.
pub fn follow_up_due_if_ended_by(now: DateTime<Utc>) -> DateTime<Utc> {
    now - FOLLOW_UP_AFTER
}

/// What is wrong with the organisations chosen for an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadEvent {
    #[error("Choose at least one organisation that is coming")]
    NoOrganisations,
    #[error("Choose at most 40 organisations")]
    TooManyOrganisations,
    #[error("One of the organisations chosen is not in the directory")]
    UnknownOrganisation,
}

impl BadEvent {
    pub fn field(self) -> &'static str {
        "organizations"
    }
}

/// The organisations coming to an event: each once, at least one, at most
/// [`MAX_ORGANISATIONS`]. Whether each is in the directory is the store's to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComingOrganisations(Vec<OrganizationId>);

impl ComingOrganisations {
    pub fn new(ids: impl IntoIterator<Item = OrganizationId>) -> Result<Self, BadEvent> {
        let mut chosen = Vec::new();
        for id in ids {
            if !chosen.contains(&id) {
                chosen.push(id);
            }
        }
        if chosen.is_empty() {
            return Err(BadEvent::NoOrganisations);
        }
        if chosen.len() > MAX_ORGANISATIONS {
            return Err(BadEvent::TooManyOrganisations);
        }
        Ok(ComingOrganisations(chosen))
    }

    /// The boxes ticked on the event form.
    pub fn ticked(ticked: &[String]) -> Result<Self, BadEvent> {
        let ids = ticked
            .iter()
            .map(|text| Uuid::parse_str(text.trim()).map(OrganizationId))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| BadEvent::UnknownOrganisation)?;
        ComingOrganisations::new(ids)
    }

    pub fn ids(&self) -> &[OrganizationId] {
        &self.0
    }
}

/// "Who met whom" as the place lead's form gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub booking: String,
    #[serde(default)]
    pub organization: String,
    /// A role of that organisation's, or empty when they talked without one in mind.
    #[serde(default)]
    pub role: String,
}

/// A meeting to record, checked for form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingPlan {
    pub booking: Uuid,
    pub organization: OrganizationId,
    pub role: Option<Uuid>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadMeeting {
    #[error("Choose who they were")]
    NoVolunteer,
    #[error("Choose the organisation they met")]
    NoOrganisation,
    #[error("Choose one of the organisation's roles, or none")]
    BadRole,
}

impl BadMeeting {
    pub fn field(self) -> &'static str {
        match self {
            BadMeeting::NoVolunteer => "booking",
            BadMeeting::NoOrganisation => "organization",
            BadMeeting::BadRole => "role",
        }
    }
}

impl MeetingForm {
    pub fn plan(&self) -> Result<MeetingPlan, BadMeeting> {
        let booking = Uuid::parse_str(self.booking.trim()).map_err(|_| BadMeeting::NoVolunteer)?;
        let organization = Uuid::parse_str(self.organization.trim())
            .map(OrganizationId)
            .map_err(|_| BadMeeting::NoOrganisation)?;
        let role = match self.role.trim() {
            "" => None,
            text => Some(Uuid::parse_str(text).map_err(|_| BadMeeting::BadRole)?),
        };
        Ok(MeetingPlan {
            booking,
            organization,
            role,
        })
    }
}

/// Why a meeting cannot be recorded, as the store finds things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MeetingRefused {
    #[error("That person has no seat at this event")]
    NotBooked,
    #[error("That organisation is not down as coming to this event")]
    NotComing,
    #[error("That role is not one of the organisation's")]
    RoleNotTheirs,
    #[error("That role is no longer taking offers")]
    RoleClosed,
    #[error("Their meeting with that organisation is already recorded")]
    AlreadyMet,
}

impl MeetingRefused {
    /// The form field the refusal is about, for the message beside it.
    pub fn field(self) -> &'static str {
        match self {
            MeetingRefused::NotBooked | MeetingRefused::AlreadyMet => "booking",
            MeetingRefused::NotComing => "organization",
            MeetingRefused::RoleNotTheirs | MeetingRefused::RoleClosed => "role",
        }
    }
}

/// The role a meeting names, as stored: whose it is and whether it takes offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedRole {
    pub organization: OrganizationId,
    pub open: bool,
}

/// What the store found about a meeting it is asked to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeetingFacts {
    /// The booking's status, when the booking is this event's.
    pub booking: Option<BookingStatus>,
    /// Whether the organisation is down as coming.
    pub coming: bool,
    /// The role named, when it exists.
    pub role: Option<NamedRole>,
    /// Whether this person's meeting with this organisation is already recorded.
    pub met_before: bool,
}

/// Whether a meeting may be recorded. Only someone who had a seat can have met anyone,
/// each pair once, and a role named must be the organisation's and still open, as any
/// offer to volunteer must be.
pub fn check_meeting(plan: &MeetingPlan, facts: MeetingFacts) -> Result<(), MeetingRefused> {
    if !facts.booking.is_some_and(BookingStatus::holds_a_seat) {
        return Err(MeetingRefused::NotBooked);
    }
    if !facts.coming {
        return Err(MeetingRefused::NotComing);
    }
    if facts.met_before {
        return Err(MeetingRefused::AlreadyMet);
    }
    let role = facts.role;
    match (plan.role, role) {
        (None, _) => Ok(()),
        (Some(_), None) => Err(MeetingRefused::RoleNotTheirs),
        (Some(_), Some(r)) if r.organization != plan.organization => {
            Err(MeetingRefused::RoleNotTheirs)
        }
        (Some(_), Some(r)) if !r.open => Err(MeetingRefused::RoleClosed),
        (Some(_), Some(_)) => Ok(()),
    }
}

/// How an event's meetings stand: each meeting counted once, by the outcome of the offer it
/// made (or as having named no role).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowUp {
    pub meetings: u32,
    pub no_role: u32,
    pub waiting: u32,
    pub in_touch: u32,
    pub placed: u32,
    pub not_suitable: u32,
    pub withdrew: u32,
}

impl FollowUp {
    /// From each meeting's offer status (`None` for a meeting that named no role).
    pub fn of(statuses: impl IntoIterator<Item = Option<InterestStatus>>) -> FollowUp {
        let mut f = FollowUp::default();
        for status in statuses {
            f.meetings += 1;
            let count = match status {
                None => &mut f.no_role,
                Some(InterestStatus::Waiting) => &mut f.waiting,
                Some(InterestStatus::Contacted) => &mut f.in_touch,
                Some(InterestStatus::Placed) => &mut f.placed,
                Some(InterestStatus::NotSuitable) => &mut f.not_suitable,
                Some(InterestStatus::Withdrew) => &mut f.withdrew,
            };
            *count += 1;
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn plan(role: Option<Uuid>) -> MeetingPlan {
        MeetingPlan {
            booking: id(1),
            organization: OrganizationId(id(2)),
            role,
        }
    }

    #[test]
    fn organisations_are_each_taken_once_and_must_be_some() {
        let a = id(7).to_string();
        let b = id(8).to_string();
        assert_eq!(
            ComingOrganisations::ticked(&[a.clone(), format!(" {a} "), b])
                .map(|c| c.ids().to_vec()),
            Ok(vec![OrganizationId(id(7)), OrganizationId(id(8))])
        );
        assert_eq!(
            ComingOrganisations::ticked(&[]),
            Err(BadEvent::NoOrganisations)
        );
        assert_eq!(
            ComingOrganisations::ticked(&["food bank".into()]),
            Err(BadEvent::UnknownOrganisation)
        );
        let many = (0..=MAX_ORGANISATIONS as u128).map(|n| OrganizationId(id(n + 100)));
        assert_eq!(
            ComingOrganisations::new(many),
            Err(BadEvent::TooManyOrganisations)
        );
    }

    #[test]
    fn the_form_names_the_field_of_its_mistake() {
        let good = MeetingForm {
            booking: id(1).to_string(),
            organization: id(2).to_string(),
            role: String::new(),
        };
        assert_eq!(good.plan(), Ok(plan(None)));
        let with_role = MeetingForm {
            role: id(3).to_string(),
            ..good.clone()
        };
        assert_eq!(with_role.plan(), Ok(plan(Some(id(3)))));
        for (form, bad) in [
            (
                MeetingForm {
                    booking: "Ann".into(),
                    ..good.clone()
                },
                BadMeeting::NoVolunteer,
            ),
            (
                MeetingForm {
                    organization: String::new(),
                    ..good.clone()
                },
                BadMeeting::NoOrganisation,
            ),
            (
                MeetingForm {
                    role: "driver".into(),
                    ..good.clone()
                },
                BadMeeting::BadRole,
            ),
        ] {
            assert_eq!(form.plan(), Err(bad));
            assert_eq!(bad.field(), bad.field().trim());
        }
    }

    #[test]
    fn only_someone_with_a_seat_meets_an_organisation_that_came_once_about_its_open_role() {
        let theirs = Some(NamedRole {
            organization: OrganizationId(id(2)),
            open: true,
        });
        let facts = MeetingFacts {
            booking: Some(BookingStatus::Confirmed),
            coming: true,
            role: None,
            met_before: false,
        };
        assert_eq!(check_meeting(&plan(None), facts), Ok(()));
        let attended_about_role = MeetingFacts {
            booking: Some(BookingStatus::Attended),
            role: theirs,
            ..facts
        };
        assert_eq!(
            check_meeting(&plan(Some(id(3))), attended_about_role),
            Ok(())
        );
        for booking in [
            None,
            Some(BookingStatus::Waiting),
            Some(BookingStatus::Cancelled),
        ] {
            assert_eq!(
                check_meeting(&plan(None), MeetingFacts { booking, ..facts }),
                Err(MeetingRefused::NotBooked)
            );
        }
        let refused = |plan: MeetingPlan, facts: MeetingFacts| check_meeting(&plan, facts);
        assert_eq!(
            refused(
                plan(None),
                MeetingFacts {
                    coming: false,
                    ..facts
                }
            ),
            Err(MeetingRefused::NotComing)
        );
        assert_eq!(
            refused(
                plan(None),
                MeetingFacts {
                    met_before: true,
                    ..facts
                }
            ),
            Err(MeetingRefused::AlreadyMet)
        );
        assert_eq!(
            refused(plan(Some(id(3))), facts),
            Err(MeetingRefused::RoleNotTheirs)
        );
        let elsewhere = Some(NamedRole {
            organization: OrganizationId(id(9)),
            open: true,
        });
        assert_eq!(
            refused(
                plan(Some(id(3))),
                MeetingFacts {
                    role: elsewhere,
                    ..facts
                }
            ),
            Err(MeetingRefused::RoleNotTheirs)
        );
        let closed = Some(NamedRole {
            organization: OrganizationId(id(2)),
            open: false,
        });
        assert_eq!(
            refused(
                plan(Some(id(3))),
                MeetingFacts {
                    role: closed,
                    ..facts
                }
            ),
            Err(MeetingRefused::RoleClosed)
        );
    }

    #[test]
    fn the_follow_up_counts_each_meeting_once_by_its_outcome() {
        let f = FollowUp::of([
            None,
            Some(InterestStatus::Placed),
            Some(InterestStatus::Placed),
            Some(InterestStatus::Waiting),
            Some(InterestStatus::Contacted),
            Some(InterestStatus::NotSuitable),
            Some(InterestStatus::Withdrew),
        ]);
        assert_eq!(
            f,
            FollowUp {
                meetings: 7,
                no_role: 1,
                waiting: 1,
                in_touch: 1,
                placed: 2,
                not_suitable: 1,
                withdrew: 1,
            }
        );
        assert_eq!(FollowUp::of([]), FollowUp::default());
    }

    #[test]
    fn the_follow_up_is_due_a_month_after_the_event() {
        let ends = Utc.with_ymd_and_hms(2026, 3, 10, 21, 0, 0).unwrap();
        let due = Utc.with_ymd_and_hms(2026, 4, 9, 21, 0, 0).unwrap();
        assert_eq!(follow_up_due(ends), due);
        assert_eq!(follow_up_due_if_ended_by(due), ends);
    }
}
