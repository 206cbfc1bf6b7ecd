use super::*;
use crate::account::UserId;

const FOOD_BANK: OrganizationId = OrganizationId(Uuid::from_u128(0xf00d));
const ADVICE_CENTRE: OrganizationId = OrganizationId(Uuid::from_u128(0xad71ce));

fn user(n: u128, memberships: Vec<Membership>, two_factor_passed: bool) -> Actor {
    Actor::staff(
        UserId(Uuid::from_u128(n)),
        UserStatus::Active,
        memberships,
        two_factor_passed,
    )
}

fn denied(actor: &Actor, action: Action) -> Option<Denial> {
    decide(actor, &action).denial()
}

#[test]
fn a_coordinator_works_on_marys_record_but_not_on_the_directory_or_the_audit_log() {
    let asha = user(1, vec![Membership::coordinator()], true);
    for action in [
        Action::ReadPerson,
        Action::EditPerson,
        Action::ReferPerson,
        Action::ViewDashboard,
    ] {
        assert_eq!(
            decide(&asha, &action),
            Decision::Allow {
                as_role: Some(Role::Coordinator)
            },
            "{action:?}"
        );
    }
    assert_eq!(
        denied(&asha, Action::ApproveListingEdit),
        Some(Denial::WrongRole)
    );
    assert_eq!(denied(&asha, Action::ReadAuditLog), Some(Denial::WrongRole));
    assert_eq!(
        denied(&asha, Action::WorkReferralInbox(FOOD_BANK)),
        Some(Denial::WrongRole)
    );
}

#[test]
fn a_coordinator_must_pass_two_factor_first_but_can_always_set_it_up() {
    let asha = user(1, vec![Membership::coordinator()], false);
    assert_eq!(
        denied(&asha, Action::ReadPerson),
        Some(Denial::NeedsTwoFactor)
    );
    assert_eq!(
        denied(&asha, Action::ViewDashboard),
        Some(Denial::NeedsTwoFactor)
    );
    assert!(decide(&asha, &Action::ManageOwnAccount).is_allowed());
    assert!(decide(&asha, &Action::ViewPublicDirectory).is_allowed());
}

#[test]
fn a_food_bank_volunteer_keeps_the_food_bank_listing_and_cannot_touch_the_advice_centres() {
    let tom = user(2, vec![Membership::partner_staff(FOOD_BANK)], true);
    for action in [
        Action::SuggestListingEdit(FOOD_BANK),
        Action::ConfirmListingChecked(FOOD_BANK),
        Action::ReplyToProblemReport(FOOD_BANK),
        Action::WorkReferralInbox(FOOD_BANK),
        Action::ReferOnward(FOOD_BANK),
    ] {
        assert_eq!(
            decide(&tom, &action),
            Decision::Allow {
                as_role: Some(Role::PartnerStaff)
            },
            "{action:?}"
        );
    }
    for action in [
        Action::SuggestListingEdit(ADVICE_CENTRE),
        Action::ConfirmListingChecked(ADVICE_CENTRE),
        Action::ReplyToProblemReport(ADVICE_CENTRE),
        Action::WorkReferralInbox(ADVICE_CENTRE),
        Action::ReferOnward(ADVICE_CENTRE),
    ] {
        assert_eq!(
            denied(&tom, action),
            Some(Denial::OtherOrganization),
            "{action:?}"
        );
    }
    // Changes wait for a place lead; partner staff cannot approve even their own.
    assert_eq!(
        denied(&tom, Action::ApproveListingEdit),
        Some(Denial::WrongRole)
    );
    assert_eq!(denied(&tom, Action::ReadPerson), Some(Denial::WrongRole));
    // Only the food bank's lead may bring in colleagues.
    assert_eq!(
        denied(
            &tom,
            Action::InviteUser(Membership::partner_staff(FOOD_BANK))
        ),
        Some(Denial::NotOrganizationLead)
    );
}

