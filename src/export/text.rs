//! Escaping helpers shared by the exporters: Markdown, HTML, terminal text.

/// Escapes text from data for use inline in `CommonMark`/GFM (paragraphs, list items, table
/// cells): the characters that start inline markup (backslash, backtick, `* _ [ ] < > | ~ &`) are
/// backslash-escaped and line breaks become spaces, so a `|`, `*`, backtick or `<` always shows
/// literally while ordinary words like `IAM-01` stay readable in the raw file. Text that starts
/// a line or a list item goes through [`md_line_start`] instead.
pub fn md_inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut last_space = false;
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\t' => {
                if !last_space {
                    out.push(' ');
                }
                last_space = true;
                continue;
            }
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        last_space = c == ' ';
    }
    out.trim().to_owned()
}

/// Like [`md_inline`], and also escapes a leading block marker (`#`, `-`, `+`, `=`, `1.`), for
/// text that begins a line or list item.
pub fn md_line_start(text: &str) -> String {
    let escaped = md_inline(text);
    let trimmed = escaped.as_str();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let block_marker = trimmed.starts_with(['#', '-', '+', '='])
        || (digits > 0 && trimmed[digits..].starts_with(['.', ')']));
    if block_marker {
        let at = if digits > 0 { digits } else { 0 };
        format!("{}\\{}", &trimmed[..at], &trimmed[at..])
    } else {
        trimmed.to_owned()
    }
}

/// Escapes text that may span lines for a Markdown block indented by `indent` spaces (a list
/// item's content): each line is escaped like [`md_inline`], lines are joined with hard breaks,
/// blank lines are dropped, and a line that would start a block (`#`, `-`, `1.`) is neutralised
/// by [`md_line_start`].
pub fn md_lines(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    text.split(['\n', '\r'])
        .map(md_line_start)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(&format!("\\\n{pad}"))
}

/// `text` as a Markdown code span: shown exactly, backslashes included (escapes do not
/// work inside code spans), with a fence longer than any run of backticks in it.
pub fn md_code(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if matches!(c, '\r' | '\n') { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in flat.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// A link destination in angle brackets, safe for any URL text.
pub fn md_link(label: &str, url: &str) -> String {
    let dest: String = url
        .chars()
        .map(|c| match c {
            '<' => "%3C".to_owned(),
            '>' => "%3E".to_owned(),
            ' ' => "%20".to_owned(),
            '\n' | '\r' => String::new(),
            c => c.to_string(),
        })
        .collect();
    format!("[{}](<{dest}>)", md_inline(label))
}

/// Text from a document for a terminal: control characters (escape sequences, line breaks)
/// become U+FFFD so they cannot move the cursor or recolour the screen.
pub fn terminal(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// [`terminal`] for a block of lines: line breaks and tabs are kept, every other control
/// character (an escape sequence's ESC, a carriage return that rewrites a line) is replaced.
pub fn terminal_lines(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// Escapes text for HTML element content and attribute values.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// F18: check keys showed literal backslashes inside code spans (`s3\_versioning\_off`).
    #[test]
    fn code_spans_show_text_exactly() {
        assert_eq!(md_code("s3_versioning_off"), "`s3_versioning_off`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(md_code("two\nlines"), "`two lines`");
    }

    #[test]
    fn markdown_escaping_neutralises_markup() {
        assert_eq!(md_inline("a|b *c* `d` <e>"), r"a\|b \*c\* \`d\` \<e\>");
        assert_eq!(md_inline("line1\nline2"), "line1 line2");
        assert_eq!(md_inline("[x](http://y)"), r"\[x\](http://y)");
        assert_eq!(md_inline("IAM-01 (root)"), "IAM-01 (root)");
        assert_eq!(md_inline("version 9.9.9"), "version 9.9.9");
        assert_eq!(md_line_start("# not a heading"), r"\# not a heading");
        assert_eq!(md_line_start("1. not a list"), r"1\. not a list");
        assert_eq!(md_line_start("- not a bullet"), r"\- not a bullet");
        assert_eq!(md_line_start("9.9.9"), r"9\.9.9");
    }

    #[test]
    fn markdown_lines_keep_line_breaks_and_no_block_markup() {
        assert_eq!(md_lines("one\ntwo", 4), "one\\\n    two");
        assert_eq!(md_lines("a\r\n\r\nb", 2), "a\\\n  b");
        assert_eq!(
            md_lines("x\n1. not a list\n- nor this", 2),
            "x\\\n  1\\. not a list\\\n  \\- nor this"
        );
        assert_eq!(md_lines("", 2), "");
    }

    #[test]
    fn terminal_text_has_no_control_characters() {
        assert_eq!(terminal("a\x1b[31mb\nc"), "a\u{fffd}[31mb\u{fffd}c");
    }

    #[test]
    fn html_escapes_markup() {
        assert_eq!(html("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
    }
}
