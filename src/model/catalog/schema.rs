//! JSON Schemas of the catalog's data files, generated from the types serde reads them with, so
//! an editor validates a file while someone writes it. The copies in `data/schema/` are checked
//! current by `tests/schema.rs`. Draft-07: the draft editors support best. The schemas state
//! the shape and the simple rules (owners, tiers, categories, date and URL patterns); the
//! rest (every control present, sources cited by the evidence, variants that differ) is
//! checked by `demarc catalog check` and `cargo test`.

use super::data::CONTROL_ID;
use super::{CatalogInfo, CellData, Check, ControlsFile, Service};
use crate::model::owner::Tier;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Value, json};

/// One schema file of `data/schema/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaFile {
    /// The file name in `data/schema/`: `service.schema.json`.
    pub name: &'static str,
    /// The data files it describes, relative to `data/`: `services/*.json`.
    pub describes: &'static str,
    /// The schema, pretty-printed with a trailing newline.
    pub json: String,
}

fn generator() -> SchemaGenerator {
    SchemaSettings::draft07().for_deserialize().into_generator()
}

fn root_for<T: JsonSchema>(title: &str) -> Schema {
    let mut schema = generator().into_root_schema_for::<T>();
    schema.insert("title".to_owned(), Value::from(title));
    schema
}

/// `tiers.json`: for each tier, every control's default cell. A map keyed by tier, so it is
/// written out here rather than derived.
fn tiers_schema() -> Schema {
    let mut generator = generator();
    let cell = generator.subschema_for::<CellData>();
    let definitions = generator.take_definitions(true);
    let cells = json!({
        "type": "object",
        "description": "Each control's default cell for services of this tier, by control id.",
        "propertyNames": { "pattern": CONTROL_ID },
        "additionalProperties": cell,
    });
    let properties: serde_json::Map<String, Value> = Tier::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), cells.clone()))
        .collect();
    let mut root = serde_json::Map::new();
    root.insert(
        "$schema".to_owned(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    root.insert(
        "title".to_owned(),
        json!("demarc tier defaults (tiers.json)"),
    );
    root.insert(
        "description".to_owned(),
        json!(
            "For each tier (I, C, A): every control's default owner and generic text. A service's cell that its file does not write comes from here."
        ),
    );
    root.insert("type".to_owned(), json!("object"));
    root.insert("properties".to_owned(), Value::Object(properties));
    root.insert(
        "required".to_owned(),
        json!(Tier::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
    );
    root.insert("additionalProperties".to_owned(), json!(false));
    root.insert("definitions".to_owned(), Value::Object(definitions));
    Schema::from(root)
}

fn pretty(schema: &Schema) -> String {
    // A schema is a JSON object of strings, numbers and nested objects: it always serializes.
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    text.push('\n');
    text
}

/// Every schema file, in a fixed order.
pub fn schema_files() -> Vec<SchemaFile> {
    let mut checks = root_for::<Vec<Check>>("demarc evidence checks (checks.json)");
    checks.insert(
        "description".to_owned(),
        Value::from(
            "The checks the importers run on an account snapshot, each giving evidence on one cell.",
        ),
    );
    vec![
        SchemaFile {
            name: "catalog.schema.json",
            describes: "catalog.json",
            json: pretty(&root_for::<CatalogInfo>(
                "demarc catalog version (catalog.json)",
            )),
        },
        SchemaFile {
            name: "controls.schema.json",
            describes: "controls.json",
            json: pretty(&root_for::<ControlsFile>(
                "demarc domains and controls (controls.json)",
            )),
        },
        SchemaFile {
            name: "tiers.schema.json",
            describes: "tiers.json",
            json: pretty(&tiers_schema()),
        },
        SchemaFile {
            name: "service.schema.json",
            describes: "services/*.json",
            json: pretty(&root_for::<Service>("demarc service (services/<id>.json)")),
        },
        SchemaFile {
            name: "checks.schema.json",
            describes: "checks.json",
            json: pretty(&checks),
        },
    ]
}
