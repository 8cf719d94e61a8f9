//! JSON documents for scripts. Field order is fixed by the structs; output is pretty-printed
//! with a trailing newline, so it is byte-for-byte deterministic.

use crate::model::catalog::{Catalog, Frameworks, ServiceRef};
use crate::model::checklist::Checklist;
use crate::model::evidence::{CheckResult, Evidence, SourceFormat, Warning};
use crate::model::matrix::{Comparison, Matrix};
use crate::model::owner::Owner;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Any serializable value, pretty-printed with a trailing newline (catalog stats and diff).
pub fn pretty(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
pub struct ServiceVariantJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub default: bool,
}

#[derive(Serialize)]
pub struct ServiceJson<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub tier: &'a str,
    pub category: &'a str,
    pub variants: Vec<ServiceVariantJson<'a>>,
}

/// `demarc services --json`.
pub fn services(out: &mut impl Write, catalog: &Catalog) -> io::Result<()> {
    let list: Vec<ServiceJson> = catalog
        .services
        .iter()
        .map(|s| ServiceJson {
            id: &s.id,
            name: &s.name,
            tier: s.tier.as_str(),
            category: &s.category,
            variants: s
                .variants
                .iter()
                .map(|v| ServiceVariantJson {
                    id: &v.id,
                    name: &v.name,
                    default: v.default,
                })
                .collect(),
        })
        .collect();
    pretty(out, &list)
}

#[derive(Serialize)]
pub struct ControlJson<'a> {
    pub id: &'a str,
    pub domain: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub frameworks: &'a Frameworks,
}

fn control_list(catalog: &Catalog) -> Vec<ControlJson<'_>> {
    catalog
        .controls
        .iter()
        .map(|c| ControlJson {
            id: &c.id,
            domain: &c.domain,
            name: &c.name,
            description: &c.description,
            frameworks: &c.frameworks,
        })
        .collect()
}

/// `demarc controls --json`.
pub fn controls(out: &mut impl Write, catalog: &Catalog) -> io::Result<()> {
    pretty(out, &control_list(catalog))
}

#[derive(Serialize)]
struct ColumnJson<'a> {
    id: String,
    service: &'a str,
    variant: Option<&'a str>,
    name: String,
    tier: &'static str,
    default: bool,
}

fn column_json<'a>(catalog: &Catalog, column: &'a ServiceRef) -> ColumnJson<'a> {
    let default = match (&column.variant, catalog.service(&column.service)) {
        (Some(v), Some(s)) => s.variant(v).is_some_and(|v| v.default),
        _ => true,
    };
    ColumnJson {
        id: column.key(),
        service: &column.service,
        variant: column.variant.as_deref(),
        name: catalog.display_name(column),
        tier: catalog.tier_of(column).map_or("", |t| t.as_str()),
        default,
    }
}

#[derive(Serialize)]
struct CellJson<'a> {
    service: String,
    control: &'a str,
    owner: Owner,
    aws_does: &'a str,
    customer_does: &'a str,
    sources: &'a [String],
    inherited: bool,
    last_verified: Option<&'a str>,
    evidence: Option<&'a crate::model::catalog::CellEvidence>,
}

#[derive(Serialize)]
struct MatrixJson<'a> {
    catalog_version: &'a str,
    services: Vec<ColumnJson<'a>>,
    controls: Vec<ControlJson<'a>>,
    cells: Vec<CellJson<'a>>,
}

/// `demarc matrix --format json`: visible columns, visible rows, and every cell.
pub fn matrix(out: &mut impl Write, catalog: &Catalog, matrix: &Matrix) -> io::Result<()> {
    let rows: Vec<usize> = matrix
        .groups
        .iter()
        .flat_map(|g| g.rows.iter().map(|r| r.control))
        .collect();
    let controls = control_list(catalog)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| rows.contains(i))
        .map(|(_, c)| c)
        .collect();
    let mut cells = Vec::new();
    for column in &matrix.columns {
        for &row in &rows {
            let control = &catalog.controls[row];
            if let Some(cell) = catalog.cell(column, &control.id) {
                cells.push(CellJson {
                    service: column.key(),
                    control: &control.id,
                    owner: cell.owner(),
                    aws_does: &cell.data.aws_does,
                    customer_does: &cell.data.customer_does,
                    sources: &cell.data.sources,
                    inherited: cell.inherited(),
                    last_verified: cell.data.last_verified.as_deref(),
                    evidence: cell.data.evidence.as_ref(),
                });
            }
        }
    }
    let doc = MatrixJson {
        catalog_version: &catalog.info.version,
        services: matrix
            .columns
            .iter()
            .map(|c| column_json(catalog, c))
            .collect(),
        controls,
        cells,
    };
    pretty(out, &doc)
}

#[derive(Serialize)]
struct EntryJson<'a> {
    service: String,
    owner: Owner,
    customer_does: &'a str,
    aws_does: &'a str,
    sources: &'a [String],
    inherited: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a crate::model::evidence::CellEvidence>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    control: &'a str,
    name: &'a str,
    domain: &'a str,
    entries: Vec<EntryJson<'a>>,
}

#[derive(Serialize)]
struct ScopeJson {
    service: String,
    name: String,
    variant: Option<String>,
    tier: &'static str,
}

#[derive(Serialize)]
struct SummaryJson {
    service: String,
    counts: BTreeMap<Owner, usize>,
}

#[derive(Serialize)]
struct ChecklistJson<'a> {
    title: &'a str,
    date: &'a str,
    catalog_version: &'a str,
    owners: &'a [Owner],
    scope: Vec<ScopeJson>,
    items: Vec<ItemJson<'a>>,
    summary: Vec<SummaryJson>,
}

