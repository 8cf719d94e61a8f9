//! Excel workbooks, read back with a reader crate (calamine): sheets, cells, date cells, and
//! hostile text that stays literal (no formula is ever written); the sheet XML is checked for
//! the status drop-down, frozen panes and filters.

mod engagement_support;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use demarc::export::{self, Document, Format};
use demarc::model::catalog::{Catalog, ServiceRef};
use demarc::model::checklist::{Checklist, ChecklistOptions};
use demarc::model::engagement::report::Report;
use demarc::model::engagement::{Engagement, Item, ItemKey, Status};
use demarc::model::evidence::{CheckResult, Evidence, Status as EvidenceStatus};
use demarc::model::matrix::{Comparison, Filters, Matrix};
use std::io::{Cursor, Read};
use std::path::Path;

type Book = Xlsx<Cursor<Vec<u8>>>;

fn fixture() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/catalog");
    let files = demarc::storage::read_catalog_dir(&dir).expect("fixture readable");
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .expect("fixture catalog valid")
}

fn scope(catalog: &Catalog) -> Vec<ServiceRef> {
    catalog.parse_refs("alpha,beta,beta/self").expect("refs")
}

/// Renders as xlsx twice (the bytes must be the same) and opens the workbook.
fn workbook(document: &Document<'_>) -> (Vec<u8>, Book) {
    let mut out = Vec::new();
    export::render(document, Format::Xlsx, &mut out).expect("render");
    let mut again = Vec::new();
    export::render(document, Format::Xlsx, &mut again).expect("render again");
    assert!(out == again, "workbooks are deterministic");
    let book: Book = open_workbook_from_rs(Cursor::new(out.clone())).expect("a workbook");
    (out, book)
}

fn cell(book: &mut Book, sheet: &str, row: u32, col: u32) -> Data {
    let range = book.worksheet_range(sheet).expect(sheet);
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn text(book: &mut Book, sheet: &str, row: u32, col: u32) -> String {
    match cell(book, sheet, row, col) {
        Data::String(s) => s,
        other => panic!("{sheet} ({row}, {col}) is {other:?}, not text"),
    }
}

/// The XML of a part of the workbook (a sheet), to check what calamine does not read.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut file = zip.by_name(name).expect(name);
    let mut xml = String::new();
    file.read_to_string(&mut xml).expect("utf-8");
    xml
}

fn no_formula_anywhere(book: &mut Book) {
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} holds a formula"
        );
    }
}

#[test]
fn the_matrix_workbook_has_one_row_per_control_and_a_column_per_service() {
    let catalog = fixture();
    let refs = scope(&catalog);
    let m = Matrix::build(&catalog, &refs, &Filters::default());
    let (bytes, mut book) = workbook(&Document::Matrix {
        catalog: &catalog,
        matrix: &m,
    });
    assert_eq!(book.sheet_names(), ["Cover", "Matrix", "Cells"]);
    assert_eq!(
        text(&mut book, "Cover", 0, 0),
        "AWS shared responsibility matrix"
    );
    assert_eq!(text(&mut book, "Matrix", 0, 0), "ID");
    assert_eq!(text(&mut book, "Matrix", 0, 1), "Control");
    for (i, column) in m.columns.iter().enumerate() {
        assert_eq!(
            text(&mut book, "Matrix", 0, 3 + i as u32),
            catalog.short_name(column)
        );
    }
    let rows: Vec<_> = m.groups.iter().flat_map(|g| &g.rows).collect();
    let range = book.worksheet_range("Matrix").expect("matrix");
    assert_eq!(
        range.height(),
        rows.len() + 1,
        "a header and one row per control"
    );
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        assert_eq!(
            text(&mut book, "Matrix", r, 0),
            catalog.controls[row.control].id
        );
        for (c, owner) in row.owners.iter().enumerate() {
            assert_eq!(text(&mut book, "Matrix", r, 3 + c as u32), owner.label());
        }
    }
    let sheet = part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains("state=\"frozen\""), "frozen panes");
    assert!(sheet.contains("xSplit=\"2\"") && sheet.contains("ySplit=\"1\""));
    assert!(sheet.contains("<autoFilter ref=\"A1:"), "an autofilter");
    // Owner colours: every fill of the owner palette is in the styles.
    let styles = part(&bytes, "xl/styles.xml");
    for rgb in ["FF9ECBEC", "FFE6B8D5", "FFF7CD6E", "FFE4E4E4"] {
        assert!(styles.contains(rgb), "fill {rgb}");
    }
    no_formula_anywhere(&mut book);
}

