//! Every address Knit answers, in one table: the method, the path, what the visitor must be
//! allowed to do there ([`Guard`]) and the handler. The router is built from it, the gate
//! applies its guards, and the route × role test walks it: a route cannot exist without
//! its action.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodRouter, on};
use knit_domain::access::{Action, ActionKind};

use crate::kit::Guard;
use crate::{
    AppState, accounts, activities, api, assets, audit, casework, connectors, directory, fund,
    groups, insight, referrals, training, volunteering,
};

/// One row of the table.
pub struct Route {
    pub method: Method,
    /// The path as the router declares it.
    pub path: &'static str,
    pub guard: Guard,
    pub handler: MethodRouter<AppState>,
}

fn route<H, T>(method: Method, path: &'static str, guard: Guard, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = axum::routing::MethodFilter::try_from(method.clone())
        .expect("the table uses GET and POST only");
    Route {
        method,
        path,
        guard,
        handler: on(filter, handler),
    }
}

fn get<H: Handler<T, AppState>, T: 'static>(path: &'static str, guard: Guard, h: H) -> Route {
    route(Method::GET, path, guard, h)
}

fn post<H: Handler<T, AppState>, T: 'static>(path: &'static str, guard: Guard, h: H) -> Route {
    route(Method::POST, path, guard, h)
}

const PUBLIC: Guard = Guard::Public(Action::ViewPublicDirectory);
const SIGN_IN: Guard = Guard::SignIn;

const fn staff(action: Action) -> Guard {
    Guard::Staff(action)
}

const fn scoped(kind: ActionKind) -> Guard {
    Guard::Scoped(kind)
}

