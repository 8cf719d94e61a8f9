//! Writes a deterministic synthetic AWS Config snapshot, for benchmarks and memory measurements:
//! `cargo run --release --example synth_snapshot -- OUT.json [ITEMS] [SEED]` (add `.gz` to OUT
//! for a gzip file).

use std::io::{BufWriter, Write};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: synth_snapshot OUT.json [ITEMS] [SEED]"))?;
    let items: usize = args.next().map_or(Ok(200_000), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(1), |s| s.parse())?;
    let file = BufWriter::new(std::fs::File::create(&out)?);
    if std::path::Path::new(&out)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        demarc::import::synth::write_config_snapshot(&mut gz, items, seed)?;
        gz.finish()?.flush()?;
    } else {
        let mut file = file;
        demarc::import::synth::write_config_snapshot(&mut file, items, seed)?;
        file.flush()?;
    }
    eprintln!("wrote {items} configuration items to {out}");
    Ok(())
}
