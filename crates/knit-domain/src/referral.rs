//! The referral state machine: where a referral can go next, and which side may move it.
//!
//! The states and moves follow the HL7 FHIR SDOH Clinical Care Task workflow (`draft →
//! requested → accepted | rejected → in-progress ⇄ on-hold → completed`, with `cancelled`
//! and `failed`), with two additions of Knit's:
//! - `received`, between `requested` and the organisation's answer: opening a referral marks
//!   it received, so the referrer can see it was seen. An organisation therefore cannot
//!   accept or reject what it has not opened, and no state is ever skipped.
//! - the referrer may cancel a referral before it is answered (FHIR allows cancelling only
//!   after acceptance): consent withdrawn, or the person found help elsewhere, must be able
//!   to stop a referral that is still waiting.
//!
//! This is the one place these rules live; the store applies [`ReferralStatus::apply`] in
//! the same transaction as the write, so two people answering at once cannot both win.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferralStatus {
    Draft,
    Requested,
    Received,
    Accepted,
    Rejected,
    InProgress,
    OnHold,
    Completed,
    Cancelled,
    Failed,
    EnteredInError,
}

/// Who is moving the referral on: the person who sent it (usually a coordinator) or staff
/// of the organisation it was sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Referrer,
    Receiver,
}

/// Why an organisation turned a referral down. The codes are stored and counted in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionReason {
    NoCapacity,
    NotEligible,
    OutOfArea,
    NotTheRightService,
    PersonDeclined,
    Other,
}

/// How a completed referral turned out for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralResult {
    /// The help the person was referred for was given.
    NeedMet,
    PartlyMet,
    /// The organisation worked with the person but could not resolve it.
    NotMet,
}

/// A move a person asks for. The reason or result travels with the move that needs it, so
/// a rejection without a reason cannot be expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralMove {
    /// Send a draft, or send a new referral straight away.
    Send,
    /// The organisation opened the referral.
    Open,
    Accept,
    Reject(RejectionReason),
    Start,
    PutOnHold,
    Resume,
    Complete(ReferralResult),
    Cancel,
    /// The organisation tried and could not help, usually because the person could not be
    /// contacted.
    Fail,
    /// A draft that should never have existed.
    Discard,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    #[error("a referral that is {} cannot be {}", .from.label(), .verb)]
    NotFromHere {
        from: ReferralStatus,
        verb: &'static str,
    },
    #[error("only {} can {} a referral", .allowed.label(), .verb)]
    WrongSide { allowed: Side, verb: &'static str },
}

impl Side {
    fn label(self) -> &'static str {
        match self {
            Side::Referrer => "the person who made it",
            Side::Receiver => "the organisation it was sent to",
        }
    }
}

