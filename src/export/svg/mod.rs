//! Vector pictures for slides and reports, written by hand (no renderer, no display): the
//! matrix and the comparison as 16:9 pictures (`matrix.rs`), and horizontal stacked bar charts
//! that the HTML report shows inline. Every text is XML-escaped (characters XML cannot hold are
//! dropped) and cut to the room it has; every coloured shape carries its owner or status in
//! words too.

mod matrix;
mod report;

pub use matrix::{comparison, matrix};
pub use report::{Chart, report_charts};

use super::style::{self, hex};
use std::fmt::Write as _;

/// The slide: 16:9 at a size where 14 px text reads when the picture fills a slide.
pub const WIDTH: f64 = 1600.0;
pub const HEIGHT: f64 = 900.0;
pub const MARGIN: f64 = 40.0;
const FONT: &str = "'Segoe UI', 'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif";

/// Text for XML: escaped, and without the control characters XML 1.0 cannot hold.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The width of text in a sans-serif face, estimated (wide letters count more).
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => {
                0.3
            }
            'm' | 'w' | 'M' | 'W' | '@' => 0.85,
            c if c.is_uppercase() => 0.66,
            _ => 0.53,
        })
        .sum::<f64>()
        * size
}

/// Text cut with an ellipsis to fit `room` pixels.
pub fn fit(text: &str, room: f64, size: f64) -> String {
    if text_width(text, size) <= room {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if text_width(&next, size) > room {
            break;
        }
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// Text broken into lines of at most `room` pixels, at word boundaries; at most `max_lines`,
/// the last cut with an ellipsis when the text is longer.
pub fn wrap(text: &str, room: f64, size: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if text_width(&candidate, size) <= room || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines.max(1) {
        let rest = lines.split_off(max_lines.max(1) - 1).join(" ");
        lines.push(fit(&rest, room, size));
    }
    lines.into_iter().map(|l| fit(&l, room, size)).collect()
}

/// Opens an SVG document of the given size, white background, default font.
pub fn open(s: &mut String, width: f64, height: f64, label: &str) {
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\" role=\"img\" aria-label=\"{}\" font-family=\"{FONT}\">",
        xml(label)
    );
    let _ = writeln!(
        s,
        "<rect width=\"{width:.0}\" height=\"{height:.0}\" fill=\"#ffffff\"/>"
    );
}

/// Text at (x, y) (baseline); `anchor` is start, middle or end; `extra` more attributes.
#[allow(clippy::too_many_arguments)] // the attributes of one SVG element, named at each call
pub fn text(
    s: &mut String,
    x: f64,
    y: f64,
    size: f64,
    fill: u32,
    anchor: &str,
    extra: &str,
    t: &str,
) {
    let _ = writeln!(
        s,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size:.0}\" fill=\"{}\" text-anchor=\"{anchor}\"{extra}>{}</text>",
        hex(fill),
        xml(t)
    );
}

pub fn rect(s: &mut String, left: f64, top: f64, width: f64, height: f64, fill: u32) {
    let _ = writeln!(
        s,
        "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" fill=\"{}\"/>",
        hex(fill)
    );
}

/// One coloured part of a bar: its count, fill, text colour and words.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub value: usize,
    pub fill: u32,
    pub ink: u32,
    pub word: &'static str,
}

/// One labelled bar of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub segments: Vec<Segment>,
}

/// Where and how large a set of bars is drawn.
#[derive(Debug, Clone, Copy)]
pub struct BarsFrame {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub label_width: f64,
    pub bar_height: f64,
    pub gap: f64,
    pub font: f64,
}

/// Horizontal stacked bars, scaled so the longest fills the room; each segment says its words
/// and count when it has the room, its count alone when less, and each bar ends with its
/// total. Returns the height used.
pub fn bars(s: &mut String, frame: BarsFrame, bars: &[Bar]) -> f64 {
    let total = |b: &Bar| b.segments.iter().map(|g| g.value).sum::<usize>();
    let max = bars.iter().map(total).max().unwrap_or(0).max(1);
    let room = frame.width - frame.label_width - 50.0;
    let mut y = frame.y;
    for bar in bars {
        let mid = y + frame.bar_height / 2.0 + frame.font * 0.35;
        text(
            s,
            frame.x + frame.label_width - 10.0,
            mid,
            frame.font,
            style::INK,
            "end",
            "",
            &fit(&bar.label, frame.label_width - 14.0, frame.font),
        );
        let mut x = frame.x + frame.label_width;
        for seg in bar.segments.iter().filter(|g| g.value > 0) {
            let w = room * seg.value as f64 / max as f64;
            rect(s, x, y, w, frame.bar_height, seg.fill);
            let long = format!("{} {}", seg.word, seg.value);
            let short = seg.value.to_string();
            let label = if text_width(&long, frame.font) + 10.0 <= w {
                Some(long)
            } else if text_width(&short, frame.font) + 6.0 <= w {
                Some(short)
            } else {
                None
            };
            if let Some(label) = label {
                text(
                    s,
                    x + w / 2.0,
                    mid,
                    frame.font,
                    seg.ink,
                    "middle",
                    "",
                    &label,
                );
            }
            x += w;
        }
        text(
            s,
            x + 8.0,
            mid,
            frame.font,
            style::WEAK,
            "start",
            "",
            &total(bar).to_string(),
        );
        y += frame.bar_height + frame.gap;
    }
    y - frame.y
}

