//! The matrix and the comparison as 16:9 pictures. The matrix flows its rows, under domain
//! bands, into up to three side-by-side panels so that a whole matrix of a few services reads
//! on one slide; the comparison shows each column's owner split as a stacked bar, what moves
//! between neighbours, and only the rows that change. A picture that cannot fit at a readable
//! size grows taller rather than shrinking its text.

use super::{
    Bar, BarsFrame, HEIGHT, MARGIN, Segment, WIDTH, bars, fit, legend, open, rect, text,
    text_width, wrap,
};
use crate::export::style;
use crate::model::catalog::Catalog;
use crate::model::matrix::{Comparison, Matrix};
use crate::model::owner::Owner;
use crate::model::words;
use std::fmt::Write as _;
use std::io::{self, Write};

const ROW_FONT: f64 = 14.0;
const MIN_ROW: f64 = 22.0;
const MAX_ROW: f64 = 34.0;
const MIN_CELL: f64 = 72.0;
const MAX_CELL: f64 = 120.0;
/// The room a control's id and name would like, and the least it gets.
const LABEL: f64 = 270.0;
const MIN_LABEL: f64 = 200.0;
const PANEL_GAP: f64 = 28.0;
const TOP: f64 = 118.0;
/// The comparison shows fewer rows, so larger.
const CMP_MAX_ROW: f64 = 56.0;
const CMP_FONT: f64 = 19.0;
const BOTTOM: f64 = 56.0;

/// One line of a panel: a domain band or a control row.
enum Line<'a> {
    Band(&'a str, bool),
    Row {
        label: String,
        owners: &'a [Owner],
        inherited: &'a [bool],
    },
}

/// The owner's words, or `N/A` where "Not applicable" has no room.
fn owner_word(owner: Owner, room: f64, size: f64) -> String {
    if owner == Owner::NotApplicable && text_width(owner.label(), size) > room {
        "N/A".to_owned()
    } else {
        fit(owner.label(), room, size)
    }
}

fn owner_legend() -> Vec<(u32, &'static str)> {
    Owner::ALL
        .iter()
        .map(|o| {
            let word = match o {
                Owner::NotApplicable => "Not applicable (N/A)",
                _ => o.label(),
            };
            (style::owner_fill(*o), word)
        })
        .collect()
}

fn header(s: &mut String, title: &str, subtitle: &str) {
    text(
        s,
        MARGIN,
        58.0,
        32.0,
        style::INK,
        "start",
        " font-weight=\"bold\"",
        &fit(title, WIDTH - 2.0 * MARGIN, 32.0),
    );
    text(
        s,
        MARGIN,
        92.0,
        18.0,
        style::WEAK,
        "start",
        "",
        &fit(subtitle, WIDTH - 2.0 * MARGIN, 18.0),
    );
}

/// Splits lines into `k` panels of about equal length; a panel never ends on a band, and a
/// panel that starts inside a domain repeats its band.
fn panels<'a>(groups: Vec<(&'a str, Vec<Line<'a>>)>, k: usize) -> Vec<Vec<Line<'a>>> {
    let total: usize = groups.iter().map(|(_, rows)| rows.len() + 1).sum();
    let per = total.div_ceil(k.max(1)).max(1);
    let mut out: Vec<Vec<Line<'a>>> = vec![Vec::new()];
    for (domain, rows) in groups {
        let room = per.saturating_sub(out.last().map_or(0, Vec::len));
        if room < 2 && out.len() < k && !out.last().is_some_and(Vec::is_empty) {
            out.push(Vec::new());
        }
        if let Some(panel) = out.last_mut() {
            panel.push(Line::Band(domain, false));
        }
        for row in rows {
            if out.last().is_some_and(|p| p.len() >= per) && out.len() < k {
                out.push(vec![Line::Band(domain, true)]);
            }
            if let Some(panel) = out.last_mut() {
                panel.push(row);
            }
        }
    }
    out
}

