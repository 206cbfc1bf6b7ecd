//! The permission policy: who may do what, and where. Every page, form, API endpoint and
//! command asks [`decide`]; nothing decides access anywhere else.
//!
//! The rules, in order:
//! 1. The public site is open to everyone, signed in or not ([`Audience::Public`]).
//! 2. Everything else needs a signed-in, active user; a suspended user can do nothing.
//! 3. A signed-in user may always look after their own account, which is how someone who has
//!    not yet set up two-factor gets to set it up.
//! 4. Anyone holding a role that can see personal data (place lead, coordinator, partner
//!    staff) must have passed two-factor in this session before any staff action. Connectors
//!    see no personal data, so two-factor is optional for them: they log anonymous
//!    conversations and hand people on, and nothing they can reach names a person.
//! 5. The table in [`grant`] says which role may do which action, and whether only within
//!    the role's own organisation. Partner staff act only inside their organisation.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::account::{Actor, Membership, OrganizationId, Role, UserStatus};

macro_rules! action_kinds {
    ($($(#[$doc:meta])* $kind:ident => $code:literal,)*) => {
        /// The name of an [`Action`] without its target: what routes map to, what the audit
        /// log records, and what tests enumerate.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ActionKind { $($(#[$doc])* $kind,)* }

        impl ActionKind {
            /// Every kind of action, in the order declared.
            pub const ALL: &'static [ActionKind] = &[$(ActionKind::$kind,)*];

            /// The stable code written to the audit log. Never change one.
            pub fn code(self) -> &'static str {
                match self { $(ActionKind::$kind => $code,)* }
            }

            pub fn from_code(code: &str) -> Option<ActionKind> {
                ActionKind::ALL.iter().copied().find(|k| k.code() == code)
            }
        }
    };
}

action_kinds! {
    ViewPublicDirectory => "view_public_directory",
    ReportProblem => "report_problem",
    RequestCallBack => "request_call_back",
    SignIn => "sign_in",
    ManageOwnAccount => "manage_own_account",
    ViewDashboard => "view_dashboard",
    SuggestListingEdit => "suggest_listing_edit",
    ConfirmListingChecked => "confirm_listing_checked",
    ApproveListingEdit => "approve_listing_edit",
    ReplyToProblemReport => "reply_to_problem_report",
    ManageOrganizations => "manage_organizations",
    ApproveOrganization => "approve_organization",
    ManageUsers => "manage_users",
    InviteUser => "invite_user",
    ChangeUserRole => "change_user_role",
    SuspendUser => "suspend_user",
    ReadAuditLog => "read_audit_log",
    ReadPerson => "read_person",
    EditPerson => "edit_person",
    ReferPerson => "refer_person",
    WorkReferralInbox => "work_referral_inbox",
    ReferOnward => "refer_onward",
    LogConversation => "log_conversation",
    HandOffToCoordinator => "hand_off_to_coordinator",
    ManageTraining => "manage_training",
    ViewReports => "view_reports",
    ReferAsProfessional => "refer_as_professional",
    TriageIntakes => "triage_intakes",
    ExportPerson => "export_person",
    ErasePerson => "erase_person",
    BookTraining => "book_training",
    ViewOwnConnectorFigures => "view_own_connector_figures",
    PrintOwnPostcards => "print_own_postcards",
    ViewExactFigures => "view_exact_figures",
    ExpressInterest => "express_interest",
    ManageVolunteering => "manage_volunteering",
    RunMatchEvents => "run_match_events",
    ManageActivities => "manage_activities",
    ArrangeIntroductions => "arrange_introductions",
    ApplyToFund => "apply_to_fund",
    ManageFunds => "manage_funds",
    ScoreFundApplications => "score_fund_applications",
    RequestAssetBooking => "request_asset_booking",
    ProposeGroup => "propose_group",
    ManageAsset => "manage_asset",
    FindUnusedAssets => "find_unused_assets",
    ManageGroups => "manage_groups",
}

/// Something a visitor or member of staff wants to do, with the organisation it concerns
/// when that matters to the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    // The public site.
    /// Search and read the directory, and every other public page.
    ViewPublicDirectory,
    /// "Report a problem with this page" on a public listing.
    ReportProblem,
    /// A resident asks a coordinator to call them back.
    RequestCallBack,
    /// The sign-in, password-reset and accept-invitation pages.
    SignIn,

    // One's own account.
    /// Change one's own password, set up two-factor, see recovery codes, sign out.
    ManageOwnAccount,

    // Staff: the directory.
    ViewDashboard,
    /// Propose a change to one of the organisation's listings; it waits for a place lead.
    SuggestListingEdit(OrganizationId),
    /// Confirm a listing is still right, which updates its "last checked" date.
    ConfirmListingChecked(OrganizationId),
    /// Approve, approve with edits, or reject a suggested listing change.
    ApproveListingEdit,
    /// Reply to, or resolve, a problem reported about one of the organisation's listings.
    ReplyToProblemReport(OrganizationId),
    ManageOrganizations,
    ApproveOrganization,

    // Staff: accounts.
    /// See the list of users and their roles.
    ManageUsers,
    /// Invite someone by email to hold this membership.
    InviteUser(Membership),
    ChangeUserRole,
    /// Suspend a user, which also ends their sessions.
    SuspendUser,
    ReadAuditLog,

    // Casework (later issues): people's records, referrals, conversations, training, reports.
    ReadPerson,
    EditPerson,
    /// Refer a person to a service, sharing what they consented to share.
    ReferPerson,
    /// See and answer the referrals shared with this organisation.
    WorkReferralInbox(OrganizationId),
    /// Pass a referral this organisation received on to another service.
    ReferOnward(OrganizationId),
    /// Record an anonymous conversation: date, area, needs touched, what was done.
    LogConversation,
    /// Pass a person, with their consent, to a coordinator. The connector writes the contact
    /// details into the hand-off and can never read them back.
    HandOffToCoordinator,
    ManageTraining,
    /// Place-wide reports, with small numbers suppressed.
    ViewReports,
    /// A professional without an account (a GP, a school) refers someone, with consent.
    ReferAsProfessional,
    /// See the requests for help waiting for a coordinator, and open a case from one.
    TriageIntakes,
    /// A subject-access export of everything held about a person.
    ExportPerson,
    /// Erase a person's data, keeping only pseudonymised counts and audit events; and see
    /// the closed cases past their retention period.
    ErasePerson,

    // Local Connectors.
    /// Sign up to become a Local Connector, or book (or cancel) a place on a training
    /// session, without an account.
    BookTraining,
    /// A connector's own figures: their conversations, the needs that came up, visits
    /// through their postcards. Nobody else's, and nothing about a person.
    ViewOwnConnectorFigures,
    /// Print one's own postcards, carrying one's own code.
    PrintOwnPostcards,

    // Place insight.
    /// See place insight with exact figures instead of suppressed and rounded ones: small
    /// counts could single a person out, so only place leads, with two-factor.
    ViewExactFigures,
    // Volunteering, activities and peer connection.
    /// Say "I'm interested" in a volunteer role, without an account.
    ExpressInterest,
    /// Post the organisation's volunteer roles and answer the people interested in them
    /// (whose names and contact details it sees).
    ManageVolunteering(OrganizationId),
    /// Plan volunteer match events with the organisations coming, see who booked, and
    /// record which volunteers met which organisations (an offer to a role they talked
    /// about) and how it went a month on.
    RunMatchEvents,
    /// Add activities and import a partner's calendar feed for an organisation (`Some`), or
    /// add hubs and the activities the place runs itself (`None`).
    ManageActivities(Option<OrganizationId>),
    /// Record that a person opted in to meet a peer, propose introductions and record the
    /// answers.
    ArrangeIntroductions,
    // The local fund.
    /// Apply to the local fund without an account (save a draft, submit it), or send an
    /// award's monitoring return by its link.
    ApplyToFund,
    /// Set up fund rounds and their panels, decide applications, record payments and read
    /// monitoring returns.
    ManageFunds,
    /// Score the applications of a round whose panel one sits on, or declare a conflict.
    ScoreFundApplications,
    // Community assets and groups.
    /// Ask for a slot at a hall, a minibus, equipment or someone's offered time, without an
    /// account.
    RequestAssetBooking,
    /// "Start a group": a resident's idea for a group, without an account.
    ProposeGroup,
    /// Add and change an asset, and approve or decline its booking requests: the asset's
    /// organisation (`Some`) or, for a person's offer (`None`), place leads alone.
    ManageAsset(Option<OrganizationId>),
    /// The place leads' view of assets nobody has booked for a while.
    FindUnusedAssets,
    /// Take up ideas for groups, keep group records and publish them to the directory.
    ManageGroups,
}

