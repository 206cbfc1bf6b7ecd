//! Every route of the app against every kind of visitor, each answer checked against the one
//! permission policy, `knit_domain::access::decide`, over real HTTP on SQLite and PostgreSQL.
//!
//! The table below names how to visit each route and the answer the policy should give.
//! It must list exactly the routes of `knit_web::routes::table`, public ones included, and
//! agree with the action the router's table states for each: a route added without a row
//! here, or with a different action there, fails the test.

use std::collections::BTreeSet;

use chrono::Utc;
use knit_domain::access::{Action, Decision, Denial, decide};
use knit_domain::account::{Actor, Membership, OrganizationId, Role, UserId, UserStatus};
use knit_domain::casework::{
    ConsentMethod, ConsentScope, IntakeDetails, IntakeSource, PersonDetails, Priority, SafeContact,
    SharedDetails, SharedPart, StepKind,
};
use knit_domain::needs::NeedId;
use knit_domain::referral::{ReferralMove, Side};
use knit_domain::totp::TotpSecret;
use knit_store::casework::{NewCase, NewIntake, NewReferral, NewStep, Stamp, StepDetails};
use uuid::Uuid;

use crate::staff_pages::{Browser, PASSWORD, field_value, make_user};
use crate::support::{Backend, TestApp, backends};

const ORG_A: OrganizationId = OrganizationId(Uuid::from_u128(0xa));
const ORG_B: OrganizationId = OrganizationId(Uuid::from_u128(0xb));

