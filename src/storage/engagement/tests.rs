use super::*;
use crate::model::catalog::Catalog;
use crate::model::engagement::{Item, ItemKey, Status};
use std::cell::Cell;
use std::time::Duration;

fn doc(note: &str) -> Engagement {
    let catalog = Catalog::bundled();
    let scope = catalog.parse_refs("ec2,s3").expect("known");
    let mut doc = Engagement::new(&catalog, "Acme", "Review", "2026-11-28", &scope);
    if !note.is_empty() {
        let key = ItemKey::new(scope[0].clone(), "IAM-01");
        doc.set_item(
            &catalog,
            &key,
            Item {
                status: Status::Done,
                note: note.to_owned(),
                ..Item::default()
            },
        )
        .expect("set");
    }
    doc
}

fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open for mtime");
    file.set_modified(time).expect("set mtime");
}

/// A filesystem that dies after `budget` operations, the way a killed process or a power cut
/// would: the operation under way when it dies does not complete (a write leaves a torn file
/// behind), and nothing after it runs.
struct CrashFs {
    budget: Cell<usize>,
    crashed: Cell<bool>,
    torn_writes: Cell<usize>,
}

impl CrashFs {
    fn new(budget: usize) -> CrashFs {
        CrashFs {
            budget: Cell::new(budget),
            crashed: Cell::new(false),
            torn_writes: Cell::new(0),
        }
    }

    /// May this operation run? `Dies` for the one under way at the crash.
    fn step(&self) -> Step {
        if self.crashed.get() {
            return Step::Dead;
        }
        match self.budget.get() {
            0 => {
                self.crashed.set(true);
                Step::Dies
            }
            n => {
                self.budget.set(n - 1);
                Step::Runs
            }
        }
    }

    fn runs(&self) -> bool {
        self.step() == Step::Runs
    }
}

#[derive(PartialEq)]
enum Step {
    Runs,
    Dies,
    Dead,
}

fn crash() -> io::Error {
    io::Error::other("simulated crash")
}

impl Fs for CrashFs {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>> {
        if self.runs() {
            RealFs.read(path)
        } else {
            Err(crash())
        }
    }

    fn write_synced(&self, path: &Path, bytes: &[u8], like: Option<&Path>) -> io::Result<()> {
        match self.step() {
            Step::Runs => RealFs.write_synced(path, bytes, like),
            Step::Dies => {
                // Died half-way through the write: half the bytes, no fsync.
                fs::write(path, &bytes[..bytes.len() / 2])?;
                self.torn_writes.set(self.torn_writes.get() + 1);
                Err(crash())
            }
            Step::Dead => Err(crash()),
        }
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        if self.runs() {
            RealFs.rename(from, to)
        } else {
            Err(crash())
        }
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        if self.runs() {
            RealFs.sync_dir(dir)
        } else {
            Err(crash())
        }
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        if self.runs() {
            RealFs.remove(path)
        } else {
            Err(crash())
        }
    }
}

