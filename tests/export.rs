//! Golden tests for every export, on a fixture catalog whose text tries to break the documents,
//! plus structural checks (Markdown parsed as GFM, CSV parsed as RFC 4180, JSON parsed).

use demarc::export::{self, Document, Format};
use demarc::model::catalog::{Catalog, ServiceRef};
use demarc::model::checklist::{Checklist, ChecklistOptions};
use demarc::model::matrix::{Comparison, Filters, Matrix};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::path::Path;

fn fixture() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
    let files = demarc::storage::read_catalog_dir(&dir).expect("fixture readable");
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .expect("fixture catalog valid")
}

fn scope(catalog: &Catalog) -> Vec<ServiceRef> {
    catalog
        .parse_refs("alpha,beta,beta/self")
        .expect("fixture services")
}

/// Compares with `tests/golden/NAME`; `DEMARC_UPDATE_GOLDEN=1` rewrites the file instead.
fn golden(name: &str, bytes: &[u8]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("DEMARC_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, bytes).expect("write golden");
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with DEMARC_UPDATE_GOLDEN=1)", path.display()));
    assert!(
        expected == bytes,
        "{name} differs from its golden file; if the change is intended, rerun with DEMARC_UPDATE_GOLDEN=1 and review the diff\n--- got ---\n{}",
        String::from_utf8_lossy(bytes)
    );
}

/// Renders through the one export dispatch, twice: the bytes must be the same.
fn render(document: &Document<'_>, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    export::render(document, format, &mut out).expect("render");
    let mut again = Vec::new();
    export::render(document, format, &mut again).expect("render again");
    assert_eq!(out, again, "exports are deterministic");
    out
}

fn checklist(catalog: &Catalog) -> Checklist {
    Checklist::build(
        catalog,
        &scope(catalog),
        &ChecklistOptions::new("2026-11-28"),
    )
}

#[test]
fn checklist_exports_match_golden_files() {
    let catalog = fixture();
    let list = checklist(&catalog);
    golden(
        "checklist.md",
        &render(&Document::Checklist(&list), Format::Markdown),
    );
    golden(
        "checklist.csv",
        &render(&Document::Checklist(&list), Format::Csv),
    );
    golden(
        "checklist.json",
        &render(&Document::Checklist(&list), Format::Json),
    );
}

#[test]
fn matrix_exports_match_golden_files() {
    let catalog = fixture();
    let m = Matrix::build(&catalog, &scope(&catalog), &Filters::default());
    golden(
        "matrix.md",
        &render(
            &Document::Matrix {
                catalog: &catalog,
                matrix: &m,
            },
            Format::Markdown,
        ),
    );
    golden(
        "matrix.csv",
        &render(
            &Document::Matrix {
                catalog: &catalog,
                matrix: &m,
            },
            Format::Csv,
        ),
    );
    golden(
        "matrix.json",
        &render(
            &Document::Matrix {
                catalog: &catalog,
                matrix: &m,
            },
            Format::Json,
        ),
    );
}

#[test]
fn comparison_exports_match_golden_files() {
    let catalog = fixture();
    let cmp = Comparison::build(
        &catalog,
        &catalog.parse_refs("beta,beta/self,alpha").expect("refs"),
    );
    golden(
        "compare.md",
        &render(
            &Document::Comparison {
                catalog: &catalog,
                comparison: &cmp,
            },
            Format::Markdown,
        ),
    );
    golden(
        "compare.json",
        &render(
            &Document::Comparison {
                catalog: &catalog,
                comparison: &cmp,
            },
            Format::Json,
        ),
    );
}

/// Walks GFM events: counts task items, table rows, headings, links, and collects text.
struct Shape {
    tasks: usize,
    table_rows: usize,
    headings: usize,
    links: Vec<String>,
    text: String,
    html: Vec<String>,
}

fn shape(markdown: &str) -> Shape {
    let mut s = Shape {
        tasks: 0,
        table_rows: 0,
        headings: 0,
        links: Vec::new(),
        text: String::new(),
        html: Vec::new(),
    };
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::TaskListMarker(_) => s.tasks += 1,
            Event::Start(Tag::TableRow | Tag::TableHead) => s.table_rows += 1,
            Event::Start(Tag::Heading { .. }) => s.headings += 1,
            Event::Start(Tag::Link { dest_url, .. }) => s.links.push(dest_url.to_string()),
            Event::Text(t) | Event::Code(t) => s.text.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => s.html.push(h.to_string()),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => s.text.push(' '),
            _ => {}
        }
    }
    s
}

