//! Demo staff accounts, for `knit demo` only: a place lead, a coordinator and partner staff
//! of four organisations, each with a known password and a known two-factor secret (already
//! confirmed), so the staff pages can be tried, and tested in a browser. The addresses use
//! the reserved `.example` domain, so no mail can reach anyone.

use knit_domain::account::{Email, Membership, OrganizationId, UserStatus};
use knit_domain::password::hash_password;
use knit_domain::totp::TotpSecret;
use knit_store::Store;
use knit_store::accounts::NewUser;
use uuid::Uuid;

/// The password of every demo staff account.
pub const DEMO_STAFF_PASSWORD: &str = "kestleford demo staff";

/// Who a demo staff account is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoRole {
    PlaceLead,
    Coordinator,
    /// Partner staff of the demo organisation with this key.
    PartnerStaff(&'static str),
}

/// One demo staff account.
#[derive(Clone, Copy, Debug)]
pub struct DemoStaff {
    pub name: &'static str,
    pub email: &'static str,
    pub role: DemoRole,
    /// The 20 bytes of the TOTP secret.
    secret: &'static [u8; 20],
}

impl DemoStaff {
    pub fn secret(&self) -> TotpSecret {
        TotpSecret::from_random_bytes(*self.secret)
    }

    fn membership(&self) -> Membership {
        match self.role {
            DemoRole::PlaceLead => Membership::place_lead(),
            DemoRole::Coordinator => Membership::coordinator(),
            DemoRole::PartnerStaff(key) => Membership::partner_staff(organization_id(key)),
        }
    }
}

/// The id of the demo organisation with this key, as the directory gives it.
pub fn organization_id(key: &str) -> OrganizationId {
    OrganizationId(Uuid::new_v5(
        &super::entry::namespace(),
        format!("organization/{key}").as_bytes(),
    ))
}

/// The demo staff: the place lead, the coordinator, and partner staff of the food bank, the
/// domestic abuse service, the advice centre (debt advice) and the mental health charity.
pub static DEMO_STAFF: &[DemoStaff] = &[
    DemoStaff {
        name: "Priya Lead",
        email: "lead@demo.kestleford.example",
        role: DemoRole::PlaceLead,
        secret: b"knit-demo-place-lead",
    },
    DemoStaff {
        name: "Ravi Coordinator",
        email: "coordinator@demo.kestleford.example",
        role: DemoRole::Coordinator,
        secret: b"knit-demo-coordinate",
    },
    DemoStaff {
        name: "Tom Foodbank",
        email: "foodbank@demo.kestleford.example",
        role: DemoRole::PartnerStaff("foodbank"),
        secret: b"knit-demo-food-bank.",
    },
    DemoStaff {
        name: "Hana Harbour",
        email: "harbour@demo.kestleford.example",
        role: DemoRole::PartnerStaff("harbour"),
        secret: b"knit-demo-harbour-da",
    },
    DemoStaff {
        name: "Ade Advice",
        email: "advice@demo.kestleford.example",
        role: DemoRole::PartnerStaff("advice"),
        secret: b"knit-demo-advice-ctr",
    },
    DemoStaff {
        name: "Molly Minds",
        email: "minds@demo.kestleford.example",
        role: DemoRole::PartnerStaff("minds-matter"),
        secret: b"knit-demo-mindmatter",
    },
];

/// Creates the demo staff accounts, active, with two-factor set up long ago.
pub async fn add_demo_staff(store: &dyn Store) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    let hash = hash_password(DEMO_STAFF_PASSWORD);
    // A step long ago, so any code from now on is newer than the last one used.
    let long_ago = u64::try_from(now.timestamp())? / 30 - 100;
    for staff in DEMO_STAFF {
        let user = store
            .create_user(NewUser {
                name: staff.name.to_owned(),
                email: Email::parse(staff.email)?,
                status: UserStatus::Active,
                password_hash: Some(hash.clone()),
                memberships: vec![staff.membership()],
                at: now,
            })
            .await?;
        store.set_totp_secret(user.id, &staff.secret()).await?;
        anyhow::ensure!(
            store.confirm_totp(user.id, long_ago).await?,
            "two-factor for {} could not be confirmed",
            staff.email
        );
    }
    Ok(())
}