#[test]
fn a_save_interrupted_at_any_step_leaves_the_old_or_the_new_document() {
    let (older, old, new) = (doc("first"), doc("second"), doc("third"));
    let mut outcomes = (0, 0); // (crashes leaving old, crashes leaving new)
    let mut torn = 0;
    let mut steps = None;
    for budget in 0..100 {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("acme.demarc.json");
        let first = save(&path, &older, None, SaveMode::Safe).expect("first save");
        let stamp = save(&path, &old, Some(&first), SaveMode::Safe).expect("second save");
        fs::write(with_suffix(&path, ".autosave"), new.to_json()).expect("autosave");

        let fs = CrashFs::new(budget);
        let result = save_with(&fs, &path, &new, Some(&stamp), SaveMode::Safe);

        let on_disk = open(&path).expect("the file is never broken").engagement;
        assert!(
            on_disk == old || on_disk == new,
            "budget {budget}: {on_disk:?}"
        );
        let backup = open(&backup_path(&path))
            .expect("the backup is never broken")
            .engagement;
        assert!(
            backup == older || backup == old,
            "budget {budget}: {backup:?}"
        );
        if on_disk == new {
            assert_eq!(backup, old, "budget {budget}: the replaced version is kept");
        }
        if result.is_ok() {
            assert_eq!(on_disk, new, "budget {budget}: Ok means saved");
        }
        torn += fs.torn_writes.get();
        if !fs.crashed.get() {
            steps = Some(budget);
            assert!(
                !with_suffix(&path, ".autosave").exists(),
                "a completed save removes the autosave copy"
            );
            break;
        }
        if on_disk == new {
            outcomes.1 += 1;
        } else {
            outcomes.0 += 1;
        }
        // The next run of the program can save again over whatever the crash left.
        let reopened = open(&path).expect("reopen");
        save(&path, &new, Some(&reopened.stamp), SaveMode::Safe).expect("save after crash");
        assert_eq!(open(&path).expect("reopen").engagement, new);
    }
    let steps = steps.expect("the save completes with enough budget");
    // read, backup (write, rename, sync), file (write, rename, sync), remove autosave.
    assert_eq!(steps, 8, "operations in a save");
    assert!(outcomes.0 >= 5 && outcomes.1 >= 1, "{outcomes:?}");
    assert!(
        torn >= 2,
        "torn temporary files were left behind and ignored"
    );
}

#[test]
fn saving_over_a_file_changed_since_it_was_opened_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme.demarc.json");
    let stamp = save(&path, &doc("mine"), None, SaveMode::Safe).expect("save");
    let theirs = doc("theirs").to_json();
    fs::write(&path, &theirs).expect("another writer");
    assert!(changed_on_disk(&path, &stamp));

    let err = save(&path, &doc("mine, later"), Some(&stamp), SaveMode::Safe).expect_err("conflict");
    assert!(
        matches!(err, EngagementFileError::ChangedOnDisk { .. }),
        "{err}"
    );
    assert!(err.is_overridable());
    assert!(
        err.to_string().ends_with(&path.display().to_string()),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        theirs,
        "untouched"
    );

    save(
        &path,
        &doc("mine, later"),
        Some(&stamp),
        SaveMode::Overwrite,
    )
    .expect("forced");
    assert_eq!(open(&path).expect("open").engagement, doc("mine, later"));
    assert_eq!(
        fs::read_to_string(backup_path(&path)).expect("bak"),
        theirs,
        "the other writer's version is kept as .bak"
    );
}

#[test]
fn touching_a_file_without_changing_it_is_not_a_conflict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme.demarc.json");
    let stamp = save(&path, &doc("a"), None, SaveMode::Safe).expect("save");
    set_mtime(&path, SystemTime::now() + Duration::from_mins(1));
    assert!(!changed_on_disk(&path, &stamp));
    save(&path, &doc("b"), Some(&stamp), SaveMode::Safe).expect("no conflict");
}

#[test]
fn a_new_document_does_not_replace_an_existing_file_unless_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.demarc.json");
    fs::write(&path, "precious").expect("write");
    let err = save(&path, &doc("x"), None, SaveMode::Safe).expect_err("exists");
    assert!(
        matches!(err, EngagementFileError::AlreadyExists { .. }),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), "precious");
    save(&path, &doc("x"), None, SaveMode::Overwrite).expect("confirmed");
    assert_eq!(
        fs::read_to_string(backup_path(&path)).expect("bak"),
        "precious"
    );
}

