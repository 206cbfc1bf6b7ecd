//! Changes to directory listings suggested by partner staff, which wait for a place lead, and
//! how long a listing may go unchecked before someone is reminded or told.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::access::{Action, Decision, Denial, decide};
use crate::account::{Actor, Role};

/// Where a suggested listing change stands. A change is decided once: `Pending` moves to one
/// of the other three, and nothing moves after that. A new suggestion is a new change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ListingChangeStatus {
    Pending,
    /// Published as suggested.
    Approved,
    /// Published after the place lead corrected it; the corrected listing is what is stored.
    ApprovedWithEdits,
    /// Not published; the reason goes back to whoever suggested it.
    Rejected {
        reason: String,
    },
}

impl ListingChangeStatus {
    /// The stable code stored in the database.
    pub fn code(&self) -> &'static str {
        match self {
            ListingChangeStatus::Pending => "pending",
            ListingChangeStatus::Approved => "approved",
            ListingChangeStatus::ApprovedWithEdits => "approved_with_edits",
            ListingChangeStatus::Rejected { .. } => "rejected",
        }
    }

    pub fn is_decided(&self) -> bool {
        *self != ListingChangeStatus::Pending
    }
}

/// A place lead's answer to a pending change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Approve,
    ApproveWithEdits,
    Reject { reason: String },
}

/// Why a review could not be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRefused {
    #[error("{0}")]
    NotAllowed(Denial),
    #[error("this change has already been decided")]
    AlreadyDecided,
    #[error("say why the change is rejected, so whoever suggested it can put it right")]
    ReasonRequired,
}

/// Decides a pending change: checks that `reviewer` may approve listing changes (through
/// [`decide`]) and that the change is still pending, and gives the new status and the role
/// the reviewer acted in, for the audit log.
pub fn review(
    current: &ListingChangeStatus,
    reviewer: &Actor,
    review: Review,
) -> Result<(ListingChangeStatus, Role), ReviewRefused> {
    let role = match decide(reviewer, &Action::ApproveListingEdit) {
        Decision::Allow { as_role } => {
            as_role.expect("approving a listing change is a staff action, so a role allowed it")
        }
        Decision::Deny(denial) => return Err(ReviewRefused::NotAllowed(denial)),
    };
    if current.is_decided() {
        return Err(ReviewRefused::AlreadyDecided);
    }
    let next = match review {
        Review::Approve => ListingChangeStatus::Approved,
        Review::ApproveWithEdits => ListingChangeStatus::ApprovedWithEdits,
        Review::Reject { reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(ReviewRefused::ReasonRequired);
            }
            ListingChangeStatus::Rejected {
                reason: reason
                    .chars()
                    .take(crate::validation::MAX_FREE_TEXT)
                    .collect(),
            }
        }
    };
    Ok((next, role))
}

/// How recently a listing was confirmed as right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Freshness {
    /// Checked within the last 6 months.
    Fresh,
    /// 6 months or more unchecked: the organisation is reminded to check it.
    ReminderDue,
    /// 12 months or more unchecked, or never checked: flagged to place leads.
    Flagged,
}

/// Months unchecked before the organisation is reminded.
pub const REMINDER_AFTER_MONTHS: u32 = 6;
/// Months unchecked before place leads are told.
pub const FLAG_AFTER_MONTHS: u32 = 12;

