//! Embeds every file of the bundled catalog (`data/**/*.json`, except the JSON Schemas in
//! `data/schema/`) into the binary, so it needs no files beside it. Generates
//! `catalog_files.rs`: a static table of (relative path, contents).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    embed_windows_icon();
    let data = Path::new("data");
    println!("cargo:rerun-if-changed=data");
    // Worktrees of this repository that share one CARGO_TARGET_DIR share this script's OUT_DIR
    // (cargo hashes path packages relative to the workspace): without this, a build in one
    // worktree would embed the `data/` file list of whichever worktree ran the script last.
    // PWD differs per worktree, so a switch reruns the script.
    println!("cargo:rerun-if-env-changed=PWD");
    let mut files = Vec::new();
    collect(data, &mut files);
    files.sort();
    let mut out = String::from("pub static CATALOG_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        let rel = path
            .strip_prefix(data)
            .expect("collected under data/")
            .to_string_lossy()
            .replace('\\', "/");
        let abs = std::fs::canonicalize(path).expect("data file exists");
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?})),",
            abs.to_string_lossy()
        )
        .expect("write to String");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR set by cargo"))
        .join("catalog_files.rs");
    std::fs::write(dest, out).expect("write generated table");
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            // data/schema/ holds the JSON Schemas for editors, generated from the Rust types:
            // not catalog data, not needed in the binary.
            if path.file_name().is_some_and(|n| n == "schema") && dir == Path::new("data") {
                continue;
            }
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

/// Windows executables carry the app icon and version information as a resource (compiled by
/// `windres`, which MinGW-w64 provides when cross-compiling from Linux).
fn embed_windows_icon() {
    println!("cargo:rerun-if-changed=assets/icon.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut resource = winresource::WindowsResource::new();
    resource
        .set_icon("assets/icon.ico")
        .set(
            "FileDescription",
            "demarc: AWS shared responsibility matrix",
        )
        .set("ProductName", "demarc");
    if let Err(e) = resource.compile() {
        panic!("cannot embed the Windows icon (is MinGW-w64's windres installed?): {e}");
    }
}
