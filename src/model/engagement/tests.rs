use super::*;
use crate::model::catalog::CellData;
use crate::model::findings::FindingKey;
use proptest::prelude::*;

fn catalog() -> Catalog {
    Catalog::bundled()
}

fn sample(catalog: &Catalog) -> Engagement {
    let scope = catalog
        .parse_refs("ec2,s3,rds/custom")
        .expect("known services");
    Engagement::new(catalog, "Acme", "Kick-off", "2026-11-28", &scope)
}

/// The first customer-involved cell of a service, and its owner.
fn customer_cell(catalog: &Catalog, service: &str) -> (ItemKey, Owner) {
    let r = catalog.parse_ref(service).expect("known service");
    let control = catalog
        .controls
        .iter()
        .find(|c| {
            catalog
                .cell(&r, &c.id)
                .is_some_and(|cell| cell.owner() == Owner::Customer)
        })
        .expect("a customer cell");
    (ItemKey::new(r, &control.id), Owner::Customer)
}

/// The bundled catalog with one cell of a variant-less service moved to another owner and the
/// version bumped: a "newer catalog".
fn catalog_moving(key: &ItemKey, owner: Owner) -> Catalog {
    let base = catalog();
    let cell = base
        .cell(&key.service, &key.control)
        .expect("cell")
        .data
        .clone();
    let mut files: Vec<(String, String)> = Catalog::bundled_files()
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    let service_file = format!("services/{}.json", key.service.service);
    for (path, text) in &mut files {
        let mut value: serde_json::Value = serde_json::from_str(text).expect("json");
        if path == "catalog.json" {
            value["version"] = "9.9.9".into();
        } else if *path == service_file {
            let moved = CellData {
                owner,
                last_verified: Some("2026-11-28".to_owned()),
                sources: if cell.sources.is_empty() {
                    vec![
                        "https://aws.amazon.com/compliance/shared-responsibility-model/".to_owned(),
                    ]
                } else {
                    cell.sources.clone()
                },
                ..cell.clone()
            };
            value["cells"][&key.control] = serde_json::to_value(moved).expect("cell json");
        } else {
            continue;
        }
        *text = serde_json::to_string(&value).expect("json");
    }
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .expect("modified catalog is valid")
}

#[test]
fn status_cycles_through_all_five_and_wraps() {
    let mut status = Status::Open;
    let mut seen = Vec::new();
    for _ in 0..5 {
        seen.push(status);
        status = status.next();
    }
    assert_eq!(seen, Status::ALL);
    assert_eq!(status, Status::Open);
    for s in Status::ALL {
        assert_eq!(Status::parse(s.as_str()), Some(s));
        assert_eq!(Status::parse(s.label()), Some(s));
    }
    assert_eq!(Status::parse("in-progress"), Some(Status::InProgress));
    assert_eq!(Status::parse("n/a"), Some(Status::NotApplicable));
    assert_eq!(Status::parse("finished"), None);
}

#[test]
fn assignees_parse_from_their_command_line_form() {
    let all = [
        Assignee::Aws,
        Assignee::ClientPlatform,
        Assignee::ClientApplication,
        Assignee::ThirdParty("Cloud MSP Ltd".to_owned()),
        Assignee::Other("Security: Jo".to_owned()),
    ];
    for a in all {
        assert_eq!(Assignee::parse(&a.to_arg()), Ok(a));
    }
    assert_eq!(Assignee::parse("platform"), Ok(Assignee::ClientPlatform));
    assert_eq!(
        Assignee::parse("msp:Acme"),
        Ok(Assignee::ThirdParty("Acme".to_owned()))
    );
    assert!(Assignee::parse("the platform folks").is_err());
    assert!(Assignee::parse("third_party:").is_err());
}

