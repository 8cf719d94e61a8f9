//! Architecture invariants (ARCHITECTURE.md), checked on the source text.

use std::path::{Path, PathBuf};

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
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
                out.push((rel, std::fs::read_to_string(&path).expect("read file")));
            }
        }
    }
    out.sort();
    assert!(out.len() > 10, "found the sources");
    out
}

/// Code lines only: drops `//` comments and everything from `#[cfg(test)]` on.
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]").next().unwrap_or("");
    body.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn offenders(allowed: &[&str], needles: &[&str]) -> Vec<String> {
    sources()
        .into_iter()
        .filter(|(path, _)| !allowed.iter().any(|a| path.starts_with(a)))
        .filter_map(|(path, text)| {
            let code = code(&text);
            let hits: Vec<&str> = needles
                .iter()
                .copied()
                .filter(|n| code.contains(n))
                .collect();
            (!hits.is_empty()).then(|| format!("{path}: {hits:?}"))
        })
        .collect()
}

#[test]
fn only_ui_and_app_name_egui_or_eframe() {
    let bad = offenders(
        &["ui/", "app/"],
        &["egui::", "eframe::", "use egui", "use eframe"],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn only_storage_and_app_touch_the_filesystem() {
    let bad = offenders(
        &["storage/", "app/"],
        &[
            "std::fs",
            "fs::",
            "File::",
            "OpenOptions",
            "read_dir",
            "rfd::",
        ],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn nothing_touches_the_network() {
    let bad = offenders(
        &[],
        &[
            "std::net",
            "TcpStream",
            "UdpSocket",
            "TcpListener",
            "reqwest",
            "ureq",
            "hyper::",
        ],
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
fn ui_never_blocks() {
    let bad = offenders(
        &[
            "model/", "export/", "storage/", "state/", "app/", "cli/", "lib.rs", "main.rs",
        ],
        &[
            "std::thread",
            "thread::",
            "std::fs",
            "rfd::",
            "sleep(",
            ".join()",
            "recv()",
            "std::process",
        ],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn views_get_the_session_read_only() {
    // The session changes only through Session::apply: views see `&Session`.
    let bad = offenders(&["state/", "app/"], &["&mut Session"]);
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn model_and_export_are_pure() {
    let bad = offenders(
        &[
            "ui/", "app/", "storage/", "state/", "cli/", "clock.rs", "lib.rs", "main.rs",
        ],
        &[
            "std::thread",
            "SystemTime::now",
            "Instant::now",
            "std::env",
            "println!",
            "eprintln!",
        ],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn colours_live_in_the_theme() {
    let bad: Vec<String> = offenders(
        &["ui/theme.rs"],
        &[
            "Color32::from_",
            "Color32::RED",
            "Color32::GREEN",
            "Color32::BLUE",
            "Color32::WHITE",
            "Color32::BLACK",
            "Color32::YELLOW",
        ],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn threads_are_named() {
    let bad = offenders(&[], &["thread::spawn("]);
    assert!(bad.is_empty(), "{bad:#?}");
}

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
