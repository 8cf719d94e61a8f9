//! Saves in shared folders: two writers, planted links, kept permissions, read-only files,
//! symlinks, special files, long names, killed saves (F4..F8, F13..F15, F18).

use demarc::model::catalog::Catalog;
use demarc::model::engagement::Engagement;
use demarc::storage::engagement::{self as files, SaveMode};
use demarc::storage::write_atomic;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

fn demarc(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_demarc"))
        .current_dir(dir)
        .arg("engagement")
        .args(args)
        .output()
        .expect("runs")
}

fn spawn<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> std::thread::JoinHandle<T> {
    std::thread::Builder::new()
        .name("hostile-writer".into())
        .spawn(work)
        .expect("thread")
}

fn doc(note: &str) -> Engagement {
    let catalog = Catalog::bundled();
    let scope = catalog.parse_refs("s3").expect("scope");
    Engagement::new(&catalog, note, "Review", "2026-12-01", &scope)
}

/// F4: two processes editing one file: every `set` that exits 0 is in the final file.
#[test]
fn concurrent_sets_on_one_file_lose_no_update() {
    let dir = tempfile::tempdir().expect("dir");
    let d = dir.path();
    let out = demarc(
        d,
        &["new", "e.json", "--client", "C", "--services", "ec2,s3"],
    );
    assert!(out.status.success(), "{out:?}");
    let writer = |item: &'static str, dir: std::path::PathBuf| {
        spawn(move || {
            let mut last_ok = None;
            for i in 0..25 {
                let note = format!("{item} {i}");
                let out = demarc(&dir, &["set", "e.json", "--item", item, "--note", &note]);
                if out.status.success() {
                    last_ok = Some(note);
                }
            }
            last_ok
        })
    };
    let a = writer("ec2/IAM-01", d.to_owned());
    let b = writer("s3/IAM-01", d.to_owned());
    let (a, b) = (a.join().expect("a"), b.join().expect("b"));
    let text = fs::read_to_string(d.join("e.json")).expect("read");
    for last in [a, b] {
        let last = last.expect("some sets succeeded");
        assert!(text.contains(&last), "{last} lost:\n{text}");
    }
}

/// F4: two `new` on one path: exactly one is created.
#[test]
fn concurrent_news_on_one_path_create_it_once() {
    for trial in 0..8 {
        let dir = tempfile::tempdir().expect("dir");
        let run = |client: &'static str, dir: std::path::PathBuf| {
            spawn(move || {
                demarc(
                    &dir,
                    &["new", "e.json", "--client", client, "--services", "s3"],
                )
                .status
                .success()
            })
        };
        let (a, b) = (
            run("A", dir.path().to_owned()),
            run("B", dir.path().to_owned()),
        );
        let created = [a.join().expect("a"), b.join().expect("b")];
        assert_eq!(
            created.iter().filter(|c| **c).count(),
            1,
            "trial {trial}: {created:?}"
        );
    }
}

/// F5: the temporary name was predictable (`<name>.tmp-<pid>`) and opened through links.
#[cfg(unix)]
#[test]
fn a_planted_link_at_the_old_temp_name_is_not_written_through() {
    let dir = tempfile::tempdir().expect("dir");
    let outside = tempfile::tempdir().expect("outside");
    let victim = outside.path().join("victim");
    fs::write(&victim, "precious").expect("write");
    let out = dir.path().join("report.md");
    let planted = dir
        .path()
        .join(format!("report.md.tmp-{}", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).expect("link");
    write_atomic(&out, b"report").expect("writes");
    assert_eq!(fs::read_to_string(&victim).expect("read"), "precious");
    assert_eq!(fs::read_to_string(&out).expect("read"), "report");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).expect("meta").permissions().mode() & 0o777
}

/// F6: a 0600 engagement and its `.bak` became 0644 after a save.
#[cfg(unix)]
#[test]
fn a_private_file_stays_private_after_a_save() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("e.json");
    let stamp = files::save(&path, &doc("a"), None, SaveMode::Safe).expect("new");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
    files::save(&path, &doc("b"), Some(&stamp), SaveMode::Safe).expect("save");
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&files::backup_path(&path)), 0o600);
    let out = dir.path().join("out.md");
    fs::write(&out, "x").expect("write");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).expect("chmod");
    write_atomic(&out, b"y").expect("write");
    assert_eq!(mode(&out), 0o640);
}

