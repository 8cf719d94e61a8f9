//! Building [`Findings`] from evidence: intern, bucket, merge, sort.

use super::{
    CheckInfo, Finding, Findings, GLOBAL_REGION, Grouping, Interner, Order, SourceKinds, Span,
    StatusCounts, is_global, source_kind,
};
use crate::model::catalog::{Catalog, Severity};
use crate::model::evidence::{Evidence, Status};
use std::collections::HashMap;

/// The checks table: every catalog check in file order, then unknown keys as they come.
struct Checks<'a> {
    infos: Vec<CheckInfo>,
    ids: HashMap<&'a str, u32>,
}

impl<'a> Checks<'a> {
    fn new(catalog: &'a Catalog) -> Checks<'a> {
        let mut checks = Checks {
            infos: Vec::with_capacity(catalog.checks.len()),
            ids: HashMap::new(),
        };
        for c in &catalog.checks {
            checks.ids.insert(c.key.as_str(), checks.infos.len() as u32);
            checks.infos.push(CheckInfo {
                key: c.key.clone(),
                group: catalog.check_group(&c.key).to_owned(),
                title: c.title.clone(),
                severity: Some(c.severity),
                service: c.service.clone(),
                control: c.control.clone(),
            });
        }
        checks
    }

    /// The id of a check key, adding a key the catalog does not know.
    fn id(&mut self, key: &'a str, service: &str, control: &str) -> u32 {
        if let Some(&id) = self.ids.get(key) {
            return id;
        }
        let id = self.infos.len() as u32;
        self.ids.insert(key, id);
        self.infos.push(CheckInfo {
            key: key.to_owned(),
            group: key.to_owned(),
            title: key.to_owned(),
            severity: None,
            service: service.to_owned(),
            control: control.to_owned(),
        });
        id
    }

    fn group(&self, check: u32) -> u32 {
        let info = &self.infos[check as usize];
        self.ids.get(info.group.as_str()).copied().unwrap_or(check)
    }
}

/// Per result: its check, check group, account and region ids (before the tables are sorted).
struct Interned {
    check: Vec<u32>,
    group: Vec<u32>,
    account: Vec<u32>,
    region: Vec<u32>,
    kinds: Vec<SourceKinds>,
}

pub(super) fn build(catalog: &Catalog, evidence: &Evidence) -> Findings {
    let results = &evidence.results;
    let mut checks = Checks::new(catalog);
    let mut accounts = Interner::default();
    let mut regions = Interner::default();
    let global = regions.id(GLOBAL_REGION);
    let mut kinds_of: HashMap<&str, SourceKinds> = HashMap::new();
    let mut interned = Interned {
        check: Vec::with_capacity(results.len()),
        group: Vec::with_capacity(results.len()),
        account: Vec::with_capacity(results.len()),
        region: Vec::with_capacity(results.len()),
        kinds: Vec::with_capacity(results.len()),
    };
    for r in results {
        let check = checks.id(&r.check, &r.service, &r.control);
        interned.check.push(check);
        interned.group.push(checks.group(check));
        interned.account.push(accounts.id(&r.account));
        interned.region.push(if is_global(&r.region) {
            global
        } else {
            regions.id(&r.region)
        });
        let kinds = *kinds_of.entry(&*r.source).or_insert_with(|| {
            let mut k = SourceKinds::default();
            k.insert(source_kind(evidence, &r.source));
            k
        });
        interned.kinds.push(kinds);
    }
    // Buckets: same check group, account and resource.
    let mut bucket_ids: HashMap<(u32, u32, &str), u32> = HashMap::new();
    let bucket: Vec<u32> = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let next = bucket_ids.len() as u32;
            *bucket_ids
                .entry((interned.group[i], interned.account[i], &*r.resource_id))
                .or_insert(next)
        })
        .collect();
    drop(bucket_ids);
    let mut by_bucket: Vec<u32> = (0..results.len() as u32).collect();
    by_bucket.sort_unstable_by_key(|&i| (bucket[i as usize], interned.region[i as usize], i));
    let mut rows = Vec::new();
    for run in by_bucket.chunk_by(|a, b| bucket[*a as usize] == bucket[*b as usize]) {
        merge_bucket(run, global, &interned, evidence, &mut rows);
    }
    finish(catalog, evidence, checks.infos, accounts, regions, rows)
}