#[test]
fn the_food_banks_lead_invites_colleagues_to_the_food_bank_only() {
    let lead = user(3, vec![Membership::organization_lead(FOOD_BANK)], true);
    assert!(
        decide(
            &lead,
            &Action::InviteUser(Membership::partner_staff(FOOD_BANK))
        )
        .is_allowed()
    );
    assert!(
        decide(
            &lead,
            &Action::InviteUser(Membership::organization_lead(FOOD_BANK))
        )
        .is_allowed()
    );
    assert_eq!(
        denied(
            &lead,
            Action::InviteUser(Membership::partner_staff(ADVICE_CENTRE))
        ),
        Some(Denial::OtherOrganization)
    );
    assert_eq!(
        denied(&lead, Action::InviteUser(Membership::coordinator())),
        Some(Denial::WrongRole)
    );
    assert_eq!(
        denied(&lead, Action::InviteUser(Membership::place_lead())),
        Some(Denial::WrongRole)
    );
    assert_eq!(denied(&lead, Action::SuspendUser), Some(Denial::WrongRole));
}

#[test]
fn someone_on_staff_at_two_organisations_acts_in_each_but_no_third() {
    let both = user(
        4,
        vec![
            Membership::partner_staff(FOOD_BANK),
            Membership::partner_staff(ADVICE_CENTRE),
        ],
        true,
    );
    assert!(decide(&both, &Action::WorkReferralInbox(FOOD_BANK)).is_allowed());
    assert!(decide(&both, &Action::WorkReferralInbox(ADVICE_CENTRE)).is_allowed());
    let third = OrganizationId(Uuid::from_u128(3));
    assert_eq!(
        denied(&both, Action::WorkReferralInbox(third)),
        Some(Denial::OtherOrganization)
    );
}

#[test]
fn a_connector_logs_a_conversation_without_two_factor_but_never_reads_a_person() {
    let sam = user(5, vec![Membership::connector()], false);
    assert_eq!(
        decide(&sam, &Action::LogConversation),
        Decision::Allow {
            as_role: Some(Role::Connector)
        }
    );
    assert!(decide(&sam, &Action::HandOffToCoordinator).is_allowed());
    assert!(decide(&sam, &Action::ViewDashboard).is_allowed());
    assert!(decide(&sam, &Action::ViewOwnConnectorFigures).is_allowed());
    assert!(decide(&sam, &Action::PrintOwnPostcards).is_allowed());
    for action in [
        Action::ReadPerson,
        Action::EditPerson,
        Action::ReferPerson,
        Action::ViewReports,
        Action::ManageTraining,
    ] {
        assert_eq!(denied(&sam, action), Some(Denial::WrongRole), "{action:?}");
    }
    // Even with two-factor, a connector's reach does not grow.
    let sam = user(5, vec![Membership::connector()], true);
    assert_eq!(denied(&sam, Action::ReadPerson), Some(Denial::WrongRole));
}

#[test]
fn a_connector_who_is_also_a_coordinator_passes_two_factor_before_anything() {
    let both = user(
        6,
        vec![Membership::connector(), Membership::coordinator()],
        false,
    );
    assert_eq!(
        denied(&both, Action::LogConversation),
        Some(Denial::NeedsTwoFactor)
    );
    let both = user(
        6,
        vec![Membership::connector(), Membership::coordinator()],
        true,
    );
    assert!(decide(&both, &Action::LogConversation).is_allowed());
    assert!(decide(&both, &Action::ReadPerson).is_allowed());
}