/// F7: a read-only engagement was silently replaced.
#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_left_as_it_is() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("e.json");
    let stamp = files::save(&path, &doc("a"), None, SaveMode::Safe).expect("new");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = fs::read(&path).expect("read");
    let err =
        files::save(&path, &doc("b"), Some(&stamp), SaveMode::Overwrite).expect_err("read-only");
    assert!(err.to_string().contains("read-only"), "{err}");
    assert!(err.to_string().contains("e.json"), "{err}");
    assert_eq!(fs::read(&path).expect("read"), before);
    let out = dir.path().join("out.md");
    fs::write(&out, "x").expect("write");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).expect("chmod");
    assert!(write_atomic(&out, b"y").is_err());
    assert_eq!(fs::read_to_string(&out).expect("read"), "x");
}

/// F8: saving through a symlink replaced the link; the real file kept the old content.
#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_its_target() {
    let dir = tempfile::tempdir().expect("dir");
    let real = dir.path().join("real.json");
    let link = dir.path().join("link.json");
    let stamp = files::save(&real, &doc("a"), None, SaveMode::Safe).expect("new");
    std::os::unix::fs::symlink("real.json", &link).expect("link");
    files::save(&link, &doc("b"), Some(&stamp), SaveMode::Safe).expect("save");
    assert!(
        fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(files::open(&real).expect("open").engagement, doc("b"));
    let out_link = dir.path().join("out-link.md");
    std::os::unix::fs::symlink("out.md", &out_link).expect("link");
    write_atomic(&out_link, b"z").expect("write");
    assert!(
        fs::symlink_metadata(&out_link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out.md")).expect("read"),
        "z"
    );
}

/// F14: a 250-byte file name could not be saved (temp and `.bak` names passed 255 bytes).
#[test]
fn a_long_valid_file_name_saves_with_its_backup() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join(format!("{}.json", "e".repeat(245)));
    let stamp = files::save(&path, &doc("a"), None, SaveMode::Safe).expect("new");
    files::save(&path, &doc("b"), Some(&stamp), SaveMode::Safe).expect("save");
    assert_eq!(files::open(&path).expect("open").engagement, doc("b"));
    let backup = files::backup_path(&path);
    assert_eq!(files::open(&backup).expect("bak").engagement, doc("a"));
}

/// F15: `-o` on a FIFO replaced it with a regular file.
#[cfg(unix)]
#[test]
fn a_fifo_is_written_in_place_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("dir");
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here; skipped");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        spawn(move || fs::read_to_string(fifo).expect("read fifo"))
    };
    write_atomic(&fifo, b"through the pipe").expect("writes");
    assert_eq!(reader.join().expect("reader"), "through the pipe");
    assert!(
        fs::symlink_metadata(&fifo)
            .expect("meta")
            .file_type()
            .is_fifo()
    );
}

/// F18: killed saves left their temporary copies of client data forever.
#[test]
fn temporary_files_of_a_killed_save_are_removed_by_the_next() {
    let dir = tempfile::tempdir().expect("dir");
    let left = dir.path().join(".demarc-00000000deadbeef.tmp");
    fs::write(&left, "client data").expect("write");
    write_atomic(&dir.path().join("out.md"), b"x").expect("write");
    assert!(!left.exists());
}

/// F13: `> /dev/full` exited 0 with nothing written.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_standard_output_exits_1_with_a_message() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let out = Command::new(env!("CARGO_BIN_EXE_demarc"))
        .args(["services"])
        .stdout(Stdio::from(full))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("standard output"), "{err}");
}

/// F13, the streamed path: `import` writes its results straight to standard output (a big
/// account's results are not held twice), and a failed write there exited 0.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_streamed_import_to_standard_output_exits_1_with_a_message() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile/corpus/config.json");
    for format in ["text", "json"] {
        let full = full.try_clone().expect("dup");
        let out = Command::new(env!("CARGO_BIN_EXE_demarc"))
            .args(["import", "--format", format])
            .arg(&snapshot)
            .stdout(Stdio::from(full))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("standard output"), "{format}: {err}");
    }
}