/// Who an action is for, before any role is considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in, active user, about their own account, with or without two-factor.
    OwnAccount,
    /// Staff whose role allows it, per [`grant`].
    Staff,
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::ViewPublicDirectory => ActionKind::ViewPublicDirectory,
            Action::ReportProblem => ActionKind::ReportProblem,
            Action::RequestCallBack => ActionKind::RequestCallBack,
            Action::SignIn => ActionKind::SignIn,
            Action::ManageOwnAccount => ActionKind::ManageOwnAccount,
            Action::ViewDashboard => ActionKind::ViewDashboard,
            Action::SuggestListingEdit(_) => ActionKind::SuggestListingEdit,
            Action::ConfirmListingChecked(_) => ActionKind::ConfirmListingChecked,
            Action::ApproveListingEdit => ActionKind::ApproveListingEdit,
            Action::ReplyToProblemReport(_) => ActionKind::ReplyToProblemReport,
            Action::ManageOrganizations => ActionKind::ManageOrganizations,
            Action::ApproveOrganization => ActionKind::ApproveOrganization,
            Action::ManageUsers => ActionKind::ManageUsers,
            Action::InviteUser(_) => ActionKind::InviteUser,
            Action::ChangeUserRole => ActionKind::ChangeUserRole,
            Action::SuspendUser => ActionKind::SuspendUser,
            Action::ReadAuditLog => ActionKind::ReadAuditLog,
            Action::ReadPerson => ActionKind::ReadPerson,
            Action::EditPerson => ActionKind::EditPerson,
            Action::ReferPerson => ActionKind::ReferPerson,
            Action::WorkReferralInbox(_) => ActionKind::WorkReferralInbox,
            Action::ReferOnward(_) => ActionKind::ReferOnward,
            Action::LogConversation => ActionKind::LogConversation,
            Action::HandOffToCoordinator => ActionKind::HandOffToCoordinator,
            Action::ManageTraining => ActionKind::ManageTraining,
            Action::ViewReports => ActionKind::ViewReports,
            Action::ReferAsProfessional => ActionKind::ReferAsProfessional,
            Action::TriageIntakes => ActionKind::TriageIntakes,
            Action::ExportPerson => ActionKind::ExportPerson,
            Action::ErasePerson => ActionKind::ErasePerson,
            Action::BookTraining => ActionKind::BookTraining,
            Action::ViewOwnConnectorFigures => ActionKind::ViewOwnConnectorFigures,
            Action::PrintOwnPostcards => ActionKind::PrintOwnPostcards,
            Action::ViewExactFigures => ActionKind::ViewExactFigures,
            Action::ExpressInterest => ActionKind::ExpressInterest,
            Action::ManageVolunteering(_) => ActionKind::ManageVolunteering,
            Action::RunMatchEvents => ActionKind::RunMatchEvents,
            Action::ManageActivities(_) => ActionKind::ManageActivities,
            Action::ArrangeIntroductions => ActionKind::ArrangeIntroductions,
            Action::ApplyToFund => ActionKind::ApplyToFund,
            Action::ManageFunds => ActionKind::ManageFunds,
            Action::ScoreFundApplications => ActionKind::ScoreFundApplications,
            Action::RequestAssetBooking => ActionKind::RequestAssetBooking,
            Action::ProposeGroup => ActionKind::ProposeGroup,
            Action::ManageAsset(_) => ActionKind::ManageAsset,
            Action::FindUnusedAssets => ActionKind::FindUnusedAssets,
            Action::ManageGroups => ActionKind::ManageGroups,
        }
    }

    /// The stable code for the audit log: the kind's code.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The organisation the action's object belongs to, when the decision depends on it.
    pub fn scope(&self) -> Option<OrganizationId> {
        match self {
            Action::SuggestListingEdit(org)
            | Action::ConfirmListingChecked(org)
            | Action::ReplyToProblemReport(org)
            | Action::WorkReferralInbox(org)
            | Action::ReferOnward(org)
            | Action::ManageVolunteering(org) => Some(*org),
            Action::InviteUser(membership) => membership.organization(),
            Action::ManageAsset(org) | Action::ManageActivities(org) => *org,
            _ => None,
        }
    }

    pub fn audience(&self) -> Audience {
        match self {
            Action::ViewPublicDirectory
            | Action::ReportProblem
            | Action::RequestCallBack
            | Action::ReferAsProfessional
            | Action::SignIn
            | Action::BookTraining
            | Action::ExpressInterest
            | Action::ApplyToFund
            | Action::RequestAssetBooking
            | Action::ProposeGroup => Audience::Public,
            Action::ManageOwnAccount => Audience::OwnAccount,
            _ => Audience::Staff,
        }
    }

    /// Whether doing this shows the actor anything about a person Knit supports: their
    /// record, their referrals, or reports that could single them out. Connectors are never
    /// granted one of these, and every role granted one must pass two-factor.
    pub fn exposes_personal_data(&self) -> bool {
        matches!(
            self,
            Action::ReadPerson
                | Action::EditPerson
                | Action::ReferPerson
                | Action::WorkReferralInbox(_)
                | Action::ReferOnward(_)
                | Action::TriageIntakes
                | Action::ExportPerson
                | Action::ErasePerson
                // Problem reports and call-back requests carry the sender's contact details.
                | Action::ReplyToProblemReport(_)
                // Staff accounts and the audit log name staff and the addresses they used.
                | Action::ManageUsers
                | Action::ReadAuditLog
                // The register and the connector sign-ups name residents who volunteered,
                // with their email addresses and phone numbers.
                | Action::ManageTraining
                // Exact small counts can single a person out.
                | Action::ViewExactFigures
                // Offers to volunteer carry the volunteer's name and contact details;
                // introductions are about people Knit supports.
                | Action::ManageVolunteering(_)
                | Action::ArrangeIntroductions
                // A match event's bookings and meetings name the volunteers who came.
                | Action::RunMatchEvents
                // Fund applications carry the applicant's contact and bank details.
                | Action::ManageFunds
                | Action::ScoreFundApplications
                // Booking requests name who asked, and offers name the person offering.
                | Action::ManageAsset(_)
                // Ideas for groups carry the resident's name and contact.
                | Action::ManageGroups
        )
    }

    /// One action of every kind, in [`ActionKind::ALL`] order, with `organization` as the
    /// target of those that have one (an invitation is for partner staff of `organization`).
    /// Route tests pair each route with one of these and check every role against [`decide`].
    pub fn examples(organization: OrganizationId) -> Vec<Action> {
        let org = organization;
        vec![
            Action::ViewPublicDirectory,
            Action::ReportProblem,
            Action::RequestCallBack,
            Action::SignIn,
            Action::ManageOwnAccount,
            Action::ViewDashboard,
            Action::SuggestListingEdit(org),
            Action::ConfirmListingChecked(org),
            Action::ApproveListingEdit,
            Action::ReplyToProblemReport(org),
            Action::ManageOrganizations,
            Action::ApproveOrganization,
            Action::ManageUsers,
            Action::InviteUser(Membership::partner_staff(org)),
            Action::ChangeUserRole,
            Action::SuspendUser,
            Action::ReadAuditLog,
            Action::ReadPerson,
            Action::EditPerson,
            Action::ReferPerson,
            Action::WorkReferralInbox(org),
            Action::ReferOnward(org),
            Action::LogConversation,
            Action::HandOffToCoordinator,
            Action::ManageTraining,
            Action::ViewReports,
            Action::ReferAsProfessional,
            Action::TriageIntakes,
            Action::ExportPerson,
            Action::ErasePerson,
            Action::BookTraining,
            Action::ViewOwnConnectorFigures,
            Action::PrintOwnPostcards,
            Action::ViewExactFigures,
            Action::ExpressInterest,
            Action::ManageVolunteering(org),
            Action::RunMatchEvents,
            Action::ManageActivities(Some(org)),
            Action::ArrangeIntroductions,
            Action::ApplyToFund,
            Action::ManageFunds,
            Action::ScoreFundApplications,
            Action::RequestAssetBooking,
            Action::ProposeGroup,
            Action::ManageAsset(Some(org)),
            Action::FindUnusedAssets,
            Action::ManageGroups,
        ]
    }

    /// A fixed organisation id for examples and tests that need "some organisation".
    pub const EXAMPLE_ORGANIZATION: OrganizationId =
        OrganizationId(Uuid::from_u128(0x6b6e6974_0000_4000_8000_000000000001));
}

