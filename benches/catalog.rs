//! Speed targets (2-core machine): catalog load + validation < 20 ms; one frame of the matrix
//! view with every catalog service selected < 8 ms; Markdown export of the full catalog < 50 ms.
//! Run: `cargo bench --bench catalog`. Targets are reported here, never asserted in tests.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use demarc::export;
use demarc::model::catalog::Catalog;
use demarc::model::checklist::{Checklist, ChecklistOptions};
use demarc::model::matrix::{Filters, Matrix};
use demarc::state::{Session, Settings};
use demarc::ui::{self, UiState};
use std::sync::Arc;

fn catalog(c: &mut Criterion) {
    c.bench_function("catalog load + validate (bundled)", |b| {
        b.iter(|| black_box(Catalog::bundled()));
    });

    let catalog = Catalog::bundled();
    let all = catalog.all_refs();
    c.bench_function(
        &format!("matrix build, every column ({})", all.len()),
        |b| {
            b.iter(|| black_box(Matrix::build(&catalog, &all, &Filters::default())));
        },
    );
    let filters = Filters {
        query: "encrypt".into(),
        owners: [demarc::model::Owner::Customer].into(),
        ..Filters::default()
    };
    c.bench_function("matrix build, every column, search + owner filter", |b| {
        b.iter(|| black_box(Matrix::build(&catalog, &all, &filters)));
    });

    let list = Checklist::build(&catalog, &all, &ChecklistOptions::new("2026-11-28"));
    c.bench_function("markdown checklist export, full catalog", |b| {
        b.iter(|| {
            let mut out = Vec::with_capacity(4 << 20);
            export::markdown::checklist(&mut out, &list).expect("render");
            black_box(out)
        });
    });
    c.bench_function("checklist build + markdown export, full catalog", |b| {
        b.iter(|| {
            let list = Checklist::build(&catalog, &all, &ChecklistOptions::new("2026-11-28"));
            let mut out = Vec::with_capacity(4 << 20);
            export::markdown::checklist(&mut out, &list).expect("render");
            black_box(out)
        });
    });
}

/// One whole frame of the app (toolbar, picker, matrix with every column) on a bare egui
/// context: layout and tessellation, no GPU.
fn frame(c: &mut Criterion) {
    let catalog = Arc::new(Catalog::bundled());
    let settings = Settings {
        scope: catalog
            .all_refs()
            .iter()
            .map(demarc::model::ServiceRef::key)
            .collect(),
        ..Settings::default()
    };
    let session = Session::new(Arc::clone(&catalog), &settings, "2026-11-28");
    let mut state = UiState::default();
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1920.0, 1080.0),
        )),
        ..egui::RawInput::default()
    };
    // Warm up fonts and galley caches as a running app would have them.
    for _ in 0..3 {
        let _ = ctx.run_ui(input(), |ui| {
            let _ = ui::app_ui(ui, &session, &mut state);
        });
    }
    c.bench_function(
        &format!(
            "frame: matrix view, every column ({}), 1920x1080",
            session.scope().len()
        ),
        |b| {
            b.iter(|| {
                let output = ctx.run_ui(input(), |ui| {
                    black_box(ui::app_ui(ui, &session, &mut state));
                });
                black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
            });
        },
    );
}

criterion_group!(benches, catalog, frame);
criterion_main!(benches);