#[test]
fn a_suspended_coordinator_can_do_nothing_but_read_the_public_site() {
    let actor = Actor::staff(
        UserId(Uuid::from_u128(7)),
        UserStatus::Suspended,
        vec![Membership::coordinator()],
        true,
    );
    for action in Action::examples(FOOD_BANK) {
        match action.audience() {
            Audience::Public => assert!(decide(&actor, &action).is_allowed()),
            _ => assert_eq!(
                denied(&actor, action),
                Some(Denial::Suspended),
                "{action:?}"
            ),
        }
    }
    let invited = Actor::staff(
        UserId(Uuid::from_u128(8)),
        UserStatus::Invited,
        vec![Membership::coordinator()],
        true,
    );
    assert_eq!(
        denied(&invited, Action::ManageOwnAccount),
        Some(Denial::NotActive)
    );
}

#[test]
fn anonymous_visitors_may_only_use_the_public_site() {
    let public: Vec<ActionKind> = Action::examples(FOOD_BANK)
        .into_iter()
        .filter(|a| decide(&Actor::Anonymous, a).is_allowed())
        .map(|a| a.kind())
        .collect();
    assert_eq!(
        public,
        [
            ActionKind::ViewPublicDirectory,
            ActionKind::ReportProblem,
            ActionKind::RequestCallBack,
            ActionKind::SignIn,
            ActionKind::ReferAsProfessional,
            ActionKind::BookTraining,
            ActionKind::ExpressInterest,
            ActionKind::ApplyToFund,
            ActionKind::RequestAssetBooking,
            ActionKind::ProposeGroup,
        ]
    );
    assert_eq!(
        denied(&Actor::Anonymous, Action::ViewDashboard),
        Some(Denial::NotSignedIn)
    );
}

#[test]
fn a_user_with_no_role_can_only_look_after_their_account() {
    let nobody = user(9, vec![], true);
    assert!(decide(&nobody, &Action::ManageOwnAccount).is_allowed());
    assert_eq!(
        denied(&nobody, Action::ViewDashboard),
        Some(Denial::WrongRole)
    );
}

#[test]
fn examples_cover_every_kind_of_action_once_and_codes_are_unique() {
    let kinds: Vec<ActionKind> = Action::examples(FOOD_BANK)
        .iter()
        .map(Action::kind)
        .collect();
    assert_eq!(kinds, ActionKind::ALL);
    let mut codes: Vec<&str> = ActionKind::ALL.iter().map(|k| k.code()).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), ActionKind::ALL.len());
    for kind in ActionKind::ALL {
        assert_eq!(ActionKind::from_code(kind.code()), Some(*kind));
        assert_eq!(
            serde_json::to_string(kind).unwrap(),
            format!("\"{}\"", kind.code())
        );
    }
}

/// How far a permission reaches, in the expectation table below.
#[derive(Clone, Copy, PartialEq)]
enum Reach {
    Anywhere,
    OwnOrganization,
    OwnOrganizationLeadOnly,
}