/// The matrix picture: rows under domain bands, one coloured, worded cell per service.
pub fn matrix(out: &mut impl Write, catalog: &Catalog, matrix: &Matrix) -> io::Result<()> {
    let n = matrix.columns.len().max(1);
    let names: Vec<String> = matrix
        .columns
        .iter()
        .map(|c| catalog.short_name(c))
        .collect();
    let lines = matrix.row_count() + matrix.groups.len();
    // The fewest panels (widest control names) whose rows fit the slide at a readable height,
    // among those whose cells still hold an owner's words; with too many rows for three, the
    // picture grows taller.
    let inner = WIDTH - 2.0 * MARGIN;
    let fitting = ((HEIGHT - TOP - BOTTOM - MAX_ROW) / MIN_ROW).floor() as usize;
    let layouts: Vec<(usize, f64, f64)> = (1..=3)
        .filter_map(|k| {
            let panel = (inner - (k - 1) as f64 * PANEL_GAP) / k as f64;
            let cell = ((panel - LABEL) / n as f64).clamp(MIN_CELL, MAX_CELL);
            let label = panel - cell * n as f64;
            (label >= MIN_LABEL).then_some((k, label, cell))
        })
        .collect();
    let (k, label_w, cell_w, width) = layouts
        .iter()
        .find(|(k, _, _)| lines.div_ceil(*k) < fitting)
        .or(layouts.last())
        .map_or(
            (
                1,
                LABEL,
                MIN_CELL,
                2.0 * MARGIN + LABEL + n as f64 * MIN_CELL,
            ),
            |&(k, label, cell)| (k, label, cell, WIDTH),
        );
    let groups: Vec<(&str, Vec<Line<'_>>)> = matrix
        .groups
        .iter()
        .map(|g| {
            let rows = g
                .rows
                .iter()
                .map(|r| {
                    let c = &catalog.controls[r.control];
                    Line::Row {
                        label: format!("{}  {}", c.id, c.name),
                        owners: &r.owners,
                        inherited: &r.inherited,
                    }
                })
                .collect();
            (catalog.domain_name(&g.domain), rows)
        })
        .collect();
    let panels = panels(groups, k);
    let longest = panels.iter().map(Vec::len).max().unwrap_or(0).max(1) as f64;
    let avail = HEIGHT - TOP - BOTTOM - MAX_ROW;
    let row_h = (avail / longest).clamp(MIN_ROW, MAX_ROW);
    let height = (TOP + MAX_ROW + longest * row_h + BOTTOM).max(HEIGHT);
    let panel_w = label_w + cell_w * n as f64;
    let mut s = String::new();
    let title = format!("Who secures what: {}", names.join(" · "));
    open(&mut s, width, height, &title);
    let mut subtitle = format!(
        "AWS shared responsibility by control · {} controls · demarc catalog {} ({})",
        matrix.row_count(),
        catalog.info.version,
        catalog.info.date
    );
    if matrix.hidden_rows > 0 {
        let _ = write!(
            subtitle,
            " · filtered: {} controls hidden",
            matrix.hidden_rows
        );
    }
    header(&mut s, &title, &subtitle);
    for (p, panel) in panels.iter().enumerate() {
        let x = MARGIN + p as f64 * (panel_w + PANEL_GAP);
        draw_panel(&mut s, x, label_w, cell_w, row_h, &names, panel);
    }
    let y = height - 22.0;
    let after = legend(&mut s, MARGIN, y, 15.0, &owner_legend());
    if matrix
        .groups
        .iter()
        .flat_map(|g| &g.rows)
        .any(|r| r.inherited.contains(&true))
    {
        text(
            &mut s,
            after,
            y,
            15.0,
            style::WEAK,
            "start",
            " font-style=\"italic\"",
            "Italic: the tier's generic text (no service-specific entry)",
        );
    }
    s.push_str("</svg>\n");
    out.write_all(s.as_bytes())
}

fn draw_panel(
    s: &mut String,
    x: f64,
    label_w: f64,
    cell_w: f64,
    row_h: f64,
    names: &[String],
    lines: &[Line<'_>],
) {
    let panel_w = label_w + cell_w * names.len() as f64;
    let mut y = TOP;
    rect(s, x, y, panel_w, MAX_ROW - 4.0, style::HEADER_FILL);
    text(
        s,
        x + 8.0,
        y + 21.0,
        ROW_FONT,
        style::HEADER_TEXT,
        "start",
        " font-weight=\"bold\"",
        "Control",
    );
    for (i, name) in names.iter().enumerate() {
        let cx = x + label_w + cell_w * (i as f64 + 0.5);
        text(
            s,
            cx,
            y + 21.0,
            ROW_FONT,
            style::HEADER_TEXT,
            "middle",
            " font-weight=\"bold\"",
            &fit(name, cell_w - 8.0, ROW_FONT),
        );
    }
    y += MAX_ROW;
    let font = ROW_FONT.min(row_h * 0.62);
    let base = row_h / 2.0 + font * 0.35;
    for line in lines {
        match line {
            Line::Band(name, cont) => {
                rect(s, x, y + 1.0, panel_w, row_h - 2.0, style::BAND_FILL);
                let label = if *cont {
                    format!("{name} (continued)")
                } else {
                    (*name).to_owned()
                };
                text(
                    s,
                    x + 8.0,
                    y + base,
                    font,
                    style::INK,
                    "start",
                    " font-weight=\"bold\"",
                    &fit(&label, panel_w - 16.0, font),
                );
            }
            Line::Row {
                label,
                owners,
                inherited,
            } => {
                text(
                    s,
                    x + 8.0,
                    y + base,
                    font,
                    style::INK,
                    "start",
                    "",
                    &fit(label, label_w - 14.0, font),
                );
                for (i, owner) in owners.iter().enumerate() {
                    let cx = x + label_w + cell_w * i as f64;
                    rect(
                        s,
                        cx + 1.5,
                        y + 1.5,
                        cell_w - 3.0,
                        row_h - 3.0,
                        style::owner_fill(*owner),
                    );
                    let italic = if inherited.get(i).copied().unwrap_or(false) {
                        " font-style=\"italic\""
                    } else {
                        ""
                    };
                    text(
                        s,
                        cx + cell_w / 2.0,
                        y + base,
                        font,
                        style::owner_text(*owner),
                        "middle",
                        italic,
                        &owner_word(*owner, cell_w - 8.0, font),
                    );
                }
            }
        }
        y += row_h;
    }
}

fn owner_bar(label: String, totals: &std::collections::BTreeMap<Owner, usize>) -> Bar {
    Bar {
        label,
        segments: [
            Owner::Customer,
            Owner::Shared,
            Owner::Aws,
            Owner::NotApplicable,
        ]
        .iter()
        .map(|o| Segment {
            value: totals.get(o).copied().unwrap_or(0),
            fill: style::owner_fill(*o),
            ink: style::owner_text(*o),
            word: o.label(),
        })
        .collect(),
    }
}

/// The comparison picture: owner split per column, what moves, and the rows that change.
pub fn comparison(out: &mut impl Write, catalog: &Catalog, cmp: &Comparison) -> io::Result<()> {
    let names: Vec<String> = cmp.columns.iter().map(|c| catalog.short_name(c)).collect();
    let changed: Vec<_> = cmp.rows.iter().filter(|r| r.differs).collect();
    let left_w = 700.0;
    let right_x = MARGIN + left_w + 40.0;
    let right_w = WIDTH - MARGIN - right_x;
    let n = names.len().max(1) as f64;
    let cell_w = ((right_w - 300.0) / n).clamp(96.0, 160.0);
    let label_w = right_w - cell_w * n;
    let avail = HEIGHT - TOP - BOTTOM - MAX_ROW;
    let row_h = (avail / changed.len().max(1) as f64).clamp(MIN_ROW, CMP_MAX_ROW);
    let height = (TOP + 32.0 + MAX_ROW + changed.len() as f64 * row_h + BOTTOM).max(HEIGHT);
    let mut s = String::new();
    let title = format!("What changes: {}", names.join(" → "));
    open(&mut s, WIDTH, height, &title);
    header(
        &mut s,
        &title,
        &format!(
            "{} of {} controls change owner across these columns · demarc catalog {} ({})",
            changed.len(),
            cmp.rows.len(),
            catalog.info.version,
            catalog.info.date
        ),
    );
    text(
        &mut s,
        MARGIN,
        TOP + 20.0,
        20.0,
        style::INK,
        "start",
        " font-weight=\"bold\"",
        "Owner split per column (all controls)",
    );
    let bars_list: Vec<Bar> = names
        .iter()
        .zip(&cmp.totals)
        .map(|(n, t)| owner_bar(n.clone(), t))
        .collect();
    let label_bars = bars_list
        .iter()
        .map(|b| text_width(&b.label, 19.0))
        .fold(90.0_f64, f64::max)
        .min(300.0)
        + 16.0;
    let used = bars(
        &mut s,
        BarsFrame {
            x: MARGIN,
            y: TOP + 38.0,
            width: left_w,
            label_width: label_bars,
            bar_height: 52.0,
            gap: 14.0,
            font: 19.0,
        },
        &bars_list,
    );
    let mut y = TOP + 38.0 + used + 36.0;
    text(
        &mut s,
        MARGIN,
        y,
        20.0,
        style::INK,
        "start",
        " font-weight=\"bold\"",
        "What moves",
    );
    y += 30.0;
    for shift in &cmp.shifts {
        // The same sentence as the screen's headline, then each move it counts.
        let from = catalog.short_name(&shift.from);
        let to = catalog.short_name(&shift.to);
        for line in wrap(&words::shift_headline(shift, &from, &to), left_w, 18.0, 2) {
            text(&mut s, MARGIN, y, 18.0, style::INK, "start", "", &line);
            y += 25.0;
        }
        y += 2.0;
        for ((a, b), n) in &shift.moves {
            let moved = format!(
                "{} from {} to {}",
                words::controls(*n),
                a.label(),
                b.label()
            );
            text(
                &mut s,
                MARGIN + 24.0,
                y,
                17.0,
                style::WEAK,
                "start",
                "",
                &fit(&moved, left_w - 24.0, 17.0),
            );
            y += 24.0;
        }
        y += 8.0;
    }
    changed_rows(
        &mut s, catalog, right_x, label_w, cell_w, row_h, &names, &changed,
    );
    // In the bars' order, so the legend reads like the bars above it.
    let in_bar_order: Vec<(u32, &str)> = [2, 1, 0, 3]
        .into_iter()
        .filter_map(|i| owner_legend().get(i).copied())
        .collect();
    legend(&mut s, MARGIN, height - 22.0, 15.0, &in_bar_order);
    s.push_str("</svg>\n");
    out.write_all(s.as_bytes())
}

#[allow(clippy::too_many_arguments)]
fn changed_rows(
    s: &mut String,
    catalog: &Catalog,
    x: f64,
    label_w: f64,
    cell_w: f64,
    row_h: f64,
    names: &[String],
    changed: &[&crate::model::matrix::CompareRow],
) {
    let panel_w = label_w + cell_w * names.len() as f64;
    text(
        s,
        x,
        TOP + 20.0,
        20.0,
        style::INK,
        "start",
        " font-weight=\"bold\"",
        "Controls that change owner",
    );
    if changed.is_empty() {
        text(
            s,
            x,
            TOP + 60.0,
            16.0,
            style::WEAK,
            "start",
            "",
            "None: every control has the same owner in these columns.",
        );
        return;
    }
    let y0 = TOP + 32.0;
    rect(s, x, y0, panel_w, MAX_ROW - 4.0, style::HEADER_FILL);
    text(
        s,
        x + 8.0,
        y0 + 21.0,
        ROW_FONT,
        style::HEADER_TEXT,
        "start",
        " font-weight=\"bold\"",
        "Control",
    );
    for (i, name) in names.iter().enumerate() {
        let cx = x + label_w + cell_w * (i as f64 + 0.5);
        text(
            s,
            cx,
            y0 + 21.0,
            ROW_FONT,
            style::HEADER_TEXT,
            "middle",
            " font-weight=\"bold\"",
            &fit(name, cell_w - 8.0, ROW_FONT),
        );
    }
    let font = CMP_FONT.min(row_h * 0.55);
    let base = row_h / 2.0 + font * 0.35;
    let mut y = y0 + MAX_ROW;
    for row in changed {
        let c = &catalog.controls[row.control];
        let label = format!("{}  {}", c.id, c.name);
        text(
            s,
            x + 8.0,
            y + base,
            font,
            style::INK,
            "start",
            "",
            &fit(&label, label_w - 14.0, font),
        );
        for (i, owner) in row.owners.iter().enumerate() {
            let cx = x + label_w + cell_w * i as f64;
            rect(
                s,
                cx + 1.5,
                y + 1.5,
                cell_w - 3.0,
                row_h - 3.0,
                style::owner_fill(*owner),
            );
            text(
                s,
                cx + cell_w / 2.0,
                y + base,
                font,
                style::owner_text(*owner),
                "middle",
                "",
                &owner_word(*owner, cell_w - 8.0, font),
            );
        }
        y += row_h;
    }
}
