//! A write made elsewhere — an import from the command line, another server on the same
//! PostgreSQL — reaches every running server's search.

use crate::support::{Backend, TestApp, backends};

async fn an_import_elsewhere_reaches_search(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut service = knit::demo::directory().remove(0);
    service.id = uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        b"https://knit.example/test/clock-menders",
    );
    service.name = "Clock menders' repair café".to_owned();
    for sal in &mut service.service_at_locations {
        sal.id = uuid::Uuid::new_v5(&service.id, sal.id.as_bytes());
    }
    for list in [&mut service.phones] {
        for phone in list.iter_mut() {
            phone.id = uuid::Uuid::new_v5(&service.id, phone.id.as_bytes());
        }
    }
    for schedule in &mut service.schedules {
        schedule.id = uuid::Uuid::new_v5(&service.id, schedule.id.as_bytes());
    }
    for attribute in &mut service.attributes {
        attribute.id = uuid::Uuid::new_v5(&service.id, attribute.id.as_bytes());
    }
    for item in &mut service.languages {
        item.id = uuid::Uuid::new_v5(&service.id, item.id.as_bytes());
    }
    for item in &mut service.cost_options {
        item.id = uuid::Uuid::new_v5(&service.id, item.id.as_bytes());
    }
    for item in &mut service.service_areas {
        item.id = uuid::Uuid::new_v5(&service.id, item.id.as_bytes());
    }
    for item in &mut service.contacts {
        item.id = uuid::Uuid::new_v5(&service.id, item.id.as_bytes());
    }

    let (_, before) = app.get_text("/search?q=clock+menders").await;
    assert!(!before.contains("Clock menders"), "not there yet");

    // Written straight to the database, as `knit import` in another process would.
    app.store()
        .put_services(std::slice::from_ref(&service))
        .await
        .unwrap();
    let taken_in = app.state.engine.catch_up(app.store()).await.unwrap();
    assert_eq!(taken_in, 1);
    let (_, after) = app.get_text("/search?q=clock+menders").await;
    assert!(
        after.contains("Clock menders"),
        "{backend:?}: the new service is found"
    );

    assert!(app.store().delete_service(service.id).await.unwrap());
    app.state.engine.catch_up(app.store()).await.unwrap();
    let (_, gone) = app.get_text("/search?q=clock+menders").await;
    assert!(
        !gone.contains("Clock menders"),
        "{backend:?}: a deleted service leaves search"
    );
    assert_eq!(
        app.state.engine.catch_up(app.store()).await.unwrap(),
        0,
        "nothing twice"
    );
}

#[tokio::test]
async fn an_import_elsewhere_reaches_search_on_every_backend() {
    for backend in backends() {
        an_import_elsewhere_reaches_search(backend).await;
    }
}