/// The permission table written out a second way, as a reader would check it against the
/// issue: a change to `grant` without a change here (or the reverse) fails the test below.
const EXPECTED: &[(&str, &str, Reach)] = &[
    ("place_lead", "view_dashboard", Reach::Anywhere),
    ("place_lead", "suggest_listing_edit", Reach::Anywhere),
    ("place_lead", "confirm_listing_checked", Reach::Anywhere),
    ("place_lead", "approve_listing_edit", Reach::Anywhere),
    ("place_lead", "reply_to_problem_report", Reach::Anywhere),
    ("place_lead", "manage_organizations", Reach::Anywhere),
    ("place_lead", "approve_organization", Reach::Anywhere),
    ("place_lead", "manage_users", Reach::Anywhere),
    ("place_lead", "invite_user", Reach::Anywhere),
    ("place_lead", "change_user_role", Reach::Anywhere),
    ("place_lead", "suspend_user", Reach::Anywhere),
    ("place_lead", "read_audit_log", Reach::Anywhere),
    ("place_lead", "manage_training", Reach::Anywhere),
    ("place_lead", "view_reports", Reach::Anywhere),
    ("place_lead", "manage_funds", Reach::Anywhere),
    ("place_lead", "score_fund_applications", Reach::Anywhere),
    ("coordinator", "score_fund_applications", Reach::Anywhere),
    ("partner_staff", "score_fund_applications", Reach::Anywhere),
    ("coordinator", "view_dashboard", Reach::Anywhere),
    ("coordinator", "read_person", Reach::Anywhere),
    ("coordinator", "edit_person", Reach::Anywhere),
    ("coordinator", "refer_person", Reach::Anywhere),
    ("partner_staff", "view_dashboard", Reach::Anywhere),
    (
        "partner_staff",
        "suggest_listing_edit",
        Reach::OwnOrganization,
    ),
    (
        "partner_staff",
        "confirm_listing_checked",
        Reach::OwnOrganization,
    ),
    (
        "partner_staff",
        "reply_to_problem_report",
        Reach::OwnOrganization,
    ),
    (
        "partner_staff",
        "work_referral_inbox",
        Reach::OwnOrganization,
    ),
    ("partner_staff", "refer_onward", Reach::OwnOrganization),
    (
        "partner_staff",
        "invite_user",
        Reach::OwnOrganizationLeadOnly,
    ),
    ("place_lead", "erase_person", Reach::Anywhere),
    ("coordinator", "triage_intakes", Reach::Anywhere),
    ("coordinator", "export_person", Reach::Anywhere),
    ("connector", "view_dashboard", Reach::Anywhere),
    ("connector", "log_conversation", Reach::Anywhere),
    ("connector", "hand_off_to_coordinator", Reach::Anywhere),
    ("connector", "view_own_connector_figures", Reach::Anywhere),
    ("connector", "print_own_postcards", Reach::Anywhere),
    ("place_lead", "view_exact_figures", Reach::Anywhere),
    ("place_lead", "manage_volunteering", Reach::Anywhere),
    ("place_lead", "run_match_events", Reach::Anywhere),
    ("place_lead", "manage_activities", Reach::Anywhere),
    ("partner_staff", "manage_activities", Reach::OwnOrganization),
    (
        "partner_staff",
        "manage_volunteering",
        Reach::OwnOrganization,
    ),
    ("coordinator", "arrange_introductions", Reach::Anywhere),
    ("place_lead", "manage_asset", Reach::Anywhere),
    ("place_lead", "find_unused_assets", Reach::Anywhere),
    ("place_lead", "manage_groups", Reach::Anywhere),
    ("coordinator", "manage_groups", Reach::Anywhere),
    ("partner_staff", "manage_asset", Reach::OwnOrganization),
];

const PUBLIC: &[&str] = &[
    "view_public_directory",
    "report_problem",
    "request_call_back",
    "sign_in",
    "refer_as_professional",
    "book_training",
    "express_interest",
    "request_asset_booking",
    "propose_group",
    "apply_to_fund",
];

/// Every action example twice (aimed at the actor's organisation and at another), plus an
/// invitation for every kind of membership.
fn every_action() -> Vec<Action> {
    let mut actions = Action::examples(FOOD_BANK);
    actions.extend(Action::examples(ADVICE_CENTRE));
    for m in [
        Membership::place_lead(),
        Membership::coordinator(),
        Membership::connector(),
        Membership::organization_lead(FOOD_BANK),
        Membership::organization_lead(ADVICE_CENTRE),
    ] {
        actions.push(Action::InviteUser(m));
    }
    actions
}

/// Every kind of member of staff: each role, partner staff with and without the lead flag.
fn every_membership() -> Vec<Membership> {
    vec![
        Membership::place_lead(),
        Membership::coordinator(),
        Membership::connector(),
        Membership::partner_staff(FOOD_BANK),
        Membership::organization_lead(FOOD_BANK),
    ]
}