#[test]
fn the_checklist_workbook_offers_the_five_statuses_and_dates() {
    let catalog = fixture();
    let list = Checklist::build(
        &catalog,
        &scope(&catalog),
        &ChecklistOptions::new("2026-11-28"),
    );
    let (bytes, mut book) = workbook(&Document::Checklist(&list));
    assert_eq!(
        book.sheet_names(),
        ["Cover", "Checklist"],
        "no evidence, no findings"
    );
    assert_eq!(text(&mut book, "Checklist", 0, 5), "Status");
    assert_eq!(text(&mut book, "Checklist", 1, 5), "Open");
    assert_eq!(text(&mut book, "Cover", 2, 0), "Date");
    assert_eq!(text(&mut book, "Cover", 2, 1), "2026-11-28");
    let sheet = part(&bytes, "xl/worksheets/sheet2.xml");
    let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    assert!(
        sheet.contains(&format!("<formula1>\"{}\"</formula1>", labels.join(","))),
        "a drop-down of the five statuses: {sheet}"
    );
    assert!(
        sheet.contains("type=\"date\""),
        "the due column takes dates"
    );
    let entries: usize = list
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .map(|i| i.entries.len())
        .sum();
    let range = book.worksheet_range("Checklist").expect("checklist");
    assert_eq!(range.height(), entries + 1);
}

#[test]
fn evidence_adds_a_findings_sheet_failing_first() {
    let catalog = fixture();
    let mut list = Checklist::build(
        &catalog,
        &scope(&catalog),
        &ChecklistOptions::new("2026-11-28"),
    );
    let result = |check: &str, status| CheckResult {
        check: check.into(),
        service: "alpha".into(),
        control: "IAM-01".into(),
        resource_id: format!("res-{check}").into(),
        region: "eu-west-1".into(),
        account: "123456789012".into(),
        status,
        detail: "detail".into(),
        source: "sample".into(),
        observed_at: None,
        test: "".into(),
        earlier: Vec::new(),
    };
    let evidence = Evidence {
        results: vec![
            result("passing_check", EvidenceStatus::Pass),
            result("failing_check", EvidenceStatus::Fail),
        ],
        ..Evidence::default()
    };
    list.attach_evidence(&catalog, &evidence);
    let (_, mut book) = workbook(&Document::Checklist(&list));
    assert_eq!(book.sheet_names(), ["Cover", "Checklist", "Findings"]);
    assert_eq!(text(&mut book, "Findings", 1, 0), "fail");
    assert_eq!(text(&mut book, "Findings", 1, 3), "failing_check");
    assert_eq!(text(&mut book, "Findings", 2, 0), "pass");
}

#[test]
fn the_engagement_workbook_keeps_decisions_and_due_dates() {
    let catalog = engagement_support::catalog();
    let doc = engagement_support::sample();
    let report = Report::build(&catalog, &doc);
    let (_, mut book) = workbook(&Document::EngagementChecklist(&report));
    let names = book.sheet_names();
    assert_eq!(&names[..2], ["Cover", "Checklist"]);
    assert_eq!(text(&mut book, "Cover", 2, 0), "Client");
    assert_eq!(text(&mut book, "Cover", 2, 1), report.client);
    let range = book.worksheet_range("Checklist").expect("checklist");
    assert_eq!(range.height(), report.items().count() + 1);
    let mut dates = 0;
    for (i, item) in report.items().enumerate() {
        let row = i as u32 + 1;
        assert_eq!(text(&mut book, "Checklist", row, 1), item.key.control);
        assert_eq!(
            text(&mut book, "Checklist", row, 5),
            item.item.status.label()
        );
        match (&item.item.due, cell(&mut book, "Checklist", row, 7)) {
            (Some(due), Data::DateTime(d)) => {
                let (y, m, day) = due_parts(due);
                let expected = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, day)
                    .expect("a valid due date")
                    .to_excel();
                assert!((d.as_f64() - expected).abs() < 1e-9, "{}: {due}", item.key);
                dates += 1;
            }
            (None, Data::Empty) => {}
            (due, other) => panic!("{}: due {due:?} read as {other:?}", item.key),
        }
    }
    assert!(dates > 0, "the sample has due dates");
}

fn due_parts(due: &str) -> (u16, u8, u8) {
    let mut p = due.split('-');
    let mut next = || p.next().expect("YYYY-MM-DD").to_owned();
    (
        next().parse().expect("year"),
        next().parse().expect("month"),
        next().parse().expect("day"),
    )
}

/// Text that a spreadsheet would run as a formula, and text too long for a cell.
fn hostile() -> Vec<String> {
    let mut texts: Vec<String> = [
        "=SUM(A1:A9)",
        "+1+1",
        "-1+1",
        "@SUM(A1)",
        "\t=1+1",
        "=HYPERLINK(\"http://x\",\"y\")",
        "_x0041_ literal",
    ]
    .map(str::to_owned)
    .to_vec();
    texts.push(format!("={}", "A".repeat(40_000)));
    texts
}

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

/// Every string cell of every sheet.
fn strings(book: &mut Book) -> Vec<String> {
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("sheet");
        for (_, _, value) in range.used_cells() {
            if let Data::String(s) = value {
                out.push(s.clone());
            }
        }
    }
    out
}

