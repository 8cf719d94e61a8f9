//! The fuzz harness (`fuzz`) over what is read from disk: the AWS CLI collection importer, as a
//! folder and as a zip archive (`storage::snapshot::import_path`: manifest and outputs mutated,
//! and for a zip sometimes the archive's bytes too), and `storage::engagement::open` on mutated
//! engagement files. The corpus collection is `tests/hostile/corpus/collection/`.

use crate::fuzz::{Rng, corpus, fuzz, mutate};
use demarc::import::Limits;
use demarc::model::catalog::Catalog;
use demarc::storage::snapshot::import_path;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::bundled)
}

/// The corpus collection: file name -> bytes.
fn collection() -> BTreeMap<String, Vec<u8>> {
    let dir = corpus("collection");
    std::fs::read_dir(&dir)
        .expect("corpus collection")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("read"))
        })
        .collect()
}

/// One case: the collection's files, some mutated, and for a zip the bytes to mutate after.
struct Case {
    files: BTreeMap<String, Vec<u8>>,
    zip: bool,
    /// Mutate the archive's bytes too (headers, sizes, offsets).
    zip_mutation: Option<u64>,
}

fn draw(rng: &mut Rng, seed: &BTreeMap<String, Vec<u8>>, zip: bool) -> Case {
    let mut files = seed.clone();
    let names: Vec<String> = files.keys().cloned().collect();
    for _ in 0..=rng.below(2) {
        // The manifest half the time: it decides what every other file is.
        let name = if rng.below(2) == 0 {
            "manifest.json"
        } else {
            &names[rng.below(names.len())]
        };
        let mutated = mutate(rng, &files[name]);
        files.insert(name.to_owned(), mutated);
    }
    let zip_mutation = (zip && rng.below(3) == 0).then(|| rng.next());
    Case {
        files,
        zip,
        zip_mutation,
    }
}

fn zip_bytes(case: &Case) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in &case.files {
        zip.start_file(format!("snapshot/{name}"), options)
            .expect("entry");
        zip.write_all(bytes).expect("write");
    }
    let bytes = zip.finish().expect("zip").into_inner();
    match case.zip_mutation {
        Some(seed) => mutate(&mut Rng(seed | 1), &bytes),
        None => bytes,
    }
}

/// What a failing case is kept as: the files one after the other, or the archive.
fn case_bytes(case: &Case) -> Vec<u8> {
    if case.zip {
        return zip_bytes(case);
    }
    let mut out = Vec::new();
    for (name, bytes) in &case.files {
        out.extend_from_slice(format!("\n=== {name} ({} bytes)\n", bytes.len()).as_bytes());
        out.extend_from_slice(bytes);
    }
    out
}

fn import(path: &Path) -> usize {
    let cancel = AtomicBool::new(false);
    import_path(catalog(), path, &cancel, &mut |_| {}, Limits::default())
        .map_or(0, |evidence| evidence.resources.len())
}

fn run_collection(zip: bool) {
    let seed = collection();
    let dir = tempfile::tempdir().expect("temp dir");
    let target = |case: &Case| {
        if case.zip {
            let path = dir.path().join("snapshot.zip");
            std::fs::write(&path, zip_bytes(case)).expect("write");
            import(&path)
        } else {
            let folder = dir.path().join("snapshot");
            let _ = std::fs::remove_dir_all(&folder);
            std::fs::create_dir(&folder).expect("folder");
            for (name, bytes) in &case.files {
                std::fs::write(folder.join(name), bytes).expect("write");
            }
            import(&folder)
        }
    };
    let resources = target(&Case {
        files: seed.clone(),
        zip,
        zip_mutation: None,
    });
    assert!(
        resources > 10,
        "the corpus collection imports: {resources} resources"
    );
    let label = if zip { "collection.zip" } else { "collection/" };
    fuzz(
        label,
        u64::from(zip) + 0xc011,
        |rng| draw(rng, &seed, zip),
        |case| {
            target(case);
        },
        case_bytes,
    );
}

#[test]
fn mutated_collection_folders_never_panic() {
    run_collection(false);
}

#[test]
fn mutated_collection_zips_never_panic() {
    run_collection(true);
}

#[test]
fn mutated_engagement_files_never_panic_when_opened() {
    let seed = std::fs::read(corpus("engagement.demarc.json")).expect("corpus file");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("fuzz.demarc.json");
    std::fs::write(&path, &seed).expect("write");
    demarc::storage::engagement::open(&path).expect("the corpus engagement opens");
    fuzz(
        "engagement.demarc.json (open)",
        seed.len() as u64 ^ 0x0be,
        |rng| mutate(rng, &seed),
        |input| {
            std::fs::write(&path, input).expect("write");
            let _ = demarc::storage::engagement::open(&path);
        },
        Clone::clone,
    );
}
