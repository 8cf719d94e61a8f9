//! Client files built to hurt: cut short, amplifying, quadratic, lying zips, links and pipes.

use demarc::import::{self, ImportError};
use demarc::model::catalog::Catalog;

/// F1: files cut inside their first value panicked the splitter (exit 101 from the CLI).
#[test]
fn files_cut_inside_their_first_value_are_errors_not_panics() {
    let catalog = Catalog::bundled();
    for text in [
        "[1",
        r#"{"x":1"#,
        r#"{"Findings": 1"#,
        r#"{"configurationItems": [1"#,
        r#"{"Findings": [nul"#,
        r#"[{"metadata": {"event_code": "x"}, "status_code": "FAIL"}, nul"#,
    ] {
        match import::import_bytes(&catalog, "cut.json", text.as_bytes()) {
            Ok(evidence) => assert!(
                !evidence.warnings.is_empty(),
                "{text}: a cut file imports only with a warning"
            ),
            Err(
                ImportError::Invalid { message, .. }
                | ImportError::Unsupported { what: message, .. },
            ) => {
                assert!(!message.is_empty(), "{text}");
            }
            Err(other) => panic!("{text}: unexpected {other}"),
        }
    }
}
