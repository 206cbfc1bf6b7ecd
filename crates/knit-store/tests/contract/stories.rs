//! What the store promises, told as the directory's life: listings arrive, change, are
//! imported again, go wrong, are read page by page, and people report problems with them.

use chrono::Duration;
use knit_domain::Service;
use knit_domain::geo::LatLon;
use knit_domain::postcode::Postcode;
use knit_domain::validation::tidy;
use knit_store::{ImportSummary, Place, PostcodePoint, ServiceFilter, Store, StoreError};
use uuid::Uuid;

use crate::fixtures::{self, id, rich_service, town};

fn all() -> ServiceFilter {
    ServiceFilter::default()
}

/// Every service in the store, read a page at a time.
async fn everything(store: &dyn Store, page: u32) -> Vec<Service> {
    let mut out: Vec<Service> = Vec::new();
    loop {
        let after = out.last().map(|s| s.id);
        let batch = store
            .services_after(after, page, &all())
            .await
            .expect("a page of services");
        if batch.is_empty() {
            return out;
        }
        out.extend(batch);
    }
}

/// The services in id order, the order the store pages in.
fn sorted(services: &[Service]) -> Vec<Service> {
    let mut services = services.to_vec();
    services.sort_by_key(|s| s.id);
    services
}

pub async fn a_rich_service_reads_back_equal(store: &dyn Store) {
    let service = rich_service(3);
    assert!(
        knit_domain::validation::check_service(&service).is_empty(),
        "the fixture is valid"
    );
    let summary = store
        .put_services(std::slice::from_ref(&service))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 1,
            updated: 0
        }
    );

    assert_eq!(
        store.service(service.id).await.unwrap(),
        Some(service.clone())
    );
    assert_eq!(
        store.services_by_id(&[service.id]).await.unwrap(),
        vec![service.clone()]
    );
    assert_eq!(
        store.services_after(None, 10, &all()).await.unwrap(),
        vec![service.clone()]
    );
    assert_eq!(
        store.organization(service.organization_id).await.unwrap(),
        service.organization
    );
    assert_eq!(store.service(Uuid::new_v4()).await.unwrap(), None);

    // A service that carries nothing nested keeps carrying nothing.
    let mut bare = rich_service(4);
    bare.organization = None;
    bare.organization_id = Uuid::new_v4();
    for sal in &mut bare.service_at_locations {
        sal.location = None;
    }
    for attribute in &mut bare.attributes {
        attribute.taxonomy_term = None;
    }
    store
        .put_services(std::slice::from_ref(&bare))
        .await
        .unwrap();
    assert_eq!(store.service(bare.id).await.unwrap(), Some(bare.clone()));
    assert_eq!(
        store.organization(bare.organization_id).await.unwrap(),
        None
    );

    // Empty lists and absent fields read back absent, not empty.
    let mut plain = Service {
        id: id(5, "plain"),
        ..rich_service(5)
    };
    plain.alternate_name = None;
    plain.minimum_age = None;
    plain.last_modified = None;
    plain.phones.clear();
    plain.schedules.clear();
    plain.service_areas.clear();
    plain.service_at_locations.clear();
    plain.languages.clear();
    plain.cost_options.clear();
    plain.contacts.clear();
    plain.attributes.clear();
    plain.organization = None;
    store
        .put_services(std::slice::from_ref(&plain))
        .await
        .unwrap();
    assert_eq!(store.service(plain.id).await.unwrap(), Some(plain));
}