impl ReferralMove {
    /// The verb used in refusals and on buttons' audit codes.
    pub fn verb(self) -> &'static str {
        match self {
            ReferralMove::Send => "sent",
            ReferralMove::Open => "opened",
            ReferralMove::Accept => "accepted",
            ReferralMove::Reject(_) => "turned down",
            ReferralMove::Start => "started",
            ReferralMove::PutOnHold => "put on hold",
            ReferralMove::Resume => "resumed",
            ReferralMove::Complete(_) => "completed",
            ReferralMove::Cancel => "cancelled",
            ReferralMove::Fail => "marked as failed",
            ReferralMove::Discard => "discarded",
        }
    }

    /// The stable code stored with each change of a referral.
    pub fn code(self) -> &'static str {
        match self {
            ReferralMove::Send => "send",
            ReferralMove::Open => "open",
            ReferralMove::Accept => "accept",
            ReferralMove::Reject(_) => "reject",
            ReferralMove::Start => "start",
            ReferralMove::PutOnHold => "hold",
            ReferralMove::Resume => "resume",
            ReferralMove::Complete(_) => "complete",
            ReferralMove::Cancel => "cancel",
            ReferralMove::Fail => "fail",
            ReferralMove::Discard => "discard",
        }
    }

    /// Which side may make this move; `None` when either may.
    fn side(self) -> Option<Side> {
        match self {
            ReferralMove::Send | ReferralMove::Discard => Some(Side::Referrer),
            ReferralMove::Cancel => None,
            _ => Some(Side::Receiver),
        }
    }

    fn target(self) -> ReferralStatus {
        use ReferralStatus as S;
        match self {
            ReferralMove::Send => S::Requested,
            ReferralMove::Open => S::Received,
            ReferralMove::Accept => S::Accepted,
            ReferralMove::Reject(_) => S::Rejected,
            ReferralMove::Start | ReferralMove::Resume => S::InProgress,
            ReferralMove::PutOnHold => S::OnHold,
            ReferralMove::Complete(_) => S::Completed,
            ReferralMove::Cancel => S::Cancelled,
            ReferralMove::Fail => S::Failed,
            ReferralMove::Discard => S::EnteredInError,
        }
    }
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 11] = [
        ReferralStatus::Draft,
        ReferralStatus::Requested,
        ReferralStatus::Received,
        ReferralStatus::Accepted,
        ReferralStatus::Rejected,
        ReferralStatus::InProgress,
        ReferralStatus::OnHold,
        ReferralStatus::Completed,
        ReferralStatus::Cancelled,
        ReferralStatus::Failed,
        ReferralStatus::EnteredInError,
    ];

    /// The FHIR Task status code (and Knit's `received`), as stored.
    pub fn code(self) -> &'static str {
        match self {
            ReferralStatus::Draft => "draft",
            ReferralStatus::Requested => "requested",
            ReferralStatus::Received => "received",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Rejected => "rejected",
            ReferralStatus::InProgress => "in-progress",
            ReferralStatus::OnHold => "on-hold",
            ReferralStatus::Completed => "completed",
            ReferralStatus::Cancelled => "cancelled",
            ReferralStatus::Failed => "failed",
            ReferralStatus::EnteredInError => "entered-in-error",
        }
    }

    pub fn from_code(code: &str) -> Option<ReferralStatus> {
        ReferralStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// How the status reads on a page.
    pub fn label(self) -> &'static str {
        match self {
            ReferralStatus::Draft => "a draft",
            ReferralStatus::Requested => "sent, not yet opened",
            ReferralStatus::Received => "opened, waiting for an answer",
            ReferralStatus::Accepted => "accepted",
            ReferralStatus::Rejected => "turned down",
            ReferralStatus::InProgress => "in progress",
            ReferralStatus::OnHold => "on hold",
            ReferralStatus::Completed => "completed",
            ReferralStatus::Cancelled => "cancelled",
            ReferralStatus::Failed => "closed: could not help",
            ReferralStatus::EnteredInError => "discarded",
        }
    }

    /// No move leaves a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ReferralStatus::Rejected
                | ReferralStatus::Completed
                | ReferralStatus::Cancelled
                | ReferralStatus::Failed
                | ReferralStatus::EnteredInError
        )
    }

    /// Sent but not yet answered by the organisation: what reminders chase.
    pub fn awaits_answer(self) -> bool {
        matches!(self, ReferralStatus::Requested | ReferralStatus::Received)
    }

    /// The state after `change` made by `side`, or why it is refused. `None` is a referral
    /// not yet created.
    pub fn apply(
        from: Option<ReferralStatus>,
        change: ReferralMove,
        side: Side,
    ) -> Result<ReferralStatus, MoveRefused> {
        if let Some(allowed) = change.side()
            && allowed != side
        {
            return Err(MoveRefused::WrongSide {
                allowed,
                verb: change.verb(),
            });
        }
        let to = change.target();
        if allowed_move(from, to, side) {
            Ok(to)
        } else {
            Err(MoveRefused::NotFromHere {
                from: from.unwrap_or(ReferralStatus::Draft),
                verb: change.verb(),
            })
        }
    }

    /// The moves `side` can make from here, for the buttons a page offers.
    pub fn moves_for(self, side: Side) -> Vec<ReferralMove> {
        let candidates = [
            ReferralMove::Send,
            ReferralMove::Open,
            ReferralMove::Accept,
            ReferralMove::Reject(RejectionReason::Other),
            ReferralMove::Start,
            ReferralMove::PutOnHold,
            ReferralMove::Resume,
            ReferralMove::Complete(ReferralResult::NeedMet),
            ReferralMove::Cancel,
            ReferralMove::Fail,
            ReferralMove::Discard,
        ];
        candidates
            .into_iter()
            .filter(|m| ReferralStatus::apply(Some(self), *m, side).is_ok())
            .collect()
    }
}