/// How far a role's permission for an action reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    /// Anywhere in the place.
    Anywhere,
    /// Only when the action's organisation is the membership's own.
    OwnOrganization(OrganizationId),
    /// Only for an organisation's lead, in their own organisation.
    OwnOrganizationAsLead(OrganizationId),
    Never,
}

/// The permission table: which role may do which staff action, and where. Public and
/// own-account actions are settled by [`Action::audience`] before this is asked.
pub fn grant(role: Role, action: &Action) -> Grant {
    use Action as A;
    use Grant::*;
    use Role::*;
    match (role, action) {
        (_, A::ViewDashboard) => Anywhere,

        (
            PlaceLead,
            A::SuggestListingEdit(_) | A::ConfirmListingChecked(_) | A::ApproveListingEdit,
        ) => Anywhere,
        (PlaceLead, A::ReplyToProblemReport(_)) => Anywhere,
        (PlaceLead, A::ManageOrganizations | A::ApproveOrganization) => Anywhere,
        (PlaceLead, A::ManageUsers | A::InviteUser(_) | A::ChangeUserRole | A::SuspendUser) => {
            Anywhere
        }
        (PlaceLead, A::ReadAuditLog | A::ManageTraining | A::ViewReports) => Anywhere,
        (PlaceLead, A::ViewExactFigures) => Anywhere,

        // Erasure cannot be undone, so it is a place lead's decision, made from the list of
        // cases past their retention period or on a person's request passed on to them.
        (PlaceLead, A::ErasePerson) => Anywhere,

        // Place leads run the fund; staff asked to sit on a round's panel score it (the
        // page checks they are on that round's panel).
        (PlaceLead, A::ManageFunds | A::ScoreFundApplications) => Anywhere,
        (Coordinator | PartnerStaff, A::ScoreFundApplications) => Anywhere,
        // Assets: place leads everywhere (offers from people are theirs alone to manage);
        // partner staff for their own organisation's assets.
        (PlaceLead, A::ManageAsset(_) | A::FindUnusedAssets | A::ManageGroups) => Anywhere,
        (PartnerStaff, A::ManageAsset(Some(org))) => OwnOrganization(*org),
        (Coordinator, A::ManageGroups) => Anywhere,

        (
            Coordinator,
            A::ReadPerson | A::EditPerson | A::ReferPerson | A::TriageIntakes | A::ExportPerson,
        ) => Anywhere,

        (PartnerStaff, A::SuggestListingEdit(org) | A::ConfirmListingChecked(org)) => {
            OwnOrganization(*org)
        }
        (PartnerStaff, A::ReplyToProblemReport(org)) => OwnOrganization(*org),
        (PartnerStaff, A::WorkReferralInbox(org) | A::ReferOnward(org)) => OwnOrganization(*org),
        (PlaceLead, A::ManageVolunteering(_) | A::ManageActivities(_)) => Anywhere,
        // Place leads run match events, as they run training.
        (PlaceLead, A::RunMatchEvents) => Anywhere,
        (PartnerStaff, A::ManageVolunteering(org) | A::ManageActivities(Some(org))) => {
            OwnOrganization(*org)
        }
        (Coordinator, A::ArrangeIntroductions) => Anywhere,

        (PartnerStaff, A::InviteUser(m)) => match m.organization() {
            Some(org) if m.role() == PartnerStaff => OwnOrganizationAsLead(org),
            _ => Never,
        },

        (
            Connector,
            A::LogConversation
            | A::HandOffToCoordinator
            | A::ViewOwnConnectorFigures
            | A::PrintOwnPostcards,
        ) => Anywhere,

        _ => Never,
    }
}