pub async fn replacing_a_service_replaces_its_lists(store: &dyn Store) {
    let first = rich_service(8);
    store
        .put_services(std::slice::from_ref(&first))
        .await
        .unwrap();

    let mut changed = first.clone();
    changed.name = "Warm Welcome Café (moved to Thursdays)".into();
    changed.phones.truncate(1);
    changed.phones[0].number = "01632 960999".into();
    changed.schedules.reverse();
    changed.schedules[0].byday = Some("TH".into());
    changed.languages.pop();
    changed.contacts[0].phones.clear();
    changed.attributes.retain(|a| a.taxonomy_term.is_none());
    changed.last_modified = Some(fixtures::modified(8) + Duration::days(30));
    tidy(&mut changed);
    let summary = store
        .put_services(std::slice::from_ref(&changed))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 0,
            updated: 1
        }
    );

    // Equal means nothing old was left beside the new: no list grew or kept a stale row.
    assert_eq!(
        store.service(first.id).await.unwrap(),
        Some(changed.clone())
    );
    assert_eq!(store.count_services(&all()).await.unwrap(), 1);

    // A child id may move to another service within one import.
    let mut neighbour = rich_service(9);
    let moved = changed.phones.remove(0);
    neighbour.phones.push(moved);
    store
        .put_services(&[neighbour.clone(), changed.clone()])
        .await
        .unwrap();
    assert_eq!(
        store
            .services_by_id(&[changed.id, neighbour.id])
            .await
            .unwrap(),
        vec![changed, neighbour]
    );
}

pub async fn importing_the_same_services_twice_adds_nothing(store: &dyn Store) {
    let services = town(100, 40);
    let first = store.put_services(&services).await.unwrap();
    assert_eq!(
        first,
        ImportSummary {
            added: 40,
            updated: 0
        }
    );
    let again = store.put_services(&services).await.unwrap();
    assert_eq!(
        again,
        ImportSummary {
            added: 0,
            updated: 40
        }
    );
    assert_eq!(store.count_services(&all()).await.unwrap(), 40);
    assert_eq!(everything(store, 7).await, sorted(&services));

    // The same id twice in one file counts once, and the later copy wins.
    let mut later = services[0].clone();
    later.name = "Renamed".into();
    let summary = store
        .put_services(&[services[0].clone(), later.clone()])
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 0,
            updated: 1
        }
    );
    assert_eq!(store.service(later.id).await.unwrap(), Some(later));
}

pub async fn a_failed_import_leaves_the_store_as_it_was(store: &dyn Store) {
    let before = town(200, 6);
    store.put_services(&before).await.unwrap();
    let reports_before = store.problem_reports().await.unwrap();

    // A good change, a new service, and a service whose phone reuses another's id: the
    // database refuses the last, and so nothing of the batch may stay.
    let mut renamed = before[0].clone();
    renamed.name = "Should not be stored".into();
    renamed.phones.clear();
    let newcomer = rich_service(300);
    let mut clash = rich_service(301);
    clash.phones[0].id = before[1].phones[0].id;
    let result = store
        .put_services(&[renamed, newcomer.clone(), clash.clone()])
        .await;
    assert!(
        result.is_err(),
        "a duplicate phone id is refused, got {result:?}"
    );

    assert_eq!(everything(store, 4).await, sorted(&before));
    assert_eq!(store.service(newcomer.id).await.unwrap(), None);
    assert_eq!(store.service(clash.id).await.unwrap(), None);
    assert_eq!(store.count_services(&all()).await.unwrap(), 6);
    assert_eq!(
        store.count_organizations().await.unwrap(),
        3,
        "no organisation of the batch stayed"
    );
    assert_eq!(store.problem_reports().await.unwrap(), reports_before);

    // And the store still takes the good part afterwards.
    store
        .put_services(std::slice::from_ref(&newcomer))
        .await
        .unwrap();
    assert_eq!(store.service(newcomer.id).await.unwrap(), Some(newcomer));
}

