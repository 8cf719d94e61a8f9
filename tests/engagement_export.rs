//! Engagement exports: golden files for every format over a fixed catalog and engagement, and
//! injection tests where every text a user or an import controls is hostile.

mod engagement_support;

use demarc::export::engagement as exports;
use demarc::export::{Document, Format};
use demarc::model::catalog::{Catalog, ServiceRef};
use demarc::model::engagement::report::Report;
use demarc::model::engagement::{
    Assignee, Engagement, EvidenceSource, EvidenceStatus, EvidenceSummary, Item, ItemKey, Status,
};
use demarc::model::owner::Owner;
use engagement_support as support;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn render(report: &Report, format: Format) -> Vec<u8> {
    let mut out = Vec::new();
    demarc::export::render(&Document::EngagementChecklist(report), format, &mut out)
        .expect("render");
    out
}

fn sample_report() -> Report {
    Report::build(&support::catalog(), &support::sample())
}

#[test]
fn the_sample_report_resolves_as_the_fixture_says() {
    let report = sample_report();
    // alpha (tier I) and beta/two (tier A) customer/shared cells.
    let keys: Vec<String> = report.items().map(|i| i.key.to_string()).collect();
    assert!(keys.contains(&"alpha/IAM-01".to_owned()));
    assert!(keys.contains(&"beta/two/DAT-02".to_owned()));
    assert!(
        !keys.iter().any(|k| k.ends_with("INF-01")),
        "AWS cells are not items"
    );
    assert_eq!(report.total.total(), report.items().count());
    // Done, not applicable and risk accepted are resolved; in progress is not.
    assert_eq!(report.total.progress().resolved, 3);
    let others: Vec<String> = report
        .other_decisions
        .iter()
        .map(|i| i.key.to_string())
        .collect();
    assert_eq!(others, ["alpha/INF-01", "gamma/IAM-01"]);
    let changes: Vec<(String, Owner, Option<Owner>)> = report
        .owner_changes
        .iter()
        .map(|c| (c.key.to_string(), c.before, c.after))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "alpha/GOV-01".to_owned(),
                Owner::Shared,
                Some(Owner::Customer)
            ),
            ("gamma/IAM-01".to_owned(), Owner::Customer, None),
        ]
    );
    let dat = report
        .items()
        .find(|i| i.key.to_string() == "beta/two/DAT-02")
        .expect("item");
    assert_eq!(
        dat.findings.len(),
        1,
        "evidence for service `beta` lands on beta/two, once for both sources"
    );
    let finding = &dat.findings[0];
    assert_eq!(finding.title, "Beta store not encrypted");
    assert_eq!(finding.sources, "AWS Config, Security Hub");
    assert_eq!(
        finding.decision.as_ref().map(|d| d.status),
        Some(Status::RiskAccepted),
        "the decision made on the findings board"
    );
    let others: Vec<&str> = report
        .other_findings
        .iter()
        .map(|f| f.key.account.as_str())
        .collect();
    assert_eq!(
        others,
        ["444455556666"],
        "a decision without current evidence is listed, not lost"
    );
    let sources: Vec<&str> = report
        .evidence_sources
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(sources, ["config-snapshot.json", "securityhub.json"]);
}

#[test]
fn exports_show_check_titles_and_file_names_never_keys_or_local_paths() {
    let report = sample_report();
    for format in [Format::Markdown, Format::Csv, Format::Html] {
        let text = String::from_utf8(render(&report, format)).expect("utf-8");
        for raw in ["beta_unencrypted", "root_no_mfa", "/home/consultant"] {
            assert!(!text.contains(raw), "{format:?} shows {raw}");
        }
        assert!(text.contains("Beta store not encrypted"), "{format:?}");
        assert!(text.contains("Root user without MFA"), "{format:?}");
        if format != Format::Csv {
            assert!(
                text.contains("config-snapshot.json"),
                "{format:?}: the source by name"
            );
        }
    }
    let json = String::from_utf8(render(&report, Format::Json)).expect("utf-8");
    assert!(
        !json.contains("/home/consultant"),
        "JSON keeps keys, never paths"
    );
}

