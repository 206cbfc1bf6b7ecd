//! The command-line contract scripts rely on, run as a real process.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::{Backend, postgres_url, shared_dir};

fn knit(data_dir: &Path, database_url: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_knit"));
    command
        .args(args)
        .env("KNIT_DATA_DIR", data_dir)
        .env_remove("KNIT_DATABASE_URL");
    if let Some(url) = database_url {
        command.env("KNIT_DATABASE_URL", url);
    }
    command.output().expect("knit runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A database for one CLI story: a SQLite file, or a private PostgreSQL schema.
struct Database {
    url: Option<String>,
    schema: Option<(String, String)>,
}

impl Database {
    async fn new(backend: Backend) -> Database {
        match backend {
            Backend::Sqlite => Database {
                url: None,
                schema: None,
            },
            Backend::Postgres => {
                let server = postgres_url().unwrap();
                let (_, schema) = knit_store::open_postgres_isolated(&server).await.unwrap();
                let separator = if server.contains('?') { '&' } else { '?' };
                let url = format!("{server}{separator}options=-c%20search_path%3D{schema}");
                Database {
                    url: Some(url),
                    schema: Some((server, schema)),
                }
            }
        }
    }

    async fn drop(self) {
        if let Some((server, schema)) = self.schema {
            knit_store::drop_postgres_schema(&server, &schema)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn elmbridge_imports_and_a_food_bank_ranks_first() {
    let Some(shared) = shared_dir() else { return };
    let file = shared.join("data/elmbridge/services.json");
    for backend in crate::support::backends() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::new(backend).await;
        let url = db.url.as_deref();
        let import = knit(dir.path(), url, &["import", "hsds", file.to_str().unwrap()]);
        assert!(import.status.success(), "{backend:?}: {}", text(&import));
        assert!(
            text(&import).contains("159 added, 0 updated, 0 rejected"),
            "{}",
            text(&import)
        );
        let again = knit(dir.path(), url, &["import", "hsds", file.to_str().unwrap()]);
        assert!(
            text(&again).contains("0 added, 159 updated"),
            "import is idempotent by id: {}",
            text(&again)
        );

        let search = knit(dir.path(), url, &["search", "--json", "food", "bank"]);
        assert!(search.status.success(), "{}", text(&search));
        let results: serde_json::Value = serde_json::from_slice(&search.stdout).unwrap();
        let first = &results[0];
        assert!(
            first["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("food"),
            "{backend:?}: {first}"
        );
        for key in ["id", "name", "score"] {
            assert!(!first[key].is_null(), "{key} in {first}");
        }
        let near = knit(
            dir.path(),
            url,
            &[
                "search",
                "--json",
                "--near",
                "53.303,-2.372",
                "food",
                "bank",
            ],
        );
        let results: serde_json::Value = serde_json::from_slice(&near.stdout).unwrap();
        assert!(results[0]["distance_km"].is_number(), "{}", text(&near));
        db.drop().await;
    }
}

#[tokio::test]
async fn export_imports_back_identically() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.json");
    std::fs::write(
        &demo,
        knit_domain::hsds::write_services(&knit::demo::directory()),
    )
    .unwrap();
    assert!(
        knit(
            dir.path(),
            None,
            &["import", "hsds", demo.to_str().unwrap()]
        )
        .status
        .success()
    );
    let exported = dir.path().join("export.json");
    let out = knit(
        dir.path(),
        None,
        &["export", "hsds", exported.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let reimport = knit(
        other.path(),
        None,
        &["import", "hsds", exported.to_str().unwrap()],
    );
    assert!(reimport.status.success(), "{}", text(&reimport));
    let again = other.path().join("again.json");
    assert!(
        knit(
            other.path(),
            None,
            &["export", "hsds", again.to_str().unwrap()]
        )
        .status
        .success()
    );
    assert_eq!(
        std::fs::read_to_string(&exported).unwrap(),
        std::fs::read_to_string(&again).unwrap()
    );
}

#[test]
fn a_bad_file_is_refused_whole_and_the_database_kept() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.json");
    let services = knit::demo::directory();
    std::fs::write(&good, knit_domain::hsds::write_services(&services[..3])).unwrap();
    assert!(
        knit(
            dir.path(),
            None,
            &["import", "hsds", good.to_str().unwrap()]
        )
        .status
        .success()
    );
    // The import folds SQLite's log into the database file before it ends, so the next
    // start has no log to read through (a nation's import left 8.5 GB of one).
    let log = std::fs::metadata(dir.path().join("knit.sqlite-wal")).map_or(0, |m| m.len());
    assert_eq!(log, 0, "the write-ahead log is empty");
    let file = std::fs::metadata(dir.path().join("knit.sqlite"))
        .unwrap()
        .len();
    assert!(
        file > 4096,
        "the services are in the file itself: {file} bytes"
    );

    let mut broken: serde_json::Value = serde_json::to_value(&services[3..6]).unwrap();
    broken[1]["schedules"] = serde_json::json!([{"id": "not-a-uuid"}]);
    broken[2]["name"] = serde_json::json!("");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, broken.to_string()).unwrap();
    let out = knit(dir.path(), None, &["import", "hsds", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("$[1].schedules[0].id"), "{said}");
    assert!(said.contains("$[2].name"), "{said}");
    assert!(said.contains("nothing was imported"), "{said}");

    let export = knit(dir.path(), None, &["export", "hsds"]);
    let kept: Vec<serde_json::Value> = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(kept.len(), 3, "the database is as it was");

    for (args, says) in [
        (
            vec!["import", "hsds", "/nonexistent.json"],
            "could not read",
        ),
        (
            vec!["import", "postcodes", "/nonexistent.csv"],
            "could not open",
        ),
        (
            vec!["search", "--near", "ZZ99 9ZZ", "food"],
            "We don't know the postcode",
        ),
        (vec!["match"], "give some text"),
    ] {
        let out = knit(dir.path(), None, &args);
        assert!(!out.status.success(), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.starts_with("knit: ") && said.contains(says),
            "{args:?}: {said}"
        );
        assert_eq!(said.trim_end().lines().count(), 1, "one line: {said}");
    }
}

#[test]
fn postcodes_import_and_partial_postcodes_fall_back() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("postcodes.csv");
    std::fs::write(&csv, "postcode,latitude,longitude\nKF9 1AA,51.30,-1.90\nKF9 1AB,51.32,-1.92\nKF9 2AA,51.40,-2.00\n").unwrap();
    let out = knit(
        dir.path(),
        None,
        &["import", "postcodes", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Imported 6 postcodes"),
        "3 postcodes, 2 sectors, 1 district: {}",
        text(&out)
    );
    let demo = dir.path().join("demo.json");
    std::fs::write(
        &demo,
        knit_domain::hsds::write_services(&knit::demo::directory()),
    )
    .unwrap();
    assert!(
        knit(
            dir.path(),
            None,
            &["import", "hsds", demo.to_str().unwrap()]
        )
        .status
        .success()
    );
    for near in ["KF9 1AA", "KF9 1", "KF9", "KF9 1ZZ"] {
        let out = knit(
            dir.path(),
            None,
            &["search", "--json", "--near", near, "food"],
        );
        assert!(out.status.success(), "{near}: {}", text(&out));
    }
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "postcode,latitude,longitude\nKF9 1AA,51.3,-1.9\nNOPE,1,2\n",
    )
    .unwrap();
    let out = knit(
        dir.path(),
        None,
        &["import", "postcodes", bad.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("line 3"), "{}", text(&out));
}

#[test]
fn match_speaks_the_jsonl_contract() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_knit"))
        .args(["match", "--jsonl"])
        .env("KNIT_DATA_DIR", dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\": \"a\", \"text\": \"the bailiffs are at the door\"}\n{\"id\": \"b\", \"text\": \"\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["needs"][0]["id"], "debt");
    assert!(
        lines[0]["needs"][0]["because"]
            .as_array()
            .is_some_and(|b| !b.is_empty())
    );
    assert_eq!(lines[1]["needs"], serde_json::json!([]));
}

#[test]
fn eval_needs_prints_the_figures_the_tables_and_the_worst_misses() {
    let dir = tempfile::tempdir().unwrap();
    let examples = dir.path().join("examples.jsonl");
    std::fs::write(
        &examples,
        "{\"id\": \"hit\", \"text\": \"the bailiffs are at the door\", \"needs\": [\"debt\"]}\n\
         {\"id\": \"missed\", \"text\": \"hello there\", \"needs\": [\"food\"]}\n",
    )
    .unwrap();
    let out = knit(
        dir.path(),
        None,
        &["eval", "needs", examples.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("2 examples: precision 1.000, recall 0.500, F1 0.667"),
        "{said}"
    );
    let row = |name: &str| {
        said.lines()
            .find(|l| l.split_whitespace().next() == Some(name))
    };
    let money = row("money").expect("a row for the money domain");
    assert_eq!(
        money.split_whitespace().collect::<Vec<_>>()[1..4],
        ["2", "1", "1"],
        "labelled, shown, hits: {money}"
    );
    assert!(row("debt").is_some_and(|r| r.ends_with("1.000")), "{said}");
    assert!(row("food").is_some_and(|r| r.ends_with("0.000")), "{said}");
    assert!(said.contains("needs below F1 0.6: food 0.00"), "{said}");
    assert!(
        said.contains("worst misses (1 of 1):\n  missed: expected [food], shown []"),
        "{said}"
    );

    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\": \"x\", \"text\": \"y\", \"needs\": [\"cake\"]}\n",
    )
    .unwrap();
    let out = knit(dir.path(), None, &["eval", "needs", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("line 1"), "{said}");
    assert_eq!(said.trim_end().lines().count(), 1, "one line: {said}");
}

#[tokio::test]
async fn the_first_place_lead_is_added_and_the_audit_log_catches_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let add = knit(
        dir.path(),
        None,
        &[
            "user",
            "add",
            "--email",
            "Lead@Kestleford.example",
            "--role",
            "place-lead",
        ],
    );
    assert!(add.status.success(), "{}", text(&add));
    let said = text(&add);
    assert!(
        said.contains("/staff/invitations/"),
        "a one-time set-up link: {said}"
    );
    let again = knit(
        dir.path(),
        None,
        &[
            "user",
            "add",
            "--email",
            "lead@kestleford.example",
            "--role",
            "coordinator",
        ],
    );
    assert!(!again.status.success());
    assert!(text(&again).contains("already has an account"));
    let bad_role = knit(
        dir.path(),
        None,
        &["user", "add", "--email", "x@y.example", "--role", "boss"],
    );
    assert!(!bad_role.status.success());
    let no_org = knit(
        dir.path(),
        None,
        &[
            "user",
            "add",
            "--email",
            "x@y.example",
            "--role",
            "partner-staff",
        ],
    );
    assert!(
        !no_org.status.success(),
        "partner staff belong to an organisation: {}",
        text(&no_org)
    );

    let list = knit(dir.path(), None, &["user", "list"]);
    assert!(
        text(&list).contains("lead@kestleford.example"),
        "{}",
        text(&list)
    );
    let suspend = knit(
        dir.path(),
        None,
        &["user", "suspend", "lead@kestleford.example"],
    );
    assert!(suspend.status.success(), "{}", text(&suspend));
    assert!(text(&knit(dir.path(), None, &["user", "list"])).contains("suspended"));

    let verify = knit(dir.path(), None, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        text(&verify).contains("intact: 2 events"),
        "{}",
        text(&verify)
    );

    // Someone with the database file edits an event behind Knit's back.
    let file = dir.path().join("knit.sqlite");
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!(
        "sqlite://{}",
        file.display()
    ))
    .await
    .unwrap();
    for statement in [
        "DROP TRIGGER audit_events_refuse_update",
        "UPDATE audit_events SET address = '203.0.113.9' WHERE seq = 1",
    ] {
        sqlx::query(statement).execute(&mut db).await.unwrap();
    }
    drop(db);
    let verify = knit(dir.path(), None, &["audit", "verify"]);
    assert!(!verify.status.success());
    assert!(
        text(&verify).contains("event 1"),
        "names the first broken link: {}",
        text(&verify)
    );
}

/// A person's record exported at the command line, then every sealed value moved to a new
/// key: the export reads the same afterwards, and the old key opens nothing.
async fn export_and_rotate(backend: Backend) {
    use knit_domain::casework::{ConsentMethod, PersonDetails, SafeContact};
    use knit_store::casework::{NewCase, Stamp};
    use knit_store::sealing::KeyRing;

    let dir = tempfile::tempdir().unwrap();
    let db = Database::new(backend).await;
    let url = db.url.clone();
    let migrate = knit(dir.path(), url.as_deref(), &["migrate"]);
    assert!(migrate.status.success(), "{}", text(&migrate));

    // A coordinator's case, written with the keys the command line will use.
    let key_file = dir.path().join("knit.key");
    let store_url = url
        .clone()
        .unwrap_or_else(|| dir.path().join("knit.sqlite").display().to_string());
    let store = knit_store::open(&store_url).await.unwrap();
    store.use_keys(std::sync::Arc::new(
        KeyRing::load_or_create(&key_file).unwrap(),
    ));
    let person = store
        .open_case(NewCase {
            from_intake: None,
            details: PersonDetails {
                name: "Nell Ashdown".to_owned(),
                phone: "07700 900777".to_owned(),
                safe_contact: SafeContact {
                    safe_to_text: true,
                    ..SafeContact::default()
                },
                ..PersonDetails::default()
            },
            coordinator: knit_domain::account::UserId(uuid::Uuid::now_v7()),
            record_consent: ConsentMethod::Written,
            stamp: Stamp {
                by: None,
                role: None,
                at: chrono::Utc::now(),
                address: None,
            },
        })
        .await
        .unwrap();
    // A member of staff's two-factor secret, sealed under the same key.
    let staff = store
        .create_user(knit_store::accounts::NewUser {
            name: "Ravi Kumar".to_owned(),
            email: knit_domain::account::Email::parse("ravi@example.org").unwrap(),
            status: knit_domain::account::UserStatus::Active,
            password_hash: None,
            memberships: vec![knit_domain::account::Membership::coordinator()],
            at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    let secret = knit_domain::totp::TotpSecret::from_random_bytes([5; 20]);
    store.set_totp_secret(staff.id, &secret).await.unwrap();
    let old_keys = std::fs::read_to_string(&key_file).unwrap();

    let id = person.0.to_string();
    let export = knit(dir.path(), url.as_deref(), &["person", "export", &id]);
    assert!(export.status.success(), "{}", text(&export));
    let json: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(json["details"]["name"], "Nell Ashdown");
    assert_eq!(json["consents"].as_array().unwrap().len(), 1);
    let unknown = knit(
        dir.path(),
        url.as_deref(),
        &["person", "export", "00000000-0000-0000-0000-000000000000"],
    );
    assert!(!unknown.status.success());
    assert!(text(&unknown).contains("no person with the reference"));
    let exports = store
        .audit_events(
            0,
            100,
            &knit_store::accounts::AuditFilter {
                action: Some("export_person".to_owned()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(exports.len(), 1, "the export is in the audit log");

    let rotate = knit(dir.path(), url.as_deref(), &["keys", "rotate"]);
    assert!(rotate.status.success(), "{}", text(&rotate));
    assert!(text(&rotate).contains("Resealed"), "{}", text(&rotate));
    let new_keys = std::fs::read_to_string(&key_file).unwrap();
    assert_ne!(new_keys, old_keys);
    let after = knit(dir.path(), url.as_deref(), &["person", "export", &id]);
    assert!(after.status.success(), "{}", text(&after));
    let json_after: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(json_after["details"], json["details"]);

    // The new key opens the resealed two-factor secret.
    store.use_keys(std::sync::Arc::new(KeyRing::load(&key_file).unwrap()));
    assert_eq!(
        store.user(staff.id).await.unwrap().unwrap().two_factor,
        knit_store::accounts::TwoFactor::Enrolling(secret)
    );

    // The old key alone opens nothing any more.
    let old_file = dir.path().join("old.key");
    std::fs::write(&old_file, &old_keys).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&old_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    store.use_keys(std::sync::Arc::new(KeyRing::load(&old_file).unwrap()));
    assert!(store.person(person).await.is_err());

    let no_file = knit(
        dir.path(),
        url.as_deref(),
        &["--key-file", "/nonexistent/knit.key", "keys", "rotate"],
    );
    assert!(!no_file.status.success());
    assert!(text(&no_file).contains("no key file"), "{}", text(&no_file));
    db.drop().await;
}

#[tokio::test]
async fn a_record_is_exported_and_its_keys_rotated_at_the_command_line() {
    for backend in crate::support::backends() {
        export_and_rotate(backend).await;
    }
}

/// Services as JSON lines, one a line, as a feed that streams them writes them.
fn ndjson(services: &[knit_domain::Service]) -> String {
    services
        .iter()
        .map(|s| serde_json::to_string(s).unwrap() + "\n")
        .collect()
}

/// How many services the database holds, read back through `knit export hsds`.
fn exported_ids(dir: &Path, url: Option<&str>) -> Vec<String> {
    let export = knit(dir, url, &["export", "hsds"]);
    assert!(export.status.success(), "{}", text(&export));
    let kept: Vec<serde_json::Value> = serde_json::from_slice(&export.stdout).unwrap();
    kept.iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Both layouts import, large enough to span several batches of the streaming import; a
/// bad record in the middle, or one reusing a service's or a phone's id, names its path
/// and leaves the database as it was.
async fn streaming_import(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::new(backend).await;
    let url = db.url.clone();
    let services: Vec<knit_domain::Service> = knit_domain::synthetic::services(2_600, 7).collect();

    let lines = dir.path().join("services.ndjson");
    std::fs::write(&lines, ndjson(&services[..1_300])).unwrap();
    let out = knit(
        dir.path(),
        url.as_deref(),
        &["import", "hsds", lines.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("1300 added, 0 updated"),
        "{}",
        text(&out)
    );

    let array = dir.path().join("services.json");
    std::fs::write(
        &array,
        knit_domain::hsds::write_services(&services[1_000..]),
    )
    .unwrap();
    let out = knit(
        dir.path(),
        url.as_deref(),
        &["import", "hsds", array.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("1300 added, 300 updated"),
        "{}",
        text(&out)
    );
    let before = exported_ids(dir.path(), url.as_deref());
    assert_eq!(before.len(), 2_600);

    // Fresh services, so nothing about them is in the database yet; the bad ones come
    // after more than a batch of good ones has been written.
    let fresh: Vec<knit_domain::Service> = knit_domain::synthetic::services(1_500, 8).collect();
    let mut records: Vec<serde_json::Value> = fresh
        .iter()
        .map(|s| serde_json::to_value(s).unwrap())
        .collect();
    let with_phone = fresh.iter().position(|s| !s.phones.is_empty()).unwrap();
    let phone_id = fresh[with_phone].phones[0].id;
    records[1_200]["phones"] = serde_json::json!([{"id": phone_id, "number": "01632 960000"}]);
    records[1_300]["id"] = records[1_299]["id"].clone();
    records[1_400]["schedules"] = serde_json::json!([{"id": "not-a-uuid"}]);
    let bad_lines = dir.path().join("bad.ndjson");
    std::fs::write(
        &bad_lines,
        records
            .iter()
            .map(|r| r.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    let out = knit(
        dir.path(),
        url.as_deref(),
        &["import", "hsds", bad_lines.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let said = text(&out);
    assert!(
        said.contains(&format!(
            "line 1201: $.phones[0].id: {phone_id} is already the id of one in line {}",
            with_phone + 1
        )),
        "{said}"
    );
    assert!(
        said.contains("line 1301: $.id: ") && said.contains("in line 1300"),
        "{said}"
    );
    assert!(said.contains("line 1401: $.schedules[0].id"), "{said}");
    assert!(said.contains("rejected "), "{said}");
    assert!(said.contains("nothing was imported"), "{said}");
    assert!(
        !said.contains("UNIQUE") && !said.contains("duplicate key"),
        "{said}"
    );
    assert_eq!(exported_ids(dir.path(), url.as_deref()), before);

    // The same as an array, told its layout.
    let bad_array = dir.path().join("bad.json");
    std::fs::write(&bad_array, serde_json::Value::Array(records).to_string()).unwrap();
    let out = knit(
        dir.path(),
        url.as_deref(),
        &[
            "import",
            "hsds",
            "--format",
            "array",
            bad_array.to_str().unwrap(),
        ],
    );
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("$[1200].phones[0].id: "), "{said}");
    assert!(said.contains("$[1300].id: "), "{said}");
    assert!(said.contains("$[1400].schedules[0].id"), "{said}");
    assert_eq!(exported_ids(dir.path(), url.as_deref()), before);

    // Told the wrong layout, or given something that is not services: one line, non-zero.
    for (args, says) in [
        (
            vec![
                "import",
                "hsds",
                "--format",
                "array",
                lines.to_str().unwrap(),
            ],
            "array",
        ),
        (
            vec!["import", "hsds", "--format", "csv", lines.to_str().unwrap()],
            "csv",
        ),
    ] {
        let out = knit(dir.path(), url.as_deref(), &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(text(&out).contains(says), "{args:?}: {}", text(&out));
    }
    let truncated = dir.path().join("truncated.json");
    let whole = std::fs::read_to_string(&array).unwrap();
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let out = knit(
        dir.path(),
        url.as_deref(),
        &["import", "hsds", truncated.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.starts_with("knit: ") && said.contains("line "),
        "{said}"
    );
    assert_eq!(said.trim_end().lines().count(), 1, "one line: {said}");
    assert_eq!(exported_ids(dir.path(), url.as_deref()), before);
    db.drop().await;
}

#[tokio::test]
async fn hsds_streams_in_as_an_array_or_lines_and_a_bad_record_stores_nothing() {
    for backend in crate::support::backends() {
        streaming_import(backend).await;
    }
}

#[test]
fn bench_search_times_the_search_over_a_given_file() {
    let dir = tempfile::tempdir().unwrap();
    let services = dir.path().join("services.json");
    let all: Vec<knit_domain::Service> = knit_domain::synthetic::services(300, 3).collect();
    std::fs::write(&services, knit_domain::hsds::write_services(&all)).unwrap();
    let queries = dir.path().join("queries.jsonl");
    std::fs::write(
        &queries,
        "{\"query\": \"food bank\", \"near\": null}\n\n\
         {\"query\": \"debt advice\", \"near\": {\"lat\": 53.80, \"lon\": -1.55}}\n",
    )
    .unwrap();
    let (s, q) = (services.to_str().unwrap(), queries.to_str().unwrap());
    let out = knit(dir.path(), None, &["bench", "search", s, q]);
    assert!(out.status.success(), "{}", text(&out));
    let said = text(&out);
    let listed = all.iter().filter(|s| s.status.is_listed()).count();
    assert!(
        said.contains(&format!("Indexed {listed} listed services")),
        "{said}"
    );
    // Every query at least 2,000 times in all: two queries, a thousand rounds.
    assert!(said.contains("2000 searches (2 queries × 1000)"), "{said}");
    let p50: f64 = said
        .split("p50 ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let p99: f64 = said
        .split("p99 ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(p50 > 0.0 && p50 <= p99, "{said}");
    let matched: usize = said
        .split("; ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(matched > 0, "the queries find services: {said}");

    let bad_query = dir.path().join("bad.jsonl");
    std::fs::write(&bad_query, "{\"query\": \"food\"}\n{\"words\": \"food\"}\n").unwrap();
    let not_services = dir.path().join("not-services.json");
    std::fs::write(&not_services, "{\"query\": \"food\"}\n").unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "\n").unwrap();
    for (args, says) in [
        (vec![s, bad_query.to_str().unwrap()], "line 2: not a query"),
        (vec![s, empty.to_str().unwrap()], "holds no queries"),
        (
            vec![not_services.to_str().unwrap(), q],
            "not a good HSDS file",
        ),
        (vec!["/nonexistent.json", q], "could not read"),
    ] {
        let out = knit(
            dir.path(),
            None,
            &[&["bench", "search"], &args[..]].concat(),
        );
        assert!(!out.status.success(), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.starts_with("knit: ") && said.contains(says),
            "{args:?}: {said}"
        );
        assert_eq!(said.trim_end().lines().count(), 1, "one line: {said}");
    }
}