/// What a route does, as far as the policy is concerned.
#[derive(Clone, Copy)]
enum Guard {
    /// Asks the policy for this action. `own_org` makes the action's organisation the
    /// visitor's own (for pages that offer each visitor what they may do in their own).
    Policy { action: Action, own_org: bool },
    /// Allowed when the policy allows any of these actions: a referral is seen by the
    /// organisation it was sent to and by coordinators.
    AnyOf(&'static [Action]),
    /// Only redirects to another route, which decides.
    Alias(&'static str),
}

struct Route {
    method: &'static str,
    /// The path as the router declares it.
    pattern: &'static str,
    /// The path requested; `{user}` is replaced by the id of a user to act on, `{org}` by
    /// organisation A's id, and `{service}` and the like by the first id the API lists.
    path: &'static str,
    form: &'static [(&'static str, &'static str)],
    guard: Guard,
}

const fn route(
    method: &'static str,
    pattern: &'static str,
    path: &'static str,
    action: Action,
) -> Route {
    Route {
        method,
        pattern,
        path,
        form: &[],
        guard: Guard::Policy {
            action,
            own_org: false,
        },
    }
}

const fn with_form(mut r: Route, form: &'static [(&'static str, &'static str)]) -> Route {
    r.form = form;
    r
}

const fn with_guard(mut r: Route, guard: Guard) -> Route {
    r.guard = guard;
    r
}

/// Pages the organisation a referral was sent to works, and coordinators follow.
const REFERRAL_SIDES: &[Action] = &[Action::WorkReferralInbox(ORG_A), Action::ReferPerson];

const PUBLIC: Action = Action::ViewPublicDirectory;
const SIGN_IN: Action = Action::SignIn;
const OWN: Action = Action::ManageOwnAccount;

/// Every route, in the order visited: public and sign-in pages first, then staff pages,
/// then the visitor's own account (setting up two-factor afresh would hold later pages
/// back), and signing out last.
fn table() -> Vec<Route> {
    let invite = Route {
        guard: Guard::Policy {
            action: Action::InviteUser(Membership::partner_staff(ORG_A)),
            own_org: true,
        },
        ..route("GET", "/staff/invitations", "/staff/invitations", PUBLIC)
    };
    let mut rows = vec![
        route("GET", "/", "/", PUBLIC),
        route("GET", "/search", "/search?q=food", PUBLIC),
        route("GET", "/insight/map", "/insight/map", PUBLIC),
        route("GET", "/insight/map.csv", "/insight/map.csv", PUBLIC),
        route("GET", "/services/{id}", "/services/{service}", PUBLIC),
        with_form(
            route(
                "POST",
                "/services/{id}/report",
                "/services/{service}/report",
                Action::ReportProblem,
            ),
            &[("what", "The phone number is out of date")],
        ),
        route("GET", "/tell-us", "/tell-us", PUBLIC),
        route("POST", "/tell-us", "/tell-us", PUBLIC),
        route("GET", "/call-back", "/call-back", PUBLIC),
        with_form(
            route("POST", "/call-back", "/call-back", Action::RequestCallBack),
            &[
                ("name", "Sam Visitor"),
                ("phone", "07700 900001"),
                ("safe_to_call", "on"),
                ("consent", "yes"),
                ("what_is_going_on", "I need some help with money"),
            ],
        ),
        route("GET", "/refer", "/refer", PUBLIC),
        with_form(
            route("POST", "/refer", "/refer", Action::ReferAsProfessional),
            &[
                ("name", "Sam Visitor"),
                ("consent", "yes"),
                ("referrer_name", "Dr Shah"),
                ("referrer_phone", "01632 960000"),
            ],
        ),
        route("GET", "/become-a-connector", "/become-a-connector", PUBLIC),
        with_form(
            route(
                "POST",
                "/become-a-connector",
                "/become-a-connector",
                Action::BookTraining,
            ),
            &[
                ("name", "Visitor {actor}"),
                ("email", "sign-up-{actor}@example.org"),
                ("area", "Old Town"),
            ],
        ),
        route("GET", "/c/{code}", "/c/K7M2QX", PUBLIC),
        route("GET", "/training", "/training", PUBLIC),
        route("GET", "/training.ics", "/training.ics", PUBLIC),
        route("GET", "/training/{id}", "/training/{training}", PUBLIC),
        with_form(
            route(
                "POST",
                "/training/{id}",
                "/training/{training}",
                Action::BookTraining,
            ),
            &[
                ("name", "Visitor {actor}"),
                ("email", "book-{actor}@example.org"),
            ],
        ),
        route(
            "GET",
            "/training/{id}/calendar.ics",
            "/training/{training}/calendar.ics",
            PUBLIC,
        ),
        route("GET", "/bookings/{token}/cancel", CANCEL_LINK, PUBLIC),
        route("GET", "/fund", "/fund", PUBLIC),
        route("GET", "/fund/{id}", "/fund/{fund_round}", PUBLIC),
        with_form(
            route(
                "POST",
                "/fund/{id}",
                "/fund/{fund_round}",
                Action::ApplyToFund,
            ),
            &[
                ("kind", "unconstituted_group"),
                ("name", "Visitor {actor}"),
                ("amount", "300"),
                ("action", "save"),
            ],
        ),
        route(
            "GET",
            "/fund/applications/{token}",
            "/fund/applications/{fund_token}",
            PUBLIC,
        ),
        with_form(
            route(
                "POST",
                "/fund/applications/{token}",
                "/fund/applications/{fund_token}",
                Action::ApplyToFund,
            ),
            &[("kind", "unconstituted_group"), ("action", "save")],
        ),
        route(
            "GET",
            "/fund/awards/{token}/monitoring",
            FUND_MONITORING_LINK,
            PUBLIC,
        ),
        with_form(
            route(
                "POST",
                "/fund/awards/{token}/monitoring",
                FUND_MONITORING_LINK,
                Action::ApplyToFund,
            ),
            &[("what_happened", "We met"), ("people_reached", "3")],
        ),
        route(
            "POST",
            "/bookings/{token}/cancel",
            CANCEL_LINK,
            Action::BookTraining,
        ),
        route("GET", "/assets", "/assets?kind=space&free=on", PUBLIC),
        route("GET", "/assets/{id}", "/assets/{asset}", PUBLIC),
        with_form(
            route(
                "POST",
                "/assets/{id}/request",
                "/assets/{asset}/request",
                Action::RequestAssetBooking,
            ),
            &[
                ("name", "Visitor {actor}"),
                ("phone", "07700 900001"),
                ("purpose", "A meeting"),
                ("people", "10"),
                ("date", "2099-01-01"),
                ("from", "19:00"),
                ("to", "20:00"),
            ],
        ),
        route(
            "GET",
            "/assets/{id}/calendar.ics",
            "/assets/{asset}/calendar.ics",
            PUBLIC,
        ),
        route(
            "GET",
            "/asset-bookings/{id}/calendar.ics",
            "/asset-bookings/{asset_booking}/calendar.ics",
            PUBLIC,
        ),
        route("GET", "/start-a-group", "/start-a-group", PUBLIC),
        with_form(
            route(
                "POST",
                "/start-a-group",
                "/start-a-group",
                Action::ProposeGroup,
            ),
            &[
                ("name", "Visitor {actor}"),
                ("contact", "07700 900002"),
                ("idea", "A knitting circle"),
            ],
        ),
        route("GET", "/groups/{id}", "/groups/{group}", PUBLIC),
        route("GET", "/healthz", "/healthz", PUBLIC),
        route("GET", "/static/knit.css", "/static/knit.css", PUBLIC),
        route("GET", "/static/exit.js", "/static/exit.js", PUBLIC),
        route("GET", "/api", "/api", PUBLIC),
        route("GET", "/api/", "/api/", PUBLIC),
        route("GET", "/api/openapi.json", "/api/openapi.json", PUBLIC),
        route("GET", "/api/services", "/api/services", PUBLIC),
        route(
            "GET",
            "/api/services/{id}",
            "/api/services/{service}",
            PUBLIC,
        ),
        route(
            "GET",
            "/api/service_at_locations",
            "/api/service_at_locations",
            PUBLIC,
        ),
        route(
            "GET",
            "/api/service_at_locations/{id}",
            "/api/service_at_locations/{service_at_location}",
            PUBLIC,
        ),
        route("GET", "/api/taxonomies", "/api/taxonomies", PUBLIC),
        route(
            "GET",
            "/api/taxonomies/{id}",
            "/api/taxonomies/{taxonomy}",
            PUBLIC,
        ),
        route("GET", "/api/taxonomy_terms", "/api/taxonomy_terms", PUBLIC),
        route(
            "GET",
            "/api/taxonomy_terms/{id}",
            "/api/taxonomy_terms/{taxonomy_term}",
            PUBLIC,
        ),
        route("GET", "/api/organizations", "/api/organizations", PUBLIC),
        route(
            "GET",
            "/api/organizations/{id}",
            "/api/organizations/{organization}",
            PUBLIC,
        ),
        route("GET", "/staff/sign-in", "/staff/sign-in", SIGN_IN),
        route("POST", "/staff/sign-in", "/staff/sign-in", SIGN_IN),
        route("GET", "/staff/reset", "/staff/reset", SIGN_IN),
        route("POST", "/staff/reset", "/staff/reset", SIGN_IN),
        route("GET", "/staff/reset/{token}", RESET_LINK, SIGN_IN),
        route("POST", "/staff/reset/{token}", RESET_LINK, SIGN_IN),
        route(
            "GET",
            "/staff/invitations/{token}",
            INVITATION_LINK,
            SIGN_IN,
        ),
        route(
            "POST",
            "/staff/invitations/{token}",
            INVITATION_LINK,
            SIGN_IN,
        ),
        route("GET", "/staff", "/staff", Action::ViewDashboard),
        Route {
            guard: Guard::Alias("/staff"),
            ..route("GET", "/staff/", "/staff/", PUBLIC)
        },
        invite,
        with_form(
            route(
                "POST",
                "/staff/invitations",
                "/staff/invitations",
                Action::InviteUser(Membership::partner_staff(ORG_A)),
            ),
            &[
                ("name", "New Colleague"),
                ("email", "new-{actor}@example.org"),
                ("membership", "partner_staff:{org}"),
            ],
        ),
        route("GET", "/staff/users", "/staff/users", Action::ManageUsers),
        route(
            "GET",
            "/staff/users/{id}",
            "/staff/users/{user}",
            Action::ManageUsers,
        ),
        with_form(
            route(
                "POST",
                "/staff/users/{id}/roles",
                "/staff/users/{user}/roles",
                Action::ChangeUserRole,
            ),
            &[("add", "connector")],
        ),
        route(
            "POST",
            "/staff/users/{id}/suspend",
            "/staff/users/{user}/suspend",
            Action::SuspendUser,
        ),
        route(
            "POST",
            "/staff/users/{id}/reinstate",
            "/staff/users/{user}/reinstate",
            Action::SuspendUser,
        ),
        route("GET", "/staff/audit", "/staff/audit", Action::ReadAuditLog),
        route(
            "POST",
            "/staff/audit/check",
            "/staff/audit/check",
            Action::ReadAuditLog,
        ),
        route(
            "GET",
            "/staff/listings",
            "/staff/listings",
            Action::ViewDashboard,
        ),
        route(
            "GET",
            "/staff/assets",
            "/staff/assets",
            Action::ViewDashboard,
        ),
        Route {
            guard: Guard::Policy {
                action: Action::ManageAsset(None),
                own_org: true,
            },
            ..route("GET", "/staff/assets/new", "/staff/assets/new", PUBLIC)
        },
        Route {
            guard: Guard::Policy {
                action: Action::ManageAsset(None),
                own_org: true,
            },
            form: &[
                ("kind", "equipment"),
                ("owner", "org:{org}"),
                ("title", "A gazebo from {actor}"),
                ("availability", "Monday 09:00-17:00"),
            ],
            ..route("POST", "/staff/assets/new", "/staff/assets/new", PUBLIC)
        },
        route(
            "GET",
            "/staff/assets/unused",
            "/staff/assets/unused",
            Action::FindUnusedAssets,
        ),
        // The demo hall belongs to none of the visitors' organisations (0xc stands for it).
        route(
            "GET",
            "/staff/assets/{id}",
            "/staff/assets/{asset}",
            Action::ManageAsset(Some(OrganizationId(Uuid::from_u128(0xc)))),
        ),
        with_form(
            route(
                "POST",
                "/staff/assets/{id}",
                "/staff/assets/{asset}",
                Action::ManageAsset(Some(OrganizationId(Uuid::from_u128(0xc)))),
            ),
            &[
                ("kind", "space"),
                ("title", "Fairleigh Park community hall"),
                ("capacity", "60"),
                ("accessible", "on"),
                ("availability", "Thursday 18:00-22:00"),
            ],
        ),
        route(
            "GET",
            "/staff/asset-bookings/{id}",
            "/staff/asset-bookings/{asset_booking}",
            Action::ManageAsset(Some(OrganizationId(Uuid::from_u128(0xc)))),
        ),
        with_form(
            route(
                "POST",
                "/staff/asset-bookings/{id}",
                "/staff/asset-bookings/{asset_booking}",
                Action::ManageAsset(Some(OrganizationId(Uuid::from_u128(0xc)))),
            ),
            &[("decision", "approve")],
        ),
        route(
            "GET",
            "/staff/groups",
            "/staff/groups",
            Action::ManageGroups,
        ),
        route(
            "POST",
            "/staff/group-ideas/{id}/take",
            "/staff/group-ideas/{idea}/take",
            Action::ManageGroups,
        ),
        route(
            "GET",
            "/staff/groups/{id}",
            "/staff/groups/{group}",
            Action::ManageGroups,
        ),
        with_form(
            route(
                "POST",
                "/staff/groups/{id}",
                "/staff/groups/{group}",
                Action::ManageGroups,
            ),
            &[
                ("name", "Fairleigh Friendship Walkers"),
                ("purpose", "A gentle walk and a cup of tea"),
                ("needs", "loneliness"),
            ],
        ),
        route(
            "POST",
            "/staff/groups/{id}/publish",
            "/staff/groups/{group}/publish",
            Action::ManageGroups,
        ),
        route(
            "GET",
            "/staff/listings/unchecked",
            "/staff/listings/unchecked",
            Action::ApproveListingEdit,
        ),
        // The demo service belongs to none of the visitors' organisations (0xc stands for it).
        route(
            "GET",
            "/staff/listings/{id}/edit",
            "/staff/listings/{service}/edit",
            Action::SuggestListingEdit(OrganizationId(Uuid::from_u128(0xc))),
        ),
        with_form(
            route(
                "POST",
                "/staff/listings/{id}/edit",
                "/staff/listings/{service}/edit",
                Action::SuggestListingEdit(OrganizationId(Uuid::from_u128(0xc))),
            ),
            &[("name", "A proposed name")],
        ),
        route(
            "GET",
            "/staff/listing-changes",
            "/staff/listing-changes",
            Action::ApproveListingEdit,
        ),
        route(
            "GET",
            "/staff/listing-changes/{id}",
            "/staff/listing-changes/00000000-0000-0000-0000-000000000000",
            Action::ApproveListingEdit,
        ),
        with_form(
            route(
                "POST",
                "/staff/listing-changes/{id}",
                "/staff/listing-changes/00000000-0000-0000-0000-000000000000",
                Action::ApproveListingEdit,
            ),
            &[("decision", "reject"), ("reason", "Not needed")],
        ),
        route(
            "GET",
            "/staff/intakes",
            "/staff/intakes",
            Action::TriageIntakes,
        ),
        route(
            "GET",
            "/staff/intakes/new",
            "/staff/intakes/new",
            Action::TriageIntakes,
        ),
        with_form(
            route(
                "POST",
                "/staff/intakes/new",
                "/staff/intakes/new",
                Action::TriageIntakes,
            ),
            &[
                ("name", "Sam Visitor"),
                ("phone", "07700 900002"),
                ("safe_to_text", "on"),
                ("consent", "yes"),
                ("priority", "soon"),
            ],
        ),
        with_form(
            route(
                "POST",
                "/staff/intakes/{id}/open",
                "/staff/intakes/{intake}/open",
                Action::TriageIntakes,
            ),
            &[("consent_method", "spoken")],
        ),
        route(
            "POST",
            "/staff/intakes/{id}/close",
            "/staff/intakes/{intake}/close",
            Action::TriageIntakes,
        ),
        route("GET", "/staff/people", "/staff/people", Action::ReadPerson),
        route(
            "GET",
            "/staff/people/{id}",
            "/staff/people/{person}",
            Action::ReadPerson,
        ),
        route(
            "GET",
            "/staff/people/{id}/details",
            "/staff/people/{person}/details",
            Action::EditPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/details",
                "/staff/people/{person}/details",
                Action::EditPerson,
            ),
            &[("name", "Sam Person"), ("safe_to_call", "on")],
        ),
        route(
            "GET",
            "/staff/people/{id}/conversation",
            "/staff/people/{person}/conversation",
            Action::EditPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/conversation",
                "/staff/people/{person}/conversation",
                Action::EditPerson,
            ),
            &[
                ("what_matters", "Keeping the children at their school"),
                ("priority_debt", "urgent"),
                ("intent", "save"),
            ],
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/steps",
                "/staff/people/{person}/steps",
                Action::EditPerson,
            ),
            &[("kind", "speak_up"), ("what", "Ring the council")],
        ),
        route(
            "POST",
            "/staff/people/{id}/steps/{step}/done",
            "/staff/people/{person}/steps/{step}/done",
            Action::EditPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/consents",
                "/staff/people/{person}/consents",
                Action::EditPerson,
            ),
            &[("organisation", "keep_record"), ("method", "written")],
        ),
        route(
            "POST",
            "/staff/people/{id}/consents/{consent}/withdraw",
            "/staff/people/{person}/consents/{consent}/withdraw",
            Action::EditPerson,
        ),
        route(
            "GET",
            "/staff/people/{id}/wellbeing",
            "/staff/people/{person}/wellbeing",
            Action::EditPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/wellbeing",
                "/staff/people/{person}/wellbeing",
                Action::EditPerson,
            ),
            &[
                ("kind", "ons4"),
                ("stage", "start"),
                ("ons4_0", "5"),
                ("ons4_1", "6"),
                ("ons4_2", "4"),
                ("ons4_3", "7"),
            ],
        ),
        route(
            "GET",
            "/staff/people/{id}/close",
            "/staff/people/{person}/close",
            Action::EditPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/close",
                "/staff/people/{person}/close",
                Action::EditPerson,
            ),
            &[("outcome_debt", "improved")],
        ),
        route(
            "POST",
            "/staff/people/{id}/reopen",
            "/staff/people/{closed_person}/reopen",
            Action::EditPerson,
        ),
        route(
            "GET",
            "/staff/people/{id}/refer",
            "/staff/people/{person}/refer",
            Action::ReferPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/refer",
                "/staff/people/{person}/refer",
                Action::ReferPerson,
            ),
            &[
                ("service", "{service}"),
                ("share", "contact"),
                ("agreed", "yes"),
            ],
        ),
        route(
            "GET",
            "/staff/people/{id}/export",
            "/staff/people/{person}/export",
            Action::ExportPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/erase",
                "/staff/people/{person}/erase",
                Action::ErasePerson,
            ),
            &[("confirm", "erase")],
        ),
        route(
            "GET",
            "/staff/retention",
            "/staff/retention",
            Action::ErasePerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/erasures",
                "/staff/erasures",
                Action::ErasePerson,
            ),
            &[("reference", "{person}"), ("confirm", "erase")],
        ),
        Route {
            guard: Guard::Policy {
                action: Action::WorkReferralInbox(ORG_A),
                own_org: true,
            },
            ..route("GET", "/staff/inbox", "/staff/inbox", PUBLIC)
        },
        with_guard(
            route(
                "GET",
                "/staff/referrals/{id}",
                "/staff/referrals/{referral}",
                PUBLIC,
            ),
            Guard::AnyOf(REFERRAL_SIDES),
        ),
        with_guard(
            with_form(
                route(
                    "POST",
                    "/staff/referrals/{id}/moves",
                    "/staff/referrals/{referral}/moves",
                    PUBLIC,
                ),
                &[("move", "cancel"), ("note", "No longer needed")],
            ),
            Guard::AnyOf(REFERRAL_SIDES),
        ),
        with_guard(
            with_form(
                route(
                    "POST",
                    "/staff/referrals/{id}/messages",
                    "/staff/referrals/{referral}/messages",
                    PUBLIC,
                ),
                &[("text", "Any news?")],
            ),
            Guard::AnyOf(REFERRAL_SIDES),
        ),
        with_form(
            route(
                "POST",
                "/staff/referrals/{id}/onward",
                "/staff/referrals/{referral}/onward",
                Action::ReferOnward(ORG_A),
            ),
            &[
                ("service", "{service}"),
                ("agreed", "yes"),
                ("message", "Passing you on"),
            ],
        ),
        route(
            "GET",
            "/staff/organisations",
            "/staff/organisations",
            Action::ManageOrganizations,
        ),
        with_form(
            route(
                "POST",
                "/staff/organisations/{id}",
                "/staff/organisations/{organization}",
                Action::ApproveOrganization,
            ),
            &[("decision", "approve")],
        ),
        route(
            "GET",
            "/staff/problems",
            "/staff/problems",
            Action::ViewDashboard,
        ),
        // A report about the demo service, which belongs to none of the visitors'
        // organisations (0xc stands for it).
        route(
            "GET",
            "/staff/problems/{id}",
            "/staff/problems/{report}",
            Action::ReplyToProblemReport(OrganizationId(Uuid::from_u128(0xc))),
        ),
        with_form(
            route(
                "POST",
                "/staff/problems/{id}",
                "/staff/problems/{report}",
                Action::ReplyToProblemReport(OrganizationId(Uuid::from_u128(0xc))),
            ),
            &[("kind", "reply"), ("body", "The phone number is now right")],
        ),
        route(
            "GET",
            "/staff/training",
            "/staff/training",
            Action::ManageTraining,
        ),
        with_form(
            route(
                "POST",
                "/staff/training",
                "/staff/training",
                Action::ManageTraining,
            ),
            &[
                ("title", "Connector training"),
                ("kind", "connector"),
                ("date", "2099-01-05"),
                ("starts", "18:00"),
                ("ends", "19:00"),
                ("place", "The library"),
                ("capacity", "10"),
                ("trainer", "Jo Bright"),
            ],
        ),
        route(
            "GET",
            "/staff/training/{id}",
            "/staff/training/{training}",
            Action::ManageTraining,
        ),
        with_form(
            route(
                "POST",
                "/staff/training/{id}/attendance",
                "/staff/training/{training}/attendance",
                Action::ManageTraining,
            ),
            &[("booking", "{booking}"), ("present", "yes")],
        ),
        with_form(
            route(
                "POST",
                "/staff/training/{id}/cancel",
                "/staff/training/{training}/cancel",
                Action::ManageTraining,
            ),
            &[("booking", "{other_booking}")],
        ),
        // The fund: scoring before deciding, paying after; the panel is changed last, as
        // every visitor who may score sits on the demo round's panel until then.
        route(
            "GET",
            "/staff/fund",
            "/staff/fund",
            Action::ScoreFundApplications,
        ),
        with_form(
            route("POST", "/staff/fund", "/staff/fund", Action::ManageFunds),
            &[
                ("title", "Winter round"),
                ("min", "100"),
                ("max", "2000"),
                ("closes_on", "2099-01-05"),
                ("criteria", "Need | 2"),
            ],
        ),
        route(
            "GET",
            "/staff/fund/{id}",
            "/staff/fund/{fund_round}",
            Action::ScoreFundApplications,
        ),
        route(
            "GET",
            "/staff/fund/applications/{id}",
            "/staff/fund/applications/{fund_application}",
            Action::ScoreFundApplications,
        ),
        with_form(
            route(
                "POST",
                "/staff/fund/applications/{id}/vote",
                "/staff/fund/applications/{fund_application}/vote",
                Action::ScoreFundApplications,
            ),
            &[
                ("score_need_in_the_area", "4"),
                ("score_who_it_reaches", "3"),
                ("score_value_for_money", "5"),
            ],
        ),
        with_form(
            route(
                "POST",
                "/staff/fund/applications/{id}/decision",
                "/staff/fund/applications/{fund_application}/decision",
                Action::ManageFunds,
            ),
            &[("outcome", "award"), ("amount", "400"), ("reasons", "Good")],
        ),
        with_form(
            route(
                "POST",
                "/staff/fund/applications/{id}/payments",
                "/staff/fund/applications/{fund_application}/payments",
                Action::ManageFunds,
            ),
            &[
                ("amount", "100"),
                ("paid_on", "2026-12-01"),
                ("reference", "BACS"),
            ],
        ),
        with_form(
            route(
                "POST",
                "/staff/fund/applications/{id}/monitoring",
                "/staff/fund/applications/{fund_application}/monitoring",
                Action::ManageFunds,
            ),
            &[("what_happened", "We met"), ("people_reached", "9")],
        ),
        route(
            "POST",
            "/staff/fund/{id}/panel",
            "/staff/fund/{fund_round}/panel",
            Action::ManageFunds,
        ),
        route(
            "GET",
            "/staff/conversations",
            "/staff/conversations",
            Action::LogConversation,
        ),
        with_form(
            route(
                "POST",
                "/staff/conversations",
                "/staff/conversations",
                Action::LogConversation,
            ),
            &[
                ("area", "Northfield"),
                ("needs", "food"),
                ("done", "listened"),
            ],
        ),
        route(
            "GET",
            "/staff/hand-off",
            "/staff/hand-off",
            Action::HandOffToCoordinator,
        ),
        with_form(
            route(
                "POST",
                "/staff/hand-off",
                "/staff/hand-off",
                Action::HandOffToCoordinator,
            ),
            &[
                ("consent", "yes"),
                ("name", "Mary"),
                ("phone", "01632 960 123"),
                ("safe_to_call", "yes"),
                ("area", "Northfield"),
            ],
        ),
        route(
            "GET",
            "/staff/postcards",
            "/staff/postcards",
            Action::PrintOwnPostcards,
        ),
        route(
            "GET",
            "/staff/connectors/figures",
            "/staff/connectors/figures",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/matcher",
            "/staff/matcher",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/insight",
            "/staff/insight",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/insight/map",
            "/staff/insight/map",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/insight/map.csv",
            "/staff/insight/map.csv?exact=1",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/insight/network",
            "/staff/insight/network",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/insight/network.csv",
            "/staff/insight/network.csv",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/insight/network-flows.csv",
            "/staff/insight/network-flows.csv?exact=1",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/insight/impact",
            "/staff/insight/impact?exact=1",
            Action::ViewReports,
        ),
        route(
            "GET",
            "/staff/my-figures",
            "/staff/my-figures",
            Action::ViewOwnConnectorFigures,
        ),
        route("GET", "/staff/two-factor", "/staff/two-factor", OWN),
        with_form(
            route("POST", "/staff/two-factor", "/staff/two-factor", OWN),
            &[("code", "000000")],
        ),
        route(
            "GET",
            "/staff/two-factor/set-up",
            "/staff/two-factor/set-up",
            OWN,
        ),
        with_form(
            route(
                "POST",
                "/staff/two-factor/set-up",
                "/staff/two-factor/set-up",
                OWN,
            ),
            &[("code", "000000")],
        ),
        route("POST", "/staff/sign-out", "/staff/sign-out", OWN),
    ];
    // Volunteering's staff pages come before the visitor's own account and signing out.
    let own_account = rows
        .iter()
        .position(|r| r.pattern == "/staff/two-factor")
        .expect("the own-account rows");
    rows.splice(own_account..own_account, volunteering_rows());
    rows
}