/// The whole table, by feature.
pub fn table() -> Vec<Route> {
    [
        directory_routes(),
        api_routes(),
        casework_routes(),
        referral_routes(),
        connector_routes(),
        training_routes(),
        account_routes(),
        audit_routes(),
        insight_routes(),
        volunteering_routes(),
        fund_routes(),
        assets_routes(),
        groups_routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn directory_routes() -> Vec<Route> {
    use directory::{listings, organisations, problem_reports, service_page, tell_us};
    let dashboard = staff(Action::ViewDashboard);
    vec![
        get("/", PUBLIC, directory::home),
        get("/search", PUBLIC, directory::results),
        get("/services/{id}", PUBLIC, service_page::show),
        post(
            "/services/{id}/report",
            Guard::Public(Action::ReportProblem),
            problem_reports::report,
        ),
        get("/tell-us", PUBLIC, tell_us::form),
        post("/tell-us", PUBLIC, tell_us::answer),
        get("/healthz", PUBLIC, || async { "ok" }),
        get("/static/knit.css", PUBLIC, crate::stylesheet),
        get("/static/exit.js", PUBLIC, crate::exit_script),
        get("/staff/listings", dashboard, listings::list),
        get(
            "/staff/listings/unchecked",
            staff(Action::ApproveListingEdit),
            listings::unchecked,
        ),
        get(
            "/staff/listings/{id}/edit",
            scoped(ActionKind::SuggestListingEdit),
            listings::edit_form,
        ),
        post(
            "/staff/listings/{id}/edit",
            scoped(ActionKind::SuggestListingEdit),
            listings::propose,
        ),
        get(
            "/staff/listing-changes",
            staff(Action::ApproveListingEdit),
            listings::pending,
        ),
        get(
            "/staff/listing-changes/{id}",
            staff(Action::ApproveListingEdit),
            listings::show,
        ),
        post(
            "/staff/listing-changes/{id}",
            staff(Action::ApproveListingEdit),
            listings::decide_change,
        ),
        get(
            "/staff/organisations",
            staff(Action::ManageOrganizations),
            organisations::list,
        ),
        post(
            "/staff/organisations/{id}",
            staff(Action::ApproveOrganization),
            organisations::decide,
        ),
        get("/staff/problems", dashboard, problem_reports::list),
        get(
            "/staff/problems/{id}",
            scoped(ActionKind::ReplyToProblemReport),
            problem_reports::show,
        ),
        post(
            "/staff/problems/{id}",
            scoped(ActionKind::ReplyToProblemReport),
            problem_reports::answer,
        ),
    ]
}

fn api_routes() -> Vec<Route> {
    use api::oruk;
    vec![
        get("/api", PUBLIC, oruk::root),
        get("/api/", PUBLIC, oruk::root),
        get("/api/openapi.json", PUBLIC, oruk::openapi),
        get("/api/services", PUBLIC, oruk::services),
        get("/api/services/{id}", PUBLIC, oruk::service),
        get(
            "/api/service_at_locations",
            PUBLIC,
            oruk::service_at_locations,
        ),
        get(
            "/api/service_at_locations/{id}",
            PUBLIC,
            oruk::service_at_location,
        ),
        get("/api/taxonomies", PUBLIC, oruk::taxonomies),
        get("/api/taxonomies/{id}", PUBLIC, oruk::taxonomy),
        get("/api/taxonomy_terms", PUBLIC, oruk::taxonomy_terms),
        get("/api/taxonomy_terms/{id}", PUBLIC, oruk::taxonomy_term),
        get("/api/organizations", PUBLIC, oruk::organizations),
        get("/api/organizations/{id}", PUBLIC, oruk::organization),
    ]
}

fn casework_routes() -> Vec<Route> {
    use casework::{call_back, person, plan, rights, triage};
    let triage_intakes = staff(Action::TriageIntakes);
    let edit = staff(Action::EditPerson);
    let erase = staff(Action::ErasePerson);
    vec![
        get("/call-back", PUBLIC, call_back::call_back_form),
        post(
            "/call-back",
            Guard::Public(Action::RequestCallBack),
            call_back::call_back,
        ),
        get("/refer", PUBLIC, call_back::refer_form),
        post(
            "/refer",
            Guard::Public(Action::ReferAsProfessional),
            call_back::refer,
        ),
        get("/staff/intakes", triage_intakes, triage::queue),
        get("/staff/intakes/new", triage_intakes, triage::new_form),
        post("/staff/intakes/new", triage_intakes, triage::create),
        post(
            "/staff/intakes/{id}/open",
            triage_intakes,
            triage::open_case,
        ),
        post("/staff/intakes/{id}/close", triage_intakes, triage::close),
        get("/staff/people", staff(Action::ReadPerson), person::caseload),
        get(
            "/staff/people/{id}",
            staff(Action::ReadPerson),
            person::show,
        ),
        get("/staff/people/{id}/details", edit, person::details_form),
        post("/staff/people/{id}/details", edit, person::save_details),
        get(
            "/staff/people/{id}/conversation",
            edit,
            person::conversation_form,
        ),
        post(
            "/staff/people/{id}/conversation",
            edit,
            person::save_conversation,
        ),
        post("/staff/people/{id}/steps", edit, plan::add_step),
        post(
            "/staff/people/{id}/steps/{step}/done",
            edit,
            plan::complete_step,
        ),
        post("/staff/people/{id}/consents", edit, plan::record_consent),
        post(
            "/staff/people/{id}/consents/{consent}/withdraw",
            edit,
            plan::withdraw_consent,
        ),
        get("/staff/people/{id}/wellbeing", edit, plan::wellbeing_form),
        post("/staff/people/{id}/wellbeing", edit, plan::record_wellbeing),
        get("/staff/people/{id}/close", edit, plan::close_form),
        post("/staff/people/{id}/close", edit, plan::close),
        post("/staff/people/{id}/reopen", edit, plan::reopen),
        get(
            "/staff/people/{id}/export",
            staff(Action::ExportPerson),
            rights::export,
        ),
        post("/staff/people/{id}/erase", erase, rights::erase),
        get("/staff/retention", erase, rights::retention),
        post("/staff/erasures", erase, rights::erase_by_reference),
    ]
}

fn referral_routes() -> Vec<Route> {
    use referrals::inbox;
    let refer = staff(Action::ReferPerson);
    let inbox_kind = scoped(ActionKind::WorkReferralInbox);
    vec![
        get("/staff/people/{id}/refer", refer, inbox::refer_form),
        post("/staff/people/{id}/refer", refer, inbox::send),
        get("/staff/inbox", inbox_kind, inbox::inbox),
        get("/staff/referrals/{id}", inbox_kind, inbox::show),
        post("/staff/referrals/{id}/moves", inbox_kind, inbox::make_move),
        post(
            "/staff/referrals/{id}/messages",
            inbox_kind,
            inbox::add_message,
        ),
        post(
            "/staff/referrals/{id}/onward",
            scoped(ActionKind::ReferOnward),
            inbox::refer_onward,
        ),
    ]
}

fn connector_routes() -> Vec<Route> {
    use connectors::{become_a_connector, conversations, figures, postcards};
    let log = staff(Action::LogConversation);
    let hand_off = staff(Action::HandOffToCoordinator);
    vec![
        get("/become-a-connector", PUBLIC, become_a_connector::form),
        post(
            "/become-a-connector",
            Guard::Public(Action::BookTraining),
            become_a_connector::sign_up,
        ),
        get("/c/{code}", PUBLIC, become_a_connector::postcard),
        get("/staff/conversations", log, conversations::form),
        post("/staff/conversations", log, conversations::log),
        get("/staff/hand-off", hand_off, conversations::hand_off_form),
        post("/staff/hand-off", hand_off, conversations::hand_off),
        get(
            "/staff/postcards",
            staff(Action::PrintOwnPostcards),
            postcards::sheet,
        ),
        get(
            "/staff/connectors/figures",
            staff(Action::ViewReports),
            figures::place,
        ),
        get(
            "/staff/my-figures",
            staff(Action::ViewOwnConnectorFigures),
            figures::own,
        ),
    ]
}

fn training_routes() -> Vec<Route> {
    use training::{public, register};
    let book = Guard::Public(Action::BookTraining);
    let manage = staff(Action::ManageTraining);
    vec![
        get("/training", PUBLIC, public::list),
        get("/training.ics", PUBLIC, public::feed),
        get("/training/{id}", PUBLIC, public::show),
        post("/training/{id}", book, public::book),
        get(
            "/training/{id}/calendar.ics",
            PUBLIC,
            public::session_calendar,
        ),
        get("/bookings/{token}/cancel", PUBLIC, public::cancel_form),
        post("/bookings/{token}/cancel", book, public::cancel),
        get("/staff/training", manage, register::list),
        post("/staff/training", manage, register::schedule),
        get("/staff/training/{id}", manage, register::register),
        post(
            "/staff/training/{id}/attendance",
            manage,
            register::attendance,
        ),
        post("/staff/training/{id}/cancel", manage, register::cancel),
    ]
}

fn account_routes() -> Vec<Route> {
    use accounts::{dashboard, invitation, reset, sign_in, two_factor, users};
    let own = staff(Action::ManageOwnAccount);
    vec![
        get("/staff", staff(Action::ViewDashboard), dashboard::show),
        get("/staff/", PUBLIC, dashboard::to_dashboard),
        get("/staff/sign-in", SIGN_IN, sign_in::form),
        post("/staff/sign-in", SIGN_IN, sign_in::submit),
        post("/staff/sign-out", own, sign_in::sign_out),
        get("/staff/two-factor", own, two_factor::form),
        post("/staff/two-factor", own, two_factor::submit),
        get("/staff/two-factor/set-up", own, two_factor::set_up_form),
        post("/staff/two-factor/set-up", own, two_factor::set_up_submit),
        get("/staff/reset", SIGN_IN, reset::ask_form),
        post("/staff/reset", SIGN_IN, reset::ask),
        get("/staff/reset/{token}", SIGN_IN, reset::new_password_form),
        post("/staff/reset/{token}", SIGN_IN, reset::set_new_password),
        get(
            "/staff/invitations",
            scoped(ActionKind::InviteUser),
            invitation::invite_form,
        ),
        post(
            "/staff/invitations",
            scoped(ActionKind::InviteUser),
            invitation::send_invitation,
        ),
        get(
            "/staff/invitations/{token}",
            SIGN_IN,
            invitation::accept_form,
        ),
        post("/staff/invitations/{token}", SIGN_IN, invitation::accept),
        get("/staff/users", staff(Action::ManageUsers), users::list),
        get("/staff/users/{id}", staff(Action::ManageUsers), users::show),
        post(
            "/staff/users/{id}/roles",
            staff(Action::ChangeUserRole),
            users::change_role,
        ),
        post(
            "/staff/users/{id}/suspend",
            staff(Action::SuspendUser),
            users::suspend,
        ),
        post(
            "/staff/users/{id}/reinstate",
            staff(Action::SuspendUser),
            users::reinstate,
        ),
    ]
}

fn audit_routes() -> Vec<Route> {
    let read = staff(Action::ReadAuditLog);
    vec![
        get("/staff/audit", read, audit::show),
        post("/staff/audit/check", read, audit::check),
    ]
}

fn insight_routes() -> Vec<Route> {
    use insight::{impact, map, matcher, network};
    let reports = staff(Action::ViewReports);
    vec![
        get("/staff/matcher", reports, matcher::show),
        get("/staff/insight", reports, insight::index),
        get("/staff/insight/map", reports, map::staff),
        get("/staff/insight/map.csv", reports, map::staff_csv),
        get("/staff/insight/network", reports, network::show),
        get("/staff/insight/network.csv", reports, network::csv),
        get(
            "/staff/insight/network-flows.csv",
            reports,
            network::flows_csv,
        ),
        get("/staff/insight/impact", reports, impact::show),
        get("/insight/map", PUBLIC, map::public),
        get("/insight/map.csv", PUBLIC, map::public_csv),
    ]
}

fn volunteering_routes() -> Vec<Route> {
    use activities::public as whats_on;
    use volunteering::{introductions, match_events, public, staff as roles, strengths, what_fits};
    let manage = scoped(ActionKind::ManageVolunteering);
    let events = staff(Action::RunMatchEvents);
    let manage_activities = scoped(ActionKind::ManageActivities);
    let introduce = staff(Action::ArrangeIntroductions);
    vec![
        get("/volunteer", PUBLIC, public::browse),
        get("/volunteer/events", PUBLIC, match_events::public_list),
        get("/volunteer/strengths", PUBLIC, what_fits::form),
        post("/volunteer/strengths", PUBLIC, what_fits::show),
        get("/volunteer/{id}", PUBLIC, public::show),
        post(
            "/volunteer/{id}",
            Guard::Public(Action::ExpressInterest),
            public::offer,
        ),
        get("/whats-on", PUBLIC, whats_on::whats_on),
        get("/whats-on.ics", PUBLIC, whats_on::place_calendar),
        get("/activities/{id}", PUBLIC, whats_on::show),
        get(
            "/activities/{id}/calendar.ics",
            PUBLIC,
            whats_on::activity_calendar,
        ),
        get("/hubs/{id}", PUBLIC, whats_on::hub),
        get("/hubs/{id}/calendar.ics", PUBLIC, whats_on::hub_calendar),
        get(
            "/organisations/{id}/activities.ics",
            PUBLIC,
            whats_on::organisation_calendar,
        ),
        get("/staff/volunteering", manage, roles::list),
        post("/staff/volunteering", manage, roles::post_role),
        post("/staff/volunteering/roles/{id}", manage, roles::set_open),
        get("/staff/volunteering/offers/{id}", manage, roles::show_offer),
        post("/staff/volunteering/offers/{id}", manage, roles::answer),
        get(
            "/staff/volunteering/events",
            events,
            match_events::staff_list,
        ),
        post("/staff/volunteering/events", events, match_events::plan),
        get(
            "/staff/volunteering/events/{id}",
            events,
            match_events::show,
        ),
        post(
            "/staff/volunteering/events/{id}/meetings",
            events,
            match_events::record_meeting,
        ),
        get(
            "/staff/activities",
            manage_activities,
            activities::staff::list,
        ),
        post(
            "/staff/activities",
            manage_activities,
            activities::staff::add,
        ),
        post(
            "/staff/activities/import",
            manage_activities,
            activities::staff::import,
        ),
        post(
            "/staff/hubs",
            staff(Action::ManageActivities(None)),
            activities::staff::add_hub,
        ),
        get("/staff/introductions", introduce, introductions::list),
        post("/staff/introductions", introduce, introductions::propose),
        get("/staff/introductions/{id}", introduce, introductions::show),
        post(
            "/staff/introductions/{id}/answer",
            introduce,
            introductions::answer,
        ),
        post(
            "/staff/introductions/{id}/stop",
            introduce,
            introductions::stop,
        ),
        get(
            "/staff/people/{id}/strengths",
            staff(Action::EditPerson),
            strengths::show,
        ),
        post(
            "/staff/people/{id}/strengths",
            staff(Action::EditPerson),
            strengths::save,
        ),
        post(
            "/staff/people/{id}/volunteer",
            staff(Action::ReferPerson),
            strengths::refer,
        ),
        get(
            "/staff/people/{id}/peer",
            introduce,
            introductions::opt_in_form,
        ),
        post("/staff/people/{id}/peer", introduce, introductions::opt_in),
    ]
}

fn fund_routes() -> Vec<Route> {
    use fund::{public, staff as panel};
    let apply = Guard::Public(Action::ApplyToFund);
    let manage = staff(Action::ManageFunds);
    let score = staff(Action::ScoreFundApplications);
    vec![
        get("/fund", PUBLIC, public::rounds),
        get("/fund/{id}", PUBLIC, public::round),
        post("/fund/{id}", apply, public::apply),
        get("/fund/applications/{token}", PUBLIC, public::draft),
        post("/fund/applications/{token}", apply, public::save_draft),
        get(
            "/fund/awards/{token}/monitoring",
            PUBLIC,
            public::monitoring_form,
        ),
        post(
            "/fund/awards/{token}/monitoring",
            apply,
            public::send_monitoring,
        ),
        get("/staff/fund", score, panel::rounds),
        post("/staff/fund", manage, panel::create),
        get("/staff/fund/{id}", score, panel::panel),
        post("/staff/fund/{id}/panel", manage, panel::set_panel),
        get("/staff/fund/applications/{id}", score, panel::application),
        post("/staff/fund/applications/{id}/vote", score, panel::vote),
        post(
            "/staff/fund/applications/{id}/decision",
            manage,
            panel::decide,
        ),
        post("/staff/fund/applications/{id}/payments", manage, panel::pay),
        post(
            "/staff/fund/applications/{id}/monitoring",
            manage,
            panel::monitoring,
        ),
    ]
}

fn assets_routes() -> Vec<Route> {
    use assets::{public, staff as register};
    let manage = scoped(ActionKind::ManageAsset);
    vec![
        get("/assets", PUBLIC, public::browse),
        get("/assets/{id}", PUBLIC, public::show),
        post(
            "/assets/{id}/request",
            Guard::Public(Action::RequestAssetBooking),
            public::request,
        ),
        get("/assets/{id}/calendar.ics", PUBLIC, public::asset_calendar),
        get(
            "/asset-bookings/{id}/calendar.ics",
            PUBLIC,
            public::booking_calendar,
        ),
        get(
            "/staff/assets",
            staff(Action::ViewDashboard),
            register::list,
        ),
        get("/staff/assets/new", manage, register::new_form),
        post("/staff/assets/new", manage, register::create),
        get(
            "/staff/assets/unused",
            staff(Action::FindUnusedAssets),
            register::unused,
        ),
        get("/staff/assets/{id}", manage, register::edit_form),
        post("/staff/assets/{id}", manage, register::update),
        get("/staff/asset-bookings/{id}", manage, register::booking),
        post("/staff/asset-bookings/{id}", manage, register::decide),
    ]
}

fn groups_routes() -> Vec<Route> {
    let manage = staff(Action::ManageGroups);
    vec![
        get("/start-a-group", PUBLIC, groups::start_form),
        post(
            "/start-a-group",
            Guard::Public(Action::ProposeGroup),
            groups::start,
        ),
        get("/groups/{id}", PUBLIC, groups::show),
        get("/staff/groups", manage, groups::list),
        post("/staff/group-ideas/{id}/take", manage, groups::take),
        get("/staff/groups/{id}", manage, groups::edit_form),
        post("/staff/groups/{id}", manage, groups::save),
        post("/staff/groups/{id}/publish", manage, groups::publish),
    ]
}

/// Every route as (method, path), for tests that compare the table with what they visit.
pub fn all() -> Vec<(Method, &'static str)> {
    table().into_iter().map(|r| (r.method, r.path)).collect()
}