/// One bucket's results (sorted by region) into findings: one per region the sources name; a
/// result without a region joins the only region, or stays on its own.
fn merge_bucket(
    run: &[u32],
    global: u32,
    interned: &Interned,
    evidence: &Evidence,
    rows: &mut Vec<Finding>,
) {
    let region = |i: &u32| interned.region[*i as usize];
    let concrete: Vec<&[u32]> = run
        .chunk_by(|a, b| region(a) == region(b))
        .filter(|c| region(&c[0]) != global)
        .collect();
    let globals: Vec<u32> = run
        .iter()
        .copied()
        .filter(|i| region(i) == global)
        .collect();
    let first = rows.len();
    match concrete.as_slice() {
        [] => rows.push(merge(&globals, global, interned, evidence)),
        [one] => {
            let all: Vec<u32> = one.iter().chain(&globals).copied().collect();
            rows.push(merge(&all, region(&one[0]), interned, evidence));
        }
        several => {
            for part in several {
                rows.push(merge(part, region(&part[0]), interned, evidence));
            }
            if !globals.is_empty() {
                rows.push(merge(&globals, global, interned, evidence));
            }
        }
    }
    let sole = rows.len() - first == 1;
    for row in &mut rows[first..] {
        row.sole = sole;
    }
}

/// Results of one finding into the finding. Its status is the first in `Status::ALL` among
/// them; its check the most specific one with that status (a check other than the group's own
/// key, onto which Security Hub and Prowler findings land).
fn merge(members: &[u32], region: u32, interned: &Interned, evidence: &Evidence) -> Finding {
    let status_of = |i: u32| evidence.results[i as usize].status;
    let status = Status::ALL
        .into_iter()
        .find(|s| members.iter().any(|&i| status_of(i) == *s))
        .unwrap_or(Status::Unknown);
    let with_status = || members.iter().copied().filter(|&i| status_of(i) == status);
    let result = with_status()
        .find(|&i| interned.check[i as usize] != interned.group[i as usize])
        .or_else(|| with_status().next())
        .unwrap_or(members[0]);
    Finding {
        check: interned.check[result as usize],
        group: interned.group[result as usize],
        // Service and control are set from the check in `finish`.
        service: 0,
        control: 0,
        account: interned.account[result as usize],
        region,
        status,
        sources: members.iter().fold(SourceKinds::default(), |k, &i| {
            k.union(interned.kinds[i as usize])
        }),
        result,
        results: members.len() as u32,
        sole: false,
    }
}