#[test]
fn hostile_text_keeps_the_markdown_structure_and_shows_literally() {
    let catalog = fixture();
    let list = checklist(&catalog);
    let md =
        String::from_utf8(render(&Document::Checklist(&list), Format::Markdown)).expect("utf-8");
    let s = shape(&md);
    assert_eq!(
        s.tasks,
        list.item_count(),
        "one task item per checklist item"
    );
    // Scope table: header + 3 rows; summary table: header + 3 rows.
    assert_eq!(s.table_rows, 8, "{md}");
    assert!(s.html.is_empty(), "no raw HTML got through: {:?}", s.html);
    assert!(s.text.contains("Protect root | use *MFA* and `hardware keys`; never <b>share</b> [creds](http://x) second line"), "{}", s.text);
    assert!(
        s.text.contains("# Not a heading - not a list"),
        "{}",
        s.text
    );
    // Headings: title, scope, the domains with items, summary; none from data.
    assert_eq!(s.headings, 2 + list.sections.len() + 1);
    assert!(
        s.links.iter().all(|l| l.starts_with("https://")),
        "{:?}",
        s.links
    );
}

#[test]
fn matrix_csv_parses_as_rfc4180_with_ten_fields() {
    let catalog = fixture();
    let m = Matrix::build(&catalog, &scope(&catalog), &Filters::default());
    let csv = String::from_utf8(render(
        &Document::Matrix {
            catalog: &catalog,
            matrix: &m,
        },
        Format::Csv,
    ))
    .expect("utf-8");
    let records = parse_csv(&csv);
    assert_eq!(records.len(), 1 + 3 * catalog.controls.len());
    assert!(
        records.iter().all(|r| r.len() == 10),
        "every record has 10 fields"
    );
    let alpha_iam = records
        .iter()
        .find(|r| r[0] == "alpha" && r[3] == "IAM-01")
        .expect("row");
    assert!(
        alpha_iam[8].contains("\"quotes\", commas"),
        "{:?}",
        alpha_iam[8]
    );
    assert!(
        alpha_iam[8].contains('\n'),
        "newlines survive inside quotes"
    );
}

/// A strict RFC 4180 reader (CRLF record ends, quotes doubled inside quoted fields).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {
                assert_eq!(chars.next(), Some('\n'), "CR must be followed by LF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            '\n' => panic!("bare LF outside quotes"),
            c => field.push(c),
        }
    }
    assert!(field.is_empty() && record.is_empty(), "file ends with CRLF");
    records
}

#[test]
fn json_exports_parse() {
    let catalog = fixture();
    let list = checklist(&catalog);
    let v: serde_json::Value =
        serde_json::from_slice(&render(&Document::Checklist(&list), Format::Json)).expect("json");
    assert_eq!(
        v["items"].as_array().expect("items").len(),
        list.item_count()
    );
}

#[test]
fn full_catalog_checklist_is_valid_markdown() {
    let catalog = Catalog::bundled();
    let all = catalog.all_refs();
    let list = Checklist::build(&catalog, &all, &ChecklistOptions::new("2026-11-28"));
    let md =
        String::from_utf8(render(&Document::Checklist(&list), Format::Markdown)).expect("utf-8");
    let s = shape(&md);
    assert_eq!(s.tasks, list.item_count());
    assert!(s.html.is_empty(), "{:?}", &s.html[..s.html.len().min(5)]);
    assert_eq!(s.table_rows, 2 * (1 + all.len()));
}

/// Text that a spreadsheet would run as a formula, by its first character.
const FORMULAS: [&str; 6] = [
    "=SUM(A1:A9)",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
];

/// The fixture catalog with alpha's IAM-01 cell text set to `text`.
fn fixture_with_cell_text(text: &str) -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
    let mut files = demarc::storage::read_catalog_dir(&dir).expect("fixture readable");
    for (path, body) in &mut files {
        if path == "services/alpha.json" {
            let mut v: serde_json::Value = serde_json::from_str(body).expect("json");
            v["cells"]["IAM-01"]["aws_does"] = serde_json::json!(text);
            v["cells"]["IAM-01"]["customer_does"] = serde_json::json!(text);
            *body = v.to_string();
        }
    }
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .expect("fixture catalog valid")
}