#[test]
fn golden_markdown() {
    support::check_golden("engagement.md", &render(&sample_report(), Format::Markdown));
}

#[test]
fn golden_csv() {
    support::check_golden("engagement.csv", &render(&sample_report(), Format::Csv));
}

#[test]
fn golden_html() {
    support::check_golden("engagement.html", &render(&sample_report(), Format::Html));
}

#[test]
fn golden_json() {
    support::check_golden("engagement.json", &render(&sample_report(), Format::Json));
}

#[test]
fn exports_are_deterministic() {
    for format in [Format::Markdown, Format::Csv, Format::Html, Format::Json] {
        let a = render(&sample_report(), format);
        let b = render(&sample_report(), format);
        assert_eq!(a, b, "{format:?}");
    }
}

// ---- injection ----

const HOSTILE: &str = "Evil | Corp `rm -rf` <script>alert(1)</script> [click](http://x) ](http://x) **bold**\n# not a heading\n1. not a list\n- [x] not a task\n=SUM(A1)";

fn hostile_doc(catalog: &Catalog) -> (Engagement, Vec<ItemKey>) {
    let scope = vec![
        ServiceRef::new("alpha", None),
        ServiceRef::new("beta", Some("two")),
    ];
    let mut doc = Engagement::new(catalog, HOSTILE, HOSTILE, "2026-01-15", &scope);
    let keys: Vec<ItemKey> = doc
        .customer_cells(catalog)
        .into_iter()
        .map(|c| c.key)
        .take(3)
        .collect();
    for (key, status) in keys
        .iter()
        .zip([Status::Done, Status::Open, Status::RiskAccepted])
    {
        doc.set_item(
            catalog,
            key,
            Item {
                status,
                assignee: Some(Assignee::ThirdParty(HOSTILE.to_owned())),
                due: Some("2026-02-01".to_owned()),
                note: HOSTILE.to_owned(),
                owner_at_decision: None,
            },
        )
        .expect("set");
        doc.evidence.summaries.push(EvidenceSummary {
            check: HOSTILE.to_owned(),
            service: key.service.service.clone(),
            control: key.control.clone(),
            resource_id: "<img src=x onerror=alert(1)>".to_owned(),
            region: "|".to_owned(),
            account: "`".to_owned(),
            status: EvidenceStatus::Fail,
            detail: HOSTILE.to_owned(),
            source: HOSTILE.to_owned(),
        });
    }
    doc.evidence.sources.push(EvidenceSource {
        name: HOSTILE.to_owned(),
        kind: HOSTILE.to_owned(),
        imported: None,
    });
    (doc, keys)
}

/// All text of a Markdown document as a reader sees it, and its structure.
struct MdView {
    text: String,
    tasks: Vec<bool>,
    headings: usize,
    tables: usize,
    table_rows: Vec<usize>,
    link_destinations: Vec<String>,
    html: usize,
    code: usize,
    ordered_lists: usize,
}

fn md_view(markdown: &str) -> MdView {
    let mut view = MdView {
        text: String::new(),
        tasks: Vec::new(),
        headings: 0,
        tables: 0,
        table_rows: Vec::new(),
        link_destinations: Vec::new(),
        html: 0,
        code: 0,
        ordered_lists: 0,
    };
    let mut cells = 0;
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) => view.text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => view.text.push('\n'),
            Event::TaskListMarker(done) => view.tasks.push(done),
            Event::Html(_) | Event::InlineHtml(_) => view.html += 1,
            Event::Code(_) => view.code += 1,
            Event::Start(Tag::Heading { .. }) => view.headings += 1,
            Event::Start(Tag::Table(_)) => view.tables += 1,
            Event::Start(Tag::List(Some(_))) => view.ordered_lists += 1,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                view.table_rows.push(cells);
                cells = 0;
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                view.link_destinations.push(dest_url.to_string());
            }
            _ => {}
        }
    }
    view
}

