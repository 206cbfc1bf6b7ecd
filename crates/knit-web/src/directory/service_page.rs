//! The service page: every detail of one listing, in plain English.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use knit_domain::Service;
use knit_domain::directory::{KnitTerm, LocationType, ServiceStatus, WayIn};
use knit_domain::opening;
use uuid::Uuid;

use crate::kit::{PageError, PageResult, language, render};
use crate::{AppState, Site};

pub(crate) struct PhoneView {
    pub number: String,
    pub tel: String,
    pub description: Option<String>,
}

impl PhoneView {
    /// A number as listed, and as a `tel:` link dials it.
    pub(crate) fn of(phone: &knit_domain::directory::Phone) -> PhoneView {
        PhoneView {
            number: phone.number.clone(),
            tel: phone
                .number
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect(),
            description: phone.description.clone(),
        }
    }
}

pub(crate) struct PlaceView {
    pub name: Option<String>,
    pub address: String,
    pub online: Option<String>,
    pub map: Option<String>,
    pub access: Vec<String>,
}

pub(crate) struct ServiceView {
    pub id: Uuid,
    pub name: String,
    pub organization: String,
    pub status: String,
    pub alert: Option<String>,
    pub description: Option<String>,
    pub needs: String,
    pub way_in: String,
    pub delivery: String,
    pub application_process: Option<String>,
    pub phones: Vec<PhoneView>,
    pub email: Option<String>,
    pub url: Option<String>,
    pub times: Vec<String>,
    pub places: Vec<PlaceView>,
    pub no_place: String,
    pub areas: String,
    pub ages: String,
    pub eligibility: Option<String>,
    pub languages: String,
    pub interpretation: Option<String>,
    pub costs: Vec<String>,
    pub last_checked: String,
}

#[derive(Template)]
#[template(path = "service.html")]
struct ServicePage<'a> {
    site: &'a Site,
    s: ServiceView,
    /// "Usually answers referrals within 3 working days", when known (place insight).
    promise: Option<String>,
}

pub(crate) fn status_note(status: ServiceStatus) -> String {
    match status {
        ServiceStatus::Active => String::new(),
        ServiceStatus::TemporarilyClosed => crate::t("status-temporarily-closed"),
        ServiceStatus::Inactive | ServiceStatus::Defunct => crate::t("status-no-longer-running"),
    }
}

fn ages(min: Option<u16>, max: Option<u16>) -> String {
    match (min, max) {
        (None | Some(0), None) => crate::t("ages-all"),
        (Some(min), None) => crate::t1("ages-from", "min", min),
        (None | Some(0), Some(max)) => crate::t1("ages-up-to", "max", max),
        (Some(min), Some(max)) => crate::t2(
            "ages-between",
            &("min", &min.to_string()),
            &("max", &max.to_string()),
        ),
    }
}

fn cost_lines(service: &Service) -> Vec<String> {
    let mut lines: Vec<String> = service
        .cost_options
        .iter()
        .map(|c| {
            let price = match c.amount {
                Some(a) if a > 0.0 => format!("£{a:.2}"),
                Some(_) => crate::t("free"),
                None => String::new(),
            };
            let mut line = [
                price,
                c.amount_description.clone().unwrap_or_default(),
                c.option.clone().unwrap_or_default(),
            ]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
            if line.is_empty() {
                line = crate::t("cost-ask");
            }
            line
        })
        .collect();
    if let Some(fees) = &service.fees_description {
        lines.push(fees.clone());
    }
    if lines.is_empty() {
        lines.push(if service.is_free() {
            crate::t("free")
        } else {
            crate::t("cost-ask")
        });
    }
    lines
}

