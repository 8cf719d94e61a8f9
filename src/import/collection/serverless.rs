//! Lambda functions, SQS queues and SNS topics.

use super::manifest::Call;
use super::{Collector, list};
use crate::import::Sink;
use crate::import::common::{canonical_id, loose_bool, text};
use crate::import::facts::{Known, LambdaFunction, SnsTopic, SqsQueue};

impl Collector<'_> {
    pub(super) fn lambda(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("lambda", "list-functions", r) {
            for f in list(call.ok(), "Functions") {
                let Some(name) = text(f.get("FunctionName")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::Lambda::Function", &name, &meta, None);
                sink.facts.lambdas.push(LambdaFunction {
                    meta,
                    name,
                    runtime: text(f.get("Runtime")),
                    package_type: text(f.get("PackageType")),
                });
            }
        }
    }

    pub(super) fn sqs(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("sqs", "list-queues", r) {
            for q in list(call.ok(), "QueueUrls") {
                let Some(url) = text(Some(q)) else { continue };
                let name = canonical_id(&url);
                let attrs_call =
                    calls.with_param("sqs", "get-queue-attributes", "--queue-url", &url, region);
                let meta = self.meta(sink, region, attrs_call.or(Some(call)));
                let attrs = attrs_call
                    .and_then(Call::ok)
                    .and_then(|v| v.get("Attributes"));
                sink.resource("AWS::SQS::Queue", &name, &meta, None);
                sink.facts.queues.push(SqsQueue {
                    meta,
                    name,
                    // With every attribute asked for (QueueArn is there), a missing
                    // SqsManagedSseEnabled means SSE-SQS is off (outputs from before 2021, when
                    // the attribute did not exist yet, have no SSE-SQS at all).
                    sse_managed: attrs.and_then(|a| {
                        loose_bool(a.get("SqsManagedSseEnabled"))
                            .or_else(|| a.get("QueueArn").map(|_| false))
                    }),
                    kms_key: match attrs {
                        Some(a) => {
                            text(a.get("KmsMasterKeyId")).map_or(Known::Absent, Known::Present)
                        }
                        None => Known::Unknown,
                    },
                });
            }
        }
    }

    pub(super) fn sns(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("sns", "list-topics", r) {
            for t in list(call.ok(), "Topics") {
                let Some(arn) = text(t.get("TopicArn")) else {
                    continue;
                };
                let name = canonical_id(&arn);
                let attrs_call =
                    calls.with_param("sns", "get-topic-attributes", "--topic-arn", &arn, region);
                let meta = self.meta(sink, region, attrs_call.or(Some(call)));
                let attrs = attrs_call
                    .and_then(Call::ok)
                    .and_then(|v| v.get("Attributes"));
                sink.resource("AWS::SNS::Topic", &name, &meta, None);
                sink.facts.topics.push(SnsTopic {
                    meta,
                    name,
                    kms_key: match attrs {
                        Some(a) => {
                            text(a.get("KmsMasterKeyId")).map_or(Known::Absent, Known::Present)
                        }
                        None => Known::Unknown,
                    },
                });
            }
        }
    }
}