pub async fn an_import_in_batches_is_kept_only_when_committed(store: &dyn Store) {
    let before = town(400, 4);
    store.put_services(&before).await.unwrap();
    let last_change = store.last_directory_change().await.unwrap();

    // Batches put and then abandoned, as when a bad record turns up further on.
    let mut renamed = before[0].clone();
    renamed.name = "Should not be stored".into();
    let abandoned = town(500, 6);
    let mut import = store.begin_import().await.unwrap();
    import.put(&abandoned[..3]).await.unwrap();
    import.put(&[renamed]).await.unwrap();
    import.put(&abandoned[3..]).await.unwrap();
    drop(import);
    assert_eq!(everything(store, 3).await, sorted(&before));
    assert_eq!(store.last_directory_change().await.unwrap(), last_change);

    // A batch the database refuses (a phone id another stored service has) ends the import
    // with nothing of the earlier batches kept.
    let mut import = store.begin_import().await.unwrap();
    import.put(&abandoned[..3]).await.unwrap();
    let mut clash = rich_service(520);
    clash.phones[0].id = before[1].phones[0].id;
    assert!(import.put(&[clash]).await.is_err());
    drop(import);
    assert_eq!(everything(store, 3).await, sorted(&before));

    // Committed, every batch is kept, and the summary counts the whole import.
    let mut changed = before[2].clone();
    changed.name = "Renamed in the second batch".into();
    let mut import = store.begin_import().await.unwrap();
    import.put(&abandoned[..4]).await.unwrap();
    import
        .put(&[abandoned[4].clone(), changed.clone(), abandoned[5].clone()])
        .await
        .unwrap();
    let summary = import.commit().await.unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 6,
            updated: 1
        }
    );
    let mut expected = before.clone();
    expected[2] = changed;
    expected.extend(abandoned);
    assert_eq!(everything(store, 5).await, sorted(&expected));
    assert_eq!(
        store
            .directory_changes_after(last_change, 100)
            .await
            .unwrap()
            .len(),
        7,
        "each service written is a change for the search index to take in"
    );
}

pub async fn records_shared_by_services_are_kept_once(store: &dyn Store) {
    // Services 18 and 19 meet at location 9, belong to organisation 6 and share a term.
    let (mut a, mut b) = (rich_service(18), rich_service(19));
    assert_eq!(
        a.service_at_locations[0].location,
        b.service_at_locations[0].location
    );
    assert_eq!(a.organization, b.organization);
    let mut others = town(30, 4);
    store.put_services(&[a.clone(), b.clone()]).await.unwrap();
    store.put_services(&others).await.unwrap();
    assert_eq!(
        store.services_by_id(&[a.id, b.id]).await.unwrap(),
        vec![a.clone(), b.clone()]
    );

    // The hall gets a new name through one service's listing: both listings show it.
    let hall = b.service_at_locations[0].location.as_mut().unwrap();
    hall.name = Some("The New Hall".into());
    hall.addresses[0].address_1 = "1 Market Square".into();
    hall.accessibility.pop();
    let hall = hall.clone();
    store.put_services(std::slice::from_ref(&b)).await.unwrap();
    a.service_at_locations[0].location = Some(hall);
    assert_eq!(
        store.services_by_id(&[a.id, b.id]).await.unwrap(),
        vec![a.clone(), b.clone()]
    );

    // So does a renamed organisation, and a reworded term every service carries.
    let organization = b.organization.as_mut().unwrap();
    organization.name = "Vale Community Trust (renamed)".into();
    let organization = organization.clone();
    let shared = b
        .attributes
        .iter_mut()
        .find(|x| x.value.as_deref() == Some("yes"))
        .unwrap();
    let term = shared.taxonomy_term.as_mut().unwrap();
    term.description = "People who served in the armed forces".into();
    let term = term.clone();
    store.put_services(std::slice::from_ref(&b)).await.unwrap();
    a.organization = Some(organization.clone());
    for service in std::iter::once(&mut a).chain(others.iter_mut()) {
        for attribute in &mut service.attributes {
            if attribute.taxonomy_term_id == term.id {
                attribute.taxonomy_term = Some(term.clone());
            }
        }
    }
    assert_eq!(
        store.services_by_id(&[a.id, b.id]).await.unwrap(),
        vec![a, b]
    );
    assert_eq!(
        store.organization(organization.id).await.unwrap(),
        Some(organization)
    );
    let ids: Vec<Uuid> = others.iter().map(|s| s.id).collect();
    assert_eq!(store.services_by_id(&ids).await.unwrap(), others);

    // Two listings in one file that disagree about the hall: the later one is kept, and
    // both read back with it.
    let (mut c, mut d) = (rich_service(40), rich_service(41));
    let hall = d.service_at_locations[0].location.as_mut().unwrap();
    hall.name = Some("The Hall, as the later listing has it".into());
    let hall = hall.clone();
    let summary = store.put_services(&[c.clone(), d.clone()]).await.unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 2,
            updated: 0
        }
    );
    c.service_at_locations[0].location = Some(hall);
    assert_eq!(
        store.services_by_id(&[c.id, d.id]).await.unwrap(),
        vec![c, d.clone()]
    );
    d.name = "Keeps the hall as stored".into();
    store.put_services(std::slice::from_ref(&d)).await.unwrap();
    assert_eq!(store.service(d.id).await.unwrap(), Some(d));
}

