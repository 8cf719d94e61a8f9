//! The code as tokens: a small Rust lexer (comments and literals dropped), test code set aside,
//! every source file under `src/` with its module path, and the paths it names resolved.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------------------ lexer

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
    /// A string, char or number literal (its text is not code).
    Lit,
    Lifetime,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
}

pub fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

pub fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Reads Rust source into tokens. Comments vanish; string, char and number literals become one
/// `Lit` each, so nothing inside them reads as code.
pub fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let n = chars.len();
    // Advances over `count` chars, counting line breaks.
    let skip = |i: &mut usize, count: usize, line: &mut usize| {
        for _ in 0..count {
            if *i < n && chars[*i] == '\n' {
                *line += 1;
            }
            *i += 1;
        }
    };
    while i < n {
        let c = chars[i];
        let next = chars.get(i + 1).copied().unwrap_or('\0');
        if c.is_whitespace() {
            skip(&mut i, 1, &mut line);
        } else if c == '/' && next == '/' {
            while i < n && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == '*' {
            let mut depth = 0;
            while i < n {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    skip(&mut i, 2, &mut line);
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    skip(&mut i, 2, &mut line);
                    if depth == 0 {
                        break;
                    }
                } else {
                    skip(&mut i, 1, &mut line);
                }
            }
        } else if let Some(len) = raw_string_len(&chars[i..]) {
            out.push(Token {
                tok: Tok::Lit,
                line,
            });
            skip(&mut i, len, &mut line);
        } else if c == '"' || ((c == 'b' || c == 'c') && next == '"') {
            out.push(Token {
                tok: Tok::Lit,
                line,
            });
            skip(&mut i, if c == '"' { 1 } else { 2 }, &mut line);
            while i < n && chars[i] != '"' {
                let step = if chars[i] == '\\' { 2 } else { 1 };
                skip(&mut i, step, &mut line);
            }
            skip(&mut i, 1, &mut line);
        } else if c == '\'' || (c == 'b' && next == '\'') {
            let start = if c == 'b' { i + 1 } else { i };
            let after = chars.get(start + 1).copied().unwrap_or('\0');
            let closes = chars.get(start + 2) == Some(&'\'');
            if after == '\\' || closes || c == 'b' {
                // A char literal: up to the closing quote.
                out.push(Token {
                    tok: Tok::Lit,
                    line,
                });
                let mut j = start + 1;
                while j < n && chars[j] != '\'' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                let len = j + 1 - i;
                skip(&mut i, len, &mut line);
            } else {
                out.push(Token {
                    tok: Tok::Lifetime,
                    line,
                });
                i += 1;
                while i < n && is_ident_char(chars[i]) {
                    i += 1;
                }
            }
        } else if c.is_ascii_digit() {
            out.push(Token {
                tok: Tok::Lit,
                line,
            });
            while i < n
                && (is_ident_char(chars[i])
                    || (chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
        } else if c == 'r' && next == '#' && chars.get(i + 2).is_some_and(|c| is_ident_start(*c)) {
            let start = i + 2;
            i = start;
            while i < n && is_ident_char(chars[i]) {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                line,
            });
        } else if is_ident_start(c) {
            let start = i;
            while i < n && is_ident_char(chars[i]) {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(chars[start..i].iter().collect()),
                line,
            });
        } else if c == ':' && next == ':' {
            out.push(Token {
                tok: Tok::PathSep,
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                tok: Tok::Punct(c),
                line,
            });
            i += 1;
        }
    }
    out
}

/// The length of a raw string literal (`r"…"`, `r#"…"#`, `br#"…"#`) starting here, if one does.
pub fn raw_string_len(chars: &[char]) -> Option<usize> {
    let mut i = usize::from(chars.first() == Some(&'b'));
    if chars.get(i) != Some(&'r') {
        return None;
    }
    i += 1;
    let mut hashes = 0;
    while chars.get(i) == Some(&'#') {
        hashes += 1;
        i += 1;
    }
    if chars.get(i) != Some(&'"') {
        return None;
    }
    i += 1;
    while i < chars.len() {
        if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
            return Some(i + 1 + hashes);
        }
        i += 1;
    }
    Some(chars.len())
}

pub fn ident(t: &Token) -> Option<&str> {
    match &t.tok {
        Tok::Ident(s) => Some(s),
        _ => None,
    }
}

pub fn punct(t: Option<&Token>, c: char) -> bool {
    t.is_some_and(|t| t.tok == Tok::Punct(c))
}

// --------------------------------------------------------------------- test code aside

