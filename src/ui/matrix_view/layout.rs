//! The matrix's geometry, pure (no painting, no egui context): where each domain band, control
//! row and column sits, what part of it a viewport shows, where the sticky headers are, and
//! which cell a point is on. All rectangles are in content coordinates: (0, 0) is the top-left
//! corner of the whole matrix, as is the `viewport` that `ScrollArea::show_viewport` reports.

use egui::{Pos2, Rect, Vec2, pos2, vec2};
use std::ops::Range;

/// Width of the sticky first column (control id and name).
pub const ROW_HEADER_W: f32 = 310.0;
/// The narrowest column; few columns widen up to twice this to use the screen.
pub const COL_W: f32 = 124.0;
/// Height of the sticky header row (service name, tier, counts).
pub const HEADER_H: f32 = 74.0;
pub const ROW_H: f32 = 34.0;
pub const DOMAIN_H: f32 = 30.0;
/// Width kept free beside the columns (the vertical scroll bar).
const SCROLL_BAR_ROOM: f32 = 16.0;

/// One horizontal band of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// A domain's band (click to collapse or expand).
    Domain { group: usize },
    /// A control's row: `row` within its domain group.
    Control { group: usize, row: usize },
}

/// A line and where it sits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineSlot {
    pub line: Line,
    /// Top edge in content coordinates (below the header row).
    pub top: f32,
    pub height: f32,
}

impl LineSlot {
    pub fn bottom(&self) -> f32 {
        self.top + self.height
    }
}