#[test]
fn a_corrupt_file_fails_to_open_with_its_path_last_and_stays_as_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("broken.demarc.json");
    let text = doc("x").to_json();
    let broken = &text[..text.len() - 10];
    fs::write(&path, broken).expect("write");
    let err = open(&path).expect_err("corrupt");
    let message = err.to_string();
    assert!(message.contains("corrupt"), "{message}");
    assert!(message.ends_with(&path.display().to_string()), "{message}");
    assert!(matches!(
        err,
        EngagementFileError::Parse {
            source: ParseError::Syntax { .. },
            ..
        }
    ));
    fs::write(&path, [0xff, 0xfe, b'{']).expect("write");
    assert!(
        open(&path)
            .expect_err("not UTF-8")
            .to_string()
            .contains("UTF-8")
    );
}

#[test]
fn a_file_from_a_newer_demarc_is_never_overwritten() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.demarc.json");
    let future = doc("x")
        .to_json()
        .replace("\"format_version\": 3", "\"format_version\": 4");
    fs::write(&path, &future).expect("write");
    let err = open(&path).expect_err("too new");
    assert!(err.to_string().contains("newer demarc"), "{err}");
    for mode in [SaveMode::Safe, SaveMode::Overwrite] {
        let err = save(&path, &doc("y"), None, mode).expect_err("refused");
        assert!(
            matches!(err, EngagementFileError::NewerOnDisk { found: 4, .. }),
            "{err}"
        );
        assert!(!err.is_overridable());
    }
    assert_eq!(fs::read_to_string(&path).expect("read"), future);
    assert!(!backup_path(&path).exists());
}

#[test]
fn an_older_format_opens_migrated_and_its_file_is_kept_as_backup_on_save() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.demarc.json");
    let v1 = r#"{"format_version": 1, "client": "C", "title": "T", "date": "2025-01-01",
        "catalog_version": "0.0.1", "services": ["ec2"],
        "items": {"ec2/IAM-01": {"status": "done", "assignee": "AWS"}}}"#;
    fs::write(&path, v1).expect("write");
    let opened = open(&path).expect("opens");
    assert_eq!(opened.migrated_from, Some(1));
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        v1,
        "opening changes nothing"
    );
    save(
        &path,
        &opened.engagement,
        Some(&opened.stamp),
        SaveMode::Safe,
    )
    .expect("save");
    let reopened = open(&path).expect("reopen");
    assert_eq!(reopened.migrated_from, None);
    assert_eq!(reopened.engagement, opened.engagement);
    assert_eq!(fs::read_to_string(backup_path(&path)).expect("bak"), v1);
}

#[test]
fn saving_unchanged_content_keeps_the_real_previous_version_as_backup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.demarc.json");
    let s1 = save(&path, &doc("one"), None, SaveMode::Safe).expect("save");
    let s2 = save(&path, &doc("two"), Some(&s1), SaveMode::Safe).expect("save");
    let s3 = save(&path, &doc("two"), Some(&s2), SaveMode::Safe).expect("save again");
    assert_eq!(s2.hash, s3.hash);
    assert_eq!(
        open(&backup_path(&path)).expect("bak").engagement,
        doc("one")
    );
    let names: Vec<_> = fs::read_dir(dir.path())
        .expect("list")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != crate::storage::safe::LOCK_NAME)
        .collect();
    assert_eq!(
        names.len(),
        2,
        "file and .bak only, no temporary files: {names:?}"
    );
}

