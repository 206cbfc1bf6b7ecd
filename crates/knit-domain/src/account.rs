//! Staff accounts: who a user is, which roles they hold and where, and who is asking right
//! now. What each role may do is decided in [`crate::access`], nowhere else.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A staff user's id. Audit events and sessions refer to users by this, never by name or email.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub Uuid);

/// An organisation's id: the same id as the directory's HSDS `organization.id`, so a partner
/// staff membership points at the organisation whose listings it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrganizationId(pub Uuid);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for OrganizationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The longest address SMTP can carry (RFC 5321: a 256-octet path less the angle brackets).
const MAX_EMAIL_LEN: usize = 254;
/// The longest local part SMTP promises to carry (RFC 5321 §4.5.3.1.1).
const MAX_LOCAL_PART_LEN: usize = 64;

/// An email address that is plausible and lower-cased. It can only be made by [`Email::parse`],
/// so holding one means the checks have passed. Whether mail reaches it is learnt by sending
/// the invitation, not guessed here.
///
/// `Debug` hides the address so that a stray `{:?}` cannot put it in a log line; `Display`
/// and [`Email::as_str`] give the address for sending mail and storing.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Why an email address was refused. Messages are written for the person typing it and never
/// repeat the address, so they are safe to log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadEmail {
    #[error("enter an email address")]
    Empty,
    #[error("an email address can be at most 254 characters long")]
    TooLong,
    #[error("an email address cannot contain spaces")]
    ContainsSpace,
    #[error("an email address needs an @, as in name@example.org")]
    NoAt,
    #[error("an email address has only one @")]
    MoreThanOneAt,
    #[error("an email address needs something before the @")]
    NothingBeforeAt,
    #[error("the part before the @ can be at most 64 characters long")]
    BeforeAtTooLong,
    #[error("the part before the @ cannot start or end with a dot, or have two dots together")]
    MisplacedDot,
    #[error("the part before the @ cannot contain brackets, quotes, commas, colons or semicolons")]
    BadCharacterBeforeAt,
    #[error("an email address needs a domain after the @, as in name@example.org")]
    NoDomain,
    #[error("the domain after the @ needs a dot, as in example.org")]
    DomainWithoutDot,
    #[error("the domain after the @ can only have letters, digits, hyphens and dots between words")]
    BadDomain,
}

