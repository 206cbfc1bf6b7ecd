//! How much one address may send through the public forms that write or send mail, stated
//! once for all of them. They take no account and set no cookie, so the address is all
//! there is to hold a script back; the limit is generous for a household in a crisis and
//! small enough that nobody can bury the coordinators' queue, fill a training session or
//! flood the staff's inboxes.

use chrono::TimeDelta;

/// A public form that writes or sends mail. Forms that reach the same people share a count:
/// a call back and a professional's referral both land in the coordinators' queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicForm {
    /// "Ask for a call back", or a professional's referral.
    RequestForHelp,
    /// Booking a place at a training session.
    TrainingBooking,
    /// Signing up as a Local Connector.
    ConnectorSignUp,
    /// "Report a problem with this page", which emails the listing's organisation.
    ProblemReport,
    /// "I'm interested" in a volunteer role, which emails the organisation.
    VolunteerOffer,
    /// Starting an application to the local fund, or sending a monitoring return.
    FundApplication,
    /// Asking for a booking of a community asset, which emails its owner.
    AssetBooking,
    /// "Start a group", which lands with the coordinators.
    GroupIdea,
}

impl PublicForm {
    /// The stable code the store counts under. Never change one.
    pub fn code(self) -> &'static str {
        match self {
            PublicForm::RequestForHelp => "request_for_help",
            PublicForm::TrainingBooking => "training_booking",
            PublicForm::ConnectorSignUp => "connector_sign_up",
            PublicForm::ProblemReport => "problem_report",
            PublicForm::VolunteerOffer => "volunteer_offer",
            PublicForm::FundApplication => "fund_application",
            PublicForm::AssetBooking => "asset_booking",
            PublicForm::GroupIdea => "group_idea",
        }
    }
}

/// Sends one address may make through one form within [`PUBLIC_WINDOW`].
pub const PUBLIC_REQUESTS_PER_WINDOW: u64 = 5;
/// How far back sends are counted.
pub const PUBLIC_WINDOW: TimeDelta = TimeDelta::hours(1);

/// Whether one more send is taken from an address that made `recent` in the window. The
/// store asks this inside the transaction that records the send, so requests arriving
/// together cannot all slip under it.
pub fn public_request_allowed(recent: u64) -> bool {
    recent < PUBLIC_REQUESTS_PER_WINDOW
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_may_send_a_few_an_hour() {
        assert!(public_request_allowed(0));
        assert!(public_request_allowed(PUBLIC_REQUESTS_PER_WINDOW - 1));
        assert!(!public_request_allowed(PUBLIC_REQUESTS_PER_WINDOW));
    }

    #[test]
    fn every_form_counts_under_its_own_code() {
        let forms = [
            PublicForm::RequestForHelp,
            PublicForm::TrainingBooking,
            PublicForm::ConnectorSignUp,
            PublicForm::ProblemReport,
            PublicForm::VolunteerOffer,
            PublicForm::FundApplication,
            PublicForm::AssetBooking,
            PublicForm::GroupIdea,
        ];
        let codes: std::collections::BTreeSet<_> = forms.iter().map(|f| f.code()).collect();
        assert_eq!(codes.len(), forms.len());
    }
}