#[test]
fn absent_items_are_open_and_blank_items_are_removed() {
    let catalog = catalog();
    let mut doc = sample(&catalog);
    let (key, owner) = customer_cell(&catalog, "ec2");
    assert_eq!(doc.status(&key), Status::Open);
    assert!(doc.item(&key).is_none());

    doc.edit_item(&catalog, &key, |i| i.note = "patch monthly".to_owned())
        .expect("edit");
    let item = doc.item(&key).expect("stored");
    assert_eq!(item.owner_at_decision, Some(owner));
    assert_eq!(item.status, Status::Open);

    doc.edit_item(&catalog, &key, |i| i.note.clear())
        .expect("edit");
    assert!(
        doc.items.is_empty(),
        "a blank item is not kept: {:?}",
        doc.items
    );
}

#[test]
fn cycle_status_walks_the_item() {
    let catalog = catalog();
    let mut doc = sample(&catalog);
    let (key, _) = customer_cell(&catalog, "s3");
    assert_eq!(doc.cycle_status(&catalog, &key), Ok(Status::InProgress));
    assert_eq!(doc.cycle_status(&catalog, &key), Ok(Status::Done));
    assert_eq!(doc.status(&key), Status::Done);
    for _ in 0..3 {
        doc.cycle_status(&catalog, &key).expect("cycle");
    }
    assert_eq!(doc.status(&key), Status::Open);
    assert!(doc.items.is_empty());
}

#[test]
fn edits_outside_scope_or_catalog_are_refused() {
    let catalog = catalog();
    let mut doc = sample(&catalog);
    let lambda = catalog.parse_ref("lambda").expect("lambda");
    let err = doc
        .set_item(
            &catalog,
            &ItemKey::new(lambda, "IAM-01"),
            Item {
                status: Status::Done,
                ..Item::default()
            },
        )
        .expect_err("not in scope");
    assert!(matches!(err, EditError::NotInScope { .. }), "{err}");
    assert!(err.to_string().contains("ec2, s3, rds/custom"), "{err}");

    let ec2 = catalog.parse_ref("ec2").expect("ec2");
    let err = doc
        .set_item(
            &catalog,
            &ItemKey::new(ec2.clone(), "XYZ-99"),
            Item {
                status: Status::Done,
                ..Item::default()
            },
        )
        .expect_err("unknown control");
    assert!(matches!(err, EditError::UnknownControl { .. }), "{err}");

    let err = doc
        .set_item(
            &catalog,
            &ItemKey::new(ec2, "IAM-01"),
            Item {
                due: Some("next week".to_owned()),
                ..Item::default()
            },
        )
        .expect_err("bad due date");
    assert!(matches!(err, EditError::BadDue { .. }), "{err}");
    assert!(doc.items.is_empty());
}

#[test]
fn progress_counts_resolved_customer_items_per_domain_and_service() {
    let catalog = catalog();
    let mut doc = sample(&catalog);
    let cells = doc.customer_cells(&catalog);
    let before = doc.progress(&catalog);
    assert_eq!(
        before.total,
        Progress {
            resolved: 0,
            total: cells.len()
        }
    );
    assert_eq!(before.by_service.len(), 3);
    assert_eq!(
        before
            .by_service
            .iter()
            .map(|(_, p)| p.total)
            .sum::<usize>(),
        cells.len()
    );
    assert_eq!(
        before.by_domain.iter().map(|(_, p)| p.total).sum::<usize>(),
        cells.len()
    );

    // One of each status on the first five cells: three are resolved.
    for (cell, status) in cells.iter().zip(Status::ALL) {
        doc.set_item(
            &catalog,
            &cell.key,
            Item {
                status,
                ..Item::default()
            },
        )
        .expect("set");
    }
    let after = doc.progress(&catalog);
    assert_eq!(after.total.resolved, 3);
    let resolved_by_service: usize = after.by_service.iter().map(|(_, p)| p.resolved).sum();
    assert_eq!(resolved_by_service, 3);

    // A decision on an AWS-owned cell does not count.
    let ec2 = catalog.parse_ref("ec2").expect("ec2");
    let aws_control = catalog
        .controls
        .iter()
        .find(|c| {
            catalog
                .cell(&ec2, &c.id)
                .is_some_and(|x| x.owner() == Owner::Aws)
        })
        .expect("an AWS cell");
    doc.set_item(
        &catalog,
        &ItemKey::new(ec2, &aws_control.id),
        Item {
            status: Status::Done,
            ..Item::default()
        },
    )
    .expect("set");
    assert_eq!(doc.progress(&catalog).total, after.total);
    assert_eq!(
        Progress {
            resolved: 1,
            total: 3
        }
        .percent(),
        33
    );
    assert_eq!(Progress::default().percent(), 0);
}