/// Asserts no field of a CSV starts a formula, and `text` reads back as `'text` at least once.
fn assert_guarded(what: &str, csv: &[u8], text: &str) {
    let csv = String::from_utf8(csv.to_vec()).expect("utf-8");
    let records = parse_csv(csv.trim_start_matches('\u{feff}'));
    for record in &records {
        for field in record {
            assert!(
                !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: field {field:?} starts a formula"
            );
        }
    }
    let guarded = format!("'{text}");
    assert!(
        records.iter().flatten().any(|f| *f == guarded),
        "{what}: {text:?} does not read back as {guarded:?}"
    );
}

#[test]
fn every_csv_export_guards_cells_that_start_a_formula() {
    use demarc::model::engagement::report::Report;
    use demarc::model::engagement::{Engagement, Item, ItemKey};
    use demarc::model::evidence::{CheckResult, Evidence, Status};
    for text in FORMULAS {
        let catalog = fixture_with_cell_text(text);
        let refs = scope(&catalog);
        let m = Matrix::build(&catalog, &refs, &Filters::default());
        let matrix = Document::Matrix {
            catalog: &catalog,
            matrix: &m,
        };
        assert_guarded("matrix", &render(&matrix, Format::Csv), text);

        let mut list = checklist(&catalog);
        assert_guarded(
            "checklist",
            &render(&Document::Checklist(&list), Format::Csv),
            text,
        );
        let evidence = Evidence {
            results: vec![CheckResult {
                check: text.into(),
                service: "alpha".into(),
                control: "IAM-01".into(),
                resource_id: text.into(),
                region: "us-east-1".into(),
                account: "123456789012".into(),
                status: Status::Fail,
                detail: text.into(),
                source: text.into(),
                observed_at: None,
                test: "".into(),
                earlier: Vec::new(),
            }],
            ..Evidence::default()
        };
        list.attach_evidence(&catalog, &evidence);
        assert!(list.has_evidence());
        assert_guarded(
            "checklist with evidence",
            &render(&Document::Checklist(&list), Format::Csv),
            text,
        );

        let mut doc = Engagement::new(&catalog, text, text, "2026-11-28", &refs);
        let key = ItemKey::new(refs[0].clone(), "IAM-01");
        doc.set_item(
            &catalog,
            &key,
            Item {
                note: text.to_owned(),
                ..Item::default()
            },
        )
        .expect("alpha IAM-01 is in scope");
        let report = Report::build(&catalog, &doc);
        assert_guarded(
            "engagement checklist",
            &render(&Document::EngagementChecklist(&report), Format::Csv),
            text,
        );
    }
}

#[test]
fn every_format_listed_for_a_document_renders_and_no_other_does() {
    use demarc::export::{DocumentKind, ExportError, formats_for};
    use demarc::model::diff::CatalogDiff;
    use demarc::model::engagement::Engagement;
    use demarc::model::engagement::report::Report;
    use demarc::model::evidence::Evidence;
    use demarc::model::stats::CatalogStats;
    let catalog = fixture();
    let refs = scope(&catalog);
    let m = Matrix::build(&catalog, &refs, &Filters::default());
    let list = checklist(&catalog);
    let cmp = Comparison::build(&catalog, &refs);
    let doc = Engagement::new(&catalog, "Client", "Title", "2026-11-28", &refs);
    let report = Report::build(&catalog, &doc);
    let evidence = Evidence::default();
    let errors = ["a path: not imported".to_owned()];
    let stats = CatalogStats::compute(&catalog, "2026-11-28");
    let diff = CatalogDiff::between(&catalog, &catalog);
    let documents = [
        Document::Services(&catalog),
        Document::Controls(&catalog),
        Document::Matrix {
            catalog: &catalog,
            matrix: &m,
        },
        Document::Checklist(&list),
        Document::Comparison {
            catalog: &catalog,
            comparison: &cmp,
        },
        Document::EngagementChecklist(&report),
        Document::EngagementSummary {
            engagement: &doc,
            report: &report,
        },
        Document::Import {
            evidence: &evidence,
            errors: &errors,
        },
        Document::CatalogStats(&stats),
        Document::CatalogDiff(&diff),
    ];
    let kinds: Vec<DocumentKind> = documents.iter().map(Document::kind).collect();
    assert_eq!(kinds, DocumentKind::ALL, "one sample of every document");
    for document in &documents {
        let kind = document.kind();
        for format in Format::ALL {
            let mut out = Vec::new();
            let result = export::render(document, format, &mut out);
            if formats_for(kind).contains(&format) {
                assert!(result.is_ok(), "{kind:?} as {format:?}: {result:?}");
                assert!(!out.is_empty(), "{kind:?} as {format:?} wrote nothing");
                if format == Format::Json {
                    serde_json::from_slice::<serde_json::Value>(&out)
                        .unwrap_or_else(|e| panic!("{kind:?} JSON: {e}"));
                }
            } else {
                assert!(
                    matches!(result, Err(ExportError::Unsupported { .. })),
                    "{kind:?} as {format:?} is not listed, yet {result:?}"
                );
                assert!(out.is_empty(), "{kind:?} as {format:?} wrote bytes");
            }
        }
    }
}

