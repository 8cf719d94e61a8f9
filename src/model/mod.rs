//! The domain, pure: catalog, owners, matrix, comparison, checklist, engagement, imported evidence. No egui, no filesystem, no
//! threads.

pub mod catalog;
pub mod checklist;
pub mod date;
pub mod diff;
pub mod engagement;
pub mod evidence;
pub mod findings;
pub mod matrix;
pub mod owner;
pub mod stats;
pub mod validate;
pub mod words;

pub use catalog::{
    Catalog, Cell, CellData, Check, CheckParams, Control, Origin, Service, ServiceRef, Variant,
};
pub use checklist::{Checklist, ChecklistOptions};
pub use matrix::{Comparison, Filters, Matrix};
pub use owner::{Owner, Tier};