#[test]
fn a_newer_catalog_lists_items_whose_owner_changed() {
    let old = catalog();
    let mut doc = sample(&old);
    let (moved, owner) = customer_cell(&old, "ec2");
    let (kept, _) = customer_cell(&old, "s3");
    for key in [&moved, &kept] {
        doc.set_item(
            &old,
            key,
            Item {
                status: Status::Done,
                ..Item::default()
            },
        )
        .expect("set");
    }
    assert!(doc.owner_changes(&old).is_empty());

    let new = catalog_moving(&moved, Owner::Aws);
    assert!(doc.catalog_version_differs(&new));
    let changes = doc.owner_changes(&new);
    assert_eq!(
        changes,
        vec![OwnerChange {
            key: moved.clone(),
            before: owner,
            after: Some(Owner::Aws)
        }]
    );

    doc.accept_catalog(&new);
    assert!(doc.owner_changes(&new).is_empty());
    assert_eq!(doc.catalog_version, "9.9.9");
    assert_eq!(
        doc.item(&moved).and_then(|i| i.owner_at_decision),
        Some(Owner::Aws)
    );
}

#[test]
fn items_of_services_the_catalog_dropped_are_listed_as_gone() {
    let catalog = catalog();
    let mut doc = sample(&catalog);
    let ghost = ItemKey::new(ServiceRef::new("retired-service", None), "IAM-01");
    doc.items.insert(
        ghost.clone(),
        Item {
            status: Status::Done,
            owner_at_decision: Some(Owner::Customer),
            ..Item::default()
        },
    );
    let changes = doc.owner_changes(&catalog);
    assert_eq!(
        changes,
        vec![OwnerChange {
            key: ghost,
            before: Owner::Customer,
            after: None
        }]
    );
}

#[test]
fn the_document_round_trips_through_json() {
    let catalog = catalog();
    let mut doc = sample(&catalog);
    let (key, _) = customer_cell(&catalog, "rds/custom");
    doc.set_item(
        &catalog,
        &key,
        Item {
            status: Status::RiskAccepted,
            assignee: Some(Assignee::ThirdParty("MSP \"Ops\" Ltd".to_owned())),
            due: Some("2027-01-31".to_owned()),
            note: "line 1\nline 2 | `x` <script>".to_owned(),
            owner_at_decision: None,
        },
    )
    .expect("set");
    doc.evidence.sources.push(EvidenceSource {
        name: "config.json".to_owned(),
        kind: "aws-config".to_owned(),
        imported: Some("2026-11-27".to_owned()),
    });
    doc.evidence.summaries.push(EvidenceSummary {
        check: "rds_public".to_owned(),
        service: "rds".to_owned(),
        control: "NET-03".to_owned(),
        resource_id: "db-1".to_owned(),
        region: "eu-west-1".to_owned(),
        account: "123456789012".to_owned(),
        status: EvidenceStatus::Fail,
        detail: "PubliclyAccessible true".to_owned(),
        source: "config.json".to_owned(),
    });
    doc.edit_finding(
        &crate::model::findings::FindingKey {
            check: "rds_public".to_owned(),
            account: "123456789012".to_owned(),
            region: "eu-west-1".to_owned(),
            resource_id: "db-1".to_owned(),
        },
        FindingEdit::Note("closed to the internet on Friday".to_owned()),
    );
    let text = doc.to_json();
    assert!(text.starts_with("{\n  \"format_version\": 3,"), "{text}");
    assert!(text.contains("\"findings\": ["), "{text}");
    let parsed = Engagement::from_json(&text).expect("parses");
    assert_eq!(parsed.migrated_from, None);
    assert_eq!(parsed.engagement, doc);
    assert_eq!(parsed.engagement.to_json(), text, "serialization is stable");
}

