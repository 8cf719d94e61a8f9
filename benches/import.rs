//! Import speed against plain parsing: a deterministic 200,000-item AWS Config snapshot is
//! imported (stream-split, parsed, mapped to services, every check run) and, side by side,
//! parsed into a `serde_json::Value`. Target: import <= 1.5x the parse time.
//! `cargo bench --bench import`; `DEMARC_BENCH_ITEMS=20000` for a quicker run.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use demarc::import;
use demarc::model::catalog::Catalog;
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let items: usize = std::env::var("DEMARC_BENCH_ITEMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let bytes = import::synth::config_snapshot(items, 1);
    let catalog = Catalog::bundled();
    let mut group = c.benchmark_group(format!("config_snapshot_{items}_items"));
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("serde_json_value_parse", |b| {
        b.iter(|| {
            let value: serde_json::Value =
                serde_json::from_slice(black_box(&bytes)).expect("valid JSON");
            black_box(value)
        });
    });
    group.bench_function("demarc_import", |b| {
        b.iter(|| {
            let evidence =
                import::import_bytes(&catalog, "synth.json", black_box(&bytes)).expect("imports");
            assert_eq!(evidence.resources.len(), items);
            black_box(evidence)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