fn allowed_move(from: Option<ReferralStatus>, to: ReferralStatus, side: Side) -> bool {
    use ReferralStatus as S;
    match (from, to) {
        (None, S::Draft | S::Requested) => true,
        (Some(S::Draft), S::Requested | S::EnteredInError) => true,
        (Some(S::Requested), S::Received) => true,
        // Knit's addition: the referrer may withdraw a referral nobody has answered yet.
        (Some(S::Requested | S::Received), S::Cancelled) => side == Side::Referrer,
        (Some(S::Received), S::Accepted | S::Rejected) => true,
        (Some(S::Accepted), S::InProgress | S::OnHold) => true,
        (Some(S::InProgress), S::OnHold) => true,
        (Some(S::OnHold), S::InProgress) => true,
        (
            Some(S::Accepted | S::InProgress | S::OnHold),
            S::Cancelled | S::Completed | S::Failed,
        ) => true,
        _ => false,
    }
}

impl fmt::Display for ReferralStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl RejectionReason {
    pub const ALL: [RejectionReason; 6] = [
        RejectionReason::NoCapacity,
        RejectionReason::NotEligible,
        RejectionReason::OutOfArea,
        RejectionReason::NotTheRightService,
        RejectionReason::PersonDeclined,
        RejectionReason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RejectionReason::NoCapacity => "no_capacity",
            RejectionReason::NotEligible => "not_eligible",
            RejectionReason::OutOfArea => "out_of_area",
            RejectionReason::NotTheRightService => "not_the_right_service",
            RejectionReason::PersonDeclined => "person_declined",
            RejectionReason::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<RejectionReason> {
        RejectionReason::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            RejectionReason::NoCapacity => "No capacity at the moment",
            RejectionReason::NotEligible => "Not eligible for this service",
            RejectionReason::OutOfArea => "Outside the area we cover",
            RejectionReason::NotTheRightService => "We are not the right service for this",
            RejectionReason::PersonDeclined => "The person said no",
            RejectionReason::Other => "Another reason (say in the message)",
        }
    }
}

impl ReferralResult {
    pub const ALL: [ReferralResult; 3] = [
        ReferralResult::NeedMet,
        ReferralResult::PartlyMet,
        ReferralResult::NotMet,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReferralResult::NeedMet => "need_met",
            ReferralResult::PartlyMet => "partly_met",
            ReferralResult::NotMet => "not_met",
        }
    }

    pub fn from_code(code: &str) -> Option<ReferralResult> {
        ReferralResult::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReferralResult::NeedMet => "Helped with what they came for",
            ReferralResult::PartlyMet => "Partly helped",
            ReferralResult::NotMet => "Could not resolve it",
        }
    }
}

/// How long an organisation has to answer before it is reminded, and before the referrer
/// is told. Working days, because a referral sent on a Friday evening has not been ignored
/// by Monday morning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChasePolicy {
    pub remind_after_working_days: u32,
    pub escalate_after_working_days: u32,
}

impl Default for ChasePolicy {
    fn default() -> ChasePolicy {
        ChasePolicy {
            remind_after_working_days: 5,
            escalate_after_working_days: 10,
        }
    }
}

/// What an unanswered referral calls for now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Chase {
    Nothing,
    /// Remind the organisation it has a referral waiting.
    RemindOrganisation,
    /// Tell the referrer the organisation has not answered.
    EscalateToReferrer,
}

impl ChasePolicy {
    /// What a referral sent at `sent` and still `status` at `now` calls for. Bank holidays
    /// count as working days: chasing a day early does no harm.
    pub fn chase(&self, status: ReferralStatus, sent: DateTime<Utc>, now: DateTime<Utc>) -> Chase {
        if !status.awaits_answer() {
            return Chase::Nothing;
        }
        let waited = working_days_between(sent.date_naive(), now.date_naive());
        if waited >= self.escalate_after_working_days {
            Chase::EscalateToReferrer
        } else if waited >= self.remind_after_working_days {
            Chase::RemindOrganisation
        } else {
            Chase::Nothing
        }
    }
}