/// Volunteering, activities and introductions. Offers and roles named here belong to
/// organisation A; a role posted from the form is for a directory organisation that is
/// none of the visitors' own (0xc stands for it).
fn volunteering_rows() -> Vec<Route> {
    let manage_a = Action::ManageVolunteering(ORG_A);
    let activities = Action::ManageActivities(Some(ORG_A));
    let introduce = Action::ArrangeIntroductions;
    vec![
        route("GET", "/volunteer", "/volunteer?q=driver", PUBLIC),
        route("GET", "/volunteer/events", "/volunteer/events", PUBLIC),
        route(
            "GET",
            "/volunteer/strengths",
            "/volunteer/strengths",
            PUBLIC,
        ),
        with_form(
            route(
                "POST",
                "/volunteer/strengths",
                "/volunteer/strengths",
                PUBLIC,
            ),
            &[("skills", "driving"), ("near", "KF1 1AA")],
        ),
        route("GET", "/volunteer/{id}", "/volunteer/{opportunity}", PUBLIC),
        with_form(
            route(
                "POST",
                "/volunteer/{id}",
                "/volunteer/{opportunity}",
                Action::ExpressInterest,
            ),
            &[
                ("name", "Visitor {actor}"),
                ("contact", "offer-{actor}@example.org"),
                ("consent", "yes"),
            ],
        ),
        route("GET", "/whats-on", "/whats-on", PUBLIC),
        route("GET", "/whats-on.ics", "/whats-on.ics", PUBLIC),
        route("GET", "/activities/{id}", "/activities/{activity}", PUBLIC),
        route(
            "GET",
            "/activities/{id}/calendar.ics",
            "/activities/{activity}/calendar.ics",
            PUBLIC,
        ),
        route("GET", "/hubs/{id}", "/hubs/{hub}", PUBLIC),
        route(
            "GET",
            "/hubs/{id}/calendar.ics",
            "/hubs/{hub}/calendar.ics",
            PUBLIC,
        ),
        route(
            "GET",
            "/organisations/{id}/activities.ics",
            "/organisations/{organization}/activities.ics",
            PUBLIC,
        ),
        Route {
            guard: Guard::Policy {
                action: manage_a,
                own_org: true,
            },
            ..route("GET", "/staff/volunteering", "/staff/volunteering", PUBLIC)
        },
        with_guard(
            with_form(
                route("POST", "/staff/volunteering", "/staff/volunteering", PUBLIC),
                &[
                    ("organization", "{organization}"),
                    ("title", "Role from {actor}"),
                    ("description", "Helping out"),
                    ("when", "Mondays"),
                ],
            ),
            Guard::Policy {
                action: Action::ManageVolunteering(OrganizationId(Uuid::from_u128(0xc))),
                own_org: false,
            },
        ),
        with_guard(
            route(
                "GET",
                "/staff/volunteering/offers/{id}",
                "/staff/volunteering/offers/{interest}",
                PUBLIC,
            ),
            Guard::Policy {
                action: manage_a,
                own_org: false,
            },
        ),
        with_guard(
            with_form(
                route(
                    "POST",
                    "/staff/volunteering/roles/{id}",
                    "/staff/volunteering/roles/{org_a_role}",
                    PUBLIC,
                ),
                // Opened (again): a closed role would refuse the offers of later rows.
                &[("open", "1")],
            ),
            Guard::Policy {
                action: manage_a,
                own_org: false,
            },
        ),
        with_guard(
            with_form(
                route(
                    "POST",
                    "/staff/volunteering/offers/{id}",
                    "/staff/volunteering/offers/{interest}",
                    PUBLIC,
                ),
                &[("outcome", "contacted")],
            ),
            Guard::Policy {
                action: manage_a,
                own_org: false,
            },
        ),
        route(
            "GET",
            "/staff/volunteering/events",
            "/staff/volunteering/events",
            Action::RunMatchEvents,
        ),
        with_form(
            route(
                "POST",
                "/staff/volunteering/events",
                "/staff/volunteering/events",
                Action::RunMatchEvents,
            ),
            &[
                ("title", "Match event from {actor}"),
                ("date", "{future_date}"),
                ("starts", "18:00"),
                ("ends", "20:00"),
                ("place", "The hall"),
                ("capacity", "20"),
                ("trainer", "Kestleford Community Links"),
                ("organizations", "{match_org}"),
            ],
        ),
        route(
            "GET",
            "/staff/volunteering/events/{id}",
            "/staff/volunteering/events/{match_event}",
            Action::RunMatchEvents,
        ),
        with_form(
            route(
                "POST",
                "/staff/volunteering/events/{id}/meetings",
                "/staff/volunteering/events/{match_event}/meetings",
                Action::RunMatchEvents,
            ),
            &[
                ("booking", "{match_booking}"),
                ("organization", "{match_org}"),
            ],
        ),
        with_guard(
            route("GET", "/staff/activities", "/staff/activities", PUBLIC),
            Guard::Policy {
                action: activities,
                own_org: true,
            },
        ),
        with_form(
            route("POST", "/staff/activities", "/staff/activities", activities),
            &[
                ("organization", "{org}"),
                ("title", "Activity from {actor}"),
                ("date", "2027-03-01"),
                ("starts", "10:00"),
                ("ends", "11:00"),
                ("repeat", "weekly"),
            ],
        ),
        with_form(
            route(
                "POST",
                "/staff/activities/import",
                "/staff/activities/import",
                activities,
            ),
            &[("organization", "{org}"), ("url", "{base}/whats-on.ics")],
        ),
        with_form(
            route(
                "POST",
                "/staff/hubs",
                "/staff/hubs",
                Action::ManageActivities(None),
            ),
            &[("name", "Hub from {actor}")],
        ),
        route(
            "GET",
            "/staff/introductions",
            "/staff/introductions",
            introduce,
        ),
        with_form(
            route(
                "POST",
                "/staff/introductions",
                "/staff/introductions",
                introduce,
            ),
            &[("first", "{peer_b}"), ("second", "{peer_c}")],
        ),
        route(
            "GET",
            "/staff/introductions/{id}",
            "/staff/introductions/{introduction}",
            introduce,
        ),
        with_form(
            route(
                "POST",
                "/staff/introductions/{id}/answer",
                "/staff/introductions/{introduction}/answer",
                introduce,
            ),
            &[("side", "first"), ("answer", "yes")],
        ),
        route(
            "POST",
            "/staff/introductions/{id}/stop",
            "/staff/introductions/{introduction}/stop",
            introduce,
        ),
        route(
            "GET",
            "/staff/people/{id}/strengths",
            "/staff/people/{person}/strengths",
            Action::EditPerson,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/strengths",
                "/staff/people/{person}/strengths",
                Action::EditPerson,
            ),
            &[("skills", "gardening"), ("consent", "yes")],
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/volunteer",
                "/staff/people/{person}/volunteer",
                Action::ReferPerson,
            ),
            &[("opportunity", "{opportunity}"), ("consent", "yes")],
        ),
        route(
            "GET",
            "/staff/people/{id}/peer",
            "/staff/people/{person}/peer",
            introduce,
        ),
        with_form(
            route(
                "POST",
                "/staff/people/{id}/peer",
                "/staff/people/{person}/peer",
                introduce,
            ),
            &[("about", "gardening"), ("consent", "yes")],
        ),
    ]
}