#[test]
fn hostile_text_keeps_the_markdown_structure_and_shows_literally() {
    let catalog = support::catalog();
    let (doc, keys) = hostile_doc(&catalog);
    let report = Report::build(&catalog, &doc);
    let markdown = String::from_utf8(render(&report, Format::Markdown)).expect("utf-8");
    let hostile = md_view(&markdown);
    // The same document with harmless text has the same structure.
    let mut plain_doc = doc.clone();
    plain_doc.client = "Client".to_owned();
    plain_doc.title = "Title".to_owned();
    for item in plain_doc.items.values_mut() {
        item.note = "note".to_owned();
        item.assignee = Some(Assignee::ThirdParty("MSP".to_owned()));
    }
    for e in &mut plain_doc.evidence.summaries {
        e.check = "check".to_owned();
        e.resource_id = "r".to_owned();
        e.region = "eu".to_owned();
        e.account = "1".to_owned();
        e.detail = "detail".to_owned();
        e.source = "src".to_owned();
    }
    plain_doc.evidence.sources[0].name = "src".to_owned();
    plain_doc.evidence.sources[0].kind = "kind".to_owned();
    let plain = md_view(
        &String::from_utf8(render(
            &Report::build(&catalog, &plain_doc),
            Format::Markdown,
        ))
        .expect("utf-8"),
    );

    assert_eq!(hostile.tasks, plain.tasks, "task list items");
    assert_eq!(hostile.tasks.len(), report.items().count());
    assert_eq!(
        hostile.tasks.iter().filter(|d| **d).count(),
        1,
        "only the done item is checked"
    );
    assert_eq!(hostile.headings, plain.headings);
    assert_eq!(hostile.tables, plain.tables);
    assert_eq!(hostile.table_rows, plain.table_rows, "cells per table row");
    assert_eq!(hostile.ordered_lists, 0);
    assert_eq!(hostile.html, 0, "no raw HTML");
    assert_eq!(hostile.code, 0, "no code spans");
    assert_eq!(
        hostile.link_destinations, plain.link_destinations,
        "only the catalog's source links"
    );
    assert!(
        hostile
            .link_destinations
            .iter()
            .all(|d| d.starts_with("https://docs.aws.amazon.com/"))
    );
    // Every line of the hostile text shows literally.
    for line in HOSTILE.lines() {
        assert!(
            hostile.text.contains(line),
            "missing literal line {line:?} in\n{}",
            hostile.text
        );
    }
    assert!(
        hostile
            .text
            .contains(&format!("Note: {}", HOSTILE.lines().next().expect("line")))
    );
    assert_eq!(keys.len(), 3);
}

/// The tags an engagement page may contain.
const ALLOWED: [&str; 30] = [
    "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p",
    "strong", "small", "section", "table", "tr", "th", "td", "ul", "li", "span", "a", "dl", "dt",
    "dd", // the charts: inline SVG
    "figure", "svg", "rect", "text",
];

/// Tag names of every `<...>` in an HTML text.
fn tag_names(html: &str) -> Vec<String> {
    html.match_indices('<')
        .map(|(i, _)| {
            html[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
                .collect::<String>()
                .trim_start_matches('/')
                .to_lowercase()
        })
        .collect()
}

#[test]
fn hostile_text_is_escaped_in_html() {
    let catalog = support::catalog();
    let (doc, _) = hostile_doc(&catalog);
    let report = Report::build(&catalog, &doc);
    let page = String::from_utf8(render(&report, Format::Html)).expect("utf-8");
    assert!(
        !page.to_lowercase().contains("<script"),
        "unescaped <script"
    );
    assert!(!page.contains("<img"), "unescaped <img");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for name in tag_names(&page) {
        assert!(ALLOWED.contains(&name.as_str()), "unexpected tag <{name}>");
    }
    assert_eq!(
        page.matches("<li class=\"item ").count(),
        report.items().count() + report.other_decisions.len()
    );
    // Self-contained: nothing is loaded from elsewhere.
    for needle in ["<link", "@import", "url("] {
        assert!(!page.contains(needle), "{needle}");
    }
    for href in page.match_indices("href=\"").map(|(i, _)| &page[i + 6..]) {
        assert!(
            href.starts_with("https://docs.aws.amazon.com/"),
            "{}",
            &href[..40.min(href.len())]
        );
    }
}

/// A strict RFC 4180 reader: records of fields, CRLF between records.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF outside quotes");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("bare LF outside quotes"),
            (false, c) => {
                assert_ne!(c, '"', "quote inside an unquoted field");
                field.push(c);
            }
        }
    }
    assert!(!quoted, "unterminated quoted field");
    assert!(
        field.is_empty() && record.is_empty(),
        "last record without CRLF"
    );
    records
}

