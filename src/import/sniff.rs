//! What a file is, from its first bytes (never from its name): gzip, zip, one of the JSON
//! formats demarc reads, or something it recognises and rejects with a reason.

use super::stream::{JsonStream, Tick};

/// Bytes looked at (after decompression for gzip).
pub const PREFIX: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Gzip,
    Zip,
    ConfigSnapshot,
    /// ASFF: `{"Findings": [...]}` (or `DefectDojo`'s lower-case `findings`), or a bare array.
    SecurityHub,
    ProwlerOcsf,
    /// A collection's `manifest.json` given on its own.
    CliManifest,
    /// Recognised, not read: what it is and what to do instead.
    Rejected(String),
}

struct Never;
impl Tick for Never {
    fn tick(&mut self) -> bool {
        true
    }
}

/// Keys of the top-level object, as far as the prefix goes; for `array_key` (if present) also
/// the keys of its first element.
fn object_keys(prefix: &[u8], array_keys: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut keys = Vec::new();
    let mut first_item = Vec::new();
    let mut s = JsonStream::new(prefix, Never, usize::MAX);
    let _ = s.object(
        |k| {
            keys.push(k.to_owned());
            array_keys.contains(&k)
        },
        |_, _| {},
        |_, _, bytes, _| {
            first_item = element_keys(bytes);
            false
        },
    );
    // The array's first element may not fit in the prefix: look at what there is of it.
    if first_item.is_empty()
        && let Some(pos) = keys.iter().position(|k| array_keys.contains(&k.as_str()))
        && let Some(at) = find(prefix, format!("\"{}\"", keys[pos]).as_bytes())
        && let Some(open) = prefix[at..].iter().position(|&b| b == b'{')
    {
        first_item = element_keys(&prefix[at + open..]);
    }
    (keys, first_item)
}

/// Keys of an object, as far as the bytes go.
fn element_keys(bytes: &[u8]) -> Vec<String> {
    let mut keys = Vec::new();
    let mut s = JsonStream::new(bytes, Never, usize::MAX);
    let _ = s.object(
        |k| {
            keys.push(k.to_owned());
            false
        },
        |_, _| {},
        |_, _, _, _| false,
    );
    keys
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn has(keys: &[String], key: &str) -> bool {
    keys.iter().any(|k| k == key)
}

fn describe_keys(keys: &[String]) -> String {
    let shown: Vec<&str> = keys.iter().take(6).map(String::as_str).collect();
    if shown.is_empty() {
        "no keys".to_owned()
    } else {
        format!("top-level keys {}", shown.join(", "))
    }
}

const READS: &str = "demarc reads AWS Config snapshots, AWS CLI collections (a folder or .zip with manifest.json), \
                     Security Hub get-findings output and Prowler JSON-OCSF";

pub fn sniff(prefix: &[u8]) -> Kind {
    if prefix.starts_with(&[0x1f, 0x8b]) {
        return Kind::Gzip;
    }
    if prefix.starts_with(b"PK\x03\x04") || prefix.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    // UTF-8 with or without a byte-order mark, or UTF-16 (PowerShell 5.1 output).
    let decoded = super::encoding::decode_prefix(prefix);
    let body = decoded.as_ref();
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Kind::Rejected(if prefix.is_empty() {
            "the file is empty".to_owned()
        } else {
            "the file holds only whitespace".to_owned()
        });
    };
    let body = &body[start..];
    // Invalid UTF-8 is binary; a character cut by the end of the prefix is not.
    let text_like = match std::str::from_utf8(body) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    };
    if body.contains(&0) {
        return Kind::Rejected(format!("a binary file, not JSON ({READS})"));
    }
    if !text_like {
        return Kind::Rejected(format!(
            "not JSON: a binary file, or text that is neither UTF-8 nor UTF-16 (a Windows code page?) that must be saved again as UTF-8; {READS}"
        ));
    }
    if body.starts_with(b"scoutsuite_results") {
        return Kind::Rejected(
            "a ScoutSuite report (scoutsuite_results = ...), which demarc does not read; run Prowler with -M json-ocsf, \
             or export Security Hub findings with `aws securityhub get-findings`"
                .to_owned(),
        );
    }
    let first_line = body.split(|&b| b == b'\n').next().unwrap_or(body);
    if find(first_line, b"CHECK_ID").is_some() && first_line.contains(&b';') {
        return Kind::Rejected("Prowler CSV output; demarc reads Prowler's JSON-OCSF output (prowler aws -M json-ocsf)".to_owned());
    }
    if find(first_line, b"ACCOUNT_NUM").is_some() && find(first_line, b"TITLE_ID").is_some() {
        return Kind::Rejected("Prowler v2 CSV output; demarc reads Prowler's JSON-OCSF output (Prowler 4 or later: -M json-ocsf)".to_owned());
    }
    match body[0] {
        b'{' => sniff_object(body),
        b'[' => sniff_array(body),
        _ => {
            let shown: String =
                String::from_utf8_lossy(&first_line[..first_line.len().min(40)]).into_owned();
            Kind::Rejected(format!(
                "not JSON (it starts with \"{}\"); {READS}",
                shown.trim()
            ))
        }
    }
}