/// A person on a coordinator's caseload with a need, a step, a consent to share with
/// organisation A and a referral to it that A has accepted; a closed case; and a request
/// waiting in the queue. Their ids stand in for `{person}`, `{closed_person}`, `{step}`,
/// `{consent}`, `{referral}` and `{intake}`.
async fn casework_records(
    app: &TestApp,
    coordinator: UserId,
    ids: &[(&str, String)],
) -> Vec<(&'static str, String)> {
    let store = app.store();
    let stamp = || Stamp {
        by: Some(coordinator),
        role: Some(Role::Coordinator),
        at: Utc::now(),
        address: None,
    };
    let details = PersonDetails {
        name: "Sam Person".to_owned(),
        phone: "07700 900003".to_owned(),
        safe_contact: SafeContact {
            safe_to_call: true,
            ..SafeContact::default()
        },
        ..PersonDetails::default()
    };
    let intake = store
        .create_intake(NewIntake {
            source: IntakeSource::CallBack,
            priority: Priority::Soon,
            details: IntakeDetails {
                name: "Sam Person".to_owned(),
                phone: "07700 900003".to_owned(),
                consent_given: true,
                ..IntakeDetails::default()
            },
            stamp: stamp(),
        })
        .await
        .unwrap();
    let open = |details: PersonDetails| NewCase {
        from_intake: None,
        details,
        coordinator,
        record_consent: ConsentMethod::Spoken,
        stamp: stamp(),
    };
    let person = store.open_case(open(details.clone())).await.unwrap();
    let closed = store.open_case(open(details.clone())).await.unwrap();
    store.close_case(closed, &[], stamp()).await.unwrap();
    let debt = NeedId::parse("debt").unwrap();
    store
        .set_need(person, debt, Priority::Soon, "", stamp())
        .await
        .unwrap();
    let step = store
        .add_step(
            person,
            NewStep {
                kind: StepKind::FollowUp,
                details: StepDetails {
                    what: "Check in".to_owned(),
                    ..StepDetails::default()
                },
                due: None,
            },
            stamp(),
        )
        .await
        .unwrap();
    let consent = store
        .record_consent(
            person,
            ConsentScope::ShareWith {
                organization: ORG_A,
                purpose: "debt advice".to_owned(),
            },
            ConsentMethod::Spoken,
            None,
            stamp(),
        )
        .await
        .unwrap();
    let service: Uuid = ids
        .iter()
        .find(|(name, _)| *name == "{service}")
        .map(|(_, id)| id.parse().unwrap())
        .unwrap();
    let referral = store
        .send_referral(NewReferral {
            person,
            service_id: service,
            organization: ORG_A,
            shared: SharedDetails::of(&details, &[SharedPart::Contact], &[debt], ""),
            parent: None,
            from_organization: None,
            timeline_text: "Referred".to_owned(),
            stamp: stamp(),
            consent_given: None,
        })
        .await
        .unwrap();
    for change in [ReferralMove::Open, ReferralMove::Accept] {
        store
            .move_referral(referral.id, change, Side::Receiver, None, stamp())
            .await
            .unwrap();
    }
    let report = store
        .report_problem(service, "The opening times are wrong")
        .await
        .unwrap();
    // An offer to volunteer for one of organisation A's roles, and people who opted in to
    // meet a peer: one introduction proposed, and two more people to propose.
    let plan = knit_domain::volunteering::OpportunityForm {
        title: "Visiting volunteer".to_owned(),
        description: "Visit someone for a cup of tea".to_owned(),
        when: "Mondays".to_owned(),
        ..Default::default()
    }
    .plan(ORG_A)
    .unwrap();
    let role = store
        .post_opportunity(knit_store::volunteering::NewOpportunity {
            plan,
            organization_name: "Organisation A".to_owned(),
            position: None,
            stamp: stamp(),
        })
        .await
        .unwrap();
    let interest = store
        .express_interest(knit_store::volunteering::NewInterest {
            opportunity: role.id,
            offer: knit_domain::volunteering::VolunteerOffer {
                name: "Val Unteer".to_owned(),
                contact: "val@example.org".to_owned(),
                message: String::new(),
            },
            person: None,
            stamp: stamp(),
        })
        .await
        .unwrap();
    let interest_in = knit_domain::introductions::PeerInterest::parse("gardening", true).unwrap();
    let mut peers = vec![person];
    for _ in 0..3 {
        peers.push(store.open_case(open(details.clone())).await.unwrap());
    }
    for peer in &peers {
        store
            .record_peer_opt_in(*peer, &interest_in, stamp())
            .await
            .unwrap();
    }
    let introduction = store
        .propose_introduction(person, peers[1], stamp())
        .await
        .unwrap();
    vec![
        ("{report}", report.id.to_string()),
        ("{person}", person.0.to_string()),
        ("{closed_person}", closed.0.to_string()),
        ("{intake}", intake.id.0.to_string()),
        ("{step}", step.to_string()),
        ("{consent}", consent.id.to_string()),
        ("{referral}", referral.id.0.to_string()),
        ("{interest}", interest.id.to_string()),
        ("{org_a_role}", role.id.to_string()),
        ("{introduction}", introduction.id.to_string()),
        ("{peer_b}", peers[2].0.to_string()),
        ("{peer_c}", peers[3].0.to_string()),
    ]
}