pub async fn paging_walks_every_service_once_in_id_order(store: &dyn Store) {
    let services = town(400, 23);
    store.put_services(&services).await.unwrap();
    for page in [1, 5, 23, 100] {
        let walked = everything(store, page).await;
        let ids: Vec<Uuid> = walked.iter().map(|s| s.id).collect();
        let mut expected: Vec<Uuid> = services.iter().map(|s| s.id).collect();
        expected.sort();
        assert_eq!(ids, expected, "pages of {page}");
    }
    assert!(
        store
            .services_after(None, 0, &all())
            .await
            .unwrap()
            .is_empty()
    );
    let last = services.iter().map(|s| s.id).max().unwrap();
    assert!(
        store
            .services_after(Some(last), 10, &all())
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn services_by_id_keep_the_order_asked_for(store: &dyn Store) {
    let services = town(500, 5);
    store.put_services(&services).await.unwrap();
    let ask = [
        services[3].id,
        Uuid::new_v4(),
        services[0].id,
        services[4].id,
        services[0].id,
    ];
    let found = store.services_by_id(&ask).await.unwrap();
    let expected = vec![
        services[3].clone(),
        services[0].clone(),
        services[4].clone(),
        services[0].clone(),
    ];
    assert_eq!(found, expected);
    assert!(store.services_by_id(&[]).await.unwrap().is_empty());
}

pub async fn filters_and_counts_agree(store: &dyn Store) {
    // Services 600..612 belong to organisations 200, 201, 202 and 203, three each.
    let services = town(600, 12);
    store.put_services(&services).await.unwrap();
    assert_eq!(store.count_services(&all()).await.unwrap(), 12);
    assert_eq!(store.count_organizations().await.unwrap(), 4);

    let organization_id = services[4].organization_id;
    let of_org = ServiceFilter {
        organization_id: Some(organization_id),
        ..all()
    };
    let expected: Vec<Uuid> = sorted(&services)
        .iter()
        .filter(|s| s.organization_id == organization_id)
        .map(|s| s.id)
        .collect();
    let got: Vec<Uuid> = store
        .services_after(None, 100, &of_org)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(got, expected);
    assert_eq!(store.count_services(&of_org).await.unwrap(), 3);

    // Modified after service 605's time: 606..611.
    let recent = ServiceFilter {
        modified_after: Some(fixtures::modified(605)),
        ..all()
    };
    let expected: Vec<Uuid> = sorted(&services)
        .iter()
        .filter(|s| s.last_modified > Some(fixtures::modified(605)))
        .map(|s| s.id)
        .collect();
    assert_eq!(expected.len(), 6);
    let got: Vec<Uuid> = store
        .services_after(None, 100, &recent)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(got, expected);
    assert_eq!(store.count_services(&recent).await.unwrap(), 6);

    // Both at once, paged one at a time.
    let both = ServiceFilter {
        organization_id: Some(organization_id),
        modified_after: Some(fixtures::modified(605)),
    };
    let mut paged = Vec::new();
    while let Some(next) = store
        .services_after(paged.last().copied(), 1, &both)
        .await
        .unwrap()
        .first()
    {
        paged.push(next.id);
    }
    let expected: Vec<Uuid> = sorted(&services)
        .iter()
        .filter(|s| {
            s.organization_id == organization_id && s.last_modified > Some(fixtures::modified(605))
        })
        .map(|s| s.id)
        .collect();
    assert_eq!(paged, expected);
    assert_eq!(
        store.count_services(&both).await.unwrap(),
        expected.len() as u64
    );
}

pub async fn deleting_a_service_takes_its_lists_with_it(store: &dyn Store) {
    let services = town(700, 3);
    store.put_services(&services).await.unwrap();
    assert!(store.delete_service(services[1].id).await.unwrap());
    assert!(
        !store.delete_service(services[1].id).await.unwrap(),
        "already gone"
    );
    assert_eq!(store.service(services[1].id).await.unwrap(), None);
    assert_eq!(store.count_services(&all()).await.unwrap(), 2);
    // Its child ids are free again: had its rows stayed, their unique ids would clash.
    let summary = store
        .put_services(std::slice::from_ref(&services[1]))
        .await
        .unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 1,
            updated: 0
        }
    );
    assert_eq!(everything(store, 10).await, sorted(&services));
}