fn places(service: &Service) -> Vec<PlaceView> {
    service
        .public_locations()
        .map(|location| {
            let address = location
                .addresses
                .first()
                .map(|a| {
                    [Some(&a.address_1), a.address_2.as_ref(), Some(&a.city), Some(&a.postal_code)]
                        .into_iter()
                        .flatten()
                        .filter(|s| !s.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let map = match (location.location_type, location.latitude, location.longitude) {
                (LocationType::Physical, Some(lat), Some(lon)) => Some(format!(
                    "https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=17/{lat:.5}/{lon:.5}"
                )),
                _ => None,
            };
            PlaceView {
                name: location.name.clone(),
                address,
                online: (location.location_type == LocationType::Virtual).then(|| location.url.clone()).flatten(),
                map,
                access: location
                    .accessibility
                    .iter()
                    .filter_map(|a| a.description.clone().or_else(|| a.details.clone()))
                    .collect(),
            }
        })
        .collect()
}

pub(crate) fn view(service: &Service, today: NaiveDate) -> ServiceView {
    let service = service.public_view();
    let hidden_place = service.service_at_locations.is_empty()
        && service
            .delivery()
            .iter()
            .all(|d| *d != knit_domain::directory::Delivery::InPerson);
    ServiceView {
        id: service.id,
        name: service.name.clone(),
        organization: service
            .organization
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_default(),
        status: status_note(service.status),
        alert: service.alert.clone(),
        description: service.description.clone(),
        needs: service
            .needs()
            .iter()
            .map(|n| language::need_label(n.need()))
            .collect::<Vec<_>>()
            .join(", "),
        way_in: super::way_in_words(service.way_in().unwrap_or(WayIn::SelfRefer)),
        delivery: service
            .delivery()
            .iter()
            .map(|d| language::domain_words("delivery", d.code(), d.label()))
            .collect::<Vec<_>>()
            .join(", "),
        application_process: service.application_process.clone(),
        phones: service.phones.iter().map(PhoneView::of).collect(),
        email: service.email.clone(),
        url: service.url.clone(),
        times: service
            .schedules
            .iter()
            .map(|schedule| match language::current() {
                language::Language::English => opening::plain_english(schedule),
                language::Language::Welsh => opening::plain_welsh(schedule),
            })
            .collect(),
        places: places(&service),
        no_place: if hidden_place {
            crate::t("service-no-place-remote")
        } else {
            crate::t("service-no-place-unpublished")
        },
        areas: service
            .service_areas
            .iter()
            .filter_map(|a| a.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        ages: ages(service.minimum_age, service.maximum_age),
        eligibility: service.eligibility_description.clone(),
        languages: service
            .languages
            .iter()
            .filter_map(|l| l.name.clone())
            .collect::<Vec<_>>()
            .join(", "),
        interpretation: service.interpretation_services.clone(),
        costs: cost_lines(&service),
        last_checked: match service.assured_date {
            Some(date) if (today - date).num_days() > 365 => crate::t1(
                "service-checked-long-ago",
                "date",
                language::day_month_year(date),
            ),
            Some(date) => language::day_month_year(date),
            None => crate::t("service-never-checked"),
        },
    }
}

pub(crate) async fn show(State(state): State<AppState>, Path(id): Path<String>) -> PageResult {
    let not_found = || PageError::Missing(crate::t("service-not-found"));
    let id = Uuid::parse_str(&id).map_err(|_| not_found())?;
    let service = state
        .store
        .service(id)
        .await?
        .filter(|s| s.status.is_listed())
        .ok_or_else(not_found)?;
    let today = opening::uk_local(chrono::Utc::now()).date();
    let promise = crate::insight::network::promise(
        state.store.as_ref(),
        service.organization_id,
        chrono::Utc::now(),
    )
    .await?;
    Ok(render(
        &ServicePage {
            site: &state.site,
            s: view(&service, today),
            promise,
        },
        StatusCode::OK,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(ages(None, None), "All ages.");
        assert_eq!(ages(Some(60), None), "Ages 60 and over.");
        assert_eq!(ages(Some(0), Some(5)), "Ages up to 5.");
        assert_eq!(ages(Some(11), Some(18)), "Ages 11 to 18.");
    }
}