/// A row of swatches with their words, from (x, y); returns the x after the last.
pub fn legend(s: &mut String, x: f64, y: f64, size: f64, items: &[(u32, &str)]) -> f64 {
    let mut x = x;
    for (fill, word) in items {
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{size:.0}\" height=\"{size:.0}\" rx=\"2\" fill=\"{}\" stroke=\"{}\"/>",
            y - size * 0.85,
            hex(*fill),
            hex(style::RULE)
        );
        text(s, x + size + 6.0, y, size, style::INK, "start", "", word);
        x += size + 6.0 + text_width(word, size) + 22.0;
    }
    x
}

/// A self-contained bar chart for a page: a title line, the bars and a legend.
pub fn bar_chart(title: &str, items: &[Bar], legend_items: &[(u32, &str)]) -> String {
    let width = 960.0;
    let font = 14.0;
    let label_width = items
        .iter()
        .map(|b| text_width(&b.label, font))
        .fold(120.0_f64, f64::max)
        .min(300.0)
        + 16.0;
    let bar_height = 24.0;
    let height = 40.0 + items.len() as f64 * (bar_height + 8.0) + 36.0;
    let mut s = String::new();
    open(&mut s, width, height, title);
    text(
        &mut s,
        0.0,
        22.0,
        16.0,
        style::INK,
        "start",
        " font-weight=\"bold\"",
        title,
    );
    let used = bars(
        &mut s,
        BarsFrame {
            x: 0.0,
            y: 36.0,
            width,
            label_width,
            bar_height,
            gap: 8.0,
            font,
        },
        items,
    );
    legend(&mut s, label_width, 36.0 + used + 22.0, 13.0, legend_items);
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_words_and_cuts_only_the_last_line() {
        let text = "Moving from ECS on EC2 to ECS on Fargate takes 3 controls off your plate";
        let lines = wrap(text, 300.0, 18.0, 3);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(
            lines.iter().all(|l| text_width(l, 18.0) <= 300.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), text);
        let cut = wrap(text, 300.0, 18.0, 1);
        assert_eq!(cut.len(), 1);
        assert!(cut[0].ends_with('…'), "{cut:?}");
        assert!(wrap("", 300.0, 18.0, 2).is_empty());
    }

    #[test]
    fn xml_text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            xml("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(xml("a\u{0}b\u{1b}c\td"), "abc d");
    }

    #[test]
    fn long_text_is_cut_to_its_room() {
        assert_eq!(fit("short", 200.0, 14.0), "short");
        let cut = fit("a rather long control name that cannot fit", 120.0, 14.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(text_width(&cut, 14.0) <= 120.0, "{cut}");
        assert_eq!(fit("abc", 1.0, 14.0), "…");
    }

    #[test]
    fn bars_scale_to_the_longest_and_name_their_parts() {
        let seg = |value, word| Segment {
            value,
            fill: 0x11_22_33,
            ink: 0,
            word,
        };
        let chart = bar_chart(
            "Split <x>",
            &[
                Bar {
                    label: "EC2".to_owned(),
                    segments: vec![seg(30, "Customer"), seg(10, "AWS")],
                },
                Bar {
                    label: "S3".to_owned(),
                    segments: vec![seg(0, "Customer"), seg(20, "AWS")],
                },
            ],
            &[(0x11_22_33, "Customer")],
        );
        assert!(chart.starts_with("<svg "), "{chart}");
        assert!(chart.contains("Split &lt;x&gt;"));
        assert!(chart.contains(">Customer 30</text>"), "{chart}");
        assert!(chart.contains(">AWS 20</text>"), "{chart}");
        assert!(chart.contains(">40</text>"), "the total ends the bar");
        assert!(!chart.contains(">Customer 0<"), "empty parts are not drawn");
    }
}
