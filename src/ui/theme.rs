//! Every colour and text size the UI uses. Owner colours are told apart by lightness as well as
//! hue (they stay distinct in greyscale, on a washed-out projector and for the common
//! colour-vision deficiencies), every text on a fill has a WCAG contrast of at least 4.5:1, and
//! every cell also carries its owner as text, so colour is never the only channel (the tests at
//! the end check all three). Sizes are chosen to read from the back of a meeting room.

#![allow(clippy::disallowed_methods)] // this module is where colours are defined

use crate::model::engagement::Status;
use crate::model::owner::Owner;
use crate::state::ThemeChoice;
use egui::{Color32, FontFamily, FontId, Stroke, TextStyle, Visuals};

#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub dark: bool,
}

impl Palette {
    pub fn new(theme: ThemeChoice) -> Self {
        Palette {
            dark: theme == ThemeChoice::Dark,
        }
    }

    /// Cell fill for an owner. Light theme, lightest to darkest: Not applicable, AWS, Customer,
    /// Shared; dark theme, darkest to lightest: Not applicable, AWS, Shared, Customer.
    pub fn owner_fill(self, owner: Owner) -> Color32 {
        match (owner, self.dark) {
            (Owner::Aws, false) => Color32::from_rgb(0x9C, 0xCB, 0xEE),
            (Owner::Shared, false) => Color32::from_rgb(0x8E, 0x3F, 0x7E),
            (Owner::Customer, false) => Color32::from_rgb(0xE0, 0x96, 0x0F),
            (Owner::NotApplicable, false) => Color32::from_rgb(0xF0, 0xF0, 0xF0),
            (Owner::Aws, true) => Color32::from_rgb(0x1D, 0x5C, 0x91),
            (Owner::Shared, true) => Color32::from_rgb(0xD2, 0x7D, 0xBA),
            (Owner::Customer, true) => Color32::from_rgb(0xF0, 0xB2, 0x3C),
            (Owner::NotApplicable, true) => Color32::from_rgb(0x3A, 0x3A, 0x3A),
        }
    }

    /// Text on an owner fill.
    pub fn owner_text(self, owner: Owner) -> Color32 {
        match (owner, self.dark) {
            (Owner::NotApplicable, false) => Color32::from_rgb(0x4A, 0x4A, 0x4A),
            (Owner::NotApplicable, true) => Color32::from_rgb(0xB4, 0xB4, 0xB4),
            (Owner::Shared, false) | (Owner::Aws, true) => Color32::from_rgb(0xFF, 0xFF, 0xFF),
            (Owner::Aws | Owner::Customer, false) | (Owner::Shared | Owner::Customer, true) => {
                Color32::from_rgb(0x10, 0x10, 0x10)
            }
        }
    }

    /// The outline of an owner's cell: the light theme's near-white "Not applicable" needs one
    /// to show as a cell at all.
    pub fn owner_outline(self, owner: Owner) -> Option<Stroke> {
        (owner == Owner::NotApplicable && !self.dark)
            .then(|| Stroke::new(1.0, Color32::from_rgb(0xC8, 0xC8, 0xC8)))
    }

    /// A cell dimmed because the owner filter does not select it.
    pub fn dimmed(self, color: Color32) -> Color32 {
        let bg = self.background();
        Color32::from_rgb(
            ((u16::from(color.r()) + 3 * u16::from(bg.r())) / 4) as u8,
            ((u16::from(color.g()) + 3 * u16::from(bg.g())) / 4) as u8,
            ((u16::from(color.b()) + 3 * u16::from(bg.b())) / 4) as u8,
        )
    }