const V1_DOC: &str = r#"{
  "format_version": 1,
  "client": "Old Client",
  "title": "Pilot",
  "date": "2025-06-01",
  "catalog_version": "0.0.9",
  "services": ["ec2", "rds/custom"],
  "items": {
    "ec2/IAM-01": {"status": "done", "assignee": "Platform team", "due": "2025-07-01", "note": "root MFA on"},
    "rds/custom/CVM-01": {"status": "in progress", "assignee": "MSP: Cloudops", "due": ""},
    "ec2/NET-02": {"status": "n/a", "assignee": "Jo from security"},
    "ec2/LOG-01": {"status": "open", "assignee": ""}
  }
}"#;

#[test]
fn format_1_is_migrated() {
    let parsed = Engagement::from_json(V1_DOC).expect("v1 reads");
    assert_eq!(parsed.migrated_from, Some(1));
    let doc = parsed.engagement;
    assert_eq!(doc.client, "Old Client");
    assert_eq!(doc.catalog_version, "0.0.9");
    assert_eq!(
        doc.scope,
        vec![
            ServiceRef::new("ec2", None),
            ServiceRef::new("rds", Some("custom"))
        ]
    );
    let item = |s: &str, c: &str| {
        doc.item(&ItemKey::new(service_ref_from_key(s), c))
            .cloned()
            .expect("item")
    };
    let iam = item("ec2", "IAM-01");
    assert_eq!(iam.status, Status::Done);
    assert_eq!(iam.assignee, Some(Assignee::ClientPlatform));
    assert_eq!(iam.due.as_deref(), Some("2025-07-01"));
    assert_eq!(iam.note, "root MFA on");
    assert_eq!(iam.owner_at_decision, None);
    let cvm = item("rds/custom", "CVM-01");
    assert_eq!(cvm.status, Status::InProgress);
    assert_eq!(
        cvm.assignee,
        Some(Assignee::ThirdParty("Cloudops".to_owned()))
    );
    assert_eq!(cvm.due, None);
    let net = item("ec2", "NET-02");
    assert_eq!(net.status, Status::NotApplicable);
    assert_eq!(
        net.assignee,
        Some(Assignee::Other("Jo from security".to_owned()))
    );
    assert_eq!(item("ec2", "LOG-01"), Item::default());
    // Re-saved, it is a current-format document that reads back the same.
    let again = Engagement::from_json(&doc.to_json()).expect("v2 reads");
    assert_eq!(again.migrated_from, None);
    assert_eq!(again.engagement, doc);
}

#[test]
fn format_1_with_an_unknown_status_is_refused_not_guessed() {
    let text = V1_DOC.replace("\"in progress\"", "\"blocked\"");
    let err = Engagement::from_json(&text).expect_err("unknown v1 status");
    assert!(err.to_string().contains("blocked"), "{err}");
}

#[test]
fn a_newer_format_is_refused_with_a_clear_message() {
    let catalog = catalog();
    let text = sample(&catalog)
        .to_json()
        .replace("\"format_version\": 3", "\"format_version\": 7");
    let err = Engagement::from_json(&text).expect_err("too new");
    assert_eq!(
        err,
        ParseError::TooNew {
            found: 7,
            supported: FORMAT_VERSION
        }
    );
    assert!(err.to_string().contains("newer demarc"), "{err}");
}

