//! A fuzz harness that runs on the stable toolchain: a deterministic mutation loop over the
//! committed corpus (`tests/hostile/corpus/`: a Config snapshot, a Prowler OCSF and a Security
//! Hub file, an engagement), through every importer (`import_bytes` sniffs the format, plain
//! and gzip) and the engagement reader. Any panic fails the test and prints the seed file, the
//! case number and the mutated bytes to reproduce it.
//!
//! CI runs `ROUNDS` cases per corpus file (a few seconds). A longer run:
//! `DEMARC_FUZZ_ROUNDS=200000 cargo test --release --test hostile fuzz -- --nocapture`;
//! `DEMARC_FUZZ_SEED` changes the sequence.

use demarc::import;
use demarc::model::catalog::Catalog;
use demarc::model::engagement::Engagement;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::OnceLock;

const ROUNDS: u64 = 800;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
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

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
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

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

fn rounds() -> u64 {
    std::env::var("DEMARC_FUZZ_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ROUNDS)
}

fn run(file: &str, target: impl Fn(&[u8])) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hostile/corpus")
        .join(file);
    let seed = std::fs::read(&path).expect("corpus file");
    let start: u64 = std::env::var("DEMARC_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    let mut rng = Rng(start ^ seed.len() as u64 | 1);
    target(&seed);
    for case in 0..rounds() {
        let input = mutate(&mut rng, &seed);
        assert!(
            catch_unwind(AssertUnwindSafe(|| target(&input))).is_ok(),
            "{file}: case {case} panicked; input ({} bytes): {:?}",
            input.len(),
            String::from_utf8_lossy(&input)
        );
    }
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
