//! Architecture invariants (ARCHITECTURE.md), checked on the code itself: every source file is
//! read into tokens (comments and string literals dropped, test code set aside), its `use`
//! trees and `crate::`/`super::`/`self::` paths are resolved to the modules they name, and the
//! layer rules are asserted over those, not over substrings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------------------ lexer

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
    /// A string, char or number literal (its text is not code).
    Lit,
    Lifetime,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    line: usize,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Reads Rust source into tokens. Comments vanish; string, char and number literals become one
/// `Lit` each, so nothing inside them reads as code.
fn lex(text: &str) -> Vec<Token> {
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
fn raw_string_len(chars: &[char]) -> Option<usize> {
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

fn ident(t: &Token) -> Option<&str> {
    match &t.tok {
        Tok::Ident(s) => Some(s),
        _ => None,
    }
}

fn punct(t: Option<&Token>, c: char) -> bool {
    t.is_some_and(|t| t.tok == Tok::Punct(c))
}

// --------------------------------------------------------------------- test code aside

/// Drops every item marked `#[cfg(test)]` (its tokens up to the matching `}` or `;`). Returns
/// the kept tokens and the names of out-of-line test modules (`#[cfg(test)] mod tests;`).
fn without_test_code(tokens: &[Token]) -> (Vec<Token>, Vec<String>) {
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

struct Source {
    /// Relative to `src/`, with `/`.
    path: String,
    lines: usize,
    /// The module path: `["model", "catalog"]`; empty for `lib.rs` and `main.rs`.
    module: Vec<String>,
    /// Non-test tokens.
    code: Vec<Token>,
    /// Every path the code names, resolved: `crate::…` as `["crate", "model", …]`, external
    /// ones as written (`["std", "fs", "read"]`, `["clap", "ValueEnum"]`).
    paths: Vec<(Vec<String>, usize)>,
}

impl Source {
    /// The top-level module this file belongs to (`model`), or `lib.rs` / `main.rs`.
    fn top(&self) -> &str {
        self.module
            .first()
            .map_or(self.path.as_str(), String::as_str)
    }

    fn in_any(&self, prefixes: &[&str]) -> bool {
        prefixes.iter().any(|p| self.path.starts_with(p))
    }

    /// Crate modules this file names: `(top module, full path, line)`.
    fn crate_deps(&self) -> impl Iterator<Item = (&str, String, usize)> {
        self.paths
            .iter()
            .filter(|(p, _)| p.first().map(String::as_str) == Some("crate") && p.len() > 1)
            .map(|(p, line)| (p[1].as_str(), p.join("::"), *line))
    }

    fn idents(&self) -> impl Iterator<Item = (&str, usize)> {
        self.code
            .iter()
            .filter_map(|t| ident(t).map(|s| (s, t.line)))
    }
}

fn module_of(path: &str) -> Vec<String> {
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

fn sources() -> Vec<Source> {
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
fn use_tree(tokens: &[Token], prefix: &[String], out: &mut Vec<(Vec<String>, usize)>) {
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
fn matching(tokens: &[Token], open: usize) -> usize {
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
fn split_top(tokens: &[Token]) -> Vec<&[Token]> {
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
fn absolute(
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
fn resolve_paths(code: &[Token], module: &[String], bin: bool) -> Vec<(Vec<String>, usize)> {
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

// ------------------------------------------------------------------------ the rules

/// Which top-level modules each may name. The layers, bottom up: `model`; `import` and
/// `export` over it; `storage` (the filesystem); `state` (the session); `ui` (views); `app`
/// (the shell) and `cli` (the commands) at the edges. `lib.rs` and `main.rs` may name any.
const ALLOWED: [(&str, &[&str]); 8] = [
    ("model", &[]),
    ("import", &["model"]),
    ("export", &["model"]),
    ("storage", &["model", "import"]),
    ("state", &["model", "import", "export", "storage"]),
    ("ui", &["model", "state", "export"]),
    (
        "app",
        &["model", "import", "export", "storage", "state", "ui"],
    ),
    ("cli", &["model", "import", "export", "storage"]),
];

#[test]
fn the_lexer_sees_code_not_text() {
    let tokens = lex(
        "let s = \"crate::ui::x\"; // crate::app\n/* crate::cli */ r#\"std::fs\"#; 'a'; x::<'a>",
    );
    let idents: Vec<&str> = tokens.iter().filter_map(ident).collect();
    assert_eq!(idents, ["let", "s", "x"]);
    let (kept, modules) = without_test_code(&lex(
        "fn a() {}\n#[cfg(test)]\nmod tests { use crate::ui; }\n#[cfg(test)]\nmod more;\nfn b() {}",
    ));
    let idents: Vec<&str> = kept.iter().filter_map(ident).collect();
    assert_eq!(idents, ["fn", "a", "fn", "b"]);
    assert_eq!(modules, ["more"]);
    let code = lex("use super::{x::Y, z as w};\nfn f() { crate::a::b(); egui::Ui::new(); }");
    let paths: Vec<String> = resolve_paths(&code, &["m".to_owned(), "n".to_owned()], false)
        .into_iter()
        .map(|(p, _)| p.join("::"))
        .collect();
    assert_eq!(
        paths,
        [
            "crate::m::x::Y",
            "crate::m::z",
            "crate::a::b",
            "egui::Ui::new"
        ]
    );
}

#[test]
fn layers_name_only_the_modules_below_them() {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.into_iter().collect();
    let mut bad = Vec::new();
    for s in sources() {
        let Some(ok) = allowed.get(s.top()) else {
            assert!(
                s.path == "lib.rs" || s.path == "main.rs",
                "{}: a top-level module missing from ALLOWED",
                s.path
            );
            continue;
        };
        for (dep, path, line) in s.crate_deps() {
            if dep != s.top() && !ok.contains(&dep) {
                bad.push(format!("src/{}:{line}: {} names {path}", s.path, s.top()));
            }
        }
    }
    assert!(bad.is_empty(), "layer leaks: {bad:#?}");
}

#[test]
fn the_brief_layer_rules_hold() {
    // Spelled out as the architecture states them (ALLOWED above is the full table).
    let mut bad = Vec::new();
    for s in sources() {
        for (dep, path, line) in s.crate_deps() {
            let leak = match s.top() {
                "model" | "import" | "export" => {
                    ["ui", "app", "state", "storage", "cli"].contains(&dep)
                }
                "app" => dep == "cli",
                "ui" => path.starts_with("crate::export::text"),
                _ => false,
            };
            if leak {
                bad.push(format!("src/{}:{line}: {path}", s.path));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn export_does_not_know_the_command_line_parser() {
    let bad: Vec<String> = sources()
        .iter()
        .filter(|s| s.top() == "export")
        .flat_map(|s| {
            s.idents()
                .filter(|(i, _)| *i == "clap")
                .map(|(_, line)| format!("src/{}:{line}", s.path))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(bad.is_empty(), "export names clap: {bad:#?}");
}

/// Offending tokens outside the allowed folders: idents, and paths that start with a prefix.
fn offenders(allowed: &[&str], idents: &[&str], path_prefixes: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    for s in sources() {
        if s.in_any(allowed) {
            continue;
        }
        for (id, line) in s.idents() {
            if idents.contains(&id) {
                bad.push(format!("src/{}:{line}: {id}", s.path));
            }
        }
        for (path, line) in &s.paths {
            let text = path.join("::");
            if path_prefixes
                .iter()
                .any(|p| text == *p || text.starts_with(&format!("{p}::")))
            {
                bad.push(format!("src/{}:{line}: {text}", s.path));
            }
        }
    }
    bad
}

/// Method calls `.name(` outside the allowed folders.
fn method_calls(allowed: &[&str], names: &[&str], empty_args: bool) -> Vec<String> {
    let mut bad = Vec::new();
    for s in sources() {
        if s.in_any(allowed) {
            continue;
        }
        for w in s.code.windows(4) {
            if punct(Some(&w[0]), '.')
                && ident(&w[1]).is_some_and(|n| names.contains(&n))
                && punct(Some(&w[2]), '(')
                && (!empty_args || punct(Some(&w[3]), ')'))
            {
                bad.push(format!(
                    "src/{}:{}: .{}(",
                    s.path,
                    w[1].line,
                    ident(&w[1]).unwrap_or_default()
                ));
            }
        }
    }
    bad
}

#[test]
fn only_ui_and_app_name_egui_or_eframe() {
    let bad = offenders(&["ui/", "app/"], &["egui", "eframe"], &[]);
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn only_storage_and_app_touch_the_filesystem() {
    let mut bad = offenders(
        &["storage/", "app/"],
        &["File", "OpenOptions", "read_dir", "rfd", "fs"],
        &["std::fs", "std::os"],
    );
    bad.extend(method_calls(
        &["storage/", "app/"],
        &[
            "exists",
            "try_exists",
            "is_dir",
            "is_file",
            "metadata",
            "symlink_metadata",
            "canonicalize",
            "read_link",
        ],
        false,
    ));
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn nothing_touches_the_network() {
    let bad = offenders(
        &[],
        &[
            "TcpStream",
            "UdpSocket",
            "TcpListener",
            "reqwest",
            "ureq",
            "hyper",
        ],
        &["std::net"],
    );
    assert!(bad.is_empty(), "{bad:#?}");
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("manifest");
    for client in ["reqwest", "ureq", "hyper", "curl", "surf", "isahc"] {
        assert!(
            !manifest.contains(&format!("\n{client} =")),
            "no HTTP client dependency: {client}"
        );
    }
}

#[test]
fn ui_and_import_never_block() {
    let allowed = [
        "model/", "export/", "storage/", "state/", "app/", "cli/", "lib.rs", "main.rs",
    ];
    let mut bad = offenders(
        &allowed,
        &["rfd", "sleep"],
        &["std::thread", "thread", "std::fs", "std::process"],
    );
    bad.extend(method_calls(&allowed, &["join", "recv"], true));
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn views_get_the_session_read_only() {
    // The session changes only through Session::apply: views see `&Session`.
    let mut bad = Vec::new();
    for s in sources() {
        if s.in_any(&["state/", "app/"]) {
            continue;
        }
        for w in s.code.windows(3) {
            if punct(Some(&w[0]), '&')
                && ident(&w[1]) == Some("mut")
                && ident(&w[2]) == Some("Session")
            {
                bad.push(format!("src/{}:{}", s.path, w[0].line));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn model_import_and_export_are_pure() {
    let allowed = [
        "ui/", "app/", "storage/", "state/", "cli/", "lib.rs", "main.rs",
    ];
    let mut bad = offenders(
        &allowed,
        &[],
        &[
            "std::thread",
            "std::env",
            "std::process",
            "SystemTime::now",
            "Instant::now",
            "std::time::SystemTime::now",
            "std::time::Instant::now",
        ],
    );
    for s in sources() {
        if s.in_any(&allowed) {
            continue;
        }
        for w in s.code.windows(2) {
            if let Some(name) = ident(&w[0])
                && ["println", "eprintln", "print", "eprint", "dbg"].contains(&name)
                && punct(Some(&w[1]), '!')
            {
                bad.push(format!("src/{}:{}: {name}!", s.path, w[0].line));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn colours_live_in_the_theme() {
    let mut bad = Vec::new();
    for s in sources() {
        if s.path == "ui/theme.rs" {
            continue;
        }
        for (path, line) in &s.paths {
            let Some(at) = path.iter().position(|p| p == "Color32") else {
                continue;
            };
            if let Some(item) = path.get(at + 1)
                && (item.starts_with("from_")
                    || ["RED", "GREEN", "BLUE", "WHITE", "BLACK", "YELLOW"]
                        .contains(&item.as_str()))
            {
                bad.push(format!("src/{}:{line}: {}", s.path, path.join("::")));
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn threads_are_named() {
    let bad = offenders(&[], &[], &["std::thread::spawn", "thread::spawn"]);
    assert!(
        bad.is_empty(),
        "use std::thread::Builder::new().name(..): {bad:#?}"
    );
}

// ----------------------------------------------------------------------------- limits

/// The longest a function may be, in lines of code (blank and comment lines not counted, as
/// clippy's `too_many_lines` counts them), outside test code.
const MAX_FUNCTION_LINES: usize = 150;
/// The longest a source file may be, in lines.
const MAX_FILE_LINES: usize = 800;

/// Every `fn` with a body: (name, first line, lines of code in its body, braces included).
fn functions(code: &[Token]) -> Vec<(String, usize, usize)> {
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

#[test]
fn functions_fit_on_a_few_screens() {
    let bad: Vec<String> = sources()
        .iter()
        .flat_map(|s| {
            functions(&s.code)
                .into_iter()
                .filter(|(_, _, lines)| *lines > MAX_FUNCTION_LINES)
                .map(|(name, line, lines)| {
                    format!("src/{}:{line}: fn {name}: {lines} lines", s.path)
                })
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        bad.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines of code: {bad:#?}"
    );
}

#[test]
fn the_function_measure_counts_code_lines() {
    let code = lex(
        "fn a() {\n    // note\n\n    x();\n}\ntrait T { fn b(); }\nfn c() { let f = |x| { x }; }",
    );
    let found: Vec<(String, usize, usize)> = functions(&code);
    assert_eq!(found, [("a".to_owned(), 1, 3), ("c".to_owned(), 7, 1)]);
}

#[test]
fn source_files_stay_small() {
    let bad: Vec<String> = sources()
        .iter()
        .filter(|s| s.lines > MAX_FILE_LINES)
        .map(|s| format!("src/{}: {} lines", s.path, s.lines))
        .collect();
    assert!(
        bad.is_empty(),
        "source files over {MAX_FILE_LINES} lines: {bad:#?}"
    );
}

#[test]
fn no_blanket_allow_of_the_length_lint_in_the_code() {
    let bad: Vec<String> = sources()
        .iter()
        .filter(|s| {
            s.code.windows(5).any(|w| {
                ident(&w[0]) == Some("allow")
                    && punct(Some(&w[1]), '(')
                    && ident(&w[2]) == Some("clippy")
                    && w[3].tok == Tok::PathSep
                    && ident(&w[4]) == Some("too_many_lines")
            })
        })
        .map(|s| format!("src/{}", s.path))
        .collect();
    assert!(
        bad.is_empty(),
        "#[allow(clippy::too_many_lines)] in: {bad:#?}"
    );
}

// ------------------------------------------------------------------ outside the repository

/// Every file of the repository (text files only), outside `target/` and `.git/`.
fn repository_text_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(root)
                .expect("under the repository")
                .to_string_lossy()
                .replace('\\', "/");
            if rel == "target" || rel == ".git" || rel.starts_with("target/") {
                continue;
            }
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file()
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                out.push((rel, text));
            }
        }
    }
    out.sort();
    assert!(out.len() > 50, "found the repository's files");
    out
}

/// Invariant 7: a clone with nothing beside it is complete. No file names a path outside the
/// repository: not the team's `shared/` folder beside it, not a machine's work folders.
#[test]
fn nothing_refers_to_a_path_outside_the_repository() {
    let needles = [
        concat!("..", "/shared"),
        concat!("/work", "/"),
        concat!(".", "library/"),
        concat!("join(\"", ".."),
        concat!("MANIFEST_DIR\")), \"", ".."),
    ];
    let bad: Vec<String> = repository_text_files()
        .into_iter()
        .filter(|(path, _)| !path.starts_with("tests/fixtures/samples/"))
        .flat_map(|(path, text)| {
            needles
                .iter()
                .filter(|n| text.contains(*n))
                .map(|n| format!("{path}: {n}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(bad.is_empty(), "paths outside the repository: {bad:#?}");
}