/// `demarc checklist --format json`.
pub fn checklist(out: &mut impl Write, list: &Checklist) -> io::Result<()> {
    let doc = ChecklistJson {
        title: &list.title,
        date: &list.date,
        catalog_version: &list.catalog_version,
        owners: &list.owners,
        scope: list
            .scope
            .iter()
            .map(|e| ScopeJson {
                service: e.service_ref.key(),
                name: e.service_name.clone(),
                variant: e.variant_name.clone(),
                tier: e.tier.as_str(),
            })
            .collect(),
        items: list
            .sections
            .iter()
            .flat_map(|s| {
                s.items.iter().map(|i| ItemJson {
                    control: &i.control_id,
                    name: &i.control_name,
                    domain: &s.domain_id,
                    entries: i
                        .entries
                        .iter()
                        .map(|e| EntryJson {
                            service: e.service_ref.key(),
                            owner: e.owner,
                            customer_does: &e.customer_does,
                            aws_does: &e.aws_does,
                            sources: &e.sources,
                            inherited: e.inherited,
                            evidence: e.evidence.as_ref(),
                        })
                        .collect(),
                })
            })
            .collect(),
        summary: list
            .summary
            .iter()
            .map(|r| SummaryJson {
                service: r.service_ref.key(),
                counts: r.counts.clone(),
            })
            .collect(),
    };
    pretty(out, &doc)
}

#[derive(Serialize)]
struct MoveJson {
    from: Owner,
    to: Owner,
    controls: usize,
}

#[derive(Serialize)]
struct ShiftJson {
    from: String,
    to: String,
    relieved: usize,
    taken_on: usize,
    moves: Vec<MoveJson>,
}

#[derive(Serialize)]
struct CompareRowJson<'a> {
    control: &'a str,
    name: &'a str,
    owners: &'a [Owner],
    differs: bool,
}

#[derive(Serialize)]
struct ComparisonJson<'a> {
    catalog_version: &'a str,
    services: Vec<ColumnJson<'a>>,
    differing: usize,
    totals: Vec<SummaryJson>,
    shifts: Vec<ShiftJson>,
    rows: Vec<CompareRowJson<'a>>,
}

/// `demarc compare --format json`.
pub fn comparison(out: &mut impl Write, catalog: &Catalog, cmp: &Comparison) -> io::Result<()> {
    let doc = ComparisonJson {
        catalog_version: &catalog.info.version,
        services: cmp
            .columns
            .iter()
            .map(|c| column_json(catalog, c))
            .collect(),
        differing: cmp.differing_rows(),
        totals: cmp
            .columns
            .iter()
            .zip(&cmp.totals)
            .map(|(c, t)| SummaryJson {
                service: c.key(),
                counts: t.clone(),
            })
            .collect(),
        shifts: cmp
            .shifts
            .iter()
            .map(|s| ShiftJson {
                from: s.from.key(),
                to: s.to.key(),
                relieved: s.relieved(),
                taken_on: s.taken_on(),
                moves: s
                    .moves
                    .iter()
                    .map(|((a, b), n)| MoveJson {
                        from: *a,
                        to: *b,
                        controls: *n,
                    })
                    .collect(),
            })
            .collect(),
        rows: cmp
            .rows
            .iter()
            .map(|r| {
                let c = &catalog.controls[r.control];
                CompareRowJson {
                    control: &c.id,
                    name: &c.name,
                    owners: &r.owners,
                    differs: r.differs,
                }
            })
            .collect(),
    };
    pretty(out, &doc)
}

#[derive(Serialize)]
struct SourceJson<'a> {
    path: &'a str,
    format: SourceFormat,
    accounts: &'a [String],
    regions: &'a [String],
}

#[derive(Serialize)]
struct InUseJson {
    service: String,
    resources: usize,
}

#[derive(Serialize)]
struct UnmappedJson {
    resource_type: String,
    resources: usize,
}

#[derive(Serialize)]
struct ImportJson<'a> {
    sources: Vec<SourceJson<'a>>,
    services_in_use: Vec<InUseJson>,
    unmapped_resource_types: Vec<UnmappedJson>,
    results: &'a [CheckResult],
    warnings: &'a [Warning],
    errors: &'a [String],
}

/// `demarc import --format json`. Shape (stable):
///
/// ```text
/// {"sources": [{"path", "format", "accounts": [], "regions": []}],
///  "services_in_use": [{"service": "s3", "resources": 12}],
///  "unmapped_resource_types": [{"resource_type", "resources"}],
///  "results": [{"check", "service", "control", "resource_id", "region", "account", "status", "detail", "source", "observed_at" (when known)}],
///  "warnings": [{"source", "location", "message"}],
///  "errors": ["..."]}
/// ```
pub fn import(out: &mut impl Write, evidence: &Evidence, errors: &[String]) -> io::Result<()> {
    let doc = ImportJson {
        sources: evidence
            .sources
            .iter()
            .map(|s| SourceJson {
                path: &s.path,
                format: s.format,
                accounts: &s.accounts,
                regions: &s.regions,
            })
            .collect(),
        services_in_use: evidence
            .services_in_use()
            .into_iter()
            .map(|(service, resources)| InUseJson { service, resources })
            .collect(),
        unmapped_resource_types: evidence
            .unmapped_resource_types()
            .into_iter()
            .map(|(resource_type, resources)| UnmappedJson {
                resource_type,
                resources,
            })
            .collect(),
        results: &evidence.results,
        warnings: &evidence.warnings,
        errors,
    };
    pretty(out, &doc)
}