pub async fn organisations_page_in_name_order(store: &dyn Store) {
    let mut services = town(0, 9); // organisations 0, 1 and 2
    services[0].organization.as_mut().unwrap().name = "zebra Crossing Patrol".into();
    services[3].organization.as_mut().unwrap().name = "Age UK Elmbridge".into();
    services[6].organization.as_mut().unwrap().name = "beacon Advice".into();
    // The last copy of each organisation in the batch is kept.
    for i in [1, 2] {
        services[i].organization = services[0].organization.clone();
    }
    for i in [4, 5] {
        services[i].organization = services[3].organization.clone();
    }
    for i in [7, 8] {
        services[i].organization = services[6].organization.clone();
    }
    store.put_services(&services).await.unwrap();
    let names: Vec<String> = store
        .organizations(0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(
        names,
        ["Age UK Elmbridge", "beacon Advice", "zebra Crossing Patrol"]
    );
    let second: Vec<String> = store
        .organizations(1, 1)
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(second, ["beacon Advice"]);
    assert!(store.organizations(3, 10).await.unwrap().is_empty());
    assert_eq!(store.count_organizations().await.unwrap(), 3);
}

fn point(code: &str, lat: f64, lon: f64) -> PostcodePoint {
    PostcodePoint {
        postcode: Postcode::parse(code).unwrap(),
        position: LatLon::new(lat, lon).unwrap(),
    }
}

pub async fn postcodes_are_found_full_sector_or_district(store: &dyn Store) {
    let written = store
        .put_postcodes(&[
            point("EV1 1PS", 53.3024, -2.3757),
            point("EV1 1", 53.3010, -2.3700),
            point("EV1", 53.3000, -2.3720),
            point("EV2", 53.2500, -2.4000),
        ])
        .await
        .unwrap();
    assert_eq!(written, 4);
    let at = |code: &str| Postcode::parse(code).unwrap();
    assert_eq!(
        store.postcode(&at("ev1 1ps")).await.unwrap(),
        Some(LatLon {
            lat: 53.3024,
            lon: -2.3757
        })
    );
    assert_eq!(
        store.postcode(&at("EV1 1")).await.unwrap(),
        Some(LatLon {
            lat: 53.3010,
            lon: -2.3700
        })
    );
    assert_eq!(
        store.postcode(&at("EV1")).await.unwrap(),
        Some(LatLon {
            lat: 53.3000,
            lon: -2.3720
        })
    );

    // A postcode not on file is found through its sector, then its district.
    let unknown = at("EV1 9ZZ");
    assert_eq!(store.postcode(&unknown).await.unwrap(), None);
    let mut found = None;
    for coarser in unknown.fallbacks() {
        if let Some(position) = store.postcode(&coarser).await.unwrap() {
            found = Some((coarser, position));
            break;
        }
    }
    // No sector EV1 9 is on file, so the district answers.
    assert_eq!(
        found,
        Some((
            Postcode::District("EV1".into()),
            LatLon {
                lat: 53.3000,
                lon: -2.3720
            }
        ))
    );
    let via_sector = at("EV1 1ZZ").fallbacks();
    assert_eq!(
        store.postcode(&via_sector[0]).await.unwrap(),
        Some(LatLon {
            lat: 53.3010,
            lon: -2.3700
        })
    );

    // A newer file moves a postcode; loading it again replaces, never duplicates.
    let written = store
        .put_postcodes(&[
            point("EV1 1PS", 53.31, -2.38),
            point("EV1 1PS", 53.32, -2.39),
        ])
        .await
        .unwrap();
    assert_eq!(written, 1);
    assert_eq!(
        store.postcode(&at("EV1 1PS")).await.unwrap(),
        Some(LatLon {
            lat: 53.32,
            lon: -2.39
        })
    );
}

pub async fn places_are_found_whatever_the_case(store: &dyn Store) {
    let vale = Place {
        name: "Elmbridge Vale".into(),
        position: LatLon::new(53.303, -2.372).unwrap(),
    };
    let ashby = Place {
        name: "Ashby-under-Lyme".into(),
        position: LatLon::new(53.35, -2.30).unwrap(),
    };
    store
        .put_places(&[vale.clone(), ashby.clone()])
        .await
        .unwrap();
    assert_eq!(
        store.place("elmbridge vale").await.unwrap(),
        Some(vale.clone())
    );
    assert_eq!(store.place("  ELMBRIDGE VALE ").await.unwrap(), Some(vale));
    assert_eq!(store.place("ashby-UNDER-lyme").await.unwrap(), Some(ashby));
    assert_eq!(store.place("Atlantis").await.unwrap(), None);

    // A place given again, in other letters, replaces the first.
    let renamed = Place {
        name: "ELMBRIDGE VALE".into(),
        position: LatLon::new(53.304, -2.371).unwrap(),
    };
    store
        .put_places(std::slice::from_ref(&renamed))
        .await
        .unwrap();
    assert_eq!(store.place("Elmbridge Vale").await.unwrap(), Some(renamed));
}

pub async fn problems_reported_reach_the_place_leads(store: &dyn Store) {
    let service = rich_service(800);
    store
        .put_services(std::slice::from_ref(&service))
        .await
        .unwrap();
    let first = store
        .report_problem(service.id, "The café moved to the library in May.")
        .await
        .unwrap();
    let second = store
        .report_problem(service.id, "Phone number rings out.")
        .await
        .unwrap();
    assert!(!first.resolved);
    assert_eq!(first.service_id, service.id);
    assert_eq!(
        store.problem_reports().await.unwrap(),
        vec![first.clone(), second.clone()]
    );

    assert!(store.resolve_problem(first.id).await.unwrap());
    assert!(!store.resolve_problem(Uuid::new_v4()).await.unwrap());
    let reports = store.problem_reports().await.unwrap();
    assert!(reports[0].resolved && !reports[1].resolved);

    let nowhere = store.report_problem(Uuid::new_v4(), "No such page").await;
    assert!(
        matches!(nowhere, Err(StoreError::NotFound("service"))),
        "{nowhere:?}"
    );
    assert_eq!(store.problem_reports().await.unwrap().len(), 2);

    // Reports outlive the listing, so the place lead still sees what was said.
    store.delete_service(service.id).await.unwrap();
    assert_eq!(store.problem_reports().await.unwrap().len(), 2);
}

pub async fn elmbridge_reads_back_as_imported(store: &dyn Store) {
    let Some(shared) = crate::shared_folder() else {
        return;
    };
    let text = std::fs::read_to_string(shared.join("data/elmbridge/services.json"))
        .expect("services.json reads");
    let mut services: Vec<Service> =
        serde_json::from_str(&text).expect("services.json is a list of services");
    for service in &mut services {
        tidy(service);
    }
    assert_eq!(services.len(), 159);
    let summary = store.put_services(&services).await.unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 159,
            updated: 0
        }
    );
    assert_eq!(everything(store, 50).await, sorted(&services));
    let summary = store.put_services(&services).await.unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            added: 0,
            updated: 159
        }
    );
    assert_eq!(everything(store, 1000).await, sorted(&services));
}