/// Weekdays after `from` up to and including `to`.
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::ReferralMove as M;
    use super::ReferralStatus as S;
    use super::*;
    use chrono::TimeZone;

    fn walk(moves: &[(ReferralMove, Side)]) -> Result<S, MoveRefused> {
        let mut at = None;
        for (m, side) in moves {
            at = Some(S::apply(at, *m, *side)?);
        }
        Ok(at.expect("at least one move"))
    }

    #[test]
    fn the_happy_path_passes_through_every_state_in_order() {
        let end = walk(&[
            (M::Send, Side::Referrer),
            (M::Open, Side::Receiver),
            (M::Accept, Side::Receiver),
            (M::Start, Side::Receiver),
            (M::PutOnHold, Side::Receiver),
            (M::Resume, Side::Receiver),
            (M::Complete(ReferralResult::NeedMet), Side::Receiver),
        ]);
        assert_eq!(end, Ok(S::Completed));
    }

    #[test]
    fn no_state_can_be_skipped() {
        // Accepting what was never opened.
        assert!(matches!(
            walk(&[(M::Send, Side::Referrer), (M::Accept, Side::Receiver)]),
            Err(MoveRefused::NotFromHere {
                from: S::Requested,
                ..
            })
        ));
        // Completing what was never accepted.
        assert!(
            walk(&[
                (M::Send, Side::Referrer),
                (M::Open, Side::Receiver),
                (M::Complete(ReferralResult::NeedMet), Side::Receiver),
            ])
            .is_err()
        );
    }

    #[test]
    fn only_the_organisation_answers_and_only_the_referrer_sends() {
        assert_eq!(
            S::apply(Some(S::Received), M::Accept, Side::Referrer),
            Err(MoveRefused::WrongSide {
                allowed: Side::Receiver,
                verb: "accepted"
            })
        );
        assert!(S::apply(None, M::Send, Side::Receiver).is_err());
    }

    #[test]
    fn the_referrer_may_withdraw_an_unanswered_referral_but_the_organisation_must_answer_it() {
        assert_eq!(
            S::apply(Some(S::Received), M::Cancel, Side::Referrer),
            Ok(S::Cancelled)
        );
        assert!(S::apply(Some(S::Received), M::Cancel, Side::Receiver).is_err());
        assert_eq!(
            S::apply(Some(S::InProgress), M::Cancel, Side::Receiver),
            Ok(S::Cancelled)
        );
    }

    #[test]
    fn nothing_leaves_a_terminal_state() {
        for from in S::ALL.into_iter().filter(|s| s.is_terminal()) {
            for side in [Side::Referrer, Side::Receiver] {
                assert!(from.moves_for(side).is_empty(), "{from} by {side:?}");
            }
        }
    }

    #[test]
    fn every_fhir_transition_is_allowed_and_no_other_besides_knits_two_additions() {
        let fhir = [
            ("draft", "requested"),
            ("draft", "entered-in-error"),
            ("requested", "accepted"),
            ("requested", "rejected"),
            ("accepted", "in-progress"),
            ("accepted", "on-hold"),
            ("accepted", "cancelled"),
            ("accepted", "completed"),
            ("accepted", "failed"),
            ("in-progress", "on-hold"),
            ("in-progress", "cancelled"),
            ("in-progress", "completed"),
            ("in-progress", "failed"),
            ("on-hold", "in-progress"),
            ("on-hold", "cancelled"),
            ("on-hold", "completed"),
            ("on-hold", "failed"),
        ];
        for from in S::ALL {
            for to in S::ALL {
                let ours = allowed_move(Some(from), to, Side::Referrer)
                    || allowed_move(Some(from), to, Side::Receiver);
                // Knit puts `received` between `requested` and the answer.
                let theirs = fhir.contains(&(from.code(), to.code())) && from != S::Requested
                    || (from == S::Requested && to == S::Received)
                    || (from == S::Received && fhir.contains(&("requested", to.code())))
                    || (from.awaits_answer() && to == S::Cancelled);
                assert_eq!(ours, theirs, "{from} -> {to}");
            }
        }
    }

    #[test]
    fn reasons_and_results_keep_their_codes() {
        for r in RejectionReason::ALL {
            assert_eq!(RejectionReason::from_code(r.code()), Some(r));
        }
        for r in ReferralResult::ALL {
            assert_eq!(ReferralResult::from_code(r.code()), Some(r));
        }
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn chasing_counts_working_days_only() {
        let policy = ChasePolicy::default();
        // Sent on Friday 6 November 2026.
        let sent = Utc.with_ymd_and_hms(2026, 11, 6, 17, 0, 0).unwrap();
        let day = |d| Utc.with_ymd_and_hms(2026, 11, d, 9, 0, 0).unwrap();
        assert_eq!(policy.chase(S::Requested, sent, day(12)), Chase::Nothing); // 4 working days
        assert_eq!(
            policy.chase(S::Received, sent, day(13)),
            Chase::RemindOrganisation
        );
        assert_eq!(
            policy.chase(S::Requested, sent, day(20)),
            Chase::EscalateToReferrer
        );
        assert_eq!(policy.chase(S::Accepted, sent, day(20)), Chase::Nothing);
    }
}