/// Every role that can see personal data, and so must pass two-factor.
pub fn roles_needing_two_factor() -> &'static [Role] {
    &[Role::PlaceLead, Role::Coordinator, Role::PartnerStaff]
}

pub fn role_needs_two_factor(role: Role) -> bool {
    roles_needing_two_factor().contains(&role)
}

/// Why an action was refused. Pages send `NotSignedIn` to the sign-in page and
/// `NeedsTwoFactor` to the two-factor page, so the visitor can put it right; the others are
/// refusals to show as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, thiserror::Error)]
pub enum Denial {
    #[error("sign in to do this")]
    NotSignedIn,
    #[error("this account has not been set up yet; use the link in your invitation")]
    NotActive,
    #[error("this account is suspended; ask a place lead")]
    Suspended,
    #[error("confirm it's you with your two-factor code first")]
    NeedsTwoFactor,
    #[error("your role does not allow this")]
    WrongRole,
    #[error("this belongs to another organisation")]
    OtherOrganization,
    #[error("only your organisation's lead can do this")]
    NotOrganizationLead,
}

impl Denial {
    /// The stable code for the audit log.
    pub fn code(self) -> &'static str {
        match self {
            Denial::NotSignedIn => "not_signed_in",
            Denial::NotActive => "not_active",
            Denial::Suspended => "suspended",
            Denial::NeedsTwoFactor => "needs_two_factor",
            Denial::WrongRole => "wrong_role",
            Denial::OtherOrganization => "other_organization",
            Denial::NotOrganizationLead => "not_organization_lead",
        }
    }
}