impl Email {
    /// Trims, lower-cases and checks an address. Internationalised domains must be typed in
    /// their `xn--` form; local parts may hold any printable characters but spaces.
    pub fn parse(input: &str) -> Result<Email, BadEmail> {
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err(BadEmail::Empty);
        }
        if address.chars().count() > MAX_EMAIL_LEN {
            return Err(BadEmail::TooLong);
        }
        if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(BadEmail::ContainsSpace);
        }
        let mut parts = address.split('@');
        let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
            (Some(local), Some(domain), None) => (local, domain),
            (_, _, Some(_)) => return Err(BadEmail::MoreThanOneAt),
            _ => return Err(BadEmail::NoAt),
        };
        if local.is_empty() {
            return Err(BadEmail::NothingBeforeAt);
        }
        if local.chars().count() > MAX_LOCAL_PART_LEN {
            return Err(BadEmail::BeforeAtTooLong);
        }
        if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
            return Err(BadEmail::MisplacedDot);
        }
        // RFC 5322's unquoted characters, and any letter beyond ASCII (RFC 6531). Quoted
        // local parts are legal but nobody on staff has one, and they are a common way in
        // for header injection.
        let local_ok =
            |c: char| c.is_alphanumeric() || c == '.' || "!#$%&'*+-/=?^_`{|}~".contains(c);
        if !local.chars().all(local_ok) {
            return Err(BadEmail::BadCharacterBeforeAt);
        }
        if domain.is_empty() {
            return Err(BadEmail::NoDomain);
        }
        if !domain.contains('.') {
            return Err(BadEmail::DomainWithoutDot);
        }
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        };
        let labels: Vec<&str> = domain.split('.').collect();
        let top = labels.last().copied().unwrap_or("");
        // A top-level domain is never all digits; "name@10.0.0.1" is an address typed by mistake.
        if !labels.iter().all(|l| label_ok(l))
            || top.len() < 2
            || top.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(BadEmail::BadDomain);
        }
        Ok(Email(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before the @; passwords may not contain it.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or("")
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit('@').next().unwrap_or("")
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(<hidden>)")
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Email {
    type Err = BadEmail;
    fn from_str(s: &str) -> Result<Email, BadEmail> {
        Email::parse(s)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Email, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Email::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// What a member of staff is to Knit. A user may hold several memberships, each with one role.
///
/// An organisation's lead is not a fifth role: they are partner staff with one extra power,
/// inviting colleagues into their own organisation, so it is a flag on the membership
/// ([`Membership::is_organization_lead`]). A separate role would repeat every partner-staff
/// line of the permission table and let the two drift apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the place: approves organisations and listings, manages users, reads the audit log.
    PlaceLead,
    /// Paid staff holding a caseload of people (coordinator, social prescriber, link worker).
    Coordinator,
    /// Staff of one partner organisation: its listings and its referral inbox.
    PartnerStaff,
    /// A trained volunteer who logs anonymous conversations and passes people on.
    Connector,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "\"{0}\" is not a role; the roles are place_lead, coordinator, partner_staff and connector"
)]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 4] = [
        Role::PlaceLead,
        Role::Coordinator,
        Role::PartnerStaff,
        Role::Connector,
    ];

    /// The stable code stored in the database and the audit log. Never change one.
    pub fn code(self) -> &'static str {
        match self {
            Role::PlaceLead => "place_lead",
            Role::Coordinator => "coordinator",
            Role::PartnerStaff => "partner_staff",
            Role::Connector => "connector",
        }
    }

    /// The name shown on staff pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::PlaceLead => "Place lead",
            Role::Coordinator => "Coordinator",
            Role::PartnerStaff => "Partner staff",
            Role::Connector => "Connector",
        }
    }

    pub fn from_code(code: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| UnknownRole(code.to_owned()))
    }

    /// Whether this role works within one organisation rather than the whole place.
    pub fn belongs_to_organization(self) -> bool {
        self == Role::PartnerStaff
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One role held by a user, with the organisation it is held in when the role needs one.
/// The fields are private so that partner staff always have an organisation and the
/// place-wide roles never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "MembershipParts", into = "MembershipParts")]
pub struct Membership {
    role: Role,
    organization: Option<OrganizationId>,
    organization_lead: bool,
}

/// Why a stored or submitted membership cannot be held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadMembership {
    #[error("partner staff must belong to an organisation")]
    OrganizationRequired,
    #[error("only partner staff belong to an organisation; this role covers the whole place")]
    OrganizationNotAllowed,
    #[error("only partner staff can be an organisation's lead")]
    LeadWithoutOrganization,
}

/// The plain shape a membership is stored and sent in; turned into a [`Membership`] by
/// [`Membership::new`] so the rules above hold for anything read back.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct MembershipParts {
    pub role: Role,
    pub organization: Option<OrganizationId>,
    #[serde(default)]
    pub organization_lead: bool,
}

impl TryFrom<MembershipParts> for Membership {
    type Error = BadMembership;
    fn try_from(p: MembershipParts) -> Result<Membership, BadMembership> {
        Membership::new(p.role, p.organization, p.organization_lead)
    }
}

impl From<Membership> for MembershipParts {
    fn from(m: Membership) -> MembershipParts {
        MembershipParts {
            role: m.role,
            organization: m.organization,
            organization_lead: m.organization_lead,
        }
    }
}

impl Membership {
    /// Checks a membership read from storage or a form.
    pub fn new(
        role: Role,
        organization: Option<OrganizationId>,
        organization_lead: bool,
    ) -> Result<Membership, BadMembership> {
        match (
            role.belongs_to_organization(),
            organization,
            organization_lead,
        ) {
            (true, None, _) => Err(BadMembership::OrganizationRequired),
            (false, Some(_), _) => Err(BadMembership::OrganizationNotAllowed),
            (false, None, true) => Err(BadMembership::LeadWithoutOrganization),
            _ => Ok(Membership {
                role,
                organization,
                organization_lead,
            }),
        }
    }

    pub fn place_lead() -> Membership {
        Membership {
            role: Role::PlaceLead,
            organization: None,
            organization_lead: false,
        }
    }

    pub fn coordinator() -> Membership {
        Membership {
            role: Role::Coordinator,
            organization: None,
            organization_lead: false,
        }
    }

    pub fn connector() -> Membership {
        Membership {
            role: Role::Connector,
            organization: None,
            organization_lead: false,
        }
    }

    pub fn partner_staff(organization: OrganizationId) -> Membership {
        Membership {
            role: Role::PartnerStaff,
            organization: Some(organization),
            organization_lead: false,
        }
    }

    /// Partner staff who may also invite colleagues into their organisation.
    pub fn organization_lead(organization: OrganizationId) -> Membership {
        Membership {
            role: Role::PartnerStaff,
            organization: Some(organization),
            organization_lead: true,
        }
    }

