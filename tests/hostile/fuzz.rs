//! A fuzz harness that runs on the stable toolchain: a deterministic mutation loop over the
//! committed corpus (`tests/hostile/corpus/`: a Config snapshot, a Prowler OCSF and a Security
//! Hub file, an engagement, an AWS CLI collection), through every importer (`import_bytes`
//! sniffs the format, plain and gzip; collections as a folder and as a zip through
//! `storage::snapshot::import_path`, in `fuzz_files`) and the engagement reader
//! (`Engagement::from_json` and `storage::engagement::open`). A panic fails the test at once; a
//! case slower than the time guard ([`slow_limit`]: 5 s in a release build) is a finding too,
//! reported when the run ends. Both print the seed and the case number to reproduce them, and
//! keep the input under the test's temporary folder (`fuzz-findings/`).
//!
//! CI runs `ROUNDS` cases per corpus file (a few seconds). A longer run:
//! `DEMARC_FUZZ_ROUNDS=200000 cargo test --release --test hostile fuzz -- --nocapture`;
//! `DEMARC_FUZZ_SEED` changes the sequence.

use demarc::import;
use demarc::model::catalog::Catalog;
use demarc::model::engagement::Engagement;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const ROUNDS: u64 = 800;

/// xorshift64*: small, deterministic, good enough to pick mutations.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Tokens that tend to break JSON readers: structure, odd numbers, escapes, deep nesting.
const TOKENS: [&[u8]; 16] = [
    b"[",
    b"]",
    b"{",
    b"}",
    b",",
    b":",
    b"\"",
    b"null",
    b"-1e999",
    b"18446744073709551616",
    b"\\u0000",
    b"\\ud800",
    b"\xff\xfe",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    b"{\"a\":",
    b"\x1b[2J",
];

pub(crate) fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut data = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let len = data.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => data[at.min(len - 1)] ^= 1 << rng.below(8),
            1 => data.truncate(at),
            2 => {
                let end = (at + rng.below(64)).min(len);
                data.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(256)).min(len);
                let copy = data[at..end].to_vec();
                let to = rng.below(data.len() + 1);
                data.splice(to..to, copy);
            }
            4 | 5 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            _ => {
                let end = (at + 1).min(len);
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..end, token.iter().copied());
            }
        }
    }
    data
}

pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

/// Cases per corpus file (`DEMARC_FUZZ_ROUNDS`, else `ROUNDS`).
pub(crate) fn rounds() -> u64 {
    std::env::var("DEMARC_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ROUNDS)
}

/// The run's seed (`DEMARC_FUZZ_SEED`).
fn start_seed() -> u64 {
    std::env::var("DEMARC_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed)
}

/// A case slower than this is a finding: 5 s in a release build, 60 s in a debug build
/// (`DEMARC_FUZZ_SLOW_SECS` to change it).
pub(crate) fn slow_limit() -> Duration {
    let default = if cfg!(debug_assertions) { 60 } else { 5 };
    Duration::from_secs(
        std::env::var("DEMARC_FUZZ_SLOW_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
    )
}

pub(crate) fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile/corpus")
        .join(name)
}

/// Keeps a finding's input where it can be looked at; returns where.
fn keep(label: &str, case: u64, input: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-findings");
    let path = dir.join(format!(
        "{}-{}-{case}",
        label.replace('/', "_"),
        start_seed()
    ));
    let _ = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input));
    path
}

/// The case running now, for the watchdog.
type Running = Arc<Mutex<Option<(u64, Instant)>>>;

/// A hang never ends its case, so the after-the-fact time check cannot see it: past ten times
/// the limit, this thread prints the case and ends the process.
fn watchdog(label: &str, running: &Running) {
    let (label, running) = (label.to_owned(), Arc::downgrade(running));
    let limit = slow_limit() * 10;
    let _ = std::thread::Builder::new()
        .name(format!("fuzz watchdog {label}"))
        .spawn(move || {
            while let Some(running) = running.upgrade() {
                let now = *running.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                drop(running);
                if let Some((case, since)) = now
                    && since.elapsed() > limit
                {
                    eprintln!(
                        "FUZZ HANG {label}: DEMARC_FUZZ_SEED={} case {case} still running after {:?}",
                        start_seed(),
                        since.elapsed()
                    );
                    std::process::exit(3);
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        });
}

/// Runs `rounds()` cases named `label`: `make` draws one input, `target` runs it, `bytes`
/// gives the bytes kept when it fails. Panics on the first panicking case, and at the end if
/// any case was slower than [`slow_limit`].
pub(crate) fn fuzz<I>(
    label: &str,
    salt: u64,
    make: impl Fn(&mut Rng) -> I,
    target: impl Fn(&I),
    bytes: impl Fn(&I) -> Vec<u8>,
) {
    let mut rng = Rng(start_seed() ^ salt | 1);
    let running: Running = Arc::default();
    watchdog(label, &running);
    let limit = slow_limit();
    let mut slow = Vec::new();
    let began = Instant::now();
    for case in 0..rounds() {
        let input = make(&mut rng);
        let started = Instant::now();
        *running.lock().expect("lock") = Some((case, started));
        let ok = catch_unwind(AssertUnwindSafe(|| target(&input))).is_ok();
        let took = started.elapsed();
        *running.lock().expect("lock") = None;
        if !ok {
            let kept = keep(label, case, &bytes(&input));
            panic!(
                "{label}: DEMARC_FUZZ_SEED={} case {case} panicked; input kept in {}",
                start_seed(),
                kept.display()
            );
        }
        if took > limit {
            let kept = keep(label, case, &bytes(&input));
            let finding = format!(
                "{label}: DEMARC_FUZZ_SEED={} case {case} took {took:?}; input kept in {}",
                start_seed(),
                kept.display()
            );
            eprintln!("FUZZ SLOW {finding}");
            slow.push(finding);
        }
    }
    println!(
        "FUZZ {label}: {} cases in {:?}, {} slow",
        rounds(),
        began.elapsed(),
        slow.len()
    );
    assert!(slow.is_empty(), "slow cases:\n{}", slow.join("\n"));
}

fn run(file: &str, target: impl Fn(&[u8])) {
    let seed = std::fs::read(corpus(file)).expect("corpus file");
    target(&seed);
    fuzz(
        file,
        seed.len() as u64,
        |rng| mutate(rng, &seed),
        |input| target(input),
        Clone::clone,
    );
}

fn importers(bytes: &[u8]) {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    let catalog = CATALOG.get_or_init(Catalog::bundled);
    let _ = import::import_bytes(catalog, "fuzz.json", bytes);
    if bytes.len().is_multiple_of(4) {
        let _ = import::import_bytes(catalog, "fuzz.json.gz", &gzip(bytes));
    }
}

#[test]
fn mutated_config_snapshots_never_panic() {
    run("config.json", importers);
}

#[test]
fn mutated_prowler_files_never_panic() {
    run("prowler.ocsf.json", importers);
}

#[test]
fn mutated_security_hub_files_never_panic() {
    run("asff.json", importers);
}

#[test]
fn mutated_engagements_never_panic() {
    run("engagement.demarc.json", |bytes| {
        let _ = Engagement::from_json(&String::from_utf8_lossy(bytes));
        importers(bytes);
    });
}
