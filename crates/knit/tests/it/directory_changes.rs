//! A write made elsewhere — an import from the command line, another server on the same
//! PostgreSQL — reaches every running server's search.

use crate::support::{Backend, TestApp, backends};

async fn an_import_elsewhere_reaches_search(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let organization = knit::demo::directory()[0].organization_id;
    let mut service: knit_domain::Service = serde_json::from_value(serde_json::json!({
        "id": "6a0c8c7e-8f0e-4b8e-9d56-3f5e2b1c0a11",
        "organization_id": organization,
        "name": "Clock menders' repair café",
        "description": "Bring a stopped clock or watch; volunteers mend it with you.",
        "status": "active"
    }))
    .unwrap();
    knit_domain::validation::tidy(&mut service);

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