    pub fn role(&self) -> Role {
        self.role
    }

    /// The organisation this membership is held in: always `Some` for partner staff, `None`
    /// for the place-wide roles.
    pub fn organization(&self) -> Option<OrganizationId> {
        self.organization
    }

    pub fn is_organization_lead(&self) -> bool {
        self.organization_lead
    }
}

/// Where a user's account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Invited by email but has not yet set a password.
    Invited,
    Active,
    /// Stopped by a place lead: can do nothing, and every session ends at once.
    Suspended,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a user status; the statuses are invited, active and suspended")]
pub struct UnknownUserStatus(pub String);

impl UserStatus {
    pub const ALL: [UserStatus; 3] = [
        UserStatus::Invited,
        UserStatus::Active,
        UserStatus::Suspended,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            UserStatus::Invited => "invited",
            UserStatus::Active => "active",
            UserStatus::Suspended => "suspended",
        }
    }

    pub fn from_code(code: &str) -> Result<UserStatus, UnknownUserStatus> {
        UserStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| UnknownUserStatus(code.to_owned()))
    }
}

/// A signed-in member of staff, as the session and the store know them at this request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: UserId,
    pub status: UserStatus,
    pub memberships: Vec<Membership>,
    /// Whether this session has passed a two-factor check (a TOTP code or a recovery code).
    pub two_factor_passed: bool,
}

/// Who is asking: the one input to [`crate::access::decide`] besides the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A visitor to the public site, or anyone not signed in.
    Anonymous,
    Staff(StaffUser),
}

