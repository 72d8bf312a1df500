//! The translations behind `t!`: every key of `locales/*.yml` with its text in each
//! language, as static data that `build.rs` generates, looked up by binary search.

include!(concat!(env!("OUT_DIR"), "/translations.rs"));

/// The rust-i18n backend over `TEXTS`; `i18n!` in lib.rs registers it.
pub struct Translations;

impl rust_i18n::Backend for Translations {
    fn available_locales(&self) -> Vec<&str> {
        LANGUAGES.to_vec()
    }

    fn translate(&self, locale: &str, key: &str) -> Option<&str> {
        let language = LANGUAGES.iter().position(|l| *l == locale)?;
        let row = TEXTS.binary_search_by(|(k, _)| (*k).cmp(key)).ok()?;
        TEXTS[row].1[language]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_i18n::Backend;

    #[test]
    fn the_table_is_sorted_and_every_key_has_both_languages() {
        assert_eq!(LANGUAGES, ["en", "zh-CN"]);
        assert!(TEXTS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TEXTS.len() > 500, "{} keys", TEXTS.len());
        assert!(
            TEXTS
                .iter()
                .all(|(_, texts)| texts.iter().all(Option::is_some))
        );
    }

    #[test]
    fn lookups_find_each_language_and_nothing_else() {
        let table = Translations;
        assert_eq!(
            table.translate("en", "widgets.scroller.chart"),
            Some("Chart (scrolls sideways on a narrow screen)")
        );
        assert_eq!(
            table.translate("zh-CN", "widgets.scroller.chart"),
            Some("图表（窄屏上可左右滚动）")
        );
        assert_eq!(table.translate("fr", "widgets.scroller.chart"), None);
        assert_eq!(table.translate("en", "widgets.scroller.nothing"), None);
        assert_eq!(t!("widgets.timeline.legend"), "Thread states");
    }
}
