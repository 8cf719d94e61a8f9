//! Lambda, SQS and SNS: deprecated runtimes, unencrypted queues and topics. (`DynamoDB`, also
//! serverless, is judged with the databases.)

use super::Out;
use crate::import::facts::{Facts, Known};
use crate::model::evidence::Status;

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
    let deprecated: Vec<String> = out
        .check("lambda_deprecated_runtime")
        .map(|c| c.params.runtimes.clone())
        .unwrap_or_default();
    for f in &facts.lambdas {
        let (status, detail) = match f.runtime.as_deref() {
            Some(r) if deprecated.iter().any(|d| d == r) => {
                (Status::Fail, format!("Runtime {r} is deprecated"))
            }
            Some(r) => (Status::Pass, format!("Runtime {r} is supported")),
            None if f.package_type.as_deref() == Some("Image") => continue,
            None => (Status::Unknown, "runtime not in this snapshot".to_owned()),
        };
        out.push(
            "lambda_deprecated_runtime",
            &f.meta,
            &f.name,
            status,
            detail,
        );
    }
    for q in &facts.queues {
        let (status, detail) = match (&q.kms_key, q.sse_managed) {
            (Known::Present(k), _) => (Status::Pass, format!("KMS key {k}")),
            (_, Some(true)) => (Status::Pass, "SqsManagedSseEnabled=true".to_owned()),
            (Known::Absent, Some(false)) => (
                Status::Fail,
                "SqsManagedSseEnabled=false and no KmsMasterKeyId".to_owned(),
            ),
            _ => (
                Status::Unknown,
                "queue encryption not in this snapshot".to_owned(),
            ),
        };
        out.push("sqs_unencrypted", &q.meta, &q.name, status, detail);
    }
    for t in &facts.topics {
        let (status, detail) = match &t.kms_key {
            Known::Present(k) => (Status::Pass, format!("KMS key {k}")),
            Known::Absent => (Status::Fail, "no KmsMasterKeyId".to_owned()),
            Known::Unknown => (
                Status::Unknown,
                "topic encryption not in this snapshot".to_owned(),
            ),
        };
        out.push("sns_unencrypted", &t.meta, &t.name, status, detail);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use crate::import::facts::{Facts, Known, LambdaFunction, SnsTopic, SqsQueue};
    use crate::model::evidence::Status::{Fail, Pass, Unknown};

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts::default();
        for (name, runtime, package) in [
            ("fn-bad", Some("python3.8"), "Zip"),
            ("fn-good", Some("python3.12"), "Zip"),
            ("fn-unknown", None, "Zip"),
            ("fn-image", None, "Image"),
        ] {
            f.lambdas.push(LambdaFunction {
                meta: meta("1"),
                name: name.to_owned(),
                runtime: runtime.map(str::to_owned),
                package_type: Some(package.to_owned()),
            });
        }
        f.queues.push(SqsQueue {
            meta: meta("1"),
            name: "q-bad".to_owned(),
            sse_managed: Some(false),
            kms_key: Known::Absent,
        });
        f.queues.push(SqsQueue {
            meta: meta("1"),
            name: "q-good".to_owned(),
            sse_managed: Some(false),
            kms_key: Known::Present("alias/k".to_owned()),
        });
        f.queues.push(SqsQueue {
            meta: meta("1"),
            name: "q-unknown".to_owned(),
            sse_managed: None,
            kms_key: Known::Unknown,
        });
        f.topics.push(SnsTopic {
            meta: meta("1"),
            name: "s-bad".to_owned(),
            kms_key: Known::Absent,
        });
        f.topics.push(SnsTopic {
            meta: meta("1"),
            name: "s-good".to_owned(),
            kms_key: Known::Present("alias/k".to_owned()),
        });
        f.topics.push(SnsTopic {
            meta: meta("1"),
            name: "s-unknown".to_owned(),
            kms_key: Known::Unknown,
        });
        f
    }

    pub(in crate::import::rules) const CASES: &[Cases] = &[
        (
            "lambda_deprecated_runtime",
            &[("fn-bad", Fail), ("fn-good", Pass), ("fn-unknown", Unknown)],
        ),
        (
            "sqs_unencrypted",
            &[("q-bad", Fail), ("q-good", Pass), ("q-unknown", Unknown)],
        ),
        (
            "sns_unencrypted",
            &[("s-bad", Fail), ("s-good", Pass), ("s-unknown", Unknown)],
        ),
    ];

    #[test]
    fn pass_fail_and_unknown() {
        let r = run(&facts(), super::evaluate);
        expect(&r, CASES);
        assert!(
            !r.contains_key(&(
                "lambda_deprecated_runtime".to_owned(),
                "fn-image".to_owned()
            )),
            "container images have no runtime"
        );
    }
}