/// How fresh a listing last checked on `assured_date` (HSDS `assured_date`) is on `today`.
/// Months are calendar months: checked on 31 August, a reminder is due on 28 February.
pub fn staleness(assured_date: Option<NaiveDate>, today: NaiveDate) -> Freshness {
    let Some(checked) = assured_date else {
        return Freshness::Flagged;
    };
    let due = |months| {
        checked
            .checked_add_months(Months::new(months))
            .is_none_or(|date| date <= today)
    };
    if due(FLAG_AFTER_MONTHS) {
        Freshness::Flagged
    } else if due(REMINDER_AFTER_MONTHS) {
        Freshness::ReminderDue
    } else {
        Freshness::Fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Membership, OrganizationId, UserId, UserStatus};
    use uuid::Uuid;

    fn staff(memberships: Vec<Membership>) -> Actor {
        Actor::staff(
            UserId(Uuid::from_u128(1)),
            UserStatus::Active,
            memberships,
            true,
        )
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_place_lead_approves_corrects_or_rejects_a_food_bank_change() {
        let lead = staff(vec![Membership::place_lead()]);
        let pending = ListingChangeStatus::Pending;
        assert_eq!(
            review(&pending, &lead, Review::Approve),
            Ok((ListingChangeStatus::Approved, Role::PlaceLead))
        );
        assert_eq!(
            review(&pending, &lead, Review::ApproveWithEdits),
            Ok((ListingChangeStatus::ApprovedWithEdits, Role::PlaceLead))
        );
        let rejected = review(
            &pending,
            &lead,
            Review::Reject {
                reason: "  Opening hours clash with the website.  ".into(),
            },
        );
        assert_eq!(
            rejected,
            Ok((
                ListingChangeStatus::Rejected {
                    reason: "Opening hours clash with the website.".into()
                },
                Role::PlaceLead
            ))
        );
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        let lead = staff(vec![Membership::place_lead()]);
        let refused = review(
            &ListingChangeStatus::Pending,
            &lead,
            Review::Reject {
                reason: " \n ".into(),
            },
        );
        assert_eq!(refused, Err(ReviewRefused::ReasonRequired));
    }

    #[test]
    fn a_decided_change_stays_decided() {
        let lead = staff(vec![Membership::place_lead()]);
        for decided in [
            ListingChangeStatus::Approved,
            ListingChangeStatus::ApprovedWithEdits,
            ListingChangeStatus::Rejected {
                reason: "duplicate".into(),
            },
        ] {
            assert_eq!(
                review(&decided, &lead, Review::Approve),
                Err(ReviewRefused::AlreadyDecided)
            );
        }
    }

    #[test]
    fn the_food_bank_volunteer_cannot_approve_their_own_change() {
        let food_bank = OrganizationId(Uuid::from_u128(0xf00d));
        let tom = staff(vec![Membership::organization_lead(food_bank)]);
        assert_eq!(
            review(&ListingChangeStatus::Pending, &tom, Review::Approve),
            Err(ReviewRefused::NotAllowed(Denial::WrongRole))
        );
        assert_eq!(
            review(
                &ListingChangeStatus::Pending,
                &Actor::Anonymous,
                Review::Approve
            ),
            Err(ReviewRefused::NotAllowed(Denial::NotSignedIn))
        );
    }

    #[test]
    fn a_listing_is_reminded_at_six_months_and_flagged_at_twelve() {
        let checked = date(2025, 3, 15);
        assert_eq!(
            staleness(Some(checked), date(2025, 9, 14)),
            Freshness::Fresh
        );
        assert_eq!(
            staleness(Some(checked), date(2025, 9, 15)),
            Freshness::ReminderDue
        );
        assert_eq!(
            staleness(Some(checked), date(2026, 3, 14)),
            Freshness::ReminderDue
        );
        assert_eq!(
            staleness(Some(checked), date(2026, 3, 15)),
            Freshness::Flagged
        );
        assert_eq!(staleness(None, date(2026, 3, 15)), Freshness::Flagged);
        // A date in the future (a typing slip) counts as fresh, not as an error.
        assert_eq!(
            staleness(Some(date(2027, 1, 1)), date(2026, 3, 15)),
            Freshness::Fresh
        );
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(
            staleness(Some(date(2025, 8, 31)), date(2026, 2, 27)),
            Freshness::Fresh
        );
        assert_eq!(
            staleness(Some(date(2025, 8, 31)), date(2026, 2, 28)),
            Freshness::ReminderDue
        );
    }

    #[test]
    fn status_codes_are_stable() {
        let codes: Vec<&str> = [
            ListingChangeStatus::Pending,
            ListingChangeStatus::Approved,
            ListingChangeStatus::ApprovedWithEdits,
            ListingChangeStatus::Rejected { reason: "x".into() },
        ]
        .iter()
        .map(ListingChangeStatus::code)
        .collect();
        assert_eq!(
            codes,
            ["pending", "approved", "approved_with_edits", "rejected"]
        );
    }
}