impl Actor {
    pub fn staff(
        id: UserId,
        status: UserStatus,
        memberships: Vec<Membership>,
        two_factor_passed: bool,
    ) -> Actor {
        Actor::Staff(StaffUser {
            id,
            status,
            memberships,
            two_factor_passed,
        })
    }

    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Actor::Anonymous => None,
            Actor::Staff(u) => Some(u.id),
        }
    }

    pub fn memberships(&self) -> &[Membership] {
        match self {
            Actor::Anonymous => &[],
            Actor::Staff(u) => &u.memberships,
        }
    }

    /// One actor of every kind, named, for tests that check each route against each kind of
    /// visitor: anonymous; each role, active with two-factor passed (partner staff and an
    /// organisation's lead in `organization`); a coordinator who has not passed two-factor;
    /// and a suspended coordinator.
    pub fn examples(organization: OrganizationId) -> Vec<(&'static str, Actor)> {
        let user = |n: u128, memberships: Vec<Membership>, status: UserStatus, two_factor: bool| {
            Actor::staff(UserId(Uuid::from_u128(n)), status, memberships, two_factor)
        };
        use UserStatus::{Active, Suspended};
        vec![
            ("anonymous", Actor::Anonymous),
            (
                "place lead",
                user(1, vec![Membership::place_lead()], Active, true),
            ),
            (
                "coordinator",
                user(2, vec![Membership::coordinator()], Active, true),
            ),
            (
                "partner staff",
                user(
                    3,
                    vec![Membership::partner_staff(organization)],
                    Active,
                    true,
                ),
            ),
            (
                "organisation lead",
                user(
                    4,
                    vec![Membership::organization_lead(organization)],
                    Active,
                    true,
                ),
            ),
            (
                "connector",
                user(5, vec![Membership::connector()], Active, false),
            ),
            (
                "coordinator before two-factor",
                user(6, vec![Membership::coordinator()], Active, false),
            ),
            (
                "suspended coordinator",
                user(7, vec![Membership::coordinator()], Suspended, true),
            ),
        ]
    }

    /// Whether this user must pass two-factor before any staff action: true as soon as any
    /// of their roles can see personal data (see [`crate::access::roles_needing_two_factor`]).
    pub fn must_pass_two_factor(&self) -> bool {
        self.memberships()
            .iter()
            .any(|m| crate::access::role_needs_two_factor(m.role()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        let email = Email::parse("  Mary.Smith@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "mary.smith@example.org");
        assert_eq!(email.local_part(), "mary.smith");
        assert_eq!(email.domain(), "example.org");
        assert_eq!(email.to_string(), "mary.smith@example.org");
    }

    #[test]
    fn plausible_addresses_are_accepted() {
        for ok in [
            "a@b.co",
            "first+tag@sub.example.co.uk",
            "o'neil@xn--bcher-kva.example",
            "x_y-z@a-b.org",
        ] {
            assert!(Email::parse(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn each_mistake_is_named() {
        let long = format!("{}@example.org", "a".repeat(250));
        let long_local = format!("{}@example.org", "a".repeat(65));
        let cases = [
            ("", BadEmail::Empty),
            ("   ", BadEmail::Empty),
            (long.as_str(), BadEmail::TooLong),
            ("mary smith@example.org", BadEmail::ContainsSpace),
            ("mary.example.org", BadEmail::NoAt),
            ("mary@home@example.org", BadEmail::MoreThanOneAt),
            ("@example.org", BadEmail::NothingBeforeAt),
            (long_local.as_str(), BadEmail::BeforeAtTooLong),
            (".mary@example.org", BadEmail::MisplacedDot),
            ("mary..smith@example.org", BadEmail::MisplacedDot),
            ("\"mary\"@example.org", BadEmail::BadCharacterBeforeAt),
            ("mary<x>@example.org", BadEmail::BadCharacterBeforeAt),
            ("mary,jo@example.org", BadEmail::BadCharacterBeforeAt),
            ("mary@", BadEmail::NoDomain),
            ("mary@localhost", BadEmail::DomainWithoutDot),
            ("mary@example..org", BadEmail::BadDomain),
            ("mary@-example.org", BadEmail::BadDomain),
            ("mary@example.o", BadEmail::BadDomain),
            ("mary@10.0.0.1", BadEmail::BadDomain),
            ("mary@exa_mple.org", BadEmail::BadDomain),
        ];
        for (input, expected) in cases {
            assert_eq!(Email::parse(input), Err(expected), "{input:?}");
        }
    }

    #[test]
    fn an_address_never_shows_in_debug_output_or_errors() {
        let email = Email::parse("mary@example.org").unwrap();
        assert!(!format!("{email:?}").contains("mary"));
        let err = Email::parse("mary@localhost").unwrap_err();
        assert!(!err.to_string().contains("mary"));
    }

    #[test]
    fn an_address_read_back_from_json_is_checked_again() {
        let email: Email = serde_json::from_str("\"Mary@Example.org\"").unwrap();
        assert_eq!(email.as_str(), "mary@example.org");
        assert!(serde_json::from_str::<Email>("\"not an address\"").is_err());
    }

    #[test]
    fn role_codes_are_stable_and_round_trip() {
        let codes: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(
            codes,
            ["place_lead", "coordinator", "partner_staff", "connector"]
        );
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Ok(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.code())
            );
        }
        assert!(Role::from_code("admin").is_err());
        for status in UserStatus::ALL {
            assert_eq!(UserStatus::from_code(status.code()), Ok(status));
        }
    }

    #[test]
    fn partner_staff_always_belong_to_one_organisation() {
        let food_bank = OrganizationId(Uuid::from_u128(1));
        assert_eq!(
            Membership::new(Role::PartnerStaff, None, false),
            Err(BadMembership::OrganizationRequired)
        );
        assert_eq!(
            Membership::new(Role::Coordinator, Some(food_bank), false),
            Err(BadMembership::OrganizationNotAllowed)
        );
        assert_eq!(
            Membership::new(Role::PlaceLead, None, true),
            Err(BadMembership::LeadWithoutOrganization)
        );
        let lead = Membership::new(Role::PartnerStaff, Some(food_bank), true).unwrap();
        assert_eq!(lead, Membership::organization_lead(food_bank));
        assert_eq!(lead.organization(), Some(food_bank));
        assert!(lead.is_organization_lead());
    }

    #[test]
    fn a_stored_membership_that_breaks_the_rules_is_refused_when_read() {
        let ok = serde_json::to_string(&Membership::partner_staff(OrganizationId(
            Uuid::from_u128(7),
        )))
        .unwrap();
        let back: Membership = serde_json::from_str(&ok).unwrap();
        assert_eq!(back.role(), Role::PartnerStaff);
        let bad = r#"{"role":"partner_staff","organization":null}"#;
        assert!(serde_json::from_str::<Membership>(bad).is_err());
    }

    #[test]
    fn only_roles_that_see_personal_data_force_two_factor() {
        let id = UserId(Uuid::from_u128(9));
        let connector = Actor::staff(id, UserStatus::Active, vec![Membership::connector()], false);
        assert!(!connector.must_pass_two_factor());
        let both = Actor::staff(
            id,
            UserStatus::Active,
            vec![Membership::connector(), Membership::coordinator()],
            false,
        );
        assert!(both.must_pass_two_factor());
        assert!(!Actor::Anonymous.must_pass_two_factor());
    }
}
