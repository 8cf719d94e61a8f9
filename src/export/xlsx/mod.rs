//! Excel workbooks (Office Open XML, through `rust_xlsxwriter`): the matrix, the checklist, the
//! engagement checklist and the comparison, each with a cover sheet. Every text from the catalog,
//! a snapshot or the user is written as a string cell (never a formula), cut to Excel's cell
//! limit; dates are real date cells. The workbook is built in memory and its bytes written to
//! `out`; its creation date is the document's date, so the same document gives the same bytes.

mod checklist;

pub use checklist::{checklist, engagement};

use super::style;
use crate::model::catalog::Catalog;
use crate::model::matrix::{Comparison, Matrix};
use crate::model::owner::Owner;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format as CellFormat, FormatAlign, FormatBorder, Workbook,
    Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::io::{self, Write};

/// Excel's limit on the length of a cell's text, in UTF-16 units.
pub const MAX_CELL_TEXT: usize = 32_767;
const CUT_MARK: &str = " … [cut: longer than an Excel cell holds]";

/// Text as Excel can hold it: whole when it fits, otherwise cut on a character boundary with a
/// note saying so.
pub fn cell_text(text: &str) -> Cow<'_, str> {
    if text.encode_utf16().count() <= MAX_CELL_TEXT {
        return Cow::Borrowed(text);
    }
    let room = MAX_CELL_TEXT - CUT_MARK.encode_utf16().count();
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if used + c.len_utf16() > room {
            break;
        }
        used += c.len_utf16();
        end = i + c.len_utf8();
    }
    Cow::Owned(format!("{}{CUT_MARK}", &text[..end]))
}

fn color(rgb: u32) -> Color {
    Color::RGB(rgb)
}

/// The cell formats a workbook uses.
pub(super) struct Styles {
    pub header: CellFormat,
    pub title: CellFormat,
    pub label: CellFormat,
    pub text: CellFormat,
    pub wrap: CellFormat,
    pub date: CellFormat,
    pub count: CellFormat,
    pub changed: CellFormat,
    owners: [CellFormat; 4],
    owners_inherited: [CellFormat; 4],
}

impl Styles {
    pub fn new() -> Styles {
        let border = |f: CellFormat| {
            f.set_border(FormatBorder::Thin)
                .set_border_color(color(style::RULE))
        };
        let owner = |o: Owner, italic: bool| {
            let f = border(CellFormat::new())
                .set_background_color(color(style::owner_fill(o)))
                .set_font_color(color(style::owner_text(o)))
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter);
            if italic { f.set_italic() } else { f }
        };
        Styles {
            header: border(CellFormat::new())
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(color(style::HEADER_FILL))
                .set_font_color(color(style::HEADER_TEXT)),
            title: CellFormat::new().set_bold().set_font_size(16),
            label: CellFormat::new()
                .set_bold()
                .set_font_color(color(style::WEAK)),
            text: border(CellFormat::new()).set_align(FormatAlign::Top),
            wrap: border(CellFormat::new())
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            date: border(CellFormat::new())
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Top),
            count: border(CellFormat::new()).set_align(FormatAlign::Right),
            changed: border(CellFormat::new())
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_font_color(color(style::CHANGED)),
            owners: Owner::ALL.map(|o| owner(o, false)),
            owners_inherited: Owner::ALL.map(|o| owner(o, true)),
        }
    }

    /// The fill and words of an owner; italic when the cell is the tier's generic text.
    pub fn owner(&self, owner: Owner, inherited: bool) -> &CellFormat {
        let i = Owner::ALL.iter().position(|o| *o == owner).unwrap_or(0);
        if inherited {
            &self.owners_inherited[i]
        } else {
            &self.owners[i]
        }
    }
}

/// Writes text as a string cell (never a formula), cut to Excel's limit.
pub(super) fn put(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &CellFormat,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, cell_text(text), format)?;
    Ok(())
}

pub(super) fn put_count(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    n: usize,
    format: &CellFormat,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col, n as f64, format)?;
    Ok(())
}

/// A header row: bold white on dark, as tall as two lines.
pub(super) fn header_row(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    names: &[&str],
) -> Result<(), XlsxError> {
    for (col, name) in names.iter().enumerate() {
        put(sheet, row, col as u16, name, &styles.header)?;
    }
    sheet.set_row_height(row, 30)?;
    Ok(())
}

/// How many lines wrapped text takes in a column `width` characters wide (estimated: text
/// runs about a fifth narrower than the digit that measures columns), at most `cap`.
pub(super) fn wrapped_lines(text: &str, width: f64, cap: usize) -> usize {
    let per_line = (width * 1.2).max(1.0);
    let lines: usize = text
        .split('\n')
        .map(|p| ((p.chars().count() as f64 / per_line).ceil() as usize).max(1))
        .sum();
    lines.clamp(1, cap)
}

