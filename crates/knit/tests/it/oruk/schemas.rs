//! The ORUK 3.0 response schemas, compiled once from `oruk-3.0/openapi.local.json`.
//!
//! The OpenAPI document points at its schemas with relative refs ("schema/compiled/…"), which
//! a validator cannot resolve without a base. We rewrite them to a fake base and serve that
//! base from the folder through a `Retrieve` impl, so nothing is fetched over the network.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;

const FAKE_BASE: &str = "https://oruk.local/";

/// One response body kind the checker validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Body {
    ApiDetails,
    ServiceList,
    Service,
    TaxonomyList,
    Taxonomy,
    TaxonomyTermList,
    TaxonomyTerm,
    ServiceAtLocationList,
    ServiceAtLocation,
    OrganizationList,
    Organization,
}

pub struct OrukSchemas {
    validators: HashMap<Body, Validator>,
}

impl OrukSchemas {
    /// Compiles every schema the checker needs from `oruk_dir` (the `oruk-3.0` folder).
    pub fn load(oruk_dir: &Path) -> Result<Self, String> {
        let openapi_path = oruk_dir.join("openapi.local.json");
        let openapi = read_json(&openapi_path)?;
        let page = openapi
            .pointer("/components/schemas/Page")
            .cloned()
            .ok_or("openapi.local.json has no components/schemas/Page")?;
        let response_schema = |path: &str| -> Result<Value, String> {
            let pointer = format!(
                "/paths/{}/get/responses/200/content/application~1json/schema",
                path.replace('~', "~0").replace('/', "~1")
            );
            openapi
                .pointer(&pointer)
                .cloned()
                .ok_or_else(|| format!("openapi.local.json has no 200 schema for {path}"))
        };
        // Organizations are HSDS 3.0 superset endpoints, absent from the ORUK OpenAPI; the
        // profile still ships their compiled schemas, so they get the same Page wrapping.
        let paged = |item_ref: &str| {
            serde_json::json!({
                "properties": {"contents": {"type": "array", "items": {"$ref": item_ref}}},
                "allOf": [{"$ref": "#/components/schemas/Page"}]
            })
        };
        let sources = [
            (Body::ApiDetails, response_schema("/")?),
            (Body::ServiceList, response_schema("/services")?),
            (Body::Service, response_schema("/services/{id}")?),
            (Body::TaxonomyList, response_schema("/taxonomies")?),
            (Body::Taxonomy, response_schema("/taxonomies/{id}")?),
            (Body::TaxonomyTermList, response_schema("/taxonomy_terms")?),
            (Body::TaxonomyTerm, response_schema("/taxonomy_terms/{id}")?),
            (
                Body::ServiceAtLocationList,
                response_schema("/service_at_locations")?,
            ),
            // The ORUK OpenAPI maps /service_at_locations/{id} to compiled/service.json, an
            // upstream slip (HSDS and the validator's own profile use service_at_location).
            (
                Body::ServiceAtLocation,
                serde_json::json!({"$ref": "schema/compiled/service_at_location.json"}),
            ),
            (
                Body::OrganizationList,
                paged("schema/compiled/organization_list.json"),
            ),
            (
                Body::Organization,
                serde_json::json!({"$ref": "schema/compiled/organization.json"}),
            ),
        ];
        let mut validators = HashMap::new();
        for (body, mut schema) in sources {
            rewrite_refs(&mut schema, &page);
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .with_retriever(LocalDir(oruk_dir.to_path_buf()))
                .build(&schema)
                .map_err(|e| format!("schema for {body:?} does not compile: {e}"))?;
            validators.insert(body, validator);
        }
        Ok(Self { validators })
    }

    /// Every way `instance` breaks the schema for `body`, each as "at <path>: <reason>".
    pub fn errors(&self, body: Body, instance: &Value) -> Vec<String> {
        self.validators[&body]
            .iter_errors(instance)
            .map(|e| format!("schema: at '{}': {e}", e.instance_path()))
            .collect()
    }
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Points "schema/…" refs at the fake base and inlines the `Page` component, which lives in
/// the OpenAPI document rather than in a schema file the retriever could serve.
fn rewrite_refs(value: &mut Value, page: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                if target == "#/components/schemas/Page" {
                    *value = page.clone();
                    return;
                }
                if target.starts_with("schema/") {
                    let absolute = format!("{FAKE_BASE}{target}");
                    map.insert("$ref".into(), Value::String(absolute));
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, page);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite_refs(item, page)),
        _ => {}
    }
}

/// Serves `https://oruk.local/<path>` from `<oruk-3.0 folder>/<path>`.
struct LocalDir(PathBuf);

impl Retrieve for LocalDir {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let relative = uri
            .as_str()
            .strip_prefix(FAKE_BASE)
            .ok_or_else(|| format!("refusing to fetch {uri}: only {FAKE_BASE} is local"))?;
        Ok(read_json(&self.0.join(relative))?)
    }
}