fn sniff_object(body: &[u8]) -> Kind {
    let (keys, first) = object_keys(
        body,
        &["configurationItems", "Findings", "findings", "commands"],
    );
    if has(&keys, "configurationItems")
        || has(&keys, "configSnapshotId")
        || has(&keys, "fileVersion")
    {
        return Kind::ConfigSnapshot;
    }
    if has(&keys, "Findings")
        || (has(&keys, "findings")
            && (has(&first, "SchemaVersion") || has(&first, "ProductArn") || first.is_empty()))
    {
        return Kind::SecurityHub;
    }
    if has(&keys, "format") && has(&keys, "commands")
        || has(&keys, "collected_at") && has(&keys, "account_id")
    {
        return Kind::CliManifest;
    }
    // Single items (one, or one per line, as the API and rule tooling give them), a change
    // notification, or an EventBridge event of Config wrapping one.
    if has(&keys, "resourceType") && has(&keys, "resourceId") && has(&keys, "configuration")
        || has(&keys, "configurationItem")
        || has(&keys, "detail") && has(&keys, "detail-type") && find(body, b"aws.config").is_some()
    {
        return Kind::ConfigSnapshot;
    }
    if has(&keys, "configurationItemSummary") {
        return Kind::Rejected(
            "an AWS Config notification or rule event (one configurationItem), not a configuration snapshot; \
             use the ConfigSnapshot file AWS Config delivers to S3 (aws configservice deliver-config-snapshot)"
                .to_owned(),
        );
    }
    if has(&keys, "Results") && has(&keys, "QueryInfo") {
        return Kind::Rejected(
            "AWS Config advanced query output (select-resource-config), not a configuration snapshot".to_owned(),
        );
    }
    if has(&keys, "Account Number") && has(&keys, "Control") {
        return Kind::Rejected(
            "Prowler v2 JSON output; demarc reads Prowler's JSON-OCSF output (Prowler 4 or later: -M json-ocsf)".to_owned(),
        );
    }
    // One finding per line (NDJSON), or one finding on its own; an EventBridge event of
    // Security Hub (`{"detail-type": ..., "detail": {"findings": [...]}}`).
    if has(&keys, "SchemaVersion") && has(&keys, "ProductArn")
        || has(&keys, "detail")
            && has(&keys, "detail-type")
            && find(body, b"aws.securityhub").is_some()
    {
        return Kind::SecurityHub;
    }
    Kind::Rejected(format!(
        "JSON of another shape ({}): a single AWS CLI output? import the collection folder that holds manifest.json; {READS}",
        describe_keys(&keys)
    ))
}