/// Drops every item marked `#[cfg(test)]` (its tokens up to the matching `}` or `;`). Returns
/// the kept tokens and the names of out-of-line test modules (`#[cfg(test)] mod tests;`).
pub fn without_test_code(tokens: &[Token]) -> (Vec<Token>, Vec<String>) {
    let mut kept = Vec::new();
    let mut test_modules = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_cfg_test = punct(tokens.get(i), '#')
            && punct(tokens.get(i + 1), '[')
            && tokens.get(i + 2).and_then(ident) == Some("cfg")
            && punct(tokens.get(i + 3), '(')
            && tokens.get(i + 4).and_then(ident) == Some("test")
            && punct(tokens.get(i + 5), ')')
            && punct(tokens.get(i + 6), ']');
        if !is_cfg_test {
            kept.push(tokens[i].clone());
            i += 1;
            continue;
        }
        i += 7;
        if tokens.get(i).and_then(ident) == Some("mod")
            && punct(tokens.get(i + 2), ';')
            && let Some(name) = tokens.get(i + 1).and_then(ident)
        {
            test_modules.push(name.to_owned());
        }
        let mut depth = 0usize;
        while i < tokens.len() {
            match tokens[i].tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                Tok::Punct(';') if depth == 0 => {
                    i += 1;
                    break;
                }
                _ => {}
            }
            i += 1;
        }
    }
    (kept, test_modules)
}

// ------------------------------------------------------------------------ the sources

pub struct Source {
    /// Relative to `src/`, with `/`.
    pub path: String,
    pub lines: usize,
    /// The module path: `["model", "catalog"]`; empty for `lib.rs` and `main.rs`.
    pub module: Vec<String>,
    /// Non-test tokens.
    pub code: Vec<Token>,
    /// Every path the code names, resolved: `crate::…` as `["crate", "model", …]`, external
    /// ones as written (`["std", "fs", "read"]`, `["clap", "ValueEnum"]`).
    pub paths: Vec<(Vec<String>, usize)>,
}

impl Source {
    /// The top-level module this file belongs to (`model`), or `lib.rs` / `main.rs`.
    pub fn top(&self) -> &str {
        self.module
            .first()
            .map_or(self.path.as_str(), String::as_str)
    }

    pub fn in_any(&self, prefixes: &[&str]) -> bool {
        prefixes.iter().any(|p| self.path.starts_with(p))
    }

    /// Crate modules this file names: `(top module, full path, line)`.
    pub fn crate_deps(&self) -> impl Iterator<Item = (&str, String, usize)> {
        self.paths
            .iter()
            .filter(|(p, _)| p.first().map(String::as_str) == Some("crate") && p.len() > 1)
            .map(|(p, line)| (p[1].as_str(), p.join("::"), *line))
    }

    pub fn idents(&self) -> impl Iterator<Item = (&str, usize)> {
        self.code
            .iter()
            .filter_map(|t| ident(t).map(|s| (s, t.line)))
    }
}

pub fn module_of(path: &str) -> Vec<String> {
    let trimmed = path.trim_end_matches(".rs");
    let mut parts: Vec<String> = trimmed.split('/').map(str::to_owned).collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

pub fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(&root)
                    .expect("under src")
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, std::fs::read_to_string(&path).expect("read file")));
            }
        }
    }
    files.sort();
    assert!(files.len() > 10, "found the sources");
    let mut test_files = BTreeSet::new();
    let mut out = Vec::new();
    for (path, text) in &files {
        let (code, test_modules) = without_test_code(&lex(text));
        let dir = if path.ends_with("mod.rs") || path == "lib.rs" || path == "main.rs" {
            path.rsplit_once('/').map_or("", |(d, _)| d).to_owned()
        } else {
            path.trim_end_matches(".rs").to_owned()
        };
        for name in test_modules {
            let join = |f: &str| {
                if dir.is_empty() {
                    f.to_owned()
                } else {
                    format!("{dir}/{f}")
                }
            };
            test_files.insert(join(&format!("{name}.rs")));
            test_files.insert(join(&format!("{name}/mod.rs")));
        }
        let module = module_of(path);
        let paths = resolve_paths(&code, &module, path == "main.rs");
        out.push(Source {
            path: path.clone(),
            lines: text.lines().count(),
            module,
            code,
            paths,
        });
    }
    // A test module's file is test code as a whole.
    for s in &mut out {
        if test_files.contains(&s.path) {
            s.code.clear();
            s.paths.clear();
        }
    }
    out
}

// ------------------------------------------------------------------------------ paths

