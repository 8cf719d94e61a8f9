//! The palette measured with the WCAG 2 formulas: owner fills told apart by lightness alone,
//! every text at least 4.5:1 on what it is drawn on, text sizes for a meeting room.

use super::*;

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance(color: Color32) -> f64 {
    let linear = |channel: u8| {
        let c = f64::from(channel) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(color.r()) + 0.7152 * linear(color.g()) + 0.0722 * linear(color.b())
}

/// WCAG 2 contrast ratio, 1 to 21.
fn contrast(a: Color32, b: Color32) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

const THEMES: [Palette; 2] = [Palette { dark: false }, Palette { dark: true }];

#[test]
fn the_wcag_formulas_give_the_known_values() {
    assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
    assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-9);
    // #777777 on white is the classic 4.48:1, just under the AA line.
    let grey = Color32::from_rgb(0x77, 0x77, 0x77);
    assert!((contrast(grey, Color32::WHITE) - 4.48).abs() < 0.01);
}

/// In greyscale (a washed-out projector, a black-and-white print) only lightness is left: any
/// two owner fills must still differ by a luminance contrast of at least 1.4:1.
#[test]
fn owner_fills_differ_in_lightness_in_both_themes() {
    for palette in THEMES {
        for (i, a) in Owner::ALL.iter().enumerate() {
            for b in &Owner::ALL[i + 1..] {
                let ratio = contrast(palette.owner_fill(*a), palette.owner_fill(*b));
                assert!(
                    ratio >= 1.4,
                    "dark={}: {a:?} and {b:?} differ by only {ratio:.2}:1",
                    palette.dark
                );
            }
        }
    }
}

#[test]
fn text_on_every_owner_fill_reads_at_4_5_to_1() {
    for palette in THEMES {
        for owner in Owner::ALL {
            let ratio = contrast(palette.owner_text(owner), palette.owner_fill(owner));
            assert!(
                ratio >= 4.5,
                "dark={}: {owner:?} {ratio:.2}:1",
                palette.dark
            );
        }
    }
}

#[test]
fn body_secondary_and_signal_text_read_at_4_5_to_1_on_every_panel() {
    for palette in THEMES {
        for ground in [
            palette.background(),
            palette.header_fill(),
            palette.domain_fill(),
        ] {
            for (name, ink) in [
                ("text", palette.text()),
                ("weak text", palette.weak_text()),
                ("error", palette.error()),
                ("warning", palette.warning()),
                ("pass", palette.pass()),
            ] {
                let ratio = contrast(ink, ground);
                assert!(
                    ratio >= 4.5,
                    "dark={}: {name} on {ground:?} {ratio:.2}:1",
                    palette.dark
                );
            }
        }
        assert_eq!(palette.visuals().weak_text_color, Some(palette.weak_text()));
    }
}

#[test]
fn status_pills_read_at_4_5_to_1() {
    use crate::model::engagement::Status;
    for palette in THEMES {
        for status in Status::ALL {
            let ratio = contrast(palette.status_text(status), palette.status_fill(status));
            assert!(
                ratio >= 4.5,
                "dark={}: {status:?} {ratio:.2}:1",
                palette.dark
            );
        }
    }
}

#[test]
fn text_is_large_enough_for_a_meeting_room() {
    for (presenting, body_min, small_min) in [(false, 16.0, 14.0), (true, 18.0, 16.0)] {
        let mut style = egui::Style::default();
        apply_text_styles(&mut style, text_sizes(presenting));
        for (text_style, min) in [
            (TextStyle::Body, body_min),
            (TextStyle::Button, body_min),
            (TextStyle::Small, small_min),
        ] {
            let size = text_style.resolve(&style).size;
            assert!(
                size >= min,
                "presenting={presenting}: {text_style:?} {size}"
            );
        }
    }
}

/// The fonts draw every preset name and the symbols the views print as text (no missing-glyph
/// box on a projector).
#[test]
fn every_preset_name_and_symbol_has_a_glyph() {
    let ctx = egui::Context::default();
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    let font = FontId::proportional(16.0);
    let mut texts: Vec<&str> = crate::state::PRESETS.iter().map(|p| p.name).collect();
    texts.extend(["✔", "⚠", "…", "·", "—", "×", "⬆", "⬇", "“”"]);
    let missing: Vec<&str> = texts
        .into_iter()
        .filter(|t| !ctx.fonts_mut(|f| f.has_glyphs(&font, t)))
        .collect();
    assert!(missing.is_empty(), "no glyph for {missing:?}");
    let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
    output.textures_delta.clear();
    assert!(
        !ctx.fonts_mut(|f| f.has_glyphs(&font, "→")),
        "the arrow the old preset name used is still missing: keep it out of the UI"
    );
}