/// A well-formed cancel link that names no booking.
const CANCEL_LINK: &str =
    "/bookings/00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff/cancel";

/// A well-formed monitoring link that names no award.
const FUND_MONITORING_LINK: &str =
    "/fund/awards/00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff/monitoring";

/// Well-formed link tokens that name no link.
const RESET_LINK: &str =
    "/staff/reset/00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const INVITATION_LINK: &str =
    "/staff/invitations/00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

#[test]
fn the_table_covers_every_route_and_agrees_with_the_routers_actions() {
    let rows: BTreeSet<(&str, &str)> = table().iter().map(|r| (r.method, r.pattern)).collect();
    let router = knit_web::routes::table();
    let exposed: BTreeSet<(&str, &str)> =
        router.iter().map(|r| (r.method.as_str(), r.path)).collect();
    assert_eq!(
        rows.difference(&exposed).collect::<Vec<_>>(),
        Vec::<&(&str, &str)>::new(),
        "rows for routes the router does not have"
    );
    assert_eq!(
        exposed.difference(&rows).collect::<Vec<_>>(),
        Vec::<&(&str, &str)>::new(),
        "routes with no row in the table"
    );
    for row in table() {
        let route = router
            .iter()
            .find(|r| r.method.as_str() == row.method && r.path == row.pattern)
            .expect("every row is a route, as checked above");
        match (row.guard, route.guard.action()) {
            // A route whose action the router states: the row checks that same action.
            (
                Guard::Policy {
                    action,
                    own_org: false,
                },
                Some(stated),
            ) => assert_eq!(
                action, stated,
                "{} {}: the router's table says another action",
                row.method, row.pattern
            ),
            // Pages whose action depends on what they concern (their organisation) ask
            // for it themselves; the row names the one each visitor meets.
            (Guard::Policy { .. } | Guard::AnyOf(_), None) => {}
            (Guard::Policy { .. }, Some(stated)) => panic!(
                "{} {}: the router states {stated:?} but the row expects its own organisation",
                row.method, row.pattern
            ),
            (Guard::AnyOf(_), Some(stated)) => panic!(
                "{} {}: the router states {stated:?}, the row expects a choice of sides",
                row.method, row.pattern
            ),
            (Guard::Alias(_), _) => {}
        }
    }
}

