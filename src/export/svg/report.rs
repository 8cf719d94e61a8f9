//! The engagement report's pictures: who owns what per service, progress per domain, and
//! failing findings per service (when evidence is loaded). Each is a bar chart for the page.

use super::{Bar, Segment, bar_chart};
use crate::export::style;
use crate::model::engagement::Status;
use crate::model::engagement::report::Report;
use crate::model::owner::Owner;
use std::collections::BTreeMap;

/// One picture of the report: an id for the page, and the SVG.
pub struct Chart {
    pub id: &'static str,
    pub svg: String,
}

const OWNER_ORDER: [Owner; 4] = [
    Owner::Customer,
    Owner::Shared,
    Owner::Aws,
    Owner::NotApplicable,
];
/// Resolved first, so the bar reads as progress from the left.
const STATUS_ORDER: [Status; 5] = [
    Status::Done,
    Status::NotApplicable,
    Status::RiskAccepted,
    Status::InProgress,
    Status::Open,
];

/// The report's charts, in the order the page shows them.
pub fn report_charts(report: &Report) -> Vec<Chart> {
    let mut charts = Vec::new();
    if !report.owner_split.is_empty() {
        let bars: Vec<Bar> = report
            .owner_split
            .iter()
            .map(|(name, totals)| Bar {
                label: name.clone(),
                segments: OWNER_ORDER
                    .iter()
                    .map(|o| Segment {
                        value: totals.get(o).copied().unwrap_or(0),
                        fill: style::owner_fill(*o),
                        ink: style::owner_text(*o),
                        word: o.label(),
                    })
                    .collect(),
            })
            .collect();
        let legend: Vec<(u32, &str)> = OWNER_ORDER
            .iter()
            .map(|o| (style::owner_fill(*o), o.label()))
            .collect();
        charts.push(Chart {
            id: "chart-owners",
            svg: bar_chart("Who owns each control, per service", &bars, &legend),
        });
    }
    if !report.by_domain.is_empty() {
        let bars: Vec<Bar> = report
            .by_domain
            .iter()
            .map(|t| Bar {
                label: t.label.clone(),
                segments: STATUS_ORDER
                    .iter()
                    .map(|s| Segment {
                        value: t.counts.get(*s),
                        fill: style::status_fill(*s),
                        ink: style::INK,
                        word: s.label(),
                    })
                    .collect(),
            })
            .collect();
        let legend: Vec<(u32, &str)> = STATUS_ORDER
            .iter()
            .map(|s| (style::status_fill(*s), s.label()))
            .collect();
        charts.push(Chart {
            id: "chart-progress",
            svg: bar_chart("Customer items per domain, by status", &bars, &legend),
        });
    }
    if let Some(chart) = findings_chart(report) {
        charts.push(chart);
    }
    charts
}

/// Failing and unknown results per service, when the engagement holds evidence.
fn findings_chart(report: &Report) -> Option<Chart> {
    let mut per_service: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for item in report.items().chain(&report.other_decisions) {
        for f in &item.findings {
            let counts = per_service.entry(&item.service_name).or_default();
            match f.status {
                Some(crate::model::evidence::Status::Fail) => counts.0 += 1,
                Some(crate::model::evidence::Status::Unknown) => counts.1 += 1,
                _ => {}
            }
        }
    }
    if report.evidence_sources.is_empty() && per_service.is_empty() {
        return None;
    }
    // Services in scope order first, then any other service evidence names.
    let mut names: Vec<&str> = report
        .by_service
        .iter()
        .map(|t| t.label.as_str())
        .filter(|n| per_service.contains_key(n))
        .collect();
    for name in per_service.keys() {
        if !names.contains(name) {
            names.push(name);
        }
    }
    let bars: Vec<Bar> = names
        .iter()
        .map(|name| {
            let (fail, unknown) = per_service.get(name).copied().unwrap_or_default();
            Bar {
                label: (*name).to_owned(),
                segments: vec![
                    Segment {
                        value: fail,
                        fill: style::FAIL,
                        ink: style::HEADER_TEXT,
                        word: "Failing",
                    },
                    Segment {
                        value: unknown,
                        fill: style::BAND_FILL,
                        ink: style::INK,
                        word: "Unknown",
                    },
                ],
            }
        })
        .collect();
    let title = if bars.is_empty() {
        "Failing findings per service: none in the imported evidence"
    } else {
        "Failing findings per service"
    };
    Some(Chart {
        id: "chart-findings",
        svg: bar_chart(
            title,
            &bars,
            &[(style::FAIL, "Failing"), (style::BAND_FILL, "Unknown")],
        ),
    })
}