#[test]
fn corrupt_documents_give_typed_errors() {
    let catalog = catalog();
    let good = sample(&catalog).to_json();
    let truncated = &good[..good.len() / 2];
    assert!(matches!(
        Engagement::from_json(truncated),
        Err(ParseError::Syntax { .. })
    ));
    assert!(matches!(
        Engagement::from_json(""),
        Err(ParseError::Syntax { .. })
    ));
    assert!(matches!(
        Engagement::from_json("[1,2]"),
        Err(ParseError::NotAnEngagement { .. })
    ));
    assert!(matches!(
        Engagement::from_json("{\"client\": \"x\"}"),
        Err(ParseError::NotAnEngagement { .. })
    ));
    assert!(matches!(
        Engagement::from_json("{\"format_version\": \"2\"}"),
        Err(ParseError::NotAnEngagement { .. })
    ));
    let unknown_field = good.replacen("\"client\"", "\"surprise\": 1,\n  \"client\"", 1);
    let err = Engagement::from_json(&unknown_field).expect_err("unknown field");
    assert!(err.to_string().contains("surprise"), "{err}");
    let bad_date = good.replace("2026-11-28", "28/11/2026");
    assert!(matches!(
        Engagement::from_json(&bad_date),
        Err(ParseError::Invalid { .. })
    ));
    let twice = r#"{"format_version": 2, "client": "c", "title": "t", "date": "2026-01-01",
        "catalog_version": "0.1.0", "scope": ["ec2"],
        "items": [{"service": "ec2", "control": "IAM-01", "status": "done"},
                  {"service": "ec2", "control": "IAM-01", "status": "open"}]}"#;
    let err = Engagement::from_json(twice).expect_err("duplicate item");
    assert!(
        err.to_string().contains("ec2/IAM-01 is listed twice"),
        "{err}"
    );
    let finding = r#"{"check": "rds_public", "account": "1", "region": "r", "resource_id": "db"}"#;
    let twice = format!(
        r#"{{"format_version": 3, "client": "c", "title": "t", "date": "2026-01-01",
        "catalog_version": "0.1.0", "findings": [{finding}, {finding}]}}"#
    );
    let err = Engagement::from_json(&twice).expect_err("duplicate finding decision");
    assert!(err.to_string().contains("listed twice"), "{err}");
}

#[test]
fn a_format_2_document_reads_as_format_3_without_finding_decisions() {
    let catalog = catalog();
    let v3 = sample(&catalog).to_json();
    let v2 = v3.replace("\"format_version\": 3", "\"format_version\": 2");
    let parsed = Engagement::from_json(&v2).expect("format 2 reads");
    assert_eq!(parsed.migrated_from, Some(2));
    assert_eq!(parsed.engagement, sample(&catalog));
    assert!(parsed.engagement.findings.is_empty());
    assert_eq!(parsed.engagement.to_json(), v3, "saving writes format 3");
}

// ---- property tests ----

fn text() -> impl Strategy<Value = String> {
    // Any Unicode, with the characters that break formats over-represented.
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just('|'),
                Just('`'),
                Just('<'),
                Just('"'),
                Just('\\'),
                Just('\n'),
                Just('\r'),
                Just(','),
                Just(' '),
                Just('é'),
                Just('\u{0}'),
                Just('\u{2028}'),
                any::<char>()
            ],
            0..20
        )
        .prop_map(|cs| cs.into_iter().collect()),
    ]
}

fn date() -> impl Strategy<Value = String> {
    (2000u32..2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn slug() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,8}"
}

fn service_ref() -> impl Strategy<Value = ServiceRef> {
    (slug(), proptest::option::of(slug())).prop_map(|(s, v)| ServiceRef::new(&s, v.as_deref()))
}

fn status() -> impl Strategy<Value = Status> {
    proptest::sample::select(Status::ALL.to_vec())
}

fn owner() -> impl Strategy<Value = Owner> {
    proptest::sample::select(Owner::ALL.to_vec())
}

