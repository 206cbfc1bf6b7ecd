//! Who a notice goes to: an organisation's active staff, or the place's active leads. One
//! place, so every reminder, chase and report reaches the same people.

use knit_domain::account::{OrganizationId, Role, UserStatus};
use knit_store::accounts::User;
use knit_store::{Store, StoreError};

/// Users read per page while looking for place leads.
const PAGE: u32 = 500;

/// Active partner staff of `organization`.
pub async fn organisation_staff(
    store: &dyn Store,
    organization: OrganizationId,
) -> Result<Vec<User>, StoreError> {
    Ok(store
        .organization_members(organization)
        .await?
        .into_iter()
        .filter(|u| {
            u.status == UserStatus::Active
                && u.memberships.iter().any(|m| {
                    m.role() == Role::PartnerStaff && m.organization() == Some(organization)
                })
        })
        .collect())
}

/// Active place leads. A place has a handful, but users are read a page at a time all the
/// same.
pub async fn place_leads(store: &dyn Store) -> Result<Vec<User>, StoreError> {
    let mut leads = Vec::new();
    let mut offset = 0;
    loop {
        let page = store.users(offset, PAGE).await?;
        let last = page.len() < PAGE as usize;
        leads.extend(page.into_iter().filter(|u| {
            u.status == UserStatus::Active
                && u.memberships.iter().any(|m| m.role() == Role::PlaceLead)
        }));
        if last {
            return Ok(leads);
        }
        offset += u64::from(PAGE);
    }
}