fn expected(membership: &Membership, action: &Action) -> bool {
    let code = action.code();
    if PUBLIC.contains(&code) || code == "manage_own_account" {
        return true;
    }
    let reach = EXPECTED
        .iter()
        .find(|(role, c, _)| *role == membership.role().code() && *c == code)
        .map(|e| e.2);
    let in_own = action.scope().is_some() && action.scope() == membership.organization();
    match reach {
        None => false,
        Some(Reach::Anywhere) => true,
        Some(Reach::OwnOrganization) => in_own,
        Some(Reach::OwnOrganizationLeadOnly) => {
            in_own
                && membership.is_organization_lead()
                && matches!(action, Action::InviteUser(m) if m.role() == Role::PartnerStaff)
        }
    }
}

#[test]
fn every_role_against_every_action_matches_the_expectation_table() {
    let mut checked = 0;
    for membership in every_membership() {
        let actor = user(10, vec![membership], true);
        for action in every_action() {
            let allowed = decide(&actor, &action).is_allowed();
            assert_eq!(
                allowed,
                expected(&membership, &action),
                "{membership:?} doing {action:?}"
            );
            checked += 1;
        }
    }
    for action in every_action() {
        assert_eq!(
            decide(&Actor::Anonymous, &action).is_allowed(),
            PUBLIC.contains(&action.code()),
            "{action:?}"
        );
        checked += 1;
    }
    // Every table entry names a real role and action, so a renamed code cannot hide a row.
    for (role, code, _) in EXPECTED {
        assert!(
            Role::from_code(role).is_ok() && ActionKind::from_code(code).is_some(),
            "{role} {code}"
        );
    }
    assert_eq!(checked, 6 * every_action().len());
}

#[test]
fn without_two_factor_only_connectors_act_and_exactly_as_they_would_with_it() {
    for membership in every_membership() {
        let without = user(11, vec![membership], false);
        let with = user(11, vec![membership], true);
        for action in every_action() {
            let (d_without, d_with) = (decide(&without, &action), decide(&with, &action));
            if !role_needs_two_factor(membership.role()) || action.audience() != Audience::Staff {
                assert_eq!(d_without, d_with, "{membership:?} doing {action:?}");
            } else {
                assert_eq!(
                    d_without,
                    Decision::Deny(Denial::NeedsTwoFactor),
                    "{membership:?} doing {action:?}"
                );
            }
        }
    }
}

#[test]
fn staff_of_one_organisation_never_act_on_anothers() {
    for membership in every_membership()
        .into_iter()
        .filter(|m| m.organization().is_some())
    {
        let actor = user(12, vec![membership], true);
        for action in every_action() {
            if let Some(scope) = action.scope()
                && Some(scope) != membership.organization()
            {
                assert!(
                    !decide(&actor, &action).is_allowed(),
                    "{membership:?} doing {action:?}"
                );
            }
        }
    }
}

#[test]
fn no_role_that_skips_two_factor_is_granted_anything_that_shows_a_person() {
    for membership in every_membership() {
        let actor = user(13, vec![membership], true);
        for action in every_action()
            .into_iter()
            .filter(Action::exposes_personal_data)
        {
            if decide(&actor, &action).is_allowed() {
                assert!(
                    role_needs_two_factor(membership.role()),
                    "{membership:?} doing {action:?}"
                );
            }
        }
    }
    let connector = user(14, vec![Membership::connector()], false);
    assert!(
        every_action()
            .iter()
            .filter(|a| a.exposes_personal_data())
            .all(|a| !decide(&connector, a).is_allowed())
    );
}

#[test]
fn every_staff_action_is_granted_to_some_role() {
    // A kind nobody may do is a route nobody can reach: a sign the table was forgotten.
    for action in Action::examples(FOOD_BANK)
        .iter()
        .filter(|a| a.audience() == Audience::Staff)
    {
        let anyone = every_membership()
            .iter()
            .any(|m| decide(&user(15, vec![*m], true), action).is_allowed());
        assert!(anyone, "{action:?}");
    }
}