/// `a::b::{c, d::e}` from a `use` declaration: every full path it brings in.
pub fn use_tree(tokens: &[Token], prefix: &[String], out: &mut Vec<(Vec<String>, usize)>) {
    let mut i = 0;
    let mut path = prefix.to_vec();
    let line = tokens.first().map_or(0, |t| t.line);
    while i < tokens.len() {
        match &tokens[i].tok {
            Tok::Ident(s) if s == "as" => {
                // `x as y`: the alias is not a path.
                i += 2;
                continue;
            }
            Tok::Ident(s) => path.push(s.clone()),
            Tok::Punct('{') => {
                let close = matching(tokens, i);
                for part in split_top(&tokens[i + 1..close]) {
                    use_tree(part, &path, out);
                }
                return;
            }
            // `*` (a glob) and anything else add no segment.
            _ => {}
        }
        i += 1;
    }
    if path.last().is_some_and(|s| s == "self") {
        path.pop();
    }
    out.push((path, line));
}

/// The index of the `}` that closes the `{` at `open`.
pub fn matching(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Splits a brace group's inside at its top-level commas.
pub fn split_top(tokens: &[Token]) -> Vec<&[Token]> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        match t.tok {
            Tok::Punct('{') => depth += 1,
            Tok::Punct('}') => depth -= 1,
            Tok::Punct(',') if depth == 0 => {
                parts.push(&tokens[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tokens[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// Makes a path absolute: `crate::…`, `super::…`, `self::…` and the file's own child modules
/// become `["crate", …]`; in `main.rs` the library's name does too. External paths stay.
pub fn absolute(
    path: &[String],
    module: &[String],
    children: &BTreeSet<String>,
    bin: bool,
) -> Vec<String> {
    let mut base: Vec<String> = module.to_vec();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &path[1..];
        }
        Some("demarc") if bin => {
            base.clear();
            rest = &path[1..];
        }
        Some("self") => rest = &path[1..],
        Some("super") => {
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        Some(first) if children.contains(first) => {}
        _ => return path.to_vec(),
    }
    let mut out = vec!["crate".to_owned()];
    out.extend(base);
    out.extend(rest.iter().cloned());
    out
}

/// Every path the code names: `use` trees, and inline paths (`a::b::c`) anywhere else.
pub fn resolve_paths(code: &[Token], module: &[String], bin: bool) -> Vec<(Vec<String>, usize)> {
    let children: BTreeSet<String> = code
        .windows(3)
        .filter(|w| {
            ident(&w[0]) == Some("mod") && ident(&w[1]).is_some() && punct(Some(&w[2]), ';')
        })
        .filter_map(|w| ident(&w[1]).map(str::to_owned))
        .collect();
    let mut raw = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if ident(&code[i]) == Some("use") {
            let end = (i..code.len())
                .find(|&j| punct(code.get(j), ';'))
                .unwrap_or(code.len());
            let mut tree: Vec<Token> = code[i + 1..end].to_vec();
            tree.retain(|t| t.tok != Tok::PathSep);
            use_tree(&tree, &[], &mut raw);
            i = end + 1;
            continue;
        }
        // An inline path: ident (:: ident)+, not preceded by `::`.
        let preceded = i > 0 && code[i - 1].tok == Tok::PathSep;
        if let (Some(first), false) = (ident(&code[i]), preceded)
            && code.get(i + 1).is_some_and(|t| t.tok == Tok::PathSep)
        {
            let line = code[i].line;
            let mut path = vec![first.to_owned()];
            let mut j = i + 1;
            while code.get(j).is_some_and(|t| t.tok == Tok::PathSep) {
                match code.get(j + 1).and_then(ident) {
                    Some(s) => path.push(s.to_owned()),
                    None => break,
                }
                j += 2;
            }
            raw.push((path, line));
            i = j;
            continue;
        }
        i += 1;
    }
    raw.into_iter()
        .map(|(p, line)| (absolute(&p, module, &children, bin), line))
        .collect()
}

/// Every `fn` with a body: (name, first line, lines of code in its body, braces included).
pub fn functions(code: &[Token]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (i, t) in code.iter().enumerate() {
        if ident(t) != Some("fn") {
            continue;
        }
        let Some(name) = code.get(i + 1).and_then(ident) else {
            continue;
        };
        // The body is the first `{` before any `;` (a declaration without a body).
        let Some(open) =
            (i..code.len()).find(|&j| punct(code.get(j), '{') || punct(code.get(j), ';'))
        else {
            continue;
        };
        if !punct(code.get(open), '{') {
            continue;
        }
        let close = matching(code, open).min(code.len() - 1);
        let lines: BTreeSet<usize> = code[open..=close].iter().map(|t| t.line).collect();
        out.push((name.to_owned(), t.line, lines.len()));
    }
    out
}