/// Sets a row tall enough for its wrapped cells: (text, column width) pairs.
pub(super) fn fit_row(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[(&str, f64)],
) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(text, width)| wrapped_lines(text, *width, 8))
        .max()
        .unwrap_or(1);
    if lines > 1 {
        sheet.set_row_height(row, 15 * lines as u32)?;
    }
    Ok(())
}

/// Column widths in characters.
pub(super) fn widths(sheet: &mut Worksheet, widths: &[f64]) -> Result<(), XlsxError> {
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *w)?;
    }
    Ok(())
}

/// A `YYYY-MM-DD` date as a date value, if it is one.
pub(super) fn date(text: &str) -> Option<ExcelDateTime> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    ExcelDateTime::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

/// What the cover sheet says.
pub(super) struct Cover<'a> {
    pub title: &'a str,
    /// Label, value pairs: client, date, catalog version...
    pub facts: Vec<(&'a str, String)>,
    /// Service, key, tier.
    pub scope: Vec<[String; 3]>,
    /// Lines under the scope (legend, notes).
    pub notes: Vec<String>,
}

/// The first sheet: title, facts, scope and notes. Returns the next free row.
pub(super) fn cover(
    workbook: &mut Workbook,
    styles: &Styles,
    cover: &Cover<'_>,
) -> Result<u32, XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("Cover")?;
    widths(sheet, &[24.0, 40.0, 28.0, 14.0, 14.0, 14.0])?;
    sheet.set_print_fit_to_pages(1, 0);
    put(sheet, 0, 0, cover.title, &styles.title)?;
    sheet.set_row_height(0, 24)?;
    let mut row = 2;
    for (label, value) in &cover.facts {
        put(sheet, row, 0, label, &styles.label)?;
        put(sheet, row, 1, value, &CellFormat::new())?;
        row += 1;
    }
    row += 1;
    header_row(sheet, styles, row, &["Service", "Key", "Tier"])?;
    row += 1;
    for line in &cover.scope {
        for (col, text) in line.iter().enumerate() {
            put(sheet, row, col as u16, text, &styles.text)?;
        }
        row += 1;
    }
    row += 1;
    for note in &cover.notes {
        put(sheet, row, 0, note, &CellFormat::new())?;
        row += 1;
    }
    Ok(row + 1)
}

/// The legend of owner colours, one owner a cell, on a row of the cover.
pub(super) fn owner_legend(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
) -> Result<(), XlsxError> {
    put(sheet, row, 0, "Owner colours", &styles.label)?;
    for (i, owner) in Owner::ALL.iter().enumerate() {
        put(
            sheet,
            row,
            i as u16 + 1,
            owner.label(),
            styles.owner(*owner, false),
        )?;
    }
    Ok(())
}

/// Sets the document properties (creation date from the document, so output is stable) and
/// writes the workbook's bytes.
pub(super) fn finish(
    mut workbook: Workbook,
    title: &str,
    date_text: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let created = date(date_text)
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok())
        .ok_or_else(|| io::Error::other("no creation date"))?;
    let properties = DocProperties::new()
        .set_title(cell_text(title))
        .set_author("demarc")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    let bytes = workbook.save_to_buffer().map_err(io::Error::other)?;
    out.write_all(&bytes)
}

fn scope_lines(
    catalog: &Catalog,
    columns: &[crate::model::catalog::ServiceRef],
) -> Vec<[String; 3]> {
    columns
        .iter()
        .map(|c| {
            [
                catalog.display_name(c),
                c.key(),
                catalog
                    .tier_of(c)
                    .map_or_else(String::new, |t| format!("{} ({})", t.as_str(), t.label())),
            ]
        })
        .collect()
}

const INHERITED_NOTE: &str = "Italic owner: the service has no entry of its own for that control; the tier's generic text applies.";

/// The matrix: a cover, the matrix sheet (one row per control, one column per service, each
/// cell filled with its owner's colour and named in words) and a sheet of the cells' text.
pub fn matrix(out: &mut impl Write, catalog: &Catalog, matrix: &Matrix) -> io::Result<()> {
    build_matrix(catalog, matrix)
        .map_err(io::Error::other)
        .and_then(|wb| {
            finish(
                wb,
                "AWS shared responsibility matrix",
                &catalog.info.date,
                out,
            )
        })
}

