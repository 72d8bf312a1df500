//! A lab's link: `#/<lab>?<name>=<value>&…`. The query holds the inputs a visitor changed
//! from their defaults, so a copied link reproduces the experiment on another machine.
//!
//! Values are written as JSON without a string's quotes (`threads=4`, `workload=cpu`,
//! `fence=true`), so any input type that serde can read and write can live in a link.
//! Query encoding is `form_urlencoded` (the `url` crate's), the same on both directions.

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The lab id and the decoded query pairs of a location hash such as `#/gil?threads=4`.
pub fn split_hash(hash: &str) -> (String, Vec<(String, String)>) {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let pairs = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    (route.to_string(), pairs)
}

/// The hash for `route` with `pairs` as its query (no `?` when there is none).
pub fn join_hash(route: &str, pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return format!("#/{route}");
    }
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .finish();
    format!("#/{route}?{query}")
}

/// `hash` with query parameter `name` set to `value`, or removed when `value` is `None`;
/// the other parameters keep their order.
pub fn with_param(hash: &str, name: &str, value: Option<&str>) -> String {
    let (route, mut pairs) = split_hash(hash);
    match (pairs.iter().position(|(k, _)| k == name), value) {
        (Some(at), Some(value)) => pairs[at].1 = value.to_string(),
        (Some(at), None) => {
            pairs.remove(at);
        }
        (None, Some(value)) => pairs.push((name.to_string(), value.to_string())),
        (None, None) => {}
    }
    join_hash(&route, &pairs)
}

/// The decoded value of query parameter `name` in `hash`.
pub fn param(hash: &str, name: &str) -> Option<String> {
    split_hash(hash)
        .1
        .into_iter()
        .find_map(|(k, v)| (k == name).then_some(v))
}

/// How `value` is written in a link: its JSON, without the quotes of a string.
pub fn to_link_value<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    match serde_json::from_str::<String>(&json) {
        Ok(text) => text,
        Err(_) => json,
    }
}

/// Reads a value written by [`to_link_value`]: as a string first, then as JSON.
pub fn from_link_value<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .ok()
        .or_else(|| serde_json::from_str(text).ok())
}

/// The lab id and the parameter name of an input key such as `shared-memory/race/threads`
/// (lab `shared-memory`, parameter `race/threads`).
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    key.split_once('/')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    enum Workload {
        Cpu,
        IoWait,
    }

    #[test]
    fn values_round_trip_without_quotes() {
        assert_eq!(to_link_value(&"4".to_string()), "4");
        assert_eq!(to_link_value(&true), "true");
        assert_eq!(to_link_value(&Workload::IoWait), "io-wait");
        assert_eq!(to_link_value(&12u32), "12");
        let tricky = "say \"hi\"\nx = 1 & y = 2".to_string();
        let written = to_link_value(&tricky);
        assert_eq!(from_link_value::<String>(&written), Some(tricky));
        assert_eq!(from_link_value::<String>("4"), Some("4".to_string()));
        assert_eq!(from_link_value::<bool>("true"), Some(true));
        assert_eq!(from_link_value::<u32>("12"), Some(12));
        assert_eq!(from_link_value::<Workload>("cpu"), Some(Workload::Cpu));
        assert_eq!(from_link_value::<Workload>("gpu"), None);
        assert_eq!(from_link_value::<bool>("maybe"), None);
    }

    #[test]
    fn params_are_set_replaced_and_removed_in_order() {
        let hash = with_param("#/gil", "threads", Some("4"));
        assert_eq!(hash, "#/gil?threads=4");
        let hash = with_param(&hash, "rule", Some("ticks"));
        assert_eq!(hash, "#/gil?threads=4&rule=ticks");
        let hash = with_param(&hash, "threads", Some("8"));
        assert_eq!(hash, "#/gil?threads=8&rule=ticks");
        let hash = with_param(&hash, "threads", None);
        assert_eq!(hash, "#/gil?rule=ticks");
        assert_eq!(with_param(&hash, "rule", None), "#/gil");
        assert_eq!(with_param("#/gil", "absent", None), "#/gil");
    }

    #[test]
    fn values_with_separators_survive_the_query() {
        let source = "a = 1 & b = 2; print(a+b) # 100% sure?";
        let hash = with_param("#/event-loop?py=x", "js", Some(source));
        assert_eq!(param(&hash, "js").as_deref(), Some(source));
        assert_eq!(param(&hash, "py").as_deref(), Some("x"));
        assert_eq!(split_hash(&hash).0, "event-loop");
        // Links made by `encodeURIComponent` (older share links) read the same.
        assert_eq!(
            param("#/event-loop?js=a%20%2B%201", "js").as_deref(),
            Some("a + 1")
        );
        assert_eq!(param("#/gil", "threads"), None);
        assert_eq!(split_hash("").0, "");
    }

    #[test]
    fn keys_name_their_lab() {
        assert_eq!(
            split_key("shared-memory/race/threads"),
            Some(("shared-memory", "race/threads"))
        );
        assert_eq!(split_key("gil"), None);
    }
}