/// What is under a point of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// The sticky top-left corner.
    Corner,
    /// A column's sticky header.
    ColumnHeader { col: usize },
    /// A domain band (it spans the whole width).
    Domain { group: usize },
    /// A control's sticky row header.
    RowHeader { group: usize, row: usize },
    Cell {
        group: usize,
        row: usize,
        col: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatrixLayout {
    lines: Vec<LineSlot>,
    columns: usize,
    col_w: f32,
    height: f32,
}

impl MatrixLayout {
    /// `groups`: per domain group, its number of control rows and whether it is collapsed.
    /// `available_width`: the width the matrix may use.
    pub fn new(
        groups: impl IntoIterator<Item = (usize, bool)>,
        columns: usize,
        available_width: f32,
    ) -> Self {
        let mut lines = Vec::new();
        let mut top = HEADER_H;
        for (group, (rows, collapsed)) in groups.into_iter().enumerate() {
            lines.push(LineSlot {
                line: Line::Domain { group },
                top,
                height: DOMAIN_H,
            });
            top += DOMAIN_H;
            if !collapsed {
                for row in 0..rows {
                    lines.push(LineSlot {
                        line: Line::Control { group, row },
                        top,
                        height: ROW_H,
                    });
                    top += ROW_H;
                }
            }
        }
        // Few columns widen to use the screen (projectors); many keep a compact fixed width.
        let col_w = if columns == 0 {
            COL_W
        } else {
            ((available_width - ROW_HEADER_W - SCROLL_BAR_ROOM) / columns as f32)
                .clamp(COL_W, 2.0 * COL_W)
        };
        MatrixLayout {
            lines,
            columns,
            col_w,
            height: top,
        }
    }

    pub fn col_w(&self) -> f32 {
        self.col_w
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    /// The size of the whole matrix, headers included.
    pub fn content_size(&self) -> Vec2 {
        vec2(ROW_HEADER_W + self.columns as f32 * self.col_w, self.height)
    }

    /// Every line, top to bottom.
    pub fn lines(&self) -> &[LineSlot] {
        &self.lines
    }

    /// Left edge of column `col`.
    pub fn col_left(&self, col: usize) -> f32 {
        ROW_HEADER_W + col as f32 * self.col_w
    }

    /// The columns at least partly inside the viewport (beside the sticky row headers or
    /// under them: a partly covered column is still laid out).
    pub fn visible_columns(&self, viewport: Rect) -> Range<usize> {
        let first = ((viewport.min.x - ROW_HEADER_W) / self.col_w)
            .floor()
            .max(0.0) as usize;
        let last = (((viewport.max.x - ROW_HEADER_W) / self.col_w)
            .ceil()
            .max(0.0) as usize)
            .min(self.columns);
        first.min(last)..last
    }

    /// The lines at least partly visible below the sticky header row.
    pub fn visible_lines(&self, viewport: Rect) -> &[LineSlot] {
        let below_header = viewport.min.y + HEADER_H;
        let start = self.lines.partition_point(|l| l.bottom() < below_header);
        let end = self.lines.partition_point(|l| l.top <= viewport.max.y);
        &self.lines[start..end.max(start)]
    }

    /// A cell's painted rectangle (1 px inside its slot).
    pub fn cell_rect(&self, slot: &LineSlot, col: usize) -> Rect {
        Rect::from_min_size(
            pos2(self.col_left(col), slot.top),
            vec2(self.col_w, slot.height),
        )
        .shrink(1.0)
    }

    /// Where scrolling cells show: right of the row headers, below the header row.
    pub fn body(viewport: Rect) -> Rect {
        Rect::from_min_max(
            pos2(viewport.min.x + ROW_HEADER_W, viewport.min.y + HEADER_H),
            viewport.max,
        )
    }

    /// Below the header row, the full width: where domain bands and row headers respond.
    pub fn below_header(viewport: Rect) -> Rect {
        Rect::from_min_max(
            pos2(viewport.min.x, viewport.min.y + HEADER_H),
            viewport.max,
        )
    }

    /// The sticky header row, the full width of the viewport.
    pub fn header_band(viewport: Rect) -> Rect {
        Rect::from_min_size(viewport.min, vec2(viewport.width(), HEADER_H))
    }

    /// The part of the header row that shows column headers (right of the corner).
    pub fn header_clip(viewport: Rect) -> Rect {
        Rect::from_min_max(
            pos2(viewport.min.x + ROW_HEADER_W, viewport.min.y),
            pos2(viewport.max.x, viewport.min.y + HEADER_H),
        )
    }

    /// The sticky top-left corner.
    pub fn corner(viewport: Rect) -> Rect {
        Rect::from_min_size(viewport.min, vec2(ROW_HEADER_W, HEADER_H))
    }

    /// A domain band: the full width of the viewport.
    pub fn domain_band(viewport: Rect, slot: &LineSlot) -> Rect {
        Rect::from_min_size(
            pos2(viewport.min.x, slot.top),
            vec2(viewport.width(), slot.height),
        )
    }

    /// A control's sticky row header.
    pub fn row_header(viewport: Rect, slot: &LineSlot) -> Rect {
        Rect::from_min_size(
            pos2(viewport.min.x, slot.top),
            vec2(ROW_HEADER_W, slot.height),
        )
    }

    /// A column's sticky header, with a 4 px inner margin.
    pub fn column_header(&self, viewport: Rect, col: usize) -> Rect {
        Rect::from_min_size(
            pos2(self.col_left(col), viewport.min.y),
            vec2(self.col_w, HEADER_H),
        )
        .shrink2(vec2(4.0, 4.0))
    }

    /// The "remove column" button in a column header's top-right corner.
    pub fn remove_button(header: Rect) -> Rect {
        Rect::from_center_size(header.right_top() + vec2(-8.0, 9.0), vec2(18.0, 18.0))
    }

    /// What is under `point` (content coordinates) when `viewport` is shown; `None` outside the
    /// viewport or the matrix. Sticky headers win over the cells scrolled beneath them.
    pub fn hit(&self, viewport: Rect, point: Pos2) -> Option<Hit> {
        if !viewport.contains(point) {
            return None;
        }
        let in_row_headers = point.x < viewport.min.x + ROW_HEADER_W;
        let col = self.column_at(point.x);
        if point.y < viewport.min.y + HEADER_H {
            return if in_row_headers {
                Some(Hit::Corner)
            } else {
                col.map(|col| Hit::ColumnHeader { col })
            };
        }
        let index = self.lines.partition_point(|l| l.bottom() <= point.y);
        let slot = self.lines.get(index).filter(|l| l.top <= point.y)?;
        match slot.line {
            Line::Domain { group } => Some(Hit::Domain { group }),
            Line::Control { group, row } if in_row_headers => Some(Hit::RowHeader { group, row }),
            Line::Control { group, row } => col.map(|col| Hit::Cell { group, row, col }),
        }
    }

    fn column_at(&self, x: f32) -> Option<usize> {
        if x < ROW_HEADER_W {
            return None;
        }
        let col = ((x - ROW_HEADER_W) / self.col_w).floor() as usize;
        (col < self.columns).then_some(col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three domains: 2 rows, 3 rows (collapsed), 1 row.
    fn layout(columns: usize, width: f32) -> MatrixLayout {
        MatrixLayout::new([(2, false), (3, true), (1, false)], columns, width)
    }

    fn viewport(x: f32, y: f32, w: f32, h: f32) -> Rect {
        Rect::from_min_size(pos2(x, y), vec2(w, h))
    }

    #[test]
    fn lines_stack_under_the_header_and_collapsed_rows_vanish() {
        let l = layout(3, 1000.0);
        let kinds: Vec<Line> = l.lines().iter().map(|s| s.line).collect();
        assert_eq!(
            kinds,
            [
                Line::Domain { group: 0 },
                Line::Control { group: 0, row: 0 },
                Line::Control { group: 0, row: 1 },
                Line::Domain { group: 1 },
                Line::Domain { group: 2 },
                Line::Control { group: 2, row: 0 },
            ]
        );
        assert!((l.lines()[0].top - HEADER_H).abs() < f32::EPSILON);
        assert!((l.lines()[1].top - (HEADER_H + DOMAIN_H)).abs() < f32::EPSILON);
        for pair in l.lines().windows(2) {
            assert!((pair[0].bottom() - pair[1].top).abs() < f32::EPSILON);
        }
        let height = HEADER_H + 3.0 * DOMAIN_H + 3.0 * ROW_H;
        assert!((l.content_size().y - height).abs() < f32::EPSILON);
    }

    #[test]
    fn few_columns_widen_up_to_twice_and_many_keep_the_minimum() {
        let wide = layout(2, 1600.0);
        assert!((wide.col_w() - 2.0 * COL_W).abs() < f32::EPSILON);
        let fitted = layout(4, ROW_HEADER_W + SCROLL_BAR_ROOM + 4.0 * 150.0);
        assert!((fitted.col_w() - 150.0).abs() < 1e-3);
        let many = layout(110, 1600.0);
        assert!((many.col_w() - COL_W).abs() < f32::EPSILON);
        assert!((many.content_size().x - (ROW_HEADER_W + 110.0 * COL_W)).abs() < 1e-2);
        assert!((many.col_left(2) - (ROW_HEADER_W + 2.0 * COL_W)).abs() < f32::EPSILON);
    }

    #[test]
    fn visible_columns_follow_horizontal_scrolling() {
        let l = layout(110, 1000.0);
        assert_eq!(l.visible_columns(viewport(0.0, 0.0, 1000.0, 600.0)), 0..6);
        // Scrolled by ten columns: columns 7 to 9 sit under the sticky row headers (laid out,
        // then clipped away); 10 to 15 show beside them.
        let x = 10.0 * COL_W + 5.0;
        assert_eq!(l.visible_columns(viewport(x, 0.0, 1000.0, 600.0)), 7..16);
        // Past the end: nothing.
        let far = viewport(ROW_HEADER_W + 200.0 * COL_W, 0.0, 1000.0, 600.0);
        assert!(l.visible_columns(far).is_empty());
    }

    #[test]
    fn visible_lines_skip_what_hides_under_the_header() {
        let l = layout(3, 1000.0);
        let all = l.visible_lines(viewport(0.0, 0.0, 1000.0, 2000.0));
        assert_eq!(all.len(), l.lines().len());
        // Scrolled so that the first domain band and first row are under the sticky header.
        let y = DOMAIN_H + ROW_H + 1.0;
        let shown = l.visible_lines(viewport(0.0, y, 1000.0, 2000.0));
        assert_eq!(shown[0].line, Line::Control { group: 0, row: 1 });
        // A short viewport stops at the last line it touches.
        let short = l.visible_lines(viewport(0.0, 0.0, 1000.0, HEADER_H + DOMAIN_H + 1.0));
        assert_eq!(short.len(), 2);
    }

    #[test]
    fn sticky_parts_stay_at_the_viewport_edges() {
        let vp = viewport(500.0, 300.0, 900.0, 600.0);
        assert_eq!(
            MatrixLayout::corner(vp),
            viewport(500.0, 300.0, ROW_HEADER_W, HEADER_H)
        );
        assert_eq!(
            MatrixLayout::header_band(vp),
            viewport(500.0, 300.0, 900.0, HEADER_H)
        );
        let clip = MatrixLayout::header_clip(vp);
        assert!((clip.min.x - (500.0 + ROW_HEADER_W)).abs() < f32::EPSILON);
        assert!((clip.height() - HEADER_H).abs() < f32::EPSILON);
        let body = MatrixLayout::body(vp);
        assert_eq!(body.min, pos2(500.0 + ROW_HEADER_W, 300.0 + HEADER_H));
        assert_eq!(body.max, vp.max);
        let l = layout(3, 1000.0);
        let slot = l.lines()[1];
        let header = MatrixLayout::row_header(vp, &slot);
        assert!((header.min.x - 500.0).abs() < f32::EPSILON);
        assert!((header.width() - ROW_HEADER_W).abs() < f32::EPSILON);
        let cell = l.cell_rect(&slot, 1);
        assert!((cell.min.x - (l.col_left(1) + 1.0)).abs() < f32::EPSILON);
        assert!((cell.height() - (ROW_H - 2.0)).abs() < f32::EPSILON);
    }

    #[test]
    fn hit_testing_finds_headers_bands_and_cells() {
        let l = layout(3, 1000.0);
        let vp = viewport(0.0, 0.0, 1000.0, 800.0);
        let col1 = ROW_HEADER_W + l.col_w() * 1.5;
        let row0 = HEADER_H + DOMAIN_H + ROW_H / 2.0;
        assert_eq!(l.hit(vp, pos2(10.0, 10.0)), Some(Hit::Corner));
        assert_eq!(
            l.hit(vp, pos2(col1, 10.0)),
            Some(Hit::ColumnHeader { col: 1 })
        );
        assert_eq!(
            l.hit(vp, pos2(col1, HEADER_H + 2.0)),
            Some(Hit::Domain { group: 0 })
        );
        assert_eq!(
            l.hit(vp, pos2(20.0, row0)),
            Some(Hit::RowHeader { group: 0, row: 0 })
        );
        assert_eq!(
            l.hit(vp, pos2(col1, row0)),
            Some(Hit::Cell {
                group: 0,
                row: 0,
                col: 1
            })
        );
        // The collapsed group is a band only; the next group's row follows it.
        let after = HEADER_H + 3.0 * DOMAIN_H + 2.0 * ROW_H + 1.0;
        assert_eq!(
            l.hit(vp, pos2(col1, after)),
            Some(Hit::Cell {
                group: 2,
                row: 0,
                col: 1
            })
        );
        // Right of the last column, below the last line, outside the viewport: nothing.
        assert_eq!(l.hit(vp, pos2(l.content_size().x + 1.0, row0)), None);
        assert_eq!(l.hit(vp, pos2(col1, l.content_size().y + 1.0)), None);
        assert_eq!(l.hit(vp, pos2(col1, 900.0)), None);
    }

    #[test]
    fn sticky_headers_win_over_cells_scrolled_beneath_them() {
        let l = layout(8, 1000.0);
        // Scrolled right and down: the point at the viewport's left edge is a row header, at
        // its top edge a column header, whatever scrolled under them.
        let vp = viewport(2.0 * COL_W, DOMAIN_H, 700.0, 400.0);
        let y = vp.min.y + HEADER_H + ROW_H / 2.0;
        assert!(matches!(
            l.hit(vp, pos2(vp.min.x + 5.0, y)),
            Some(Hit::RowHeader { .. })
        ));
        let x = vp.min.x + ROW_HEADER_W + 5.0;
        assert_eq!(
            l.hit(vp, pos2(x, vp.min.y + 5.0)),
            Some(Hit::ColumnHeader { col: 2 })
        );
        assert!(matches!(
            l.hit(vp, pos2(x, y)),
            Some(Hit::Cell { col: 2, .. })
        ));
    }
}
