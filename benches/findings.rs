//! The findings board with 1,000,000 check results. Target: re-filtering < 16 ms (one frame at
//! 60 Hz) on this 2-core machine. Building the findings (dedup, interning, the three sorted
//! orders) happens once per import and is measured too.
//! Run: `cargo bench --bench findings`. Targets are reported, never asserted.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use demarc::model::catalog::{Catalog, Severity};
use demarc::model::evidence::{CheckResult, Evidence, SourceFormat, SourceInfo, Status};
use demarc::model::findings::{FindingFilter, Findings, Grouping};
use std::time::Instant;

const RESULTS: usize = 1_000_000;

/// A small deterministic generator (xorshift), so every run measures the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// 1,000,000 results over every check, 40 accounts, 8 regions and about 230,000 resources,
/// from a CLI collection, Security Hub and Prowler: the same (check, resource) is often
/// reported by two or three sources, as in a real import of several tools.
fn generate(catalog: &Catalog) -> Evidence {
    let regions = [
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "eu-west-1",
        "eu-central-1",
        "ap-southeast-1",
        "ap-northeast-1",
        "sa-east-1",
    ];
    let accounts: Vec<String> = (0..40)
        .map(|i| format!("{:012}", 100_000_000_000u64 + i))
        .collect();
    let sources = [
        ("acme/cli", SourceFormat::AwsCliCollection),
        ("acme/securityhub.json", SourceFormat::SecurityHubAsff),
        ("acme/prowler.ocsf.json", SourceFormat::ProwlerOcsf),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut results = Vec::with_capacity(RESULTS);
    while results.len() < RESULTS {
        let check = &catalog.checks[rng.below(catalog.checks.len())];
        let account = &accounts[rng.below(accounts.len())];
        let region = regions[rng.below(regions.len())];
        let resource = format!("{}-{:06}", check.service, rng.below(120_000));
        let status = match rng.below(10) {
            0..=3 => Status::Fail,
            4 => Status::Unknown,
            _ => Status::Pass,
        };
        for (path, _) in sources.iter().take(1 + rng.below(3)) {
            if results.len() == RESULTS {
                break;
            }
            results.push(CheckResult {
                check: check.key.as_str().into(),
                service: check.service.as_str().into(),
                control: check.control.as_str().into(),
                resource_id: resource.as_str().into(),
                region: region.into(),
                account: account.as_str().into(),
                status,
                detail: "".into(),
                source: (*path).into(),
                observed_at: None,
                test: "".into(),
                earlier: Vec::new(),
            });
        }
    }
    Evidence {
        sources: sources
            .iter()
            .map(|(path, format)| SourceInfo {
                path: (*path).to_owned(),
                format: *format,
                accounts: accounts.clone(),
                regions: regions.iter().map(|r| (*r).to_owned()).collect(),
            })
            .collect(),
        results,
        ..Evidence::default()
    }
}

fn findings(c: &mut Criterion) {
    let catalog = Catalog::bundled();
    let evidence = generate(&catalog);
    let started = Instant::now();
    let findings = Findings::build(&catalog, &evidence);
    println!(
        "{} results -> {} findings (built once in {:.0} ms)",
        evidence.results.len(),
        findings.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let mut group = c.benchmark_group("findings, 1M results");
    group.sample_size(20);
    let cases: [(&str, FindingFilter, Grouping); 6] = [
        (
            "default filter (fail + unknown), by service",
            FindingFilter::default(),
            Grouping::Service,
        ),
        (
            "every status, by check",
            FindingFilter {
                statuses: Status::ALL.to_vec(),
                ..FindingFilter::default()
            },
            Grouping::Check,
        ),
        (
            "every status, by control",
            FindingFilter {
                statuses: Status::ALL.to_vec(),
                ..FindingFilter::default()
            },
            Grouping::Control,
        ),
        (
            "failing S3 in one account, by service",
            FindingFilter {
                statuses: vec![Status::Fail],
                service: Some("s3".into()),
                account: Some("100000000007".into()),
                ..FindingFilter::default()
            },
            Grouping::Service,
        ),
        (
            "critical + high in one region, by control",
            FindingFilter {
                severities: vec![Severity::Critical, Severity::High],
                region: Some("eu-west-1".into()),
                ..FindingFilter::default()
            },
            Grouping::Control,
        ),
        (
            "text query matching a resource id, by service",
            FindingFilter {
                query: "s3-00012".into(),
                ..FindingFilter::default()
            },
            Grouping::Service,
        ),
    ];
    for (name, filter, grouping) in cases {
        group.bench_function(format!("re-filter: {name}"), |b| {
            b.iter(|| black_box(findings.filter(&filter, grouping)));
        });
    }
    group.sample_size(10);
    group.bench_function("build (dedup, intern, sort three orders)", |b| {
        b.iter(|| black_box(Findings::build(&catalog, &evidence)));
    });
    group.finish();
}

criterion_group!(benches, findings);
criterion_main!(benches);