/// How an answer reads, as far as permission goes.
#[derive(Debug, PartialEq, Eq)]
enum Answer {
    /// Sent to sign in.
    ToSignIn,
    /// Sent to pass (or set up) two-factor.
    ToTwoFactor,
    /// The policy's refusal page.
    Refused,
    /// Anything else, with its status.
    Served(u16),
}

fn answer_of(status: u16, location: Option<&str>, body: &str) -> Answer {
    match (status, location) {
        (303, Some("/staff/sign-in")) => Answer::ToSignIn,
        (303, Some(l)) if l.starts_with("/staff/two-factor") => Answer::ToTwoFactor,
        // The refusal page `session::authorise` gives; a forged form's 403 says otherwise.
        (403, _) if body.contains("You cannot do this") => Answer::Refused,
        (status, _) => Answer::Served(status),
    }
}

/// A visitor to try every route as: the browser, and the actor the policy should see.
struct Visitor<'a> {
    name: &'static str,
    browser: Browser<'a>,
    actor: Actor,
}

async fn visitor<'a>(
    app: &'a TestApp,
    n: u8,
    name: &'static str,
    memberships: Vec<Membership>,
    two_factor: bool,
) -> Visitor<'a> {
    let secret = TotpSecret::from_random_bytes([n; 20]);
    let secret = two_factor.then_some(&secret);
    let email = format!("visitor{n}@example.org");
    let user = make_user(app, name, &email, memberships.clone(), secret).await;
    let mut browser = Browser::new(app, &format!("198.51.100.{}", 100 + n));
    browser.sign_in(&email, secret).await;
    let actor = Actor::staff(user.id, UserStatus::Active, memberships, two_factor);
    Visitor {
        name,
        browser,
        actor,
    }
}

