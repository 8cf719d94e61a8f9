//! Architecture invariants (ARCHITECTURE.md), checked on the code itself: every source file is
//! read into tokens (comments and string literals dropped, test code set aside), its `use`
//! trees and `crate::`/`super::`/`self::` paths are resolved to the modules they name, and the
//! layer rules are asserted over those, not over substrings.

mod code;

use code::{Tok, functions, ident, lex, punct, resolve_paths, sources, without_test_code};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------------ the rules

/// Which top-level modules each may name. The layers, bottom up: `model`; `import` and
/// `export` over it; `storage` (the filesystem); `state` (the session); `ui` (views); `app`
/// (the shell) and `cli` (the commands) at the edges. `lib.rs` and `main.rs` may name any.
const ALLOWED: [(&str, &[&str]); 9] = [
    ("model", &[]),
    // The one place that reads the system clock (today's date), for the CLI and the app.
    ("clock", &["model"]),
    ("import", &["model"]),
    ("export", &["model"]),
    ("storage", &["model", "import"]),
    ("state", &["model", "import", "export", "storage"]),
    ("ui", &["model", "state", "export"]),
    (
        "app",
        &[
            "model", "import", "export", "storage", "state", "ui", "clock",
        ],
    ),
    ("cli", &["model", "import", "export", "storage", "clock"]),
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
        "ui/", "app/", "storage/", "state/", "cli/", "clock.rs", "lib.rs", "main.rs",
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

/// Lines of `_ =>` arms (a catch-all) in the tokens.
fn catch_all_lines(code: &[code::Token]) -> Vec<usize> {
    code.windows(3)
        .filter(|w| {
            code::ident(&w[0]) == Some("_")
                && code::punct(Some(&w[1]), '=')
                && code::punct(Some(&w[2]), '>')
        })
        .map(|w| w[0].line)
        .collect()
}

/// Command handling (`src/state/`: `Session::apply` and every area's handler) has no catch-all
/// arm, so a new command variant does not compile until it is handled (issue 8, item 3).
#[test]
fn command_handling_has_no_catch_all_arm() {
    let found = catch_all_lines(&code::lex("match c { A => 1, _ => 2 }"));
    assert_eq!(found, [1], "the rule can see a catch-all");
    let bad: Vec<String> = sources()
        .iter()
        .filter(|s| s.top() == "state")
        .flat_map(|s| {
            catch_all_lines(&s.code)
                .into_iter()
                .map(move |line| format!("src/{}:{line}", s.path))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "catch-all arms in command handling: {bad:#?}"
    );
}