/// The answer to "may this actor do this?".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed; `as_role` is the role that allowed it (none for public and own-account
    /// actions), for the audit log.
    Allow {
        as_role: Option<Role>,
    },
    Deny(Denial),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }

    pub fn denial(&self) -> Option<Denial> {
        match self {
            Decision::Allow { .. } => None,
            Decision::Deny(d) => Some(*d),
        }
    }
}

/// The one access decision. See the module documentation for the rules and [`grant`] for
/// the table.
pub fn decide(actor: &Actor, action: &Action) -> Decision {
    let audience = action.audience();
    if audience == Audience::Public {
        return Decision::Allow { as_role: None };
    }
    let user = match actor {
        Actor::Anonymous => return Decision::Deny(Denial::NotSignedIn),
        Actor::Staff(user) => user,
    };
    match user.status {
        UserStatus::Active => {}
        UserStatus::Suspended => return Decision::Deny(Denial::Suspended),
        UserStatus::Invited => return Decision::Deny(Denial::NotActive),
    }
    if audience == Audience::OwnAccount {
        return Decision::Allow { as_role: None };
    }
    if actor.must_pass_two_factor() && !user.two_factor_passed {
        return Decision::Deny(Denial::NeedsTwoFactor);
    }
    // The most telling refusal wins: "not your organisation" says more than "wrong role".
    let mut refusal = Denial::WrongRole;
    for membership in &user.memberships {
        let own = membership.organization();
        let refused = match grant(membership.role(), action) {
            Grant::Anywhere => None,
            Grant::OwnOrganization(target) if own == Some(target) => None,
            Grant::OwnOrganizationAsLead(target)
                if own == Some(target) && membership.is_organization_lead() =>
            {
                None
            }
            Grant::OwnOrganizationAsLead(target) if own == Some(target) => {
                Some(Denial::NotOrganizationLead)
            }
            Grant::OwnOrganization(_) | Grant::OwnOrganizationAsLead(_) => {
                Some(Denial::OtherOrganization)
            }
            Grant::Never => Some(Denial::WrongRole),
        };
        match refused {
            None => {
                return Decision::Allow {
                    as_role: Some(membership.role()),
                };
            }
            Some(denial) => refusal = refusal.max(denial),
        }
    }
    Decision::Deny(refusal)
}

#[cfg(test)]
mod tests;
