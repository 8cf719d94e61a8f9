//! Source URLs as people read them: shared by the exports and the detail panel.

/// A short label for a documentation URL: host-less path, e.g. `AmazonS3/.../security.html`.
pub fn url_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest
        .split_once('/')
        .map_or("", |(_, p)| p)
        .trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => rest.to_owned(),
        [one] => (*one).to_owned(),
        [first, .., last] => format!("{first}/…/{last}"),
    }
}
