//! Parsing and bounding of lab parameters, shared by the UI and the console API.
//!
//! Every input a visitor can give (a form field or `window.lab.run(id, params)`) passes
//! through here, so a bad value always becomes a clear message and never a panic.

use serde::de::DeserializeOwned;

/// Parses a lab's parameters from JSON text. `null`/empty means "all defaults".
/// Unknown fields and wrong types are rejected with serde's message, prefixed by the lab.
pub fn parse_json<T: DeserializeOwned + Default>(lab: &str, json: &str) -> Result<T, String> {
    let trimmed = json.trim();
    if trimmed.is_empty() || trimmed == "null" || trimmed == "undefined" {
        return Ok(T::default());
    }
    serde_json::from_str(trimmed).map_err(|e| format!("{lab}: invalid parameters: {e}"))
}

/// Checks `min <= value <= max`, naming the field and the allowed range on failure.
pub fn check_range<T>(field: &str, value: T, min: T, max: T) -> Result<(), String>
where
    T: PartialOrd + std::fmt::Display + Copy,
{
    if value < min || value > max {
        Err(t!(
            "params.between",
            field = field,
            min = min,
            max = max,
            value = value
        )
        .to_string())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, default)]
    struct Demo {
        threads: u32,
    }

    #[test]
    fn empty_and_null_give_defaults() {
        assert_eq!(parse_json::<Demo>("demo", "").unwrap(), Demo::default());
        assert_eq!(
            parse_json::<Demo>("demo", " null ").unwrap(),
            Demo::default()
        );
    }

    #[test]
    fn unknown_fields_and_bad_types_are_named() {
        let err = parse_json::<Demo>("demo", r#"{"thredas": 2}"#).unwrap_err();
        assert!(err.starts_with("demo: invalid parameters"), "{err}");
        assert!(err.contains("thredas"), "{err}");
        let err = parse_json::<Demo>("demo", r#"{"threads": -1}"#).unwrap_err();
        assert!(err.contains("invalid value"), "{err}");
    }

    #[test]
    fn range_messages_name_field_and_bounds() {
        assert!(check_range("threads", 2, 1, 4).is_ok());
        assert_eq!(
            check_range("threads", 9, 1, 4).unwrap_err(),
            "threads must be between 1 and 4 (got 9)"
        );
    }
}