fn expected(route: &Route, actor: &Actor) -> Result<Answer, &'static str> {
    let (action, own_org) = match route.guard {
        Guard::Policy { action, own_org } => (action, own_org),
        Guard::AnyOf(actions) => {
            if actions.iter().any(|a| decide(actor, a).is_allowed()) {
                return Err("allowed");
            }
            (actions[0], false)
        }
        Guard::Alias(_) => return Err("alias"),
    };
    let own = actor.memberships().iter().find_map(|m| m.organization());
    let action = match action {
        Action::InviteUser(_) if own_org => {
            Action::InviteUser(Membership::partner_staff(own.unwrap_or(ORG_A)))
        }
        Action::WorkReferralInbox(_) if own_org => Action::WorkReferralInbox(own.unwrap_or(ORG_A)),
        Action::ManageVolunteering(_) if own_org => {
            Action::ManageVolunteering(own.unwrap_or(ORG_A))
        }
        Action::ManageAsset(_) if own_org => Action::ManageAsset(own),
        Action::ManageActivities(_) if own_org => {
            Action::ManageActivities(Some(own.unwrap_or(ORG_A)))
        }
        other => other,
    };
    Ok(match decide(actor, &action) {
        Decision::Allow { .. } => return Err("allowed"),
        Decision::Deny(Denial::NotSignedIn) => Answer::ToSignIn,
        Decision::Deny(Denial::NeedsTwoFactor) => Answer::ToTwoFactor,
        Decision::Deny(_) => Answer::Refused,
    })
}

