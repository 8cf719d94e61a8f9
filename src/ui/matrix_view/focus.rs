//! The matrix from the keyboard: a focus ring that the arrow keys move over the cells, Enter
//! opens the focused cell's detail (Esc closes it, see `actions`), Page Up / Page Down step
//! through the domains. The focus is kept by identity (column, control id), so it survives
//! filters and rebuilds; the frame scrolls it into view.

use super::layout::{Line, MatrixLayout};
use crate::model::catalog::ServiceRef;
use crate::state::{Command, Session, ViewCommand};
use egui::Rect;

/// The matrix's view-local state.
#[derive(Debug, Default)]
pub struct MatrixState {
    /// The keyboard's focus ring: (column, control id).
    pub focus: Option<(ServiceRef, String)>,
    /// Scroll the focused cell into view on the next frame.
    pub reveal_focus: bool,
    /// Scroll so that this domain group's band is at the top on the next frame.
    pub goto_group: Option<usize>,
    /// The viewport of the last frame (content coordinates).
    pub viewport: Option<Rect>,
    /// The width a drawer covers at the matrix's right edge (points), set each frame.
    pub covered: f32,
}

/// The control lines in order, as (group, row): what Up and Down step through (the rows of
/// collapsed domains are skipped).
fn control_lines(layout: &MatrixLayout) -> Vec<(usize, usize)> {
    layout
        .lines()
        .iter()
        .filter_map(|slot| match slot.line {
            Line::Control { group, row } => Some((group, row)),
            Line::Domain { .. } => None,
        })
        .collect()
}

/// A layout of the session's matrix for moving about (lines do not depend on the width).
fn nav_layout(session: &Session) -> MatrixLayout {
    super::layout_for(session, 0.0)
}

/// Where the focus is: (column index, index into `control_lines`), if it is on the matrix.
fn position(
    session: &Session,
    lines: &[(usize, usize)],
    state: &MatrixState,
) -> Option<(usize, usize)> {
    let (service_ref, control_id) = state.focus.as_ref()?;
    let matrix = session.matrix();
    let col = matrix.columns.iter().position(|c| c == service_ref)?;
    let catalog = session.catalog();
    let line = lines
        .iter()
        .position(|&(g, r)| catalog.controls[matrix.groups[g].rows[r].control].id == *control_id)?;
    Some((col, line))
}

/// The (column, control id) of a position.
fn cell_at(
    session: &Session,
    lines: &[(usize, usize)],
    col: usize,
    line: usize,
) -> Option<(ServiceRef, String)> {
    let matrix = session.matrix();
    let &(group, row) = lines.get(line)?;
    let column = matrix.columns.get(col)?;
    let control = &session.catalog().controls[matrix.groups[group].rows[row].control];
    Some((column.clone(), control.id.clone()))
}

/// Where the focus starts when there is none: the selected cell, else the first row showing.
fn start(
    session: &Session,
    lines: &[(usize, usize)],
    state: &MatrixState,
) -> Option<(usize, usize)> {
    if let Some(selected) = session.selected() {
        let probe = MatrixState {
            focus: Some(selected.clone()),
            ..MatrixState::default()
        };
        if let Some(at) = position(session, lines, &probe) {
            return Some(at);
        }
    }
    let layout = nav_layout(session);
    let top_group = state
        .viewport
        .and_then(|v| layout.group_at_top(v))
        .unwrap_or(0);
    let line = lines.iter().position(|&(g, _)| g >= top_group).unwrap_or(0);
    (!lines.is_empty() && !session.matrix().columns.is_empty()).then_some((0, line))
}

/// Moves the focus ring by `dx` columns and `dy` rows, staying on the matrix; the first move
/// without a focus puts it on the selected cell or the first row showing.
pub fn move_focus(session: &Session, state: &mut MatrixState, dx: isize, dy: isize) {
    let lines = control_lines(&nav_layout(session));
    let columns = session.matrix().columns.len();
    let (col, line) = match position(session, &lines, state) {
        Some((col, line)) => (
            col.saturating_add_signed(dx).min(columns.saturating_sub(1)),
            line.saturating_add_signed(dy)
                .min(lines.len().saturating_sub(1)),
        ),
        None => match start(session, &lines, state) {
            Some(at) => at,
            None => return,
        },
    };
    if let Some(cell) = cell_at(session, &lines, col, line) {
        state.focus = Some(cell);
        state.reveal_focus = true;
    }
}

/// Enter: open the focused cell's detail.
pub fn open_focused(session: &Session, state: &MatrixState) -> Option<Command> {
    let lines = control_lines(&nav_layout(session));
    position(session, &lines, state)?;
    Some(ViewCommand::Select(state.focus.clone()).into())
}

/// Whether there is a focused cell on the matrix that Enter would open.
pub fn has_focus(session: &Session, state: &MatrixState) -> bool {
    let lines = control_lines(&nav_layout(session));
    position(session, &lines, state).is_some()
}

/// Page Up / Page Down: the previous or next domain's band to the top, the focus onto its
/// first row (same column).
pub fn page(session: &Session, state: &mut MatrixState, delta: isize) {
    let layout = nav_layout(session);
    let groups = session.matrix().groups.len();
    let Some(last) = groups.checked_sub(1) else {
        return;
    };
    let current = state
        .viewport
        .and_then(|v| layout.group_at_top(v))
        .unwrap_or(0);
    let target = current.saturating_add_signed(delta).min(last);
    state.goto_group = Some(target);
    let lines = control_lines(&layout);
    let col = position(session, &lines, state).map_or(0, |(col, _)| col);
    if let Some(line) = lines.iter().position(|&(g, _)| g == target)
        && let Some(cell) = cell_at(session, &lines, col, line)
    {
        state.focus = Some(cell);
    }
}

/// The palette's "go to control": focus that control's row (first column, or the focused
/// column) and bring it into view.
pub fn focus_control(session: &Session, state: &mut MatrixState, control_id: &str) -> bool {
    let lines = control_lines(&nav_layout(session));
    let col = position(session, &lines, state).map_or(0, |(col, _)| col);
    let catalog = session.catalog();
    let matrix = session.matrix();
    let Some(line) = lines
        .iter()
        .position(|&(g, r)| catalog.controls[matrix.groups[g].rows[r].control].id == control_id)
    else {
        return false;
    };
    state.focus = cell_at(session, &lines, col, line);
    state.reveal_focus = true;
    true
}

/// The palette's "go to column": focus that column on the focused row (or the first row),
/// also when the column is being added this frame (the frame resolves it once it is there).
pub fn focus_column(session: &Session, state: &mut MatrixState, service_ref: &ServiceRef) {
    let lines = control_lines(&nav_layout(session));
    let line = position(session, &lines, state).map_or(0, |(_, line)| line);
    let matrix = session.matrix();
    if let Some(&(group, row)) = lines.get(line) {
        let control = &session.catalog().controls[matrix.groups[group].rows[row].control];
        state.focus = Some((service_ref.clone(), control.id.clone()));
        state.reveal_focus = true;
    }
}

/// The content rectangle of the focused cell, if it is on the matrix.
pub fn focused_rect(session: &Session, layout: &MatrixLayout, state: &MatrixState) -> Option<Rect> {
    let lines = control_lines(layout);
    let (col, line) = position(session, &lines, state)?;
    let (group, row) = lines[line];
    Some(layout.cell_rect(layout.control_slot(group, row)?, col))
}