#[test]
fn an_autosave_newer_than_the_file_is_offered_for_recovery() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.demarc.json");
    let autosave = autosave_path_in(Some(&path), dir.path());
    assert_eq!(autosave, dir.path().join("a.demarc.json.autosave"));
    assert_eq!(find_recovery(Some(&path), &autosave).expect("none"), None);

    let stamp = save(&path, &doc("saved"), None, SaveMode::Safe).expect("save");
    write_autosave(&autosave, &doc("typed after saving")).expect("autosave");
    let t = SystemTime::now();
    set_mtime(&path, t);
    set_mtime(&autosave, t + Duration::from_secs(5));
    let recovery = find_recovery(Some(&path), &autosave)
        .expect("readable")
        .expect("offered");
    assert_eq!(recovery.engagement, doc("typed after saving"));

    // An autosave older than the file is stale.
    set_mtime(&autosave, t - Duration::from_secs(5));
    assert_eq!(
        find_recovery(Some(&path), &autosave).expect("readable"),
        None
    );

    // One identical to the file holds nothing new.
    write_autosave(&autosave, &doc("saved")).expect("autosave");
    set_mtime(&autosave, t + Duration::from_secs(5));
    assert_eq!(
        find_recovery(Some(&path), &autosave).expect("readable"),
        None
    );

    // A save removes the autosave copy.
    write_autosave(&autosave, &doc("more")).expect("autosave");
    save(&path, &doc("more"), Some(&stamp), SaveMode::Safe).expect("save");
    assert!(!autosave.exists());

    // A corrupt autosave is reported, not dropped.
    fs::write(&autosave, "{").expect("write");
    let err = find_recovery(Some(&path), &autosave).expect_err("corrupt");
    assert!(
        err.to_string().ends_with(&autosave.display().to_string()),
        "{err}"
    );
    discard_autosave(&autosave).expect("discard");
    discard_autosave(&autosave).expect("discarding twice is fine");
}

#[test]
fn an_untitled_document_autosaves_in_the_data_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let autosave = autosave_path_in(None, dir.path());
    assert!(autosave.starts_with(dir.path().join("autosave")));
    write_autosave(&autosave, &doc("draft")).expect("creates the folder");
    let recovery = find_recovery(None, &autosave)
        .expect("readable")
        .expect("offered");
    assert_eq!(recovery.engagement, doc("draft"));
}

#[test]
fn the_file_being_deleted_while_open_is_not_a_conflict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.demarc.json");
    let stamp = save(&path, &doc("a"), None, SaveMode::Safe).expect("save");
    fs::remove_file(&path).expect("delete");
    assert!(changed_on_disk(&path, &stamp));
    save(&path, &doc("b"), Some(&stamp), SaveMode::Safe).expect("recreated");
    assert_eq!(open(&path).expect("open").engagement, doc("b"));
}

#[test]
fn a_document_that_would_not_read_back_is_not_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("a.demarc.json");
    let stamp = save(&path, &doc("good"), None, SaveMode::Safe).expect("save");
    let mut bad = doc("good");
    // Public fields can be set to what the format refuses; save must notice before writing.
    bad.date = "someday".to_owned();
    let err = save(&path, &bad, Some(&stamp), SaveMode::Overwrite).expect_err("refused");
    assert!(
        matches!(err, EngagementFileError::NotSaveable { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("someday"), "{err}");
    assert_eq!(open(&path).expect("open").engagement, doc("good"));
    let autosave = autosave_path_in(Some(&path), dir.path());
    assert!(write_autosave(&autosave, &bad).is_err());
    assert!(!autosave.exists());
}

/// F16: a file with a UTF-8 byte order mark was "corrupt", and a newer-format one with a BOM
/// was not seen as newer, so `new --force` overwrote it.
#[test]
fn a_byte_order_mark_is_not_corruption_nor_hides_a_newer_format() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("e.json");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(doc("bom").to_json().into_bytes());
    fs::write(&path, &bytes).expect("write");
    assert_eq!(open(&path).expect("opens").engagement, doc("bom"));
    let newer = doc("x").to_json().replace(
        &format!(
            "\"format_version\": {}",
            crate::model::engagement::FORMAT_VERSION
        ),
        "\"format_version\": 999",
    );
    assert!(newer.contains("999"), "the format field is where expected");
    fs::write(&path, format!("\u{feff}{newer}")).expect("write");
    let err = save(&path, &doc("y"), None, SaveMode::Overwrite).expect_err("newer");
    assert!(
        matches!(err, EngagementFileError::NewerOnDisk { .. }),
        "{err}"
    );
}
