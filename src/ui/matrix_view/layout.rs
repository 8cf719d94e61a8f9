//! The matrix's geometry, pure (no painting, no egui context): where each domain band, control
//! row and column sits, what part of it a viewport shows, where the sticky headers are, which
//! cell a point is on, and where to scroll to show a cell or a domain. All rectangles are in
//! content coordinates: (0, 0) is the top-left corner of the whole matrix, as is the
//! `viewport` that `ScrollArea::show_viewport` reports.

use egui::{Pos2, Rect, Vec2, pos2, vec2};
use std::ops::Range;

/// The sizes of the matrix's parts, for everyday use or for presenting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// Height of the sticky header row (service name, tier, counts, owner bar).
    pub header_h: f32,
    pub row_h: f32,
    pub domain_h: f32,
    /// Width of the sticky first column (control id and name): a quarter of the width, within
    /// `row_header_w..=row_header_max`.
    pub row_header_w: f32,
    pub row_header_max: f32,
    /// The narrowest column; columns widen to fit the width, up to `col_max`.
    pub col_min: f32,
    pub col_max: f32,
}

/// Everyday sizes (body text 16 px).
pub const NORMAL: Metrics = Metrics {
    header_h: 78.0,
    row_h: 42.0,
    domain_h: 32.0,
    row_header_w: 300.0,
    row_header_max: 400.0,
    col_min: 124.0,
    col_max: 248.0,
};

/// Presenter mode (body text 19 px): taller rows, a narrower first column, so that at 1280x720
/// and zoom 1.3 (985 x 554 points) four columns fit whole beside the control names.
pub const PRESENTER: Metrics = Metrics {
    header_h: 88.0,
    row_h: 50.0,
    domain_h: 40.0,
    row_header_w: 290.0,
    row_header_max: 420.0,
    col_min: 150.0,
    col_max: 360.0,
};

/// Width kept free beside the columns (the vertical scroll bar).
const SCROLL_BAR_ROOM: f32 = 16.0;
/// Room kept above and below a cell scrolled into view.
const REVEAL_MARGIN: f32 = 16.0;

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
    metrics: Metrics,
    row_header_w: f32,
    lines: Vec<LineSlot>,
    columns: usize,
    col_w: f32,
    height: f32,
}

impl MatrixLayout {
    /// `groups`: per domain group, its number of control rows and whether it is collapsed.
    /// `fit_width`: the width the columns should fit in (the matrix's width, less what a drawer
    /// covers).
    pub fn new(
        groups: impl IntoIterator<Item = (usize, bool)>,
        columns: usize,
        fit_width: f32,
        metrics: Metrics,
    ) -> Self {
        let mut lines = Vec::new();
        let mut top = metrics.header_h;
        for (group, (rows, collapsed)) in groups.into_iter().enumerate() {
            lines.push(LineSlot {
                line: Line::Domain { group },
                top,
                height: metrics.domain_h,
            });
            top += metrics.domain_h;
            if !collapsed {
                for row in 0..rows {
                    lines.push(LineSlot {
                        line: Line::Control { group, row },
                        top,
                        height: metrics.row_h,
                    });
                    top += metrics.row_h;
                }
            }
        }
        // Few columns widen to use the screen (projectors); many keep a compact fixed width.
        let row_header_w = (0.25 * fit_width).clamp(metrics.row_header_w, metrics.row_header_max);
        let col_w = if columns == 0 {
            metrics.col_min
        } else {
            ((fit_width - row_header_w - SCROLL_BAR_ROOM) / columns as f32)
                .clamp(metrics.col_min, metrics.col_max)
        };
        MatrixLayout {
            metrics,
            row_header_w,
            lines,
            columns,
            col_w,
            height: top,
        }
    }

    pub fn col_w(&self) -> f32 {
        self.col_w
    }

    pub fn metrics(&self) -> Metrics {
        self.metrics
    }

    fn header_h(&self) -> f32 {
        self.metrics.header_h
    }

