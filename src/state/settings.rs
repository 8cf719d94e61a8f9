//! What is remembered between runs (`Settings`), and the named column sets (`PRESETS`).

use serde::{Deserialize, Serialize};

/// The main views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    #[default]
    Matrix,
    Compare,
    /// The engagement's checklist, made for speed in a meeting.
    Checklist,
    /// Every imported finding, once per (check, resource).
    Findings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

/// Settings remembered between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub scope: Vec<String>,
    pub compare: Vec<String>,
    pub theme: ThemeChoice,
    pub zoom: f32,
    /// Recently opened or saved engagement files, newest first.
    pub recent: Vec<String>,
    /// The engagement open when the app was last closed: reopened at start.
    pub last_engagement: Option<String>,
    /// A problem the user could not see when it happened (the autosave when the window closed
    /// failed): shown as an error at the next start, then forgotten.
    pub unreported: Option<String>,
    /// The service sidebar is hidden (small screens, projectors).
    pub sidebar_collapsed: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scope: vec!["ec2".into(), "s3".into(), "rds".into()],
            compare: vec!["ec2".into(), "ecs/fargate".into(), "lambda".into()],
            theme: ThemeChoice::Light,
            zoom: 1.0,
            recent: Vec::new(),
            last_engagement: None,
            unreported: None,
            sidebar_collapsed: false,
        }
    }
}

/// The zoom factor a setting or a command may set.
pub(super) fn clamp_zoom(zoom: f32) -> f32 {
    if zoom.is_finite() {
        zoom.clamp(0.5, 3.0)
    } else {
        1.0
    }
}

/// A named set of columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub refs: &'static [&'static str],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "Classic: EC2 vs RDS vs S3",
        refs: &["ec2", "rds/standard", "s3"],
    },
    Preset {
        name: "Containers: ECS on EC2 vs Fargate vs EKS",
        refs: &[
            "ecs/ec2",
            "ecs/fargate",
            "eks/managed-node-groups",
            "eks/fargate",
        ],
    },
    Preset {
        name: "Compute journey: EC2, Fargate, Lambda",
        refs: &["ec2", "ecs/fargate", "lambda/zip-auto-runtime"],
    },
    Preset {
        name: "Containers to serverless: ECS on EC2, ECS on Fargate, Lambda",
        refs: &["ecs/ec2", "ecs/fargate", "lambda/zip-auto-runtime"],
    },
    Preset {
        name: "Databases: RDS vs RDS Custom vs Aurora vs DynamoDB",
        refs: &[
            "rds/standard",
            "rds/custom",
            "aurora/provisioned",
            "dynamodb",
        ],
    },
    Preset {
        name: "Serverless web app",
        refs: &[
            "cloudfront",
            "api-gateway",
            "lambda/zip-auto-runtime",
            "dynamodb",
            "s3",
            "cognito",
        ],
    },
    Preset {
        name: "Landing zone: identity, logging, detection",
        refs: &[
            "organizations",
            "iam",
            "identity-center",
            "cloudtrail",
            "config",
            "guardduty",
            "security-hub",
            "kms",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::Catalog;

    #[test]
    fn settings_from_an_older_version_load_with_defaults() {
        let old = r#"{"scope":["lambda"],"theme":"Dark"}"#;
        let settings: Settings = serde_json::from_str(old).expect("old settings load");
        assert_eq!(settings.scope, ["lambda"]);
        assert_eq!(settings.theme, ThemeChoice::Dark);
        assert_eq!(settings.unreported, None);
        assert!((settings.zoom - 1.0).abs() < f32::EPSILON);
    }

    #[test]
    fn an_unreported_problem_survives_the_round_trip() {
        let settings = Settings {
            unreported: Some("the autosave failed".into()),
            ..Settings::default()
        };
        let text = serde_json::to_string(&settings).expect("serialise");
        let back: Settings = serde_json::from_str(&text).expect("parse");
        assert_eq!(back, settings);
    }

    #[test]
    fn zoom_is_kept_in_a_usable_range() {
        assert!((clamp_zoom(f32::NAN) - 1.0).abs() < f32::EPSILON);
        assert!((clamp_zoom(9.0) - 3.0).abs() < f32::EPSILON);
        assert!((clamp_zoom(0.1) - 0.5).abs() < f32::EPSILON);
    }

    #[test]
    fn every_preset_names_services_of_the_bundled_catalog() {
        let catalog = Catalog::bundled();
        for preset in PRESETS {
            for key in preset.refs {
                assert!(catalog.parse_ref(key).is_ok(), "{}: {key}", preset.name);
            }
        }
    }
}
