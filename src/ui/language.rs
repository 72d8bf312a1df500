//! The page's language: English or Simplified Chinese, remembered in `localStorage` and at
//! first taken from the browser's language. Strings come from `locales/app.yml` through
//! rust-i18n's `t!`; switching sets the crate's locale and the `<html lang>` attribute.

/// The languages the site is written in, as `locales/app.yml` names them.
pub const ENGLISH: &str = "en";
pub const CHINESE: &str = "zh-CN";

const STORAGE_KEY: &str = "concurrency-lab-language";

fn storage() -> Option<web_sys::Storage> {
    // Private windows may refuse storage: the language is then only not remembered.
    web_sys::window()?.local_storage().ok()?
}

/// The remembered language, else Chinese for a browser set to any Chinese, else English.
pub fn preferred() -> &'static str {
    let remembered = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    match remembered.as_deref() {
        Some(CHINESE) => return CHINESE,
        Some(ENGLISH) => return ENGLISH,
        _ => {}
    }
    let browser = web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_default();
    if browser.to_ascii_lowercase().starts_with("zh") {
        CHINESE
    } else {
        ENGLISH
    }
}

/// Whether the page is in Chinese now (some texts from the notes are shown in Chinese only then,
/// and in both languages otherwise).
pub fn in_chinese() -> bool {
    &*rust_i18n::locale() == CHINESE
}

/// A heading's text in both languages: the page's language first, the other after it in a
/// smaller `.zh` span marked with its own `lang` (so screen readers pronounce each right).
pub fn both_languages(english: &'static str, chinese: &'static str) -> yew::Html {
    if in_chinese() {
        yew::html! { <>{ chinese }<span class="zh" lang="en">{ format!(" {english}") }</span></> }
    } else {
        yew::html! { <>{ format!("{english} ") }<span class="zh" lang="zh-CN">{ chinese }</span></> }
    }
}

/// Makes `language` the page's language (and remembers it when `remember`).
pub fn apply(language: &'static str, remember: bool) {
    rust_i18n::set_locale(language);
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", language);
    }
    if remember && let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, language);
    }
}
