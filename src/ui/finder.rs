//! Finding things by typing: the matching rule shared by the service finder, the Compare
//! pickers and the command palette, and the searchable service combo.
//!
//! Every word of the query must be found in the text, case-insensitively. A word found as
//! written ("fargate" in "ECS on Fargate") is a plain match; a word whose letters appear in
//! order ("ecsfg") is a fuzzy match. When anything matches plainly, fuzzy matches are left
//! out, so "fargate" lists exactly the Fargate variants.

use crate::model::catalog::{Catalog, ServiceRef};
use egui::RichText;

/// How well `text` matches `query`: `None` when some word is missing; higher is better.
pub fn score(query: &str, text: &str) -> Option<Match> {
    let text = text.to_lowercase();
    let mut plain = true;
    let mut points = 0_i64;
    for word in query.split_whitespace() {
        let word = word.to_lowercase();
        if let Some(at) = text.find(&word) {
            let word_start = at == 0 || !text[..at].ends_with(char::is_alphanumeric);
            points += if word_start { 30 } else { 10 };
            points -= i64::try_from(at).unwrap_or(i64::MAX).min(20) / 4;
        } else if in_order(&word, &text) {
            plain = false;
            points += 1;
        } else {
            return None;
        }
    }
    Some(Match { plain, points })
}

/// A match: plain (every word as written) or fuzzy, and its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub plain: bool,
    pub points: i64,
}

/// The letters of `word` appear in `text` in order.
fn in_order(word: &str, text: &str) -> bool {
    let mut rest = text.chars();
    word.chars().all(|c| rest.any(|t| t == c))
}

/// The items that match `query`, best first (stable for equal scores); plain matches only when
/// there are any. An empty query keeps every item in its order.
pub fn rank<T>(query: &str, items: impl IntoIterator<Item = (T, String)>) -> Vec<(T, String)> {
    if query.trim().is_empty() {
        return items.into_iter().collect();
    }
    let mut scored: Vec<(Match, usize, T, String)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, (item, text))| score(query, &text).map(|m| (m, i, item, text)))
        .collect();
    if scored.iter().any(|(m, ..)| m.plain) {
        scored.retain(|(m, ..)| m.plain);
    }
    scored.sort_by(|a, b| b.0.points.cmp(&a.0.points).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .map(|(_, _, item, text)| (item, text))
        .collect()
}

/// What a service or variant is found by: its full name, short name and id.
pub fn service_text(catalog: &Catalog, service_ref: &ServiceRef) -> String {
    format!(
        "{} {} {}",
        catalog.display_name(service_ref),
        catalog.short_name(service_ref),
        service_ref.key()
    )
}

/// Every service and variant matching `query`, best first.
pub fn find_services(catalog: &Catalog, query: &str) -> Vec<ServiceRef> {
    let items = catalog
        .all_refs()
        .into_iter()
        .map(|r| {
            let text = service_text(catalog, &r);
            (r, text)
        })
        .collect::<Vec<_>>();
    rank(query, items).into_iter().map(|(r, _)| r).collect()
}

/// The sentence shown when nothing matches.
pub fn no_match(query: &str) -> String {
    format!("No service matches “{}”", query.trim())
}

/// What a service combo's user picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// "— (none)": empty the slot.
    Nothing,
    Service(ServiceRef),
}

/// A service picker that is a searchable combo: the chosen service's name; open it and type
/// (the field has the focus), click a service or press Enter for the first one. Returns what
/// was picked this frame.
pub fn service_combo(
    ui: &mut egui::Ui,
    catalog: &Catalog,
    id_salt: impl egui::AsIdSalt,
    label: &str,
    current: Option<&ServiceRef>,
    width: f32,
) -> Option<Pick> {
    let text = current.map_or_else(|| "—".to_owned(), |r| catalog.short_name(r));
    let id = ui.make_persistent_id(&id_salt);
    let mut choice = None;
    let combo = egui::ComboBox::from_id_salt(id)
        .selected_text(text)
        .width(width)
        .height(420.0)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            choice = combo_list_ui(ui, catalog, id, current);
            if choice.is_some() {
                ui.close();
            }
        });
    let label = label.to_owned();
    combo
        .response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
    if combo.inner.is_none() {
        // Closed: the next opening starts with an empty query.
        ui.data_mut(|d| d.remove::<String>(id));
    }
    choice
}

fn combo_list_ui(
    ui: &mut egui::Ui,
    catalog: &Catalog,
    id: egui::Id,
    current: Option<&ServiceRef>,
) -> Option<Pick> {
    let mut query: String = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    let field = ui
        .horizontal(|ui| {
            let label = ui.label("Find a service");
            ui.add(
                egui::TextEdit::singleline(&mut query)
                    .hint_text("type a name or id")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
        })
        .inner;
    if !field.has_focus() && !field.lost_focus() {
        field.request_focus();
    }
    ui.data_mut(|d| d.insert_temp(id, query.clone()));
    let found = find_services(catalog, &query);
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if enter && let Some(first) = found.first() {
        return Some(Pick::Service(first.clone()));
    }
    let mut choice = None;
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            if query.trim().is_empty()
                && ui.selectable_label(current.is_none(), "— (none)").clicked()
            {
                choice = Some(Pick::Nothing);
            }
            if found.is_empty() {
                ui.label(RichText::new(no_match(&query)).italics());
            }
            for r in found {
                let selected = current == Some(&r);
                if ui
                    .selectable_label(selected, catalog.display_name(&r))
                    .clicked()
                {
                    choice = Some(Pick::Service(r));
                }
            }
        });
    choice
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargate_finds_exactly_the_fargate_variants() {
        let catalog = Catalog::bundled();
        let keys: Vec<String> = find_services(&catalog, "fargate")
            .iter()
            .map(ServiceRef::key)
            .collect();
        assert_eq!(keys.len(), 3, "{keys:?}");
        for key in ["ecs/fargate", "eks/fargate", "batch/fargate"] {
            assert!(keys.contains(&key.to_owned()), "{key} in {keys:?}");
        }
        assert!(
            find_services(&catalog, "FarGate").len() == 3,
            "case does not matter"
        );
    }

    #[test]
    fn several_words_narrow_and_nothing_is_said_plainly() {
        let catalog = Catalog::bundled();
        let keys: Vec<String> = find_services(&catalog, "ecs fargate")
            .iter()
            .map(ServiceRef::key)
            .collect();
        assert_eq!(keys, ["ecs/fargate"]);
        assert!(find_services(&catalog, "zzqqxx").is_empty());
        assert_eq!(no_match(" zzqqxx "), "No service matches “zzqqxx”");
    }

    #[test]
    fn letters_in_order_match_when_nothing_matches_as_written() {
        assert!(score("rtb", "Route table").is_some_and(|m| !m.plain));
        assert!(score("route", "Route table").is_some_and(|m| m.plain));
        assert!(score("xyz", "Route table").is_none());
        let ranked = rank(
            "rds",
            [
                ("a", "Amazon RDS".to_owned()),
                ("b", "rds/custom".to_owned()),
            ],
        );
        assert_eq!(ranked.len(), 2, "both contain rds as written, in any case");
        let ranked = rank(
            "rds",
            [("a", "Amazon RDS".to_owned()), ("b", "Red Dust".to_owned())],
        );
        assert_eq!(ranked.iter().map(|(x, _)| *x).collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn word_starts_rank_first() {
        let ranked = rank(
            "gate",
            [
                ("inside", "Fargate".to_owned()),
                ("start", "Gateway".to_owned()),
            ],
        );
        assert_eq!(ranked[0].0, "start");
    }
}