#[test]
fn hostile_text_stays_in_its_csv_field_and_starts_no_formula() {
    let catalog = support::catalog();
    let (doc, _) = hostile_doc(&catalog);
    let report = Report::build(&catalog, &doc);
    let bytes = render(&report, Format::Csv);
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 byte-order mark for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    let records = read_csv(&text);
    assert_eq!(records[0], exports::CSV_HEADER);
    assert_eq!(
        records.len(),
        1 + report.items().count() + report.other_decisions.len()
    );
    for record in &records {
        assert_eq!(record.len(), exports::CSV_HEADER.len());
        for field in record {
            assert!(
                !field.starts_with(['=', '+', '-', '@']),
                "formula-like field {field:?}"
            );
        }
    }
    let note = exports::CSV_HEADER
        .iter()
        .position(|h| *h == "note")
        .expect("note column");
    let noted: Vec<&Vec<String>> = records.iter().filter(|r| !r[note].is_empty()).collect();
    assert_eq!(noted.len(), 4, "header + 3 notes");
    for r in &noted[1..] {
        assert_eq!(r[note], HOSTILE, "the note reads back literally");
    }
}

#[test]
fn hostile_text_round_trips_through_json() {
    let catalog = support::catalog();
    let (doc, _) = hostile_doc(&catalog);
    let report = Report::build(&catalog, &doc);
    let value: serde_json::Value =
        serde_json::from_slice(&render(&report, Format::Json)).expect("valid JSON");
    assert_eq!(value["client"], HOSTILE);
    let items = value["items"].as_array().expect("items");
    assert_eq!(items.len(), report.items().count());
    let notes: Vec<&str> = items
        .iter()
        .filter_map(|i| i["note"].as_str())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(notes, [HOSTILE; 3]);
    assert_eq!(
        items
            .iter()
            .filter(|i| i["assignee"]["third_party"] == HOSTILE)
            .count(),
        3
    );
}

#[test]
fn the_bundled_catalog_exports_a_sample_engagement() {
    let catalog = Catalog::bundled();
    let scope = catalog.parse_refs("ec2,s3,rds").expect("known");
    let mut doc = Engagement::new(&catalog, "Acme", "Kick-off", "2026-11-28", &scope);
    let first = doc.customer_cells(&catalog)[0].key.clone();
    doc.set_item(
        &catalog,
        &first,
        Item {
            status: Status::Done,
            ..Item::default()
        },
    )
    .expect("set");
    let report = Report::build(&catalog, &doc);
    let md = String::from_utf8(render(&report, Format::Markdown)).expect("utf-8");
    let view = md_view(&md);
    assert_eq!(view.tasks.len(), doc.customer_cells(&catalog).len());
    assert_eq!(view.tasks.iter().filter(|d| **d).count(), 1);
    assert_eq!(view.html, 0);
    assert!(view.text.contains("Amazon EC2"));
}

/// F12: an evidence source named `# x`, `- x` or `1. x` became a heading or a list.
#[test]
fn evidence_source_names_that_look_like_markdown_blocks_stay_text() {
    let catalog = support::catalog();
    let (mut doc, _) = hostile_doc(&catalog);
    let render_with = |doc: &Engagement| {
        md_view(
            &String::from_utf8(render(&Report::build(&catalog, doc), Format::Markdown))
                .expect("utf-8"),
        )
    };
    doc.evidence.sources[0].name = "src".to_owned();
    doc.evidence.sources[0].kind = String::new();
    let plain = render_with(&doc);
    for name in ["# Heading", "- item", "1. first", "+ plus", "=== underline"] {
        doc.evidence.sources[0].name = name.to_owned();
        let view = render_with(&doc);
        assert_eq!(view.headings, plain.headings, "{name}");
        assert_eq!(view.ordered_lists, 0, "{name}");
        assert!(view.text.contains(name), "{name} shows literally");
    }
}