    pub fn background(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0x1E, 0x1F, 0x22)
        } else {
            Color32::from_rgb(0xFA, 0xFA, 0xF8)
        }
    }

    pub fn header_fill(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0x2A, 0x2C, 0x30)
        } else {
            Color32::from_rgb(0xEE, 0xEF, 0xF2)
        }
    }

    pub fn domain_fill(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0x33, 0x36, 0x3C)
        } else {
            Color32::from_rgb(0xDD, 0xE1, 0xE8)
        }
    }

    pub fn text(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0xE8, 0xE8, 0xE8)
        } else {
            Color32::from_rgb(0x1A, 0x1A, 0x1A)
        }
    }

    pub fn weak_text(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0xA0, 0xA4, 0xAA)
        } else {
            Color32::from_rgb(0x5A, 0x5E, 0x66)
        }
    }

    pub fn grid_line(self) -> Stroke {
        Stroke::new(
            1.0,
            if self.dark {
                Color32::from_rgb(0x1E, 0x1F, 0x22)
            } else {
                Color32::WHITE
            },
        )
    }

    pub fn selection(self) -> Stroke {
        Stroke::new(
            3.0,
            if self.dark {
                Color32::from_rgb(0xFF, 0xFF, 0xFF)
            } else {
                Color32::from_rgb(0x00, 0x00, 0x00)
            },
        )
    }

    /// The keyboard's focus ring on the matrix: blue, apart from the black or white selection.
    pub fn focus(self) -> Stroke {
        Stroke::new(
            3.0,
            if self.dark {
                Color32::from_rgb(0x8A, 0xB4, 0xF8)
            } else {
                Color32::from_rgb(0x0B, 0x57, 0xD0)
            },
        )
    }

    pub fn hover(self) -> Stroke {
        Stroke::new(
            2.0,
            if self.dark {
                Color32::from_rgb(0xC8, 0xC8, 0xC8)
            } else {
                Color32::from_rgb(0x40, 0x40, 0x40)
            },
        )
    }

    /// Background of a comparison row whose owner differs across columns.
    pub fn differs_fill(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0x4A, 0x40, 0x10)
        } else {
            Color32::from_rgb(0xFF, 0xF1, 0xB8)
        }
    }

    pub fn differs_mark(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0xFF, 0xC8, 0x3D)
        } else {
            Color32::from_rgb(0xB3, 0x5C, 0x00)
        }
    }

    pub fn warning(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0xFF, 0xB0, 0x50)
        } else {
            Color32::from_rgb(0x94, 0x40, 0x00)
        }
    }

    /// A passing evidence check.
    pub fn pass(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0x4C, 0xD1, 0x9B)
        } else {
            Color32::from_rgb(0x00, 0x6B, 0x47)
        }
    }

    pub fn error(self) -> Color32 {
        if self.dark {
            Color32::from_rgb(0xFF, 0x70, 0x70)
        } else {
            Color32::from_rgb(0xB0, 0x10, 0x10)
        }
    }

    /// Fill of an engagement status chip (distinct from the owner colours).
    pub fn status_fill(self, status: Status) -> Color32 {
        match (status, self.dark) {
            (Status::Open, false) => Color32::from_rgb(0xF0, 0xF0, 0xF0),
            (Status::InProgress, false) => Color32::from_rgb(0xBF, 0xE6, 0xF5),
            (Status::Done, false) => Color32::from_rgb(0x9F, 0xDC, 0xC4),
            (Status::NotApplicable, false) => Color32::from_rgb(0xDA, 0xDA, 0xDA),
            (Status::RiskAccepted, false) => Color32::from_rgb(0xF4, 0xB8, 0x9A),
            (Status::Open, true) => Color32::from_rgb(0x44, 0x46, 0x4B),
            (Status::InProgress, true) => Color32::from_rgb(0x1F, 0x55, 0x6E),
            (Status::Done, true) => Color32::from_rgb(0x0B, 0x5E, 0x47),
            (Status::NotApplicable, true) => Color32::from_rgb(0x3A, 0x3A, 0x3A),
            (Status::RiskAccepted, true) => Color32::from_rgb(0x7A, 0x33, 0x12),
        }
    }

    pub fn status_text(self, _status: Status) -> Color32 {
        self.text()
    }

    pub fn visuals(self) -> Visuals {
        let mut v = if self.dark {
            Visuals::dark()
        } else {
            Visuals::light()
        };
        v.panel_fill = self.background();
        v.window_fill = self.background();
        v.extreme_bg_color = if self.dark {
            Color32::from_rgb(0x14, 0x15, 0x17)
        } else {
            Color32::WHITE
        };
        // egui's own weak text is a light grey: ours keeps 4.5:1 on every panel. Body text
        // is as dark (light) as the matrix's, for washed-out projectors.
        v.weak_text_color = Some(self.weak_text());
        v.widgets.noninteractive.fg_stroke.color = self.text();
        v
    }
}

/// Text sizes, in points before zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextSizes {
    pub small: f32,
    pub body: f32,
    pub heading: f32,
    pub monospace: f32,
}

/// Everyday sizes: body text 16 px, secondary text 14 px.
pub const NORMAL_TEXT: TextSizes = TextSizes {
    small: 14.0,
    body: 16.0,
    heading: 22.0,
    monospace: 15.0,
};

/// Presenter mode, for the back of the room: body text 19 px.
pub const PRESENTER_TEXT: TextSizes = TextSizes {
    small: 16.0,
    body: 19.0,
    heading: 25.0,
    monospace: 17.0,
};

/// The text sizes of a look (everyday or presenter).
pub fn text_sizes(presenting: bool) -> TextSizes {
    if presenting {
        PRESENTER_TEXT
    } else {
        NORMAL_TEXT
    }
}

/// Text styles for a projector: larger than egui's defaults.
pub fn apply_text_styles(style: &mut egui::Style, sizes: TextSizes) {
    let proportional = |size| FontId::new(size, FontFamily::Proportional);
    style.text_styles = [
        (TextStyle::Small, proportional(sizes.small)),
        (TextStyle::Body, proportional(sizes.body)),
        (TextStyle::Button, proportional(sizes.body)),
        (TextStyle::Heading, proportional(sizes.heading)),
        (
            TextStyle::Monospace,
            FontId::new(sizes.monospace, FontFamily::Monospace),
        ),
    ]
    .into();
    style.spacing.item_spacing = egui::vec2(8.0, 6.0);
    style.spacing.button_padding = egui::vec2(8.0, 4.0);
}

/// Sets the visuals and text styles of a theme and look.
pub fn apply(ctx: &egui::Context, theme: ThemeChoice, presenting: bool) {
    let palette = Palette::new(theme);
    ctx.set_visuals(palette.visuals());
    let sizes = text_sizes(presenting);
    ctx.all_styles_mut(|style| apply_text_styles(style, sizes));
}

#[cfg(test)]
mod tests;
