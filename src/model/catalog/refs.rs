//! Columns of the matrix: a service and one of its variants (`rds/custom`), parsed from text with
//! the closest known ids suggested for a typo.

use super::{Catalog, Service};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A column of the matrix: a service, and one of its variants when it has any.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServiceRef {
    pub service: String,
    pub variant: Option<String>,
}

impl ServiceRef {
    pub fn new(service: &str, variant: Option<&str>) -> Self {
        ServiceRef {
            service: service.to_owned(),
            variant: variant.map(str::to_owned),
        }
    }

    /// The key used in files and on the command line: `rds/custom`, or `s3`.
    pub fn key(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{v}", self.service),
            None => self.service.clone(),
        }
    }
}

impl fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// An unknown service or variant, with the closest known ids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown service '{given}'{}", suggestion_text(.suggestions))]
pub struct UnknownService {
    pub given: String,
    pub suggestions: Vec<String>,
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", suggestions.join(", "))
    }
}

impl Catalog {
    /// Every column the catalog can show: each service's variants, or the bare service.
    pub fn all_refs(&self) -> Vec<ServiceRef> {
        self.services
            .iter()
            .flat_map(|s| {
                if s.variants.is_empty() {
                    vec![ServiceRef::new(&s.id, None)]
                } else {
                    s.variants
                        .iter()
                        .map(|v| ServiceRef::new(&s.id, Some(&v.id)))
                        .collect()
                }
            })
            .collect()
    }

    /// The default column of a service: its default variant, or the bare service.
    pub fn default_ref(&self, service: &Service) -> ServiceRef {
        ServiceRef::new(
            &service.id,
            service.default_variant().map(|v| v.id.as_str()),
        )
    }

    /// Parses `rds`, `rds/custom`: a bare id means the default variant.
    pub fn parse_ref(&self, text: &str) -> Result<ServiceRef, UnknownService> {
        let text = text.trim();
        let (service_id, variant_id) = match text.split_once('/') {
            Some((s, v)) => (s, Some(v)),
            None => (text, None),
        };
        let unknown = || UnknownService {
            given: text.to_owned(),
            suggestions: self.closest_refs(text),
        };
        let service = self.service(service_id).ok_or_else(unknown)?;
        match variant_id {
            None => Ok(self.default_ref(service)),
            Some(v) if service.variant(v).is_some() => Ok(ServiceRef::new(service_id, Some(v))),
            Some(_) => Err(unknown()),
        }
    }

    /// Parses a comma-separated list of service refs, keeping the order and dropping repeats.
    pub fn parse_refs(&self, list: &str) -> Result<Vec<ServiceRef>, UnknownService> {
        let mut refs = Vec::new();
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let r = self.parse_ref(part)?;
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        Ok(refs)
    }

    /// Up to three known keys closest to `text` (edit distance, then prefix).
    pub fn closest_refs(&self, text: &str) -> Vec<String> {
        let mut keys: Vec<String> = self.services.iter().map(|s| s.id.clone()).collect();
        keys.extend(
            self.all_refs()
                .into_iter()
                .filter(|r| r.variant.is_some())
                .map(|r| r.key()),
        );
        let lower = text.to_lowercase();
        let mut scored: Vec<(usize, String)> = keys
            .into_iter()
            .map(|k| {
                let d = strsim::levenshtein(&lower, &k);
                let bonus = usize::from(!(k.starts_with(&lower) || lower.starts_with(&k)));
                (d * 2 + bonus, k)
            })
            .collect();
        scored.sort();
        let limit = (lower.chars().count() / 2).max(2) * 2 + 1;
        scored
            .into_iter()
            .filter(|(d, _)| *d <= limit)
            .take(3)
            .map(|(_, k)| k)
            .collect()
    }
}