async fn every_route_answers_as_the_policy_says(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The feed import row fetches this app's own calendar, on this machine.
    app.state
        .volunteering
        .set_feed_limits(knit_web::volunteering::FeedLimits {
            private_addresses: true,
            ..Default::default()
        });
    let mut ids = Vec::new();
    for (name, list) in [
        ("{service}", "services"),
        ("{service_at_location}", "service_at_locations"),
        ("{taxonomy}", "taxonomies"),
        ("{taxonomy_term}", "taxonomy_terms"),
        ("{organization}", "organizations"),
    ] {
        let (_, listed) = app.get_json(&format!("/api/{list}")).await;
        let id = listed["contents"][0]["id"].as_str();
        ids.push((
            name,
            id.unwrap_or_else(|| panic!("a listed {list}")).to_owned(),
        ));
    }
    // The demo's connector training, with two bookings for the register's forms.
    let training = app
        .store()
        .upcoming_training(chrono::Utc::now(), 10)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.kind == knit_domain::training::TrainingKind::Connector)
        .expect("the demo's connector training");
    ids.push(("{training}", training.id.to_string()));
    let mut bookings = Vec::new();
    for who in ["ann", "bo"] {
        let (booking, _) = app
            .store()
            .book_training(knit_store::connectors::NewBooking {
                session_id: training.id,
                booker: knit_domain::training::Booker::parse(
                    who,
                    &format!("{who}@example.org"),
                    "",
                    training.kind,
                )
                .unwrap(),
                random: [bookings.len() as u8 + 1; 32],
                at: chrono::Utc::now(),
                mail: &|notice| {
                    knit_web::training::emails::booking_mail("", "Knit", notice, chrono::Utc::now())
                },
            })
            .await
            .unwrap();
        bookings.push(booking.id.to_string());
    }
    ids.push(("{booking}", bookings[0].clone()));
    // The demo's volunteer match evening, with a volunteer booked for the meeting form.
    let evening = app
        .store()
        .match_events(
            knit_store::match_events::EventsWhen::Upcoming(chrono::Utc::now()),
            1,
        )
        .await
        .unwrap()
        .pop()
        .expect("the demo's match evening");
    let (volunteer, _) = app
        .store()
        .book_training(knit_store::connectors::NewBooking {
            session_id: evening.session.id,
            booker: knit_domain::training::Booker::parse(
                "Vi",
                "vi@example.org",
                "",
                evening.session.kind,
            )
            .unwrap(),
            random: [9; 32],
            at: chrono::Utc::now(),
            mail: &|notice| {
                knit_web::training::emails::booking_mail("", "Knit", notice, chrono::Utc::now())
            },
        })
        .await
        .unwrap();
    ids.push(("{match_event}", evening.session.id.to_string()));
    ids.push(("{match_booking}", volunteer.id.to_string()));
    ids.push(("{match_org}", evening.coming[0].organization.0.to_string()));
    ids.push((
        "{future_date}",
        (chrono::Utc::now() + chrono::TimeDelta::days(30))
            .format("%Y-%m-%d")
            .to_string(),
    ));
    // The demo's volunteer roles, activities and hubs, and this server for a feed to import.
    let role = app
        .store()
        .organization_opportunities(None, 1)
        .await
        .unwrap();
    ids.push(("{opportunity}", role[0].id.to_string()));
    let activity = app
        .store()
        .activities(knit_store::volunteering::ActivityFilter::default())
        .await
        .unwrap();
    ids.push(("{activity}", activity[0].id.to_string()));
    ids.push(("{hub}", app.store().hubs().await.unwrap()[0].id.to_string()));
    ids.push(("{base}", app.base_url.clone()));
    // The demo's hall, its request waiting for an answer, an idea and a published group.
    let store = app.store();
    let hall = store
        .assets(&knit_store::assets::AssetFilter::default(), 50)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.details.title == "Fairleigh Park community hall")
        .expect("the demo's hall");
    ids.push(("{asset_booking}", {
        let waiting = store.waiting_requests(None, 10).await.unwrap();
        waiting[0].id.to_string()
    }));
    ids.push(("{asset}", hall.id.to_string()));
    ids.push((
        "{idea}",
        store.group_ideas(10).await.unwrap()[0].id.to_string(),
    ));
    ids.push((
        "{group}",
        store.community_groups(true, 10).await.unwrap()[0]
            .id
            .to_string(),
    ));
    ids.push(("{other_booking}", bookings[1].clone()));
    let target = make_user(
        &app,
        "Ravi Kumar",
        "ravi@example.org",
        vec![Membership::coordinator()],
        None,
    )
    .await;
    let mut visitors = vec![Visitor {
        name: "anonymous",
        browser: Browser::new(&app, "198.51.100.99"),
        actor: Actor::Anonymous,
    }];
    let roles: [(&str, Vec<Membership>, bool); 6] = [
        ("place lead", vec![Membership::place_lead()], true),
        ("coordinator", vec![Membership::coordinator()], true),
        (
            "partner staff",
            vec![Membership::partner_staff(ORG_A)],
            true,
        ),
        (
            "organisation lead",
            vec![Membership::organization_lead(ORG_A)],
            true,
        ),
        ("connector", vec![Membership::connector()], false),
        (
            "another organisation's lead",
            vec![Membership::organization_lead(ORG_B)],
            true,
        ),
    ];
    for (n, (name, memberships, two_factor)) in roles.into_iter().enumerate() {
        visitors.push(visitor(&app, n as u8 + 1, name, memberships, two_factor).await);
    }

    // The demo fund round, its fast-route application and its link, with every visitor
    // on the round's panel (the panel pages check it, beyond the policy).
    let members: Vec<UserId> = visitors.iter().filter_map(|v| v.actor.user_id()).collect();
    ids.extend(crate::fund::route_ids(&app, &members).await);

    // A coordinator who has typed her password but not yet her two-factor code.
    let halfway_secret = TotpSecret::from_random_bytes([50; 20]);
    let halfway_email = "halfway@example.org";
    let memberships = vec![Membership::coordinator()];
    let halfway = make_user(
        &app,
        "Halfway",
        halfway_email,
        memberships.clone(),
        Some(&halfway_secret),
    )
    .await;
    let mut browser = Browser::new(&app, "198.51.100.150");
    let form = browser.get("/staff/sign-in").await;
    let csrf = field_value(&form.body, "csrf").expect("a CSRF field");
    let fields = [
        ("email", halfway_email),
        ("password", PASSWORD),
        ("csrf", &csrf),
    ];
    let page = browser.post("/staff/sign-in", &fields).await;
    assert_eq!(page.location.as_deref(), Some("/staff/two-factor"));
    let form = browser.get("/staff/two-factor").await;
    browser.csrf = field_value(&form.body, "csrf").expect("the session's CSRF token");
    visitors.push(Visitor {
        name: "coordinator before two-factor",
        browser,
        actor: Actor::staff(halfway.id, UserStatus::Active, memberships, false),
    });

    let mut checked = 0;
    for route in table() {
        for (index, visitor) in visitors.iter_mut().enumerate() {
            // Every casework page gets records of its own, so one visitor's change cannot
            // stand in another's way.
            let case =
                if route.path.contains('{') || route.form.iter().any(|(_, v)| v.contains('{')) {
                    Some(casework_records(&app, target.id, &ids).await)
                } else {
                    None
                };
            let fill = |text: &str| {
                let mut text = text
                    .replace("{user}", &target.id.to_string())
                    .replace("{org}", &ORG_A.to_string());
                if let Some(case) = &case {
                    for (name, id) in case {
                        text = text.replace(name, id);
                    }
                }
                for (name, id) in &ids {
                    text = text.replace(name, id);
                }
                text
            };
            let path = fill(route.path);
            let actor_tag = index.to_string();
            let form: Vec<(String, String)> = route
                .form
                .iter()
                .map(|(k, v)| (fill(k), fill(&v.replace("{actor}", &actor_tag))))
                .collect();
            let page = if route.method == "GET" {
                visitor.browser.get(&path).await
            } else {
                let fields: Vec<(&str, &str)> =
                    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                visitor.browser.submit(&path, &fields).await
            };
            let got = answer_of(page.status, page.location.as_deref(), &page.body);
            let context = format!(
                "{} {} as {}: {:?} {}",
                route.method,
                route.pattern,
                visitor.name,
                got,
                &page.body[..page.body.len().min(300)]
            );
            assert!(page.status < 500, "{context}");
            let unrouted = [
                "We couldn't find that page",
                "There is nothing at this address",
            ];
            assert!(
                !unrouted.iter().any(|t| page.body.contains(t)),
                "every route in the table exists: {context}"
            );
            assert_ne!(page.status, 405, "{context}");
            match expected(&route, &visitor.actor) {
                Ok(denied) => assert_eq!(got, denied, "{context}"),
                Err("alias") => {
                    let Guard::Alias(to) = route.guard else {
                        unreachable!()
                    };
                    assert_eq!(page.location.as_deref(), Some(to), "{context}");
                }
                Err(_) if route.pattern.starts_with("/staff") && is_staff(&route) => {
                    // A staff action allowed: the page itself, or where its form leads.
                    assert!(
                        matches!(got, Answer::Served(200 | 303)),
                        "allowed, so 200 or 303: {context}"
                    );
                }
                Err(_) => {
                    // Public and own-account pages: never refused, never sent to sign in.
                    assert!(
                        !matches!(got, Answer::Refused | Answer::ToSignIn),
                        "{context}"
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, table().len() * visitors.len());

    // A method the table does not list for a path is one the router does not answer either,
    // so a handler added to a known path without a row here fails too.
    let rows: BTreeSet<(&str, &str)> = table().iter().map(|r| (r.method, r.path)).collect();
    for (_, path) in &rows {
        for method in ["GET", "POST"] {
            if rows.contains(&(method, path)) {
                continue;
            }
            let mut path = path.replace("{user}", &target.id.to_string());
            for (name, id) in &ids {
                path = path.replace(name, id);
            }
            let url = format!("{}{path}", app.base_url);
            let request = match method {
                "GET" => app.client.get(url),
                _ => app.client.post(url).form(&[("csrf", "")]),
            };
            let status = request.send().await.expect("an answer").status().as_u16();
            assert_eq!(status, 405, "{method} {path} has no row, so no handler");
        }
    }

    // The allowed changes happened, once, by the place lead alone: Ravi was given the
    // connector role, suspended and reinstated.
    let ravi = app.store().user(target.id).await.unwrap().unwrap();
    assert_eq!(ravi.status, UserStatus::Active);
    assert!(ravi.memberships.contains(&Membership::connector()));
    // No invitation into organisation A came from another organisation's lead.
    let invited: Vec<UserId> = app
        .store()
        .organization_members(ORG_A)
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.email.as_str().starts_with("new-"))
        .map(|u| u.id)
        .collect();
    assert_eq!(
        invited.len(),
        2,
        "the place lead and organisation A's lead invited; nobody else could"
    );
}

fn is_staff(route: &Route) -> bool {
    match route.guard {
        Guard::Policy { action, .. } => action.audience() == knit_domain::access::Audience::Staff,
        Guard::AnyOf(_) => true,
        Guard::Alias(_) => false,
    }
}

#[tokio::test]
async fn every_route_answers_every_visitor_as_the_policy_says() {
    for backend in backends() {
        every_route_answers_as_the_policy_says(backend).await;
    }
}