fn build_matrix(catalog: &Catalog, matrix: &Matrix) -> Result<Workbook, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let mut notes = vec![INHERITED_NOTE.to_owned()];
    if matrix.hidden_rows > 0 || matrix.hidden_columns > 0 {
        notes.push(format!(
            "Filtered: {} controls and {} services hidden.",
            matrix.hidden_rows, matrix.hidden_columns
        ));
    }
    let legend_row = cover(
        &mut workbook,
        &styles,
        &Cover {
            title: "AWS shared responsibility matrix",
            facts: vec![
                ("Catalog", catalog_version(catalog)),
                ("Controls", matrix.row_count().to_string()),
                ("Services", matrix.columns.len().to_string()),
            ],
            scope: scope_lines(catalog, &matrix.columns),
            notes,
        },
    )?;
    owner_legend(workbook.worksheet_from_index(0)?, &styles, legend_row)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("Matrix")?;
    let mut names = vec!["ID", "Control", "Domain"];
    let services: Vec<String> = matrix
        .columns
        .iter()
        .map(|c| catalog.short_name(c))
        .collect();
    names.extend(services.iter().map(String::as_str));
    header_row(sheet, &styles, 0, &names)?;
    // The longest control name (51 characters) and domain name (42) stay whole.
    widths(sheet, &[9.0, 53.0, 43.0])?;
    for col in 0..matrix.columns.len() {
        sheet.set_column_width(col as u16 + 3, 15)?;
    }
    let mut row = 1;
    for group in &matrix.groups {
        for line in &group.rows {
            let control = &catalog.controls[line.control];
            put(sheet, row, 0, &control.id, &styles.text)?;
            put(sheet, row, 1, &control.name, &styles.text)?;
            put(
                sheet,
                row,
                2,
                catalog.domain_name(&control.domain),
                &styles.text,
            )?;
            for (col, owner) in line.owners.iter().enumerate() {
                let inherited = line.inherited.get(col).copied().unwrap_or(false);
                put(
                    sheet,
                    row,
                    col as u16 + 3,
                    owner.label(),
                    styles.owner(*owner, inherited),
                )?;
            }
            row += 1;
        }
    }
    let last_col = 2 + matrix.columns.len() as u16;
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), last_col)?;
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_active(true);
    cells_sheet(&mut workbook, &styles, catalog, matrix)?;
    Ok(workbook)
}

fn catalog_version(catalog: &Catalog) -> String {
    format!(
        "demarc catalog {} ({})",
        catalog.info.version, catalog.info.date
    )
}

/// Every visible cell with what AWS does and what the customer does.
fn cells_sheet(
    workbook: &mut Workbook,
    styles: &Styles,
    catalog: &Catalog,
    matrix: &Matrix,
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("Cells")?;
    header_row(
        sheet,
        styles,
        0,
        &[
            "Service",
            "Tier",
            "ID",
            "Control",
            "Domain",
            "Owner",
            "AWS does",
            "Customer does",
            "Sources",
        ],
    )?;
    widths(
        sheet,
        &[22.0, 10.0, 9.0, 30.0, 20.0, 15.0, 50.0, 50.0, 40.0],
    )?;
    let mut row = 1;
    for column in &matrix.columns {
        let service = catalog.short_name(column);
        let tier = catalog.tier_of(column).map_or("", |t| t.as_str());
        for line in matrix.groups.iter().flat_map(|g| &g.rows) {
            let control = &catalog.controls[line.control];
            let Some(cell) = catalog.cell(column, &control.id) else {
                continue;
            };
            put(sheet, row, 0, &service, &styles.text)?;
            put(sheet, row, 1, tier, &styles.text)?;
            put(sheet, row, 2, &control.id, &styles.text)?;
            put(sheet, row, 3, &control.name, &styles.text)?;
            put(
                sheet,
                row,
                4,
                catalog.domain_name(&control.domain),
                &styles.text,
            )?;
            put(
                sheet,
                row,
                5,
                cell.owner().label(),
                styles.owner(cell.owner(), cell.inherited()),
            )?;
            put(sheet, row, 6, &cell.data.aws_does, &styles.wrap)?;
            put(sheet, row, 7, &cell.data.customer_does, &styles.wrap)?;
            let sources = cell.data.sources.join("\n");
            put(sheet, row, 8, &sources, &styles.wrap)?;
            fit_row(
                sheet,
                row,
                &[
                    (&cell.data.aws_does, 50.0),
                    (&cell.data.customer_does, 50.0),
                    (&sources, 40.0),
                ],
            )?;
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), 8)?;
    Ok(())
}

/// The comparison: a cover with owner totals and what moves, and one row per control with the
/// changed ones marked.
pub fn comparison(out: &mut impl Write, catalog: &Catalog, cmp: &Comparison) -> io::Result<()> {
    build_comparison(catalog, cmp)
        .map_err(io::Error::other)
        .and_then(|wb| finish(wb, "Comparison", &catalog.info.date, out))
}