fn assignee() -> impl Strategy<Value = Assignee> {
    prop_oneof![
        Just(Assignee::Aws),
        Just(Assignee::ClientPlatform),
        Just(Assignee::ClientApplication),
        text().prop_map(Assignee::ThirdParty),
        text().prop_map(Assignee::Other),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    (
        status(),
        proptest::option::of(assignee()),
        proptest::option::of(date()),
        text(),
        proptest::option::of(owner()),
    )
        .prop_map(|(status, assignee, due, note, owner_at_decision)| Item {
            status,
            assignee,
            due,
            note,
            owner_at_decision,
        })
}

fn evidence() -> impl Strategy<Value = Evidence> {
    let source =
        (text(), text(), proptest::option::of(date())).prop_map(|(name, kind, imported)| {
            EvidenceSource {
                name,
                kind,
                imported,
            }
        });
    let summary = (
        (text(), slug(), "[A-Z]{3}-0[1-9]", text()),
        (text(), text()),
        proptest::sample::select(vec![
            EvidenceStatus::Pass,
            EvidenceStatus::Fail,
            EvidenceStatus::Unknown,
        ]),
        (text(), text()),
    )
        .prop_map(
            |(
                (check, service, control, resource_id),
                (region, account),
                status,
                (detail, source),
            )| {
                EvidenceSummary {
                    check,
                    service,
                    control,
                    resource_id,
                    region,
                    account,
                    status,
                    detail,
                    source,
                }
            },
        );
    (
        proptest::collection::vec(source, 0..3),
        proptest::collection::vec(summary, 0..4),
    )
        .prop_map(|(sources, summaries)| Evidence { sources, summaries })
}

fn engagement() -> impl Strategy<Value = Engagement> {
    (
        (text(), text(), date(), "[0-9]\\.[0-9]{1,2}\\.[0-9]"),
        proptest::collection::btree_set(service_ref(), 0..5),
        proptest::collection::btree_map((service_ref(), "[A-Z]{3}-0[1-9]"), item(), 0..8),
        (evidence(), finding_decisions()),
    )
        .prop_map(
            |((client, title, date, catalog_version), scope, items, (evidence, findings))| {
                Engagement {
                    client,
                    title,
                    date,
                    catalog_version,
                    scope: scope.into_iter().collect(),
                    evidence,
                    items: items
                        .into_iter()
                        .map(|((service, control), item)| (ItemKey::new(service, &control), item))
                        .collect(),
                    findings,
                }
            },
        )
}

fn finding_decisions() -> impl Strategy<Value = BTreeMap<FindingKey, FindingDecision>> {
    let key =
        (slug(), "[0-9]{12}", slug(), text()).prop_map(|(check, account, region, resource_id)| {
            FindingKey {
                check,
                account,
                region,
                resource_id,
            }
        });
    let decision = (status(), proptest::option::of(assignee()), text())
        .prop_map(|(status, assignee, note)| FindingDecision {
            status,
            assignee,
            note,
        })
        .prop_filter("blank decisions are not kept", |d| !d.is_blank());
    proptest::collection::btree_map(key, decision, 0..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_document_round_trips(doc in engagement()) {
        let text = doc.to_json();
        let parsed = Engagement::from_json(&text).expect("own output parses");
        prop_assert_eq!(parsed.migrated_from, None);
        prop_assert_eq!(&parsed.engagement, &doc);
        prop_assert_eq!(parsed.engagement.to_json(), text);
    }

    #[test]
    fn any_text_parses_or_fails_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = Engagement::from_json(&text);
    }

    #[test]
    fn mangled_documents_never_panic(doc in engagement(), cut in 0usize..2000, byte in any::<u8>()) {
        let mut bytes = doc.to_json().into_bytes();
        if !bytes.is_empty() {
            let at = cut % bytes.len();
            bytes[at] = byte;
        }
        let _ = Engagement::from_json(&String::from_utf8_lossy(&bytes));
    }
}