    /// The width of the sticky first column.
    pub fn row_header_w(&self) -> f32 {
        self.row_header_w
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    /// The size of the whole matrix, headers included.
    pub fn content_size(&self) -> Vec2 {
        vec2(
            self.row_header_w() + self.columns as f32 * self.col_w,
            self.height,
        )
    }

    /// Every line, top to bottom.
    pub fn lines(&self) -> &[LineSlot] {
        &self.lines
    }

    /// Left edge of column `col`.
    pub fn col_left(&self, col: usize) -> f32 {
        self.row_header_w() + col as f32 * self.col_w
    }

    /// The columns at least partly inside the viewport (beside the sticky row headers or
    /// under them: a partly covered column is still laid out).
    pub fn visible_columns(&self, viewport: Rect) -> Range<usize> {
        let first = ((viewport.min.x - self.row_header_w()) / self.col_w)
            .floor()
            .max(0.0) as usize;
        let last = (((viewport.max.x - self.row_header_w()) / self.col_w)
            .ceil()
            .max(0.0) as usize)
            .min(self.columns);
        first.min(last)..last
    }

    /// The lines at least partly visible below the sticky header row.
    pub fn visible_lines(&self, viewport: Rect) -> &[LineSlot] {
        let below_header = viewport.min.y + self.header_h();
        let start = self.lines.partition_point(|l| l.bottom() <= below_header);
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
    pub fn body(&self, viewport: Rect) -> Rect {
        Rect::from_min_max(
            pos2(
                viewport.min.x + self.row_header_w(),
                viewport.min.y + self.header_h(),
            ),
            viewport.max,
        )
    }

    /// Below the header row, the full width: where domain bands and row headers respond.
    pub fn below_header(&self, viewport: Rect) -> Rect {
        Rect::from_min_max(
            pos2(viewport.min.x, viewport.min.y + self.header_h()),
            viewport.max,
        )
    }

    /// The sticky header row, the full width of the viewport.
    pub fn header_band(&self, viewport: Rect) -> Rect {
        Rect::from_min_size(viewport.min, vec2(viewport.width(), self.header_h()))
    }

    /// The part of the header row that shows column headers (right of the corner).
    pub fn header_clip(&self, viewport: Rect) -> Rect {
        Rect::from_min_max(
            pos2(viewport.min.x + self.row_header_w(), viewport.min.y),
            pos2(viewport.max.x, viewport.min.y + self.header_h()),
        )
    }

    /// The sticky top-left corner.
    pub fn corner(&self, viewport: Rect) -> Rect {
        Rect::from_min_size(viewport.min, vec2(self.row_header_w(), self.header_h()))
    }

    /// A domain band: the full width of the viewport.
    pub fn domain_band(viewport: Rect, slot: &LineSlot) -> Rect {
        Rect::from_min_size(
            pos2(viewport.min.x, slot.top),
            vec2(viewport.width(), slot.height),
        )
    }

    /// A control's sticky row header.
    pub fn row_header(&self, viewport: Rect, slot: &LineSlot) -> Rect {
        Rect::from_min_size(
            pos2(viewport.min.x, slot.top),
            vec2(self.row_header_w(), slot.height),
        )
    }

    /// A column's sticky header, with a 4 px inner margin.
    pub fn column_header(&self, viewport: Rect, col: usize) -> Rect {
        Rect::from_min_size(
            pos2(self.col_left(col), viewport.min.y),
            vec2(self.col_w, self.header_h()),
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
        let in_row_headers = point.x < viewport.min.x + self.row_header_w();
        let col = self.column_at(point.x);
        if point.y < viewport.min.y + self.header_h() {
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
        if x < self.row_header_w() {
            return None;
        }
        let col = ((x - self.row_header_w()) / self.col_w).floor() as usize;
        (col < self.columns).then_some(col)
    }

    /// The slot of a control line, if its group is expanded.
    pub fn control_slot(&self, group: usize, row: usize) -> Option<&LineSlot> {
        self.lines
            .iter()
            .find(|l| l.line == Line::Control { group, row })
    }

    /// The domain group whose band or rows show first below the sticky header.
    pub fn group_at_top(&self, viewport: Rect) -> Option<usize> {
        self.visible_lines(viewport)
            .first()
            .map(|slot| match slot.line {
                Line::Domain { group } | Line::Control { group, .. } => group,
            })
    }

    /// The vertical scroll offset that puts a domain's band right below the sticky header.
    pub fn domain_offset(&self, group: usize) -> Option<f32> {
        self.lines
            .iter()
            .find(|l| l.line == Line::Domain { group })
            .map(|slot| slot.top - self.header_h())
    }

    /// The scroll offset that shows `cell` whole, beside the sticky headers and left of what
    /// covers the viewport's right `covered` points (a drawer), moving as little as possible.
    pub fn reveal(&self, viewport: Rect, covered: f32, cell: Rect) -> Vec2 {
        let mut offset = viewport.min.to_vec2();
        let left = viewport.min.x + self.row_header_w();
        let right = (viewport.max.x - covered).max(left + self.col_w);
        if cell.min.x < left {
            offset.x -= left - cell.min.x;
        } else if cell.max.x > right {
            offset.x += cell.max.x - right;
        }
        // A little room above and below: the scroll area fades its bottom edge.
        let top = viewport.min.y + self.header_h() + REVEAL_MARGIN;
        let bottom = viewport.max.y - REVEAL_MARGIN;
        if cell.min.y < top {
            offset.y -= top - cell.min.y;
        } else if cell.max.y > bottom {
            offset.y += cell.max.y - bottom;
        }
        offset.max(Vec2::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER_H: f32 = NORMAL.header_h;
    const ROW_H: f32 = NORMAL.row_h;
    const DOMAIN_H: f32 = NORMAL.domain_h;
    const ROW_HEADER_W: f32 = NORMAL.row_header_w;
    const COL_W: f32 = NORMAL.col_min;

    /// Three domains: 2 rows, 3 rows (collapsed), 1 row.
    fn layout(columns: usize, width: f32) -> MatrixLayout {
        MatrixLayout::new([(2, false), (3, true), (1, false)], columns, width, NORMAL)
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
        let rh = many.row_header_w();
        assert!((many.content_size().x - (rh + 110.0 * COL_W)).abs() < 1e-2);
        assert!((many.col_left(2) - (rh + 2.0 * COL_W)).abs() < f32::EPSILON);
    }

    #[test]
    fn the_first_column_takes_a_quarter_of_the_width_within_bounds() {
        assert!((layout(3, 1000.0).row_header_w() - NORMAL.row_header_w).abs() < f32::EPSILON);
        assert!((layout(3, 1440.0).row_header_w() - 360.0).abs() < 1e-3);
        assert!((layout(3, 4000.0).row_header_w() - NORMAL.row_header_max).abs() < f32::EPSILON);
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
        let l = layout(3, 1000.0);
        assert_eq!(l.corner(vp), viewport(500.0, 300.0, ROW_HEADER_W, HEADER_H));
        assert_eq!(l.header_band(vp), viewport(500.0, 300.0, 900.0, HEADER_H));
        let clip = l.header_clip(vp);
        assert!((clip.min.x - (500.0 + ROW_HEADER_W)).abs() < f32::EPSILON);
        assert!((clip.height() - HEADER_H).abs() < f32::EPSILON);
        let body = l.body(vp);
        assert_eq!(body.min, pos2(500.0 + ROW_HEADER_W, 300.0 + HEADER_H));
        assert_eq!(body.max, vp.max);
        let slot = l.lines()[1];
        let header = l.row_header(vp, &slot);
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

    #[test]
    fn presenter_fits_four_whole_columns_at_1280_by_720_and_zoom_1_3() {
        // 1280 / 1.3 points wide, less the central panel's margins.
        let width = 1280.0 / 1.3 - 16.0;
        let l = MatrixLayout::new([(6, false)], 4, width, PRESENTER);
        assert!(l.col_w() >= PRESENTER.col_min);
        assert!(l.content_size().x + SCROLL_BAR_ROOM <= width + 0.01);
        // Eight columns do not fit: they keep the presenter minimum and scroll.
        let eight = MatrixLayout::new([(6, false)], 8, width, PRESENTER);
        assert!((eight.col_w() - PRESENTER.col_min).abs() < f32::EPSILON);
    }

    #[test]
    fn columns_fit_left_of_a_drawer_when_the_fit_width_leaves_it_out() {
        // 1366 x 768: the view is about 1050 points wide beside the sidebar; the drawer 355.
        let (view, drawer) = (1050.0, 355.0);
        let l = MatrixLayout::new([(6, false)], 3, view - drawer, NORMAL);
        assert!(l.content_size().x + SCROLL_BAR_ROOM <= view - drawer + 0.01);
    }

    #[test]
    fn reveal_moves_a_cell_out_from_under_the_sticky_headers_and_a_drawer() {
        let l = layout(20, 1000.0);
        let vp = viewport(0.0, 0.0, 1000.0, 400.0);
        let slot = l.lines()[1];
        // Already whole in view: no scrolling.
        let cell = l.cell_rect(&slot, 1);
        assert_eq!(l.reveal(vp, 0.0, cell), Vec2::ZERO);
        // Right of the viewport: scroll right just enough.
        let far = l.cell_rect(&slot, 10);
        let offset = l.reveal(vp, 0.0, far);
        assert!((offset.x - (far.max.x - 1000.0)).abs() < 1e-3);
        // Under a 400-point drawer: scroll further.
        let covered = l.reveal(vp, 400.0, far);
        assert!((covered.x - (far.max.x - 600.0)).abs() < 1e-3);
        // Scrolled past a cell: it comes back beside the sticky row headers, below the header.
        let scrolled = viewport(2000.0, 300.0, 1000.0, 400.0);
        let back = l.reveal(scrolled, 0.0, cell);
        assert!((back.x - (cell.min.x - ROW_HEADER_W)).abs() < 1e-3);
        assert!((back.y - (cell.min.y - HEADER_H - REVEAL_MARGIN)).abs() < 1e-3);
        // Below the viewport: scrolled up to it, with the margin under it.
        let low = l.cell_rect(l.lines().last().expect("lines"), 0);
        let tall = layout(20, 1000.0);
        let short = viewport(0.0, 0.0, 1000.0, low.min.y);
        let up = tall.reveal(short, 0.0, low);
        assert!((up.y - (low.max.y - short.max.y + REVEAL_MARGIN)).abs() < 1e-3);
    }

    #[test]
    fn paging_puts_a_domain_band_right_under_the_header() {
        let l = layout(3, 1000.0);
        let offset = l.domain_offset(2).expect("group 2");
        let vp = viewport(0.0, offset, 1000.0, 400.0);
        assert_eq!(l.group_at_top(vp), Some(2));
        assert_eq!(
            l.hit(vp, pos2(ROW_HEADER_W + 5.0, offset + HEADER_H + 1.0)),
            Some(Hit::Domain { group: 2 })
        );
        assert_eq!(l.group_at_top(viewport(0.0, 0.0, 1000.0, 400.0)), Some(0));
        assert_eq!(l.domain_offset(9), None);
        assert!(l.control_slot(1, 0).is_none(), "group 1 is collapsed");
        assert!(l.control_slot(2, 0).is_some());
    }
}