fn build_comparison(catalog: &Catalog, cmp: &Comparison) -> Result<Workbook, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let names: Vec<String> = cmp.columns.iter().map(|c| catalog.short_name(c)).collect();
    let mut notes = vec![format!(
        "{} of {} controls change owner across these columns (marked ◆ on the Comparison sheet).",
        cmp.differing_rows(),
        cmp.rows.len()
    )];
    for shift in &cmp.shifts {
        notes.push(format!(
            "{} → {}: {} controls leave the customer's plate, {} are taken on.",
            catalog.short_name(&shift.from),
            catalog.short_name(&shift.to),
            shift.relieved(),
            shift.taken_on()
        ));
        for ((from, to), n) in &shift.moves {
            notes.push(format!("    {} → {}: {n}", from.label(), to.label()));
        }
    }
    let title = format!("Comparison: {}", names.join(" → "));
    let next = cover(
        &mut workbook,
        &styles,
        &Cover {
            title: &title,
            facts: vec![("Catalog", catalog_version(catalog))],
            scope: scope_lines(catalog, &cmp.columns),
            notes,
        },
    )?;
    let sheet = workbook.worksheet_from_index(0)?;
    header_row(
        sheet,
        &styles,
        next,
        &[
            "Owner totals",
            "AWS",
            "Shared",
            "Customer",
            "Not applicable",
        ],
    )?;
    sheet.set_column_width(4, 16)?;
    for (i, (name, totals)) in names.iter().zip(&cmp.totals).enumerate() {
        let row = next + 1 + i as u32;
        put(sheet, row, 0, name, &styles.text)?;
        for (col, owner) in Owner::ALL.iter().enumerate() {
            let n = totals.get(owner).copied().unwrap_or(0);
            put_count(sheet, row, col as u16 + 1, n, styles.owner(*owner, false))?;
        }
    }
    owner_legend(sheet, &styles, next + 2 + names.len() as u32)?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("Comparison")?;
    let mut header = vec!["Changes", "ID", "Control", "Domain"];
    header.extend(names.iter().map(String::as_str));
    header_row(sheet, &styles, 0, &header)?;
    widths(sheet, &[9.0, 9.0, 53.0, 43.0])?;
    for col in 0..names.len() {
        sheet.set_column_width(col as u16 + 4, 15)?;
    }
    for (i, line) in cmp.rows.iter().enumerate() {
        let row = i as u32 + 1;
        let control = &catalog.controls[line.control];
        put(
            sheet,
            row,
            0,
            if line.differs { "◆ yes" } else { "" },
            &styles.changed,
        )?;
        put(sheet, row, 1, &control.id, &styles.text)?;
        put(sheet, row, 2, &control.name, &styles.text)?;
        put(
            sheet,
            row,
            3,
            catalog.domain_name(&control.domain),
            &styles.text,
        )?;
        for (col, owner) in line.owners.iter().enumerate() {
            put(
                sheet,
                row,
                col as u16 + 4,
                owner.label(),
                styles.owner(*owner, false),
            )?;
        }
    }
    sheet.set_freeze_panes(1, 3)?;
    sheet.autofilter(0, 0, (cmp.rows.len() as u32).max(1), 3 + names.len() as u16)?;
    sheet.set_landscape().set_print_fit_to_pages(1, 0);
    sheet.set_active(true);
    Ok(workbook)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        assert_eq!(cell_text("short"), "short");
        let long = "é".repeat(MAX_CELL_TEXT + 10);
        let cut = cell_text(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_TEXT);
        assert!(cut.ends_with(CUT_MARK));
        // A character outside the BMP counts twice and is never split.
        let astral = "𝄞".repeat(MAX_CELL_TEXT);
        let cut = cell_text(&astral);
        assert!(cut.encode_utf16().count() <= MAX_CELL_TEXT);
        assert!(cut.starts_with("𝄞"));
    }

    #[test]
    fn wrapped_text_asks_for_lines_up_to_a_cap() {
        assert_eq!(wrapped_lines("", 10.0, 8), 1);
        assert_eq!(wrapped_lines("short", 10.0, 8), 1);
        assert_eq!(wrapped_lines(&"x".repeat(25), 10.0, 8), 3);
        assert_eq!(wrapped_lines("a\nb\nc", 10.0, 8), 3);
        assert_eq!(wrapped_lines(&"x".repeat(1000), 10.0, 8), 8);
    }

    #[test]
    fn dates_are_read_only_in_full() {
        assert!(date("2026-11-28").is_some());
        assert!(date("2026-13-28").is_none());
        assert!(date("2026-1-28").is_none());
        assert!(date("28/11/2026").is_none());
        assert!(date("").is_none());
    }
}