#[test]
fn the_example_actors_cover_anonymous_every_role_and_the_refused_states() {
    let actors = Actor::examples(FOOD_BANK);
    let dashboard: Vec<(&str, Option<Denial>)> = actors
        .iter()
        .map(|(name, actor)| (*name, denied(actor, Action::ViewDashboard)))
        .collect();
    assert_eq!(
        dashboard,
        [
            ("anonymous", Some(Denial::NotSignedIn)),
            ("place lead", None),
            ("coordinator", None),
            ("partner staff", None),
            ("organisation lead", None),
            ("connector", None),
            (
                "coordinator before two-factor",
                Some(Denial::NeedsTwoFactor)
            ),
            ("suspended coordinator", Some(Denial::Suspended)),
        ]
    );
    for role in Role::ALL {
        assert!(
            actors
                .iter()
                .any(|(_, a)| a.memberships().iter().any(|m| m.role() == role)),
            "{role:?}"
        );
    }
}

#[test]
fn coordinators_export_a_record_but_only_a_place_lead_erases_one() {
    let coordinator = user(9, vec![Membership::coordinator()], true);
    let lead = user(10, vec![Membership::place_lead()], true);
    assert!(decide(&coordinator, &Action::ExportPerson).is_allowed());
    assert!(decide(&coordinator, &Action::TriageIntakes).is_allowed());
    assert_eq!(
        denied(&coordinator, Action::ErasePerson),
        Some(Denial::WrongRole)
    );
    assert!(decide(&lead, &Action::ErasePerson).is_allowed());
    // A place lead runs the place but does not read people's records.
    assert_eq!(denied(&lead, Action::ReadPerson), Some(Denial::WrongRole));
    let partner = user(11, vec![Membership::partner_staff(FOOD_BANK)], true);
    for action in [
        Action::TriageIntakes,
        Action::ExportPerson,
        Action::ReadPerson,
    ] {
        assert_eq!(
            denied(&partner, action),
            Some(Denial::WrongRole),
            "{action:?}"
        );
    }
}

#[test]
fn anyone_books_training_a_place_lead_runs_it_and_only_connectors_have_their_own_figures() {
    assert!(decide(&Actor::Anonymous, &Action::BookTraining).is_allowed());
    let priya = user(1, vec![Membership::place_lead()], true);
    assert!(decide(&priya, &Action::ManageTraining).is_allowed());
    assert!(decide(&priya, &Action::ViewReports).is_allowed());
    assert_eq!(
        denied(&priya, Action::ViewOwnConnectorFigures),
        Some(Denial::WrongRole)
    );
    assert_eq!(
        denied(&priya, Action::PrintOwnPostcards),
        Some(Denial::WrongRole)
    );
    for action in [Action::LogConversation, Action::ViewOwnConnectorFigures] {
        assert!(!action.exposes_personal_data(), "{action:?}");
    }
    // The register names the people who booked: reading it is audited.
    assert!(Action::ManageTraining.exposes_personal_data());
}

#[test]
fn place_leads_run_the_fund_and_staff_may_sit_on_its_panels() {
    let lead = user(20, vec![Membership::place_lead()], true);
    let coordinator = user(21, vec![Membership::coordinator()], true);
    let partner = user(22, vec![Membership::partner_staff(FOOD_BANK)], true);
    let connector = user(23, vec![Membership::connector()], false);
    assert!(decide(&lead, &Action::ManageFunds).is_allowed());
    assert!(decide(&lead, &Action::ScoreFundApplications).is_allowed());
    for panel_member in [&coordinator, &partner] {
        assert!(decide(panel_member, &Action::ScoreFundApplications).is_allowed());
        assert_eq!(
            denied(panel_member, Action::ManageFunds),
            Some(Denial::WrongRole)
        );
    }
    assert_eq!(
        denied(&connector, Action::ScoreFundApplications),
        Some(Denial::WrongRole)
    );
    assert!(decide(&Actor::Anonymous, &Action::ApplyToFund).is_allowed());
    assert!(Action::ScoreFundApplications.exposes_personal_data());
}