/// Sorts the tables, remaps the ids, and sorts the three display orders.
fn finish(
    catalog: &Catalog,
    evidence: &Evidence,
    checks: Vec<CheckInfo>,
    accounts: Interner<'_>,
    regions: Interner<'_>,
    mut rows: Vec<Finding>,
) -> Findings {
    let mut services = Interner::default();
    let mut controls = Interner::default();
    let check_service: Vec<u32> = checks.iter().map(|c| services.id(&c.service)).collect();
    let check_control: Vec<u32> = checks.iter().map(|c| controls.id(&c.control)).collect();
    let (services, service_map) = services.finish();
    let (controls, control_map) = controls.finish();
    let (accounts, account_map) = accounts.finish();
    let (regions, region_map) = regions.finish();
    for f in &mut rows {
        f.service = service_map[check_service[f.check as usize] as usize];
        f.control = control_map[check_control[f.check as usize] as usize];
        f.account = account_map[f.account as usize];
        f.region = region_map[f.region as usize];
    }
    let mut titles: Vec<u32> = (0..checks.len() as u32).collect();
    titles.sort_by(|a, b| checks[*a as usize].title.cmp(&checks[*b as usize].title));
    let mut title_rank = vec![0; checks.len()];
    for (rank, &c) in titles.iter().enumerate() {
        title_rank[c as usize] = rank as u32;
    }
    let severity_rank = |f: &Finding| {
        checks[f.check as usize]
            .severity
            .map_or(Severity::ALL.len(), |s| s as usize)
    };
    let control_rank: Vec<usize> = controls
        .iter()
        .map(|c| catalog.control_position(c).unwrap_or(usize::MAX))
        .collect();
    let (resource_rank, resource_ids, resources_lower) = resources(&rows, evidence);
    // Service order: the order rows are stored in.
    let mut by_service: Vec<u32> = (0..rows.len() as u32).collect();
    by_service.sort_unstable_by_key(|&i| {
        let f = &rows[i as usize];
        (
            f.service,
            f.status.index(),
            severity_rank(f),
            title_rank[f.check as usize],
            f.account,
            f.region,
            resource_rank[i as usize],
        )
    });
    let resource_rank: Vec<u32> = by_service
        .iter()
        .map(|&i| resource_rank[i as usize])
        .collect();
    let resource_of: Vec<u32> = by_service
        .iter()
        .map(|&i| resource_ids[i as usize])
        .collect();
    let rows: Vec<Finding> = by_service.iter().map(|&i| rows[i as usize]).collect();
    let key_tail = |i: u32| {
        let f = &rows[i as usize];
        (f.account, f.region, resource_rank[i as usize])
    };
    let mut by_check: Vec<u32> = (0..rows.len() as u32).collect();
    by_check.sort_unstable_by_key(|&i| {
        let f = &rows[i as usize];
        (
            severity_rank(f),
            title_rank[f.check as usize],
            f.check,
            f.status.index(),
            key_tail(i),
        )
    });
    let mut by_control: Vec<u32> = (0..rows.len() as u32).collect();
    by_control.sort_unstable_by_key(|&i| {
        let f = &rows[i as usize];
        (
            control_rank[f.control as usize],
            f.control,
            f.status.index(),
            severity_rank(f),
            f.service,
            title_rank[f.check as usize],
            key_tail(i),
        )
    });
    let mut totals = StatusCounts::default();
    for f in &rows {
        totals.add(f.status);
    }
    let orders = [
        Order {
            spans: spans(&rows, None, Grouping::Service),
            rows: Vec::new(),
        },
        Order {
            spans: spans(&rows, Some(&by_check), Grouping::Check),
            rows: by_check,
        },
        Order {
            spans: spans(&rows, Some(&by_control), Grouping::Control),
            rows: by_control,
        },
    ];
    Findings {
        titles_lower: checks.iter().map(|c| c.title.to_lowercase()).collect(),
        resources_lower,
        resource_of,
        checks,
        services,
        controls,
        accounts,
        regions,
        rows,
        orders,
        totals,
    }
}

/// Each finding's place among all findings sorted by resource id; the id of its resource in a
/// table of the distinct resource ids, and that table in lowercase (for the text filter).
fn resources(rows: &[Finding], evidence: &Evidence) -> (Vec<u32>, Vec<u32>, Vec<String>) {
    let resource = |i: u32| {
        evidence
            .results
            .get(rows[i as usize].result as usize)
            .map_or("", |r| &*r.resource_id)
    };
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    order.sort_unstable_by(|a, b| resource(*a).cmp(resource(*b)));
    let mut rank = vec![0; rows.len()];
    let mut id = vec![0; rows.len()];
    let mut table: Vec<String> = Vec::new();
    let mut previous: Option<&str> = None;
    for (r, &i) in order.iter().enumerate() {
        rank[i as usize] = r as u32;
        let text = resource(i);
        if previous != Some(text) {
            table.push(text.to_lowercase());
            previous = Some(text);
        }
        id[i as usize] = table.len() as u32 - 1;
    }
    (rank, id, table)
}

/// Where each group of an order starts and ends.
fn spans(rows: &[Finding], order: Option<&[u32]>, grouping: Grouping) -> Vec<Span> {
    let group_of = |pos: usize| {
        let index = order.map_or(pos, |o| o[pos] as usize);
        let f = &rows[index];
        match grouping {
            Grouping::Service => f.service,
            Grouping::Check => f.check,
            Grouping::Control => f.control,
        }
    };
    let mut spans: Vec<Span> = Vec::new();
    for pos in 0..rows.len() {
        let id = group_of(pos);
        match spans.last_mut() {
            Some(span) if span.id == id => span.end = pos as u32 + 1,
            _ => spans.push(Span {
                id,
                start: pos as u32,
                end: pos as u32 + 1,
            }),
        }
    }
    spans
}
