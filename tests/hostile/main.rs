//! Hostile inputs and shared folders (issue 13): every defect the red-team pass found, each
//! with the input or the race that showed it. One module per area.

mod fuzz;
mod fuzz_files;
mod inputs;
mod memory;
mod saves;

/// Peak memory of one piece of work, measured in a process of its own: the test binary runs
/// itself again for just the named test, with `DEMARC_MEASURE` set; that run does the work and
/// prints its peak resident set (`VmHWM`, Linux). Without unsafe code, and unaffected by the
/// tests running beside it.
#[cfg(target_os = "linux")]
mod measure {
    use std::process::Command;

    const VAR: &str = "DEMARC_MEASURE";

    fn peak_kb() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }

    /// In the measuring run: does `work` and prints the peak. In the normal run: starts the
    /// measuring run of `test` (this test's full path) and returns its peak in bytes and
    /// the peak of the same run doing nothing (the test harness and the bundled catalog).
    pub fn peak(test: &str, work: impl FnOnce()) -> Option<(u64, u64)> {
        match std::env::var(VAR).as_deref() {
            Ok("idle") => {
                println!("PEAK_KB={}", peak_kb());
                None
            }
            Ok(_) => {
                work();
                println!("PEAK_KB={}", peak_kb());
                None
            }
            Err(_) => {
                let run = |mode: &str| {
                    let out = Command::new(std::env::current_exe().expect("test binary"))
                        .args([test, "--exact", "--nocapture", "--test-threads=1"])
                        .env(VAR, mode)
                        .output()
                        .expect("runs");
                    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
                    assert!(out.status.success(), "{test} ({mode}) failed: {printed}");
                    let kb: u64 = printed
                        .split("PEAK_KB=")
                        .nth(1)
                        .and_then(|v| v.split_whitespace().next())
                        .and_then(|v| v.parse().ok())
                        .unwrap_or_else(|| panic!("no peak in {printed}"));
                    kb << 10
                };
                Some((run("work"), run("idle")))
            }
        }
    }
}