#[test]
fn svg_pictures_match_golden_files() {
    let catalog = fixture();
    let m = Matrix::build(&catalog, &scope(&catalog), &Filters::default());
    golden(
        "matrix.svg",
        &render(
            &Document::Matrix {
                catalog: &catalog,
                matrix: &m,
            },
            Format::Svg,
        ),
    );
    let cmp = Comparison::build(
        &catalog,
        &catalog.parse_refs("beta,beta/self,alpha").expect("refs"),
    );
    golden(
        "compare.svg",
        &render(
            &Document::Comparison {
                catalog: &catalog,
                comparison: &cmp,
            },
            Format::Svg,
        ),
    );
}

/// Parses an SVG as XML and returns its text content, one string per text node.
fn svg_texts(svg: &[u8]) -> Vec<String> {
    use quick_xml::events::Event as Xml;
    let mut reader = quick_xml::Reader::from_reader(svg);
    let mut texts = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Xml::Eof) => break,
            Ok(Xml::Text(t)) => texts.push(t.into_inner().into_owned()),
            Ok(Xml::GeneralRef(r)) => {
                let name = r.into_inner().into_owned();
                let c = match name.as_str() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "#39" => "'",
                    other => panic!("unexpected entity &{other};"),
                };
                match texts.last_mut() {
                    Some(last) => last.push_str(c),
                    None => texts.push(c.to_owned()),
                }
            }
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML at {}: {e}", reader.buffer_position()),
        }
        buf.clear();
    }
    texts
}

#[test]
fn svg_pictures_are_well_formed_and_show_hostile_names_literally() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
    let mut files = demarc::storage::read_catalog_dir(&dir).expect("fixture readable");
    let hostile = "<b>&\"x'</b>\u{1}";
    for (path, body) in &mut files {
        if path == "services/alpha.json" {
            let mut v: serde_json::Value = serde_json::from_str(body).expect("json");
            v["name"] = serde_json::json!(hostile);
            *body = v.to_string();
        }
    }
    let catalog = Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .expect("fixture catalog valid");
    let refs = scope(&catalog);
    let m = Matrix::build(&catalog, &refs, &Filters::default());
    let cmp = Comparison::build(&catalog, &refs);
    for svg in [
        render(
            &Document::Matrix {
                catalog: &catalog,
                matrix: &m,
            },
            Format::Svg,
        ),
        render(
            &Document::Comparison {
                catalog: &catalog,
                comparison: &cmp,
            },
            Format::Svg,
        ),
    ] {
        let text = String::from_utf8(svg.clone()).expect("utf-8");
        assert!(text.starts_with("<svg "), "an SVG document");
        assert!(!text.contains("<b>"), "markup from data is escaped");
        let texts = svg_texts(&svg).concat();
        assert!(
            texts.contains("<b>&\"x'</b>"),
            "the name reads back literally (without its control character): {texts}"
        );
        // 16:9 at the least.
        assert!(text.contains("viewBox=\"0 0 1600 "), "{}", &text[..200]);
    }
}