fn sniff_array(body: &[u8]) -> Kind {
    let mut first = Vec::new();
    let mut empty = true;
    let mut s = JsonStream::new(body, Never, usize::MAX);
    let _ = s.array(|_, bytes, _| {
        empty = false;
        first = element_keys(bytes);
        false
    });
    if first.is_empty() && !empty {
        // The first element does not fit in the prefix: read what there is of it.
        if let Some(open) = body.iter().skip(1).position(|&b| b == b'{') {
            first = element_keys(&body[open + 1..]);
        }
    } else if first.is_empty()
        && let Some(open) = body.iter().skip(1).position(|&b| !b.is_ascii_whitespace())
    {
        {
            if body[open + 1] == b'{' {
                first = element_keys(&body[open + 1..]);
                empty = first.is_empty();
            }
        }
    }
    if empty && first.is_empty() {
        // An empty Prowler report (or an empty list of findings): "no findings" is a result.
        return Kind::ProwlerOcsf;
    }
    if has(&first, "class_uid")
        || has(&first, "finding_info")
        || (has(&first, "metadata") && has(&first, "status_code"))
    {
        return Kind::ProwlerOcsf;
    }
    if has(&first, "CheckID")
        || has(&first, "FindingUniqueId")
        || has(&first, "AssessmentStartTime")
    {
        return Kind::Rejected(
            "Prowler v3 JSON output; demarc reads Prowler's JSON-OCSF output (Prowler 4 or later: -M json-ocsf)".to_owned(),
        );
    }
    if has(&first, "SchemaVersion") && has(&first, "ProductArn") {
        return Kind::SecurityHub;
    }
    Kind::Rejected(format!(
        "a JSON array of objects with keys {} that demarc does not know; {READS}",
        first.iter().take(6).cloned().collect::<Vec<_>>().join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(
            sniff(br#"{"fileVersion":"1.0","configurationItems":[{"a":1}]}"#),
            Kind::ConfigSnapshot
        );
        assert_eq!(
            sniff(br#"  {"Findings": [{"SchemaVersion": "2018-10-08"}]}"#),
            Kind::SecurityHub
        );
        assert_eq!(
            sniff(br#"{"findings": [{"SchemaVersion": "2018-10-08", "ProductArn": "x"}]}"#),
            Kind::SecurityHub
        );
        assert_eq!(
            sniff(br#"[{"metadata": {}, "status_code": "FAIL", "class_uid": 2004}]"#),
            Kind::ProwlerOcsf
        );
        assert_eq!(
            sniff(br#"{"format": "aws-cli-readonly-snapshot", "commands": []}"#),
            Kind::CliManifest
        );
        assert_eq!(sniff(&[0x1f, 0x8b, 8, 0]), Kind::Gzip);
        assert_eq!(sniff(b"PK\x03\x04rest"), Kind::Zip);
    }

    #[test]
    fn known_other_formats_are_rejected_with_a_reason() {
        let reason = |bytes: &[u8]| match sniff(bytes) {
            Kind::Rejected(r) => r,
            other => panic!("expected a rejection, got {other:?}"),
        };
        assert!(reason(b"").contains("empty"));
        assert!(reason(b"\x00\x01\x02binary").contains("binary"));
        assert!(reason(b"scoutsuite_results =\n{}").contains("ScoutSuite"));
        assert!(
            reason(b"AUTH_METHOD;TIMESTAMP;ACCOUNT_UID;CHECK_ID;STATUS\n").contains("Prowler CSV")
        );
        assert!(
            reason(br#"[{"AssessmentStartTime": "x", "CheckID": "y"}]"#).contains("Prowler v3")
        );
        assert!(
            reason(br#"{"Profile":"default","Account Number":"1","Control":"x"}"#)
                .contains("Prowler v2")
        );
        assert!(reason(br#"{"SummaryMap": {}}"#).contains("another shape"));
        assert!(reason(br#"{"configurationItemSummary": {}}"#).contains("notification"));
        assert_eq!(
            sniff(br#"{"configurationItem": {"resourceType": "AWS::S3::Bucket"}}"#),
            Kind::ConfigSnapshot
        );
        assert_eq!(sniff(b"[\n  \n]"), Kind::ProwlerOcsf);
        assert_eq!(
            sniff(br#"{"SchemaVersion": "2018-10-08", "ProductArn": "x", "Id": "1"}"#),
            Kind::SecurityHub
        );
        assert!(reason(b"hello world").contains("not JSON"));
    }

    #[test]
    fn a_huge_first_item_still_tells_the_format() {
        let mut text = String::from(
            r#"[{"message": "m", "metadata": {"event_code": "x"}, "status_code": "FAIL", "unmapped": ""#,
        );
        text.push_str(&"a".repeat(PREFIX));
        assert_eq!(sniff(&text.as_bytes()[..PREFIX]), Kind::ProwlerOcsf);
        let mut text =
            String::from(r#"{"fileVersion": "1.0", "configurationItems": [{"configuration": ""#);
        text.push_str(&"a".repeat(PREFIX));
        assert_eq!(sniff(&text.as_bytes()[..PREFIX]), Kind::ConfigSnapshot);
    }
}
