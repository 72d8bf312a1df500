//! A report as one CSV table, for a spreadsheet: the report's longest list of records becomes
//! the rows (a sweep's runs, a table's lines), nested fields become dotted columns
//! (`stats.median_ms`), and a report without such a list becomes one row of its fields.
//! Quoting follows RFC 4180.

use serde_json::{Map, Value};

/// The CSV text of the JSON report `json`, or why it is not one.
pub fn table_from_json(json: &str) -> Result<String, String> {
    let report: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let rows: Vec<&Value> = match longest_records(&report) {
        Some(records) => records.iter().collect(),
        None => vec![&report],
    };
    let mut columns: Vec<String> = Vec::new();
    let flat: Vec<Vec<(String, String)>> = rows
        .iter()
        .map(|row| {
            let mut cells = Vec::new();
            flatten("", row, &mut cells);
            for (name, _) in &cells {
                if !columns.contains(name) {
                    columns.push(name.clone());
                }
            }
            cells
        })
        .collect();
    let mut out = line(columns.iter().map(String::as_str));
    for cells in &flat {
        let value = |name: &String| {
            cells
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| v.as_str())
        };
        out.push_str(&line(columns.iter().map(value)));
    }
    Ok(out)
}

/// The longest array of objects anywhere in `value` (the first of equal length).
fn longest_records(value: &Value) -> Option<&Vec<Value>> {
    let mut best: Option<&Vec<Value>> = None;
    visit(value, &mut |items| {
        if !items.is_empty()
            && items.iter().all(Value::is_object)
            && best.is_none_or(|b| items.len() > b.len())
        {
            best = Some(items);
        }
    });
    best
}

fn visit<'a>(value: &'a Value, found: &mut impl FnMut(&'a Vec<Value>)) {
    match value {
        Value::Array(items) => {
            found(items);
            items.iter().for_each(|item| visit(item, found));
        }
        Value::Object(fields) => fields.values().for_each(|v| visit(v, found)),
        _ => {}
    }
}

/// One cell per leaf: objects nest as `a.b`, arrays of plain values join with `;`, other
/// arrays stay JSON text.
fn flatten(prefix: &str, value: &Value, cells: &mut Vec<(String, String)>) {
    let name = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(fields) => flatten_object(fields, &name, cells),
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            let joined: Vec<String> = items.iter().map(plain).collect();
            cells.push((prefix.to_string(), joined.join(";")));
        }
        other => cells.push((prefix.to_string(), plain(other))),
    }
}

fn flatten_object(
    fields: &Map<String, Value>,
    name: &dyn Fn(&str) -> String,
    cells: &mut Vec<(String, String)>,
) {
    for (key, value) in fields {
        flatten(&name(key), value, cells);
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn line<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = cells
        .map(|cell| {
            if cell.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", cell.replace('"', "\"\""))
            } else {
                cell.to_string()
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_list_of_records_becomes_the_rows() {
        let json = r#"{"pool": 6, "runs": [
            {"threads": 1, "ms": 200.5, "stats": {"median": 3}},
            {"threads": 2, "ms": 101.25, "stats": {"median": 2}, "note": "a, \"b\""}
        ], "lanes": [{"id": 0}]}"#;
        let csv = table_from_json(json).unwrap();
        assert_eq!(
            csv,
            "threads,ms,stats.median,note\r\n1,200.5,3,\r\n2,101.25,2,\"a, \"\"b\"\"\"\r\n"
        );
    }

    #[test]
    fn a_report_without_records_is_one_row() {
        let csv = table_from_json(r#"{"lost": 10, "of": [1, 2], "mode": "unsync", "x": null}"#);
        assert_eq!(csv.unwrap(), "lost,of,mode,x\r\n10,1;2,unsync,\r\n");
        assert!(
            table_from_json("not json")
                .unwrap_err()
                .starts_with("not JSON")
        );
    }

    #[test]
    fn nested_lists_of_records_are_found() {
        let json = r#"{"a": {"rows": [{"k": 1}, {"k": 2}, {"k": 3}]}, "b": [{"k": 9}]}"#;
        assert_eq!(table_from_json(json).unwrap(), "k\r\n1\r\n2\r\n3\r\n");
    }
}