fn assert_literal(what: &str, book: &mut Book, text: &str) {
    no_formula_anywhere(book);
    let cells = strings(book);
    let expected = demarc::export::xlsx::cell_text(text);
    assert!(
        cells.iter().any(|c| *c == expected),
        "{what}: {:?} is not read back literally",
        &text[..text.len().min(40)]
    );
}

#[test]
fn hostile_text_stays_literal_in_every_workbook() {
    for text in hostile() {
        let catalog = fixture_with_cell_text(&text);
        let refs = scope(&catalog);
        let m = Matrix::build(&catalog, &refs, &Filters::default());
        let (_, mut book) = workbook(&Document::Matrix {
            catalog: &catalog,
            matrix: &m,
        });
        assert_literal("matrix", &mut book, &text);

        let mut list = Checklist::build(&catalog, &refs, &ChecklistOptions::new("2026-11-28"));
        let evidence = Evidence {
            results: vec![CheckResult {
                check: text.as_str().into(),
                service: "alpha".into(),
                control: "IAM-01".into(),
                resource_id: text.as_str().into(),
                region: "us-east-1".into(),
                account: "123456789012".into(),
                status: EvidenceStatus::Fail,
                detail: text.as_str().into(),
                source: text.as_str().into(),
                observed_at: None,
                test: "".into(),
                earlier: Vec::new(),
            }],
            ..Evidence::default()
        };
        list.attach_evidence(&catalog, &evidence);
        let (_, mut book) = workbook(&Document::Checklist(&list));
        assert_literal("checklist", &mut book, &text);

        let mut doc = Engagement::new(&catalog, &text, &text, "2026-11-28", &refs);
        let key = ItemKey::new(refs[0].clone(), "IAM-01");
        doc.set_item(
            &catalog,
            &key,
            Item {
                note: text.clone(),
                ..Item::default()
            },
        )
        .expect("alpha IAM-01 is in scope");
        let report = Report::build(&catalog, &doc);
        let (_, mut book) = workbook(&Document::EngagementChecklist(&report));
        assert_literal("engagement", &mut book, &text);
    }
}

#[test]
fn the_comparison_workbook_marks_changed_rows() {
    let catalog = fixture();
    let cmp = Comparison::build(
        &catalog,
        &catalog.parse_refs("beta,beta/self,alpha").expect("refs"),
    );
    let (_, mut book) = workbook(&Document::Comparison {
        catalog: &catalog,
        comparison: &cmp,
    });
    assert_eq!(book.sheet_names(), ["Cover", "Comparison"]);
    for (i, row) in cmp.rows.iter().enumerate() {
        let r = i as u32 + 1;
        let mark = cell(&mut book, "Comparison", r, 0);
        assert_eq!(
            matches!(mark, Data::String(ref s) if s.contains('◆')),
            row.differs,
            "row {r}"
        );
        for (c, owner) in row.owners.iter().enumerate() {
            assert_eq!(
                text(&mut book, "Comparison", r, 4 + c as u32),
                owner.label()
            );
        }
    }
    no_formula_anywhere(&mut book);
}

/// The real binary: `--format xlsx` and `--format svg` write files that open.
#[test]
fn the_command_line_writes_workbooks_and_pictures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = env!("CARGO_BIN_EXE_demarc");
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/samples/acme-retail/config-snapshot.json");
    let run = |args: &[&str], file: &str| -> Vec<u8> {
        let path = dir.path().join(file);
        let out = std::process::Command::new(bin)
            .args(args)
            .arg("-o")
            .arg(&path)
            .output()
            .expect("run demarc");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read(&path).expect("written")
    };
    let open =
        |bytes: Vec<u8>| -> Book { open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx") };

    let mut book = open(run(
        &["matrix", "--services", "ec2,s3,rds", "--format", "xlsx"],
        "m.xlsx",
    ));
    assert_eq!(text(&mut book, "Matrix", 0, 3), "EC2");
    assert_eq!(text(&mut book, "Matrix", 0, 5), "RDS");
    let svg = run(
        &["matrix", "--services", "ec2,s3,rds", "--format", "svg"],
        "m.svg",
    );
    assert!(svg.starts_with(b"<svg "));
    let book = open(run(
        &[
            "checklist",
            "--snapshot",
            snapshot.to_str().expect("utf-8 path"),
            "--format",
            "xlsx",
            "--date",
            "2026-12-04",
        ],
        "k.xlsx",
    ));
    assert_eq!(book.sheet_names(), ["Cover", "Checklist", "Findings"]);
    let book = open(run(
        &[
            "compare",
            "ec2",
            "ecs/fargate",
            "lambda",
            "--format",
            "xlsx",
        ],
        "c.xlsx",
    ));
    assert_eq!(book.sheet_names(), ["Cover", "Comparison"]);
    let svg = run(
        &["compare", "ec2", "ecs/fargate", "lambda", "--format", "svg"],
        "c.svg",
    );
    assert!(
        String::from_utf8(svg)
            .expect("utf-8")
            .contains("What changes: EC2")
    );
}
